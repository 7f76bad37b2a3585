//! Every rule kind of the engine, over small JSON bodies: each test names
//! the exact rule id, severity and JSON pointer of what a bad body breaks,
//! checks that the message mentions the offending value, and checks that the
//! corrected body has no error.

mod common;

use sendapi_spec::{
    Engine, OPAQUE, Platform, Report, RuleKind, Severity, V26_TOML, Violation, bundled,
    bundled_engine, closest, load_str,
};
use serde_json::{Value, json};

const M: Platform = Platform::Messenger;
const IG: Platform = Platform::Instagram;
const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

fn v26() -> &'static Engine {
    bundled_engine("v26.0").unwrap()
}

/// v21.0 as Meta documented it at its release (a hand-written historic
/// file): platform changes by date show only against it, since a `since`
/// cannot express them.
fn v21() -> &'static Engine {
    static AT_RELEASE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    AT_RELEASE.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/v21.0-at-release.toml");
        Engine::new(&sendapi_spec::load_path(&path).unwrap_or_else(|e| panic!("{e}")))
    })
}

/// Every violation as (rule, severity, pointer), in report order.
fn summary(r: &Report) -> Vec<(&str, Severity, &str)> {
    r.violations
        .iter()
        .map(|v| (v.rule.as_str(), v.severity, v.pointer.as_str()))
        .collect()
}

/// Asserts that `r` holds exactly one violation, as given, and returns it.
#[track_caller]
fn only<'r>(
    r: &'r Report,
    rule: &str,
    kind: RuleKind,
    severity: Severity,
    pointer: &str,
) -> &'r Violation {
    assert_eq!(
        summary(r),
        vec![(rule, severity, pointer)],
        "violations: {:#?}",
        r.violations
    );
    let v = &r.violations[0];
    assert_eq!(v.kind, kind, "{v}");
    assert!(v.doc.starts_with("https://"), "{v}: doc {}", v.doc);
    assert!(!v.fix.is_empty(), "{v}");
    assert_eq!(r.is_valid(), severity == Severity::Warning);
    v
}

/// Asserts that `r` has no violation at all.
#[track_caller]
fn clean(r: &Report) {
    assert!(r.violations.is_empty(), "violations: {:#?}", r.violations);
}

/// Asserts that the message holds every fragment.
#[track_caller]
fn says(v: &Violation, fragments: &[&str]) {
    for f in fragments {
        assert!(v.message.contains(f), "message lacks {f:?}: {v}");
    }
}

fn text_body(text: impl Into<Value>) -> Value {
    json!({
        "recipient": {"id": "1254459154682919"},
        "messaging_type": "RESPONSE",
        "message": {"text": text.into()}
    })
}

fn message_body(message: Value) -> Value {
    json!({
        "recipient": {"id": "1254459154682919"},
        "messaging_type": "RESPONSE",
        "message": message
    })
}

fn template_body(payload: Value) -> Value {
    message_body(json!({"attachment": {"type": "template", "payload": payload}}))
}

fn button_template(buttons: Value) -> Value {
    template_body(json!({"template_type": "button", "text": "Pick one", "buttons": buttons}))
}

fn postback(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"type": "postback", "title": format!("B{i}"), "payload": format!("P{i}")}))
        .collect()
}

fn image_grid(images: Value) -> Value {
    template_body(json!({"template_type": "image_grid", "elements": [{"images": images}]}))
}

fn grid_images(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"url": format!("https://example.com/{i}.png")}))
        .collect()
}

fn tagged(tag: &str) -> Value {
    json!({
        "recipient": {"id": "1254459154682919"},
        "messaging_type": "MESSAGE_TAG",
        "tag": tag,
        "message": {"text": "Your order shipped"}
    })
}

/// The kinds this file exercises, with the test that does it.
const EXERCISED: &[(RuleKind, &str)] = &[
    (
        RuleKind::UnknownField,
        "unknown_field_suggests_the_snake_case_key",
    ),
    (RuleKind::OpenField, "open_field_is_a_warning_on_open_types"),
    (RuleKind::Type, "type_mismatch_names_expected_and_found"),
    (RuleKind::Coercion, "coercion_number_as_id"),
    (RuleKind::EnumValue, "enum_value_suggests_the_closest_value"),
    (RuleKind::Required, "required_field_missing"),
    (RuleKind::Status, "status_deprecated"),
    (RuleKind::ExactlyOneOf, "exactly_one_of_recipient"),
    (RuleKind::AtMostOneOf, "at_most_one_of_game_metadata"),
    (RuleKind::AtLeastOneOf, "at_least_one_of_generic_element"),
    (RuleKind::Requires, "requires_tag_needs_message_tag"),
    (
        RuleKind::Forbids,
        "forbids_sender_action_with_messaging_type",
    ),
    (RuleKind::MaxLen, "max_len_counts_characters_on_messenger"),
    (RuleKind::Items, "items_min_and_max_of_button_template"),
    (RuleKind::Range, "range_max_of_audio_call_expiry"),
    (RuleKind::UniqueTrue, "unique_true_one_hero_image"),
    (RuleKind::Pattern, "pattern_phone_number_button"),
    (RuleKind::PlatformOnly, "platform_only_field_level"),
    (RuleKind::RefusedSince, "refused_since_in_v26_not_in_v21"),
];

#[test]
fn every_kind_is_in_v26_and_exercised_here() {
    let spec = bundled("v26.0").unwrap();
    for kind in RuleKind::ALL {
        let n = spec.rules().iter().filter(|r| r.kind() == kind).count();
        assert!(n >= 1, "v26.0 has no rule of kind `{kind}`");
        assert!(
            EXERCISED.iter().any(|(k, _)| *k == kind),
            "kind `{kind}` is not exercised by tests/rule_kinds.rs"
        );
    }
    assert_eq!(EXERCISED.len(), RuleKind::ALL.len());
    // The list names real tests of this file.
    let source = include_str!("rule_kinds.rs");
    for (kind, test) in EXERCISED {
        assert!(
            source.contains(&format!("fn {test}()")),
            "{kind}: no test `{test}`"
        );
    }
}

#[test]
fn simple_bodies_are_clean_on_both_snapshots() {
    for engine in [v21(), v26()] {
        for platform in [M, IG] {
            clean(&engine.validate(&text_body("Hello"), platform));
            clean(&engine.validate(
                &json!({"recipient": {"id": "1"}, "sender_action": "typing_on"}),
                platform,
            ));
            clean(&engine.validate(&tagged("HUMAN_AGENT"), platform));
        }
    }
    assert_eq!(v26().snapshot(), "v26.0");
    assert_eq!(v21().snapshot(), "v21.0-at-release");
    assert_eq!(bundled_engine("v21.0").unwrap().snapshot(), "v21.0");
}

// ---------------------------------------------------------------------------
// Global kinds
// ---------------------------------------------------------------------------

#[test]
fn unknown_field_suggests_the_snake_case_key() {
    let bad = message_body(json!({"text": "hi", "quickReplies": []}));
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "body.unknown_field",
        RuleKind::UnknownField,
        E,
        "/message/quickReplies",
    );
    assert_eq!(v.message, "`quickReplies` is not a field of Message");
    assert!(
        v.fix
            .starts_with("did you mean `quick_replies`? remove it; Message takes `text`,"),
        "{}",
        v.fix
    );
    assert_eq!((v.code, v.subcode), (100, None));

    let good = message_body(json!({
        "text": "hi",
        "quick_replies": [{"content_type": "text", "title": "Yes", "payload": "Y"}]
    }));
    clean(&v26().validate(&good, M));
}

#[test]
fn unknown_field_without_a_close_name_has_no_suggestion() {
    let r = v26().validate(&message_body(json!({"text": "hi", "zzzzzz": 1})), M);
    let v = only(
        &r,
        "body.unknown_field",
        RuleKind::UnknownField,
        E,
        "/message/zzzzzz",
    );
    assert!(v.fix.starts_with("remove it; Message takes"), "{}", v.fix);
}

