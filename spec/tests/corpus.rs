//! The peer corpus (`../shared/corpus/peer`): request and response bodies
//! written by other projects, read in place and never copied here.
//!
//! Expectations come from the tables below, not from the corpus manifest.
//! Every `peer/*.json` body is valid under v21.0 and v26.0 on Messenger, with
//! the exact warnings listed (rule and pointer). Every `peer/deprecated/*.json`
//! body has a deliberate verdict per snapshot. Retired features, explicit
//! nulls and a missing `messaging_type` are warnings by DESIGN.md ("Severity"),
//! so several bodies the manifest calls invalid are valid with warnings here;
//! refused tags are errors. A corpus file missing from the tables fails the
//! test, so that new files get expectations.
//!
//! Without the corpus the tests print why and pass, unless `CI` is set.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sendapi_spec::{Engine, Platform, Report, Severity, bundled, bundled_engine};
use serde_json::Value;

/// `peer/*.json`: the outcome under both v21.0 and v26.0 on Messenger.
///
/// Outcomes: `ok` then `w:<rule>@<pointer>` for each expected warning (the
/// exact set); deprecated rows may have `e:<rule>@<pointer>` errors instead
/// of `ok`.
const PEER: &[(&str, &str)] = &[
    (
        "fbmessenger-attachment-image-id-1.json",
        "ok w:coerce.number_as_id@/message/attachment/payload/attachment_id",
    ),
    ("fbmessenger-attachment-image-quickreply-1.json", "ok"),
    (
        "fbmessenger-attachment-image-reusable-1.json",
        "ok w:coerce.string_as_bool@/message/attachment/payload/is_reusable",
    ),
    (
        "fbmessenger-template-receipt-1.json",
        "ok w:status.retired@/message/attachment/payload/order_url",
    ),
    (
        "fbmessenger-text-1.json",
        "ok w:coerce.number_as_id@/recipient/id",
    ),
    (
        "fbmq-sender-action-typing-on-1.json",
        "ok w:coerce.null_as_absent@/message w:coerce.null_as_absent@/notification_type w:coerce.null_as_absent@/tag w:coerce.number_as_id@/recipient/id",
    ),
    ("jgorset-text-1.json", "ok"),
    (
        "machinat-attachment-image-quickreply-1.json",
        "ok w:request.messaging_type.missing@/message",
    ),
    ("machinat-persona-text-1.json", "ok"),
    ("machinat-persona-text-2.json", "ok"),
    ("machinat-persona-typing-on-1.json", "ok"),
    ("messenger4j-attachment-image-id-1.json", "ok"),
    ("messenger4j-attachment-image-reusable-1.json", "ok"),
    ("messenger4j-attachment-image-url-1.json", "ok"),
    ("messenger4j-quickreply-email-phone-1.json", "ok"),
    ("messenger4j-recipient-phone-1.json", "ok"),
    ("messenger4j-recipient-phone-2.json", "ok"),
    ("messenger4j-recipient-userref-1.json", "ok"),
    ("messenger4j-sender-action-mark-seen-1.json", "ok"),
    ("messenger4j-template-button-1.json", "ok"),
    (
        "messenger4j-template-button-2.json",
        "ok w:status.third_party@/message/attachment/payload/buttons/2/webview_share_button",
    ),
    (
        "messenger4j-template-generic-1.json",
        "ok w:status.third_party@/message/attachment/payload/elements/0/default_action/webview_share_button",
    ),
    ("messenger4j-template-generic-account-link-1.json", "ok"),
    (
        "messenger4j-template-receipt-1.json",
        "ok w:status.retired@/message/attachment/payload/order_url",
    ),
    ("messenger4j-text-1.json", "ok"),
    ("messenger4j-text-metadata-1.json", "ok"),
    ("restfb-quickreply-metadata-1.json", "ok"),
    ("restfb-template-media-url-1.json", "ok"),
    ("restfb-template-media-url-2.json", "ok"),
    ("yoctol-attachment-audio-id-1.json", "ok"),
    ("yoctol-attachment-audio-url-1.json", "ok"),
    ("yoctol-attachment-file-id-1.json", "ok"),
    ("yoctol-attachment-file-url-1.json", "ok"),
    ("yoctol-attachment-image-id-1.json", "ok"),
    ("yoctol-attachment-image-url-1.json", "ok"),
    ("yoctol-attachment-video-id-1.json", "ok"),
    ("yoctol-attachment-video-url-1.json", "ok"),
    ("yoctol-quickreply-text-1.json", "ok"),
    ("yoctol-recipient-comment-1.json", "ok"),
    ("yoctol-recipient-phone-1.json", "ok"),
    ("yoctol-recipient-post-1.json", "ok"),
    ("yoctol-recipient-userref-1.json", "ok"),
    ("yoctol-sender-action-mark-seen-1.json", "ok"),
    ("yoctol-sender-action-typing-off-1.json", "ok"),
    ("yoctol-sender-action-typing-on-1.json", "ok"),
    (
        "yoctol-template-airline-boardingpass-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    (
        "yoctol-template-airline-checkin-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    (
        "yoctol-template-airline-itinerary-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    (
        "yoctol-template-airline-update-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    ("yoctol-template-button-1.json", "ok"),
    ("yoctol-template-generic-1.json", "ok"),
    (
        "yoctol-template-generic-2.json",
        "ok w:status.third_party@/message/attachment/payload/image_aspect_ratio",
    ),
    ("yoctol-template-media-1.json", "ok"),
    (
        "yoctol-template-receipt-1.json",
        "ok w:status.retired@/message/attachment/payload/order_url",
    ),
    ("yoctol-text-1.json", "ok"),
    ("yoctol-text-2.json", "ok"),
    (
        "yoctol-text-access-token-1.json",
        "ok w:status.transport@/access_token",
    ),
];

/// `peer/deprecated/*.json`: (file, outcome under v26.0 the day before the
/// 2026-04-27 refusals, outcome today under v21.0 and v26.0), on Messenger.
const DEPRECATED: &[(&str, &str, &str)] = &[
    (
        // dynamic_text is in Graph's schema only ([?]): a warning.
        "fbmessenger-dynamic-text-1.json",
        "ok w:status.unconfirmed@/message/dynamic_text",
        "ok w:status.unconfirmed@/message/dynamic_text",
    ),
    (
        // element.item_url was replaced by default_action: retired, a warning.
        "fbmessenger-template-generic-quickreply-1.json",
        "ok w:status.retired@/message/attachment/payload/elements/0/item_url",
        "ok w:status.retired@/message/attachment/payload/elements/0/item_url",
    ),
    (
        // The three tags refused since 2026-04-27: fine the day before, errors
        // on every version since.
        "fbmessenger-text-tag-1.json",
        "ok w:coerce.number_as_id@/recipient/id",
        "e:request.tag.refused_since@/tag w:coerce.number_as_id@/recipient/id",
    ),
    (
        // Pre-2018 body: no messaging_type, explicit nulls, a numeric id; all
        // coercions or the missing-messaging_type warning, none an error.
        "fbmq-text-quickreply-1.json",
        "ok w:coerce.null_as_absent@/message/attachment w:coerce.null_as_absent@/message/metadata w:coerce.null_as_absent@/notification_type w:coerce.null_as_absent@/sender_action w:coerce.null_as_absent@/tag w:coerce.number_as_id@/recipient/id w:request.messaging_type.missing@/message",
        "ok w:coerce.null_as_absent@/message/attachment w:coerce.null_as_absent@/message/metadata w:coerce.null_as_absent@/notification_type w:coerce.null_as_absent@/sender_action w:coerce.null_as_absent@/tag w:coerce.number_as_id@/recipient/id w:request.messaging_type.missing@/message",
    ),
    (
        // Legacy tags are unsourced retired warnings in both snapshots; a tag
        // without MESSAGE_TAG is an error.
        "fbmq-text-tag-1.json",
        "e:request.tag.requires_message_tag@/tag w:coerce.null_as_absent@/message/attachment w:coerce.null_as_absent@/message/metadata w:coerce.null_as_absent@/notification_type w:coerce.null_as_absent@/sender_action w:coerce.number_as_id@/recipient/id w:request.messaging_type.missing@/message w:status.retired@/tag",
        "e:request.tag.requires_message_tag@/tag w:coerce.null_as_absent@/message/attachment w:coerce.null_as_absent@/message/metadata w:coerce.null_as_absent@/notification_type w:coerce.null_as_absent@/sender_action w:coerce.number_as_id@/recipient/id w:request.messaging_type.missing@/message w:status.retired@/tag",
    ),
    (
        "machinat-persona-image-quickreply-tag-1.json",
        "ok w:status.retired@/tag",
        "ok w:status.retired@/tag",
    ),
    (
        "machinat-persona-text-tag-1.json",
        "ok",
        "e:request.tag.refused_since@/tag",
    ),
    (
        "machinat-persona-text-tag-2.json",
        "ok w:status.retired@/tag",
        "ok w:status.retired@/tag",
    ),
    (
        // Retired values and templates (location, element_share, list, open_graph,
        // one_time_notif_req) are warnings, so the corpus is understood.
        "messenger4j-quickreply-location-1.json",
        "ok w:status.retired@/message/quick_replies/1/content_type",
        "ok w:status.retired@/message/quick_replies/1/content_type",
    ),
    (
        "messenger4j-template-generic-share-1.json",
        "ok w:status.retired@/message/attachment/payload/elements/0/buttons/0/type",
        "ok w:status.retired@/message/attachment/payload/elements/0/buttons/0/type",
    ),
    (
        "messenger4j-template-generic-share-2.json",
        "ok w:status.retired@/message/attachment/payload/elements/0/buttons/0/type",
        "ok w:status.retired@/message/attachment/payload/elements/0/buttons/0/type",
    ),
    (
        "messenger4j-template-list-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    (
        "messenger4j-template-open-graph-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    (
        "messenger4j-text-tag-1.json",
        "e:request.tag.requires_message_tag@/tag w:status.retired@/tag",
        "e:request.tag.requires_message_tag@/tag w:status.retired@/tag",
    ),
    (
        "restfb-attachment-location-1.json",
        "ok w:status.retired@/message/attachment/type",
        "ok w:status.retired@/message/attachment/type",
    ),
    (
        "yoctol-quickreply-location-1.json",
        "ok w:status.retired@/message/quick_replies/1/content_type",
        "ok w:status.retired@/message/quick_replies/1/content_type",
    ),
    (
        "yoctol-template-generic-tag-1.json",
        "ok",
        "e:request.tag.refused_since@/tag",
    ),
    (
        "yoctol-template-list-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    (
        "yoctol-template-one-time-notif-req-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    (
        "yoctol-template-open-graph-1.json",
        "ok w:status.retired@/message/attachment/payload/template_type",
        "ok w:status.retired@/message/attachment/payload/template_type",
    ),
    (
        "yoctol-text-tag-1.json",
        "ok",
        "e:request.tag.refused_since@/tag",
    ),
    (
        "yoctol-text-tag-2.json",
        "ok w:status.retired@/tag",
        "ok w:status.retired@/tag",
    ),
];

/// What a response fixture is.
#[derive(Debug, Clone, Copy)]
enum Resp {
    /// A send that worked: `recipient_id` is there unless the recipient was a
    /// user_ref or phone_number; `attachment_id` after an `is_reusable` send.
    Success {
        recipient_id: bool,
        attachment_id: bool,
    },
    /// A Graph error; `subcode_listed` is false where the source used a
    /// placeholder subcode that Meta never documented.
    Error {
        code: u32,
        subcode: Option<u64>,
        subcode_listed: bool,
    },
}

const fn ok(recipient_id: bool, attachment_id: bool) -> Resp {
    Resp::Success {
        recipient_id,
        attachment_id,
    }
}

const fn err(code: u32, subcode: Option<u64>) -> Resp {
    Resp::Error {
        code,
        subcode,
        subcode_listed: true,
    }
}

const RESPONSES: &[(&str, Resp)] = &[
    ("jgorset-error-10-2018065-1.json", err(10, Some(2_018_065))),
    ("jgorset-error-10-2018108-1.json", err(10, Some(2_018_108))),
    ("jgorset-error-100-1.json", err(100, None)),
    (
        "jgorset-error-100-2018001-1.json",
        err(100, Some(2_018_001)),
    ),
    ("jgorset-error-10303-1.json", err(10303, None)),
    ("jgorset-error-1200-1.json", err(1200, None)),
    ("jgorset-error-190-1.json", err(190, None)),
    (
        "jgorset-error-200-1545041-1.json",
        err(200, Some(1_545_041)),
    ),
    (
        "jgorset-error-200-2018021-1.json",
        err(200, Some(2_018_021)),
    ),
    (
        "jgorset-error-200-2018027-1.json",
        err(200, Some(2_018_027)),
    ),
    (
        "jgorset-error-200-2018028-1.json",
        err(200, Some(2_018_028)),
    ),
    ("jgorset-error-230-1.json", err(230, None)),
    ("jgorset-error-613-1.json", err(613, None)),
    ("jgorset-success-1.json", ok(true, false)),
    ("messenger4j-error-190-1.json", err(190, None)),
    ("messenger4j-success-1.json", ok(true, false)),
    ("messenger4j-success-2.json", ok(true, true)),
    ("restfb-success-1.json", ok(true, false)),
    // The manifest notes that 1234567 is the source's placeholder.
    (
        "yoctol-error-190-1.json",
        Resp::Error {
            code: 190,
            subcode: Some(1_234_567),
            subcode_listed: false,
        },
    ),
    ("yoctol-success-1.json", ok(true, false)),
    // The documented reply to a user_ref or phone_number send.
    ("yoctol-success-2.json", ok(false, false)),
];

// ---------------------------------------------------------------------------

fn peer_dir() -> Option<PathBuf> {
    match sendapi_spec::shared_dir() {
        Ok(Some(dir)) => Some(dir.join("corpus").join("peer")),
        Ok(None) => None,
        Err(why) => panic!("{why}"),
    }
}

fn load(path: &Path) -> Value {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// v26.0 the day before Meta refused the three tags on every version.
const BEFORE_REFUSAL: &str = "v26.0@2026-04-26";

/// A bundled engine, or one for `NAME@DATE` (compiled for the test and kept
/// for the rest of the process).
fn engine(snapshot: &str) -> &'static Engine {
    if snapshot.contains('@') {
        let compiled = sendapi_spec::Compiled::resolve(snapshot).unwrap_or_else(|e| panic!("{e}"));
        return Box::leak(Box::new(compiled)).engine();
    }
    bundled_engine(snapshot).unwrap_or_else(|e| panic!("{e}"))
}

/// The `.json` files of a corpus folder, by name.
fn json_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("readable entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect()
}

/// Fails when the folder and the table disagree, in either direction.
fn same_files(dir: &Path, listed: &[&str]) -> Result<(), String> {
    let on_disk = json_files(dir);
    let table: BTreeSet<String> = listed.iter().map(|s| s.to_string()).collect();
    if table.len() != listed.len() {
        return Err(format!("{}: a file is listed twice", dir.display()));
    }
    let unlisted: Vec<_> = on_disk.difference(&table).collect();
    let gone: Vec<_> = table.difference(&on_disk).collect();
    if unlisted.is_empty() && gone.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: files without an expectation (add them to the table): {unlisted:?}; listed files that are gone: {gone:?}",
            dir.display()
        ))
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Outcome {
    errors: BTreeSet<String>,
    warnings: BTreeSet<String>,
}

