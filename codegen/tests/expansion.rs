//! Expansion snapshots: what `request!` expands to for a few bodies,
//! formatted with prettyplease and compared with the files checked in under
//! `tests/expansions/`. Regenerate with `SENDAPI_BLESS=1` (the workspace's one
//! re-bless variable) and review the diff.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;
use sendapi_codegen::Shapes;
use sendapi_codegen::request_expansion::{Bindings, expand};

fn check(name: &str, input: TokenStream) {
    let spec = sendapi_spec::bundled("v26.0").expect("bundled");
    let engine = sendapi_spec::bundled_engine("v26.0").expect("bundled");
    let shapes = Shapes::new(spec);
    let bindings = Bindings {
        spec,
        shapes: &shapes,
        engine,
        module: quote!(::sendapi::v26),
    };
    let expansion = expand(input.clone(), &bindings);
    // The macros expand with the shapes' docs left out: the same tokens.
    let lean = Shapes::without_docs(spec);
    let lean_expansion = expand(
        input.clone(),
        &Bindings {
            spec,
            shapes: &lean,
            engine,
            module: quote!(::sendapi::v26),
        },
    );
    assert_eq!(
        expansion.to_string(),
        lean_expansion.to_string(),
        "{name}: Shapes::without_docs expands differently from Shapes::new"
    );
    let file: syn::File = syn::parse2(quote! {
        fn expansion() {
            let _ = #expansion;
        }
    })
    .expect("an expansion is an expression");
    let text = format!("// request!({input})\n\n{}", prettyplease::unparse(&file));
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expansions")
        .join(format!("{name}.rs"));
    if std::env::var_os("SENDAPI_BLESS").is_some() {
        std::fs::write(&path, &text).expect("writable snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        expected, text,
        "expansion of {name} changed; rerun with SENDAPI_BLESS=1 and review the diff"
    );
}

#[test]
fn text_with_quick_replies() {
    check(
        "text_with_quick_replies",
        quote!({
            "recipient": { "id": "6047783085279281" },
            "messaging_type": "RESPONSE",
            "message": {
                "text": "Table for two at 19:30?",
                "quick_replies": [{ "content_type": "text", "title": "Yes", "payload": "BOOK_YES" }],
            },
        }),
    );
}

#[test]
fn expressions_and_coercions() {
    check(
        "expressions_and_coercions",
        quote!({
            "recipient": { "id": 6047783085279281 },
            "messaging_type": "MESSAGE_TAG",
            "tag": "HUMAN_AGENT",
            "message": { "text": reply.text(), "metadata": null },
            "notification_type": notification,
        }),
    );
}

#[test]
fn reaction_to_a_user_ref_on_instagram() {
    check(
        "reaction_on_instagram",
        quote!(instagram, {
            "recipient": { "user_ref": "checkbox-ref-22" },
            "sender_action": "REACT",
            "payload": { "message_id": mid, "reaction": "love" },
        }),
    );
}

#[test]
fn template_with_buttons() {
    check(
        "template_with_buttons",
        quote!({
            "recipient": { "id": "1" },
            "messaging_type": "UPDATE",
            "message": { "attachment": { "type": "template", "payload": {
                "template_type": "button",
                "text": "What next?",
                "buttons": [
                    { "type": "web_url", "url": "https://example.org", "title": "Open" },
                    { "type": "postback", "title": "Talk to us", "payload": "TALK" },
                ],
            } } },
        }),
    );
}

#[test]
fn errors_expand_to_compile_errors_and_a_stub() {
    check(
        "errors_and_stub",
        quote!({
            "recipient": { "id": "1", "user_ref": "x" },
            "messaging_type": "RESPONSE",
            "message": { "txt": "hi" },
        }),
    );
}
