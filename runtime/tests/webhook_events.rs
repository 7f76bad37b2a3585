//! The generated webhook types of the latest snapshot decode what Meta
//! sends: every event the spec has, batches, loose scalars, unknown fields,
//! values and events, and refuse a payload missing a required field with
//! its path. The bodies are written here after the shapes in Meta's
//! webhook reference (and the loose forms seen in its samples).

use serde_json::{Value, json};

use sendapi::latest::webhook::{
    Event, IncomingAttachmentType, Notification, ReactionAction, WebhookObject,
};
use sendapi::{DedupeField, EventKind};

const PAGE: &str = "682498302938465";
const PSID: &str = "1254459154682919";

/// One item of each event kind, as Meta's reference shapes it.
fn samples() -> Vec<(EventKind, Value)> {
    vec![
        (
            EventKind::Message,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
                "message": { "mid": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
                             "text": "hello, world!", "quick_reply": { "payload": "DEVELOPER_DEFINED_PAYLOAD" } }
            }),
        ),
        (
            EventKind::Echo,
            json!({
                "sender": { "id": PAGE }, "recipient": { "id": PSID }, "timestamp": 1457764197627_i64,
                "message": { "is_echo": true, "app_id": 1517776481860111_i64, "metadata": "order-42",
                             "mid": "m_echo_1", "text": "Your order shipped" }
            }),
        ),
        (
            EventKind::Postback,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1527459824,
                "postback": { "mid": "m_postback_1", "title": "Get Started", "payload": "GET_STARTED",
                              "referral": { "ref": "spring", "source": "SHORTLINK", "type": "OPEN_THREAD" } }
            }),
        ),
        (
            EventKind::Reaction,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
                "reaction": { "mid": "m_reacted_to", "action": "react", "reaction": "love", "emoji": "\u{2764}\u{fe0f}" }
            }),
        ),
        (
            EventKind::Read,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1458668856463_i64,
                "read": { "watermark": 1458668856253_i64 }
            }),
        ),
        (
            EventKind::Delivery,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE },
                "delivery": { "mids": ["m_delivered_1"], "watermark": 1458668856253_i64 }
            }),
        ),
        (
            EventKind::Referral,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
                "referral": { "ref": "spring-menu", "source": "SHORTLINK", "type": "OPEN_THREAD" }
            }),
        ),
        (
            // The Checkbox plugin's opt-in: a user_ref and no sender.
            EventKind::Optin,
            json!({
                "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
                "optin": { "ref": "newsletter", "user_ref": "ref-7f3a" }
            }),
        ),
        (
            EventKind::Handover,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
                "pass_thread_control": { "new_owner_app_id": 123456789, "previous_owner_app_id": null, "metadata": "to a human" }
            }),
        ),
        (
            EventKind::PolicyEnforcement,
            json!({
                "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
                "policy_enforcement": { "action": "block", "reason": "repeated spam" }
            }),
        ),
        (
            EventKind::Edit,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
                "message_edit": { "mid": "m_edited", "text": "see you at 8", "num_edit": 1 }
            }),
        ),
        (
            EventKind::Other,
            json!({
                "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
                "account_linking": { "status": "linked", "authorization_code": "code-1" }
            }),
        ),
    ]
}

fn notification(items: Vec<Value>) -> Value {
    json!({ "object": "page", "entry": [{ "id": PAGE, "time": 1458692752478_i64, "messaging": items }] })
}

fn decode(body: &Value) -> Notification {
    let raw = serde_json::to_vec(body).expect("serializable");
    serde_json::from_slice(&raw).unwrap_or_else(|e| panic!("{body} does not decode: {e}"))
}

fn only_event(body: &Value) -> Event {
    let n = decode(body);
    let events: Vec<_> = n.events().collect();
    assert_eq!(events.len(), 1, "one item in {body}");
    events[0].event().clone()
}

fn webhooks() -> &'static sendapi_spec::Webhooks {
    sendapi_spec::bundled("latest")
        .expect("bundled")
        .webhooks()
        .expect("latest describes webhooks")
}

