//! The coverage test of DESIGN.md: every template, button type, sender
//! action, quick reply kind, recipient form, message tag and error
//! code/subcode named in ../shared/research/send-api-facts.md appears in
//! v26.0. The expected names are written out here from the fact sheet
//! (sections 1, 2, 3, 4.1, 4.2, 4.3, 5, 6.2, 8 and 9), not read from it.
//!
//! Also: every item of both snapshots has a doc and a source that resolves to
//! an https link, and every field has a Rust name.

use sendapi_spec::model::{RetryClass, Status, TypeDef, TypeKind};
use sendapi_spec::{Platform, Spec, bundled};

fn v26() -> &'static Spec {
    bundled("v26.0").unwrap()
}

#[track_caller]
fn ty<'s>(spec: &'s Spec, name: &str) -> &'s TypeDef {
    spec.type_def(name)
        .unwrap_or_else(|| panic!("{}: no type `{name}`", spec.name()))
}

fn variant_names(def: &TypeDef) -> Vec<&str> {
    def.variants.keys().map(|k| k.get_ref().as_str()).collect()
}

/// Asserts that every name is a variant of the tagged union `union`.
#[track_caller]
fn has_variants(spec: &Spec, union: &str, names: &[&str]) {
    let def = ty(spec, union);
    assert_eq!(*def.kind.get_ref(), TypeKind::Tagged, "{union}");
    for n in names {
        assert!(
            def.variants.contains_key(*n),
            "{}: `{n}` is not a variant of {union} ({:?})",
            spec.name(),
            variant_names(def)
        );
    }
}

/// Asserts that every name is a value of the enum `name`.
#[track_caller]
fn has_values(spec: &Spec, name: &str, values: &[&str]) {
    let def = ty(spec, name);
    assert_eq!(*def.kind.get_ref(), TypeKind::Enum, "{name}");
    for v in values {
        assert!(
            def.values.contains_key(*v),
            "{}: `{v}` is not a value of {name}",
            spec.name()
        );
    }
}

/// Asserts that every name is a field of `owner`.
#[track_caller]
fn has_fields(spec: &Spec, owner: &str, fields: &[&str]) {
    let def = ty(spec, owner);
    for f in fields {
        assert!(
            def.fields.contains_key(*f),
            "{}: `{f}` is not a field of {owner}",
            spec.name()
        );
    }
}

// ---------------------------------------------------------------------------
// §1, §2: the request and its recipient
// ---------------------------------------------------------------------------

/// §1: top-level parameters (`filedata` is a multipart part, not a body key).
const TOP_LEVEL: &[&str] = &[
    "recipient",
    "messaging_type",
    "message",
    "sender_action",
    "payload",
    "notification_type",
    "tag",
    "reply_to",
    "persona_id",
    "thread_control",
    "folder",
    "access_token",
    "appsecret_proof",
];

/// §2: every recipient form.
const RECIPIENT_FORMS: &[&str] = &[
    "id",
    "user_ref",
    "post_id",
    "comment_id",
    "phone_number",
    "notification_messages_token",
    "one_time_notif_token",
    "login_id",
    "player_id",
    "follow_id",
    "story_id",
    "poll_response_id",
];

#[test]
fn top_level_parameters() {
    let spec = v26();
    assert_eq!(spec.root(), "SendRequest");
    has_fields(spec, "SendRequest", TOP_LEVEL);
    let req = ty(spec, "SendRequest");
    assert!(req.fields["recipient"].required);
    for transport in ["access_token", "appsecret_proof"] {
        assert_eq!(
            req.fields[transport].status,
            Status::Transport,
            "{transport}"
        );
    }
    for unconfirmed in ["thread_control", "folder"] {
        assert_eq!(
            req.fields[unconfirmed].status,
            Status::Unconfirmed,
            "{unconfirmed}"
        );
    }
    has_values(
        spec,
        "MessagingType",
        &["RESPONSE", "UPDATE", "MESSAGE_TAG", "UTILITY"],
    );
    let legacy = &ty(spec, "MessagingType").values["NON_PROMOTIONAL_SUBSCRIPTION"];
    assert_eq!(legacy.status, Status::Retired);
    has_values(
        spec,
        "NotificationType",
        &["REGULAR", "SILENT_PUSH", "NO_PUSH"],
    );
    assert_eq!(
        req.fields["notification_type"]
            .default
            .as_ref()
            .and_then(|d| d.as_str()),
        Some("REGULAR")
    );
    has_values(spec, "Folder", &["PARTNERSHIP"]);
    has_fields(spec, "ReplyTo", &["mid"]);
}

#[test]
fn every_recipient_form() {
    let spec = v26();
    let def = ty(spec, "Recipient");
    assert_eq!(*def.kind.get_ref(), TypeKind::Keyed);
    for form in RECIPIENT_FORMS {
        let f = def
            .fields
            .get(*form)
            .unwrap_or_else(|| panic!("no recipient form `{form}`"));
        assert!(f.key, "`{form}` is not a key of Recipient");
    }
    let keys = def.fields.values().filter(|f| f.key).count();
    assert_eq!(
        keys,
        RECIPIENT_FORMS.len(),
        "a recipient form not in the facts"
    );
    // `name` goes with phone_number and is not a form of its own.
    assert!(!def.fields["name"].key);
    has_fields(spec, "RecipientName", &["first_name", "last_name"]);
    // Instagram has no user_ref, post_id or phone_number.
    for form in ["user_ref", "post_id", "phone_number"] {
        assert!(
            !Spec::available(&def.fields[form].platforms, Platform::Instagram),
            "{form}"
        );
    }
    for form in ["id", "comment_id"] {
        assert!(
            Spec::available(&def.fields[form].platforms, Platform::Instagram),
            "{form}"
        );
    }
}

