//! `sendapi diff`.

use sendapi_spec::{Change, Spec};

use crate::validate::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Old snapshot: a bundled name (v21.0, v26.0, latest) or a spec path.
    #[arg(value_name = "OLD")]
    old: String,
    /// New snapshot: a bundled name or a spec path.
    #[arg(value_name = "NEW")]
    new: String,
    /// Exit with status 3 when some change is breaking (upcoming changes,
    /// which take effect after NEW's as_of date, do not count).
    #[arg(long)]
    fail_on_breaking: bool,
    /// Output format: text lines, or one JSON array of
    /// {"class", "change", "subject", "item", "detail"} objects.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn load(name: &str) -> Result<Spec, u8> {
    sendapi_spec::resolve(name).map_err(|e| {
        eprintln!("sendapi: {e}");
        2
    })
}

/// One change as `--format json` prints it; the class comes from the spec
/// crate, which alone decides it.
fn json(c: &Change) -> serde_json::Value {
    serde_json::json!({
        "class": c.class.as_str(),
        "change": c.kind.as_str(),
        "subject": c.subject,
        "item": c.item,
        "detail": c.detail,
    })
}

pub fn run(args: &Args) -> u8 {
    let (old, new) = match (load(&args.old), load(&args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    let changes = sendapi_spec::diff(&old, &new);
    let breaking = changes.iter().filter(|c| c.breaking()).count();
    match args.format {
        Format::Text => {
            out!(
                "{} -> {}: {}, {} breaking",
                old.name(),
                new.name(),
                sendapi_spec::count(changes.len(), "change", "changes"),
                breaking
            );
            for c in &changes {
                out!("{c}");
            }
        }
        Format::Json => {
            let all = serde_json::Value::Array(changes.iter().map(json).collect());
            out!("{all}");
        }
    }
    if args.fail_on_breaking && breaking > 0 {
        3
    } else {
        0
    }
}
