//! `sendapi diff`.

use sendapi_spec::Spec;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Old snapshot: a bundled name (v21.0, v26.0, latest) or a spec path.
    #[arg(value_name = "OLD")]
    old: String,
    /// New snapshot: a bundled name or a spec path.
    #[arg(value_name = "NEW")]
    new: String,
    /// Exit with status 3 when some change is breaking.
    #[arg(long)]
    fail_on_breaking: bool,
}

fn load(name: &str) -> Result<Spec, u8> {
    sendapi_spec::resolve(name).map_err(|e| {
        eprintln!("sendapi: {e}");
        2
    })
}

pub fn run(args: &Args) -> u8 {
    let (old, new) = match (load(&args.old), load(&args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    let changes = sendapi_spec::diff(&old, &new);
    let breaking = changes.iter().filter(|c| c.breaking).count();
    out!(
        "{} -> {}: {} change(s), {} breaking",
        old.name(),
        new.name(),
        changes.len(),
        breaking
    );
    for c in &changes {
        out!("{c}");
    }
    if args.fail_on_breaking && breaking > 0 {
        3
    } else {
        0
    }
}