#[test]
fn response_shapes_per_recipient_form() {
    // §7: no recipient_id for user_ref and phone_number.
    let spec = v26();
    let def = ty(spec, "Recipient");
    let response = |form: &str| {
        def.fields[form]
            .response
            .as_ref()
            .unwrap()
            .get_ref()
            .as_str()
    };
    for form in ["user_ref", "phone_number"] {
        let r = response(form);
        assert!(
            !ty(spec, r).fields.contains_key("recipient_id"),
            "{form} -> {r}"
        );
        assert!(ty(spec, r).fields["message_id"].required);
    }
    for form in ["id", "comment_id"] {
        let r = response(form);
        assert!(ty(spec, r).fields["recipient_id"].required, "{form} -> {r}");
    }
    // Sender actions: message_id optional.
    let sa = ty(spec, "SenderActionResponse");
    assert!(sa.fields["recipient_id"].required);
    assert!(!sa.fields["message_id"].required);
    // Graph's return struct carries undocumented extras (thread_key,
    // gchat_space_name): every success type is open, in both snapshots.
    for name in ["v21.0", "v26.0"] {
        let spec = bundled(name).unwrap();
        for r in [
            "MessageResponse",
            "MessageResponseNoRecipient",
            "MessageResponseAnyRecipient",
            "SenderActionResponse",
            "AttachmentUploadResponse",
        ] {
            assert!(ty(spec, r).open, "{name}: {r} is not open");
        }
    }
    has_fields(
        spec,
        "GraphError",
        &[
            "message",
            "type",
            "code",
            "error_subcode",
            "error_user_title",
            "error_user_msg",
            "fbtrace_id",
        ],
    );
}

// ---------------------------------------------------------------------------
// §3, §4: message, quick replies, attachments, templates, buttons
// ---------------------------------------------------------------------------

#[test]
fn message_fields() {
    let spec = v26();
    has_fields(
        spec,
        "Message",
        &[
            "text",
            "attachment",
            "attachments",
            "quick_replies",
            "metadata",
            "sticker_id",
            "template",
            "dynamic_text",
        ],
    );
    has_fields(spec, "DynamicText", &["text", "fallback_text"]);
    has_fields(spec, "UtilityTemplate", &["name", "language", "components"]);
    has_fields(spec, "UtilityLanguage", &["code"]);
    has_values(
        spec,
        "ComponentType",
        &["header", "body", "buttons", "title"],
    );
    let header = &ty(spec, "ComponentType").values["header"];
    assert_eq!(header.aliases, ["HEADER"]);
    has_fields(
        spec,
        "UtilityParameter",
        &["type", "text", "payload", "url", "parameter_name"],
    );
}

#[test]
fn every_quick_reply_kind() {
    let spec = v26();
    has_variants(
        spec,
        "QuickReply",
        &["text", "user_phone_number", "user_email"],
    );
    let qr = ty(spec, "QuickReply");
    assert_eq!(qr.tag.as_ref().unwrap().get_ref(), "content_type");
    // Not in the current list: kept, retired.
    assert_eq!(qr.variants["location"].status, Status::Retired);
    // Instagram disabled phone and email quick replies on 2026-10-05.
    for kind in ["user_phone_number", "user_email"] {
        assert!(
            !Spec::available(&qr.variants[kind].platforms, Platform::Instagram),
            "{kind}"
        );
    }
    has_fields(spec, "TextQuickReply", &["title", "payload", "image_url"]);
}

#[test]
fn every_attachment_type() {
    let spec = v26();
    has_variants(
        spec,
        "Attachment",
        &[
            "audio",
            "file",
            "image",
            "template",
            "video",
            "MEDIA_SHARE",
            "like_heart",
        ],
    );
    let att = ty(spec, "Attachment");
    for ig in ["MEDIA_SHARE", "like_heart"] {
        assert!(
            !Spec::available(&att.variants[ig].platforms, Platform::Messenger),
            "{ig}"
        );
    }
    // §10.3: Instagram takes files (PDF, since 2025-12-19, §10.2) and several
    // images per message (generally available 2026-05-06), on every Graph
    // version, v21.0 included.
    assert!(Spec::available(
        &att.variants["file"].platforms,
        Platform::Instagram
    ));
    let attachments = &ty(spec, "Message").fields["attachments"];
    assert!(Spec::available(&attachments.platforms, Platform::Instagram));
    let v21 = bundled("v21.0").unwrap();
    assert!(Spec::available(
        &ty(v21, "Attachment").variants["file"].platforms,
        Platform::Instagram
    ));
    assert!(Spec::available(
        &ty(v21, "Message").fields["attachments"].platforms,
        Platform::Instagram
    ));
    has_fields(
        spec,
        "MediaPayload",
        &["url", "attachment_id", "is_reusable"],
    );
}

/// §4.2: the current templates (Utility is `message.template`, not a template type).
const TEMPLATES: &[&str] = &[
    "generic",
    "button",
    "media",
    "receipt",
    "product",
    "coupon",
    "customer_feedback",
    "image_grid",
];

/// §4.2: gone from the list, kept in the spec as retired so that old bodies
/// are understood.
const RETIRED_TEMPLATES: &[&str] = &[
    "list",
    "open_graph",
    "airline_boardingpass",
    "airline_checkin",
    "airline_itinerary",
    "airline_update",
    "one_time_notif_req",
];

