//! Delivery semantics under the emulator's injected faults: only what
//! proves the message was not delivered is retried.
//!
//! How many requests reached the emulator is read from its fault counts:
//! every request to an API route takes one count, so `count before - count
//! after` is the number of attempts the server saw, whether or not it
//! recorded them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sendapi::latest as api;
use sendapi::{Client, Delivery, Error, RateLimitMode, RetryClass};
use sendapi_emulator::{Faults, Status5xx};

use crate::common::{
    PAGE, PSID, TOKEN, assert_no_secret, builder, client, config, fast_retry, start,
};

fn text() -> api::Request<sendapi::Messenger, api::form::Id, api::kind::Message> {
    api::Request::builder()
        .to_id(PSID)
        .text("hello")
        .response()
        .build()
}

#[tokio::test]
async fn a_5xx_with_graph_code_2_is_retried_and_succeeds() {
    let emu = start(config()).await;
    let client = client(&emu); // 3 attempts
    // 500 carries Graph's transient code 2 (spec class `retry`).
    emu.set_faults(Faults::none().fail_5xx(500, 2)).unwrap();
    let sent = client
        .send(&text())
        .await
        .expect("the third attempt succeeds");
    assert_eq!(sent.attempts, 3);
    assert_eq!(sent.recipient_id(), PSID);
    // Both faults were used: the server saw three requests, and delivered
    // (recorded) exactly one.
    assert_eq!(emu.faults().status_5xx, None);
    assert_eq!(emu.requests().len(), 1);

    // A 502 with the envelope is retried the same way.
    emu.set_faults(Faults::none().status_5xx(Status5xx::new(502, 1).graph_error(true)))
        .unwrap();
    let sent = client
        .send(&text())
        .await
        .expect("the second attempt succeeds");
    assert_eq!(sent.attempts, 2);
    assert_eq!(emu.requests().len(), 2);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let emu = start(config().faults(Faults::none().fail_5xx(500, 5))).await;
    let client = builder(&emu.base_url())
        .retry(fast_retry(2))
        .build()
        .unwrap();
    let err = client.send(&text()).await.expect_err("still failing");
    let g = crate::common::graph(&err);
    assert_eq!((g.status, g.code), (500, 2));
    assert_eq!(g.name, Some("ServiceUnavailable"));
    assert_eq!(g.retry, RetryClass::Retry);
    assert!(!err.may_have_reached_user());
    assert!(err.retryable());
    assert_no_secret(&err);
    // Two attempts: 5 - 2 faults left.
    assert_eq!(emu.faults().status_5xx.map(|s| s.count), Some(3));
    assert!(emu.requests().is_empty());

    // RetryPolicy::none() makes one attempt.
    let once = builder(&emu.base_url())
        .retry(sendapi::RetryPolicy::none())
        .build()
        .unwrap();
    once.send(&text()).await.expect_err("failing");
    assert_eq!(emu.faults().status_5xx.map(|s| s.count), Some(2));
}

#[tokio::test]
async fn a_5xx_without_a_graph_error_is_not_retried() {
    let emu = start(config().faults(Faults::none().fail_5xx(503, 2))).await;
    let client = client(&emu);
    let err = client.send(&text()).await.expect_err("a proxy's 503");
    let Error::Http { status, snippet } = &err else {
        panic!("expected Error::Http, got {err:?}");
    };
    assert_eq!(*status, 503);
    assert!(snippet.contains("<html>"), "{snippet}");
    // The message may have been delivered: no retry, and the caller is told.
    assert!(err.may_have_reached_user());
    assert!(!err.retryable());
    assert!(
        err.to_string()
            .contains("the message may have reached the user"),
        "{err}"
    );
    assert_no_secret(&err);
    assert_eq!(emu.faults().status_5xx.map(|s| s.count), Some(1));
}

