//! The shared rate budget against a real `redis-server` on a free loopback
//! port: the Lua script's behaviour on its own (burst, steady rate, two
//! classes, two pages, headroom, prefixes), what happens when Redis is
//! gone or restarts, credentials, and a client sending through it to the
//! emulator with the emulator's rate classes on.

use std::time::Duration;

use sendapi::latest as api;
use sendapi::{Client, Error, RateBudget, RateClass, RateLimitMode, RedisBudget, Take};
use sendapi_emulator::{Emulator, EmulatorConfig};
use sendapi_tests::redis::RedisServer;

const PAGE: &str = "1234567890";
const TOKEN: &str = "EAAB-redis-test-token-41c7";

fn audio_request(
    psid: &str,
) -> api::Request<sendapi::Messenger, api::form::Id, api::kind::Message> {
    let media = api::MediaPayload::url("https://cdn.example.org/voice.mp3");
    api::Request::builder()
        .to_id(psid)
        .message(api::Message::attachment(api::Attachment::audio(media)))
        .update()
        .build()
}

fn audio() -> &'static RateClass {
    audio_request("1").rate_class()
}

fn standard() -> &'static RateClass {
    api::Request::builder()
        .to_id("1")
        .text("hi")
        .update()
        .build()
        .rate_class()
}

async fn budget(server: &RedisServer) -> RedisBudget {
    RedisBudget::builder(server.url())
        .connect()
        .await
        .expect("the budget connects")
}

/// Takes `n` calls at once, each allowed to wait up to 10 s, and returns
/// the waits in order.
async fn reserve(
    b: &RedisBudget,
    page: &str,
    class: &'static RateClass,
    n: usize,
) -> Vec<Duration> {
    let mut waits = Vec::new();
    for _ in 0..n {
        match b.take(page, class, Duration::from_secs(10)).await.unwrap() {
            Take::Granted { wait } => waits.push(wait),
            other => panic!("a slot within 10 s, got {other:?}"),
        }
    }
    waits
}

/// `waits` are slots `interval` apart from the first, give or take the
/// time the calls themselves took.
fn assert_spaced(waits: &[Duration], interval: Duration) {
    let slack = Duration::from_millis(25);
    for (k, w) in waits.iter().enumerate() {
        let slot = interval * u32::try_from(k).unwrap();
        assert!(
            *w <= slot && slot - *w < slack,
            "call {k}: wait {w:?}, its slot is {slot:?} after the first (all: {waits:?})"
        );
    }
}

#[tokio::test]
async fn a_burst_gets_evenly_spaced_slots_with_the_headroom() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let b = budget(&server).await;
    // audio_video is 10 per second; less 5% is 9.5, one every 105.264 ms.
    let waits = reserve(&b, PAGE, audio(), 12).await;
    assert_spaced(&waits, Duration::from_micros(105_264));
    // Without headroom, one every 100 ms.
    let full = RedisBudget::builder(server.url())
        .headroom(0.0)
        .prefix("full")
        .connect()
        .await
        .unwrap();
    let waits = reserve(&full, PAGE, audio(), 12).await;
    assert_spaced(&waits, Duration::from_millis(100));
}

#[tokio::test]
async fn with_no_wait_allowed_only_a_free_slot_is_granted() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let b = budget(&server).await;
    let first = b.take(PAGE, audio(), Duration::ZERO).await.unwrap();
    assert_eq!(
        first,
        Take::Granted {
            wait: Duration::ZERO
        }
    );
    // The next slot is ~105 ms away: refused, and told when to come back.
    let Take::Full { retry_after } = b.take(PAGE, audio(), Duration::ZERO).await.unwrap() else {
        panic!("the next slot is not free yet");
    };
    assert!(
        retry_after > Duration::from_millis(50) && retry_after <= Duration::from_micros(105_264),
        "{retry_after:?}"
    );
    // A refusal reserves nothing: after it, the slot is granted.
    tokio::time::sleep(retry_after).await;
    let again = b.take(PAGE, audio(), Duration::ZERO).await.unwrap();
    assert!(matches!(again, Take::Granted { .. }), "{again:?}");
}

#[tokio::test]
async fn a_steady_rate_is_held_over_several_windows() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let b = budget(&server).await;
    // 40 audio slots reserved one after another span 39 intervals: the
    // rate over four windows is the budget's 9.5/s, not a burst of 10
    // each second.
    let waits = reserve(&b, PAGE, audio(), 40).await;
    assert_spaced(&waits, Duration::from_micros(105_264));
    let span = waits[39] - waits[0];
    assert!(span > Duration::from_millis(4_000), "{span:?}");
}

#[tokio::test]
async fn classes_and_pages_have_their_own_budgets() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let b = budget(&server).await;
    reserve(&b, PAGE, audio(), 10).await;
    // The standard class of the same page is untouched...
    let text = b.take(PAGE, standard(), Duration::ZERO).await.unwrap();
    assert_eq!(
        text,
        Take::Granted {
            wait: Duration::ZERO
        }
    );
    // ...and so is audio for another page.
    let other = b.take("555", audio(), Duration::ZERO).await.unwrap();
    assert_eq!(
        other,
        Take::Granted {
            wait: Duration::ZERO
        }
    );
    // The standard class spaces calls 300 less 5% a second: 3.509 ms.
    let waits = reserve(&b, "777", standard(), 20).await;
    assert_spaced(&waits, Duration::from_micros(3_509));
    // The keys name prefix, page and class, and expire once idle.
    let ttl = server.command(&format!("PTTL sendapi:rate:{PAGE}:audio_video"));
    let ttl: i64 = ttl.trim_start_matches(':').trim().parse().expect("a TTL");
    assert!(ttl > 0, "the key expires: {ttl}");
}