#[test]
fn unknown_field_in_unions() {
    // An inline variant (a button) knows its fields and the tag.
    let r = v26().validate(
        &button_template(json!([{"type": "web_url", "title": "Go", "url": "https://example.com", "paylod": "x"}])),
        M,
    );
    let v = only(
        &r,
        "body.unknown_field",
        RuleKind::UnknownField,
        E,
        "/message/attachment/payload/buttons/0/paylod",
    );
    assert_eq!(v.message, "`paylod` is not a field of UrlButton");

    // An adjacently tagged union (an attachment) takes its tag and content.
    let r = v26().validate(
        &message_body(json!({"attachment": {"type": "image", "payload": {"url": "https://example.com/a.png"}, "url": "x"}})),
        M,
    );
    let v = only(
        &r,
        "body.unknown_field",
        RuleKind::UnknownField,
        E,
        "/message/attachment/url",
    );
    assert!(
        v.fix.contains("Attachment takes `type` or `payload`"),
        "{}",
        v.fix
    );
}

#[test]
fn open_field_is_a_warning_on_open_types() {
    let bad = template_body(json!({"template_type": "customer_feedback", "questions": []}));
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "body.open_field",
        RuleKind::OpenField,
        W,
        "/message/attachment/payload/questions",
    );
    says(v, &["`questions`", "CustomerFeedbackTemplate"]);
    clean(&v26().validate(
        &template_body(json!({"template_type": "customer_feedback"})),
        M,
    ));
}

#[test]
fn type_mismatch_names_expected_and_found() {
    let r = v26().validate(&text_body(5), M);
    let v = only(&r, "body.type", RuleKind::Type, E, "/message/text");
    assert_eq!(v.message, "expected a string, found the number 5");

    let mut bad = text_body("hi");
    bad["messaging_type"] = json!(1);
    let r = v26().validate(&bad, M);
    let v = only(&r, "body.type", RuleKind::Type, E, "/messaging_type");
    assert_eq!(
        v.message,
        "expected a string (MessagingType), found the number 1"
    );

    let r = v26().validate(&json!([]), M);
    let v = only(&r, "body.type", RuleKind::Type, E, "");
    assert_eq!(
        v.message,
        "expected an object (SendRequest), found an array of 0 items"
    );
    assert_eq!(
        v.to_string(),
        format!("error[body.type] (body): {}; {}", v.message, v.fix)
    );

    clean(&v26().validate(&text_body("5"), M));
}

#[test]
fn coercion_number_as_id() {
    let mut bad = text_body("hi");
    bad["recipient"]["id"] = json!(1254459154682919u64);
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "coerce.number_as_id",
        RuleKind::Coercion,
        W,
        "/recipient/id",
    );
    says(v, &["1254459154682919"]);
    assert!(v.fix.contains("\"1254459154682919\""), "{}", v.fix);
    // A fraction is no id.
    bad["recipient"]["id"] = json!(1.5);
    only(
        &v26().validate(&bad, M),
        "body.type",
        RuleKind::Type,
        E,
        "/recipient/id",
    );
}

#[test]
fn coercion_string_as_bool() {
    let bad = message_body(
        json!({"attachment": {"type": "image", "payload": {"url": "https://example.com/a.png", "is_reusable": "true"}}}),
    );
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "coerce.string_as_bool",
        RuleKind::Coercion,
        W,
        "/message/attachment/payload/is_reusable",
    );
    says(v, &["\"true\""]);
    let good = message_body(
        json!({"attachment": {"type": "image", "payload": {"url": "https://example.com/a.png", "is_reusable": true}}}),
    );
    clean(&v26().validate(&good, M));
    // Any other string is a type error.
    let bad = message_body(
        json!({"attachment": {"type": "image", "payload": {"url": "https://example.com/a.png", "is_reusable": "yes"}}}),
    );
    only(
        &v26().validate(&bad, M),
        "body.type",
        RuleKind::Type,
        E,
        "/message/attachment/payload/is_reusable",
    );
}

#[test]
fn coercion_null_as_absent() {
    let r = v26().validate(&message_body(json!({"text": "hi", "metadata": null})), M);
    let v = only(
        &r,
        "coerce.null_as_absent",
        RuleKind::Coercion,
        W,
        "/message/metadata",
    );
    assert_eq!(v.message, "`metadata` is null; Graph treats it as absent");
    // A null required field is also missing.
    let r = v26().validate(
        &json!({"recipient": null, "messaging_type": "RESPONSE", "message": {"text": "hi"}}),
        M,
    );
    assert_eq!(
        summary(&r),
        vec![
            ("coerce.null_as_absent", W, "/recipient"),
            ("body.required", E, ""),
        ]
    );
}

#[test]
fn coercion_enum_alias() {
    let r = v26().validate(
        &json!({"recipient": {"id": "1"}, "sender_action": "TYPING_ON"}),
        M,
    );
    let v = only(
        &r,
        "coerce.enum_alias",
        RuleKind::Coercion,
        W,
        "/sender_action",
    );
    assert_eq!(
        v.message,
        "`TYPING_ON` is Graph's schema spelling of `typing_on`"
    );
}

#[test]
fn enum_value_suggests_the_closest_value() {
    let r = v26().validate(
        &json!({"recipient": {"id": "1"}, "sender_action": "TYPNG_ON"}),
        M,
    );
    let v = only(
        &r,
        "body.enum_value",
        RuleKind::EnumValue,
        E,
        "/sender_action",
    );
    assert_eq!(v.message, "`TYPNG_ON` is not a valid SenderAction");
    assert_eq!(
        v.fix,
        "did you mean `typing_on`? use one of `typing_on`, `typing_off`, `mark_seen`, `react` or `unreact`"
    );
    clean(&v26().validate(
        &json!({"recipient": {"id": "1"}, "sender_action": "typing_on"}),
        M,
    ));
}

#[test]
fn enum_value_of_a_union_tag() {
    let r = v26().validate(
        &template_body(json!({"template_type": "genric", "elements": []})),
        M,
    );
    let v = only(
        &r,
        "body.enum_value",
        RuleKind::EnumValue,
        E,
        "/message/attachment/payload/template_type",
    );
    says(v, &["`genric`", "TemplatePayload `template_type`"]);
    assert!(v.fix.starts_with("did you mean `generic`? "), "{}", v.fix);
}

#[test]
fn closest_matches_case_separators_and_typos() {
    let actions = ["typing_on", "typing_off", "mark_seen", "react", "unreact"];
    assert_eq!(closest("TYPNG_ON", actions), Some("typing_on"));
    assert_eq!(closest("TYPING_OFF", actions), Some("typing_off"));
    assert_eq!(closest("markSeen", actions), Some("mark_seen"));
    assert_eq!(
        closest("quickReplies", ["quick_replies", "text"]),
        Some("quick_replies")
    );
    assert_eq!(closest("banana", actions), None);
    assert_eq!(
        closest("react", ["react"]),
        None,
        "a name is no suggestion for itself"
    );
}

#[test]
fn required_field_missing() {
    let r = v26().validate(
        &json!({"messaging_type": "RESPONSE", "message": {"text": "hi"}}),
        M,
    );
    let v = only(&r, "body.required", RuleKind::Required, E, "");
    assert_eq!(v.message, "SendRequest needs `recipient`");
    assert_eq!(v.fix, "add `recipient`");

    // The tag of a union is required.
    let r = v26().validate(
        &button_template(json!([{"title": "Go", "payload": "x"}])),
        M,
    );
    let v = only(
        &r,
        "body.required",
        RuleKind::Required,
        E,
        "/message/attachment/payload/buttons/0",
    );
    assert_eq!(v.message, "Button needs `type`");

    // The content of an adjacently tagged union is required when its variant
    // has fields, and may be left out when it has none (the heart sticker).
    let r = v26().validate(&message_body(json!({"attachment": {"type": "image"}})), M);
    let v = only(
        &r,
        "body.required",
        RuleKind::Required,
        E,
        "/message/attachment",
    );
    assert_eq!(v.message, "Attachment needs `payload`");
    clean(&v26().validate(
        &message_body(json!({"attachment": {"type": "like_heart"}})),
        IG,
    ));
}