#[test]
fn every_template() {
    let spec = v26();
    has_variants(spec, "TemplatePayload", TEMPLATES);
    has_variants(spec, "TemplatePayload", RETIRED_TEMPLATES);
    let tp = ty(spec, "TemplatePayload");
    assert_eq!(tp.tag.as_ref().unwrap().get_ref(), "template_type");
    for t in TEMPLATES {
        assert_eq!(tp.variants[*t].status, Status::Current, "{t}");
    }
    for t in RETIRED_TEMPLATES {
        assert_eq!(tp.variants[*t].status, Status::Retired, "{t}");
    }
    assert_eq!(
        tp.variants["image_grid"]
            .since
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-06-30")
    );
    // Fields the fact sheet names per template.
    has_fields(
        spec,
        "GenericTemplate",
        &["elements", "sharable", "image_aspect_ratio"],
    );
    has_fields(
        spec,
        "GenericElement",
        &[
            "title",
            "subtitle",
            "image_url",
            "default_action",
            "buttons",
        ],
    );
    has_fields(spec, "ButtonTemplate", &["text", "buttons", "sharable"]);
    has_fields(spec, "MediaTemplate", &["elements", "sharable"]);
    has_fields(
        spec,
        "MediaElement",
        &["media_type", "url", "attachment_id", "buttons"],
    );
    has_values(spec, "MediaType", &["image", "video"]);
    has_fields(
        spec,
        "ReceiptTemplate",
        &[
            "recipient_name",
            "merchant_name",
            "order_number",
            "currency",
            "payment_method",
            "timestamp",
            "elements",
            "address",
            "summary",
            "adjustments",
            "sharable",
            "order_url",
        ],
    );
    has_fields(
        spec,
        "ReceiptAddress",
        &[
            "street_1",
            "street_2",
            "city",
            "postal_code",
            "state",
            "country",
        ],
    );
    has_fields(
        spec,
        "ReceiptSummary",
        &["subtotal", "shipping_cost", "total_tax", "total_cost"],
    );
    has_fields(spec, "ProductElement", &["id"]);
    has_fields(
        spec,
        "CouponTemplate",
        &[
            "title",
            "coupon_code",
            "subtitle",
            "coupon_url",
            "coupon_url_button_title",
            "coupon_pre_message",
            "image_url",
            "payload",
        ],
    );
    has_fields(
        spec,
        "ImageGridElement",
        &["images", "title", "subtitle", "buttons"],
    );
    has_fields(spec, "GridImage", &["url", "is_hero_image", "action"]);
    has_variants(spec, "GridAction", &["web_url", "postback"]);
    has_variants(spec, "GridButton", &["web_url", "postback"]);
    assert_eq!(
        ty(spec, "GridButton").variants.len(),
        2,
        "URL and postback only"
    );
}

#[test]
fn recurring_notifications_opt_in_template() {
    // §4.2: "`one_time_notif_req` and `notification_messages` (opt-in) belong
    // to OTN and Recurring Notifications". The first is in the spec as a
    // retired variant; the second is there too, deprecated since 2026-01-12
    // (§2, MM-FAQ), so that such bodies are understood rather than rejected.
    for (name, status) in [("v21.0", Status::Deprecated), ("v26.0", Status::Deprecated)] {
        let spec = bundled(name).unwrap();
        has_variants(spec, "TemplatePayload", &["notification_messages"]);
        let v = &ty(spec, "TemplatePayload").variants["notification_messages"];
        assert_eq!(v.status, status, "{name}");
        assert_eq!(v.ty.get_ref(), "NotificationMessagesTemplate", "{name}");
        // Recurring Notifications are a Messenger feature.
        assert!(
            !Spec::available(&v.platforms, Platform::Instagram),
            "{name}"
        );
        // Its payload fields are not confirmed: the type is open and every
        // field is marked so.
        let def = ty(spec, "NotificationMessagesTemplate");
        assert!(def.open, "{name}");
        assert!(!def.fields.is_empty(), "{name}");
        for (w, f) in &def.fields {
            assert_eq!(f.status, Status::Unconfirmed, "{name}: {}", w.get_ref());
            assert!(!f.required, "{name}: {}", w.get_ref());
        }
    }
    let v26 = &ty(v26(), "TemplatePayload").variants["notification_messages"];
    assert!(
        v26.note.as_deref().unwrap().contains("2026-01-12"),
        "{:?}",
        v26.note
    );
}

/// §4.3: the current button types.
const BUTTONS: &[&str] = &[
    "web_url",
    "postback",
    "phone_number",
    "account_link",
    "account_unlink",
    "game_play",
    "audio_call",
];

#[test]
fn every_button_type() {
    let spec = v26();
    has_variants(spec, "Button", BUTTONS);
    let b = ty(spec, "Button");
    for name in BUTTONS {
        assert_eq!(b.variants[*name].status, Status::Current, "{name}");
    }
    assert_eq!(b.variants["element_share"].status, Status::Retired);
    // Instagram templates take web_url and postback only.
    for name in BUTTONS {
        let on_ig = Spec::available(&b.variants[*name].platforms, Platform::Instagram);
        assert_eq!(on_ig, matches!(*name, "web_url" | "postback"), "{name}");
    }
    has_fields(
        spec,
        "UrlButton",
        &[
            "title",
            "url",
            "webview_height_ratio",
            "messenger_extensions",
            "fallback_url",
            "webview_share_button",
        ],
    );
    has_values(spec, "WebviewHeightRatio", &["compact", "tall", "full"]);
    has_fields(spec, "PostbackButton", &["title", "payload"]);
    has_fields(spec, "CallButton", &["title", "payload"]);
    has_fields(spec, "LoginButton", &["url"]);
    assert!(
        ty(spec, "LogoutButton").fields.is_empty(),
        "account_unlink is type only"
    );
    assert!(
        !ty(spec, "LoginButton").fields.contains_key("title"),
        "account_link has no title"
    );
    has_fields(
        spec,
        "GamePlayButton",
        &["title", "payload", "game_metadata"],
    );
    has_fields(spec, "GameMetadata", &["player_id", "context_id"]);
    has_fields(spec, "AudioCallButton", &["title", "expires_in_days"]);
    has_fields(
        spec,
        "DefaultAction",
        &[
            "type",
            "url",
            "webview_height_ratio",
            "messenger_extensions",
            "fallback_url",
        ],
    );
    assert!(!ty(spec, "DefaultAction").fields.contains_key("title"));
}