#[tokio::test]
async fn a_dropped_connection_after_the_body_is_not_retried() {
    let emu = start(config().faults(Faults::none().drop_connections(2))).await;
    let client = client(&emu);
    let err = client.send(&text()).await.expect_err("no answer");
    assert!(
        matches!(
            err,
            Error::Transport {
                delivery: Delivery::Unknown,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_reached_user());
    assert!(!err.retryable());
    assert_no_secret(&err);
    assert!(err.to_string().contains("connection closed"), "{err}");
    // One attempt reached the server.
    assert_eq!(emu.faults().drop_connections, 1);
}

#[tokio::test]
async fn a_timeout_after_the_body_is_not_retried() {
    // The emulator holds every request for a second; the client gives up
    // long before. A counted fault shows how many attempts arrived.
    let faults = Faults::none()
        .latency(Duration::from_secs(1))
        .malformed_bodies(3);
    let emu = start(config().faults(faults)).await;
    let client = builder(&emu.base_url())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = client.send(&text()).await.expect_err("timed out");
    assert!(
        matches!(
            err,
            Error::Transport {
                delivery: Delivery::Unknown,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_reached_user());
    assert!(!err.retryable());
    assert_no_secret(&err);
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(emu.faults().malformed_bodies, 2, "exactly one attempt");
}

/// A resolver that counts lookups and sends every name to one address: a
/// connect attempt per lookup, since a failed connection is never pooled.
struct CountingResolver {
    addr: SocketAddr,
    lookups: Arc<AtomicU32>,
}

impl reqwest::dns::Resolve for CountingResolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.lookups.fetch_add(1, Ordering::SeqCst);
        let addrs: reqwest::dns::Addrs = Box::new(std::iter::once(self.addr));
        Box::pin(async move { Ok(addrs) })
    }
}

/// An address nothing listens on: a port bound, then released.
fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test]
async fn a_connect_failure_is_retried_up_to_max_attempts_and_ends_not_sent() {
    let addr = closed_port();
    let lookups = Arc::new(AtomicU32::new(0));
    let http = reqwest::Client::builder()
        .no_proxy()
        .dns_resolver(Arc::new(CountingResolver {
            addr,
            lookups: Arc::clone(&lookups),
        }))
        .build()
        .unwrap();
    // https: a name that is not loopback may not take plain http (the
    // token would travel in clear); the connect fails before TLS anyway.
    let client = builder(&format!(
        "https://graph.sendapi-test.invalid:{}",
        addr.port()
    ))
    .http_client(http)
    .retry(fast_retry(4))
    .build()
    .unwrap();
    let err = client.send(&text()).await.expect_err("nothing listens");
    assert!(
        matches!(
            err,
            Error::Transport {
                delivery: Delivery::NotDelivered,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.may_have_reached_user());
    assert!(err.retryable());
    assert!(err.to_string().contains("nothing was sent"), "{err}");
    // The cause is named (regression: it used to be only "error sending
    // request", the same for a refused, dropped or timed-out connection).
    assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
    assert_no_secret(&err);
    assert_eq!(lookups.load(Ordering::SeqCst), 4, "one connect per attempt");

    // The client's own HTTP stack, straight to the closed port.
    let plain = builder(&format!("http://{addr}"))
        .retry(fast_retry(2))
        .build()
        .unwrap();
    let err = plain.send(&text()).await.expect_err("nothing listens");
    assert!(!err.may_have_reached_user(), "{err:?}");
    assert!(err.retryable(), "{err:?}");
    assert_no_secret(&err);
}

#[tokio::test]
async fn a_malformed_200_is_a_decode_error_and_not_retried() {
    let emu = start(config().faults(Faults::none().malformed_bodies(2))).await;
    let client = client(&emu);
    let err = client.send(&text()).await.expect_err("half a body");
    let Error::Decode { status, .. } = &err else {
        panic!("expected Error::Decode, got {err:?}");
    };
    assert_eq!(*status, 200);
    // Delivered: the emulator processed and recorded it.
    assert!(err.may_have_reached_user());
    assert!(!err.retryable());
    assert!(
        err.to_string().contains("Graph processed the request"),
        "{err}"
    );
    assert_no_secret(&err);
    assert_eq!(emu.faults().malformed_bodies, 1, "exactly one attempt");
    assert_eq!(emu.requests().len(), 1);
}

#[tokio::test]
async fn faults_posted_over_http_apply_to_the_client_too() {
    let emu = start(config()).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let set = http
        .post(format!("{}/__emulator/faults", emu.base_url()))
        .json(&serde_json::json!({"status_5xx": {"status": 500, "count": 1}}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 200);
    let client = Client::builder()
        .base_url(emu.base_url())
        .page_id(PAGE)
        .page_token(TOKEN)
        .app_secret(crate::common::SECRET)
        .retry(fast_retry(2))
        .rate_limit(RateLimitMode::Wait)
        .build()
        .unwrap();
    let sent = client.send(&text()).await.expect("retried once");
    assert_eq!(sent.attempts, 2);
}

#[tokio::test]
async fn an_http_429_without_a_graph_error_is_retried() {
    // Too Many Requests: the call was not processed.
    let calls = Arc::new(AtomicU32::new(0));
    let seen = Arc::clone(&calls);
    let capture = crate::common::Capture::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            (429, "<html>slow down</html>".to_string())
        } else {
            (200, crate::common::sent_answer())
        }
    });
    let client = builder(&capture.base_url).build().unwrap();
    let sent = client.send(&text()).await.expect("the retry succeeds");
    assert_eq!(sent.attempts, 2);
    assert_eq!(capture.requests().len(), 2);
    // Both attempts carried the same body.
    let bodies: Vec<serde_json::Value> = capture.requests().iter().map(|c| c.json()).collect();
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn a_batch_part_without_an_answer_is_not_reported_as_not_delivered() {
    // Graph answers `null` for an operation that timed out inside the batch:
    // it may or may not have been processed.
    let capture = crate::common::Capture::start(|c| {
        let mut parts: serde_json::Value =
            serde_json::from_str(&crate::common::batch_answer(c)).unwrap();
        parts[1] = serde_json::Value::Null;
        (200, parts.to_string())
    });
    let client = builder(&capture.base_url).build().unwrap();
    let results = client
        .send_batch(&[text(), text(), text()])
        .await
        .expect("the batch call");
    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    let err = results[1].as_ref().expect_err("no answer for the second");
    assert!(err.may_have_reached_user(), "{err:?}");
    assert!(!err.retryable(), "{err:?}");
    assert_no_secret(err);
    assert_eq!(capture.requests().len(), 1, "no retry");
}
