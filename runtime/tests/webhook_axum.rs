//! `webhook::Receiver` over real HTTP on 127.0.0.1: the handshake, signed
//! and refused notifications, the body limit, and the 200 answered before
//! the handler finishes. Ordering is proven with channels, never timing.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sendapi::AppSecret;
use sendapi::webhook::{Receiver, sign};
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

const SECRET: &str = "app-secret-1";
const TOKEN: &str = "my-verify-token";
const ESCAPED: &[u8] = include_bytes!("webhook/fixtures/escaped.json");
/// openssl dgst -sha256 -hmac app-secret-1 < webhook/fixtures/escaped.json
const ESCAPED_SIGNATURE: &str =
    "sha256=ed27d5d71bff5608c1053ba109ca985c22d295049a550ac3262e75be38a3946c";

/// Serves `app` on a free loopback port; the base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A receiver on `/hook` whose handler forwards each notification.
async fn forwarding(limit: Option<usize>) -> (String, mpsc::UnboundedReceiver<Value>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut receiver = Receiver::new(SECRET, TOKEN).path("hook");
    if let Some(limit) = limit {
        receiver = receiver.body_limit(limit);
    }
    let app = receiver.router(move |n: Value| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(n);
        }
    });
    (serve(app).await, rx)
}

async fn post(base: &str, headers: &[(&str, &str)], body: Vec<u8>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/hook"))
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn signed(body: &[u8]) -> String {
    sign(&AppSecret::new(SECRET), body)
}

#[tokio::test]
async fn handshake_echoes_the_challenge_or_answers_403() {
    let (base, _rx) = forwarding(None).await;
    let get = |query: String| {
        let url = format!("{base}/hook?{query}");
        async move { reqwest::get(url).await.unwrap() }
    };
    let ok = get(format!(
        "hub.mode=subscribe&hub.verify_token={TOKEN}&hub.challenge=CHALLENGE_ACCEPTED"
    ))
    .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.bytes().await.unwrap().as_ref(), b"CHALLENGE_ACCEPTED");

    let numeric = get(format!(
        "hub.mode=subscribe&hub.verify_token={TOKEN}&hub.challenge=0001158201444"
    ))
    .await;
    assert_eq!(numeric.status(), 200);
    assert_eq!(numeric.bytes().await.unwrap().as_ref(), b"0001158201444");

    let wrong_token = get("hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1".into()).await;
    assert_eq!(wrong_token.status(), 403);
    assert!(wrong_token.bytes().await.unwrap().is_empty());
    let wrong_mode = get(format!(
        "hub.mode=unsubscribe&hub.verify_token={TOKEN}&hub.challenge=1"
    ))
    .await;
    assert_eq!(wrong_mode.status(), 403);
    let no_query = reqwest::get(format!("{base}/hook")).await.unwrap();
    assert_eq!(no_query.status(), 403);
}

#[tokio::test]
async fn signed_notification_is_answered_and_handled() {
    let (base, mut rx) = forwarding(None).await;
    let answer = post(
        &base,
        &[
            ("X-Hub-Signature-256", ESCAPED_SIGNATURE),
            // Meta's SHA-1 header beside it changes nothing.
            ("X-Hub-Signature", "sha1=0000"),
        ],
        ESCAPED.to_vec(),
    )
    .await;
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), "EVENT_RECEIVED");
    let n = rx.recv().await.unwrap();
    let message = &n["entry"][0]["messaging"][0]["message"];
    assert_eq!(message["mid"], "m_escaped_1");
    assert!(
        message["text"]
            .as_str()
            .unwrap()
            .starts_with("caf\u{e9} \u{1F600}")
    );
}

