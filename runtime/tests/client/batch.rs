//! Graph batch sends: local refusals per item, splitting into calls of at
//! most 50, the proof per item, and results that survive a failing call.

use sendapi::latest as api;
use sendapi::{Error, RateLimitMode};
use serde_json::{Value, json};

use crate::common::{
    Capture, PAGE, PSID, TOKEN, assert_no_secret, batch_answer, builder, client, config,
    is_message_id, proof, start,
};

type Text = api::Request<sendapi::Messenger, api::form::Id, api::kind::Message>;

fn text_to(psid: &str, text: impl Into<String>) -> Text {
    api::Request::builder()
        .to_id(psid)
        .text(text)
        .response()
        .build()
}

fn psid(i: usize) -> String {
    format!("{}", 7_000_000_000_000_000u64 + i as u64)
}

#[tokio::test]
async fn three_items_one_refused_locally() {
    let emu = start(config()).await;
    let client = client(&emu);
    let requests = [
        text_to("1001", "first"),
        text_to("1002", "w".repeat(2001)),
        text_to("1003", "third"),
    ];
    let results = client.send_batch(&requests).await.expect("the batch call");
    assert_eq!(results.len(), 3);
    let first = results[0].as_ref().expect("sent");
    assert_eq!(first.recipient_id(), "1001");
    assert!(is_message_id(first.message_id()));
    let Err(Error::Invalid(invalid)) = &results[1] else {
        panic!("expected a local refusal, got {:?}", results[1]);
    };
    assert_eq!(invalid.rule_ids(), ["message.text.max_len"]);
    assert_no_secret(results[1].as_ref().unwrap_err());
    assert_eq!(results[2].as_ref().expect("sent").recipient_id(), "1003");

    let recorded = emu.requests();
    assert_eq!(recorded.len(), 2);
    for (r, (psid, text)) in recorded.iter().zip([("1001", "first"), ("1003", "third")]) {
        assert!(r.batch);
        assert_eq!(r.path, format!("/{PAGE}/messages"));
        assert_eq!(r.page_id, PAGE);
        assert_eq!(
            r.body,
            json!({"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": text}})
        );
    }
}

#[tokio::test]
async fn one_hundred_twenty_items_against_the_emulator() {
    let emu = start(config()).await;
    let client = client(&emu);
    let requests: Vec<Text> = (0..120)
        .map(|i| text_to(&psid(i), format!("n{i}")))
        .collect();
    let results = client.send_batch(&requests).await.expect("the batch calls");
    assert_eq!(results.len(), 120);
    for (i, r) in results.iter().enumerate() {
        let sent = r.as_ref().unwrap_or_else(|e| panic!("item {i}: {e}"));
        // In order: item i answers for its own recipient.
        assert_eq!(sent.recipient_id(), psid(i));
        assert!(is_message_id(sent.message_id()));
        assert_eq!(sent.attempts, 1);
        assert!(sent.usage.business.contains_key(PAGE), "{:?}", sent.usage);
    }
    let recorded = emu.requests();
    assert_eq!(recorded.len(), 120);
    assert!(recorded.iter().all(|r| r.batch));
    let texts: Vec<Value> = recorded
        .iter()
        .map(|r| r.body["message"]["text"].clone())
        .collect();
    let expected: Vec<Value> = (0..120).map(|i| json!(format!("n{i}"))).collect();
    assert_eq!(texts, expected);
}

/// The operations of a captured batch call, each body form-decoded.
fn operations(body: &Value) -> Vec<(String, Vec<(String, String)>)> {
    body["batch"]
        .as_array()
        .expect("a batch array")
        .iter()
        .map(|op| {
            assert_eq!(op["method"], "POST");
            let url = op["relative_url"]
                .as_str()
                .expect("a relative_url")
                .to_string();
            let form = op["body"].as_str().expect("a form body");
            let pairs = form_urlencoded::parse(form.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            (url, pairs)
        })
        .collect()
}

#[tokio::test]
async fn one_hundred_twenty_items_are_three_calls_with_a_proof_per_item() {
    let capture = Capture::start(|c| (200, batch_answer(c)));
    let client = builder(&capture.base_url).build().unwrap();
    let requests: Vec<Text> = (0..120)
        .map(|i| text_to(&psid(i), format!("n{i}")))
        .collect();
    let results = client.send_batch(&requests).await.expect("the batch calls");
    assert!(results.iter().all(Result::is_ok));
    // Parts are matched to items call by call.
    assert_eq!(results[49].as_ref().unwrap().message_id(), "m_49");
    assert_eq!(results[50].as_ref().unwrap().message_id(), "m_0");
    assert_eq!(results[119].as_ref().unwrap().message_id(), "m_19");

    let calls = capture.requests();
    let sizes: Vec<usize> = calls
        .iter()
        .map(|c| c.json()["batch"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [50, 50, 20]);
    let mut n = 0;
    for call in &calls {
        assert_eq!(call.request_line, "POST /v26.0/ HTTP/1.1");
        assert_eq!(call.header("content-type"), Some("application/json"));
        let body = call.json();
        assert_eq!(body["access_token"], TOKEN);
        assert_eq!(body["appsecret_proof"], proof());
        for (url, pairs) in operations(&body) {
            assert_eq!(url, format!("{PAGE}/messages"));
            let get = |k: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.as_str())
            };
            assert_eq!(get("appsecret_proof"), Some(proof().as_str()));
            // No token per item: the batch's own serves every operation.
            assert_eq!(get("access_token"), None);
            // Values that are not strings travel as JSON texts.
            let recipient: Value = serde_json::from_str(get("recipient").unwrap()).unwrap();
            assert_eq!(recipient, json!({"id": psid(n)}));
            assert_eq!(get("messaging_type"), Some("RESPONSE"));
            let message: Value = serde_json::from_str(get("message").unwrap()).unwrap();
            assert_eq!(message, json!({"text": format!("n{n}")}));
            n += 1;
        }
    }
    assert_eq!(n, 120);
}

