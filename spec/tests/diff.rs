//! The diff between snapshots: the exact list from v21.0 as documented at
//! its release (a hand-written historic file, `fixtures/v21.0-at-release.toml`)
//! to v26.0, and synthetic edits whose classification is known.
//!
//! Every line of the expected list was checked against
//! ../shared/research/send-api-facts.md (§10.2 "What changed for this
//! endpoint", §6.2 the tag table, §3 and §4.2):
//!
//! - 2025-07-29 utility messages: MessagingType.UTILITY, Message.template,
//!   the Utility* types and the two requires rules tying them together;
//! - 2025-12-19 Instagram PDF attachments: Attachment.file gains Instagram;
//! - 2026-01-12 / 2026-02-10 Recurring Notifications deprecated:
//!   Recipient.notification_messages_token and the opt-in template
//!   (TemplatePayload.notification_messages) become `deprecated`;
//! - 2026-03-13 Instagram images by attachment_id: MediaPayload.attachment_id
//!   gains Instagram and the v21.0 warning rule is gone;
//! - 2026-04-27 the three tags refused with error 100 (breaking);
//! - 2026-05-06 Instagram multi-image messages generally available:
//!   Message.attachments gains Instagram and the v21.0 warning rule is gone;
//! - 2026-06-01 message.sticker_id (with its platform and quick reply rules);
//! - 2026-06-25 error 10/1893063;
//! - 2026-06-30 the image_grid template, its types and its rules;
//! - 2026-10-05 Instagram phone and email quick replies disabled (breaking);
//! - Graph schema drift: `folder` appears in the newest schema only.
//!
//! Rules that are in both snapshots (the audio_call expiry range, the HTTPS
//! rules for messenger_extensions, the attachments minimum) are no change.

use sendapi_spec::{Change, ChangeKind, Class, Spec, V26_TOML, bundled, diff, load_str};

mod common;

use ChangeKind::{Added, Changed, Removed};

fn tuples(changes: &[Change]) -> Vec<(&'static str, &str, ChangeKind, bool)> {
    changes
        .iter()
        .map(|c| (c.subject, c.item.as_str(), c.kind, c.breaking()))
        .collect()
}

/// v21.0 as Meta documented it at its release: the bundled v21.0 before it
/// became today's rules on the v21.0 path.
fn v21() -> &'static Spec {
    static AT_RELEASE: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
    AT_RELEASE.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/v21.0-at-release.toml");
        sendapi_spec::load_path(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn v26() -> &'static Spec {
    bundled("v26.0").unwrap()
}