impl Outcome {
    fn parse(text: &str) -> Outcome {
        let mut out = Outcome::default();
        let mut ok = false;
        for token in text.split_whitespace() {
            match token.split_once(':') {
                _ if token == "ok" => ok = true,
                Some(("e", v)) => {
                    out.errors.insert(v.to_string());
                }
                Some(("w", v)) => {
                    out.warnings.insert(v.to_string());
                }
                _ => panic!("bad token `{token}` in `{text}`"),
            }
        }
        assert!(
            ok == out.errors.is_empty(),
            "`{text}`: write `ok` exactly when no error is expected"
        );
        for t in out.errors.iter().chain(&out.warnings) {
            assert!(
                t.contains('@'),
                "`{t}`: corpus expectations give the pointer"
            );
        }
        out
    }

    fn of(report: &Report) -> Outcome {
        let set = |s: Severity| {
            report
                .violations
                .iter()
                .filter(|v| v.severity == s)
                .map(|v| format!("{}@{}", v.rule, v.pointer))
                .collect()
        };
        Outcome {
            errors: set(Severity::Error),
            warnings: set(Severity::Warning),
        }
    }
}

fn check(name: &str, body: &Value, snapshot: &str, want: &str, failures: &mut Vec<String>) {
    let want = Outcome::parse(want);
    let report = engine(snapshot).validate(body, Platform::Messenger);
    let got = Outcome::of(&report);
    if got != want {
        failures.push(format!(
            "{name} under {snapshot}:\n    expected {want:?}\n    found    {got:?}"
        ));
    }
}

