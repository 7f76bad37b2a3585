//! Refusals: locally by `validate()` (nothing reaches the emulator), and by
//! the emulator itself for an `Unchecked` body.

use sendapi::latest as api;
use sendapi::{Error, RetryClass, Unchecked};
use sendapi_emulator::Faults;
use serde_json::json;

use crate::common::{PSID, assert_no_secret, client, config, graph, is_message_id, start};

/// Asserts that the emulator saw no request at all: not even one it would
/// refuse. A counted fault is taken by every request that reaches its API
/// routes, so an untouched count proves nothing arrived.
fn assert_nothing_arrived(emu: &sendapi_emulator::RunningEmulator) {
    assert!(emu.requests().is_empty(), "{:#?}", emu.requests());
    assert_eq!(emu.faults().malformed_bodies, 1, "a request arrived");
}

#[tokio::test]
async fn a_builder_text_over_2000_chars_is_refused_before_sending() {
    let emu = start(config().faults(Faults::none().malformed_bodies(1))).await;
    let client = client(&emu);
    let text: String = "x".repeat(2001);
    let request = api::Request::builder()
        .to_id(PSID)
        .text(text)
        .response()
        .build();
    let err = client.send(&request).await.expect_err("refused locally");
    let Error::Invalid(invalid) = &err else {
        panic!("expected Error::Invalid, got {err:?}");
    };
    assert_eq!(invalid.snapshot, "v26.0");
    assert_eq!(invalid.rule_ids(), ["message.text.max_len"]);
    assert_eq!(invalid.violations[0].pointer, "/message/text");
    assert_eq!(invalid.violations[0].code, 100);
    assert!(invalid.violations[0].message.contains("2001"), "{invalid}");
    let shown = err.to_string();
    assert!(
        shown.contains("[message.text.max_len] at /message/text"),
        "{shown}"
    );
    assert!(
        shown.ends_with("; nothing was sent: not delivered; a retry cannot help: fix the request"),
        "{shown}"
    );
    assert!(!err.may_have_reached_user());
    assert!(!err.retryable());
    assert_no_secret(&err);
    assert_nothing_arrived(&emu);

    // Exactly 2000 is fine.
    let fine = api::Request::builder()
        .to_id(PSID)
        .text("x".repeat(2000))
        .response()
        .build();
    assert!(fine.validate().is_ok());
}

#[tokio::test]
async fn request_macro_expressions_are_checked_at_run_time() {
    let emu = start(config().faults(Faults::none().malformed_bodies(1))).await;
    let client = client(&emu);
    let text = "y".repeat(2001);
    let replies: Vec<api::QuickReply> = (0..14)
        .map(|i| api::QuickReply::text(api::TextQuickReply::new(format!("R{i}"), format!("P{i}"))))
        .collect();
    // The literal parts are fine, so it compiles; the expressions are not.
    let request = api::request!({
        "recipient": { "id": PSID },
        "messaging_type": "RESPONSE",
        "message": { "text": text, "quick_replies": replies },
    });
    let err = client.send(&request).await.expect_err("refused locally");
    let Error::Invalid(invalid) = &err else {
        panic!("expected Error::Invalid, got {err:?}");
    };
    assert_eq!(
        invalid.rule_ids(),
        ["message.text.max_len", "message.quick_replies.items"]
    );
    let pointers: Vec<&str> = invalid
        .violations
        .iter()
        .map(|v| v.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/message/text", "/message/quick_replies"]);
    assert_no_secret(&err);
    assert_nothing_arrived(&emu);

    // A batch refuses it the same way, without a call.
    let results = client
        .send_batch(std::slice::from_ref(&request))
        .await
        .expect("the batch as a whole is fine");
    assert!(matches!(&results[0], Err(Error::Invalid(i)) if i.rule_ids().len() == 2));
    assert_nothing_arrived(&emu);
}

#[tokio::test]
async fn the_emulator_refuses_an_unchecked_body_with_the_rules_message() {
    let emu = start(config()).await;
    let client = client(&emu);

    // A message and a sender action at once: rule
    // request.message_xor_sender_action, Graph's subcode 2018014.
    let both = Unchecked::new(json!({
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {"text": "hi"},
        "sender_action": "typing_on",
    }));
    assert!(
        sendapi::Request::validate(&both).is_ok(),
        "unchecked means unchecked"
    );
    let err = client
        .send(&both)
        .await
        .expect_err("refused by the emulator");
    let g = graph(&err);
    assert_eq!((g.status, g.code, g.subcode), (400, 100, Some(2018014)));
    assert_eq!(g.name, Some("MessageAndSenderAction"));
    assert_eq!(g.retry, RetryClass::Never);
    assert!(
        g.message.contains("request.message_xor_sender_action"),
        "{}",
        g.message
    );
    let trace = g.fbtrace_id.as_deref().expect("an fbtrace_id");
    assert!(trace.len() >= 16, "{trace}");
    assert!(err.to_string().contains(trace), "{err}");
    assert!(g.meaning.is_some());
    assert_no_secret(&err);

    // A text over the limit: the rule's message and pointer come back.
    let long = Unchecked::new(json!({
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {"text": "z".repeat(2001)},
    }));
    let err = client
        .send(&long)
        .await
        .expect_err("refused by the emulator");
    let g = graph(&err);
    assert_eq!((g.code, g.subcode), (100, None));
    assert!(g.message.starts_with("(#100) "), "{}", g.message);
    assert!(
        g.message
            .contains("[message.text.max_len at /message/text]"),
        "{}",
        g.message
    );
    assert_eq!(g.name, Some("InvalidParameter"));
    assert_no_secret(&err);

    // Nothing was accepted; a valid unchecked body is, with a raw answer.
    assert!(emu.requests().is_empty());
    let fine = Unchecked::new(json!({
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {"text": "hi"},
    }));
    let sent = client.send(&fine).await.expect("accepted");
    assert_eq!(sent.value["recipient_id"], PSID);
    assert!(sent.value["message_id"].as_str().is_some_and(is_message_id));
    assert_eq!(emu.requests().len(), 1);
}

#[tokio::test]
async fn an_unchecked_request_goes_to_the_graph_version_it_names() {
    let emu = start(config()).await;
    let client = client(&emu);
    let body = json!({
        "recipient": {"id": PSID},
        "messaging_type": "RESPONSE",
        "message": {"text": "hi"},
    });
    let team = Unchecked::new(body.clone()).graph_version("v27.0");
    client.send(&team).await.expect("accepted");
    client
        .send(&Unchecked::new(body.clone()))
        .await
        .expect("accepted");
    let paths: Vec<String> = emu.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            format!("/v27.0/{}/messages", crate::common::PAGE),
            format!("/{}/{}/messages", api::GRAPH_VERSION, crate::common::PAGE),
        ]
    );
    // A version that would bend the path is refused before anything is sent.
    for bad in ["27.0", "v27", "v27.0/../x", "v.1", ""] {
        let err = client
            .send(&Unchecked::new(body.clone()).graph_version(bad))
            .await
            .expect_err("refused");
        assert!(matches!(err, Error::Config(_)), "{bad}: {err}");
    }
    assert_eq!(emu.requests().len(), 2);
}