// ---------------------------------------------------------------------------
// §5, §6: sender actions and tags
// ---------------------------------------------------------------------------

#[test]
fn every_sender_action() {
    let spec = v26();
    let actions = [
        ("typing_on", "TYPING_ON"),
        ("typing_off", "TYPING_OFF"),
        ("mark_seen", "MARK_SEEN"),
        ("react", "REACT"),
        ("unreact", "UNREACT"),
    ];
    has_values(spec, "SenderAction", &actions.map(|(a, _)| a));
    let def = ty(spec, "SenderAction");
    assert_eq!(def.values.len(), actions.len());
    for (a, upper) in actions {
        assert_eq!(
            def.values[a].aliases,
            [upper],
            "{a}: Graph's schema spelling"
        );
    }
    for a in ["react", "unreact"] {
        let carries = def.values[a]
            .carries
            .as_ref()
            .expect("reactions carry payload");
        assert_eq!(carries.field.get_ref(), "payload");
    }
    has_fields(spec, "ReactPayload", &["message_id", "reaction"]);
    has_fields(spec, "UnreactPayload", &["message_id"]);
}

#[test]
fn every_message_tag() {
    let spec = v26();
    let tags = [
        "ACCOUNT_UPDATE",
        "CONFIRMED_EVENT_UPDATE",
        "POST_PURCHASE_UPDATE",
        "CUSTOMER_FEEDBACK",
        "HUMAN_AGENT",
    ];
    has_values(spec, "Tag", &tags);
    let def = ty(spec, "Tag");
    for t in tags {
        let v = &def.values[t];
        assert_eq!(v.status, Status::Current, "{t}");
        assert!(
            !v.allowed.is_empty() && !v.disallowed.is_empty(),
            "{t}: policy"
        );
        assert!(v.window.is_some(), "{t}: window");
        // HUMAN_AGENT is the only tag on Instagram.
        assert_eq!(
            Spec::available(&v.platforms, Platform::Instagram),
            t == "HUMAN_AGENT",
            "{t}"
        );
    }
    for t in [
        "ACCOUNT_UPDATE",
        "CONFIRMED_EVENT_UPDATE",
        "POST_PURCHASE_UPDATE",
    ] {
        let v = &def.values[t];
        assert_eq!(
            v.refused_since.map(|d| d.to_string()).as_deref(),
            Some("2026-04-27"),
            "{t}"
        );
        assert!(v.replacement.as_deref().unwrap().contains("utility"), "{t}");
    }
    for t in ["CUSTOMER_FEEDBACK", "HUMAN_AGENT"] {
        assert_eq!(def.values[t].refused_since, None, "{t}");
    }
    assert!(
        def.values["HUMAN_AGENT"]
            .permission
            .as_deref()
            .unwrap()
            .contains("Human Agent")
    );
    assert!(
        def.values["HUMAN_AGENT"]
            .window
            .as_deref()
            .unwrap()
            .contains("7 days")
    );
    assert!(
        def.values["CUSTOMER_FEEDBACK"]
            .window
            .as_deref()
            .unwrap()
            .contains("7 days")
    );
    // MESSAGE_TAG carries the tag.
    let mt = &ty(spec, "MessagingType").values["MESSAGE_TAG"];
    assert_eq!(mt.carries.as_ref().unwrap().field.get_ref(), "tag");

    // The refusal is by date, on every Graph version: v21.0 has it too.
    let v21 = ty(bundled("v21.0").unwrap(), "Tag");
    for t in tags {
        assert_eq!(
            v21.values[t].refused_since, def.values[t].refused_since,
            "v21.0 {t}"
        );
    }
}

// ---------------------------------------------------------------------------
// §8: error codes
// ---------------------------------------------------------------------------

/// Every code/subcode row of §8 (rows listing several numbers are split);
/// `None` is the code's general meaning ("—").
const ERRORS: &[(u32, Option<u64>)] = &[
    (1, None),
    (1, Some(99)),
    (1, Some(1357046)),
    (2, None),
    (2, Some(2018344)),
    (4, None),
    (4, Some(2018022)),
    (4, Some(2018354)),
    (9, Some(2018352)),
    (10, None),
    (10, Some(1404170)),
    (10, Some(1893015)),
    (10, Some(2018336)),
    (10, Some(2534022)),
    (10, Some(2018278)),
    (10, Some(2018065)),
    (10, Some(2018108)),
    (10, Some(1893063)),
    (10, Some(2534077)),
    (17, None),
    (32, None),
    (100, None),
    (100, Some(33)),
    (100, Some(2018001)),
    (100, Some(2018008)),
    (100, Some(2018014)),
    (100, Some(2018047)),
    (100, Some(2018074)),
    (100, Some(2018109)),
    (100, Some(2018164)),
    (100, Some(2018294)),
    (100, Some(2018320)),
    (100, Some(2018328)),
    (100, Some(2534013)),
    (100, Some(2534014)),
    (100, Some(2534015)),
    (100, Some(2534025)),
    (100, Some(2534029)),
    (100, Some(2534037)),
    (190, None),
    (200, None),
    (200, Some(2018028)),
    (200, Some(2018027)),
    (200, Some(2018021)),
    (200, Some(1545041)),
    (200, Some(2534041)),
    (230, None),
    (368, None),
    (551, None),
    (551, Some(1545041)),
    (613, None),
    (613, Some(2534040)),
    (613, Some(2018338)),
    (613, Some(1893016)),
    (1200, None),
    (2022, None),
];