/// The diff from bundled v26.0 to v26.0 edited by `f`.
fn diff_edited(f: impl FnOnce(&str) -> String) -> Vec<Change> {
    let text = f(V26_TOML);
    let new = load_str("edited.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    diff(v26(), &new)
}

#[test]
fn v21_to_v26_is_exactly_the_dated_changes() {
    let expected: Vec<(&str, &str, ChangeKind, bool)> = vec![
        ("error", "10/1893063", Added, false),
        ("field", "MediaPayload.attachment_id", Changed, false),
        ("field", "Message.attachments", Changed, false),
        ("field", "Message.sticker_id", Added, false),
        ("field", "Message.template", Added, false),
        (
            "field",
            "Recipient.notification_messages_token",
            Changed,
            false,
        ),
        ("field", "SendRequest.folder", Added, false),
        ("limit", "image_grid.buttons.items", Added, false),
        ("limit", "image_grid.elements.items", Added, false),
        ("limit", "image_grid.images.items", Added, false),
        ("limit", "image_grid.subtitle.max_len", Added, false),
        ("limit", "image_grid.title.max_len", Added, false),
        ("rule", "image_grid.one_hero", Added, false),
        ("rule", "media.attachment_id.platform", Removed, false),
        ("rule", "message.attachments.platform", Removed, false),
        ("rule", "message.exactly_one_body", Changed, false),
        (
            "rule",
            "message.sticker.forbids_quick_replies",
            Added,
            false,
        ),
        ("rule", "message.sticker_id.platform", Added, false),
        (
            "rule",
            "message.template.forbids_quick_replies",
            Added,
            false,
        ),
        ("rule", "request.messaging_type.platform", Added, false),
        // v21.0 refuses no tag (the legacy tags are unsourced warnings).
        ("rule", "request.tag.refused_since", Added, true),
        ("rule", "request.template.requires_utility", Added, false),
        ("rule", "request.utility.requires_template", Added, false),
        ("snapshot", "as_of", Changed, false),
        ("snapshot", "graph_version", Changed, false),
        ("tag", "Tag.ACCOUNT_UPDATE", Changed, true),
        ("tag", "Tag.CONFIRMED_EVENT_UPDATE", Changed, true),
        ("tag", "Tag.POST_PURCHASE_UPDATE", Changed, true),
        ("type", "ComponentType", Added, false),
        ("type", "Folder", Added, false),
        ("type", "GridAction", Added, false),
        ("type", "GridButton", Added, false),
        ("type", "GridImage", Added, false),
        ("type", "GridPostbackAction", Added, false),
        ("type", "GridUrlAction", Added, false),
        ("type", "ImageGridElement", Added, false),
        ("type", "ImageGridTemplate", Added, false),
        ("type", "UtilityComponent", Added, false),
        ("type", "UtilityLanguage", Added, false),
        ("type", "UtilityParameter", Added, false),
        ("type", "UtilityTemplate", Added, false),
        ("value", "MessagingType.UTILITY", Added, false),
        ("variant", "Attachment.file", Changed, false),
        ("variant", "QuickReply.user_email", Changed, true),
        ("variant", "QuickReply.user_phone_number", Changed, true),
        ("variant", "TemplatePayload.image_grid", Added, false),
        (
            "variant",
            "TemplatePayload.notification_messages",
            Changed,
            false,
        ),
    ];
    let changes = diff(v21(), v26());
    assert_eq!(tuples(&changes), expected);
    assert_eq!(changes.len(), 47);
    assert_eq!(changes.iter().filter(|c| c.breaking()).count(), 6);
}

#[test]
fn v21_to_v26_details() {
    let changes = diff(v21(), v26());
    let detail = |subject: &str, item: &str| -> &str {
        changes
            .iter()
            .find(|c| c.subject == subject && c.item == item)
            .map(|c| c.detail.as_str())
            .unwrap_or_else(|| panic!("no change {subject} {item}"))
    };
    for tag in [
        "ACCOUNT_UPDATE",
        "CONFIRMED_EVENT_UPDATE",
        "POST_PURCHASE_UPDATE",
    ] {
        assert_eq!(
            detail("tag", &format!("Tag.{tag}")),
            "refused since 2026-04-27; use a utility message (messaging_type UTILITY with an approved template)"
        );
    }
    assert_eq!(
        detail("value", "MessagingType.UTILITY"),
        "new value `UTILITY`"
    );
    assert_eq!(
        detail("variant", "TemplatePayload.image_grid"),
        "new variant of type ImageGridTemplate"
    );
    assert_eq!(
        detail("field", "Message.sticker_id"),
        "new variant key of type integer"
    );
    assert_eq!(
        detail("variant", "QuickReply.user_email"),
        "no longer on instagram"
    );
    assert_eq!(
        detail("field", "MediaPayload.attachment_id"),
        "now also on instagram"
    );
    assert_eq!(
        detail("field", "Recipient.notification_messages_token"),
        "status current -> deprecated"
    );
    assert_eq!(
        detail("variant", "TemplatePayload.notification_messages"),
        "status current -> deprecated"
    );
    assert_eq!(
        detail("field", "Message.attachments"),
        "now also on instagram"
    );
    assert_eq!(
        detail("variant", "Attachment.file"),
        "now also on instagram"
    );
    assert_eq!(
        detail("rule", "message.attachments.platform"),
        "platform_only rule no longer checked"
    );
    assert_eq!(detail("snapshot", "as_of"), "2024-10-02 -> 2026-11-23");
    assert_eq!(detail("snapshot", "graph_version"), "v21.0 -> v26.0");
    assert_eq!(
        detail("error", "10/1893063"),
        "PageRestrictedPolicy (never)"
    );
    let tag = changes
        .iter()
        .find(|c| c.item == "Tag.ACCOUNT_UPDATE")
        .unwrap();
    assert_eq!(
        tag.to_string(),
        "BREAKING     changed  tag        Tag.ACCOUNT_UPDATE: refused since 2026-04-27; use a utility message (messaging_type UTILITY with an approved template)"
    );
    let grid = changes
        .iter()
        .find(|c| c.item == "TemplatePayload.image_grid")
        .unwrap();
    assert_eq!(
        grid.to_string(),
        "compatible   added    variant    TemplatePayload.image_grid: new variant of type ImageGridTemplate"
    );
}

#[test]
fn v26_back_to_v21_takes_the_new_items_away() {
    let changes = diff(v26(), v21());
    let find = |subject: &str, item: &str| {
        changes
            .iter()
            .find(|c| c.subject == subject && c.item == item)
            .unwrap_or_else(|| panic!("no change {subject} {item}"))
    };
    let c = find("value", "MessagingType.UTILITY");
    assert_eq!((c.kind, c.breaking()), (Removed, true));
    let c = find("variant", "TemplatePayload.image_grid");
    assert_eq!((c.kind, c.breaking()), (Removed, true));
    let c = find("field", "Message.sticker_id");
    assert_eq!((c.kind, c.breaking()), (Removed, true));
    // Lifting a refusal breaks nobody.
    let c = find("tag", "Tag.ACCOUNT_UPDATE");
    assert_eq!(
        (c.kind, c.breaking(), c.detail.as_str()),
        (Changed, false, "no longer refused")
    );
    // Taking Instagram away from attachment_id, attachments or files does.
    for (subject, item) in [
        ("field", "MediaPayload.attachment_id"),
        ("field", "Message.attachments"),
        ("variant", "Attachment.file"),
    ] {
        let c = find(subject, item);
        assert_eq!(
            (c.kind, c.breaking(), c.detail.as_str()),
            (Changed, true, "no longer on instagram"),
            "{item}"
        );
    }
    // A warning rule coming back breaks nobody.
    let c = find("rule", "message.attachments.platform");
    assert_eq!((c.kind, c.breaking()), (Added, false));
    assert_eq!(changes.len(), diff(v21(), v26()).len());
}

#[test]
fn a_snapshot_has_no_diff_with_itself() {
    assert_eq!(diff(v21(), v21()), vec![]);
    assert_eq!(diff(v26(), v26()), vec![]);
    let copy = load_str("copy.toml", V26_TOML).unwrap();
    assert_eq!(diff(v26(), &copy), vec![]);
}

#[test]
fn lowering_a_max_len_is_breaking() {
    let changes = diff_edited(|t| {
        common::edit_rule(t, "message.text.max_len", |b| {
            b.replace("max = 2000", "max = 1500")
        })
    });
    assert_eq!(
        tuples(&changes),
        vec![("limit", "message.text.max_len", Changed, true)]
    );
    assert_eq!(changes[0].detail, "max 2000 -> 1500");
}

#[test]
fn raising_a_max_len_is_not_breaking() {
    let changes = diff_edited(|t| {
        common::edit_rule(t, "message.text.max_len", |b| {
            b.replace("max = 2000", "max = 4000")
        })
    });
    assert_eq!(
        tuples(&changes),
        vec![("limit", "message.text.max_len", Changed, false)]
    );
    assert_eq!(changes[0].detail, "max 2000 -> 4000");
}

#[test]
fn raising_an_items_minimum_is_breaking_and_lowering_it_is_not() {
    let up = diff_edited(|t| {
        common::edit_rule(t, "image_grid.images.items", |b| {
            b.replace("min = 2", "min = 3")
        })
    });
    assert_eq!(
        tuples(&up),
        vec![("limit", "image_grid.images.items", Changed, true)]
    );
    assert_eq!(up[0].detail, "min 2 -> 3");
    let down = diff_edited(|t| {
        common::edit_rule(t, "image_grid.images.items", |b| {
            b.replace("min = 2", "min = 1")
        })
    });
    assert_eq!(
        tuples(&down),
        vec![("limit", "image_grid.images.items", Changed, false)]
    );
}

#[test]
fn switching_the_length_unit_is_breaking() {
    let changes = diff_edited(|t| {
        common::edit_rule(t, "message.text.max_len", |b| {
            b.replace("unit = \"chars\"", "unit = \"bytes\"")
        })
    });
    assert_eq!(
        tuples(&changes),
        vec![("limit", "message.text.max_len", Changed, true)]
    );
    assert_eq!(changes[0].detail, "length unit changed");
}

#[test]
fn removing_a_field_is_breaking() {
    let changes = diff_edited(|t| {
        let line = t
            .lines()
            .find(|l| l.starts_with("fields.persona_id = "))
            .unwrap();
        common::edit(t, &format!("{line}\n"), "")
    });
    assert_eq!(
        tuples(&changes),
        vec![("field", "SendRequest.persona_id", Removed, true)]
    );
    assert_eq!(changes[0].detail, "field `persona_id` is gone");
}

#[test]
fn adding_an_optional_field_is_not_breaking() {
    let changes = diff_edited(|t| {
        common::edit(
            t,
            "fields.mid = { rust = \"mid\"",
            "fields.quote = { rust = \"quote\", type = \"string\", doc = \"Quoted text.\", source = \"REF\" }\nfields.mid = { rust = \"mid\"",
        )
    });
    assert_eq!(
        tuples(&changes),
        vec![("field", "ReplyTo.quote", Added, false)]
    );
    assert_eq!(changes[0].detail, "new optional field of type string");
}

#[test]
fn adding_a_required_field_is_breaking() {
    let changes = diff_edited(|t| {
        common::edit(
            t,
            "fields.mid = { rust = \"mid\"",
            "fields.quote = { rust = \"quote\", type = \"string\", required = true, doc = \"Quoted text.\", source = \"REF\" }\nfields.mid = { rust = \"mid\"",
        )
    });
    assert_eq!(
        tuples(&changes),
        vec![("field", "ReplyTo.quote", Added, true)]
    );
    assert_eq!(changes[0].detail, "new required field of type string");
}

#[test]
fn raising_a_warning_to_an_error_is_breaking() {
    let changes = diff_edited(|t| {
        common::edit_rule(t, "quick_reply.title.max_len", |b| {
            b.replace("severity = \"warning\"", "severity = \"error\"")
        })
    });
    assert_eq!(
        tuples(&changes),
        vec![("limit", "quick_reply.title.max_len", Changed, true)]
    );
    assert_eq!(changes[0].detail, "severity warning -> error");
    let changes = diff_edited(|t| {
        common::edit_rule(t, "button.call.payload.format", |b| {
            b.replace("severity = \"error\"", "severity = \"warning\"")
        })
    });
    assert_eq!(
        tuples(&changes),
        vec![("rule", "button.call.payload.format", Changed, false)]
    );
}

#[test]
fn a_refusal_in_the_future_is_not_yet_breaking() {
    // Refuse HUMAN_AGENT from a date after the snapshot's as_of.
    let changes = diff_edited(|t| {
        common::edit(
            t,
            "window = \"7 days after the person's last message\"\n",
            "window = \"7 days after the person's last message\"\nrefused_since = 2027-01-01\nreplacement = \"nothing\"\n",
        )
    });
    assert_eq!(
        tuples(&changes),
        vec![("tag", "Tag.HUMAN_AGENT", Changed, false)]
    );
    assert_eq!(
        changes[0].detail,
        "will be refused from 2027-01-01; use nothing"
    );
}

#[test]
fn a_new_error_rule_on_existing_fields_is_breaking() {
    let rule = "[[rules]]\nid = \"reply_to.mid.max_len\"\nkind = \"max_len\"\non = \"ReplyTo\"\npath = \"mid\"\nmax = 64\nseverity = \"error\"\nevidence = \"C\"\nmessage = \"mid is {len} {unit}\"\nfix = \"shorten it\"\nsource = \"REF\"\ncode = 100\n\n";
    let changes = diff_edited(|t| {
        common::edit(
            t,
            "[[rules]]\nid = \"message.exactly_one_body\"",
            &format!("{rule}[[rules]]\nid = \"message.exactly_one_body\""),
        )
    });
    assert_eq!(
        tuples(&changes),
        vec![("limit", "reply_to.mid.max_len", Added, true)]
    );
    // The same rule as a warning breaks nobody.
    let changes = diff_edited(|t| {
        common::edit(
            t,
            "[[rules]]\nid = \"message.exactly_one_body\"",
            &format!(
                "{}[[rules]]\nid = \"message.exactly_one_body\"",
                rule.replace("severity = \"error\"", "severity = \"warning\"")
            ),
        )
    });
    assert_eq!(
        tuples(&changes),
        vec![("limit", "reply_to.mid.max_len", Added, false)]
    );
}

#[test]
fn taking_a_platform_away_is_breaking_and_adding_one_is_not() {
    // Button and MediaButton share these variant lines; [types.Button]'s come
    // first, and only they are edited.
    let first = |t: &str, from: &str, to: &str| {
        assert!(t.contains(from), "{from}");
        t.replacen(from, to, 1)
    };
    let from = "variants.phone_number = { rust = \"PhoneNumber\", type = \"CallButton\", platforms = [\"messenger\"],";
    let changes =
        diff_edited(|t| first(t, from, &from.replace(" platforms = [\"messenger\"],", "")));
    assert_eq!(
        tuples(&changes),
        vec![("variant", "Button.phone_number", Changed, false)]
    );
    assert_eq!(changes[0].detail, "now also on instagram");

    let from = "variants.postback = { rust = \"Postback\", type = \"PostbackButton\", doc = \"Sends its payload";
    let changes = diff_edited(|t| {
        first(
            t,
            from,
            &from.replace("doc = ", "platforms = [\"messenger\"], doc = "),
        )
    });
    assert_eq!(
        tuples(&changes),
        vec![("variant", "Button.postback", Changed, true)]
    );
    assert_eq!(changes[0].detail, "no longer on instagram");
}

#[test]
fn tightening_a_warning_limit_is_not_breaking() {
    // quick_reply.title.max_len is a warning (Meta cuts long titles): a
    // lower max cannot make a body invalid.
    let changes = diff_edited(|t| {
        common::edit_rule(t, "quick_reply.title.max_len", |b| {
            b.replace("max = 20", "max = 10")
        })
    });
    assert_eq!(
        tuples(&changes),
        vec![("limit", "quick_reply.title.max_len", Changed, false)]
    );
    assert_eq!(changes[0].detail, "max 20 -> 10");
    // Tightened and raised to an error at once: breaking, twice.
    let changes = diff_edited(|t| {
        common::edit_rule(t, "quick_reply.title.max_len", |b| {
            b.replace("max = 20", "max = 10")
                .replace("severity = \"warning\"", "severity = \"error\"")
        })
    });
    assert_eq!(
        tuples(&changes),
        vec![
            ("limit", "quick_reply.title.max_len", Changed, true),
            ("limit", "quick_reply.title.max_len", Changed, true),
        ]
    );
    let details: Vec<&str> = changes.iter().map(|c| c.detail.as_str()).collect();
    assert_eq!(details, ["max 20 -> 10", "severity warning -> error"]);
}

#[test]
fn range_changes_are_limit_changes() {
    let id = "button.audio_call.expires_in_days.range";
    let lower = diff_edited(|t| common::edit_rule(t, id, |b| b.replace("max = 7", "max = 3")));
    assert_eq!(tuples(&lower), vec![("limit", id, Changed, true)]);
    assert_eq!(lower[0].detail, "max 7 -> 3");
    let higher = diff_edited(|t| common::edit_rule(t, id, |b| b.replace("max = 7", "max = 14")));
    assert_eq!(tuples(&higher), vec![("limit", id, Changed, false)]);
    assert_eq!(higher[0].detail, "max 7 -> 14");
    let min =
        diff_edited(|t| common::edit_rule(t, id, |b| b.replace("max = 7", "min = 1\nmax = 7")));
    assert_eq!(tuples(&min), vec![("limit", id, Changed, true)]);
    assert_eq!(min[0].detail, "min none -> 1");
    // The same tightening on a warning range breaks nobody.
    let warn = diff_edited(|t| {
        common::edit_rule(t, id, |b| {
            b.replace("max = 7", "max = 3")
                .replace("severity = \"error\"", "severity = \"warning\"")
        })
    });
    assert_eq!(
        tuples(&warn),
        vec![("limit", id, Changed, false), ("limit", id, Changed, false)]
    );
}

#[test]
fn a_new_range_rule_is_a_limit() {
    let rule = "[[rules]]\nid = \"button.audio_call.expires_in_days.min\"\nkind = \"range\"\non = \"AudioCallButton\"\npath = \"expires_in_days\"\nmin = 1\nseverity = \"error\"\nevidence = \"C\"\nmessage = \"expires_in_days is {value}; at least {min}\"\nfix = \"use {min} or more\"\nsource = \"CALL-CTA\"\ncode = 100\n\n";
    let changes = diff_edited(|t| {
        common::edit(
            t,
            "[[rules]]\nid = \"message.exactly_one_body\"",
            &format!("{rule}[[rules]]\nid = \"message.exactly_one_body\""),
        )
    });
    assert_eq!(
        tuples(&changes),
        vec![(
            "limit",
            "button.audio_call.expires_in_days.min",
            Added,
            true
        )]
    );
    assert_eq!(
        changes[0].detail,
        "new error range (on AudioCallButton path expires_in_days)"
    );
    // Taken away again, it is a removed rule that breaks nobody.
    let text = common::edit(
        V26_TOML,
        "[[rules]]\nid = \"message.exactly_one_body\"",
        &format!("{rule}[[rules]]\nid = \"message.exactly_one_body\""),
    );
    let with = load_str("with.toml", &text).unwrap();
    assert_eq!(
        tuples(&diff(&with, v26())),
        vec![(
            "rule",
            "button.audio_call.expires_in_days.min",
            Removed,
            false
        )]
    );
}

#[test]
fn matches_is_part_of_the_rule_shape() {
    let id = "button.url.messenger_extensions.https";
    let changes = diff_edited(|t| {
        common::edit_rule(t, id, |b| {
            b.replace("matches = '^https://'", "matches = '^https://[a-z]'")
        })
    });
    assert_eq!(tuples(&changes), vec![("rule", id, Changed, true)]);
    assert_eq!(
        changes[0].detail,
        "on UrlButton when messenger_extensions=true then url matches ^https:// -> on UrlButton when messenger_extensions=true then url matches ^https://[a-z]"
    );
    // The same change to a warning rule is compatible.
    let changes = diff_edited(|t| {
        common::edit_rule(t, id, |b| {
            b.replace("matches = '^https://'", "matches = '^https?://'")
                .replace("severity = \"error\"", "severity = \"warning\"")
        })
    });
    assert!(
        changes.iter().all(|c| !c.breaking() && c.item == id),
        "{changes:#?}"
    );
    assert_eq!(changes.len(), 2);
}

#[test]
fn an_as_of_moving_past_an_unchanged_refusal_is_breaking() {
    // Both snapshots refuse HUMAN_AGENT from 2027-01-01; only the new one has
    // reached that date.
    let refuse = |t: &str| {
        common::edit(
            t,
            "window = \"7 days after the person's last message\"\n",
            "window = \"7 days after the person's last message\"\nrefused_since = 2027-01-01\nreplacement = \"nothing\"\n",
        )
    };
    let old_text = refuse(V26_TOML);
    let new_text = common::edit(&old_text, "as_of = 2026-11-23", "as_of = 2027-02-01");
    let old = load_str("old.toml", &old_text).unwrap_or_else(|e| panic!("{e}"));
    let new = load_str("new.toml", &new_text).unwrap_or_else(|e| panic!("{e}"));
    let changes = diff(&old, &new);
    assert_eq!(
        tuples(&changes),
        vec![
            ("snapshot", "as_of", Changed, false),
            ("tag", "Tag.HUMAN_AGENT", Changed, true),
        ]
    );
    assert!(
        changes[1].detail.contains("refused since 2027-01-01"),
        "{}",
        changes[1].detail
    );
    // Moving as_of back to before the date lifts it again, compatibly.
    let back = diff(&new, &old);
    assert!(
        back.iter()
            .any(|c| c.item == "Tag.HUMAN_AGENT" && !c.breaking()),
        "{back:#?}"
    );
}

#[test]
fn later_entries_of_a_code_are_matched_by_name() {
    // A third answer with code 100, inserted before BatchTooLarge.
    let entry = "[[errors]]\ncode = 100\nrust = \"BatchTooLarge\"\n";
    let extra = "[[errors]]\ncode = 100\nrust = \"PageIdMismatch\"\nmessage = \"(#100) The page id does not match the token\"\ndoc = \"The token belongs to another Page.\"\nretry = \"never\"\nsource = \"GERR\"\nevidence = \"X\"\n\n";
    let changes = diff_edited(|t| common::edit(t, entry, &format!("{extra}{entry}")));
    assert_eq!(
        tuples(&changes),
        vec![("error", "100 PageIdMismatch", Added, false)]
    );
    assert_eq!(changes[0].detail, "PageIdMismatch (never)");

    // Gone again, it is removed by name; the general entry of the code
    // (InvalidParameter) is no change.
    let text = common::edit(V26_TOML, entry, &format!("{extra}{entry}"));
    let with = load_str("with.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let changes = diff(&with, v26());
    assert_eq!(
        tuples(&changes),
        vec![("error", "100 PageIdMismatch", Removed, false)]
    );
}

// Classes: breaking, compatible, upcoming

/// (subject, item, change kind, class) of each change.
fn classes(changes: &[Change]) -> Vec<(&'static str, &str, ChangeKind, Class)> {
    changes
        .iter()
        .map(|c| (c.subject, c.item.as_str(), c.kind, c.class))
        .collect()
}

#[test]
fn the_release_diff_has_no_upcoming_change() {
    // Every dated change of v26.0 is on or before its as_of.
    let changes = diff(v21(), v26());
    let count = |class| changes.iter().filter(|c| c.class == class).count();
    assert_eq!(
        (
            count(Class::Breaking),
            count(Class::Compatible),
            count(Class::Upcoming)
        ),
        (6, 41, 0)
    );
    assert!(
        changes
            .iter()
            .all(|c| c.breaking() == (c.class == Class::Breaking))
    );
}

#[test]
fn each_change_kind_has_its_class() {
    // Removed: a field is breaking, a rule is compatible.
    let removed = diff(v26(), v21());
    let find = |subject: &str, item: &str| {
        removed
            .iter()
            .find(|c| c.subject == subject && c.item == item)
            .map(|c| (c.kind, c.class))
            .unwrap_or_else(|| panic!("no change {subject} {item}"))
    };
    assert_eq!(
        find("field", "Message.sticker_id"),
        (Removed, Class::Breaking)
    );
    assert_eq!(
        find("rule", "image_grid.one_hero"),
        (Removed, Class::Compatible)
    );
    // Added: a new value is compatible, a new error rule on old fields breaks.
    let added = diff(v21(), v26());
    let class_of = |item: &str| {
        added
            .iter()
            .find(|c| c.item == item)
            .map(|c| (c.kind, c.class))
    };
    assert_eq!(
        class_of("MessagingType.UTILITY"),
        Some((Added, Class::Compatible))
    );
    // Changed: a refusal the new snapshot has reached breaks.
    assert_eq!(
        class_of("Tag.ACCOUNT_UPDATE"),
        Some((Changed, Class::Breaking))
    );
    let lower = diff_edited(|t| {
        common::edit_rule(t, "message.text.max_len", |b| {
            b.replace("max = 2000", "max = 1500")
        })
    });
    assert_eq!(
        classes(&lower),
        vec![("limit", "message.text.max_len", Changed, Class::Breaking)]
    );
}

#[test]
fn a_refusal_after_the_new_as_of_is_upcoming() {
    let changes = diff_edited(|t| {
        common::edit(
            t,
            "window = \"7 days after the person's last message\"\n",
            "window = \"7 days after the person's last message\"\nrefused_since = 2027-01-01\nreplacement = \"nothing\"\n",
        )
    });
    assert_eq!(
        classes(&changes),
        vec![("tag", "Tag.HUMAN_AGENT", Changed, Class::Upcoming)]
    );
    assert!(!changes[0].breaking());
    assert_eq!(
        changes[0].to_string(),
        "upcoming     changed  tag        Tag.HUMAN_AGENT: will be refused from 2027-01-01; use nothing"
    );
}

#[test]
fn a_refusal_postponed_past_the_new_as_of_is_upcoming() {
    // Refused since 2026-04-27 in the old snapshot, moved to 2027-06-01.
    let changes = diff_edited(|t| {
        common::edit(
            t,
            "platforms = [\"messenger\"]\nrefused_since = 2026-04-27\nreplacement = \"a utility message (messaging_type UTILITY with an approved template)\"\nallowed = [\"status change",
            "platforms = [\"messenger\"]\nrefused_since = 2027-06-01\nreplacement = \"a utility message (messaging_type UTILITY with an approved template)\"\nallowed = [\"status change",
        )
    });
    assert_eq!(
        classes(&changes),
        vec![("tag", "Tag.ACCOUNT_UPDATE", Changed, Class::Upcoming)]
    );
    assert!(
        changes[0]
            .detail
            .starts_with("will be refused from 2027-06-01")
    );
}

#[test]
fn the_same_refusal_is_breaking_once_the_new_as_of_reaches_it() {
    let refuse = |t: &str| {
        common::edit(
            t,
            "window = \"7 days after the person's last message\"\n",
            "window = \"7 days after the person's last message\"\nrefused_since = 2027-01-01\nreplacement = \"nothing\"\n",
        )
    };
    let reached = common::edit(
        &refuse(V26_TOML),
        "as_of = 2026-11-23",
        "as_of = 2027-01-01",
    );
    let new = load_str("reached.toml", &reached).unwrap_or_else(|e| panic!("{e}"));
    let changes = diff(v26(), &new);
    assert_eq!(
        classes(&changes),
        vec![
            ("snapshot", "as_of", Changed, Class::Compatible),
            ("tag", "Tag.HUMAN_AGENT", Changed, Class::Breaking),
        ]
    );
}

#[test]
fn an_error_code_added_with_a_later_since_is_upcoming() {
    let entry = "[[errors]]\ncode = 100\nrust = \"BatchTooLarge\"\n";
    let extra = |since: &str| {
        format!(
            "[[errors]]\ncode = 100\nrust = \"PageIdMismatch\"\nmessage = \"(#100) The page id does not match the token\"\ndoc = \"The token belongs to another Page.\"\nretry = \"never\"\nsource = \"GERR\"\nevidence = \"X\"\nsince = {since}\n\n"
        )
    };
    let later = diff_edited(|t| common::edit(t, entry, &format!("{}{entry}", extra("2027-03-01"))));
    assert_eq!(
        classes(&later),
        vec![("error", "100 PageIdMismatch", Added, Class::Upcoming)]
    );
    // Dated on the snapshot's own as_of, it is in effect: compatible.
    let now = diff_edited(|t| common::edit(t, entry, &format!("{}{entry}", extra("2026-11-23"))));
    assert_eq!(
        classes(&now),
        vec![("error", "100 PageIdMismatch", Added, Class::Compatible)]
    );
}

#[test]
fn a_snapshot_evaluated_at_an_earlier_date_sees_the_refusals_as_upcoming() {
    // v26.0@2024-10-02 is v26.0 as of v21.0's release: the three tags are
    // refused from 2026-04-27, a date it has not reached.
    let then = sendapi_spec::resolve("v26.0@2024-10-02").unwrap_or_else(|e| panic!("{e}"));
    let changes = diff(v26(), &then);
    let tags = [
        "Tag.ACCOUNT_UPDATE",
        "Tag.CONFIRMED_EVENT_UPDATE",
        "Tag.POST_PURCHASE_UPDATE",
    ];
    let upcoming: Vec<&Change> = changes
        .iter()
        .filter(|c| c.class == Class::Upcoming)
        .collect();
    let items: Vec<&str> = upcoming.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(items, tags);
    for c in upcoming {
        assert_eq!((c.subject, c.kind), ("tag", Changed), "{c}");
        assert!(
            c.detail.starts_with("will be refused from 2026-04-27"),
            "{c}"
        );
    }
    // Forward in time, the same refusals have arrived: breaking.
    let forward = diff(&then, v26());
    let breaking: Vec<&str> = forward
        .iter()
        .filter(|c| c.subject == "tag" && c.breaking())
        .map(|c| c.item.as_str())
        .collect();
    assert_eq!(breaking, tags);
}

// --- the receive side: judged from a bot decoding events -------------------

/// The changes of one subject, as (item, kind, class, detail).
fn of_subject<'c>(
    changes: &'c [Change],
    prefix: &str,
) -> Vec<(&'c str, ChangeKind, Class, &'c str)> {
    changes
        .iter()
        .filter(|c| c.subject.starts_with(prefix))
        .map(|c| (c.item.as_str(), c.kind, c.class, c.detail.as_str()))
        .collect()
}

#[test]
fn removing_a_webhook_event_is_breaking_and_adding_one_is_not() {
    let delta = r#"format = 1
extends = "v26.0"

[snapshot]
name = "v27.0"
graph_version = "v27.0"
as_of = 2026-11-23
released = 2026-11-20
doc = "A delta over the receive side."
source = "CHG-GRAPH"

[webhooks.events.Seen]
key = "seen"
type = "Read"
kind = "read"
doc = "A read receipt under a new key."
source = "EVT-READ"

[remove]
webhook_events = ["GamePlay"]
"#;
    let dir = std::env::temp_dir().join(format!("sendapi-diff-wh-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("v27.0.toml");
    std::fs::write(&path, delta).unwrap();
    let new = sendapi_spec::load_path(&path).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_dir_all(&dir).ok();
    let changes = diff(v26(), &new);
    assert_eq!(
        of_subject(&changes, "webhook"),
        vec![
            (
                "GamePlay",
                Removed,
                Class::Breaking,
                "event `GamePlay` (key `game_play`) is gone"
            ),
            (
                "Seen",
                Added,
                Class::Compatible,
                "new read event `Seen` (key `seen`)"
            ),
        ]
    );
}

#[test]
fn webhook_changes_a_bot_relies_on_are_breaking_and_additions_are_not() {
    use common::edit;
    let changes = diff_edited(|t| {
        let t = edit(t, "key = \"message_edit\"", "key = \"edit\"");
        let t = edit(
            &t,
            "kind = \"reaction\"\nfield = \"message_reactions\"\nopens_window = true\n",
            "kind = \"reaction\"\nfield = \"message_reactions\"\n",
        );
        let t = edit(
            &t,
            "kind = \"optin\"\nfield = \"messaging_optins\"\nplatforms = [\"messenger\"]\ndoc = \"A marketing",
            "kind = \"optin\"\nfield = \"messaging_optins\"\nopens_window = true\nplatforms = [\"messenger\"]\ndoc = \"A marketing",
        );
        let t = edit(
            &t,
            "platforms = [\"messenger\"]\ndoc = \"The person linked",
            "doc = \"The person linked",
        );
        let commands = "fields.commands = { rust = \"commands\", type = \"[Command]\", platforms = [\"messenger\"], doc = \"Bot commands the person chose.\", source = \"EVT-MSG\" }\n";
        let t = edit(&t, commands, "");
        let mid = "fields.mid = { rust = \"mid\", type = \"string\", required = true, doc = \"The message id, the same in every retried copy.\", source = \"EVT-MSG\" }";
        let t = edit(&t, mid, &mid.replace("required = true, ", ""));
        let t = edit(
            &t,
            "values.warning = { rust = \"Warning\"",
            "values.restrict = { rust = \"Restrict\", doc = \"Restricted.\", source = \"EVT-POL\" }\nvalues.warning = { rust = \"Warning\"",
        );
        format!(
            "{t}\n[webhooks.types.VoiceNote]\nkind = \"object\"\ndoc = \"Announced.\"\nsource = \"EVT-MSG\"\nsince = 2027-02-01\nfields.url = {{ rust = \"url\", type = \"string\", doc = \"Where.\", source = \"EVT-MSG\" }}\n"
        )
    });
    use Class::{Breaking, Compatible, Upcoming};
    assert_eq!(
        of_subject(&changes, "webhook"),
        vec![
            (
                "AccountLinking",
                Changed,
                Compatible,
                "now also on instagram"
            ),
            (
                "MarketingOptin",
                Changed,
                Compatible,
                "now opens the messaging window"
            ),
            ("MessageEdit", Changed, Breaking, "key message_edit -> edit"),
            (
                "Reaction",
                Changed,
                Breaking,
                "no longer opens the messaging window"
            ),
            ("IncomingMessage.commands", Removed, Breaking, "gone"),
            ("IncomingMessage.mid", Changed, Breaking, "now optional"),
            ("VoiceNote", Added, Upcoming, "new object `VoiceNote`"),
            ("PolicyAction.restrict", Added, Compatible, "new"),
        ]
    );
    assert!(
        changes.iter().all(|c| c.subject.starts_with("webhook")),
        "{changes:#?}"
    );
}

#[test]
fn a_snapshot_without_webhooks_has_no_webhook_changes() {
    // The historic v21.0 file describes only the send side.
    assert!(v21().webhooks().is_none());
    let changes = diff(v21(), v26());
    assert!(changes.iter().all(|c| !c.subject.starts_with("webhook")));
}
