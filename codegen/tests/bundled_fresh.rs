//! The bindings bundled in the `sendapi` crate are generated source checked
//! in under `runtime/src/generated/`; this test fails when they are stale
//! (the spec or the generator changed without regenerating them).
//!
//! Regenerate with the command each file's header states (`cargo run --
//! generate --bundled --spec v26.0 --out runtime/src/generated/v26.rs`, run
//! from the workspace root; the `sendapi` binary's own test runs it and
//! compares the bytes), or run this test with `SENDAPI_BLESS=1`, the
//! variable that re-blesses every golden, snapshot and UI file of the
//! workspace.

use std::path::Path;

#[test]
fn bundled_bindings_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut stale = Vec::new();
    for name in sendapi_spec::BUNDLED {
        let spec = sendapi_spec::bundled(name).expect("bundled snapshots load");
        let expected = sendapi_codegen::bundled_file(spec).expect("bundled snapshots generate");
        let module = sendapi_codegen::bundled_module(name);
        let path = root
            .join("runtime/src/generated")
            .join(format!("{module}.rs"));
        let found = std::fs::read_to_string(&path).unwrap_or_default();
        if found != expected {
            if std::env::var_os("SENDAPI_BLESS").is_some() {
                std::fs::write(&path, &expected).expect("writable generated file");
            } else {
                stale.push(format!(
                    "{} is stale: run `{}` from the workspace root, or this test with SENDAPI_BLESS=1, and commit the result",
                    path.display(),
                    sendapi_codegen::generate_command(
                        name,
                        &format!("runtime/src/generated/{module}.rs"),
                        true
                    )
                ));
            }
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

/// The generator's output is a function of the spec alone: generating the
/// same snapshot again gives the same bytes (regression: iterating hash maps
/// once made the order of match arms and checks vary from run to run).
#[test]
fn generation_is_deterministic() {
    for name in sendapi_spec::BUNDLED {
        let spec = sendapi_spec::bundled(name).expect("bundled snapshots load");
        let first = sendapi_codegen::bundled_file(spec).expect("bundled snapshots generate");
        for _ in 0..4 {
            let again = sendapi_codegen::bundled_file(spec).expect("bundled snapshots generate");
            assert!(
                again == first,
                "generating {name} twice gave different source"
            );
        }
    }
}

/// The reader, checks, webhook decoders and rate-class functions of the
/// bindings are `#[inline]`, and so is every private helper they call, so
/// that each is compiled in the crate that uses it rather than in every
/// build of `sendapi` (a non-generic item that is neither is compiled where
/// it is defined, and a private helper of an inline function is exported
/// and compiled there too).
#[test]
fn readers_checks_and_decoders_compile_where_used() {
    fn inline(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| a.path().is_ident("inline"))
    }
    fn walk(items: &[syn::Item], module: &str, missing: &mut Vec<String>) {
        const TRAITS: [&str; 3] = ["FromJson", "Validate", "Decode"];
        const HELPERS: [&str; 4] = ["__from_map", "__take", "rate_class", "from_json"];
        const FREE: [&str; 2] = ["rate_class", "rate_class_of_value"];
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        walk(inner, &format!("{module}::{}", m.ident), missing);
                    }
                }
                syn::Item::Fn(f)
                    if FREE.contains(&f.sig.ident.to_string().as_str()) && !inline(&f.attrs) =>
                {
                    missing.push(format!("{module}::{}", f.sig.ident));
                }
                syn::Item::Impl(i) => {
                    let of_trait = i.trait_.as_ref().and_then(|(p, _)| p.segments.last());
                    let checked = match of_trait {
                        Some(t) => TRAITS.contains(&t.ident.to_string().as_str()),
                        None => false,
                    };
                    for f in i.items.iter().filter_map(|it| match it {
                        syn::ImplItem::Fn(f) => Some(f),
                        _ => None,
                    }) {
                        let name = f.sig.ident.to_string();
                        let wanted = checked
                            || (of_trait.is_none()
                                && f.sig.generics.params.is_empty()
                                && HELPERS.contains(&name.as_str()));
                        if wanted && !inline(&f.attrs) {
                            let ty = &i.self_ty;
                            missing.push(format!("{module}: {} for {}", name, quote::quote!(#ty)));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let spec = sendapi_spec::bundled("v26.0").expect("the bundled snapshot loads");
    let source = sendapi_codegen::bundled_file(spec).expect("the bundled snapshot generates");
    let file = syn::parse_file(&source).expect("the bindings parse");
    let mut missing = Vec::new();
    walk(&file.items, "v26", &mut missing);
    assert!(missing.is_empty(), "not #[inline]:\n{}", missing.join("\n"));
    // The walk found what it checks: the request type's reader and the
    // webhook decoders are there to be checked.
    assert!(
        source.contains("webhook::Decode for Notification"),
        "no webhook decoder seen"
    );
    assert!(
        source.contains("de::FromJson for Request"),
        "no request reader seen"
    );
}