/// §8 rows that give a bare number without saying whether it is a code or
/// a subcode.
const BARE_NUMBERS: &[u64] = &[
    2018300, 2018321, 2018144, 10900, 10903, 10904, 10303, 9000001,
];

#[test]
fn every_error_code_and_subcode() {
    let spec = v26();
    let errors = &spec.file().errors;
    for (code, subcode) in ERRORS {
        assert!(
            errors
                .iter()
                .any(|e| e.code == *code && e.subcode == *subcode),
            "no [[errors]] entry for {code}/{subcode:?}"
        );
    }
    for n in BARE_NUMBERS {
        assert!(
            errors
                .iter()
                .any(|e| u64::from(e.code) == *n || e.subcode == Some(*n)),
            "no [[errors]] entry for {n}"
        );
    }
    // The emulator's token errors (DESIGN.md) are in the table too.
    for code in [104, 190] {
        let e = errors
            .iter()
            .find(|e| e.code == code && e.subcode.is_none())
            .unwrap();
        assert_eq!(e.error_type.as_deref(), Some("OAuthException"), "{code}");
    }
}

/// The answers the emulator gives outside the rules (DESIGN.md: token,
/// proof, rate and batch errors come from the error table, found by name),
/// in both snapshots: name, code, subcode, type and the start of `message`.
const EMULATOR_ANSWERS: &[(&str, u32, Option<u64>, &str, &str)] = &[
    (
        "AccessTokenRequired",
        104,
        None,
        "OAuthException",
        "An access token is required",
    ),
    (
        "InvalidToken",
        190,
        None,
        "OAuthException",
        "Invalid OAuth access token",
    ),
    (
        "AppSecretProofMissing",
        100,
        None,
        "GraphMethodException",
        "API calls from the server require an appsecret_proof",
    ),
    (
        "AppSecretProofInvalid",
        100,
        None,
        "GraphMethodException",
        "Invalid appsecret_proof provided",
    ),
    (
        "RateLimited",
        613,
        None,
        "OAuthException",
        "(#613) Calls to this api have exceeded",
    ),
    (
        "BatchTooLarge",
        100,
        None,
        "OAuthException",
        "(#100) Too many requests in batch message",
    ),
    (
        "ObjectNotFound",
        100,
        Some(33),
        "GraphMethodException",
        "Unsupported post request. Object with ID '{id}'",
    ),
    (
        "UnknownPath",
        2500,
        None,
        "OAuthException",
        "Unknown path components: {path}",
    ),
    (
        "ServiceUnavailable",
        2,
        None,
        "OAuthException",
        "An unexpected error has occurred",
    ),
];

#[test]
fn the_emulator_answers_are_entries_found_by_name() {
    for spec in [bundled("v21.0").unwrap(), v26()] {
        for (name, code, subcode, ty, message) in EMULATOR_ANSWERS {
            let e = spec
                .error(name)
                .unwrap_or_else(|| panic!("{}: no [[errors]] entry `{name}`", spec.name()));
            assert_eq!(e.rust.get_ref(), name);
            assert_eq!((e.code, e.subcode), (*code, *subcode), "{name}");
            assert_eq!(e.error_type.as_deref(), Some(*ty), "{name}");
            let text = e.message.as_deref().unwrap_or_default();
            assert!(text.starts_with(message), "{name}: {text}");
        }
        assert!(spec.error("NoSuchError").is_none());
        // Three entries share code 100 without a subcode; the general one
        // comes first, so a lookup by code still finds InvalidParameter.
        let general = spec
            .file()
            .errors
            .iter()
            .find(|e| (e.code, e.subcode) == (100, None))
            .unwrap();
        assert_eq!(general.rust.get_ref(), "InvalidParameter");
        assert!(general.message.is_none());
    }
}

#[test]
fn retry_classes_follow_design() {
    // DESIGN.md: `retry` = not delivered: throttling 4/17/32/613 except the
    // subcodes the facts mark "no", 1200 and 2; `ambiguous` = may have been
    // delivered (1/1357046, "check first, do not resend blindly").
    let spec = v26();
    let retry = |code: u32, subcode: Option<u64>| {
        spec.file()
            .errors
            .iter()
            .find(|e| e.code == code && e.subcode == subcode)
            .map(|e| e.retry)
            .unwrap_or_else(|| panic!("no {code}/{subcode:?}"))
    };
    for (code, sub) in [
        (4, None),
        (4, Some(2018022)),
        (17, None),
        (32, None),
        (613, None),
        (613, Some(2534040)),
        (1200, None),
        (2, None),
    ] {
        assert_eq!(retry(code, sub), RetryClass::Retry, "{code}/{sub:?}");
    }
    for (code, sub) in [
        (4, Some(2018354)),
        (613, Some(2018338)),
        (613, Some(1893016)),
        (2, Some(2018344)),
        (10, Some(2534022)),
        (100, None),
        (190, None),
    ] {
        assert_eq!(retry(code, sub), RetryClass::Never, "{code}/{sub:?}");
    }
    assert_eq!(retry(1, Some(1357046)), RetryClass::Ambiguous);
}

