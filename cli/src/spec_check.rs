//! `sendapi spec check`.

use std::path::PathBuf;

use sendapi_spec::Error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Spec file to load and lint.
    #[arg(value_name = "PATH")]
    path: PathBuf,
}

pub fn run(args: &Args) -> u8 {
    match sendapi_spec::load_path(&args.path) {
        Ok(spec) => {
            out!(
                "{}: ok ({} {}, as of {}: {} types, {} rules, {} error codes)",
                args.path.display(),
                spec.name(),
                spec.graph_version(),
                spec.as_of(),
                spec.types().count(),
                spec.rules().len(),
                spec.file().errors.len()
            );
            0
        }
        Err(e @ Error::Lint { .. }) => {
            eprintln!("{e}");
            1
        }
        Err(e) => {
            eprintln!("{e}");
            2
        }
    }
}
