//! The whole receive loop over real HTTP on 127.0.0.1: the emulator plays a
//! person and delivers signed webhooks; a bot built on
//! `sendapi::webhook::Receiver` decodes them into the typed events and
//! answers through `Client`; the emulator records the answer. And Meta's
//! retried copies, which differ in their bytes, are caught by the dedupe
//! helper.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use sendapi::latest::{self as api, webhook::Event, webhook::Notification};
use sendapi::webhook::{Dedupe, DedupeKey, Receiver};
use sendapi::{AppSecret, Client, RetryPolicy};
use sendapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use tokio::sync::mpsc;

const TOKEN: &str = "loop-test-page-token";
const SECRET: &str = "loop-test-app-secret";
const VERIFY: &str = "loop-test-verify-token";
const PAGE: &str = "4400110022";
const PSID: &str = "2900417733110042";
/// A guard against a hang, not a measurement.
const PATIENCE: Duration = Duration::from_secs(20);

/// Serves `app` on a free loopback port; returns its webhook URL.
async fn serve(app: axum::Router) -> String {
    let socket = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("binds");
    let addr = socket.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(socket, app).await });
    format!("http://{addr}/webhook")
}

async fn emulator(webhook_url: &str) -> RunningEmulator {
    let config = EmulatorConfig::new()
        .token(TOKEN)
        .app_secret(SECRET)
        .page_id(PAGE)
        .webhook_url(webhook_url)
        .verify_token(VERIFY)
        .webhook_backoff(Duration::from_millis(10))
        .enforce_window(true);
    Emulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("the emulator starts")
}

fn client(emulator: &RunningEmulator) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .page_id(PAGE)
        .page_token(TOKEN)
        .app_secret(SECRET)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_reaches_the_bot_whose_answer_reaches_the_emulator() {
    let bot_client: Arc<OnceLock<Client>> = Arc::new(OnceLock::new());
    let (answered, mut answers) = mpsc::unbounded_channel();
    let handler_client = Arc::clone(&bot_client);
    let app = Receiver::new(SECRET, VERIFY).router(move |n: Notification| {
        let (client, answered) = (Arc::clone(&handler_client), answered.clone());
        async move {
            for received in n.events() {
                let Event::Message(message) = received.event() else {
                    continue;
                };
                let to = received.item.sender.as_ref().and_then(|s| s.id.clone());
                let to = to.unwrap_or_default();
                let echo = format!("You said: {}", message.text.clone().unwrap_or_default());
                let reply = api::request!({
                    "recipient": { "id": to },
                    "messaging_type": "RESPONSE",
                    "message": { "text": echo },
                });
                let client = client.get().ok_or("no client")?;
                let sent = client.send(&reply).await.map_err(|e| e.to_string())?;
                let _ = answered.send((message.mid.clone(), sent.message_id().to_string()));
            }
            Ok::<(), String>(())
        }
    });
    let emulator = emulator(&serve(app).await).await;
    assert_eq!(emulator.webhook_handshake(), Some(Ok(())));
    let _ = bot_client.set(client(&emulator));

    let mid = emulator
        .person(PSID)
        .says("Crème brûlée, s'il vous plaît / 🍮")
        .expect("said");
    let (answered_mid, message_id) = tokio::time::timeout(PATIENCE, answers.recv())
        .await
        .expect("the bot answers in time")
        .expect("an answer");
    assert_eq!(answered_mid, mid, "the bot answered the typed event it got");
    let recorded = emulator.requests();
    let reply = recorded.last().expect("the emulator recorded the reply");
    assert_eq!(reply.page_id, PAGE);
    assert_eq!(reply.body["recipient"]["id"], PSID);
    assert_eq!(
        reply.body["message"]["text"], "You said: Crème brûlée, s'il vous plaît / 🍮",
        "escaped on the wire, decoded by the bot, sent back as the person wrote it"
    );
    assert!(message_id.starts_with("m_"));
    // The emulator counts the delivery once the bot's 200 is read, which
    // can come after the bot's reply (the Receiver answers, then handles):
    // wait for the count rather than race it.
    let start = Instant::now();
    while emulator.stats().webhooks_delivered == 0 && start.elapsed() < PATIENCE {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stats = emulator.stats();
    assert_eq!((stats.accepted, stats.webhooks_delivered), (1, 1));
}

/// A bot that answers 500 to the first POST and 200 after, recording each.
type Deliveries = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retried_copies_differ_in_bytes_and_are_caught_by_the_dedupe_helper() {
    let got: Deliveries = Arc::default();
    let seen = Arc::clone(&got);
    let app = axum::Router::new()
        .route(
            "/webhook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let seen = Arc::clone(&seen);
                async move {
                    let mut seen = seen.lock().expect("not poisoned");
                    seen.push((headers, body));
                    if seen.len() == 1 {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
                }
            }),
        )
        .route(
            "/webhook",
            axum::routing::get(|| async { StatusCode::FORBIDDEN }),
        );
    let emulator = emulator(&serve(app).await).await;
    emulator
        .person(PSID)
        .says("Is the terrace open?")
        .expect("said");
    emulator.person(PSID).reads().expect("read");

    let deliveries = tokio::time::timeout(PATIENCE, async {
        loop {
            let n = got.lock().expect("not poisoned").len();
            if n >= 3 {
                break got.lock().expect("not poisoned").clone();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the message twice (a retry) and the read once");

    let secret = AppSecret::new(SECRET);
    let (first, retry) = (&deliveries[0], &deliveries[1]);
    assert_ne!(first.1, retry.1, "a retried copy carries a new entry.time");
    let mut dedupe = Dedupe::new(100);
    let mut fresh = Vec::new();
    for (headers, body) in &deliveries {
        let n: Notification =
            sendapi::webhook::parse(&secret, headers, body).expect("each copy verifies");
        for received in n.events() {
            let event = received.event();
            let user = received.item.sender.as_ref().and_then(|s| s.id.as_deref());
            let field = event.dedupe_field().expect("messages and reads have one");
            let key =
                DedupeKey::of_event(event.kind(), &received.entry.id, user.unwrap_or(""), field);
            fresh.push((event.kind().as_str(), dedupe.insert(key)));
        }
    }
    assert_eq!(
        fresh,
        [("message", true), ("message", false), ("read", true)],
        "the retried message is a duplicate; the read is new"
    );
}