/// §8's "Retry?" column where it says yes, maybe or later: not delivered,
/// so a retry after a backoff is safe (1/1357046 alone may have been
/// delivered). These five were `never` or `ambiguous` before.
#[test]
fn retry_classes_follow_the_facts_for_later_and_maybe() {
    for name in ["v21.0", "v26.0"] {
        let spec = bundled(name).unwrap();
        for (code, sub) in [
            (1, None),
            (100, Some(2018294)),
            (100, Some(2018008)),
            (10, Some(1404170)),
            (2018144, None),
        ] {
            let e = spec
                .file()
                .errors
                .iter()
                .find(|e| e.code == code && e.subcode == sub)
                .unwrap_or_else(|| panic!("{name}: no {code}/{sub:?}"));
            assert_eq!(e.retry, RetryClass::Retry, "{name}: {code}/{sub:?}");
        }
    }
}

/// The outside-the-window answers carry Graph's type and message, and
/// exactly one of them is the one the emulator gives.
#[test]
fn outside_window_errors_have_graphs_answer_and_one_is_current() {
    for name in ["v21.0", "v26.0"] {
        let spec = bundled(name).unwrap();
        let window: Vec<_> = spec
            .file()
            .errors
            .iter()
            .filter(|e| e.code == 10 && matches!(e.subcode, Some(2018278 | 2534022)))
            .collect();
        assert_eq!(window.len(), 2, "{name}");
        for e in &window {
            assert_eq!(e.error_type.as_deref(), Some("OAuthException"), "{name}");
            assert_eq!(
                e.message.as_deref(),
                Some("(#10) This message is sent outside of allowed window."),
                "{name}"
            );
        }
        let current: Vec<_> = window.iter().filter(|e| e.current).collect();
        assert_eq!(current.len(), 1, "{name}");
        assert_eq!(current[0].subcode, Some(2018278), "{name}");
    }
}

/// Graph's 50 operations per batch is a snapshot key, not a constant.
#[test]
fn batch_limit_is_in_both_snapshots() {
    for name in ["v21.0", "v26.0"] {
        let limit = bundled(name).unwrap().file().snapshot.batch_limit.as_ref();
        assert_eq!(limit.map(|l| *l.get_ref()), Some(50), "{name}");
    }
}

// ---------------------------------------------------------------------------
// §3, §4, §9: limits and rate classes
// ---------------------------------------------------------------------------

/// (type, path, min, max) of every count and length the fact sheet gives,
/// and the unit of lengths.
const LIMITS: &[(&str, &str, Option<u64>, u64, &str)] = &[
    ("Message", "quick_replies", None, 13, "items"),
    ("Message", "metadata", None, 1000, "chars"),
    ("TextQuickReply", "title", None, 20, "chars"),
    ("TextQuickReply", "payload", None, 1000, "chars"),
    ("GenericTemplate", "elements", Some(1), 10, "items"),
    ("GenericElement", "title", None, 80, "chars"),
    ("GenericElement", "subtitle", None, 80, "chars"),
    ("GenericElement", "buttons", None, 3, "items"),
    ("ButtonTemplate", "text", None, 640, "chars"),
    ("ButtonTemplate", "buttons", Some(1), 3, "items"),
    ("MediaTemplate", "elements", Some(1), 1, "items"),
    ("MediaElement", "buttons", None, 3, "items"),
    ("ReceiptTemplate", "elements", None, 100, "items"),
    ("ProductTemplate", "elements", Some(1), 10, "items"),
    ("ImageGridTemplate", "elements", Some(1), 1, "items"),
    ("ImageGridElement", "images", Some(2), 6, "items"),
    ("ImageGridElement", "title", None, 45, "chars"),
    ("ImageGridElement", "subtitle", None, 80, "chars"),
    ("ImageGridElement", "buttons", None, 3, "items"),
    ("UrlButton", "title", None, 20, "chars"),
    ("PostbackButton", "title", None, 20, "chars"),
    ("PostbackButton", "payload", None, 1000, "chars"),
    ("CallButton", "title", None, 20, "chars"),
];

