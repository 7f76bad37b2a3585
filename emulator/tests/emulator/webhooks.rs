//! The emulator plays the user: webhooks to a receiver on 127.0.0.1 that
//! records the raw bytes and headers, the handshake, signatures, retries,
//! echoes, delivery events and the stats.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::IntoResponse;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use sendapi_emulator::EmulatorConfig;

use crate::common::{Env, SECRET, TOKEN, is_message_id, start, text_to};

const VERIFY: &str = "verify-me-42";
const PAGE: &str = "1122334455";

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Hit {
    pub method: Method,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Hit {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a webhook body is JSON")
    }

    /// The one messaging item of the notification.
    pub fn item(&self) -> Value {
        self.json()["entry"][0]["messaging"][0].clone()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Clone)]
struct Recv {
    hits: Arc<Mutex<Vec<Hit>>>,
    /// The status POSTs get.
    status: Arc<AtomicU16>,
    /// Whether the handshake is answered with the challenge.
    echo_challenge: bool,
}

/// A webhook endpoint like a bot's: GET handshake, POSTs recorded raw.
pub struct Receiver {
    pub url: String,
    recv: Recv,
}

async fn hook(
    State(r): State<Recv>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    r.hits.lock().unwrap().push(Hit {
        method: method.clone(),
        query: query.clone(),
        headers,
        body,
    });
    if method == Method::GET {
        let q = query.unwrap_or_default();
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(q.as_bytes()).into_owned().collect();
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if get("hub.verify_token").as_deref() == Some(VERIFY) && r.echo_challenge {
            return get("hub.challenge").unwrap_or_default().into_response();
        }
        return (StatusCode::FORBIDDEN, "no").into_response();
    }
    let status = StatusCode::from_u16(r.status.load(Ordering::SeqCst)).unwrap();
    (status, "EVENT_RECEIVED").into_response()
}