/// Every event of the spec has a sample here, and each sample decodes to
/// the event the spec's own classifier names.
#[test]
fn every_event_kind_decodes_to_its_variant() {
    let samples = samples();
    for (name, event) in webhooks().events() {
        let kind = *event.kind.get_ref();
        assert!(
            samples.iter().any(|(k, _)| *k == kind),
            "event `{name}` ({kind}) has no sample in this test: add one"
        );
    }
    for (kind, item) in &samples {
        let event = only_event(&notification(vec![item.clone()]));
        assert_eq!(event.kind(), *kind, "{item}");
        assert_eq!(webhooks().kind_of(item), *kind, "the spec agrees on {item}");
    }
}

#[test]
fn payloads_decode_into_their_fields() {
    let s = samples();
    match only_event(&notification(vec![s[0].1.clone()])) {
        Event::Message(m) => {
            assert_eq!(m.text.as_deref(), Some("hello, world!"));
            assert_eq!(
                m.quick_reply.map(|q| q.payload).as_deref(),
                Some("DEVELOPER_DEFINED_PAYLOAD")
            );
        }
        other => panic!("expected a message, got {other:?}"),
    }
    match only_event(&notification(vec![s[3].1.clone()])) {
        Event::Reaction(r) => {
            assert_eq!(r.action, ReactionAction::React);
            assert_eq!(r.emoji.as_deref(), Some("\u{2764}\u{fe0f}"));
        }
        other => panic!("expected a reaction, got {other:?}"),
    }
}

#[test]
fn an_echo_is_an_echo_not_a_message() {
    let event = only_event(&notification(vec![samples()[1].1.clone()]));
    let Event::Echo(echo) = event else {
        panic!("expected an echo, got {event:?}");
    };
    assert!(echo.is_echo);
    // Meta's samples print the app id as a number.
    assert_eq!(echo.app_id.as_deref(), Some("1517776481860111"));
    assert_eq!(echo.metadata.as_deref(), Some("order-42"));
    // `is_echo: false` is an ordinary message.
    let not_echo =
        json!({ "sender": { "id": PSID }, "message": { "mid": "m_1", "is_echo": false } });
    assert_eq!(
        only_event(&notification(vec![not_echo])).kind(),
        EventKind::Message
    );
}

#[test]
fn an_unknown_event_is_other_with_the_item_as_sent() {
    let item = json!({
        "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
        "brand_new_event": { "game_id": "111", "player_id": "222", "score": 10 }
    });
    let n = decode(&notification(vec![item.clone()]));
    let received = n.events().next().expect("one item");
    let Event::Other(raw) = received.event() else {
        panic!("expected Other, got {:?}", received.event());
    };
    assert_eq!(Value::Object(raw.clone()), item);
    assert_eq!(received.event().kind(), EventKind::Other);
    // The common fields are still read.
    assert_eq!(received.item.timestamp, Some(1458692752478));
    assert_eq!(webhooks().kind_of(&item), EventKind::Other);
}

#[test]
fn unknown_fields_are_kept_at_every_level() {
    let body = json!({
        "object": "page",
        "delivered_by": "a future envelope key",
        "entry": [{
            "id": PAGE, "time": 1, "region": "eu",
            "messaging": [{
                "sender": { "id": PSID, "community": { "id": "9" } },
                "recipient": { "id": PAGE },
                "timestamp": 2,
                "conversation_context": { "source": "checkbox_plugin", "identifier": "ref-1" },
                "message": { "mid": "m_1", "text": "hi", "nlp": { "entities": {} }, "seq": 4 }
            }]
        }]
    });
    let n = decode(&body);
    assert_eq!(n.unknown_fields["delivered_by"], "a future envelope key");
    let entry = &n.entry[0];
    assert_eq!(entry.unknown_fields["region"], "eu");
    let item = &entry.messaging[0];
    assert_eq!(
        item.unknown_fields["conversation_context"]["source"],
        "checkbox_plugin"
    );
    assert!(
        !item.unknown_fields.contains_key("message"),
        "the event key is the event's"
    );
    let sender = item.sender.as_ref().expect("sender");
    assert_eq!(sender.unknown_fields["community"], json!({ "id": "9" }));
    let Event::Message(m) = &item.event else {
        panic!("expected a message");
    };
    assert_eq!(m.unknown_fields["seq"], 4);
    assert!(m.unknown_fields.contains_key("nlp"));
}