#[test]
fn status_deprecated() {
    let bad = json!({
        "recipient": {"notification_messages_token": "tok"},
        "messaging_type": "RESPONSE",
        "message": {"text": "hi"}
    });
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "status.deprecated",
        RuleKind::Status,
        W,
        "/recipient/notification_messages_token",
    );
    says(
        v,
        &["`notification_messages_token` is deprecated", "2026-02-10"],
    );
    // v21.0 predates the deprecation.
    clean(&v21().validate(&bad, M));
}

#[test]
fn status_deprecated_template_with_an_open_payload() {
    // The Recurring Notifications opt-in: deprecated since 2026-01-12, with
    // unconfirmed (and open) payload fields.
    let opt_in = |extra: Value| {
        let mut payload = json!({"template_type": "notification_messages", "title": "Weekly news"});
        payload
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        template_body(payload)
    };
    let r = v26().validate(&opt_in(json!({})), M);
    assert_eq!(
        summary(&r),
        vec![
            (
                "status.deprecated",
                W,
                "/message/attachment/payload/template_type"
            ),
            ("status.unconfirmed", W, "/message/attachment/payload/title"),
        ]
    );
    says(
        &r.violations[0],
        &["`notification_messages` is deprecated", "2026-01-12"],
    );
    assert!(r.is_valid());
    // v21.0 predates the deprecation; the fields are unconfirmed in both.
    assert_eq!(
        summary(&v21().validate(&opt_in(json!({})), M)),
        vec![("status.unconfirmed", W, "/message/attachment/payload/title")]
    );
    // An unknown key is a warning, not an error: the type is open.
    let r = v26().validate(&opt_in(json!({"cadence": "weekly"})), M);
    assert!(r.is_valid(), "{:#?}", r.violations);
    let v = r
        .violations
        .iter()
        .find(|v| v.rule == "body.open_field")
        .expect("open_field fires");
    assert_eq!(v.pointer, "/message/attachment/payload/cadence");
    says(v, &["`cadence`", "NotificationMessagesTemplate"]);
}

#[test]
fn response_types_are_open() {
    // Graph's return struct has undocumented extra fields (thread_key,
    // gchat_space_name): a response is read with warnings, not refused.
    for engine in [v21(), v26()] {
        let r = engine
            .validate_as(
                "MessageResponse",
                &json!({"recipient_id": "1", "message_id": "m_1", "gchat_space_name": "x"}),
                M,
            )
            .expect("MessageResponse exists");
        only(
            &r,
            "body.open_field",
            RuleKind::OpenField,
            W,
            "/gchat_space_name",
        );
        // Missing fields are still errors.
        let r = engine
            .validate_as("MessageResponse", &json!({"message_id": "m_1"}), M)
            .unwrap();
        only(&r, "body.required", RuleKind::Required, E, "");
    }
}

#[test]
fn status_retired() {
    let mut bad = text_body("hi");
    bad["messaging_type"] = json!("NON_PROMOTIONAL_SUBSCRIPTION");
    let r = v26().validate(&bad, M);
    let v = only(&r, "status.retired", RuleKind::Status, W, "/messaging_type");
    says(
        v,
        &["`NON_PROMOTIONAL_SUBSCRIPTION` is no longer documented"],
    );

    // A retired union variant is reported on its tag.
    let bad = message_body(
        json!({"text": "Where are you?", "quick_replies": [{"content_type": "location"}]}),
    );
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "status.retired",
        RuleKind::Status,
        W,
        "/message/quick_replies/0/content_type",
    );
    says(v, &["`location`"]);
}

#[test]
fn status_third_party() {
    let bad = template_body(json!({
        "template_type": "generic",
        "image_aspect_ratio": "square",
        "elements": [{"title": "T", "subtitle": "S"}]
    }));
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "status.third_party",
        RuleKind::Status,
        W,
        "/message/attachment/payload/image_aspect_ratio",
    );
    says(
        v,
        &["`image_aspect_ratio` is documented only by third parties"],
    );
}

#[test]
fn status_unconfirmed() {
    let mut bad = text_body("hi");
    bad["thread_control"] = json!({});
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "status.unconfirmed",
        RuleKind::Status,
        W,
        "/thread_control",
    );
    says(v, &["`thread_control` has no confirmed meaning"]);
}

#[test]
fn status_transport() {
    let mut bad = text_body("hi");
    bad["access_token"] = json!("EAAB");
    let r = v26().validate(&bad, M);
    let v = only(&r, "status.transport", RuleKind::Status, W, "/access_token");
    says(v, &["`access_token` is a request parameter"]);
    assert!(r.is_valid());
}

// ---------------------------------------------------------------------------
// Group kinds
// ---------------------------------------------------------------------------

#[test]
fn exactly_one_of_recipient() {
    let mut bad = text_body("hi");
    bad["recipient"] = json!({"id": "1", "user_ref": "u"});
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "recipient.exactly_one",
        RuleKind::ExactlyOneOf,
        E,
        "/recipient/user_ref",
    );
    says(v, &["found 2 (`id` and `user_ref`)"]);

    // None at all points at the recipient itself.
    bad["recipient"] = json!({});
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "recipient.exactly_one",
        RuleKind::ExactlyOneOf,
        E,
        "/recipient",
    );
    assert_eq!(
        v.message,
        "a recipient is identified by exactly one field, found 0 (none)"
    );

    for form in ["id", "user_ref", "post_id", "comment_id", "phone_number"] {
        bad["recipient"] = json!({form: "+16505551234"});
        clean(&v26().validate(&bad, M));
    }
}

#[test]
fn exactly_one_of_message_or_sender_action_has_a_subcode() {
    let bad =
        json!({"recipient": {"id": "1"}, "sender_action": "typing_on", "message": {"text": "hi"}});
    let r = v26().validate(&bad, M);
    assert_eq!(
        summary(&r),
        vec![
            ("request.message_xor_sender_action", E, "/sender_action"),
            ("request.messaging_type.missing", W, "/message"),
        ]
    );
    let v = &r.violations[0];
    assert_eq!((v.code, v.subcode), (100, Some(2018014)));
    says(v, &["`message` or `sender_action`", "found 2"]);
}

#[test]
fn exactly_one_of_message_body() {
    let r = v26().validate(
        &message_body(json!({"text": "hi", "sticker_id": 369239263222822u64})),
        M,
    );
    let v = only(
        &r,
        "message.exactly_one_body",
        RuleKind::ExactlyOneOf,
        E,
        "/message/sticker_id",
    );
    says(v, &["found 2 (`text` and `sticker_id`)"]);
    clean(&v26().validate(&message_body(json!({"sticker_id": 369239263222822u64})), M));
}

#[test]
fn at_most_one_of_game_metadata() {
    let button = |meta: Value| {
        button_template(json!([{"type": "game_play", "title": "Play", "game_metadata": meta}]))
    };
    let r = v26().validate(&button(json!({"player_id": "1", "context_id": "2"})), M);
    let v = only(
        &r,
        "button.game_play.one_target",
        RuleKind::AtMostOneOf,
        E,
        "/message/attachment/payload/buttons/0/game_metadata/context_id",
    );
    says(v, &["`player_id` and `context_id`"]);
    clean(&v26().validate(&button(json!({"player_id": "1"})), M));
    clean(&v26().validate(&button(json!({})), M));
}

#[test]
fn at_least_one_of_generic_element() {
    let generic = |el: Value| template_body(json!({"template_type": "generic", "elements": [el]}));
    let r = v26().validate(&generic(json!({"title": "Only a title"})), M);
    let v = only(
        &r,
        "generic.element.needs_more_than_title",
        RuleKind::AtLeastOneOf,
        E,
        "/message/attachment/payload/elements/0",
    );
    says(
        v,
        &["`subtitle`, `image_url`, `default_action` or `buttons`"],
    );
    clean(&v26().validate(
        &generic(json!({"title": "T", "image_url": "https://example.com/a.png"})),
        M,
    ));
}

// ---------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------

