//! `sendapi generate`.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Snapshot name (v21.0, v26.0, latest) or path to a spec file.
    #[arg(long, value_name = "NAME|PATH")]
    spec: String,
    /// Where to write the formatted Rust source. The file holds no inner
    /// attribute: `include!` it as the body of a module of yours.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Emit the `request!` macro of a snapshot bundled in the `sendapi`
    /// crate (used to regenerate `runtime/src/generated/`).
    #[arg(long, hide = true)]
    bundled: bool,
}

pub fn run(args: &Args) -> u8 {
    let spec = match sendapi_spec::resolve(&args.spec) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sendapi: {e}");
            return 2;
        }
    };
    let origin = if sendapi_spec::is_bundled(&args.spec) {
        format!("spec/send-api/{}.toml", spec.name())
    } else {
        args.spec.clone()
    };
    // The header states this very command, so that running it again
    // reproduces the file byte for byte.
    let out = args.out.display().to_string();
    let options = sendapi_codegen::Options {
        origin: Some(origin),
        request_macro: if args.bundled {
            sendapi_codegen::bundled_request_macro(spec.name())
        } else {
            sendapi_codegen::RequestMacro::None
        },
        command: Some(sendapi_codegen::generate_command(
            &args.spec,
            &out,
            args.bundled,
        )),
    };
    let source = match sendapi_codegen::generate_file(&spec, &options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sendapi: cannot generate bindings from {}: {e}", args.spec);
            return 2;
        }
    };
    if let Err(e) = std::fs::write(&args.out, source) {
        eprintln!("sendapi: cannot write {out}: {e}");
        return 2;
    }
    out!("wrote {out} ({} bindings)", spec.name());
    0
}
