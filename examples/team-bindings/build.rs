//! Generates `send_api.rs` in `OUT_DIR` from the team's spec, exactly as
//! `sendapi generate --spec SPEC --out FILE` would: the same two calls.

use std::path::PathBuf;
use std::process::ExitCode;

/// The team's spec, relative to this crate's `Cargo.toml`: a delta over
/// the bundled v26.0 (a full spec file or a bundled name works too).
const SPEC: &str = "spec/v27.0.toml";

fn main() -> ExitCode {
    match generate() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Shown by cargo under "failed to run custom build command".
            eprintln!("team-bindings: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate() -> Result<(), String> {
    let dir =
        std::env::var("CARGO_MANIFEST_DIR").map_err(|e| format!("CARGO_MANIFEST_DIR: {e}"))?;
    let out_dir = std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?;
    let path = PathBuf::from(dir).join(SPEC);
    let spec = sendapi_spec::resolve(&path.display().to_string()).map_err(|e| e.to_string())?;
    // Rebuild when the delta or any file it extends changes.
    for file in spec.files() {
        println!("cargo::rerun-if-changed={}", file.display());
    }
    let options = sendapi_codegen::Options {
        origin: Some(SPEC.to_string()),
        ..Default::default()
    };
    let source = sendapi_codegen::generate_file(&spec, &options)
        .map_err(|e| format!("cannot generate bindings from {SPEC}: {e}"))?;
    let out = PathBuf::from(out_dir).join("send_api.rs");
    std::fs::write(&out, source).map_err(|e| format!("cannot write {}: {e}", out.display()))
}