#[test]
fn every_documented_limit() {
    use sendapi_spec::model::Unit;
    use sendapi_spec::{Bounds, Check, MaxLen, Test};
    let spec = v26();
    let limit = |r: &sendapi_spec::Rule| -> Option<(Option<u64>, u64, &'static str, Unit)> {
        match &r.check {
            Check::MaxLen(MaxLen { max, unit, .. }) => Some((None, *max, "chars", *unit)),
            Check::Items(Bounds {
                min,
                max: Some(max),
                ..
            }) => Some((*min, *max, "items", Unit::Chars)),
            _ => None,
        }
    };
    for (on, path, min, max, unit) in LIMITS {
        let rule = spec
            .rules()
            .iter()
            .find(|r| {
                r.on() == Some(*on)
                    && r.path().is_some_and(|p| p.to_string() == *path)
                    && limit(r).is_some()
                    && r.applies_to.is_none()
            })
            .unwrap_or_else(|| panic!("no limit on {on}.{path}"));
        let (found_min, found_max, found_unit, chars) = limit(rule).unwrap();
        assert_eq!(found_max, *max, "{on}.{path}");
        assert_eq!(found_min, *min, "{on}.{path}");
        assert_eq!(found_unit, *unit, "{on}.{path}");
        assert_eq!(chars, Unit::Chars, "{on}.{path}");
    }
    // Text: 2000 characters on Messenger, 1000 bytes on Instagram.
    let max_len = |id: &str| match &spec.rule(id).unwrap().check {
        Check::MaxLen(m) => (m.max, m.unit),
        other => panic!("{id} is {other:?}"),
    };
    assert_eq!(max_len("message.text.max_len"), (2000, Unit::Chars));
    assert_eq!(
        spec.rule("message.text.max_len")
            .unwrap()
            .applies_to
            .as_deref(),
        Some(&[Platform::Messenger][..])
    );
    assert_eq!(
        max_len("message.text.max_len_instagram"),
        (1000, Unit::Bytes)
    );
    assert_eq!(
        spec.rule("message.text.max_len_instagram")
            .unwrap()
            .applies_to
            .as_deref(),
        Some(&[Platform::Instagram][..])
    );
    let Check::Items(att) = &spec
        .rule("message.attachments.items_instagram")
        .unwrap()
        .check
    else {
        panic!("message.attachments.items_instagram is not an items rule");
    };
    assert_eq!((att.min, att.max), (Some(1), Some(10)));
    // §4.3 audio_call: expires_in_days "default 7, max 7", a number range.
    let expiry = spec
        .rules()
        .iter()
        .find(|r| {
            r.on() == Some("AudioCallButton")
                && r.path().is_some_and(|p| p.to_string() == "expires_in_days")
        })
        .expect("a rule on AudioCallButton.expires_in_days");
    let Check::Range(range) = &expiry.check else {
        panic!("expires_in_days is checked by {:?}", expiry.check);
    };
    assert_eq!((range.min, range.max), (None, Some(7)));
    assert_eq!(expiry.severity, sendapi_spec::Severity::Error);
    assert_eq!(
        ty(spec, "AudioCallButton").fields["expires_in_days"]
            .default
            .as_ref()
            .and_then(|d| d.as_i64()),
        Some(7)
    );
    // §4.3 web_url and default_action: HTTPS when messenger_extensions is
    // true, as a `requires` whose `then` matches the scheme.
    for (id, on) in [
        ("button.url.messenger_extensions.https", "UrlButton"),
        ("default_action.messenger_extensions.https", "DefaultAction"),
    ] {
        let r = spec.rule(id).unwrap_or_else(|| panic!("no rule {id}"));
        let Check::Requires(imp) = &r.check else {
            panic!("{id} is not a requires rule");
        };
        assert_eq!(imp.on, on, "{id}");
        assert_eq!(imp.when.path.to_string(), "messenger_extensions");
        assert!(
            matches!(&imp.when.test, Test::Equals(v) if v == "true"),
            "{id}"
        );
        assert_eq!(imp.then.path.to_string(), "url");
        assert!(
            matches!(&imp.then.test, Test::Matches(re) if re.as_str() == "^https://"),
            "{id}"
        );
        assert_eq!(r.severity, sendapi_spec::Severity::Error);
    }
}

#[test]
fn rate_classes_per_message_kind() {
    let classes = &v26().file().rate_classes;
    let standard = &classes["standard"];
    assert_eq!(
        (standard.limit, standard.per_seconds, standard.default),
        (300, 1, true)
    );
    assert_eq!(standard.scope, "page");
    let av = &classes["audio_video"];
    assert_eq!((av.limit, av.per_seconds, av.default), (10, 1, false));
    assert_eq!(classes.len(), 2);
}

// ---------------------------------------------------------------------------
// Docs, sources and Rust names of every item, in both snapshots
// ---------------------------------------------------------------------------

fn https(spec: &Spec, what: &str, source: &str) {
    let link = spec.source_link(source);
    assert!(
        link.starts_with("https://") && link.len() > "https://".len(),
        "{}: {what}: source `{source}` resolves to `{link}`",
        spec.name()
    );
}

#[track_caller]
fn doc(spec: &Spec, what: &str, text: &str) {
    assert!(
        !text.trim().is_empty(),
        "{}: {what} has no doc",
        spec.name()
    );
}

#[test]
fn every_item_has_a_doc_a_source_link_and_a_rust_name() {
    for name in ["v21.0", "v26.0"] {
        let spec = bundled(name).unwrap();
        let file = spec.file();
        doc(spec, "snapshot", &file.snapshot.doc);
        https(spec, "snapshot", file.snapshot.source.get_ref());
        for (key, link) in &file.sources {
            assert!(
                link.starts_with("https://"),
                "{name}: source {}",
                key.get_ref()
            );
        }
        for (ep, e) in &file.endpoints {
            doc(spec, ep.get_ref(), &e.doc);
            https(spec, ep.get_ref(), e.source.get_ref());
        }
        let mut fields = 0;
        for (tname, t) in spec.types() {
            doc(spec, tname, &t.doc);
            https(spec, tname, t.source.get_ref());
            for (w, f) in &t.fields {
                let what = format!("{tname}.{}", w.get_ref());
                doc(spec, &what, &f.doc);
                https(spec, &what, f.source.get_ref());
                assert!(
                    !f.rust.get_ref().is_empty(),
                    "{name}: {what} has no Rust name"
                );
                fields += 1;
            }
            for (w, v) in &t.variants {
                let what = format!("{tname}.{}", w.get_ref());
                doc(spec, &what, &v.doc);
                https(spec, &what, v.source.get_ref());
                assert!(!v.rust.get_ref().is_empty(), "{name}: {what}");
            }
            for (w, v) in &t.values {
                let what = format!("{tname}.{}", w.get_ref());
                doc(spec, &what, &v.doc);
                https(spec, &what, v.source.get_ref());
                assert!(!v.rust.get_ref().is_empty(), "{name}: {what}");
            }
        }
        assert!(fields > 200, "{name}: only {fields} fields");
        for r in spec.rules() {
            let id = &r.id;
            doc(spec, id, &r.message);
            doc(spec, id, &r.fix);
            https(spec, id, &r.source);
        }
        for e in &file.errors {
            let what = format!("error {}/{:?}", e.code, e.subcode);
            doc(spec, &what, &e.doc);
            https(spec, &what, e.source.get_ref());
        }
        for (c, rc) in &file.rate_classes {
            doc(spec, c.get_ref(), &rc.doc);
            https(spec, c.get_ref(), rc.source.get_ref());
        }
    }
}