#[tokio::test]
async fn processes_with_the_same_prefix_share_one_budget() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    // Two connections stand for two processes.
    let a = budget(&server).await;
    let b = budget(&server).await;
    let other = RedisBudget::builder(server.url())
        .prefix("another-bot")
        .connect()
        .await
        .unwrap();
    assert_eq!(
        a.take(PAGE, audio(), Duration::ZERO).await.unwrap(),
        Take::Granted {
            wait: Duration::ZERO
        }
    );
    assert!(matches!(
        b.take(PAGE, audio(), Duration::ZERO).await.unwrap(),
        Take::Full { .. }
    ));
    assert_eq!(
        other.take(PAGE, audio(), Duration::ZERO).await.unwrap(),
        Take::Granted {
            wait: Duration::ZERO
        }
    );
}

#[tokio::test]
async fn an_unreachable_redis_is_an_error_never_unlimited() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let b = budget(&server).await;
    server.stop();
    let err = b
        .take(PAGE, audio(), Duration::ZERO)
        .await
        .expect_err("Redis is down");
    assert!(matches!(err, Error::RateBudget { .. }), "{err:?}");
    assert!(!err.may_have_reached_user());
    assert!(err.retryable());
    let text = err.to_string();
    assert!(text.contains("nothing was sent"), "{text}");
    assert!(
        text.contains(&format!("127.0.0.1:{}", server.port())),
        "{text}"
    );
    // Connecting to it fails the same way, before anything is sent.
    let err = RedisBudget::builder(server.url())
        .connect()
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::RateBudget { .. }), "{err:?}");

    // A restarted Redis has forgotten the script: it is loaded again.
    server.restart();
    let mut answer = Err(err);
    for _ in 0..50 {
        answer = b.take(PAGE, audio(), Duration::ZERO).await;
        if answer.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        answer.expect("the budget reconnects"),
        Take::Granted {
            wait: Duration::ZERO
        }
    );
}

#[tokio::test]
async fn credentials_are_used_and_never_shown() {
    let Some(server) = RedisServer::start_with_password(Some("pw-9f2e71")) else {
        return;
    };
    let b = budget(&server).await;
    assert!(!format!("{b:?}").contains("pw-9f2e71"), "{b:?}");
    b.take(PAGE, audio(), Duration::ZERO).await.unwrap();
    let wrong = format!("redis://:wrong-4c1d@127.0.0.1:{}/0", server.port());
    let err = RedisBudget::builder(wrong)
        .connect()
        .await
        .expect_err("a wrong password");
    let text = err.to_string();
    assert!(matches!(err, Error::RateBudget { .. }), "{err:?}");
    assert!(
        !text.contains("wrong-4c1d") && !format!("{err:?}").contains("wrong-4c1d"),
        "{text}"
    );
    let none = format!("redis://127.0.0.1:{}/0", server.port());
    assert!(RedisBudget::builder(none).connect().await.is_err());
}

#[tokio::test]
async fn clients_sharing_redis_never_cross_the_emulators_limit() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let emu = Emulator::start(
        EmulatorConfig::new().token(TOKEN).rate_limits(true),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("the emulator starts");
    // Three clients, each with its own connection, as three processes.
    let mut clients = Vec::new();
    for _ in 0..3 {
        clients.push(
            Client::builder()
                .page_id(PAGE)
                .page_token(TOKEN)
                .base_url(emu.base_url())
                .retry(sendapi::RetryPolicy::none())
                .rate_budget(budget(&server).await)
                .build()
                .unwrap(),
        );
    }
    // 3 × 8 audio sends (10 a second at most) at once: ~2.5 s.
    let mut tasks = tokio::task::JoinSet::new();
    for (c, client) in clients.into_iter().enumerate() {
        for i in 0..8 {
            let client = client.clone();
            tasks.spawn(async move { client.send(&audio_request(&format!("{c}{i:03}"))).await });
        }
    }
    while let Some(sent) = tasks.join_next().await {
        sent.unwrap().expect("sent without a 613");
    }
    let stats = emu.stats();
    assert_eq!((stats.accepted, stats.rate_limited), (24, 0), "{stats:?}");

    // With Redis gone, a client refuses to send at all.
    let client = Client::builder()
        .page_id(PAGE)
        .page_token(TOKEN)
        .base_url(emu.base_url())
        .rate_budget(budget(&server).await)
        .build()
        .unwrap();
    drop(server);
    let err = client
        .send(&audio_request("9"))
        .await
        .expect_err("no budget");
    assert!(matches!(err, Error::RateBudget { .. }), "{err:?}");
    assert!(!err.to_string().contains(TOKEN));
    assert_eq!(
        emu.stats().requests,
        24,
        "nothing else reached the emulator"
    );
}

#[tokio::test]
async fn fail_mode_over_redis_refuses_a_call_whose_slot_is_not_free() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let emu = Emulator::start(
        EmulatorConfig::new().token(TOKEN),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .page_id(PAGE)
        .page_token(TOKEN)
        .base_url(emu.base_url())
        .rate_limit(RateLimitMode::Fail)
        .rate_budget(budget(&server).await)
        .build()
        .unwrap();
    client
        .send(&audio_request("1"))
        .await
        .expect("the first slot");
    let err = client
        .send(&audio_request("2"))
        .await
        .expect_err("the next slot is ~105 ms away");
    let Error::RateLimited {
        class, retry_after, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*class, "audio_video");
    assert!(
        *retry_after <= Duration::from_micros(105_264),
        "{retry_after:?}"
    );
    assert_eq!(emu.stats().requests, 1);
}
