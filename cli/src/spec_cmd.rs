//! `sendapi spec check|resolve|new`, and the notices every command that
//! takes a spec prints.

use std::path::{Path, PathBuf};

use sendapi_spec::{Date, Error, Spec};

/// Prints, on stderr, what the lint found that does not stop the spec from
/// loading, and a snapshot's coming expiry.
pub fn notices(spec: &Spec) {
    for warning in spec.lint_warnings() {
        eprintln!("warning: {warning}");
    }
    if let Some(notice) = spec.expiry_notice(Date::today()) {
        eprintln!("note: {notice}");
    }
}

fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Lint { .. } => 1,
        _ => 2,
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Spec file to load and lint: a full snapshot or a delta.
    #[arg(value_name = "PATH")]
    path: PathBuf,
}

pub fn check(args: &CheckArgs) -> u8 {
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
            notices(&spec);
            0
        }
        Err(e) => {
            eprintln!("{e}");
            exit_code(&e)
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    /// Spec file to resolve: a delta and every file it extends.
    #[arg(value_name = "PATH")]
    path: PathBuf,
}

pub fn resolve(args: &ResolveArgs) -> u8 {
    let spec = match sendapi_spec::load_path(&args.path) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("{e}");
            return exit_code(&e);
        }
    };
    notices(&spec);
    match sendapi_spec::resolve_path(&args.path) {
        Ok(text) => {
            out!("{}", text.trim_end());
            0
        }
        Err(e) => {
            eprintln!("{e}");
            exit_code(&e)
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Name of the new snapshot, e.g. `v27.0`.
    #[arg(value_name = "NAME")]
    name: String,
    /// The snapshot it extends: a bundled name (v21.0, v26.0; latest is
    /// written as the snapshot it stands for) or a spec path.
    #[arg(long, value_name = "BASE")]
    from: String,
    /// Where to write the delta (refused if the file exists); stdout if
    /// absent.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn new(args: &NewArgs) -> u8 {
    let base = match sendapi_spec::resolve(&args.from) {
        Ok(base) => base,
        Err(e) => {
            eprintln!("sendapi: {e}");
            return 2;
        }
    };
    if args.from.contains('@') {
        eprintln!("sendapi: --from names a snapshot as written; a delta cannot extend `NAME@DATE`");
        return 2;
    }
    let extends = if sendapi_spec::is_bundled(&args.from) {
        base.name().to_string()
    } else {
        relative_to(Path::new(&args.from), args.out.as_deref())
    };
    let text = delta_text(&args.name, &extends, &base);
    let Some(out) = &args.out else {
        out!("{}", text.trim_end());
        return 0;
    };
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {
            eprintln!("wrote {} (extends {extends})", out.display());
            0
        }
        Err(e) => {
            eprintln!("sendapi: cannot write {}: {e}", out.display());
            2
        }
    }
}

/// A minimal delta: the snapshot's own keys filled, the rest explained.
fn delta_text(name: &str, extends: &str, base: &Spec) -> String {
    let graph_version = if name.starts_with('v') && name[1..].contains('.') {
        name
    } else {
        base.graph_version()
    };
    let today = Date::today();
    let snapshot = &base.file().snapshot;
    format!(
        r#"# sendapi spec: {name}, a delta over {extends}. It holds only what differs;
# everything else is {extends}'s. The format and its merge rules are in
# spec/README.md of sendapi ("Snapshot overlays"). Check it with
# `sendapi spec check FILE` and see the merged spec with `sendapi spec resolve FILE`.

format = 1
extends = "{extends}"

[snapshot]
name = "{name}"
graph_version = "{graph_version}"
as_of = {today}
released = {released}
doc = "{name}: {extends} with the changes below."
source = "{source}"

# Change an item key by key (types by name; fields, variants and values by
# wire key; keys not given keep the base's):
#
# [types.Tag.values.HUMAN_AGENT]
# refused_since = 2027-01-15
# replacement = "a utility message"
#
# Change a rule by id, or add one with a new id:
#
# [[rules]]
# id = "message.quick_replies.items"
# max = 10
#
# Drop items by dotted name, or unset one key of a kept item:
#
# [remove]
# values = ["NotificationType.NO_PUSH"]
# keys = ["types.Tag.values.ACCOUNT_UPDATE.refused_since"]
"#,
        released = snapshot.released,
        source = snapshot.source.get_ref(),
    )
}

/// `base` as written from the folder of `out` (or the current folder).
fn relative_to(base: &Path, out: Option<&Path>) -> String {
    let from = out
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (Ok(base_abs), Ok(from_abs)) = (std::path::absolute(base), std::path::absolute(from))
    else {
        return base.display().to_string();
    };
    let base_parts: Vec<_> = base_abs.components().collect();
    let from_parts: Vec<_> = from_abs
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    let common = base_parts
        .iter()
        .zip(&from_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel = PathBuf::new();
    for _ in common..from_parts.len() {
        rel.push("..");
    }
    for part in &base_parts[common..] {
        rel.push(part);
    }
    rel.display().to_string().replace('\\', "/")
}