#[test]
fn ids_may_be_numbers() {
    let body = json!({
        "object": "page",
        "entry": [{ "id": 682498302938465_i64, "messaging": [{
            "sender": { "id": 1254459154682919_i64 }, "recipient": { "id": 682498302938465_i64 },
            "message": { "mid": "m_1" }
        }] }]
    });
    let n = decode(&body);
    let r = n.events().next().expect("one item");
    assert_eq!(r.entry.id, PAGE);
    assert_eq!(
        r.item.sender.as_ref().and_then(|s| s.id.as_deref()),
        Some(PSID)
    );
}

#[test]
fn timestamps_may_be_numeric_strings() {
    // The 2026 postbacks sample quotes every value.
    let item = json!({
        "sender": { "user_ref": "guest-7" }, "recipient": { "id": PAGE }, "timestamp": "1527459824",
        "postback": { "title": "Start", "payload": "START", "mid": "m_pb" }
    });
    let mut body = notification(vec![item]);
    body["entry"][0]["time"] = json!("1527459824");
    let n = decode(&body);
    assert_eq!(n.entry[0].time, Some(1527459824));
    let r = n.events().next().expect("one item");
    assert_eq!(r.item.timestamp, Some(1527459824));
    assert_eq!(
        r.item.sender.as_ref().and_then(|s| s.user_ref.as_deref()),
        Some("guest-7")
    );
}

#[test]
fn a_delivery_needs_no_timestamp() {
    let n = decode(&notification(vec![samples()[5].1.clone()]));
    let r = n.events().next().expect("one item");
    assert_eq!(r.item.timestamp, None);
    let Event::Delivery(d) = r.event() else {
        panic!("expected a delivery");
    };
    assert_eq!(d.watermark, 1458668856253);
    assert_eq!(d.mids, ["m_delivered_1"]);
    // Older clients send no mids: an empty list.
    let bare = json!({ "sender": { "id": PSID }, "delivery": { "watermark": "1458668856253" } });
    let Event::Delivery(d) = only_event(&notification(vec![bare])) else {
        panic!("expected a delivery");
    };
    assert!(d.mids.is_empty());
}

/// Policy enforcement items come without a sender: the item decodes, as the
/// spec's event when it has one and as `Other` before.
#[test]
fn an_item_without_sender_decodes() {
    let item = json!({
        "recipient": { "id": PAGE }, "timestamp": 1458692752478_i64,
        "policy_enforcement": { "action": "block", "reason": "The bot violated our Platform Policies." }
    });
    let n = decode(&notification(vec![item.clone()]));
    let r = n.events().next().expect("one item");
    assert!(r.item.sender.is_none());
    assert_eq!(r.event().kind(), webhooks().kind_of(&item));
}

#[test]
fn every_entry_and_item_of_a_batch_is_yielded() {
    let body = json!({
        "object": "page",
        "entry": [
            { "id": "111", "time": 1,
              "messaging": [
                  { "sender": { "id": "u1" }, "message": { "mid": "m_a" } },
                  { "sender": { "id": "u1" }, "read": { "watermark": 5 } }
              ] },
            { "id": "222", "time": 2,
              "messaging": [{ "sender": { "id": "u2" }, "postback": { "title": "Go", "payload": "GO" } }],
              "standby": [{ "sender": { "id": "u3" }, "message": { "mid": "m_b", "text": "for the owner" } }] }
        ]
    });
    let n = decode(&body);
    let seen: Vec<(&str, bool, EventKind)> = n
        .events()
        .map(|r| (r.entry.id.as_str(), r.standby, r.event().kind()))
        .collect();
    assert_eq!(
        seen,
        [
            ("111", false, EventKind::Message),
            ("111", false, EventKind::Read),
            ("222", false, EventKind::Postback),
            ("222", true, EventKind::Message),
        ]
    );
}