#[test]
fn requires_tag_needs_message_tag() {
    let mut bad = tagged("HUMAN_AGENT");
    bad["messaging_type"] = json!("RESPONSE");
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "request.tag.requires_message_tag",
        RuleKind::Requires,
        E,
        "/tag",
    );
    assert_eq!(
        v.message,
        "`tag` needs messaging_type MESSAGE_TAG, found \"RESPONSE\""
    );
    // Without messaging_type at all.
    let obj = bad.as_object_mut().unwrap();
    obj.remove("messaging_type");
    let r = v26().validate(&bad, M);
    assert_eq!(
        summary(&r),
        vec![
            ("request.messaging_type.missing", W, "/message"),
            ("request.tag.requires_message_tag", E, "/tag"),
        ]
    );
    says(&r.violations[1], &["found nothing"]);
    clean(&v26().validate(&tagged("HUMAN_AGENT"), M));
}

#[test]
fn requires_message_tag_needs_tag() {
    let mut bad = tagged("HUMAN_AGENT");
    bad.as_object_mut().unwrap().remove("tag");
    let r = v26().validate(&bad, M);
    only(
        &r,
        "request.message_tag.requires_tag",
        RuleKind::Requires,
        E,
        "/messaging_type",
    );
}

#[test]
fn requires_utility_and_template_go_together() {
    let template = json!({"name": "order_update", "language": {"code": "en"}});
    let mut good = message_body(json!({"template": template}));
    good["messaging_type"] = json!("UTILITY");
    clean(&v26().validate(&good, M));

    let mut bad = good.clone();
    bad["messaging_type"] = json!("RESPONSE");
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "request.template.requires_utility",
        RuleKind::Requires,
        E,
        "/message/template",
    );
    says(v, &["found \"RESPONSE\""]);

    let r = v26().validate(
        &json!({"recipient": {"id": "1"}, "messaging_type": "UTILITY", "message": {"text": "hi"}}),
        M,
    );
    only(
        &r,
        "request.utility.requires_template",
        RuleKind::Requires,
        E,
        "/messaging_type",
    );
}

#[test]
fn requires_reaction_payload_also_for_aliases() {
    for action in ["react", "REACT", "unreact", "UNREACT"] {
        let r = v26().validate(
            &json!({"recipient": {"id": "1"}, "sender_action": action}),
            M,
        );
        let rules: Vec<&str> = r.errors().map(|v| v.rule.as_str()).collect();
        assert_eq!(rules, ["request.reaction.requires_payload"], "{action}");
        assert_eq!(r.errors().next().unwrap().pointer, "/sender_action");
    }
    let good = json!({"recipient": {"id": "1"}, "sender_action": "react", "payload": {"message_id": "m_1", "reaction": "love"}});
    clean(&v26().validate(&good, M));
    // A payload without a reaction.
    let bad = json!({"recipient": {"id": "1"}, "sender_action": "typing_on", "payload": {"message_id": "m_1", "reaction": "love"}});
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "request.payload.requires_reaction",
        RuleKind::Requires,
        E,
        "/payload",
    );
    says(v, &["found \"typing_on\""]);
}

#[test]
fn requires_customer_feedback_tag_with_its_template() {
    let mut bad = tagged("CUSTOMER_FEEDBACK");
    let r = v26().validate(&bad, M);
    only(
        &r,
        "request.customer_feedback.requires_template",
        RuleKind::Requires,
        E,
        "/tag",
    );
    bad["message"] = json!({"attachment": {"type": "template", "payload": {"template_type": "customer_feedback"}}});
    clean(&v26().validate(&bad, M));
}

#[test]
fn requires_image_for_an_empty_quick_reply_title() {
    let qr = |q: Value| message_body(json!({"text": "Pick", "quick_replies": [q]}));
    let r = v26().validate(
        &qr(json!({"content_type": "text", "title": "", "payload": "P"})),
        M,
    );
    only(
        &r,
        "quick_reply.image_url.required_without_title",
        RuleKind::Requires,
        E,
        "/message/quick_replies/0/title",
    );
    clean(&v26().validate(
        &qr(json!({"content_type": "text", "title": "", "payload": "P", "image_url": "https://example.com/i.png"})),
        M,
    ));
}

#[test]
fn forbids_sender_action_with_messaging_type() {
    let bad = json!({"recipient": {"id": "1"}, "messaging_type": "RESPONSE", "sender_action": "typing_on"});
    let r = v26().validate(&bad, M);
    let v = only(
        &r,
        "request.sender_action.forbids_messaging_type",
        RuleKind::Forbids,
        E,
        "/messaging_type",
    );
    says(v, &["found `messaging_type`"]);
    assert_eq!(v.fix, "remove `messaging_type`");
}

#[test]
fn a_reaction_on_unreact_is_reported_once() {
    let bad = json!({"recipient": {"id": "1"}, "sender_action": "unreact", "payload": {"message_id": "m_1", "reaction": "love"}});
    for engine in [v21(), v26()] {
        let r = engine.validate(&bad, M);
        // The payload of unreact is UnreactPayload, which has no `reaction`:
        // one unknown key, no second report by a forbids rule.
        assert_eq!(
            summary(&r),
            vec![("body.unknown_field", E, "/payload/reaction")],
            "{}",
            engine.snapshot()
        );
        says(&r.violations[0], &["`reaction`", "UnreactPayload"]);
    }
    let good = json!({"recipient": {"id": "1"}, "sender_action": "unreact", "payload": {"message_id": "m_1"}});
    clean(&v26().validate(&good, M));
}

#[test]
fn forbids_quick_replies_with_a_sticker() {
    let bad = message_body(json!({
        "sticker_id": 369239263222822u64,
        "quick_replies": [{"content_type": "text", "title": "Yes", "payload": "Y"}]
    }));
    let r = v26().validate(&bad, M);
    only(
        &r,
        "message.sticker.forbids_quick_replies",
        RuleKind::Forbids,
        E,
        "/message/quick_replies",
    );
}

// ---------------------------------------------------------------------------
// Limits and patterns
// ---------------------------------------------------------------------------

#[test]
fn max_len_counts_characters_on_messenger() {
    // 2000 emoji are 2000 characters (8000 bytes, 4000 UTF-16 units).
    clean(&v26().validate(&text_body("😀".repeat(2000)), M));
    clean(&v26().validate(&text_body("é".repeat(2000)), M));
    let r = v26().validate(&text_body("é".repeat(2001)), M);
    let v = only(
        &r,
        "message.text.max_len",
        RuleKind::MaxLen,
        E,
        "/message/text",
    );
    assert_eq!(v.message, "text is 2001 characters; Messenger allows 2000");
}

#[test]
fn max_len_counts_bytes_on_instagram() {
    clean(&v26().validate(&text_body("a".repeat(1000)), IG));
    clean(&v26().validate(&text_body("é".repeat(500)), IG));
    let r = v26().validate(&text_body("é".repeat(501)), IG);
    let v = only(
        &r,
        "message.text.max_len_instagram",
        RuleKind::MaxLen,
        E,
        "/message/text",
    );
    assert_eq!(
        v.message,
        "text is 1002 bytes of UTF-8; Instagram allows 1000"
    );
    // Each rule applies on its own platform only.
    let long = text_body("a".repeat(2001));
    assert_eq!(
        summary(&v26().validate(&long, IG)),
        vec![("message.text.max_len_instagram", E, "/message/text")]
    );
    assert_eq!(
        summary(&v26().validate(&long, M)),
        vec![("message.text.max_len", E, "/message/text")]
    );
    // 600 characters of é pass Messenger and fail Instagram.
    clean(&v26().validate(&text_body("é".repeat(600)), M));
}

#[test]
fn max_len_as_a_warning_and_in_arrays() {
    let qr = |title: &str| {
        message_body(json!({"text": "Pick", "quick_replies": [
            {"content_type": "text", "title": "ok", "payload": "A"},
            {"content_type": "text", "title": title, "payload": "B"}
        ]}))
    };
    let r = v26().validate(&qr(&"t".repeat(21)), M);
    let v = only(
        &r,
        "quick_reply.title.max_len",
        RuleKind::MaxLen,
        W,
        "/message/quick_replies/1/title",
    );
    says(v, &["21 characters", "cuts it to 20"]);
    clean(&v26().validate(&qr(&"t".repeat(20)), M));
}

