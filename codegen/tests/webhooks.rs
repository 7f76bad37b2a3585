//! The webhook generator on a small `[webhooks]` section of our own (the
//! bundled v26.0 request side, its receive side replaced): an expansion
//! snapshot under `tests/expansions/`, re-blessed with `SENDAPI_BLESS=1`,
//! and the spec mistakes the generator refuses with a message.

use std::path::Path;

use sendapi_codegen::{Options, bundled_request_macro, generate_webhooks};

/// A receive side with what the bundled one lacks: an alias, a dedupe path
/// through an optional object, an enum field
/// with an alias, a required array envelope field, and an event that opens
/// no window.
const WEBHOOKS: &str = r#"
[webhooks]
doc = "A small receive side."
source = "EVT"
envelope = "Note"
item = "Item"
messaging = "events"
standby = "passive"

[webhooks.events.Copy]
key = "msg"
flag = "is_copy"
type = "Msg"
kind = "echo"
dedupe = { mid = "mid" }
doc = "A copy."
source = "EVT"

[webhooks.events.Said]
key = "msg"
type = "Msg"
kind = "message"
opens_window = true
dedupe = { mid = "meta.ref" }
doc = "Something said."
source = "EVT"

[webhooks.events.Enforced]
key = "policy_enforcement"
aliases = ["policy-enforcement"]
type = "Enforcement"
kind = "policy_enforcement"
doc = "An enforcement."
source = "EVT"

[webhooks.types.Note]
kind = "object"
doc = "A POST."
source = "EVT"
fields.object = { rust = "object", type = "Product", required = true, doc = "The product.", source = "EVT" }
fields.entry = { rust = "entries", type = "[Page]", required = true, doc = "The entries.", source = "EVT" }

[webhooks.types.Product]
kind = "enum"
doc = "A product."
source = "EVT"
values.page = { rust = "Page", aliases = ["pages"], doc = "Messenger.", source = "EVT" }

[webhooks.types.Page]
kind = "object"
doc = "An entry."
source = "EVT"
fields.id = { rust = "id", type = "id", required = true, doc = "The page.", source = "EVT" }
fields.events = { rust = "events", type = "[Item]", doc = "Owned.", source = "EVT" }
fields.passive = { rust = "passive", type = "[Item]", doc = "Not owned.", source = "EVT" }

[webhooks.types.Item]
kind = "object"
doc = "An item."
source = "EVT"
fields.timestamp = { rust = "timestamp", type = "integer", doc = "When.", source = "EVT" }

[webhooks.types.Msg]
kind = "object"
doc = "A message."
source = "EVT"
fields.mid = { rust = "mid", type = "string", required = true, doc = "Its id.", source = "EVT" }
fields.is_copy = { rust = "is_copy", type = "bool", doc = "A copy.", source = "EVT" }
fields.meta = { rust = "meta", type = "Meta", doc = "Metadata.", source = "EVT" }
fields.seen = { rust = "seen", type = "integer", doc = "A watermark.", source = "EVT" }
fields.type = { rust = "kind", type = "string", doc = "A keyword field.", source = "EVT" }

[webhooks.types.Meta]
kind = "object"
doc = "Metadata."
source = "EVT"
fields.ref = { rust = "reference", type = "id", required = true, doc = "A reference.", source = "EVT" }

[webhooks.types.Enforcement]
kind = "object"
doc = "An enforcement."
source = "EVT"
fields.action = { rust = "action", type = "string", doc = "What.", source = "EVT" }
"#;

/// The bundled v26.0 text with its receive side replaced by `webhooks`.
fn spec_text(webhooks: &str) -> String {
    let text = sendapi_spec::V26_TOML;
    let cut = text
        .find("\n[webhooks]\n")
        .expect("v26.0 has a receive side");
    format!("{}{webhooks}", &text[..cut])
}