#[test]
fn dedupe_keys_come_from_the_spec() {
    let s = samples();
    let key = |i: usize| {
        only_event(&notification(vec![s[i].1.clone()]))
            .dedupe_field()
            .map(|k| format!("{k:?}"))
    };
    let message = only_event(&notification(vec![s[0].1.clone()]));
    assert!(
        matches!(message.dedupe_field(), Some(DedupeField::Mid(m)) if m.starts_with("m_AG5Hz"))
    );
    assert_eq!(key(1), Some(format!("{:?}", DedupeField::Mid("m_echo_1"))));
    assert_eq!(
        key(2),
        Some(format!("{:?}", DedupeField::Mid("m_postback_1")))
    );
    assert_eq!(
        key(4),
        Some(format!("{:?}", DedupeField::Watermark(1458668856253)))
    );
    assert_eq!(
        key(5),
        Some(format!("{:?}", DedupeField::Watermark(1458668856253)))
    );
    // A postback from before Graph v11.0 has no mid.
    let old = json!({ "sender": { "id": PSID }, "postback": { "title": "Go", "payload": "GO" } });
    assert_eq!(only_event(&notification(vec![old])).dedupe_field(), None);
    // Every dedupe the spec names is produced for its sample.
    for (name, event) in webhooks().events() {
        let kind = *event.kind.get_ref();
        let (_, item) = s.iter().find(|(k, _)| *k == kind).expect("a sample");
        let decoded = only_event(&notification(vec![item.clone()]));
        assert_eq!(
            decoded.dedupe_field().is_some(),
            event.dedupe.is_some(),
            "dedupe of `{name}`"
        );
    }
}

#[test]
fn opens_window_follows_the_spec() {
    for (kind, item) in samples() {
        let event = only_event(&notification(vec![item.clone()]));
        assert_eq!(
            event.opens_window(),
            webhooks().opens_window(&item),
            "{kind}"
        );
    }
    let s = samples();
    assert!(only_event(&notification(vec![s[0].1.clone()])).opens_window());
    assert!(!only_event(&notification(vec![s[1].1.clone()])).opens_window());
    assert!(!only_event(&notification(vec![s[4].1.clone()])).opens_window());
}

#[test]
fn enums_are_open() {
    let body = json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": PAGE, "messaging": [
            { "sender": { "id": PSID }, "message": { "mid": "m_1", "attachments": [
                { "type": "image", "payload": { "url": "https://example.org/a.png", "sticker_id": 369239263222822_i64 } },
                { "type": "hologram", "payload": { "url": "https://example.org/s.png" } },
                { "type": "fallback", "payload": null }
            ] } },
            { "sender": { "id": PSID }, "reaction": { "mid": "m_1", "action": "retract" } }
        ] }]
    });
    let n = decode(&body);
    assert_eq!(
        n.object,
        WebhookObject::Unknown("whatsapp_business_account".into())
    );
    assert_eq!(n.object.as_str(), "whatsapp_business_account");
    let events: Vec<_> = n.events().map(|r| r.event().clone()).collect();
    let Event::Message(m) = &events[0] else {
        panic!("expected a message");
    };
    let kinds: Vec<_> = m.attachments.iter().map(|a| a.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            IncomingAttachmentType::Image,
            IncomingAttachmentType::Unknown("hologram".into()),
            IncomingAttachmentType::Fallback
        ]
    );
    assert_eq!(m.attachments[2].payload, None, "a null payload is absent");
    let Event::Reaction(r) = &events[1] else {
        panic!("expected a reaction");
    };
    assert_eq!(r.action, ReactionAction::Unknown("retract".into()));
    assert_eq!(r.reaction, None, "Instagram unreacts leave it out");
}

#[test]
fn nulls_are_absent() {
    let body = json!({
        "object": "page",
        "entry": [{ "id": PAGE, "time": null, "standby": null, "messaging": [
            { "sender": null, "timestamp": null, "message": { "mid": "m_1", "text": null, "attachments": null } }
        ] }]
    });
    let n = decode(&body);
    assert_eq!(n.entry[0].time, None);
    assert!(n.entry[0].standby.is_empty());
    let r = n.events().next().expect("one item");
    assert!(r.item.sender.is_none());
    let Event::Message(m) = r.event() else {
        panic!("expected a message");
    };
    assert_eq!(m.text, None);
    assert!(m.attachments.is_empty());
}