#[tokio::test]
async fn refused_signatures_get_403_and_never_reach_the_handler() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let counter = calls.clone();
    let app = Receiver::new(SECRET, TOKEN)
        .path("/hook")
        .router(move |n: Value| {
            counter.fetch_add(1, Ordering::SeqCst);
            let tx = tx.clone();
            async move {
                let _ = tx.send(n);
            }
        });
    let base = serve(app).await;

    // Valid JSON throughout, so that only the signature can refuse it.
    let bad = br#"{"object":"page","entry":[{"id":"BAD","time":1,"messaging":[]}]}"#.to_vec();
    let wrong = signed(b"another body");
    let sha1_only = "sha1=7decf3d3f1146c6903539e0e7b06684b0fb0b85a";
    let cases: [&[(&str, &str)]; 5] = [
        &[("X-Hub-Signature-256", &wrong)],
        &[],
        &[("X-Hub-Signature", sha1_only)],
        &[("X-Hub-Signature-256", "sha1=00")],
        &[("X-Hub-Signature-256", "sha256=abc")],
    ];
    for headers in cases {
        let answer = post(&base, headers, bad.clone()).await;
        assert_eq!(answer.status(), 403, "{headers:?}");
    }
    // The signature of the body with one byte changed.
    let mut tampered = bad.clone();
    tampered[30] = b'X';
    assert_eq!(
        post(&base, &[("X-Hub-Signature-256", &signed(&bad))], tampered)
            .await
            .status(),
        403
    );

    // The first notification the handler ever sees is the good one.
    let good = br#"{"object":"page","entry":[{"id":"GOOD","time":2,"messaging":[]}]}"#.to_vec();
    let answer = post(&base, &[("X-Hub-Signature-256", &signed(&good))], good).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(rx.recv().await.unwrap()["entry"][0]["id"], "GOOD");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_verified_body_that_does_not_decode_is_a_400() {
    #[derive(serde::Deserialize)]
    struct Typed {
        #[allow(dead_code, reason = "only decoding is tested")]
        entry: Vec<Value>,
    }
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = Receiver::new(SECRET, TOKEN)
        .path("/hook")
        .router(move |_: Typed| {
            counter.fetch_add(1, Ordering::SeqCst);
            async {}
        });
    let base = serve(app).await;
    let body = br#"{"object":"page","entry":"not a list"}"#.to_vec();
    let answer = post(&base, &[("X-Hub-Signature-256", &signed(&body))], body).await;
    assert_eq!(answer.status(), 400);
    // Unsigned and undecodable: the signature is checked first.
    let answer = post(&base, &[], b"not json".to_vec()).await;
    assert_eq!(answer.status(), 403);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_accepted() {
    let (base, mut rx) = forwarding(None).await;
    // 200,000 hair spaces, each escaped as six ASCII bytes, as Meta sends.
    let text = "\\u200a".repeat(200_000);
    let body = format!(
        r#"{{"object":"page","entry":[{{"id":"1","time":1,"messaging":[{{"sender":{{"id":"2"}},"recipient":{{"id":"1"}},"timestamp":1,"message":{{"mid":"m_big","text":"{text}"}}}}]}}]}}"#
    )
    .into_bytes();
    assert!(body.len() > 1024 * 1024);
    let answer = post(&base, &[("X-Hub-Signature-256", &signed(&body))], body).await;
    assert_eq!(answer.status(), 200);
    let n = rx.recv().await.unwrap();
    let got = n["entry"][0]["messaging"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert_eq!(got.chars().count(), 200_000);
    assert!(got.chars().all(|c| c == '\u{200a}'));
}

#[tokio::test]
async fn a_body_over_the_configured_limit_is_a_413() {
    let (base, _rx) = forwarding(Some(64)).await;
    let body = vec![b' '; 65];
    let answer = post(&base, &[("X-Hub-Signature-256", &signed(&body))], body).await;
    assert_eq!(answer.status(), 413);
}

#[tokio::test]
async fn the_200_comes_before_a_slow_handler_finishes() {
    let release = Arc::new(Notify::new());
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let gate = release.clone();
    let app = Receiver::new(SECRET, TOKEN)
        .path("/hook")
        .router(move |n: Value| {
            let (gate, done) = (gate.clone(), done_tx.clone());
            async move {
                // Blocked until the test has its 200.
                gate.notified().await;
                let _ = done.send(n);
                Ok::<(), std::io::Error>(())
            }
        });
    let base = serve(app).await;
    let body = json!({ "object": "page", "entry": [] })
        .to_string()
        .into_bytes();
    let answer = post(&base, &[("X-Hub-Signature-256", &signed(&body))], body).await;
    assert_eq!(answer.status(), 200);
    // The handler cannot have finished: nothing has released it.
    assert!(done_rx.try_recv().is_err());
    release.notify_one();
    assert_eq!(done_rx.recv().await.unwrap()["object"], "page");
}

#[tokio::test]
async fn the_router_merges_into_an_application_with_state() {
    #[derive(Clone)]
    struct AppState;
    let hook = Receiver::new(SECRET, TOKEN).router::<Value, AppState, _, _>(|_| async {});
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .merge(hook)
        .with_state(AppState);
    let base = serve(app).await;
    let url = format!("{base}/webhook?hub.mode=subscribe&hub.verify_token={TOKEN}&hub.challenge=7");
    assert_eq!(reqwest::get(url).await.unwrap().text().await.unwrap(), "7");
    let health = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
}