#[test]
fn every_non_current_item_says_why() {
    // A status other than `current` shows its note in messages.
    for name in ["v21.0", "v26.0"] {
        let spec = bundled(name).unwrap();
        for (tname, t) in spec.types() {
            for (w, f) in &t.fields {
                if f.status != Status::Current {
                    assert!(
                        f.note.is_some(),
                        "{name}: {tname}.{} has no note",
                        w.get_ref()
                    );
                }
            }
            for (w, v) in &t.variants {
                if v.status != Status::Current {
                    assert!(
                        v.note.is_some(),
                        "{name}: {tname}.{} has no note",
                        w.get_ref()
                    );
                }
            }
            for (w, v) in &t.values {
                if v.status != Status::Current {
                    assert!(
                        v.note.is_some(),
                        "{name}: {tname}.{} has no note",
                        w.get_ref()
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The receive side: the field → event table of webhook-facts.md §4.2
// ---------------------------------------------------------------------------

/// The shared research folder: `SENDAPI_SHARED_DIR`, else `../shared` next
/// to the repository. `None` (with a note) when it is absent outside CI; in
/// CI its absence fails the test.
fn shared_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("SENDAPI_SHARED_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        std::path::PathBuf::from,
    );
    if dir.join("research").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the shared folder {} is absent; set SENDAPI_SHARED_DIR",
        dir.display()
    );
    eprintln!(
        "skipped: no shared folder at {} (set SENDAPI_SHARED_DIR)",
        dir.display()
    );
    None
}

/// The rows of §4.2 as (item keys, platforms): the keys are the cell's
/// code spans cut at the first `{` or `[`; rows without a messaging item
/// key (standby, `changes[]`, payloads not yet known) give none.
fn field_event_rows(sheet: &str) -> Vec<(Vec<String>, Vec<Platform>)> {
    let start = sheet
        .find("### 4.2")
        .expect("webhook-facts.md has a section 4.2");
    let end = sheet[start + 1..]
        .find("\n### ")
        .map_or(sheet.len(), |i| start + 1 + i);
    let mut rows = Vec::new();
    for line in sheet[start..end].lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 5 || !cells[1].starts_with('`') || cells[3].contains("not messaging") {
            continue;
        }
        let keys: Vec<String> = cells[2]
            .split('`')
            .skip(1)
            .step_by(2)
            .map(|k| k.split(['{', '[']).next().unwrap_or(k).to_string())
            .filter(|k| !k.is_empty() && !k.contains(['.', ':']))
            .collect();
        let p = cells[3];
        let platforms = if p.starts_with("both") || p.contains("M and IG") {
            Platform::ALL.to_vec()
        } else if p.starts_with("**IG**") {
            vec![Platform::Instagram]
        } else if p.starts_with("**M**") {
            vec![Platform::Messenger]
        } else {
            panic!("§4.2: cannot read the platform cell {p:?}");
        };
        if !keys.is_empty() {
            rows.push((keys, platforms));
        }
    }
    rows
}

#[test]
fn every_webhook_item_key_of_the_fact_sheet_is_an_event_with_its_platforms() {
    let Some(dir) = shared_dir() else {
        return;
    };
    let sheet = std::fs::read_to_string(dir.join("research/webhook-facts.md"))
        .expect("research/webhook-facts.md is readable");
    let rows = field_event_rows(&sheet);
    assert!(rows.len() >= 14, "§4.2 read as {rows:#?}");
    let w = v26().webhooks().expect("v26.0 has [webhooks]");
    // Platforms per item key: the union over the table's rows and over the
    // spec's events with that key (absent platforms meaning all).
    let mut expected: std::collections::BTreeMap<String, Vec<Platform>> = Default::default();
    for (keys, platforms) in rows {
        for k in keys {
            let e = expected.entry(k).or_default();
            e.extend(platforms.iter().copied());
            e.sort_by_key(|p| p.as_str());
            e.dedup();
        }
    }
    for (key, want) in &expected {
        let mut have: Vec<Platform> = w
            .events()
            .filter(|(_, e)| e.key.get_ref() == key || e.aliases.contains(key))
            .flat_map(|(_, e)| {
                e.platforms
                    .clone()
                    .unwrap_or_else(|| Platform::ALL.to_vec())
            })
            .collect();
        assert!(
            !have.is_empty(),
            "v26.0 has no event with the item key `{key}`"
        );
        have.sort_by_key(|p| p.as_str());
        have.dedup();
        assert_eq!(&have, want, "platforms of the events with key `{key}`");
    }
}

#[test]
fn every_webhook_item_has_a_doc_and_a_source_link() {
    let spec = v26();
    let w = spec.webhooks().expect("v26.0 has [webhooks]");
    doc(spec, "[webhooks]", &w.doc);
    https(spec, "[webhooks]", w.source.get_ref());
    for (name, e) in w.events() {
        doc(spec, name, &e.doc);
        https(spec, name, e.source.get_ref());
        if e.status != Status::Current {
            assert!(
                e.note.is_some(),
                "event {name} is {:?} without a note",
                e.status
            );
        }
    }
    for (tname, t) in &w.types {
        let tname = tname.get_ref();
        doc(spec, tname, &t.doc);
        https(spec, tname, t.source.get_ref());
        for (wire, f) in &t.fields {
            let what = format!("{tname}.{}", wire.get_ref());
            doc(spec, &what, &f.doc);
            https(spec, &what, f.source.get_ref());
        }
        for (wire, v) in &t.values {
            let what = format!("{tname}.{}", wire.get_ref());
            doc(spec, &what, &v.doc);
            https(spec, &what, v.source.get_ref());
        }
    }
}
