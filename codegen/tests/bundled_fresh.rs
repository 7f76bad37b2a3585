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
