//! `--enforce-window` and the clock endpoint, on a manual clock.

use std::time::Duration;

use serde_json::{Value, json};

use sendapi_emulator::ManualClock;

use crate::common::{Env, config, start, text_to};

const HOUR: u64 = 3600;

/// The snapshot's current outside-the-window answer, from its error table.
fn window_error() -> (u64, u64) {
    let spec = sendapi_spec::bundled("v26.0").unwrap();
    let named = spec.error("OutsideWindow").unwrap();
    let current = spec
        .file()
        .errors
        .iter()
        .find(|e| e.current && e.code == named.code && e.message == named.message)
        .unwrap_or(named);
    (u64::from(current.code), current.subcode.unwrap_or_default())
}

fn tagged(psid: &str, tag: &str) -> Value {
    json!({
        "recipient": {"id": psid},
        "messaging_type": "MESSAGE_TAG",
        "tag": tag,
        "message": {"text": "an agent answers"}
    })
}

impl Env {
    async fn advance(&self, seconds: u64) -> u64 {
        let reply = self
            .post_json("/__emulator/clock", &json!({"advance_seconds": seconds}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["time"].as_u64().expect("the new time")
    }
}

#[tokio::test]
async fn responses_need_a_recent_message_from_the_person() {
    let env = start(config().enforce_window(true).clock(ManualClock::new())).await;
    let (code, subcode) = window_error();
    assert_eq!((code, subcode), (10, 2018278));

    // Never wrote: refused with the snapshot's current answer.
    let reply = env.send("/v26.0/1/messages", text_to("42")).await;
    assert_eq!(reply.status, 400);
    assert_eq!((reply.code(), reply.subcode()), (code, Some(subcode)));
    assert_eq!(reply.json()["error"]["type"], "OAuthException");
    assert_eq!(
        reply.message(),
        "(#10) This message is sent outside of allowed window."
    );

    // The person writes (no webhook URL needed): accepted.
    let wrote = env
        .post_json("/__emulator/users/42/messages", &json!({"text": "hi"}))
        .await;
    assert_eq!(wrote.status, 200);
    assert_eq!(
        env.send("/v26.0/1/messages", text_to("42")).await.status,
        200
    );
    // A read does not open the window for another person.
    env.post_json("/__emulator/users/43/reads", &json!({}))
        .await;
    assert_eq!(
        env.send("/v26.0/1/messages", text_to("43")).await.code(),
        code
    );

    // 25 hours later: refused; HUMAN_AGENT still accepted.
    env.advance(25 * HOUR).await;
    let late = env.send("/v26.0/1/messages", text_to("42")).await;
    assert_eq!((late.code(), late.subcode()), (code, Some(subcode)));
    let agent = env
        .send("/v26.0/1/messages", tagged("42", "HUMAN_AGENT"))
        .await;
    assert_eq!(agent.status, 200, "{}", agent.text);
    // Eight days after the message, even HUMAN_AGENT is refused.
    env.advance(7 * 24 * HOUR).await;
    let agent = env
        .send("/v26.0/1/messages", tagged("42", "HUMAN_AGENT"))
        .await;
    assert_eq!((agent.code(), agent.subcode()), (code, Some(subcode)));

    // A postback opens it again.
    env.post_json(
        "/__emulator/users/42/postbacks",
        &json!({"title": "Go", "payload": "GO"}),
    )
    .await;
    assert_eq!(
        env.send("/v26.0/1/messages", text_to("42")).await.status,
        200
    );
    let stats = env.emu.stats();
    assert_eq!((stats.accepted, stats.refused), (3, 4));
}

#[tokio::test]
async fn without_the_flag_nothing_is_held_to_the_window() {
    let env = start(config().clock(ManualClock::new())).await;
    assert_eq!(
        env.send("/v26.0/1/messages", text_to("42")).await.status,
        200
    );
}

#[tokio::test]
async fn the_clock_endpoint_moves_the_emulators_time() {
    // The system clock too: the endpoint keeps an offset.
    let env = start(config()).await;
    let before = env.get("/__emulator/clock").await.json()["time"]
        .as_u64()
        .unwrap();
    let after = env.advance(HOUR).await;
    assert!(after >= before + HOUR * 1000, "{before} -> {after}");
    env.emu.advance_clock(Duration::from_secs(HOUR));
    assert!(env.emu.now_ms() >= after + HOUR * 1000);
    let bad = env
        .post_json("/__emulator/clock", &json!({"advance_seconds": -1}))
        .await;
    assert_eq!(bad.code(), 100);
}