fn generate(webhooks: &str) -> Result<String, String> {
    let spec = sendapi_spec::load_str("small.toml", &spec_text(webhooks))
        .map_err(|e| format!("load: {e}"))?;
    let options = Options {
        request_macro: bundled_request_macro("v26.0"),
        ..Options::default()
    };
    let tokens = generate_webhooks(&spec, &options).map_err(|e| e.0)?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

#[test]
fn webhook_module_expansion() {
    let text = generate(WEBHOOKS).expect("the small receive side generates");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expansions/webhook_module.rs");
    if std::env::var_os("SENDAPI_BLESS").is_some() {
        std::fs::write(&path, &text).expect("writable snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        expected, text,
        "the webhook module changed; rerun with SENDAPI_BLESS=1 and review the diff"
    );
}

/// What the snapshot shows, stated: the generator reads the spec's keys,
/// flags, aliases, kinds, windows and dedupe paths.
#[test]
fn the_module_follows_the_spec() {
    // Compared without whitespace, so that line breaks do not matter.
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let text = squash(&generate(WEBHOOKS).expect("generates"));
    let has = |needle: &str| text.contains(&squash(needle));
    for needle in [
        r#"keys: &["msg"],"#,
        r#"flag: ::sendapi::__private::Some("is_copy")"#,
        r#"keys: &["policy_enforcement", "policy-enforcement"]"#,
        "Event::Copy(_) => ::sendapi::EventKind::Echo",
        "Event::Enforced(_) => ::sendapi::EventKind::PolicyEnforcement",
        "::core::matches!(self, Event::Said(_))",
        r#""page" | "pages" => Product::Page"#,
        "pub entries: ::sendapi::__private::Vec<Page>",
    ] {
        assert!(has(needle), "missing {needle:?}");
    }
    // The Rust name `kind` for the wire key `type`, with its wire name.
    assert!(has(
        "pub kind: ::sendapi::__private::Option<::sendapi::__private::String>"
    ));
    assert!(has("Wire name: `type`."));
    // The dedupe key of `Said`: the mid through the optional `meta`.
    assert!(has("__e.meta.as_ref().map(|__v| &__v.reference)"));
    assert!(!has("Event::Enforced(__e) =>"), "no dedupe for Enforced");
    // The doc example decodes through the bundled module's path.
    assert!(has("use sendapi::v26::webhook::{Event, Note};"));
}

#[test]
fn no_webhooks_section_generates_nothing() {
    let spec = sendapi_spec::load_str("bare.toml", &spec_text("\n")).expect("loads");
    let tokens = generate_webhooks(&spec, &Options::default()).expect("generates");
    assert!(tokens.is_empty());
}

/// Spec mistakes the generator cannot turn into Rust, each refused with a
/// message naming the item.
#[test]
fn refusals_name_the_mistake() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"type = "Enforcement""#,
            r#"type = "Missing""#,
            "unknown type `Missing`",
        ),
        (
            r#"dedupe = { mid = "mid" }"#,
            r#"dedupe = { mid = "nope" }"#,
            "dedupe path `nope` must lead to a string field of `Msg`",
        ),
        (
            r#"dedupe = { mid = "mid" }"#,
            r#"dedupe = { watermark = "mid" }"#,
            "dedupe path `mid` must lead to an integer field",
        ),
        (
            "[webhooks.types.Meta]\nkind = \"object\"",
            "[webhooks.types.Meta]\nkind = \"keyed\"",
            "keyed type `Meta`",
        ),
        (
            "[webhooks.types.Enforcement]",
            "[webhooks.types.Received]\nkind = \"object\"\ndoc = \"A clash.\"\nsource = \"EVT\"\n\n[webhooks.types.Enforcement]",
            "the type name `Received` is the generator's",
        ),
        (
            r#"standby = "passive""#,
            r#"standby = "absent""#,
            "`standby = \"absent\"`: expected a field of `Page`",
        ),
        (
            r#"fields.action = { rust = "action""#,
            r#"fields.action = { rust = "unknown_fields""#,
            "the Rust name `unknown_fields` is the generator's",
        ),
        (
            r#"fields.action = { rust = "action", type = "string""#,
            r#"fields.action = { rust = "action", type = "Enforcement""#,
            "holds itself outside an array",
        ),
        (
            r#"type = "[Page]""#,
            r#"type = "[Pages]""#,
            "unknown type `Pages`: expected a type from [webhooks.types]; did you mean `Page`?",
        ),
    ];
    let mut wrong = Vec::new();
    for (from, to, expected) in cases {
        assert_eq!(WEBHOOKS.matches(from).count(), 1, "ambiguous edit {from:?}");
        let text = WEBHOOKS.replace(from, to);
        let err = generate(&text).expect_err(&format!("{to:?} is refused"));
        if !err.contains(expected) {
            wrong.push(format!("{to:?}: expected {expected:?} in {err:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