#[test]
fn items_min_and_max_of_button_template() {
    let r = v26().validate(&button_template(json!([])), M);
    let v = only(
        &r,
        "button_template.buttons.items",
        RuleKind::Items,
        E,
        "/message/attachment/payload/buttons",
    );
    assert_eq!(v.message, "0 buttons; a button template has 1 to 3");
    let r = v26().validate(&button_template(json!(postback(4))), M);
    let v = only(
        &r,
        "button_template.buttons.items",
        RuleKind::Items,
        E,
        "/message/attachment/payload/buttons",
    );
    assert_eq!(v.message, "4 buttons; a button template has 1 to 3");
    for n in 1..=3 {
        clean(&v26().validate(&button_template(json!(postback(n))), M));
    }
}

#[test]
fn items_min_and_max_of_image_grid() {
    let r = v26().validate(&image_grid(json!(grid_images(1))), M);
    let v = only(
        &r,
        "image_grid.images.items",
        RuleKind::Items,
        E,
        "/message/attachment/payload/elements/0/images",
    );
    assert_eq!(v.message, "1 image; an image grid has 2 to 6");
    let r = v26().validate(&image_grid(json!(grid_images(7))), M);
    says(
        only(
            &r,
            "image_grid.images.items",
            RuleKind::Items,
            E,
            "/message/attachment/payload/elements/0/images",
        ),
        &["7 images"],
    );
    for n in 2..=6 {
        clean(&v26().validate(&image_grid(json!(grid_images(n))), M));
    }
}

#[test]
fn items_max_only_and_platform_specific() {
    let qrs: Vec<Value> = (0..14)
        .map(|i| json!({"content_type": "text", "title": format!("Q{i}"), "payload": i}))
        .collect();
    let r = v26().validate(
        &message_body(json!({"text": "Pick", "quick_replies": qrs})),
        M,
    );
    let v = only(
        &r,
        "message.quick_replies.items",
        RuleKind::Items,
        E,
        "/message/quick_replies",
    );
    assert_eq!(v.message, "14 quick replies; at most 13 are allowed");

    let images = |n: usize| -> Value {
        let items: Vec<Value> = (0..n)
            .map(|i| json!({"type": "image", "payload": {"url": format!("https://example.com/{i}.png")}}))
            .collect();
        message_body(json!({"attachments": items}))
    };
    let r = v26().validate(&images(11), IG);
    let v = only(
        &r,
        "message.attachments.items_instagram",
        RuleKind::Items,
        E,
        "/message/attachments",
    );
    assert_eq!(
        v.message,
        "11 attachments; Instagram takes 1 to 10 images per message"
    );
    clean(&v26().validate(&images(10), IG));
    // No documented maximum on Messenger.
    clean(&v26().validate(&images(11), M));

    // A minimum alone, on every platform: an empty list sends nothing.
    let r = v26().validate(&images(0), M);
    let v = only(
        &r,
        "message.attachments.items",
        RuleKind::Items,
        E,
        "/message/attachments",
    );
    assert_eq!(v.message, "`attachments` is empty");
    // On Instagram the platform's own 1-to-10 rule fires as well.
    assert_eq!(
        summary(&v26().validate(&images(0), IG)),
        vec![
            (
                "message.attachments.items_instagram",
                E,
                "/message/attachments"
            ),
            ("message.attachments.items", E, "/message/attachments"),
        ]
    );
    clean(&v26().validate(&images(1), M));
}

#[test]
fn unique_true_one_hero_image() {
    let mut imgs = grid_images(3);
    imgs[0]["is_hero_image"] = json!(true);
    imgs[1]["is_hero_image"] = json!(false);
    clean(&v26().validate(&image_grid(json!(imgs.clone())), M));
    imgs[2]["is_hero_image"] = json!(true);
    let r = v26().validate(&image_grid(json!(imgs)), M);
    let v = only(
        &r,
        "image_grid.one_hero",
        RuleKind::UniqueTrue,
        E,
        "/message/attachment/payload/elements/0/images/2/is_hero_image",
    );
    assert_eq!(
        v.message,
        "2 images are marked is_hero_image; at most one may be"
    );
}

#[test]
fn pattern_phone_number_button() {
    let call = |number: &str| {
        button_template(json!([{"type": "phone_number", "title": "Call", "payload": number}]))
    };
    let r = v26().validate(&call("650 555 1234"), M);
    let v = only(
        &r,
        "button.call.payload.format",
        RuleKind::Pattern,
        E,
        "/message/attachment/payload/buttons/0/payload",
    );
    assert_eq!(
        v.message,
        "phone number \"650 555 1234\" is not + followed by digits, without spaces"
    );
    clean(&v26().validate(&call("+16505551234"), M));
}

#[test]
fn pattern_https_and_facebook_urls() {
    let r = v26().validate(
        &button_template(json!([{"type": "account_link", "url": "http://example.com/login"}])),
        M,
    );
    let v = only(
        &r,
        "button.account_link.url.https",
        RuleKind::Pattern,
        E,
        "/message/attachment/payload/buttons/0/url",
    );
    says(v, &["\"http://example.com/login\"", "an HTTPS URL"]);

    let media = |url: &str| {
        template_body(
            json!({"template_type": "media", "elements": [{"media_type": "image", "url": url}]}),
        )
    };
    // Meta lists no hosts for "a Facebook URL", so the host list is
    // unsourced and a miss is a warning (it used to be an error).
    let r = v26().validate(&media("https://example.com/cat.jpg"), M);
    assert!(r.is_valid());
    let v = only(
        &r,
        "media_template.element.url.facebook",
        RuleKind::Pattern,
        W,
        "/message/attachment/payload/elements/0/url",
    );
    says(v, &["\"https://example.com/cat.jpg\"", "a Facebook URL"]);
    clean(&v26().validate(&media("https://www.facebook.com/photo.php?fbid=1"), M));
    // Look-alike hosts are not Facebook.
    let r = v26().validate(&media("https://facebook.com.evil.example/x"), M);
    assert_eq!(
        summary(&r),
        vec![(
            "media_template.element.url.facebook",
            W,
            "/message/attachment/payload/elements/0/url"
        )]
    );
}

#[test]
fn pattern_as_a_warning() {
    let mut body = text_body("hi");
    body["recipient"] = json!({"phone_number": "6505551234"});
    let r = v26().validate(&body, M);
    let v = only(
        &r,
        "recipient.phone_number.format",
        RuleKind::Pattern,
        W,
        "/recipient/phone_number",
    );
    says(v, &["\"6505551234\""]);
    body["recipient"] = json!({"phone_number": "+1(212)555-2368"});
    clean(&v26().validate(&body, M));
}

fn audio_call(days: Value) -> Value {
    button_template(json!([{"type": "audio_call", "title": "Call us", "expires_in_days": days}]))
}

#[test]
fn range_max_of_audio_call_expiry() {
    const AT: &str = "/message/attachment/payload/buttons/0/expires_in_days";
    for engine in [v21(), v26()] {
        let r = engine.validate(&audio_call(json!(8)), M);
        let v = only(
            &r,
            "button.audio_call.expires_in_days.range",
            RuleKind::Range,
            E,
            AT,
        );
        assert_eq!(
            v.message,
            "expires_in_days is 8; a call button stays usable 7 days at most"
        );
        assert_eq!(v.fix, "use a value up to 7 (the default is 7)");
        assert_eq!((v.code, v.subcode), (100, None));
        // The bound itself, anything below it, and no value at all pass: the
        // rule has no `min`.
        for days in [json!(7), json!(1), json!(0), json!(-3), json!(null)] {
            let r = engine.validate(&audio_call(days.clone()), M);
            assert!(r.errors().next().is_none(), "{days}: {:#?}", r.violations);
        }
        clean(&engine.validate(
            &button_template(json!([{"type": "audio_call", "title": "Call us"}])),
            M,
        ));
    }
    // The value is shown as written, fractions included; a fraction is also
    // no integer.
    let r = v26().validate(&audio_call(json!(7.25)), M);
    assert_eq!(
        summary(&r),
        vec![
            ("body.type", E, AT),
            ("button.audio_call.expires_in_days.range", E, AT),
        ]
    );
    says(&r.violations[1], &["expires_in_days is 7.25"]);
    // A string is a type error, not a range violation.
    only(
        &v26().validate(&audio_call(json!("8")), M),
        "body.type",
        RuleKind::Type,
        E,
        AT,
    );
    // An expression of unknown value passes at expansion.
    clean(&v26().validate_literal(&audio_call(json!(OPAQUE)), M));
    only(
        &v26().validate_literal(&audio_call(json!(30)), M),
        "button.audio_call.expires_in_days.range",
        RuleKind::Range,
        E,
        AT,
    );
}