#[test]
fn a_missing_required_field_is_an_error_naming_its_path() {
    let body = json!({
        "object": "page",
        "entry": [{ "id": PAGE, "messaging": [
            { "sender": { "id": PSID }, "message": { "mid": "m_1" } },
            { "sender": { "id": PSID }, "message": { "text": "no mid" } }
        ] }]
    });
    let raw = serde_json::to_vec(&body).expect("serializable");
    let err = serde_json::from_slice::<Notification>(&raw).expect_err("mid is required");
    let text = err.to_string();
    assert!(text.contains("entry[0].messaging[1].message"), "{text}");
    assert!(text.contains("`mid`"), "{text}");

    let no_entry = serde_json::from_str::<Notification>(r#"{"object":"page"}"#)
        .expect_err("entry is required")
        .to_string();
    assert!(no_entry.contains("`entry`"), "{no_entry}");
}

#[test]
fn a_known_field_of_the_wrong_type_is_an_error_naming_its_path() {
    let body = json!({ "object": "page", "entry": [{ "id": PAGE, "messaging": [
        { "sender": { "id": PSID }, "read": { "watermark": { "at": 5 } } }
    ] }] });
    let raw = serde_json::to_vec(&body).expect("serializable");
    let text = serde_json::from_slice::<Notification>(&raw)
        .expect_err("a watermark is an integer")
        .to_string();
    assert!(
        text.contains("entry[0].messaging[0].read.watermark"),
        "{text}"
    );
    assert!(text.contains("integer"), "{text}");
}

/// The classifier the generated code calls, on a table with what the
/// bundled spec does not use yet: aliases and a `when` condition.
#[test]
fn classification_tries_conditions_first_then_keys_and_aliases() {
    use sendapi::__private::webhook::{EventSpec, classify};
    static TABLE: &[EventSpec] = &[
        EventSpec {
            keys: &["optin"],
            flag: None,
            when: Some(("type", "notification_messages")),
        },
        EventSpec {
            keys: &["message"],
            flag: Some("is_echo"),
            when: None,
        },
        EventSpec {
            keys: &["message"],
            flag: None,
            when: None,
        },
        EventSpec {
            keys: &["optin"],
            flag: None,
            when: None,
        },
        EventSpec {
            keys: &["policy_enforcement", "policy-enforcement"],
            flag: None,
            when: None,
        },
    ];
    let map = |v: Value| v.as_object().cloned().expect("an object");
    let cases = [
        (
            json!({ "optin": { "type": "notification_messages" } }),
            Some((0, "optin")),
        ),
        (json!({ "optin": { "ref": "plugin" } }), Some((3, "optin"))),
        (
            json!({ "message": { "is_echo": true } }),
            Some((1, "message")),
        ),
        (
            json!({ "message": { "is_echo": "true" } }),
            Some((2, "message")),
        ),
        (
            json!({ "policy-enforcement": { "action": "warning" } }),
            Some((4, "policy-enforcement")),
        ),
        (json!({ "message": null, "read": {} }), None),
        (json!({ "game_play": {} }), None),
    ];
    for (item, expected) in cases {
        assert_eq!(classify(TABLE, &map(item.clone())), expected, "{item}");
    }
}

#[test]
fn events_told_apart_by_a_field_value_and_raw_payloads_decode() {
    // Opt-ins share the key `optin`; `type` tells the marketing form apart.
    let marketing = json!({
        "sender": { "id": PSID }, "recipient": { "id": PAGE }, "timestamp": 1,
        "optin": { "type": "notification_messages", "payload": "DEALS", "notification_messages_token": "tok-1",
                   "token_expiry_timestamp": 1767225600000_i64, "user_token_status": "NOT_REFRESHED" }
    });
    let event = only_event(&notification(vec![marketing.clone()]));
    assert!(matches!(event, Event::MarketingOptin(_)), "{event:?}");
    assert!(!event.opens_window(), "a marketing opt-in opens no window");
    assert_eq!(
        webhooks()
            .classify(marketing.as_object().unwrap())
            .map(|(n, _)| n),
        Some("MarketingOptin")
    );
    // app_roles is a map from app id to roles: its payload stays JSON.
    let roles = json!({
        "recipient": { "id": PAGE }, "timestamp": 2,
        "app_roles": { "123456789": ["primary_receiver"] }
    });
    let Event::AppRoles(raw) = only_event(&notification(vec![roles])) else {
        panic!("expected app roles");
    };
    assert_eq!(raw, json!({ "123456789": ["primary_receiver"] }));
}
