//! Retried copies, decoded from signed notifications and recognized by
//! their keys.

use sendapi::webhook::{self, Dedupe, DedupeKey, sign};
use serde_json::{Value, json};

use super::secret;

/// A signed notification with one messaging item, decoded as `parse`
/// would in a receiver.
fn receive(time: i64, item: Value) -> Value {
    let body = serde_json::to_vec(&json!({
        "object": "page",
        "entry": [{ "id": "PAGE", "time": time, "messaging": [item] }],
    }))
    .unwrap();
    let header = sign(&secret(), &body);
    webhook::parse(&secret(), &[("x-hub-signature-256", header)], &body).unwrap()
}

/// The key a receiver (later: the generated event types) derives from one
/// messaging item.
fn key_of(n: &Value) -> DedupeKey {
    let item = &n["entry"][0]["messaging"][0];
    let s = |v: &Value| v.as_str().unwrap().to_string();
    let (page, user) = (s(&item["recipient"]["id"]), s(&item["sender"]["id"]));
    if let Some(m) = item.get("message") {
        DedupeKey::message(s(&m["mid"]))
    } else if let Some(p) = item.get("postback") {
        DedupeKey::postback(s(&p["mid"]))
    } else if let Some(r) = item.get("read") {
        DedupeKey::read(page, user, r["watermark"].as_i64().unwrap())
    } else if let Some(d) = item.get("delivery") {
        DedupeKey::delivery(page, user, d["watermark"].as_i64().unwrap())
    } else {
        panic!("no key for {item}")
    }
}

fn item(timestamp: i64, kind: &str, payload: Value) -> Value {
    let mut item = json!({
        "sender": { "id": "PSID" },
        "recipient": { "id": "PAGE" },
        "timestamp": timestamp,
    });
    item[kind] = payload;
    item
}

#[test]
fn a_retried_copy_with_new_times_is_a_duplicate() {
    let mut seen = Dedupe::new(100);
    let message = json!({ "mid": "m_1", "text": "hi" });
    let first = receive(
        1_700_000_000_100,
        item(1_700_000_000_000, "message", message.clone()),
    );
    // Meta's retry: the same mid, a new entry.time and a new timestamp.
    let retry = receive(
        1_700_000_010_900,
        item(1_700_000_010_000, "message", message),
    );
    assert_ne!(first, retry);
    assert!(seen.insert(key_of(&first)));
    assert!(!seen.insert(key_of(&retry)));

    let postback = json!({ "mid": "m_pb", "title": "Start", "payload": "START" });
    assert!(seen.insert(key_of(&receive(1, item(1, "postback", postback.clone())))));
    assert!(!seen.insert(key_of(&receive(2, item(2, "postback", postback)))));

    // A new message is new.
    let other = item(
        1_700_000_020_000,
        "message",
        json!({ "mid": "m_2", "text": "hi" }),
    );
    assert!(seen.insert(key_of(&receive(3, other))));
}

#[test]
fn an_older_or_equal_watermark_is_a_duplicate() {
    let mut seen = Dedupe::new(100);
    let read = |ts, w| receive(ts, item(ts, "read", json!({ "watermark": w })));
    assert!(seen.insert(key_of(&read(10, 500))));
    assert!(!seen.insert(key_of(&read(20, 500))));
    assert!(!seen.insert(key_of(&read(30, 400))));
    assert!(seen.insert(key_of(&read(40, 600))));
    // Deliveries keep their own watermark.
    let delivery = receive(
        50,
        item(50, "delivery", json!({ "watermark": 550, "mids": ["m_1"] })),
    );
    assert!(seen.insert(key_of(&delivery)));
}

#[test]
fn capacity_evicts_the_oldest_entry() {
    let mut seen = Dedupe::new(2);
    assert_eq!(seen.capacity(), 2);
    assert!(seen.insert(DedupeKey::message("m_1")));
    assert!(seen.insert(DedupeKey::message("m_2")));
    assert!(seen.insert(DedupeKey::message("m_3")));
    assert_eq!(seen.len(), 2);
    // m_1 was forgotten: its late copy can no longer be recognized.
    assert!(!seen.is_duplicate(&DedupeKey::message("m_1")));
    assert!(seen.is_duplicate(&DedupeKey::message("m_2")));
    assert!(seen.is_duplicate(&DedupeKey::message("m_3")));
}