#[tokio::test]
async fn the_emulator_requires_the_proof_of_each_item() {
    let emu = start(config()).await;
    let client = client(&emu);
    let results = client
        .send_batch(&[text_to(PSID, "a"), text_to(PSID, "b")])
        .await
        .expect("the batch call");
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    // A client with the wrong secret: every item is refused with 100.
    let wrong = builder(&emu.base_url())
        .app_secret("not-the-secret")
        .build()
        .unwrap();
    let results = wrong
        .send_batch(&[text_to(PSID, "a"), text_to(PSID, "b")])
        .await
        .expect("the batch call itself is answered");
    for r in &results {
        let err = r.as_ref().expect_err("refused");
        let g = crate::common::graph(err);
        assert_eq!(g.code, 100);
        assert!(g.message.contains("appsecret_proof"), "{}", g.message);
        assert_no_secret(err);
    }
    assert_eq!(emu.requests().len(), 2);
}

/// Regression: a batch call that failed after an earlier one was answered
/// used to turn the whole `send_batch` into an `Err`, hiding the results of
/// the items that had been delivered.
#[tokio::test]
async fn a_failing_later_call_keeps_the_results_of_the_delivered_items() {
    // The second call (50 texts of 2000 characters) is over the emulator's
    // body limit; the first (short texts) and the third are not.
    let emu = start(config().max_body_bytes(40 * 1024)).await;
    let client = client(&emu);
    let mut requests: Vec<Text> = (0..50).map(|i| text_to(&psid(i), "short")).collect();
    requests.extend((50..100).map(|i| text_to(&psid(i), "L".repeat(2000))));
    requests.extend((100..120).map(|i| text_to(&psid(i), "short")));
    let results = client
        .send_batch(&requests)
        .await
        .expect("the first call was answered, so the results come back");
    assert_eq!(results.len(), 120);
    for (i, r) in results.iter().enumerate() {
        match i {
            50..100 => {
                let err = r.as_ref().expect_err("the second call failed");
                assert!(!matches!(err, Error::Invalid(_)), "{err:?}");
                assert_no_secret(err);
            }
            _ => assert_eq!(r.as_ref().expect("delivered").recipient_id(), psid(i)),
        }
    }
    assert_eq!(emu.requests().len(), 70);
}

/// Regression: in `RateLimitMode::Fail`, an item over its rate class used
/// to fail the whole `send_batch`, hiding the results of the items that had
/// already been delivered by an earlier call and dropping the rest.
#[tokio::test]
async fn fail_mode_refuses_only_the_items_over_their_class() {
    let emu = start(config()).await;
    let client = builder(&emu.base_url())
        .rate_limit(RateLimitMode::Fail)
        .build()
        .unwrap();
    let audio = |psid: &str| {
        api::Request::builder()
            .to_id(psid)
            .message(api::Message::attachment(api::Attachment::audio(
                api::MediaPayload::url("https://cdn.example.org/voice.mp3"),
            )))
            .response()
            .build()
    };
    // 55 texts, then 12 audio sends: the audio class allows 10 per second,
    // 9 with the default 5% headroom.
    let mut requests: Vec<Text> = (0..55).map(|i| text_to(&psid(i), "t")).collect();
    requests.extend((55..67).map(|i| audio(&psid(i))));
    let results = client
        .send_batch(&requests)
        .await
        .expect("results per item");
    assert_eq!(results.len(), 67);
    for (i, r) in results.iter().enumerate() {
        if i < 64 {
            assert_eq!(r.as_ref().expect("sent").recipient_id(), psid(i));
        } else {
            let err = r.as_ref().expect_err("over the audio class");
            assert!(
                matches!(
                    err,
                    Error::RateLimited {
                        class: "audio_video",
                        ..
                    }
                ),
                "{err:?}"
            );
            assert!(!err.may_have_reached_user());
            assert!(err.retryable());
        }
    }
    assert_eq!(emu.requests().len(), 64);
}
