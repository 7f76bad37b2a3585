//! Rate classes per page on a manual clock.

use std::time::Duration;

use sendapi_emulator::ManualClock;

use crate::common::{audio_to, config, start, text_to};

#[tokio::test]
async fn the_eleventh_audio_send_in_a_second_gets_613() {
    let clock = ManualClock::new();
    let env = start(config().clock(clock.clone())).await;
    for i in 1..=10u64 {
        let reply = env.send("/v26.0/1234/messages", audio_to("5551")).await;
        assert_eq!(reply.status, 200, "send {i}: {}", reply.text);
        // 10 per second: each send is 10 % of the class.
        assert_eq!(reply.page_call_count("1234"), i * 10);
    }
    let reply = env.send("/v26.0/1234/messages", audio_to("5551")).await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.code(), 613);
    assert_eq!(
        reply.message(),
        "(#613) Calls to this api have exceeded the rate limit."
    );
    let buc = reply.header_json("x-business-use-case-usage");
    assert_eq!(buc["1234"][0]["call_count"], 100);
    assert!(
        buc["1234"][0]["estimated_time_to_regain_access"]
            .as_u64()
            .is_some_and(|m| m > 0),
        "{buc}"
    );
    assert_eq!(env.emu.requests().len(), 10);

    // Text is another class; another page has its own window.
    assert_eq!(
        env.send("/v26.0/1234/messages", text_to("5551"))
            .await
            .status,
        200
    );
    assert_eq!(
        env.send("/v26.0/999/messages", audio_to("5551"))
            .await
            .status,
        200
    );

    // Half a second later the window still holds all ten.
    clock.advance(Duration::from_millis(500));
    assert_eq!(
        env.send("/v26.0/1234/messages", audio_to("5551"))
            .await
            .code(),
        613
    );
    // A full second after them, they have left it.
    clock.advance(Duration::from_millis(500));
    let reply = env.send("/v26.0/1234/messages", audio_to("5551")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.page_call_count("1234"), 10);
}

#[tokio::test]
async fn refused_requests_do_not_count() {
    let clock = ManualClock::new();
    let env = start(config().clock(clock)).await;
    let mut invalid = audio_to("5551");
    invalid["sender_action"] = serde_json::json!("typing_on");
    for _ in 0..15 {
        assert_eq!(
            env.send("/v26.0/1234/messages", invalid.clone())
                .await
                .code(),
            100
        );
    }
    let reply = env.send("/v26.0/1234/messages", audio_to("5551")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.page_call_count("1234"), 10);
}

#[tokio::test]
async fn rate_limits_can_be_switched_off() {
    let env = start(config().clock(ManualClock::new()).rate_limits(false)).await;
    for _ in 0..15 {
        let reply = env.send("/v26.0/1234/messages", audio_to("5551")).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.page_call_count("1234"), 0);
    }
}
