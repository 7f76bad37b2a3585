//! Rate classes end to end: the emulator's code 613 (its clock held still
//! by a `ManualClock`) and the client's own limit in `Fail` mode. The
//! limiter's timing is unit-tested with `tokio::time::pause` in
//! `runtime/src/client/limiter.rs`.

use std::time::Duration;

use sendapi::latest as api;
use sendapi::{Error, RateLimitMode, RetryClass};
use sendapi_emulator::ManualClock;

use crate::common::{PAGE, PSID, assert_no_secret, builder, config, graph, start};

fn audio() -> api::Request<sendapi::Messenger, api::form::Id, api::kind::Message> {
    let media = api::MediaPayload::url("https://cdn.example.org/voice.mp3");
    api::Request::builder()
        .to_id(PSID)
        .message(api::Message::attachment(api::Attachment::audio(media)))
        .response()
        .build()
}

#[tokio::test]
async fn the_emulators_613_is_a_graph_error_of_class_retry() {
    let clock = ManualClock::new();
    let emu = start(config().clock(clock.clone())).await;
    // No client-side limit, and no retry: the 613 itself is the subject.
    let client = builder(&emu.base_url())
        .retry(sendapi::RetryPolicy::none())
        .build()
        .unwrap();
    let class = audio().rate_class();
    assert_eq!(
        (class.name, class.limit, class.per_seconds),
        ("audio_video", 10, 1)
    );
    for _ in 0..10 {
        client.send(&audio()).await.expect("inside the class");
    }
    let err = client.send(&audio()).await.expect_err("over the class");
    let g = graph(&err);
    assert_eq!((g.status, g.code), (400, 613));
    assert_eq!(g.retry, RetryClass::Retry);
    assert!(g.message.contains("rate limit"), "{}", g.message);
    assert!(!err.may_have_reached_user());
    assert!(err.retryable());
    assert_no_secret(&err);
    // The usage headers say the page is at 100% and when to come back.
    assert_eq!(g.usage.highest(), 100);
    assert!(g.usage.regain_access_minutes().is_some_and(|m| m >= 1));
    assert!(g.usage.business.contains_key(PAGE), "{:?}", g.usage);
    // Texts have their own class.
    let text = api::Request::builder()
        .to_id(PSID)
        .text("still fine")
        .response()
        .build();
    client.send(&text).await.expect("another class");
    assert_eq!(emu.requests().len(), 11);

    // With retries (delays of a few ms), the client retries a 613, which
    // the emulator keeps answering while its clock stands still.
    let retrying = builder(&emu.base_url()).build().unwrap();
    let err = retrying.send(&audio()).await.expect_err("still over");
    assert_eq!(graph(&err).code, 613);
    assert_eq!(emu.requests().len(), 11);

    // Once the window has passed, the class has room again.
    clock.advance(Duration::from_secs(1));
    let sent = client.send(&audio()).await.expect("a new window");
    assert_eq!(sent.recipient_id(), PSID);
}

#[tokio::test]
async fn the_client_side_limit_fails_fast_in_fail_mode() {
    let emu = start(config()).await;
    let client = builder(&emu.base_url())
        .rate_limit(RateLimitMode::Fail)
        .build()
        .unwrap();
    // Ten sends take milliseconds, far inside the one-second window; the
    // class allows 10, less the default 5% headroom: 9.
    for _ in 0..9 {
        client.send(&audio()).await.expect("inside the class");
    }
    let err = client.send(&audio()).await.expect_err("over the class");
    let Error::RateLimited {
        class,
        limit,
        per_seconds,
        retry_after,
    } = &err
    else {
        panic!("expected Error::RateLimited, got {err:?}");
    };
    assert_eq!((*class, *limit, *per_seconds), ("audio_video", 10, 1));
    assert!(*retry_after <= Duration::from_secs(1));
    assert!(!err.may_have_reached_user());
    assert!(err.retryable());
    assert_no_secret(&err);
    // The tenth never left.
    assert_eq!(emu.requests().len(), 9);
    // The standard class is counted apart from audio_video.
    let text = api::Request::builder()
        .to_id(PSID)
        .text("texts are another class")
        .response()
        .build();
    client
        .send(&text)
        .await
        .expect("the standard class has room");
    assert_eq!(emu.requests().len(), 10);
}

#[tokio::test]
async fn a_permit_is_the_first_attempts_call_and_is_not_taken_twice() {
    let emu = start(config()).await;
    let client = builder(&emu.base_url())
        .rate_limit(RateLimitMode::Fail)
        .build()
        .unwrap();
    // Nine audio calls fit (10 less 5%): nine permits, nine sends. Had a
    // send taken a second call, the fifth permit would be refused.
    for _ in 0..9 {
        let permit = client.permit(&audio()).await.expect("a call of the class");
        assert_eq!(permit.class(), "audio_video");
        client
            .send_with_permit(&audio(), permit)
            .await
            .expect("sent on its permit");
    }
    let err = client
        .permit(&audio())
        .await
        .expect_err("the class is used up");
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(emu.requests().len(), 9);
    // A permit of another class does not pay for audio: the send asks
    // the budget for audio itself, which is full.
    let text = api::Request::builder()
        .to_id(PSID)
        .text("hi")
        .response()
        .build();
    let permit = client.permit(&text).await.expect("standard has room");
    let err = client
        .send_with_permit(&audio(), permit)
        .await
        .expect_err("audio is still used up");
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
    assert_eq!(emu.requests().len(), 9);
}

#[tokio::test]
async fn clients_holding_one_local_budget_share_its_count() {
    let emu = start(config()).await;
    let budget = std::sync::Arc::new(sendapi::LocalBudget::with_headroom(0.0).unwrap());
    let a = builder(&emu.base_url())
        .rate_limit(RateLimitMode::Fail)
        .rate_budget(budget.clone())
        .build()
        .unwrap();
    let b = builder(&emu.base_url())
        .rate_limit(RateLimitMode::Fail)
        .rate_budget(budget)
        .build()
        .unwrap();
    for _ in 0..5 {
        a.send(&audio()).await.expect("inside the class");
        b.send(&audio()).await.expect("inside the class");
    }
    // No headroom: ten in all, and neither client has an eleventh.
    assert!(a.send(&audio()).await.is_err());
    assert!(b.send(&audio()).await.is_err());
    assert_eq!(emu.stats().rate_limited, 0);
    assert_eq!(emu.requests().len(), 10);
}