/// v26.0 with the audio_call range rule's bounds and message replaced.
fn with_range(bounds: &str, message: &str) -> Engine {
    let text = common::edit_rule(V26_TOML, "button.audio_call.expires_in_days.range", |b| {
        let b = b.replace("max = 7\n", bounds);
        let old = b.lines().find(|l| l.starts_with("message = ")).unwrap();
        b.replace(old, &format!("message = \"{message}\""))
    });
    Engine::new(&load_str("range.toml", &text).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn range_min_only_and_both_bounds() {
    const AT: &str = "/message/attachment/payload/buttons/0/expires_in_days";
    // `min` alone: `{max}` reads "any".
    let e = with_range("min = 1\n", "{value} is outside {min} to {max}");
    let r = e.validate(&audio_call(json!(0)), M);
    let v = only(
        &r,
        "button.audio_call.expires_in_days.range",
        RuleKind::Range,
        E,
        AT,
    );
    assert_eq!(v.message, "0 is outside 1 to any");
    // Below `min` and no integer: both rules speak.
    assert_eq!(
        summary(&e.validate(&audio_call(json!(-1.5)), M)),
        vec![
            ("body.type", E, AT),
            ("button.audio_call.expires_in_days.range", E, AT),
        ]
    );
    for days in [1, 7, 1000] {
        clean(&e.validate(&audio_call(json!(days)), M));
    }
    // `max` alone: `{min}` reads "any".
    let e = with_range("max = 7\n", "{value} is outside {min} to {max}");
    says(
        only(
            &e.validate(&audio_call(json!(9)), M),
            "button.audio_call.expires_in_days.range",
            RuleKind::Range,
            E,
            AT,
        ),
        &["9 is outside any to 7"],
    );
    // Both: each side fires, the bounds themselves pass.
    let e = with_range("min = 2\nmax = 5\n", "{value} not in {min}..={max}");
    for (days, fires) in [(1, true), (2, false), (5, false), (6, true)] {
        let r = e.validate(&audio_call(json!(days)), M);
        if fires {
            let v = only(
                &r,
                "button.audio_call.expires_in_days.range",
                RuleKind::Range,
                E,
                AT,
            );
            assert_eq!(v.message, format!("{days} not in 2..=5"));
        } else {
            clean(&r);
        }
    }
}

fn url_button(url: Value, extensions: Value) -> Value {
    button_template(
        json!([{"type": "web_url", "title": "Menu", "url": url, "messenger_extensions": extensions}]),
    )
}

fn default_action(url: Value, extensions: Value) -> Value {
    template_body(json!({"template_type": "generic", "elements": [{
        "title": "Menu",
        "default_action": {"type": "web_url", "url": url, "messenger_extensions": extensions}
    }]}))
}

#[test]
fn requires_with_a_matches_condition() {
    let button_at = "/message/attachment/payload/buttons/0/messenger_extensions";
    let action_at = "/message/attachment/payload/elements/0/default_action/messenger_extensions";
    for engine in [v21(), v26()] {
        for p in [M, IG] {
            let r = engine.validate(
                &url_button(json!("http://example.com/menu"), json!(true)),
                p,
            );
            let v = only(
                &r,
                "button.url.messenger_extensions.https",
                RuleKind::Requires,
                E,
                button_at,
            );
            assert_eq!(
                v.message,
                "a URL button with messenger_extensions needs an HTTPS url, found \"http://example.com/menu\""
            );
            assert_eq!(
                v.fix,
                "serve the page over https://, or set messenger_extensions to false"
            );
            let r = engine.validate(
                &default_action(json!("http://example.com/menu"), json!(true)),
                p,
            );
            says(
                only(
                    &r,
                    "default_action.messenger_extensions.https",
                    RuleKind::Requires,
                    E,
                    action_at,
                ),
                &["a default action", "\"http://example.com/menu\""],
            );
            // HTTPS, or no extensions, passes.
            for body in [
                url_button(json!("https://example.com/menu"), json!(true)),
                url_button(json!("http://example.com/menu"), json!(false)),
                default_action(json!("https://example.com/menu"), json!(true)),
                default_action(json!("http://example.com/menu"), json!(false)),
            ] {
                clean(&engine.validate(&body, p));
            }
        }
    }
    // The regex is anchored: "https://" inside the URL is no match, and the
    // scheme is matched case-sensitively as written.
    for url in ["see https://example.com", "HTTPS://example.com", ""] {
        only(
            &v26().validate(&url_button(json!(url), json!(true)), M),
            "button.url.messenger_extensions.https",
            RuleKind::Requires,
            E,
            button_at,
        );
    }
    // `"true"` is read as true (with a coercion warning).
    assert_eq!(
        summary(&v26().validate(&url_button(json!("http://example.com"), json!("true")), M)),
        vec![
            ("coerce.string_as_bool", W, button_at),
            ("button.url.messenger_extensions.https", E, button_at),
        ]
    );
    // A value that is not a string never matches: the type error comes with
    // the rule, which names what it found.
    let r = v26().validate(&url_button(json!(443), json!(true)), M);
    assert_eq!(
        summary(&r),
        vec![
            ("body.type", E, "/message/attachment/payload/buttons/0/url"),
            ("button.url.messenger_extensions.https", E, button_at),
        ]
    );
    says(&r.violations[1], &["found the number 443"]);
}

#[test]
fn matches_in_when_and_the_value_placeholder() {
    // A forbids rule whose `when` is a `matches` test, and a message that
    // shows `{value}` ("a match of `…`") and `{found}`.
    let rule = "[[rules]]\nid = \"button.url.http_forbids_extensions\"\nkind = \"forbids\"\non = \"UrlButton\"\nwhen = { path = \"url\", matches = '^http://' }\nthen = { path = \"messenger_extensions\", equals = \"true\" }\nseverity = \"warning\"\nevidence = \"C\"\nmessage = \"`{field}` with {path} {found}\"\nfix = \"drop it\"\nsource = \"BTN\"\ncode = 100\n\n";
    let text = common::edit(
        V26_TOML,
        "[[rules]]\nid = \"message.exactly_one_body\"",
        &format!("{rule}[[rules]]\nid = \"message.exactly_one_body\""),
    );
    let text = common::edit_rule(&text, "button.url.messenger_extensions.https", |b| {
        b.replace(
            "message = \"a URL button with messenger_extensions needs an HTTPS url, found {found}\"",
            "message = \"url must be {value}, found {found}\"",
        )
    });
    let e = Engine::new(&load_str("matches.toml", &text).unwrap_or_else(|e| panic!("{e}")));
    let r = e.validate(&url_button(json!("http://example.com"), json!(true)), M);
    assert_eq!(
        summary(&r),
        vec![
            (
                "button.url.http_forbids_extensions",
                W,
                "/message/attachment/payload/buttons/0/messenger_extensions"
            ),
            (
                "button.url.messenger_extensions.https",
                E,
                "/message/attachment/payload/buttons/0/messenger_extensions"
            ),
        ]
    );
    assert_eq!(
        r.violations[0].message,
        "`messenger_extensions` with url the boolean true"
    );
    assert_eq!(
        r.violations[1].message,
        "url must be a match of `^https://`, found \"http://example.com\""
    );
    // The `when` does not hold for other schemes, or without a url.
    clean(&e.validate(&url_button(json!("https://example.com"), json!(true)), M));
    clean(&e.validate(&url_button(json!("mailto:x@example.com"), json!(false)), M));
}

#[test]
fn validate_literal_skips_a_matches_test_on_an_expression() {
    let button_at = "/message/attachment/payload/buttons/0/messenger_extensions";
    for p in [M, IG] {
        // The url is an expression: whether it is HTTPS is unknown, so the
        // rule is skipped at expansion (validate() checks it at run time).
        clean(&v26().validate_literal(&url_button(json!(OPAQUE), json!(true)), p));
        clean(&v26().validate_literal(&default_action(json!(OPAQUE), json!(true)), p));
        // The switch is an expression: the `when` is unknown.
        clean(&v26().validate_literal(&url_button(json!("http://example.com"), json!(OPAQUE)), p));
        clean(&v26().validate_literal(
            &default_action(json!("http://example.com"), json!(OPAQUE)),
            p,
        ));
        // The whole button list, or the whole default action, is an
        // expression: nothing below it is guessed.
        let body = button_template(json!(OPAQUE));
        clean(&v26().validate_literal(&body, p));
        let body = template_body(
            json!({"template_type": "generic", "elements": [{"title": "Menu", "default_action": OPAQUE}]}),
        );
        clean(&v26().validate_literal(&body, p));
        // Both literal: checked at expansion like in validate().
        only(
            &v26().validate_literal(&url_button(json!("http://example.com"), json!(true)), p),
            "button.url.messenger_extensions.https",
            RuleKind::Requires,
            E,
            button_at,
        );
    }
    // Read as plain JSON, the placeholder is a string that is not HTTPS.
    only(
        &v26().validate(&url_button(json!(OPAQUE), json!(true)), M),
        "button.url.messenger_extensions.https",
        RuleKind::Requires,
        E,
        button_at,
    );
}

// ---------------------------------------------------------------------------
// Platforms and dates
// ---------------------------------------------------------------------------

#[test]
fn platform_only_field_level() {
    let mut body = text_body("hi");
    body["recipient"] = json!({"post_id": "123_456"});
    let r = v26().validate(&body, IG);
    let v = only(
        &r,
        "recipient.post_id.platform",
        RuleKind::PlatformOnly,
        E,
        "/recipient/post_id",
    );
    assert_eq!(
        v.message,
        "`post_id` private replies exist on Messenger only"
    );
    clean(&v26().validate(&body, M));

    // A warning-level field rule.
    body["recipient"] = json!({"user_ref": "ref"});
    let r = v26().validate(&body, IG);
    let v = only(
        &r,
        "recipient.user_ref.platform",
        RuleKind::PlatformOnly,
        W,
        "/recipient/user_ref",
    );
    says(v, &["Instagram"]);
    clean(&v26().validate(&body, M));
}

#[test]
fn platform_only_field_level_instagram_only() {
    // No v26.0 field is Instagram-only, so give `metadata` that restriction
    // and the rule that enforces it.
    let text = common::edit(
        V26_TOML,
        "fields.metadata = { rust = \"metadata\", type = \"string\", ",
        "fields.metadata = { rust = \"metadata\", type = \"string\", platforms = [\"instagram\"], ",
    );
    let rule = "[[rules]]\nid = \"message.metadata.platform\"\nkind = \"platform_only\"\non = \"Message\"\npath = \"metadata\"\nseverity = \"error\"\nevidence = \"C\"\nmessage = \"`{field}` exists on {platforms} only, not {platform}\"\nfix = \"remove `{field}`\"\nsource = \"REF\"\ncode = 100\n\n";
    let text = common::edit(
        &text,
        "[[rules]]\nid = \"message.exactly_one_body\"",
        &format!("{rule}[[rules]]\nid = \"message.exactly_one_body\""),
    );
    let spec = load_str("ig-only.toml", &text).unwrap();
    let engine = Engine::new(&spec);
    let body = message_body(json!({"text": "hi", "metadata": "m"}));
    let r = engine.validate(&body, M);
    let v = only(
        &r,
        "message.metadata.platform",
        RuleKind::PlatformOnly,
        E,
        "/message/metadata",
    );
    assert_eq!(
        v.message,
        "`metadata` exists on Instagram only, not Messenger"
    );
    clean(&engine.validate(&body, IG));
}

#[test]
fn platform_only_changed_by_date_attachments_and_files() {
    // Instagram: several images per message since 2026-05-06 (a warning at
    // v21.0, which predates it), PDF files since 2025-12-19 (an error).
    let images = message_body(json!({"attachments": [
        {"type": "image", "payload": {"url": "https://example.com/a.png"}},
        {"type": "image", "payload": {"url": "https://example.com/b.png"}}
    ]}));
    let r = v21().validate(&images, IG);
    let v = only(
        &r,
        "message.attachments.platform",
        RuleKind::PlatformOnly,
        W,
        "/message/attachments",
    );
    assert_eq!(
        v.message,
        "several images in one message are not generally available on Instagram at this version"
    );
    assert_eq!(v.fix, "send one image per message on Instagram");
    clean(&v21().validate(&images, M));
    clean(&v26().validate(&images, IG));

    let file = message_body(
        json!({"attachment": {"type": "file", "payload": {"url": "https://example.com/menu.pdf"}}}),
    );
    let r = v21().validate(&file, IG);
    let v = only(
        &r,
        "attachment.platform",
        RuleKind::PlatformOnly,
        E,
        "/message/attachment/type",
    );
    assert_eq!(
        v.message,
        "attachment type file exists on Messenger only, not Instagram"
    );
    clean(&v21().validate(&file, M));
    clean(&v26().validate(&file, IG));
}

#[test]
fn platform_only_value_level_instagram_only() {
    let body = message_body(
        json!({"attachment": {"type": "MEDIA_SHARE", "payload": {"id": "17895695668004550"}}}),
    );
    let r = v26().validate(&body, M);
    let v = only(
        &r,
        "attachment.platform",
        RuleKind::PlatformOnly,
        E,
        "/message/attachment/type",
    );
    assert_eq!(
        v.message,
        "attachment type MEDIA_SHARE exists on Instagram only, not Messenger"
    );
    clean(&v26().validate(&body, IG));
}

#[test]
fn platform_only_value_level_messenger_only() {
    let mut body = tagged("CUSTOMER_FEEDBACK");
    body["message"] = json!({"attachment": {"type": "template", "payload": {"template_type": "customer_feedback"}}});
    let r = v26().validate(&body, IG);
    assert_eq!(
        summary(&r),
        vec![
            (
                "template.instagram_unlisted",
                W,
                "/message/attachment/payload/template_type"
            ),
            ("request.tag.platform", E, "/tag"),
        ]
    );
    let v = &r.violations[1];
    assert_eq!(v.kind, RuleKind::PlatformOnly);
    assert_eq!(
        v.message,
        "tag CUSTOMER_FEEDBACK is not available on Instagram; it exists on Messenger only"
    );
    clean(&v26().validate(&body, M));
}

#[test]
fn platform_only_changed_by_date_quick_replies() {
    // Instagram disabled phone and email quick replies on 2026-10-05.
    let body = message_body(
        json!({"text": "Your email?", "quick_replies": [{"content_type": "user_email"}]}),
    );
    let r = v26().validate(&body, IG);
    let v = only(
        &r,
        "quick_reply.platform",
        RuleKind::PlatformOnly,
        E,
        "/message/quick_replies/0/content_type",
    );
    assert_eq!(
        v.message,
        "user_email quick replies are not available on Instagram"
    );
    clean(&v26().validate(&body, M));
    clean(&v21().validate(&body, IG));
}

#[test]
fn refused_since_in_v26_not_in_v21() {
    for tag in [
        "ACCOUNT_UPDATE",
        "CONFIRMED_EVENT_UPDATE",
        "POST_PURCHASE_UPDATE",
    ] {
        let body = tagged(tag);
        let r = v26().validate(&body, M);
        let v = only(
            &r,
            "request.tag.refused_since",
            RuleKind::RefusedSince,
            E,
            "/tag",
        );
        assert_eq!(
            v.message,
            format!("tag {tag} is refused by Graph since 2026-04-27 (error 100)")
        );
        assert!(v.fix.contains("utility message"), "{}", v.fix);
        assert_eq!(v.code, 100);
        // v21.0 describes the rules before the refusal.
        clean(&v21().validate(&body, M));
    }
    clean(&v26().validate(&tagged("HUMAN_AGENT"), M));
}

#[test]
fn legacy_tags_are_unsourced_warnings_in_both_snapshots() {
    // No source names these tags, a refusal date or a replacement: a
    // retired warning that says so, and no refused_since error any more.
    for tag in [
        "ISSUE_RESOLUTION",
        "APPLICATION_UPDATE",
        "PAIRING_UPDATE",
        "TRANSPORTATION_UPDATE",
        "PAYMENT_UPDATE",
    ] {
        for engine in [v21(), v26()] {
            let r = engine.validate(&tagged(tag), M);
            assert_eq!(
                summary(&r),
                vec![("status.retired", W, "/tag")],
                "{tag} under {}",
                engine.snapshot()
            );
            says(&r.violations[0], &[tag, "unsourced"]);
        }
    }
}

// ---------------------------------------------------------------------------
// Expressions in `request!` bodies
// ---------------------------------------------------------------------------

#[test]
fn validate_literal_skips_value_rules_on_opaque_values() {
    let body = json!({
        "recipient": {"id": OPAQUE},
        "messaging_type": "MESSAGE_TAG",
        "tag": OPAQUE,
        "message": {"text": OPAQUE, "quick_replies": OPAQUE}
    });
    for p in [M, IG] {
        clean(&v26().validate_literal(&body, p));
    }
    // Read as plain JSON, the placeholder is just a bad string.
    let r = v26().validate(&body, M);
    assert_eq!(
        summary(&r),
        vec![
            ("body.type", E, "/message/quick_replies"),
            ("body.enum_value", E, "/tag"),
        ]
    );

    // Patterns, lengths and sender actions of unknown value pass.
    let call =
        button_template(json!([{"type": "phone_number", "title": OPAQUE, "payload": OPAQUE}]));
    clean(&v26().validate_literal(&call, M));
    let react = json!({"recipient": {"id": "1"}, "sender_action": OPAQUE, "payload": {"message_id": "m_1", "reaction": "love"}});
    clean(&v26().validate_literal(&react, M));
    let mt = json!({"recipient": {"id": "1"}, "messaging_type": OPAQUE, "tag": "HUMAN_AGENT", "message": {"text": "hi"}});
    clean(&v26().validate_literal(&mt, M));

    // Literal values next to expressions are still checked.
    let body = json!({
        "recipient": {"id": OPAQUE},
        "messaging_type": "MESSAGE_TAG",
        "tag": "ACCOUNT_UPDATE",
        "message": {"text": OPAQUE}
    });
    only(
        &v26().validate_literal(&body, M),
        "request.tag.refused_since",
        RuleKind::RefusedSince,
        E,
        "/tag",
    );
}

#[test]
fn validate_literal_still_checks_presence_rules() {
    // Both a message and a sender action, whatever their values.
    let both =
        json!({"recipient": {"id": OPAQUE}, "message": {"text": OPAQUE}, "sender_action": OPAQUE});
    assert_eq!(
        summary(&v26().validate_literal(&both, M)),
        vec![
            ("request.message_xor_sender_action", E, "/sender_action"),
            ("request.messaging_type.missing", W, "/message"),
        ]
    );
    // A missing required field.
    let r = v26().validate_literal(
        &json!({"messaging_type": "RESPONSE", "message": {"text": OPAQUE}}),
        M,
    );
    only(&r, "body.required", RuleKind::Required, E, "");
    // A field forbidden next to a sender action.
    let r = v26().validate_literal(
        &json!({"recipient": {"id": "1"}, "messaging_type": "RESPONSE", "sender_action": OPAQUE}),
        M,
    );
    only(
        &r,
        "request.sender_action.forbids_messaging_type",
        RuleKind::Forbids,
        E,
        "/messaging_type",
    );
    // Two recipient forms.
    let r = v26().validate_literal(&json!({"recipient": {"id": OPAQUE, "user_ref": OPAQUE}, "messaging_type": "RESPONSE", "message": {"text": "hi"}}), M);
    only(
        &r,
        "recipient.exactly_one",
        RuleKind::ExactlyOneOf,
        E,
        "/recipient/user_ref",
    );
    // A field that does not exist on the platform.
    let r = v26().validate_literal(&json!({"recipient": {"post_id": OPAQUE}, "messaging_type": "RESPONSE", "message": {"text": "hi"}}), IG);
    only(
        &r,
        "recipient.post_id.platform",
        RuleKind::PlatformOnly,
        E,
        "/recipient/post_id",
    );
    // An unknown key next to an expression.
    let r = v26().validate_literal(
        &message_body(json!({"text": OPAQUE, "quickReplies": OPAQUE})),
        M,
    );
    only(
        &r,
        "body.unknown_field",
        RuleKind::UnknownField,
        E,
        "/message/quickReplies",
    );
}

#[test]
fn validate_literal_does_not_guess_below_an_expression() {
    // `message` is an expression: whether it holds `template` is unknown, so
    // neither requires_utility nor any other rule on message.* can fire.
    let body = json!({"recipient": {"id": "1"}, "messaging_type": "RESPONSE", "message": OPAQUE});
    clean(&v26().validate_literal(&body, M));
    let body = json!({"recipient": {"id": "1"}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT", "message": OPAQUE});
    clean(&v26().validate_literal(&body, M));
    // `payload` is an expression of the unreact payload type: whether it
    // holds `reaction` is unknown.
    let body = json!({"recipient": {"id": "1"}, "sender_action": "unreact", "payload": OPAQUE});
    clean(&v26().validate_literal(&body, M));
    // An `equals` test below an expression: whether the payload is the
    // customer feedback template is unknown, so the rule is skipped at
    // expansion; read as plain JSON, the placeholder is no such template.
    let mut body = tagged("CUSTOMER_FEEDBACK");
    body["message"] = json!({"attachment": {"type": "template", "payload": OPAQUE}});
    clean(&v26().validate_literal(&body, M));
    let r = v26().validate(&body, M);
    assert!(
        r.errors()
            .any(|v| v.rule == "request.customer_feedback.requires_template"),
        "{:#?}",
        r.violations
    );
    // Literal values beside the expression are still read: a literal
    // template of another type breaks the rule at expansion too.
    body["message"] = json!({"attachment": {"type": "template", "payload": {"template_type": "button", "text": OPAQUE, "buttons": OPAQUE}}});
    only(
        &v26().validate_literal(&body, M),
        "request.customer_feedback.requires_template",
        RuleKind::Requires,
        E,
        "/tag",
    );
}

// ---------------------------------------------------------------------------
// Rate classes
// ---------------------------------------------------------------------------

#[test]
fn rate_class_by_message_kind() {
    let e = v26();
    let names: Vec<&str> = e.rate_classes().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["standard", "audio_video"]);

    let standard = e.rate_class(&text_body("hi")).unwrap();
    assert_eq!(
        (standard.name.as_str(), standard.limit, standard.per_seconds),
        ("standard", 300, 1)
    );

    let media = |kind: &str| {
        message_body(
            json!({"attachment": {"type": kind, "payload": {"url": "https://example.com/f"}}}),
        )
    };
    for kind in ["audio", "video"] {
        let c = e.rate_class(&media(kind)).unwrap();
        assert_eq!(
            (c.name.as_str(), c.limit, c.per_seconds),
            ("audio_video", 10, 1),
            "{kind}"
        );
    }
    for kind in ["image", "file"] {
        assert_eq!(
            e.rate_class(&media(kind)).unwrap().name,
            "standard",
            "{kind}"
        );
    }
    let several = message_body(json!({"attachments": [
        {"type": "image", "payload": {"url": "https://example.com/a.png"}},
        {"type": "video", "payload": {"url": "https://example.com/b.mp4"}}
    ]}));
    assert_eq!(e.rate_class(&several).unwrap().name, "audio_video");
    let reaction = json!({"recipient": {"id": "1"}, "sender_action": "react", "payload": {"message_id": "m_1", "reaction": "love"}});
    assert_eq!(e.rate_class(&reaction).unwrap().name, "standard");
    assert_eq!(
        e.rate_class(&template_body(json!({"template_type": "generic"})))
            .unwrap()
            .name,
        "standard"
    );
}
