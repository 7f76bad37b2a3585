//! Generates `send_api.rs` in `OUT_DIR` from the team's spec, exactly as
//! `sendapi generate --spec SPEC --out FILE` would: the same two calls.

use std::path::PathBuf;
use std::process::ExitCode;

/// The spec, relative to this crate's `Cargo.toml`: a bundled snapshot
/// name (`v26.0`) works too.
const SPEC: &str = "../../spec/send-api/v26.0.toml";

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed={SPEC}");
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
    let options = sendapi_codegen::Options {
        origin: Some(SPEC.to_string()),
        ..Default::default()
    };
    let source = sendapi_codegen::generate_file(&spec, &options)
        .map_err(|e| format!("cannot generate bindings from {SPEC}: {e}"))?;
    let out = PathBuf::from(out_dir).join("send_api.rs");
    std::fs::write(&out, source).map_err(|e| format!("cannot write {}: {e}", out.display()))
}