#[test]
fn peer_bodies_are_valid_under_both_snapshots_with_the_listed_warnings() {
    let Some(peer) = peer_dir() else { return };
    same_files(&peer, &PEER.iter().map(|r| r.0).collect::<Vec<_>>())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    for &(file, want) in PEER {
        assert!(
            want.starts_with("ok"),
            "{file}: peer/ bodies are valid; move it to deprecated/ expectations"
        );
        let body = load(&peer.join(file));
        for snapshot in ["v21.0", "v26.0"] {
            check(file, &body, snapshot, want, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deprecated_bodies_have_their_deliberate_verdicts() {
    let Some(peer) = peer_dir() else { return };
    let dir = peer.join("deprecated");
    same_files(&dir, &DEPRECATED.iter().map(|r| r.0).collect::<Vec<_>>())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    for &(file, before, today) in DEPRECATED {
        let body = load(&dir.join(file));
        check(file, &body, BEFORE_REFUSAL, before, &mut failures);
        check(file, &body, "v21.0", today, &mut failures);
        check(file, &body, "v26.0", today, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tags_refused_since_2026_04_27_name_the_date_and_the_replacement() {
    let Some(peer) = peer_dir() else { return };
    let dir = peer.join("deprecated");
    let refused = [
        "ACCOUNT_UPDATE",
        "CONFIRMED_EVENT_UPDATE",
        "POST_PURCHASE_UPDATE",
    ];
    let mut seen = BTreeSet::new();
    for &(file, _, _) in DEPRECATED {
        let body = load(&dir.join(file));
        let Some(tag) = body.get("tag").and_then(Value::as_str) else {
            continue;
        };
        if !refused.contains(&tag) {
            continue;
        }
        seen.insert(tag.to_string());
        let old = engine(BEFORE_REFUSAL).validate(&body, Platform::Messenger);
        assert!(
            old.errors().all(|v| v.rule != "request.tag.refused_since"),
            "{file}: {BEFORE_REFUSAL} predates the refusal"
        );
        let new = engine("v26.0").validate(&body, Platform::Messenger);
        let v = new
            .errors()
            .find(|v| v.rule == "request.tag.refused_since")
            .unwrap_or_else(|| panic!("{file}: v26.0 refuses {tag}"));
        assert_eq!(v.pointer, "/tag", "{file}");
        assert!(v.message.contains(tag), "{file}: {}", v.message);
        assert!(v.message.contains("2026-04-27"), "{file}: {}", v.message);
        assert!(
            v.fix.contains("utility message") && v.fix.contains("UTILITY"),
            "{file}: the fix names the replacement: {}",
            v.fix
        );
        assert_eq!(v.code, 100, "{file}");
    }
    // The corpus holds all three; if it stops doing so, this test says it.
    assert_eq!(
        seen.len(),
        refused.len(),
        "refused tags in the corpus: {seen:?}"
    );
}

/// The legacy tags are unsourced here: a retired warning that says so, no
/// refusal date and no replacement (they used to be refused since
/// 2020-03-04, a date and replacements no source gave).
#[test]
fn legacy_tags_are_unsourced_retired_warnings_in_both_snapshots() {
    let Some(peer) = peer_dir() else { return };
    let dir = peer.join("deprecated");
    let legacy = [
        "ISSUE_RESOLUTION",
        "APPLICATION_UPDATE",
        "PAIRING_UPDATE",
        "TRANSPORTATION_UPDATE",
        "PAYMENT_UPDATE",
    ];
    let mut seen = 0;
    for &(file, _, _) in DEPRECATED {
        let body = load(&dir.join(file));
        let Some(tag) = body.get("tag").and_then(Value::as_str) else {
            continue;
        };
        if !legacy.contains(&tag) {
            continue;
        }
        seen += 1;
        for snapshot in ["v21.0", "v26.0"] {
            let report = engine(snapshot).validate(&body, Platform::Messenger);
            assert!(
                report
                    .errors()
                    .all(|v| v.rule != "request.tag.refused_since"),
                "{file}: {snapshot} refuses {tag}"
            );
            let v = report
                .warnings()
                .find(|v| v.rule == "status.retired" && v.pointer == "/tag")
                .unwrap_or_else(|| panic!("{file}: {snapshot} does not warn of {tag}"));
            assert!(v.message.contains("unsourced"), "{file}: {}", v.message);
        }
    }
    assert!(seen >= 5, "only {seen} legacy-tag bodies");
}

#[test]
fn responses_have_their_documented_shapes() {
    let Some(peer) = peer_dir() else { return };
    let dir = peer.join("responses");
    same_files(&dir, &RESPONSES.iter().map(|r| r.0).collect::<Vec<_>>())
        .unwrap_or_else(|e| panic!("{e}"));
    let spec = bundled("v26.0").unwrap_or_else(|e| panic!("{e}"));
    let errors = &spec.file().errors;
    let v26 = engine("v26.0");
    let mut failures = Vec::new();
    for &(file, kind) in RESPONSES {
        let body = load(&dir.join(file));
        let mut fail = |what: String| failures.push(format!("{file}: {what}"));
        match kind {
            Resp::Success {
                recipient_id,
                attachment_id,
            } => {
                if !body.get("message_id").is_some_and(Value::is_string) {
                    fail("no message_id string".into());
                }
                if body.get("recipient_id").is_some_and(Value::is_string) != recipient_id {
                    fail(format!("recipient_id present should be {recipient_id}"));
                }
                if body.get("attachment_id").is_some() != attachment_id {
                    fail(format!("attachment_id present should be {attachment_id}"));
                }
                let ty = if recipient_id {
                    "MessageResponse"
                } else {
                    "MessageResponseNoRecipient"
                };
                let report = v26
                    .validate_as(ty, &body, Platform::Messenger)
                    .unwrap_or_else(|| panic!("the spec has no {ty}"));
                if !report.violations.is_empty() {
                    fail(format!("as {ty}: {:?}", report.violations));
                }
                if !recipient_id {
                    // The shape with recipient_id refuses it: the two response
                    // types really differ.
                    let strict = v26
                        .validate_as("MessageResponse", &body, Platform::Messenger)
                        .expect("MessageResponse exists");
                    if !strict.errors().any(|v| v.rule == "body.required") {
                        fail("MessageResponse does not require recipient_id".into());
                    }
                }
            }
            Resp::Error {
                code,
                subcode,
                subcode_listed,
            } => {
                let report = v26
                    .validate_as("GraphErrorEnvelope", &body, Platform::Messenger)
                    .expect("the spec has GraphErrorEnvelope");
                if !report.violations.is_empty() {
                    fail(format!("as GraphErrorEnvelope: {:?}", report.violations));
                }
                let error = &body["error"];
                if error["code"].as_u64() != Some(u64::from(code)) {
                    fail(format!("code is {}, the table says {code}", error["code"]));
                }
                if error["error_subcode"].as_u64() != subcode {
                    fail(format!(
                        "subcode is {}, the table says {subcode:?}",
                        error["error_subcode"]
                    ));
                }
                if error["message"].as_str().is_none_or(str::is_empty) {
                    fail("no message".into());
                }
                if !errors.iter().any(|e| e.code == code) {
                    fail(format!("code {code} is not in the spec's [[errors]]"));
                }
                if let Some(sub) = subcode {
                    let listed = errors
                        .iter()
                        .any(|e| e.code == code && e.subcode == Some(sub));
                    if listed != subcode_listed {
                        fail(format!(
                            "{code}/{sub} listed in [[errors]]: {listed}, expected {subcode_listed}"
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_folders_hold_only_what_the_tables_know() {
    let Some(peer) = peer_dir() else { return };
    let mut dirs = BTreeSet::new();
    for entry in std::fs::read_dir(&peer).expect("peer/ is listable") {
        let entry = entry.expect("readable entry");
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            dirs.insert(entry.file_name().to_string_lossy().into_owned());
        }
    }
    let known: BTreeSet<String> = ["deprecated", "responses"].map(String::from).into();
    assert_eq!(dirs, known, "a new corpus folder needs a table here");
}