impl Receiver {
    pub async fn start(status: u16, echo_challenge: bool) -> Receiver {
        let recv = Recv {
            hits: Arc::default(),
            status: Arc::new(AtomicU16::new(status)),
            echo_challenge,
        };
        let app = axum::Router::new()
            .route("/hook", axum::routing::any(hook))
            .with_state(recv.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver {
            url: format!("http://{addr}/hook"),
            recv,
        }
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.recv.hits.lock().unwrap().clone()
    }

    pub fn posts(&self) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.method == Method::POST)
            .collect()
    }

    /// Waits until `n` POSTs arrived (a generous deadline, never asserted
    /// as a duration) and returns them.
    pub async fn wait_posts(&self, n: usize) -> Vec<Hit> {
        for _ in 0..1000 {
            let posts = self.posts();
            if posts.len() >= n {
                return posts;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("expected {n} webhooks, got {:?}", self.posts());
    }
}

/// An emulator that plays users of [`PAGE`] towards `recv`.
pub fn hooked(recv: &Receiver) -> EmulatorConfig {
    EmulatorConfig::new()
        .token(TOKEN)
        .app_secret(SECRET)
        .page_id(PAGE)
        .webhook_url(recv.url.clone())
        .verify_token(VERIFY)
        .webhook_backoff(Duration::ZERO)
}

fn hmac_hex(body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn sha1_hex(body: &[u8]) -> String {
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Env {
    pub async fn user(&self, psid: &str, action: &str, body: Value) -> crate::common::Reply {
        self.post_json(&format!("/__emulator/users/{psid}/{action}"), &body)
            .await
    }

    /// A send with the token and the proof.
    pub async fn send_proved(&self, body: Value) -> crate::common::Reply {
        let mut body = body;
        body["appsecret_proof"] = Value::from(proof());
        self.send(&format!("/v26.0/{PAGE}/messages"), body).await
    }
}

fn proof() -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(TOKEN.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn the_handshake_is_made_at_start() {
    let recv = Receiver::start(200, true).await;
    let env = start(hooked(&recv)).await;
    assert_eq!(env.emu.webhook_handshake(), Some(Ok(())));
    let get = &recv.hits()[0];
    assert_eq!(get.method, Method::GET);
    let q = get.query.clone().unwrap_or_default();
    assert!(q.contains("hub.mode=subscribe"), "{q}");
    assert!(q.contains(&format!("hub.verify_token={VERIFY}")), "{q}");
    assert!(q.contains("hub.challenge="), "{q}");

    // A receiver that does not echo the challenge: reported, and the
    // emulator serves on.
    let bad = Receiver::start(200, false).await;
    let env = start(hooked(&bad)).await;
    let reason = env.emu.webhook_handshake().unwrap().unwrap_err();
    assert!(reason.contains("403"), "{reason}");
    assert_eq!(env.send_proved(text_to("1")).await.status, 200);

    // Nothing listening: reported too.
    let gone = EmulatorConfig::new()
        .webhook_url("http://127.0.0.1:9/hook")
        .verify_token(VERIFY);
    let env = start(gone).await;
    let reason = env.emu.webhook_handshake().unwrap().unwrap_err();
    // The reason names the URL, never the verify token.
    assert!(!reason.contains(VERIFY), "{reason}");
    assert!(format!("{:?}", hooked(&recv)).contains("verify_token: \"set\""));
    assert!(!format!("{:?}", hooked(&recv)).contains(VERIFY));
    assert!(!format!("{:?}", env.emu).contains(VERIFY));
    // Without a webhook URL there is no handshake.
    let env = start(EmulatorConfig::new()).await;
    assert_eq!(env.emu.webhook_handshake(), None);
}

#[tokio::test]
async fn a_message_arrives_escaped_like_meta_and_signed_over_the_raw_bytes() {
    let recv = Receiver::start(200, true).await;
    let env = start(hooked(&recv)).await;
    let text = "café 😀 https://example.com/a/b";
    let reply = env
        .user(
            "6047",
            "messages",
            json!({"text": text, "quick_reply": {"payload": "Q1"}}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mid = reply.json()["mid"].as_str().unwrap().to_string();
    assert!(is_message_id(&mid), "{mid}");

    let hit = recv.wait_posts(1).await.remove(0);
    let raw = std::str::from_utf8(&hit.body).unwrap();
    assert!(raw.is_ascii(), "{raw}");
    assert!(
        raw.contains(r"caf\u00e9 \ud83d\ude00 https:\/\/example.com\/a\/b"),
        "{raw}"
    );
    assert_eq!(hit.header("content-type"), Some("application/json"));

    let sig = hit.header("x-hub-signature-256").unwrap();
    assert_eq!(sig, format!("sha256={}", hmac_hex(&hit.body)));
    // Re-serializing the parsed body gives other bytes, and another MAC.
    let reserialized = serde_json::to_vec(&hit.json()).unwrap();
    assert_ne!(sig, format!("sha256={}", hmac_hex(&reserialized)));
    // SHA-1 alongside by default.
    assert_eq!(
        hit.header("x-hub-signature"),
        Some(format!("sha1={}", sha1_hex(&hit.body)).as_str())
    );

    // Meta's shape.
    let v = hit.json();
    assert_eq!(v["object"], "page");
    assert_eq!(v["entry"][0]["id"], PAGE);
    assert!(v["entry"][0]["time"].is_u64());
    let item = hit.item();
    assert_eq!(item["sender"]["id"], "6047");
    assert_eq!(item["recipient"]["id"], PAGE);
    assert!(item["timestamp"].is_u64());
    assert_eq!(item["message"]["mid"], mid.as_str());
    assert_eq!(item["message"]["text"], text);
    assert_eq!(item["message"]["quick_reply"]["payload"], "Q1");
}

#[tokio::test]
async fn instagram_notifications_say_instagram_and_have_no_delivery_events() {
    let recv = Receiver::start(200, true).await;
    let config = hooked(&recv)
        .platform(sendapi_spec::Platform::Instagram)
        .echo(true)
        .deliveries(true);
    let env = start(config).await;
    env.user("8", "messages", json!({"text": "hey"})).await;
    let answer = env.send_proved(text_to("8")).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let posts = recv.wait_posts(2).await;
    assert_eq!(posts[0].json()["object"], "instagram");
    assert_eq!(posts[1].item()["message"]["is_echo"], true);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(recv.posts().len(), 2, "no delivery event on Instagram");
}

#[tokio::test]
async fn no_sha1_drops_the_older_header() {
    let recv = Receiver::start(200, true).await;
    let env = start(hooked(&recv).sha1_signature(false)).await;
    env.user("1", "messages", json!({"text": "hi"})).await;
    let hit = recv.wait_posts(1).await.remove(0);
    assert!(hit.header("x-hub-signature").is_none());
    assert!(hit.header("x-hub-signature-256").is_some());
}

#[tokio::test]
async fn postbacks_reactions_and_reads_have_metas_shape() {
    let recv = Receiver::start(200, true).await;
    let env = start(hooked(&recv)).await;
    let pb = env
        .user(
            "7",
            "postbacks",
            json!({"title": "Start", "payload": "GET_STARTED"}),
        )
        .await;
    let pb_mid = pb.json()["mid"].as_str().unwrap().to_string();
    let r = env
        .user(
            "7",
            "reactions",
            json!({"mid": pb_mid, "reaction": "love", "action": "react"}),
        )
        .await;
    assert_eq!(r.json(), json!({}));
    let read = env.user("7", "reads", json!({})).await;
    assert_eq!((read.status, read.json()), (200, json!({})));
    // A reaction needs the message it is about.
    assert_eq!(env.user("7", "reactions", json!({})).await.code(), 100);
    assert_eq!(env.user("7", "waves", json!({})).await.status, 404);

    let posts = recv.wait_posts(3).await;
    let items: Vec<Value> = posts.iter().map(Hit::item).collect();
    assert_eq!(items[0]["postback"]["title"], "Start");
    assert_eq!(items[0]["postback"]["payload"], "GET_STARTED");
    assert_eq!(items[0]["postback"]["mid"], pb_mid.as_str());
    assert_eq!(items[1]["reaction"]["mid"], pb_mid.as_str());
    assert_eq!(items[1]["reaction"]["reaction"], "love");
    assert_eq!(items[1]["reaction"]["action"], "react");
    assert!(items[2]["read"]["watermark"].is_u64());
    for item in &items {
        assert_eq!(item["sender"]["id"], "7");
        assert_eq!(item["recipient"]["id"], PAGE);
    }
}

#[tokio::test]
async fn the_library_plays_the_person_as_the_routes_do() {
    let recv = Receiver::start(200, true).await;
    let env = start(hooked(&recv)).await;
    let person = env.emu.person("8");
    assert_eq!(person.psid(), "8");
    let said = person.says("Table for two?").expect("a message");
    let tapped = person
        .taps_quick_reply("19:30", "TIME_1930")
        .expect("a tap");
    let postback = person.taps_postback("Menu", "MENU").expect("a postback");
    person.reacts(&said, "like").expect("a reaction");
    person.reads().expect("a read");
    // What the routes refuse, the library refuses too, with the reason.
    let refused = person.act(sendapi_spec::EventKind::Reaction, json!({}));
    assert!(
        matches!(&refused, Err(sendapi_emulator::Error::Person(why)) if why.contains("mid")),
        "{refused:?}"
    );

    let items: Vec<Value> = recv.wait_posts(5).await.iter().map(Hit::item).collect();
    assert_eq!(
        items[0]["message"],
        json!({"text": "Table for two?", "mid": said})
    );
    assert_eq!(items[1]["message"]["quick_reply"]["payload"], "TIME_1930");
    assert_eq!(items[1]["message"]["mid"], tapped.as_str());
    assert_eq!(items[2]["postback"]["mid"], postback.as_str());
    assert_eq!(items[3]["reaction"]["mid"], said.as_str());
    assert!(items[4]["read"]["watermark"].is_u64());
    assert!(items.iter().all(|i| i["sender"]["id"] == "8"));
}

#[tokio::test]
async fn failing_receivers_get_bounded_retries_with_new_times() {
    let recv = Receiver::start(500, true).await;
    let env = start(hooked(&recv).webhook_retries(2)).await;
    let mid = env.user("9", "messages", json!({"text": "x"})).await.json()["mid"].clone();
    let posts = recv.wait_posts(3).await;
    // Let a fourth copy show up if the bound were broken.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(recv.posts().len(), 3);
    let times: Vec<u64> = posts
        .iter()
        .map(|h| h.json()["entry"][0]["time"].as_u64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    for h in &posts {
        assert_eq!(h.item()["message"]["mid"], mid);
        assert_eq!(
            h.header("x-hub-signature-256").unwrap(),
            format!("sha256={}", hmac_hex(&h.body))
        );
    }
    let stats = env.emu.stats();
    assert_eq!((stats.webhooks_delivered, stats.webhooks_failed), (0, 3));

    // One retry at least by default: a receiver failing once gets it again.
    let recv = Receiver::start(500, true).await;
    let env = start(hooked(&recv)).await;
    env.user("9", "messages", json!({"text": "y"})).await;
    recv.wait_posts(1).await;
    recv.recv.status.store(200, Ordering::SeqCst);
    recv.wait_posts(2).await;
    for _ in 0..500 {
        if env.emu.stats().webhooks_delivered == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stats = env.emu.stats();
    assert_eq!((stats.webhooks_delivered, stats.webhooks_failed), (1, 1));
}

#[tokio::test]
async fn echoes_and_delivery_events_follow_each_send() {
    let recv = Receiver::start(200, true).await;
    let env = start(hooked(&recv).echo(true).deliveries(true)).await;
    let body = json!({
        "recipient": {"id": "31"},
        "messaging_type": "RESPONSE",
        "message": {"text": "hello/there", "metadata": "m1"}
    });
    let answer = env.send_proved(body).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let mid = answer.json()["message_id"].clone();
    let posts = recv.wait_posts(2).await;
    let echo = posts[0].item();
    assert_eq!(echo["sender"]["id"], PAGE);
    assert_eq!(echo["recipient"]["id"], "31");
    assert_eq!(echo["message"]["is_echo"], true);
    assert_eq!(echo["message"]["mid"], mid);
    assert_eq!(echo["message"]["text"], "hello/there");
    assert_eq!(echo["message"]["metadata"], "m1");
    assert!(echo["message"]["app_id"].is_u64());
    let delivery = posts[1].item();
    assert_eq!(delivery["delivery"]["mids"], json!([mid]));
    assert!(delivery["delivery"]["watermark"].is_u64());
    assert_eq!(delivery["sender"]["id"], "31");

    // A refused send is not echoed.
    let refused = env.send_proved(json!({"recipient": {"id": "31"}})).await;
    assert_eq!(refused.status, 400);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(recv.posts().len(), 2);
}

#[tokio::test]
async fn stats_count_calls_and_attempts_exactly() {
    let recv = Receiver::start(200, true).await;
    let clock = sendapi_emulator::ManualClock::new();
    let env = start(hooked(&recv).echo(true).clock(clock)).await;
    let zero = env.get("/__emulator/stats").await.json();
    assert_eq!(
        zero,
        json!({"requests": 0, "accepted": 0, "refused": 0, "rate_limited": 0, "webhooks_delivered": 0, "webhooks_failed": 0})
    );
    // Two accepted sends (two echoes), one invalid body, one unknown path;
    // the control routes are not API calls.
    env.send_proved(text_to("5")).await;
    env.send_proved(text_to("5")).await;
    env.send_proved(json!({"recipient": {"id": "5"}})).await;
    env.post_json("/v26.0/1/feed", &json!({})).await;
    env.get("/__emulator/messages").await;
    // Audio is 10 per second: the eleventh is rate limited.
    for _ in 0..11 {
        env.send_proved(crate::common::audio_to("5")).await;
    }
    recv.wait_posts(12).await;
    for _ in 0..500 {
        if env.emu.stats().webhooks_delivered == 12 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let stats = env.get("/__emulator/stats").await.json();
    assert_eq!(
        stats,
        json!({"requests": 15, "accepted": 12, "refused": 2, "rate_limited": 1, "webhooks_delivered": 12, "webhooks_failed": 0})
    );
    // Clearing the record starts the counts again.
    let cleared = env
        .http
        .delete(env.url("/__emulator/messages"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status().as_u16(), 200);
    assert_eq!(env.emu.stats(), sendapi_emulator::Stats::default());
}
