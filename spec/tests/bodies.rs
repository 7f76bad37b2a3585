//! Bodies written for sendapi's own tests (original content, not copied
//! from the peer corpus): for every error- and warning-severity rule of both
//! snapshots, at least one body that breaks it (`bodies/invalid/<rule-id>--<case>.json`)
//! and one that sits next to it without breaking it (`bodies/valid/<name>.json`).
//!
//! [`CASES`] states, for each file, the outcome under every snapshot
//! (v21.0, v26.0) and platform (messenger, instagram): the exact set of error
//! rule ids and the exact set of warning rule ids. Nothing is read from the
//! engine to build the table.
//!
//! The second half feeds bad input to the parser and the engine: nesting,
//! huge numbers, wrong types, unknown fields, non-object roots and random
//! mutations of the valid bodies. The engine must never panic, and every
//! violation must point at a value that exists in the body.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sendapi_spec::{
    Compiled, Engine, MAX_DEPTH, OPAQUE, Platform, Report, Severity, bundled, bundled_engine,
};
use serde_json::{Value, json};

const SNAPSHOTS: [&str; 2] = ["v21.0", "v26.0"];

/// One body file and what the engine must say about it.
struct Case {
    /// Path under `spec/tests/bodies/`.
    file: &'static str,
    /// For a valid body: the rules it exercises without breaking them.
    covers: &'static [&'static str],
    /// `(selector, outcome)` pairs; a later pair overrides an earlier one.
    ///
    /// Selectors: `*` (everything), `v21`/`v26` (a snapshot), `m`/`i` (a
    /// platform), or both (`v26i`). Outcomes: `ok` (valid) or `e:<rule>`
    /// tokens (the exact set of errors), plus `w:<rule>` tokens (the exact
    /// set of warnings); `rule@/pointer` pins the JSON pointer too.
    expect: &'static [(&'static str, &'static str)],
}

const fn row(
    file: &'static str,
    covers: &'static [&'static str],
    expect: &'static [(&'static str, &'static str)],
) -> Case {
    Case {
        file,
        covers,
        expect,
    }
}

