//! Sending: `request!`, builders, recipient forms, sender actions, another
//! snapshot, another platform; typed responses checked against what the
//! emulator recorded.

use sendapi::latest as api;
use sendapi_emulator::RecordedRequest;
use sendapi_spec::Platform;
use serde_json::json;

use crate::common::{PAGE, PSID, client, config, is_message_id, start};

fn only(recorded: &[RecordedRequest]) -> &RecordedRequest {
    assert_eq!(recorded.len(), 1, "{recorded:#?}");
    &recorded[0]
}

#[tokio::test]
async fn text_through_request_macro_with_a_run_time_psid() {
    let emu = start(config()).await;
    let client = client(&emu);
    let psid = String::from(PSID);
    let request = api::request!({
        "recipient": { "id": psid },
        "messaging_type": "RESPONSE",
        "message": { "text": "Your table for two is booked for 19:30." },
    });
    let sent = client
        .send(&request)
        .await
        .expect("the emulator accepts it");
    assert!(is_message_id(sent.message_id()), "{sent:?}");
    assert_eq!(sent.recipient_id(), PSID);
    assert_eq!(sent.attachment_id(), None);
    assert_eq!(sent.attempts, 1);

    let recorded = emu.requests();
    let r = only(&recorded);
    assert_eq!(r.path, format!("/v26.0/{PAGE}/messages"));
    assert_eq!(r.page_id, PAGE);
    assert_eq!(r.endpoint, "messages");
    assert!(!r.batch);
    // The body as sent, transport parameters aside.
    assert_eq!(
        r.body,
        json!({
            "recipient": { "id": PSID },
            "messaging_type": "RESPONSE",
            "message": { "text": "Your table for two is booked for 19:30." },
        })
    );
    // The typed response is the answer the emulator gave.
    assert_eq!(r.response["message_id"], sent.message_id());
    assert_eq!(r.response["recipient_id"], PSID);
}

#[tokio::test]
async fn text_with_quick_replies_through_the_builder() {
    let emu = start(config()).await;
    let client = client(&emu);
    let message = api::TextMessage::new("Which size?")
        .quick_replies([
            api::QuickReply::text(api::TextQuickReply::new("Small", "SIZE_S")),
            api::QuickReply::text(api::TextQuickReply::new("Large", "SIZE_L")),
        ])
        .metadata("order-4411");
    let request = api::Request::builder()
        .to_id(PSID)
        .message(message)
        .update()
        .build();
    let sent = client.send(&request).await.expect("accepted");
    assert!(is_message_id(sent.message_id()));
    assert_eq!(sent.recipient_id(), PSID);

    let recorded = emu.requests();
    let r = only(&recorded);
    assert_eq!(r.body["messaging_type"], "UPDATE");
    assert_eq!(r.body["message"]["quick_replies"][1]["payload"], "SIZE_L");
    assert_eq!(r.body["message"]["metadata"], "order-4411");
    // Two sends give two message ids.
    let again = client.send(&request).await.expect("accepted");
    assert_ne!(again.message_id(), sent.message_id());
}

#[tokio::test]
async fn a_user_ref_send_answers_without_recipient_id() {
    let emu = start(config()).await;
    let client = client(&emu);
    let request = api::Request::builder()
        .to_user_ref("checkbox-ref-7731")
        .text("Thanks for opting in.")
        .response()
        .build();
    let sent = client.send(&request).await.expect("accepted");
    assert!(is_message_id(sent.message_id()));
    // `sent.recipient_id()` does not compile for this form.
    assert_eq!(sent.recipient_id_if_present(), None);

    let recorded = emu.requests();
    let r = only(&recorded);
    assert_eq!(
        r.body["recipient"],
        json!({"user_ref": "checkbox-ref-7731"})
    );
    assert!(r.response.get("recipient_id").is_none(), "{}", r.response);

    // The same request with its form known only at run time: the response
    // type is the permissive one.
    let any = api::Request::from_body(request.into_body());
    let sent = client.send(&any).await.expect("accepted");
    assert_eq!(sent.recipient_id, None);
    assert!(sent.message_id.as_deref().is_some_and(is_message_id));
}

#[tokio::test]
async fn sender_actions_typing_on_and_react() {
    let emu = start(config()).await;
    let client = client(&emu);
    let typing = api::Request::builder().to_id(PSID).typing_on().build();
    let answer = client.send(&typing).await.expect("accepted");
    assert_eq!(answer.recipient_id, PSID);

    let first = client
        .send(
            &api::Request::builder()
                .to_id(PSID)
                .text("hi")
                .response()
                .build(),
        )
        .await
        .expect("accepted");
    let react = api::Request::builder()
        .to_id(PSID)
        .react(first.message_id(), "\u{2764}")
        .build();
    let answer = client.send(&react).await.expect("accepted");
    assert_eq!(answer.recipient_id, PSID);

    let recorded = emu.requests();
    assert_eq!(recorded.len(), 3);
    assert_eq!(
        recorded[0].body,
        json!({"recipient": {"id": PSID}, "sender_action": "typing_on"})
    );
    // A sender action carries no messaging type.
    assert_eq!(recorded[2].body["sender_action"], "react");
    assert_eq!(
        recorded[2].body["payload"]["message_id"],
        first.message_id()
    );
    assert_eq!(recorded[2].body["payload"]["reaction"], "\u{2764}");
    assert!(recorded[2].body.get("messaging_type").is_none());
}