const CASES: &[Case] = &[
    // Instagram made several images per message generally available on
    // 2026-05-06.
    row(
        "valid/attachments-10-images.json",
        &[
            "message.exactly_one_body",
            "message.attachments.items",
            "message.attachments.items_instagram",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/attachments-two-images.json",
        &[
            "message.attachments.items",
            "message.attachments.images_only",
        ],
        &[("*", "ok")],
    ),
    // CALL-CTA: expires_in_days is at most 7 (and 7 is the default).
    row(
        "valid/audio-call-button-7-days.json",
        &["button.audio_call.expires_in_days.range"],
        &[("m", "ok"), ("i", "e:button.platform")],
    ),
    row(
        "valid/button-template.json",
        &[
            "template.instagram_unlisted",
            "button_template.text.max_len",
            "button_template.buttons.items",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/coupon.json",
        &[],
        &[("m", "ok"), ("i", "ok w:template.instagram_unlisted")],
    ),
    row(
        "valid/generic-10-elements.json",
        &[
            "status.retired",
            "status.third_party",
            "template.instagram_unlisted",
            "generic.elements.items",
            "generic.element.title.max_len",
            "generic.element.subtitle.max_len",
            "generic.element.buttons.items",
            "button.platform",
            "button.url.title.max_len",
            "button.postback.title.max_len",
            "button.postback.payload.max_len",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/generic-messenger-buttons.json",
        &[
            "button.call.title.max_len",
            "button.call.payload.format",
            "button.account_link.url.https",
            "button.game_play.one_target",
        ],
        &[("m", "ok"), ("i", "e:button.platform")],
    ),
    row(
        "valid/generic-title-and-image-only.json",
        &["generic.element.needs_more_than_title"],
        &[("*", "ok")],
    ),
    // image_grid came on 2026-06-30 (v26.0@2024-10-02 does not know it).
    row(
        "valid/image-grid.json",
        &[
            "image_grid.elements.items",
            "image_grid.images.items",
            "image_grid.title.max_len",
            "image_grid.subtitle.max_len",
            "image_grid.buttons.items",
            "image_grid.one_hero",
        ],
        &[("m", "ok"), ("i", "ok w:template.instagram_unlisted")],
    ),
    row(
        "valid/image-with-quick-replies.json",
        &[
            "message.attachments.forbids_quick_replies",
            "message.sticker.forbids_quick_replies",
            "message.template.forbids_quick_replies",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/instagram-like-heart.json",
        &["attachment.platform"],
        &[("m", "e:attachment.platform"), ("i", "ok")],
    ),
    row(
        "valid/instagram-media-share.json",
        &["attachment.platform"],
        &[("m", "e:attachment.platform"), ("i", "ok")],
    ),
    row(
        "valid/mark-seen.json",
        &[
            "coerce.enum_alias",
            "request.message_xor_sender_action",
            "request.sender_action.forbids_messaging_type",
            "request.sender_action.forbids_notification_type",
            "request.sender_action.forbids_tag",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/media-attachment-id.json",
        &["media.exactly_one_source"],
        &[("*", "ok")],
    ),
    row(
        "valid/media-audio-url.json",
        &["attachment.platform", "media.exactly_one_source"],
        &[("*", "ok")],
    ),
    row(
        "valid/media-file-reusable.json",
        &["coerce.string_as_bool"],
        // Instagram takes files (PDF) since 2025-12-19.
        &[("*", "ok")],
    ),
    row(
        "valid/media-template-attachment-id.json",
        &["media_template.element.exactly_one_source"],
        &[("m", "ok"), ("i", "ok w:template.instagram_unlisted")],
    ),
    row(
        "valid/media-template.json",
        &[
            "media_template.elements.items",
            "media_template.element.exactly_one_source",
            "media_template.element.url.facebook",
            "media_template.element.buttons.items",
        ],
        &[("m", "ok"), ("i", "ok w:template.instagram_unlisted")],
    ),
    // BTN: HTTPS when messenger_extensions is true; an http URL without the
    // extensions is fine.
    row(
        "valid/messenger-extensions-https.json",
        &[
            "button.url.messenger_extensions.https",
            "default_action.messenger_extensions.https",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/meta-sample-image-no-messaging-type.json",
        &[],
        &[("*", "ok w:request.messaging_type.missing")],
    ),
    row(
        "valid/meta-sample-text-no-messaging-type.json",
        &[],
        &[("*", "ok w:request.messaging_type.missing")],
    ),
    row(
        "valid/metadata-1000-chars.json",
        &["message.metadata.max_len"],
        &[("*", "ok")],
    ),
    // The Recurring Notifications opt-in: its fields are unconfirmed (the type
    // is open), and it is deprecated since 2026-01-12.
    row(
        "valid/notification-messages-opt-in.json",
        &[],
        &[
            ("m", "ok w:status.unconfirmed"),
            ("i", "ok w:status.unconfirmed w:template.instagram_unlisted"),
            ("m", "ok w:status.deprecated w:status.unconfirmed"),
            (
                "i",
                "ok w:status.deprecated w:status.unconfirmed w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "valid/product.json",
        &["product.elements.items", "template.instagram_unlisted"],
        &[("*", "ok")],
    ),
    row(
        "valid/quick-replies-13.json",
        &[
            "message.quick_replies.items",
            "quick_reply.platform",
            "quick_reply.title.max_len",
            "quick_reply.payload.max_len",
            "quick_reply.image_url.required_without_title",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/quick-replies-contact.json",
        &["quick_reply.platform"],
        &[("m", "ok"), ("i", "e:quick_reply.platform")],
    ),
    row(
        "valid/quick-replies-number-payload.json",
        &[],
        &[("*", "ok")],
    ),
    row(
        "valid/quick-reply-empty-title-with-image.json",
        &["quick_reply.image_url.required_without_title"],
        &[("*", "ok")],
    ),
    row("valid/react-instagram-love.json", &[], &[("*", "ok")]),
    row(
        "valid/react.json",
        &[
            "request.payload.requires_reaction",
            "request.reaction.requires_payload",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/receipt.json",
        &["receipt.elements.items", "receipt.address.country"],
        &[("m", "ok"), ("i", "ok w:template.instagram_unlisted")],
    ),
    row(
        "valid/recipient-comment-id.json",
        &["recipient.exactly_one", "recipient.post_id.platform"],
        &[("*", "ok")],
    ),
    row(
        "valid/recipient-notification-token.json",
        &["recipient.notification_messages_token.platform"],
        &[
            ("*", "ok"),
            ("m", "ok w:status.deprecated"),
            (
                "i",
                "ok w:recipient.notification_messages_token.platform w:status.deprecated",
            ),
        ],
    ),
    row(
        "valid/recipient-otn-token.json",
        &["recipient.one_time_notif_token.platform"],
        &[
            ("m", "ok w:status.unconfirmed"),
            (
                "i",
                "ok w:recipient.one_time_notif_token.platform w:status.unconfirmed",
            ),
        ],
    ),
    row(
        "valid/recipient-phone.json",
        &[
            "recipient.exactly_one",
            "recipient.name.requires_phone_number",
            "recipient.phone_number.format",
            "recipient.phone_number.platform",
        ],
        &[("m", "ok"), ("i", "ok w:recipient.phone_number.platform")],
    ),
    row(
        "valid/recipient-post-id.json",
        &["recipient.post_id.platform"],
        &[("m", "ok"), ("i", "e:recipient.post_id.platform")],
    ),
    row(
        "valid/recipient-user-ref.json",
        &["recipient.user_ref.platform"],
        &[("m", "ok"), ("i", "ok w:recipient.user_ref.platform")],
    ),
    row(
        "valid/reply-to.json",
        &["request.sender_action.forbids_reply_to"],
        &[("*", "ok")],
    ),
    // sticker_id came on 2026-06-01.
    row(
        "valid/sticker.json",
        &[
            "message.exactly_one_body",
            "message.sticker.forbids_quick_replies",
            "message.sticker_id.platform",
        ],
        &[("m", "ok"), ("i", "ok w:message.sticker_id.platform")],
    ),
    row(
        "valid/tag-customer-feedback.json",
        &[
            "body.open_field",
            "request.customer_feedback.requires_template",
        ],
        &[
            ("m", "ok w:status.unconfirmed"),
            (
                "i",
                "e:request.tag.platform w:status.unconfirmed w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "valid/tag-human-agent.json",
        &[
            "request.tag.requires_message_tag",
            "request.message_tag.requires_tag",
            "request.tag.refused_since",
            "request.tag.platform",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/text-1000-bytes.json",
        &["message.text.max_len", "message.text.max_len_instagram"],
        &[("*", "ok")],
    ),
    row(
        "valid/text-2000-chars.json",
        &["message.text.max_len"],
        &[("m", "ok"), ("i", "e:message.text.max_len_instagram")],
    ),
    row(
        "valid/text-response.json",
        &[
            "body.unknown_field",
            "body.type",
            "body.enum_value",
            "body.required",
            "coerce.number_as_id",
            "coerce.null_as_absent",
            "status.deprecated",
            "status.unconfirmed",
            "status.transport",
            "request.message_xor_sender_action",
            "request.messaging_type.missing",
            "request.messaging_type.platform",
            "recipient.exactly_one",
            "message.exactly_one_body",
        ],
        &[("*", "ok")],
    ),
    row("valid/text-update-silent.json", &[], &[("*", "ok")]),
    row(
        "valid/typing-on-persona.json",
        &[
            "request.sender_action.forbids_messaging_type",
            "request.sender_action.forbids_notification_type",
            "request.sender_action.forbids_tag",
            "request.sender_action.forbids_reply_to",
        ],
        &[("*", "ok")],
    ),
    row(
        "valid/unreact.json",
        &[
            "request.payload.requires_reaction",
            "request.reaction.requires_payload",
        ],
        &[("*", "ok")],
    ),
    // UTILITY and message.template came on 2025-07-29.
    row(
        "valid/utility-template.json",
        &[
            "request.utility.requires_template",
            "request.template.requires_utility",
            "message.template.forbids_quick_replies",
            "message.exactly_one_body",
        ],
        &[("m", "ok"), ("i", "ok w:request.messaging_type.platform")],
    ),
    row(
        "invalid/attachment.platform--like-heart-on-messenger.json",
        &[],
        &[("m", "e:attachment.platform"), ("i", "ok")],
    ),
    row(
        "invalid/attachment.platform--location-on-instagram.json",
        &[],
        &[
            ("m", "ok w:status.retired"),
            ("i", "e:attachment.platform w:status.retired"),
        ],
    ),
    row(
        "invalid/attachment.platform--media-share-on-messenger.json",
        &[],
        &[("m", "e:attachment.platform"), ("i", "ok")],
    ),
    row(
        "invalid/body.enum_value--image-grid-call-button.json",
        &[],
        &[
            ("m", "e:body.enum_value"),
            ("i", "e:body.enum_value w:template.instagram_unlisted"),
        ],
    ),
    row(
        "invalid/body.enum_value--notification-type.json",
        &[],
        &[("*", "e:body.enum_value")],
    ),
    row(
        "invalid/body.enum_value--sender-action.json",
        &[],
        &[("*", "e:body.enum_value")],
    ),
    row(
        "invalid/body.open_field--customer-feedback-extra.json",
        &[],
        &[
            ("m", "ok w:body.open_field w:status.unconfirmed"),
            (
                "i",
                "e:request.tag.platform w:body.open_field w:status.unconfirmed w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/body.open_field--notification-messages-extra.json",
        &[],
        &[
            ("m", "ok w:body.open_field w:status.unconfirmed"),
            (
                "i",
                "ok w:body.open_field w:status.unconfirmed w:template.instagram_unlisted",
            ),
            (
                "m",
                "ok w:body.open_field w:status.deprecated w:status.unconfirmed",
            ),
            (
                "i",
                "ok w:body.open_field w:status.deprecated w:status.unconfirmed w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/body.required--attachment-without-payload.json",
        &[],
        &[("*", "e:body.required")],
    ),
    row(
        "invalid/body.required--no-recipient.json",
        &[],
        &[("*", "e:body.required")],
    ),
    row(
        "invalid/body.required--postback-without-title.json",
        &[],
        &[("*", "e:body.required")],
    ),
    row(
        "invalid/body.type--quick-replies-object.json",
        &[],
        &[("*", "e:body.type")],
    ),
    row(
        "invalid/body.type--recipient-string.json",
        &[],
        &[("*", "e:body.type")],
    ),
    row(
        "invalid/body.type--sticker-float.json",
        &[],
        &[
            ("m", "e:body.type"),
            ("i", "e:body.type w:message.sticker_id.platform"),
        ],
    ),
    row(
        "invalid/body.type--text-number.json",
        &[],
        &[("*", "e:body.type")],
    ),
    row(
        "invalid/body.unknown_field--button-field.json",
        &[],
        &[("*", "e:body.unknown_field")],
    ),
    row(
        "invalid/body.unknown_field--misspelled-quick-replies.json",
        &[],
        &[("*", "e:body.unknown_field")],
    ),
    row(
        "invalid/body.unknown_field--top-level.json",
        &[],
        &[("*", "e:body.unknown_field")],
    ),
    row(
        "invalid/button.account_link.url.https--http.json",
        &[],
        &[
            ("m", "e:button.account_link.url.https"),
            ("i", "e:button.account_link.url.https e:button.platform"),
        ],
    ),
    row(
        "invalid/button.audio_call.expires_in_days.range--8-days.json",
        &[],
        &[
            (
                "m",
                "e:button.audio_call.expires_in_days.range@/message/attachment/payload/buttons/0/expires_in_days",
            ),
            (
                "i",
                "e:button.audio_call.expires_in_days.range e:button.platform",
            ),
        ],
    ),
    row(
        "invalid/button.call.payload.format--spaces.json",
        &[],
        &[
            ("m", "e:button.call.payload.format"),
            ("i", "e:button.call.payload.format e:button.platform"),
        ],
    ),
    row(
        "invalid/button.call.title.max_len--21-chars.json",
        &[],
        &[
            ("m", "e:button.call.title.max_len"),
            ("i", "e:button.call.title.max_len e:button.platform"),
        ],
    ),
    row(
        "invalid/button.game_play.one_target--both.json",
        &[],
        &[
            ("m", "e:button.game_play.one_target"),
            ("i", "e:button.game_play.one_target e:button.platform"),
        ],
    ),
    row(
        "invalid/button.platform--instagram-account-link.json",
        &[],
        &[("m", "ok"), ("i", "e:button.platform")],
    ),
    row(
        "invalid/button.platform--instagram-call.json",
        &[],
        &[("m", "ok"), ("i", "e:button.platform")],
    ),
    row(
        "invalid/button.postback.payload.max_len--1001-chars.json",
        &[],
        &[("*", "e:button.postback.payload.max_len")],
    ),
    row(
        "invalid/button.postback.title.max_len--21-chars.json",
        &[],
        &[("*", "e:button.postback.title.max_len")],
    ),
    row(
        "invalid/button.url.messenger_extensions.https--http-url.json",
        &[],
        &[(
            "*",
            "e:button.url.messenger_extensions.https@/message/attachment/payload/buttons/0/messenger_extensions",
        )],
    ),
    // "true" is read as true (a coercion warning), so the HTTPS rule applies.
    row(
        "invalid/button.url.messenger_extensions.https--string-true.json",
        &[],
        &[(
            "*",
            "e:button.url.messenger_extensions.https w:coerce.string_as_bool",
        )],
    ),
    row(
        "invalid/button.url.title.max_len--21-chars.json",
        &[],
        &[("*", "e:button.url.title.max_len")],
    ),
    row(
        "invalid/button_template.buttons.items--4.json",
        &[],
        &[("*", "e:button_template.buttons.items")],
    ),
    row(
        "invalid/button_template.buttons.items--none.json",
        &[],
        &[("*", "e:button_template.buttons.items")],
    ),
    row(
        "invalid/button_template.text.max_len--641-chars.json",
        &[],
        &[("*", "e:button_template.text.max_len")],
    ),
    row(
        "invalid/coerce.enum_alias--typing-on-upper.json",
        &[],
        &[("*", "ok w:coerce.enum_alias")],
    ),
    row(
        "invalid/coerce.enum_alias--utility-component-upper.json",
        &[],
        &[
            ("m", "ok w:coerce.enum_alias"),
            (
                "i",
                "ok w:coerce.enum_alias w:request.messaging_type.platform",
            ),
        ],
    ),
    row(
        "invalid/coerce.null_as_absent--metadata-null.json",
        &[],
        &[("*", "ok w:coerce.null_as_absent")],
    ),
    row(
        "invalid/coerce.number_as_id--recipient-id.json",
        &[],
        &[("*", "ok w:coerce.number_as_id")],
    ),
    row(
        "invalid/coerce.string_as_bool--sharable.json",
        &[],
        &[("*", "ok w:coerce.string_as_bool")],
    ),
    row(
        "invalid/default_action.messenger_extensions.https--http-url.json",
        &[],
        &[(
            "*",
            "e:default_action.messenger_extensions.https@/message/attachment/payload/elements/0/default_action/messenger_extensions",
        )],
    ),
    row(
        "invalid/generic.element.buttons.items--4.json",
        &[],
        &[("*", "e:generic.element.buttons.items")],
    ),
    row(
        "invalid/generic.element.needs_more_than_title--title-only.json",
        &[],
        &[("*", "e:generic.element.needs_more_than_title")],
    ),
    row(
        "invalid/generic.element.subtitle.max_len--81-chars.json",
        &[],
        &[("*", "e:generic.element.subtitle.max_len")],
    ),
    row(
        "invalid/generic.element.title.max_len--81-chars.json",
        &[],
        &[("*", "e:generic.element.title.max_len")],
    ),
    row(
        "invalid/generic.elements.items--11.json",
        &[],
        &[("*", "e:generic.elements.items")],
    ),
    row(
        "invalid/generic.elements.items--empty.json",
        &[],
        &[("*", "e:generic.elements.items")],
    ),
    row(
        "invalid/image_grid.buttons.items--4.json",
        &[],
        &[
            ("m", "e:image_grid.buttons.items"),
            (
                "i",
                "e:image_grid.buttons.items w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/image_grid.elements.items--2.json",
        &[],
        &[
            ("m", "e:image_grid.elements.items"),
            (
                "i",
                "e:image_grid.elements.items w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/image_grid.images.items--1.json",
        &[],
        &[
            ("m", "e:image_grid.images.items"),
            (
                "i",
                "e:image_grid.images.items w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/image_grid.images.items--7.json",
        &[],
        &[
            ("m", "e:image_grid.images.items"),
            (
                "i",
                "e:image_grid.images.items w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/image_grid.one_hero--two-heroes.json",
        &[],
        &[
            ("m", "e:image_grid.one_hero"),
            ("i", "e:image_grid.one_hero w:template.instagram_unlisted"),
        ],
    ),
    row(
        "invalid/image_grid.subtitle.max_len--81-chars.json",
        &[],
        &[
            ("m", "e:image_grid.subtitle.max_len"),
            (
                "i",
                "e:image_grid.subtitle.max_len w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/image_grid.title.max_len--46-chars.json",
        &[],
        &[
            ("m", "e:image_grid.title.max_len"),
            (
                "i",
                "e:image_grid.title.max_len w:template.instagram_unlisted",
            ),
        ],
    ),
    // Instagram takes attachment_id since 2026-03-13.
    row(
        "invalid/media.exactly_one_source--neither.json",
        &[],
        &[("*", "e:media.exactly_one_source")],
    ),
    row(
        "invalid/media.exactly_one_source--url-and-id.json",
        &[],
        &[("*", "e:media.exactly_one_source")],
    ),
    row(
        "invalid/media_template.element.buttons.items--4.json",
        &[],
        &[
            ("m", "e:media_template.element.buttons.items"),
            (
                "i",
                "e:media_template.element.buttons.items w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/media_template.element.exactly_one_source--both.json",
        &[],
        &[
            ("m", "e:media_template.element.exactly_one_source"),
            (
                "i",
                "e:media_template.element.exactly_one_source w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/media_template.element.url.facebook--external.json",
        &[],
        &[
            ("m", "ok w:media_template.element.url.facebook"),
            (
                "i",
                "ok w:media_template.element.url.facebook w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/media_template.element.url.facebook--lookalike-host.json",
        &[],
        &[
            ("m", "ok w:media_template.element.url.facebook"),
            (
                "i",
                "ok w:media_template.element.url.facebook w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/media_template.elements.items--2.json",
        &[],
        &[
            ("m", "e:media_template.elements.items"),
            (
                "i",
                "e:media_template.elements.items w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/message.attachments.forbids_quick_replies--two-images.json",
        &[],
        &[("*", "e:message.attachments.forbids_quick_replies")],
    ),
    // An empty list sends nothing: an error on every platform (decided in
    // the spec, like an empty message); Instagram's own 1-to-10 rule fires
    // beside it.
    row(
        "invalid/message.attachments.items--empty-with-metadata.json",
        &[],
        &[
            ("m", "e:message.attachments.items@/message/attachments"),
            (
                "i",
                "e:message.attachments.items e:message.attachments.items_instagram",
            ),
        ],
    ),
    row(
        "invalid/message.attachments.items_instagram--11-images.json",
        &[],
        &[("m", "ok"), ("i", "e:message.attachments.items_instagram")],
    ),
    // Messenger documents no maximum for `attachments`; Instagram takes 1 to
    // 10. The empty list also breaks message.attachments.items everywhere.
    row(
        "invalid/message.attachments.items_instagram--empty.json",
        &[],
        &[
            ("m", "e:message.attachments.items"),
            (
                "i",
                "e:message.attachments.items e:message.attachments.items_instagram",
            ),
        ],
    ),
    // Instagram's multi-image messages came on 2026-05-06.
    row(
        "invalid/message.exactly_one_body--empty-message.json",
        &[],
        &[("*", "e:message.exactly_one_body")],
    ),
    row(
        "invalid/message.exactly_one_body--metadata-only.json",
        &[],
        &[("*", "e:message.exactly_one_body")],
    ),
    row(
        "invalid/message.exactly_one_body--text-and-attachment.json",
        &[],
        &[("*", "e:message.exactly_one_body")],
    ),
    row(
        "invalid/message.metadata.max_len--1001-chars.json",
        &[],
        &[("*", "e:message.metadata.max_len")],
    ),
    row(
        "invalid/message.quick_replies.items--14.json",
        &[],
        &[("*", "e:message.quick_replies.items")],
    ),
    row(
        "invalid/message.sticker.forbids_quick_replies--sticker.json",
        &[],
        &[
            ("m", "e:message.sticker.forbids_quick_replies"),
            (
                "i",
                "e:message.sticker.forbids_quick_replies w:message.sticker_id.platform",
            ),
        ],
    ),
    row(
        "invalid/message.sticker_id.platform--instagram.json",
        &[],
        &[("m", "ok"), ("i", "ok w:message.sticker_id.platform")],
    ),
    row(
        "invalid/message.template.forbids_quick_replies--utility.json",
        &[],
        &[
            ("m", "e:message.template.forbids_quick_replies"),
            (
                "i",
                "e:message.template.forbids_quick_replies w:request.messaging_type.platform",
            ),
        ],
    ),
    row(
        "invalid/message.text.max_len--2001-chars.json",
        &[],
        &[
            ("m", "e:message.text.max_len"),
            ("i", "e:message.text.max_len_instagram"),
        ],
    ),
    row(
        "invalid/message.text.max_len_instagram--1002-bytes.json",
        &[],
        &[("m", "ok"), ("i", "e:message.text.max_len_instagram")],
    ),
    row(
        "invalid/product.elements.items--11.json",
        &[],
        &[("*", "e:product.elements.items")],
    ),
    row(
        "invalid/product.elements.items--empty.json",
        &[],
        &[("*", "e:product.elements.items")],
    ),
    row(
        "invalid/quick_reply.image_url.required_without_title--empty-title.json",
        &[],
        &[("*", "e:quick_reply.image_url.required_without_title")],
    ),
    row(
        "invalid/quick_reply.payload.max_len--1001-chars.json",
        &[],
        &[("*", "e:quick_reply.payload.max_len")],
    ),
    // Instagram disabled phone and email quick replies on 2026-10-05.
    row(
        "invalid/quick_reply.platform--instagram-email.json",
        &[],
        &[("m", "ok"), ("i", "e:quick_reply.platform")],
    ),
    row(
        "invalid/quick_reply.platform--instagram-location.json",
        &[],
        &[
            ("m", "ok w:status.retired"),
            ("i", "e:quick_reply.platform w:status.retired"),
        ],
    ),
    row(
        "invalid/quick_reply.title.max_len--21-chars.json",
        &[],
        &[("*", "ok w:quick_reply.title.max_len")],
    ),
    row(
        "invalid/receipt.address.country--full-name.json",
        &[],
        &[
            ("m", "e:receipt.address.country"),
            (
                "i",
                "e:receipt.address.country w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/receipt.elements.items--101.json",
        &[],
        &[
            ("m", "e:receipt.elements.items"),
            (
                "i",
                "e:receipt.elements.items w:template.instagram_unlisted",
            ),
        ],
    ),
    row(
        "invalid/recipient.exactly_one--empty.json",
        &[],
        &[("*", "e:recipient.exactly_one")],
    ),
    row(
        "invalid/recipient.exactly_one--id-and-user-ref.json",
        &[],
        &[
            ("m", "e:recipient.exactly_one"),
            ("i", "e:recipient.exactly_one w:recipient.user_ref.platform"),
        ],
    ),
    row(
        "invalid/recipient.name.requires_phone_number--id-with-name.json",
        &[],
        &[("*", "e:recipient.name.requires_phone_number")],
    ),
    row(
        "invalid/recipient.notification_messages_token.platform--instagram.json",
        &[],
        &[
            ("*", "ok"),
            ("m", "ok w:status.deprecated"),
            (
                "i",
                "ok w:recipient.notification_messages_token.platform w:status.deprecated",
            ),
        ],
    ),
    row(
        "invalid/recipient.one_time_notif_token.platform--instagram.json",
        &[],
        &[
            ("m", "ok w:status.unconfirmed"),
            (
                "i",
                "ok w:recipient.one_time_notif_token.platform w:status.unconfirmed",
            ),
        ],
    ),
    row(
        "invalid/recipient.phone_number.format--no-plus.json",
        &[],
        &[
            ("m", "ok w:recipient.phone_number.format"),
            (
                "i",
                "ok w:recipient.phone_number.format w:recipient.phone_number.platform",
            ),
        ],
    ),
    row(
        "invalid/recipient.phone_number.platform--instagram.json",
        &[],
        &[("m", "ok"), ("i", "ok w:recipient.phone_number.platform")],
    ),
    row(
        "invalid/recipient.post_id.platform--instagram.json",
        &[],
        &[("m", "ok"), ("i", "e:recipient.post_id.platform")],
    ),
    row(
        "invalid/recipient.user_ref.platform--instagram.json",
        &[],
        &[("m", "ok"), ("i", "ok w:recipient.user_ref.platform")],
    ),
    row(
        "invalid/request.customer_feedback.requires_template--generic.json",
        &[],
        &[
            ("m", "e:request.customer_feedback.requires_template"),
            (
                "i",
                "e:request.customer_feedback.requires_template e:request.tag.platform",
            ),
        ],
    ),
    row(
        "invalid/request.customer_feedback.requires_template--text.json",
        &[],
        &[
            ("m", "e:request.customer_feedback.requires_template"),
            (
                "i",
                "e:request.customer_feedback.requires_template e:request.tag.platform",
            ),
        ],
    ),
    row(
        "invalid/request.message_tag.requires_tag--no-tag.json",
        &[],
        &[("*", "e:request.message_tag.requires_tag")],
    ),
    row(
        "invalid/request.message_xor_sender_action--both.json",
        &[],
        &[(
            "*",
            "e:request.message_xor_sender_action w:request.messaging_type.missing",
        )],
    ),
    row(
        "invalid/request.message_xor_sender_action--neither.json",
        &[],
        &[("*", "e:request.message_xor_sender_action")],
    ),
    row(
        "invalid/request.messaging_type.missing--attachment.json",
        &[],
        &[("*", "ok w:request.messaging_type.missing")],
    ),
    row(
        "invalid/request.messaging_type.platform--instagram-utility.json",
        &[],
        &[("m", "ok"), ("i", "ok w:request.messaging_type.platform")],
    ),
    row(
        "invalid/request.payload.requires_reaction--message.json",
        &[],
        &[("*", "e:request.payload.requires_reaction")],
    ),
    row(
        "invalid/request.payload.requires_reaction--typing-on.json",
        &[],
        &[("*", "e:request.payload.requires_reaction")],
    ),
    row(
        "invalid/request.reaction.requires_payload--react.json",
        &[],
        &[("*", "e:request.reaction.requires_payload")],
    ),
    row(
        "invalid/request.reaction.requires_payload--unreact.json",
        &[],
        &[("*", "e:request.reaction.requires_payload")],
    ),
    row(
        "invalid/request.sender_action.forbids_messaging_type--mark-seen.json",
        &[],
        &[("*", "e:request.sender_action.forbids_messaging_type")],
    ),
    row(
        "invalid/request.sender_action.forbids_notification_type--typing-off.json",
        &[],
        &[("*", "e:request.sender_action.forbids_notification_type")],
    ),
    row(
        "invalid/request.sender_action.forbids_reply_to--react.json",
        &[],
        &[("*", "e:request.sender_action.forbids_reply_to")],
    ),
    row(
        "invalid/request.sender_action.forbids_tag--typing-on.json",
        &[],
        &[(
            "*",
            "e:request.sender_action.forbids_tag e:request.tag.requires_message_tag",
        )],
    ),
    row(
        "invalid/request.tag.platform--instagram-customer-feedback.json",
        &[],
        &[
            ("m", "e:request.customer_feedback.requires_template"),
            (
                "i",
                "e:request.customer_feedback.requires_template e:request.tag.platform",
            ),
        ],
    ),
    // Refused since 2026-04-27 on every Graph version; never on Instagram.
    row(
        "invalid/request.tag.refused_since--account-update.json",
        &[],
        &[
            ("*", "ok"),
            ("m", "e:request.tag.refused_since"),
            ("i", "e:request.tag.platform e:request.tag.refused_since"),
        ],
    ),
    row(
        "invalid/request.tag.refused_since--confirmed-event-update.json",
        &[],
        &[
            ("*", "ok"),
            ("m", "e:request.tag.refused_since"),
            ("i", "e:request.tag.platform e:request.tag.refused_since"),
        ],
    ),
    // The legacy tags are unsourced: retired warnings with no refusal date
    // and no replacement (they were refused since 2020-03-04 before).
    row(
        "invalid/status.retired--legacy-tag-issue-resolution.json",
        &[],
        &[
            ("m", "ok w:status.retired"),
            ("i", "e:request.tag.platform w:status.retired"),
        ],
    ),
    row(
        "invalid/request.tag.refused_since--post-purchase-update.json",
        &[],
        &[
            ("*", "ok"),
            ("m", "e:request.tag.refused_since"),
            ("i", "e:request.tag.platform e:request.tag.refused_since"),
        ],
    ),
    row(
        "invalid/request.tag.requires_message_tag--no-messaging-type.json",
        &[],
        &[(
            "*",
            "e:request.tag.requires_message_tag w:request.messaging_type.missing",
        )],
    ),
    row(
        "invalid/request.tag.requires_message_tag--response-with-tag.json",
        &[],
        &[("*", "e:request.tag.requires_message_tag")],
    ),
    row(
        "invalid/request.template.requires_utility--response.json",
        &[],
        &[("*", "e:request.template.requires_utility")],
    ),
    // UnreactPayload has no `reaction`: reported once, as an unknown key
    // (a forbids rule used to report it a second time).
    row(
        "invalid/body.unknown_field--unreact-with-reaction.json",
        &[],
        &[("*", "e:body.unknown_field")],
    ),
    // audio_call buttons go in generic and button templates only.
    row(
        "invalid/body.enum_value--media-template-audio-call.json",
        &[],
        &[
            ("m", "e:body.enum_value"),
            ("i", "e:body.enum_value w:template.instagram_unlisted"),
        ],
    ),
    row(
        "valid/media-template-call-button.json",
        &["media_button.platform"],
        &[
            ("m", "ok"),
            ("i", "e:media_button.platform w:template.instagram_unlisted"),
        ],
    ),
    row(
        "invalid/media_button.platform--call-button-on-instagram.json",
        &[],
        &[
            ("m", "ok"),
            ("i", "e:media_button.platform w:template.instagram_unlisted"),
        ],
    ),
    // Instagram's attachments[] holds images only.
    row(
        "invalid/message.attachments.images_only--button-template.json",
        &[],
        &[("m", "ok"), ("i", "e:message.attachments.images_only")],
    ),
    // quick_reply_type is in Graph's schema only, like dynamic_text: a
    // warning, no longer an unknown key.
    row(
        "invalid/status.unconfirmed--quick-reply-type.json",
        &[],
        &[("*", "ok w:status.unconfirmed")],
    ),
    // A retired template's old schema requires nothing: missing fields of
    // the old reference are no errors.
    row(
        "invalid/status.retired--airline-checkin-without-old-required-fields.json",
        &[],
        &[
            ("m", "ok w:status.retired"),
            ("i", "ok w:status.retired w:template.instagram_unlisted"),
        ],
    ),
    // `filedata` is a multipart part, never a key of the JSON.
    row(
        "invalid/body.unknown_field--filedata-in-json.json",
        &[],
        &[("*", "e:body.unknown_field e:media.exactly_one_source")],
    ),
    row(
        "invalid/request.utility.requires_template--text.json",
        &[],
        &[
            ("m", "e:request.utility.requires_template"),
            (
                "i",
                "e:request.utility.requires_template w:request.messaging_type.platform",
            ),
        ],
    ),
    row(
        "invalid/status.deprecated--notification-token.json",
        &[],
        &[
            ("*", "ok"),
            ("m", "ok w:status.deprecated"),
            (
                "i",
                "ok w:recipient.notification_messages_token.platform w:status.deprecated",
            ),
        ],
    ),
    row(
        "invalid/status.retired--list-template.json",
        &[],
        &[
            ("m", "ok w:status.retired"),
            ("i", "ok w:status.retired w:template.instagram_unlisted"),
        ],
    ),
    row(
        "invalid/status.retired--location-quick-reply.json",
        &[],
        &[
            ("m", "ok w:status.retired"),
            ("i", "e:quick_reply.platform w:status.retired"),
        ],
    ),
    row(
        "invalid/status.retired--non-promotional-subscription.json",
        &[],
        &[("*", "ok w:status.retired")],
    ),
    row(
        "invalid/status.third_party--image-aspect-ratio.json",
        &[],
        &[("*", "ok w:status.third_party")],
    ),
    row(
        "invalid/status.third_party--webview-share-button.json",
        &[],
        &[("*", "ok w:status.third_party")],
    ),
    row(
        "invalid/status.transport--access-token.json",
        &[],
        &[("*", "ok w:status.transport")],
    ),
    row(
        "invalid/status.unconfirmed--dynamic-text.json",
        &[],
        &[("*", "ok w:status.unconfirmed")],
    ),
    row(
        "invalid/status.unconfirmed--folder.json",
        &[],
        &[("*", "ok w:status.unconfirmed")],
    ),
    row(
        "invalid/status.unconfirmed--thread-control.json",
        &[],
        &[("*", "ok w:status.unconfirmed")],
    ),
    row(
        "invalid/template.instagram_unlisted--receipt.json",
        &[],
        &[("m", "ok"), ("i", "ok w:template.instagram_unlisted")],
    ),
];

// ---------------------------------------------------------------------------
// Table machinery
// ---------------------------------------------------------------------------

fn bodies_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("bodies")
}

fn load(file: &str) -> Value {
    let path = bodies_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A bundled engine, or one for `NAME@DATE` (compiled for the test and
/// kept for the rest of the process).
fn engine(snapshot: &str) -> &'static Engine {
    if snapshot.contains('@') {
        let compiled = Compiled::resolve(snapshot).unwrap_or_else(|e| panic!("{e}"));
        return Box::leak(Box::new(compiled)).engine();
    }
    bundled_engine(snapshot).unwrap_or_else(|e| panic!("{e}"))
}

fn v26() -> &'static Engine {
    engine("v26.0")
}

/// Rule id -> severity, per snapshot.
fn rules_of(snapshot: &str) -> BTreeMap<String, Severity> {
    bundled(snapshot)
        .unwrap_or_else(|e| panic!("{e}"))
        .rules()
        .iter()
        .map(|r| (r.id.clone(), r.severity))
        .collect()
}

/// Every rule id of both snapshots, with the snapshots that have it.
fn all_rules() -> BTreeMap<String, Vec<&'static str>> {
    let mut all: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for snapshot in SNAPSHOTS {
        for id in rules_of(snapshot).into_keys() {
            all.entry(id).or_default().push(snapshot);
        }
    }
    all
}

fn selector_matches(sel: &str, snapshot: &str, platform: Platform) -> bool {
    assert!(!sel.is_empty(), "empty selector");
    if sel == "*" {
        return true;
    }
    let (snap, plat) = match sel.get(..3) {
        Some(s @ ("v21" | "v26")) => (Some(s), &sel[3..]),
        _ => (None, sel),
    };
    let plat_ok = match plat {
        "" => true,
        "m" => platform == Platform::Messenger,
        "i" => platform == Platform::Instagram,
        _ => panic!("bad selector `{sel}`: use *, v21, v26, m, i or v21m, v26i, ..."),
    };
    plat_ok && snap.is_none_or(|s| snapshot.starts_with(s))
}

fn expected<'a>(case: &'a Case, snapshot: &str, platform: Platform) -> &'a str {
    case.expect
        .iter()
        .rev()
        .find(|(sel, _)| selector_matches(sel, snapshot, platform))
        .map(|(_, o)| *o)
        .unwrap_or_else(|| panic!("{}: no expectation for {snapshot} on {platform}", case.file))
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
            if token == "ok" {
                ok = true;
            } else if let Some(id) = token.strip_prefix("e:") {
                out.errors.insert(id.to_string());
            } else if let Some(id) = token.strip_prefix("w:") {
                out.warnings.insert(id.to_string());
            } else {
                panic!("bad token `{token}` in `{text}`: use ok, e:<rule> or w:<rule>");
            }
        }
        assert!(
            ok == out.errors.is_empty(),
            "`{text}`: write `ok` exactly when no error is expected"
        );
        out
    }

    /// Whether the outcome names `rule` (as an error or a warning).
    fn names(&self, rule: &str) -> bool {
        let hit = |s: &String| s.split('@').next() == Some(rule);
        self.errors.iter().any(hit) || self.warnings.iter().any(hit)
    }

    /// The engine's outcome, spelled like `want` (with pointers where `want`
    /// has them).
    fn of(report: &Report, want: &Outcome) -> Outcome {
        let render = |severity: Severity, pointers: bool| -> BTreeSet<String> {
            report
                .violations
                .iter()
                .filter(|v| v.severity == severity)
                .map(|v| {
                    if pointers {
                        format!("{}@{}", v.rule, v.pointer)
                    } else {
                        v.rule.clone()
                    }
                })
                .collect()
        };
        let pinned = |set: &BTreeSet<String>| set.iter().any(|t| t.contains('@'));
        Outcome {
            errors: render(Severity::Error, pinned(&want.errors)),
            warnings: render(Severity::Warning, pinned(&want.warnings)),
        }
    }
}

fn listing(report: &Report) -> String {
    report
        .violations
        .iter()
        .map(|v| format!("      {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A `{name}` placeholder that was not rendered.
fn raw_placeholder(text: &str) -> Option<&str> {
    text.match_indices('{').find_map(|(i, _)| {
        let rest = &text[i + 1..];
        let end = rest.find('}')?;
        let name = &rest[..end];
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .then_some(name)
    })
}

/// Every violation must point at a value of the body, and read as finished
/// text with a doc link.
fn pointer_problems(body: &Value, report: &Report) -> Vec<String> {
    let mut problems = Vec::new();
    for v in &report.violations {
        if body.pointer(&v.pointer).is_none() {
            problems.push(format!(
                "{} points at `{}`, which is not in the body",
                v.rule, v.pointer
            ));
        }
        if let Some(name) = raw_placeholder(&v.message).or_else(|| raw_placeholder(&v.fix)) {
            problems.push(format!(
                "{} leaves `{{{name}}}` unrendered: {}",
                v.rule,
                v.text()
            ));
        }
        if !v.doc.starts_with("https://") {
            problems.push(format!("{} has no doc link: `{}`", v.rule, v.doc));
        }
    }
    problems
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

#[test]
fn every_body_has_the_outcome_its_row_states() {
    let mut failures = Vec::new();
    for case in CASES {
        let body = load(case.file);
        for snapshot in SNAPSHOTS {
            for platform in Platform::ALL {
                let want = Outcome::parse(expected(case, snapshot, platform));
                let report = engine(snapshot).validate(&body, platform);
                let got = Outcome::of(&report, &want);
                assert_eq!(report.is_valid(), got.errors.is_empty());
                if got != want {
                    failures.push(format!(
                        "{} under {snapshot} on {platform}:\n    expected errors {:?} warnings {:?}\n    found    errors {:?} warnings {:?}\n{}",
                        case.file,
                        want.errors,
                        want.warnings,
                        got.errors,
                        got.warnings,
                        listing(&report)
                    ));
                }
                for p in pointer_problems(&body, &report) {
                    failures.push(format!("{} under {snapshot} on {platform}: {p}", case.file));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatch(es):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_file_has_a_row_and_every_row_a_file() {
    let mut on_disk = BTreeSet::new();
    let mut strays = Vec::new();
    for entry in std::fs::read_dir(bodies_dir()).expect("bodies/ exists") {
        let entry = entry.expect("readable entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "valid" && name != "invalid" {
            strays.push(name);
        }
    }
    for sub in ["valid", "invalid"] {
        for entry in std::fs::read_dir(bodies_dir().join(sub)).expect("subfolder exists") {
            let name = entry.expect("readable entry").file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".json") {
                on_disk.insert(format!("{sub}/{name}"));
            } else {
                strays.push(format!("{sub}/{name}"));
            }
        }
    }
    let listed: BTreeSet<String> = CASES.iter().map(|c| c.file.to_string()).collect();
    assert_eq!(listed.len(), CASES.len(), "a file is listed twice in CASES");
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty() && strays.is_empty(),
        "files without a row (add one to CASES): {unlisted:?}\nrows without a file: {stale:?}\nfiles that are not bodies: {strays:?}"
    );
}

#[test]
fn every_rule_of_both_snapshots_has_an_invalid_body() {
    let rules = all_rules();
    let mut missing = Vec::new();
    for (id, snapshots) in &rules {
        let prefix = format!("invalid/{id}--");
        let covered = CASES
            .iter()
            .filter(|c| c.file.starts_with(&prefix))
            .any(|c| {
                snapshots.iter().any(|s| {
                    Platform::ALL
                        .iter()
                        .any(|p| Outcome::parse(expected(c, s, *p)).names(id))
                })
            });
        if !covered {
            missing.push(id.as_str());
        }
    }
    assert!(
        missing.is_empty(),
        "rules without a body that breaks them (add bodies/invalid/<rule-id>--<case>.json): {missing:?}"
    );
    // The structural rules are global, and covered like any other.
    for id in [
        "body.unknown_field",
        "body.type",
        "body.enum_value",
        "body.required",
    ] {
        assert!(rules.contains_key(id), "{id} is not a rule any more");
    }
}

#[test]
fn invalid_file_names_name_a_rule_that_the_body_breaks() {
    let rules = all_rules();
    let mut problems = Vec::new();
    for case in CASES {
        let Some(name) = case.file.strip_prefix("invalid/") else {
            continue;
        };
        let stem = name.strip_suffix(".json").unwrap_or(name);
        let Some((rule, what)) = stem.split_once("--") else {
            problems.push(format!("{}: name it <rule-id>--<case>.json", case.file));
            continue;
        };
        let Some(snapshots) = rules.get(rule) else {
            problems.push(format!("{}: `{rule}` is not a rule id", case.file));
            continue;
        };
        if what.is_empty() {
            problems.push(format!("{}: the case name is empty", case.file));
        }
        let broken = snapshots.iter().any(|s| {
            Platform::ALL
                .iter()
                .any(|p| Outcome::parse(expected(case, s, *p)).names(rule))
        });
        if !broken {
            problems.push(format!("{}: no row outcome names `{rule}`", case.file));
        }
        if !case.covers.is_empty() {
            problems.push(format!("{}: `covers` is for valid bodies", case.file));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_of_both_snapshots_has_a_valid_body_next_to_it() {
    let rules = all_rules();
    let mut problems = Vec::new();
    let mut covered = BTreeSet::new();
    for case in CASES {
        let Some(name) = case.file.strip_prefix("valid/") else {
            continue;
        };
        if name.contains("--") {
            problems.push(format!("{}: `--` is for invalid bodies", case.file));
        }
        let valid_somewhere = SNAPSHOTS.iter().any(|s| {
            Platform::ALL
                .iter()
                .any(|p| Outcome::parse(expected(case, s, *p)).errors.is_empty())
        });
        if !valid_somewhere {
            problems.push(format!("{}: not valid under any snapshot", case.file));
        }
        for &rule in case.covers {
            let Some(snapshots) = rules.get(rule) else {
                problems.push(format!("{}: covers unknown rule `{rule}`", case.file));
                continue;
            };
            // Covered where the snapshot has the rule, the body is valid and
            // the rule is silent.
            let next_to = snapshots.iter().any(|s| {
                Platform::ALL.iter().any(|p| {
                    let o = Outcome::parse(expected(case, s, *p));
                    o.errors.is_empty() && !o.names(rule)
                })
            });
            if next_to {
                covered.insert(rule);
            } else {
                problems.push(format!(
                    "{}: breaks `{rule}` everywhere, so it does not cover it",
                    case.file
                ));
            }
        }
    }
    for id in rules.keys() {
        if !covered.contains(id.as_str()) {
            problems.push(format!("no valid body covers `{id}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------
// Messages, pointers and codes of selected violations
// ---------------------------------------------------------------------------

/// (file, snapshot, platform, rule, pointer, texts the message or fix contains)
type Detail = (
    &'static str,
    &'static str,
    Platform,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const DETAILS: &[Detail] = &[
    (
        "invalid/request.tag.refused_since--account-update.json",
        "v26.0",
        Platform::Messenger,
        "request.tag.refused_since",
        "/tag",
        &["ACCOUNT_UPDATE", "2026-04-27", "utility message"],
    ),
    (
        "invalid/request.tag.refused_since--confirmed-event-update.json",
        "v26.0",
        Platform::Messenger,
        "request.tag.refused_since",
        "/tag",
        &["CONFIRMED_EVENT_UPDATE", "2026-04-27", "utility message"],
    ),
    (
        "invalid/request.tag.refused_since--post-purchase-update.json",
        "v26.0",
        Platform::Messenger,
        "request.tag.refused_since",
        "/tag",
        &["POST_PURCHASE_UPDATE", "2026-04-27", "utility message"],
    ),
    (
        "invalid/status.retired--legacy-tag-issue-resolution.json",
        "v21.0",
        Platform::Messenger,
        "status.retired",
        "/tag",
        &["ISSUE_RESOLUTION", "unsourced"],
    ),
    (
        "invalid/request.tag.platform--instagram-customer-feedback.json",
        "v26.0",
        Platform::Instagram,
        "request.tag.platform",
        "/tag",
        &["CUSTOMER_FEEDBACK", "Instagram", "HUMAN_AGENT"],
    ),
    (
        "invalid/body.unknown_field--misspelled-quick-replies.json",
        "v26.0",
        Platform::Messenger,
        "body.unknown_field",
        "/message/quickReplies",
        &["did you mean `quick_replies`"],
    ),
    (
        "invalid/body.unknown_field--top-level.json",
        "v21.0",
        Platform::Messenger,
        "body.unknown_field",
        "/messaging_typ",
        &["did you mean `messaging_type`"],
    ),
    (
        "invalid/body.enum_value--sender-action.json",
        "v26.0",
        Platform::Messenger,
        "body.enum_value",
        "/sender_action",
        &["`typing`", "did you mean `typing_on`"],
    ),
    (
        "valid/image-grid.json",
        "v26.0@2024-10-02",
        Platform::Messenger,
        "body.enum_value",
        "/message/attachment/payload/template_type",
        &["`image_grid`"],
    ),
    (
        "invalid/body.type--text-number.json",
        "v26.0",
        Platform::Messenger,
        "body.type",
        "/message/text",
        &["a string", "the number 42"],
    ),
    (
        "invalid/body.required--no-recipient.json",
        "v26.0",
        Platform::Messenger,
        "body.required",
        "",
        &["`recipient`"],
    ),
    (
        "invalid/message.text.max_len--2001-chars.json",
        "v26.0",
        Platform::Messenger,
        "message.text.max_len",
        "/message/text",
        &["2001", "2000"],
    ),
    (
        "invalid/message.text.max_len_instagram--1002-bytes.json",
        "v26.0",
        Platform::Instagram,
        "message.text.max_len_instagram",
        "/message/text",
        &["1002 bytes", "1000"],
    ),
    (
        "invalid/request.message_xor_sender_action--both.json",
        "v26.0",
        Platform::Messenger,
        "request.message_xor_sender_action",
        "/sender_action",
        &["found 2"],
    ),
    (
        "invalid/recipient.exactly_one--id-and-user-ref.json",
        "v26.0",
        Platform::Messenger,
        "recipient.exactly_one",
        "/recipient/user_ref",
        &["found 2"],
    ),
    (
        "invalid/image_grid.one_hero--two-heroes.json",
        "v26.0",
        Platform::Messenger,
        "image_grid.one_hero",
        "/message/attachment/payload/elements/0/images/1/is_hero_image",
        &["2 images"],
    ),
    (
        "invalid/quick_reply.platform--instagram-email.json",
        "v26.0",
        Platform::Instagram,
        "quick_reply.platform",
        "/message/quick_replies/0/content_type",
        &["user_email"],
    ),
    (
        "invalid/button.platform--instagram-call.json",
        "v26.0",
        Platform::Instagram,
        "button.platform",
        "/message/attachment/payload/buttons/0/type",
        &["phone_number", "web_url"],
    ),
    (
        "invalid/recipient.post_id.platform--instagram.json",
        "v26.0",
        Platform::Instagram,
        "recipient.post_id.platform",
        "/recipient/post_id",
        &["comment_id"],
    ),
    (
        "invalid/button.call.payload.format--spaces.json",
        "v26.0",
        Platform::Messenger,
        "button.call.payload.format",
        "/message/attachment/payload/buttons/0/payload",
        &["+1 650 555 0199"],
    ),
    (
        "invalid/request.customer_feedback.requires_template--text.json",
        "v26.0",
        Platform::Messenger,
        "request.customer_feedback.requires_template",
        "/tag",
        &["customer_feedback"],
    ),
    (
        "valid/meta-sample-text-no-messaging-type.json",
        "v26.0",
        Platform::Messenger,
        "request.messaging_type.missing",
        "/message",
        &["RESPONSE"],
    ),
    (
        "invalid/coerce.number_as_id--recipient-id.json",
        "v26.0",
        Platform::Messenger,
        "coerce.number_as_id",
        "/recipient/id",
        &["\"7301846295016384\""],
    ),
    (
        "invalid/button.audio_call.expires_in_days.range--8-days.json",
        "v21.0",
        Platform::Messenger,
        "button.audio_call.expires_in_days.range",
        "/message/attachment/payload/buttons/0/expires_in_days",
        &["expires_in_days is 8", "7 days at most", "up to 7"],
    ),
    (
        "invalid/button.url.messenger_extensions.https--http-url.json",
        "v26.0",
        Platform::Messenger,
        "button.url.messenger_extensions.https",
        "/message/attachment/payload/buttons/0/messenger_extensions",
        &[
            "needs an HTTPS url",
            "found \"http://bistro.example.org/order\"",
            "set messenger_extensions to false",
        ],
    ),
    (
        "invalid/default_action.messenger_extensions.https--http-url.json",
        "v26.0",
        Platform::Instagram,
        "default_action.messenger_extensions.https",
        "/message/attachment/payload/elements/0/default_action/messenger_extensions",
        &[
            "a default action",
            "\"http://bistro.example.org/gift-cards\"",
        ],
    ),
    (
        "invalid/message.attachments.items--empty-with-metadata.json",
        "v26.0",
        Platform::Messenger,
        "message.attachments.items",
        "/message/attachments",
        &["`attachments` is empty", "add at least one image"],
    ),
    (
        "invalid/body.open_field--notification-messages-extra.json",
        "v26.0",
        Platform::Messenger,
        "body.open_field",
        "/message/attachment/payload/timezone",
        &["`timezone`", "NotificationMessagesTemplate"],
    ),
];

#[test]
fn selected_violations_have_their_pointer_message_and_code() {
    let mut problems = Vec::new();
    for &(file, snapshot, platform, rule, pointer, texts) in DETAILS {
        let report = engine(snapshot).validate(&load(file), platform);
        let Some(v) = report
            .violations
            .iter()
            .find(|v| v.rule == rule && v.pointer == pointer)
        else {
            problems.push(format!(
                "{file} ({snapshot}, {platform}): no {rule} at `{pointer}`\n{}",
                listing(&report)
            ));
            continue;
        };
        let text = v.text();
        for t in texts {
            if !text.contains(t) {
                problems.push(format!("{file}: {rule} does not say `{t}`: {text}"));
            }
        }
        if v.code != 100 {
            problems.push(format!("{file}: {rule} answers code {}, not 100", v.code));
        }
        if !v.doc.starts_with("https://") {
            problems.push(format!("{file}: {rule} has no doc link: {}", v.doc));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn message_plus_sender_action_answers_subcode_2018014() {
    let body = load("invalid/request.message_xor_sender_action--both.json");
    for snapshot in SNAPSHOTS {
        let report = engine(snapshot).validate(&body, Platform::Messenger);
        let v = report
            .errors()
            .find(|v| v.rule == "request.message_xor_sender_action")
            .expect("the xor rule fires");
        assert_eq!((v.code, v.subcode), (100, Some(2_018_014)));
    }
}

#[test]
fn the_refused_tags_are_refused_on_every_version_from_their_date() {
    for tag in [
        "ACCOUNT_UPDATE",
        "CONFIRMED_EVENT_UPDATE",
        "POST_PURCHASE_UPDATE",
    ] {
        let body = json!({
            "recipient": {"id": "5550001112223334"},
            "messaging_type": "MESSAGE_TAG",
            "tag": tag,
            "message": {"text": "Your reservation is confirmed."}
        });
        let before = Compiled::resolve("v26.0@2026-04-26").unwrap();
        let old = before.engine().validate(&body, Platform::Messenger);
        assert!(
            old.violations.is_empty(),
            "{tag} the day before:\n{}",
            listing(&old)
        );
        for snapshot in SNAPSHOTS {
            let new = engine(snapshot).validate(&body, Platform::Messenger);
            let rules: Vec<_> = new.errors().map(|v| v.rule.as_str()).collect();
            assert_eq!(
                rules,
                ["request.tag.refused_since"],
                "{tag} under {snapshot}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// [C] facts that once lived only in doc strings: the `range` kind and the
// `matches` condition now let the spec enforce them, in both snapshots.
// ---------------------------------------------------------------------------

fn button_body(button: Value) -> Value {
    json!({
        "recipient": {"id": "7301846295016384"},
        "messaging_type": "RESPONSE",
        "message": {"attachment": {"type": "template", "payload": {
            "template_type": "button",
            "text": "How can we help?",
            "buttons": [button]
        }}}
    })
}

/// (rule, pointer) of every error of `report`.
fn error_ids(report: &Report) -> Vec<(&str, &str)> {
    report
        .errors()
        .map(|v| (v.rule.as_str(), v.pointer.as_str()))
        .collect()
}

#[test]
fn audio_call_buttons_expire_within_7_days() {
    // CALL-CTA [C]: expires_in_days defaults to 7, at most 7.
    let at = "/message/attachment/payload/buttons/0/expires_in_days";
    for snapshot in SNAPSHOTS {
        for days in [0, 1, 7] {
            let fine = button_body(
                json!({"type": "audio_call", "title": "Talk to us", "expires_in_days": days}),
            );
            let report = engine(snapshot).validate(&fine, Platform::Messenger);
            assert!(
                report.violations.is_empty(),
                "{snapshot}, {days} days:\n{}",
                listing(&report)
            );
        }
        for days in [json!(8), json!(30), json!(7.5)] {
            let late = button_body(
                json!({"type": "audio_call", "title": "Talk to us", "expires_in_days": days}),
            );
            let report = engine(snapshot).validate(&late, Platform::Messenger);
            let errors = error_ids(&report);
            assert!(
                errors.contains(&("button.audio_call.expires_in_days.range", at)),
                "{snapshot}, {days} days:\n{}",
                listing(&report)
            );
            let v = report
                .errors()
                .find(|v| v.rule == "button.audio_call.expires_in_days.range")
                .expect("the range rule fired");
            assert_eq!(
                v.message,
                format!("expires_in_days is {days}; a call button stays usable 7 days at most")
            );
            assert_eq!(v.fix, "use a value up to 7 (the default is 7)");
        }
    }
    // 7.5 is not an integer either.
    let report = v26().validate(
        &button_body(json!({"type": "audio_call", "title": "Talk to us", "expires_in_days": 7.5})),
        Platform::Messenger,
    );
    assert_eq!(
        error_ids(&report),
        [
            ("body.type", at),
            ("button.audio_call.expires_in_days.range", at)
        ],
        "{}",
        listing(&report)
    );
}

/// Builds a body from a URL and a `messenger_extensions` value.
type BodyOf = dyn Fn(&str, Value) -> Value;

#[test]
fn messenger_extensions_need_an_https_url() {
    // BTN [C]: the url must be HTTPS when messenger_extensions is true, for
    // URL buttons and default actions alike.
    let button = |url: &str, extensions: Value| {
        button_body(json!({
            "type": "web_url", "title": "Shop", "url": url, "messenger_extensions": extensions
        }))
    };
    let action = |url: &str, extensions: Value| {
        json!({
            "recipient": {"id": "7301846295016384"},
            "messaging_type": "RESPONSE",
            "message": {"attachment": {"type": "template", "payload": {
                "template_type": "generic",
                "elements": [{"title": "Hats", "default_action": {
                    "type": "web_url", "url": url, "messenger_extensions": extensions
                }}]
            }}}
        })
    };
    let cases: [(&BodyOf, &str, &str); 2] = [
        (
            &button,
            "button.url.messenger_extensions.https",
            "/message/attachment/payload/buttons/0/messenger_extensions",
        ),
        (
            &action,
            "default_action.messenger_extensions.https",
            "/message/attachment/payload/elements/0/default_action/messenger_extensions",
        ),
    ];
    for snapshot in SNAPSHOTS {
        for platform in Platform::ALL {
            for (body, rule, at) in cases {
                for ok in [
                    body("https://shop.example.org", json!(true)),
                    body("http://shop.example.org", json!(false)),
                    body("ftp://shop.example.org", json!(false)),
                ] {
                    let report = engine(snapshot).validate(&ok, platform);
                    assert!(
                        report.violations.is_empty(),
                        "{rule}:\n{}",
                        listing(&report)
                    );
                }
                // An http URL, a scheme-relative one and a look-alike.
                for url in [
                    "http://shop.example.org",
                    "//shop.example.org",
                    "shop.example.org/https://",
                ] {
                    let report = engine(snapshot).validate(&body(url, json!(true)), platform);
                    assert_eq!(
                        error_ids(&report),
                        [(rule, at)],
                        "{url}:\n{}",
                        listing(&report)
                    );
                    assert!(report.errors().next().unwrap().message.contains(url));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------

#[test]
fn ten_thousand_nested_arrays_are_refused_by_the_parser() {
    let arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = serde_json::from_str::<Value>(&arrays).expect_err("too deep for serde_json");
    assert!(err.to_string().contains("recursion limit"), "{err}");
    let objects = format!(
        r#"{{"recipient":{{"id":"1"}},"message":{{"text":{}"x"{}}}}}"#,
        r#"{"a":"#.repeat(10_000),
        "}".repeat(10_000)
    );
    let err = serde_json::from_str::<Value>(&objects).expect_err("too deep for serde_json");
    assert!(err.to_string().contains("recursion limit"), "{err}");
    assert!(serde_json::from_slice::<Value>(arrays.as_bytes()).is_err());
}

#[test]
fn nesting_within_the_parser_limit_is_measured_and_validated() {
    let nested = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    // (where the nesting goes, the rule expected there and its pointer)
    let cases: [(&str, Option<(&str, &str)>); 5] = [
        (
            r#"{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":@N@}}"#,
            Some(("body.type", "/message/text")),
        ),
        (
            r#"{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"x","quick_replies":@N@}}"#,
            Some(("body.type", "/message/quick_replies/0")),
        ),
        (
            r#"{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"attachments":@N@}}"#,
            Some(("body.type", "/message/attachments/0")),
        ),
        (
            r#"{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"x"},"thread_control":@N@}"#,
            None,
        ),
        ("@N@", Some(("body.type", ""))),
    ];
    for (template, want) in cases {
        let text = template.replace("@N@", &nested);
        let body: Value = serde_json::from_str(&text).expect("within serde_json's limit");
        assert!(sendapi_spec::depth(&body) > MAX_DEPTH, "{template}");
        for snapshot in SNAPSHOTS {
            for platform in Platform::ALL {
                let report = engine(snapshot).validate(&body, platform);
                assert!(pointer_problems(&body, &report).is_empty(), "{template}");
                match want {
                    Some((rule, pointer)) => assert!(
                        report
                            .errors()
                            .any(|v| v.rule == rule && v.pointer == pointer),
                        "{template}: expected {rule} at `{pointer}`:\n{}",
                        listing(&report)
                    ),
                    // A `json` field is not looked into.
                    None => assert!(report.is_valid(), "{template}:\n{}", listing(&report)),
                }
            }
        }
    }
}

#[test]
fn huge_numbers() {
    let err = serde_json::from_str::<Value>("1e400").expect_err("out of range");
    assert!(err.to_string().contains("number out of range"), "{err}");
    let err =
        serde_json::from_str::<Value>(r#"{"recipient":{"id":-1e400}}"#).expect_err("out of range");
    assert!(err.to_string().contains("number out of range"), "{err}");

    // One past u64::MAX is read as a float, which is neither an id nor an
    // integer.
    let text = r#"{"recipient":{"id":18446744073709551616},"messaging_type":"RESPONSE","message":{"sticker_id":18446744073709551616}}"#;
    let body: Value = serde_json::from_str(text).expect("parses as a float");
    let id = &body["recipient"]["id"];
    assert!(id.is_number() && !id.is_u64() && !id.is_i64(), "{id:?}");
    let report = v26().validate(&body, Platform::Messenger);
    let errors: BTreeSet<_> = report
        .errors()
        .map(|v| (v.rule.as_str(), v.pointer.as_str()))
        .collect();
    assert_eq!(
        errors,
        BTreeSet::from([
            ("body.type", "/message/sticker_id"),
            ("body.type", "/recipient/id")
        ]),
        "{}",
        listing(&report)
    );
    assert_eq!(report.warnings().count(), 0, "{}", listing(&report));

    // u64::MAX itself is an integer: a sticker id, and an id Graph coerces.
    let body = json!({
        "recipient": {"id": u64::MAX},
        "messaging_type": "RESPONSE",
        "message": {"sticker_id": u64::MAX}
    });
    let report = v26().validate(&body, Platform::Messenger);
    assert!(report.is_valid(), "{}", listing(&report));
    let warnings: Vec<_> = report.warnings().map(|v| v.rule.as_str()).collect();
    assert_eq!(warnings, ["coerce.number_as_id"]);

    // A huge number where a string or number is allowed is fine; a huge
    // number where a string is expected is a type error.
    let body = json!({
        "recipient": {"id": "1"},
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Pick",
            "quick_replies": [{"content_type": "text", "title": "Big", "payload": 1.7e308}]
        }
    });
    assert!(
        v26()
            .validate(&body, Platform::Messenger)
            .violations
            .is_empty()
    );
    let body = json!({"recipient": {"id": "1"}, "messaging_type": "RESPONSE", "message": {"text": -1.7e308}});
    let report = v26().validate(&body, Platform::Messenger);
    assert_eq!(
        report.errors().map(|v| v.rule.as_str()).collect::<Vec<_>>(),
        ["body.type"]
    );
}

#[test]
fn non_object_roots_are_a_type_error_at_the_root() {
    let roots = [
        json!([]),
        json!([{"recipient": {"id": "1"}, "message": {"text": "hi"}}]),
        json!("a string"),
        json!(""),
        json!(null),
        json!(0),
        json!(-2.5),
        json!(true),
    ];
    for root in roots {
        for snapshot in SNAPSHOTS {
            for platform in Platform::ALL {
                let report = engine(snapshot).validate(&root, platform);
                let got: Vec<_> = report
                    .violations
                    .iter()
                    .map(|v| (v.rule.as_str(), v.severity, v.pointer.as_str()))
                    .collect();
                assert_eq!(
                    got,
                    [("body.type", Severity::Error, "")],
                    "{root} under {snapshot} on {platform}"
                );
                assert!(report.violations[0].message.contains("an object"));
            }
        }
    }
}

#[test]
fn an_empty_object_needs_a_recipient_and_a_message() {
    for snapshot in SNAPSHOTS {
        for platform in Platform::ALL {
            let report = engine(snapshot).validate(&json!({}), platform);
            let got: BTreeSet<_> = report
                .violations
                .iter()
                .map(|v| (v.rule.as_str(), v.severity, v.pointer.as_str()))
                .collect();
            assert_eq!(
                got,
                BTreeSet::from([
                    ("body.required", Severity::Error, ""),
                    ("request.message_xor_sender_action", Severity::Error, ""),
                ]),
                "{snapshot} on {platform}"
            );
        }
    }
}

/// `json`-typed fields, whose content the engine does not look into.
fn in_free_json(pointer: &str) -> bool {
    ["/thread_control", "/feedback_screens", "/business_privacy"]
        .iter()
        .any(|f| pointer.contains(f))
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Pointers to every value of `v` below the root, parents first.
fn pointers(v: &Value) -> Vec<String> {
    fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let p = format!("{at}/{}", escape(k));
                    out.push(p.clone());
                    walk(child, &p, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let p = format!("{at}/{i}");
                    out.push(p.clone());
                    walk(child, &p, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

fn valid_bodies() -> Vec<(&'static str, Value)> {
    CASES
        .iter()
        .filter(|c| c.file.starts_with("valid/"))
        .map(|c| (c.file, load(c.file)))
        .collect()
}

#[test]
fn unknown_fields_are_reported_in_every_object() {
    let mut problems = Vec::new();
    for (file, body) in valid_bodies() {
        let objects = std::iter::once(String::new())
            .chain(pointers(&body))
            .filter(|p| body.pointer(p).is_some_and(Value::is_object) && !in_free_json(p));
        for at in objects {
            let mut mutated = body.clone();
            let Some(Value::Object(map)) = mutated.pointer_mut(&at) else {
                unreachable!()
            };
            map.insert("zz_not_a_field".into(), json!(1));
            let want = format!("{at}/zz_not_a_field");
            let report = v26().validate(&mutated, Platform::Messenger);
            let hit = report.violations.iter().find(|v| v.pointer == want);
            match hit.map(|v| (v.rule.as_str(), v.severity)) {
                Some(("body.unknown_field", Severity::Error)) => {}
                // Only the customer feedback and the Recurring Notifications
                // opt-in payloads are open (their schemas are unconfirmed).
                Some(("body.open_field", Severity::Warning))
                    if body
                        .pointer(&format!("{at}/template_type"))
                        .and_then(Value::as_str)
                        .is_some_and(|t| {
                            matches!(t, "customer_feedback" | "notification_messages")
                        }) => {}
                other => problems.push(format!(
                    "{file}: unknown key at `{at}` gave {other:?}\n{}",
                    listing(&report)
                )),
            }
            problems.extend(pointer_problems(&mutated, &report));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A value of another JSON kind than `v`, never accepted where `v` was.
fn wrong_kind(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(_) => json!("yes"),
        Value::Number(_) => json!(["not a number"]),
        Value::String(_) => json!({"not": "a string"}),
        Value::Array(_) => json!({"not": "an array"}),
        Value::Object(_) => json!("not an object"),
    })
}

#[test]
fn wrong_types_are_reported_at_every_value() {
    let mut problems = Vec::new();
    let mut checked = 0usize;
    for (file, body) in valid_bodies() {
        for at in pointers(&body) {
            if in_free_json(&at) {
                continue;
            }
            let Some(bad) = body.pointer(&at).and_then(wrong_kind) else {
                continue;
            };
            let mut mutated = body.clone();
            *mutated.pointer_mut(&at).expect("pointer from the body") = bad;
            let report = v26().validate(&mutated, Platform::Messenger);
            checked += 1;
            if !report
                .errors()
                .any(|v| v.rule == "body.type" && v.pointer == at)
            {
                problems.push(format!(
                    "{file}: wrong type at `{at}` is not a body.type error there\n{}",
                    listing(&report)
                ));
            }
            problems.extend(pointer_problems(&mutated, &report));
        }
    }
    assert!(checked > 1000, "only {checked} values checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// xorshift64*: a fixed seed makes every run check the same mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }
}

fn odd_value(rng: &mut Rng) -> Value {
    let values = [
        Value::Null,
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!(""),
        json!("x"),
        json!("true"),
        json!("typing_on"),
        json!("MESSAGE_TAG"),
        json!(OPAQUE),
        json!("\u{1F600}".repeat(1500)),
        json!([]),
        json!([1, "two", null]),
        json!({}),
        json!({"text": "hello"}),
        json!({"type": "image", "payload": {"url": "https://x.example"}}),
    ];
    values[rng.below(values.len())].clone()
}

/// Applies one random mutation.
fn mutate(body: &mut Value, rng: &mut Rng) {
    let all = pointers(body);
    match rng.below(8) {
        // Drop a key.
        0 => {
            let objects: Vec<_> = std::iter::once(String::new())
                .chain(all)
                .filter(|p| {
                    body.pointer(p)
                        .is_some_and(|v| v.as_object().is_some_and(|m| !m.is_empty()))
                })
                .collect();
            if let Some(at) = rng.pick(&objects)
                && let Some(Value::Object(map)) = body.pointer_mut(at)
            {
                let keys: Vec<String> = map.keys().cloned().collect();
                if let Some(k) = rng.pick(&keys) {
                    map.remove(k);
                }
            }
        }
        // Change a value's type (or value).
        1 | 2 => {
            if let Some(at) = rng.pick(&all) {
                let v = odd_value(rng);
                *body.pointer_mut(at).expect("pointer from the body") = v;
            }
        }
        // Send a message and a sender action at once.
        3 => {
            if let Value::Object(map) = body {
                if map.contains_key("message") {
                    map.insert("sender_action".into(), json!("typing_on"));
                } else {
                    map.insert("message".into(), json!({"text": "both"}));
                }
            }
        }
        // Add a key, known somewhere in the spec or not.
        4 => {
            let objects: Vec<_> = std::iter::once(String::new())
                .chain(all)
                .filter(|p| body.pointer(p).is_some_and(Value::is_object))
                .collect();
            let keys = ["zz", "text", "type", "payload", "tag", "id", "", "a/b~c"];
            if let Some(at) = rng.pick(&objects) {
                let key = keys[rng.below(keys.len())];
                let v = odd_value(rng);
                if let Some(Value::Object(map)) = body.pointer_mut(at) {
                    map.insert(key.to_string(), v);
                }
            }
        }
        // Empty an array, or repeat its first item.
        5 => {
            let arrays: Vec<_> = all
                .into_iter()
                .filter(|p| body.pointer(p).is_some_and(Value::is_array))
                .collect();
            if let Some(at) = rng.pick(&arrays) {
                let repeat = rng.below(2) == 0;
                if let Some(Value::Array(items)) = body.pointer_mut(at) {
                    if repeat && !items.is_empty() {
                        let first = items[0].clone();
                        items.extend(std::iter::repeat_n(first, 20));
                    } else {
                        items.clear();
                    }
                }
            }
        }
        // Wrap the whole body in an array.
        6 => {
            if rng.below(4) == 0 {
                *body = Value::Array(vec![body.take()]);
            }
        }
        // Swap two values.
        _ => {
            if let (Some(a), Some(b)) = (rng.pick(&all).cloned(), rng.pick(&all).cloned())
                && !a.starts_with(&b)
                && !b.starts_with(&a)
            {
                let va = body.pointer(&a).cloned().expect("pointer a");
                let vb = body.pointer(&b).cloned().expect("pointer b");
                *body.pointer_mut(&a).expect("pointer a") = vb;
                *body.pointer_mut(&b).expect("pointer b") = va;
            }
        }
    }
}

/// Whether the body is broken at the top, where no snapshot or platform can
/// accept it.
fn structurally_broken(body: &Value) -> Option<&'static str> {
    let Value::Object(map) = body else {
        return Some("the root is not an object");
    };
    let present = |k: &str| map.get(k).is_some_and(|v| !v.is_null());
    if !present("recipient") {
        return Some("no recipient");
    }
    if !map["recipient"].is_object() {
        return Some("the recipient is not an object");
    }
    match (present("message"), present("sender_action")) {
        (true, true) => Some("both message and sender_action"),
        (false, false) => Some("neither message nor sender_action"),
        _ => None,
    }
}

#[test]
fn mutated_bodies_never_panic_and_broken_ones_have_errors() {
    let bodies = valid_bodies();
    let mut rng = Rng(0x5EED_1234_ABCD_9876);
    let mut problems = Vec::new();
    let mut broken = 0usize;
    for round in 0..1500 {
        let (file, body) = &bodies[rng.below(bodies.len())];
        let mut body = body.clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut body, &mut rng);
        }
        let why = structurally_broken(&body);
        broken += usize::from(why.is_some());
        for snapshot in SNAPSHOTS {
            for platform in Platform::ALL {
                let report = engine(snapshot).validate(&body, platform);
                if let Some(why) = why
                    && report.is_valid()
                {
                    problems.push(format!(
                        "round {round} ({file}, {snapshot}, {platform}): {why}, yet valid: {body}"
                    ));
                }
                for p in pointer_problems(&body, &report) {
                    problems.push(format!("round {round} ({file}): {p}: {body}"));
                }
                let literal = engine(snapshot).validate_literal(&body, platform);
                for p in pointer_problems(&body, &literal) {
                    problems.push(format!("round {round} ({file}, literal): {p}: {body}"));
                }
            }
        }
    }
    assert!(
        broken > 100,
        "only {broken} broken bodies: the mutations are too mild"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn validate_as_unknown_type_is_none() {
    assert!(
        v26()
            .validate_as("NoSuchType", &json!({}), Platform::Messenger)
            .is_none()
    );
    let envelope = v26()
        .validate_as(
            "GraphErrorEnvelope",
            &json!({"error": {"message": "x", "code": "100"}}),
            Platform::Messenger,
        )
        .expect("the envelope is a type of the spec");
    let got: Vec<_> = envelope
        .errors()
        .map(|v| (v.rule.as_str(), v.pointer.as_str()))
        .collect();
    assert_eq!(got, [("body.type", "/error/code")]);
}

/// Upload-and-send: a payload with neither `url` nor `attachment_id` is the
/// form whose key is the multipart part `filedata`. As JSON it keeps being
/// refused; sent with that part it is valid; the part does not make a
/// second source acceptable, and a part the request does not carry counts
/// for nothing.
#[test]
fn the_filedata_part_stands_for_the_payload_key() {
    let only_reusable = load("invalid/media.exactly_one_source--neither.json");
    let url_and_part = load("valid/media-audio-url.json");
    for name in SNAPSHOTS {
        let engine = bundled_engine(name).unwrap();
        for platform in [Platform::Messenger, Platform::Instagram] {
            let rules = |r: Report| r.errors().map(|v| v.rule.clone()).collect::<Vec<_>>();
            assert_eq!(
                rules(engine.validate(&only_reusable, platform)),
                ["media.exactly_one_source"],
                "{name} {platform}: JSON alone"
            );
            let with_part = engine.validate_with_parts(&only_reusable, platform, &["filedata"]);
            assert!(
                with_part.is_valid(),
                "{name} {platform}: {}",
                with_part
                    .errors()
                    .map(|v| v.text())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            assert_eq!(
                rules(engine.validate_with_parts(&only_reusable, platform, &["other"])),
                ["media.exactly_one_source"],
                "{name} {platform}: another part"
            );
        }
        let both = engine.validate_with_parts(&url_and_part, Platform::Messenger, &["filedata"]);
        let v: Vec<_> = both.errors().collect();
        assert_eq!(
            v.len(),
            1,
            "{name}: {:?}",
            v.iter().map(|x| &x.rule).collect::<Vec<_>>()
        );
        assert_eq!(v[0].rule, "media.exactly_one_source");
        assert!(v[0].message.contains("found 2"), "{}", v[0].message);
    }
}