#[cfg(feature = "v21")]
#[tokio::test]
async fn a_v21_request_goes_to_v21_0() {
    let emu = start(config()).await;
    let client = client(&emu);
    let from_macro = sendapi::v21::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Pinned to v21.0." },
    });
    let sent = client.send(&from_macro).await.expect("accepted");
    assert_eq!(sent.recipient_id(), PSID);
    let built = sendapi::v21::Request::builder()
        .to_id(PSID)
        .text("Also v21.0.")
        .response()
        .build();
    let sent = client.send(&built).await.expect("accepted");
    assert!(is_message_id(sent.message_id()));
    // And a latest one next to it, to show the path follows the request.
    let latest = api::Request::builder()
        .to_id(PSID)
        .text("latest")
        .response()
        .build();
    client.send(&latest).await.expect("accepted");

    let paths: Vec<String> = emu.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            format!("/v21.0/{PAGE}/messages"),
            format!("/v21.0/{PAGE}/messages"),
            format!("/v26.0/{PAGE}/messages"),
        ]
    );
}

#[tokio::test]
async fn instagram_requests_against_an_instagram_emulator() {
    let emu = start(config().platform(Platform::Instagram)).await;
    let client = client(&emu);
    let igsid = "17841400000000000";
    let from_macro = api::request!(instagram, {
        "recipient": { "id": igsid },
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
        "message": { "text": "An agent will answer shortly." },
    });
    let sent = client.send(&from_macro).await.expect("accepted");
    assert_eq!(sent.recipient_id(), igsid);

    let built = api::Request::builder()
        .to_id(igsid)
        .text("Thanks for your message.")
        .response()
        .build()
        .on::<sendapi::Instagram>();
    let sent = client.send(&built).await.expect("accepted");
    assert_eq!(sent.recipient_id(), igsid);
    assert_eq!(emu.requests().len(), 2);

    // Instagram's own limit (1000 bytes) applies to an Instagram request,
    // before anything is sent; the same text is fine for Messenger.
    let long = "é".repeat(600); // 600 scalar values, 1200 bytes
    let messenger = api::Request::builder()
        .to_id(igsid)
        .text(long)
        .response()
        .build();
    assert!(messenger.validate().is_ok());
    let err = client
        .send(&messenger.on::<sendapi::Instagram>())
        .await
        .expect_err("too long for Instagram");
    let sendapi::Error::Invalid(invalid) = &err else {
        panic!("expected a local refusal, got {err:?}");
    };
    assert_eq!(invalid.rule_ids(), ["message.text.max_len_instagram"]);
    assert_eq!(invalid.violations[0].pointer, "/message/text");
    assert_eq!(emu.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloned_client_sends_from_spawned_tasks() {
    let emu = start(config()).await;
    let client = client(&emu);
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let request = api::Request::builder()
                    .to_id(format!("{}", 5_000 + i))
                    .text(format!("n{i}"))
                    .response()
                    .build();
                client.send(&request).await
            })
        })
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    for (i, task) in tasks.into_iter().enumerate() {
        let sent = task.await.expect("the task").expect("accepted");
        assert_eq!(sent.recipient_id(), format!("{}", 5_000 + i));
        ids.insert(sent.message_id().to_string());
    }
    assert_eq!(ids.len(), 20, "one message id per send");
    assert_eq!(emu.requests().len(), 20);
}

/// The pre-compiled send paths (kept for debug rebuilds of bots) are the
/// ordinary `send`: both reach the emulator, one record each.
#[tokio::test]
async fn the_precompiled_send_paths_send() {
    let emu = start(config()).await;
    let client = client(&emu);
    let message = api::request!({
        "recipient": { "id": PSID },
        "messaging_type": "RESPONSE",
        "message": { "text": "Checking your booking." },
    });
    let action = api::request!({
        "recipient": { "id": PSID },
        "sender_action": "typing_on",
    });
    let [sent_message, sent_action] = client.__precompiled_sends(&message, &action);
    sent_message.await.expect("the message is accepted");
    sent_action.await.expect("the sender action is accepted");
    let recorded = emu.requests();
    assert_eq!(recorded.len(), 2, "{recorded:#?}");
    assert_eq!(
        recorded[0].body["message"]["text"],
        "Checking your booking."
    );
    assert_eq!(recorded[1].body["sender_action"], "typing_on");
}
