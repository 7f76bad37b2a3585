//! `sendapi migrate`: what in a crate's sources stops compiling when it
//! moves to another snapshot.
//!
//! Three steps, one module each: [`discover`] finds the `.rs` files and in
//! them the `request!` calls and `#[derive(Message)]` types, [`evaluate`]
//! checks each under the target and the source snapshot with the same
//! readers the macros use, and [`report`] prints what breaks.

mod discover;
mod evaluate;
mod report;

use std::path::{Path, PathBuf};

use sendapi_spec::Platform;

use crate::validate::{compiled_for, parse_platform};
use evaluate::Snapshots;
use report::Break;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: [rule] message` lines, each followed by its fix.
    Text,
    /// One JSON array of the breaks.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The snapshot to move to: a bundled name (v21.0, v26.0, latest) or the
    /// path of a spec file or delta, either with `@YYYY-MM-DD` to evaluate
    /// it at that date.
    #[arg(long, value_name = "NAME|PATH")]
    to: String,
    /// The snapshot to compare with, named like --to. Default: the one each
    /// call names (`sendapi::v21::request!` is v21.0, a derive's `snapshot`
    /// attribute), else latest.
    #[arg(long, value_name = "NAME|PATH")]
    from: Option<String>,
    /// The platform of calls and derives that name none (a call names one
    /// with `instagram,` or `messenger,`, a derive with `platform = "…"`).
    #[arg(long, default_value = "messenger", value_parser = parse_platform)]
    platform: Platform,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Rust files, or directories to search for `.rs` files (skipping
    /// `target/` and hidden directories).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub fn run(args: &Args) -> u8 {
    let to = match compiled_for(&args.to) {
        Ok(to) => to,
        Err(code) => return code,
    };
    let from = match args.from.as_deref().map(compiled_for).transpose() {
        Ok(from) => from,
        Err(code) => return code,
    };
    let snapshots = Snapshots {
        to: &to,
        from: from.as_ref(),
        platform: args.platform,
    };
    let (files, problems) = discover::rust_files(&args.paths);
    let mut status = 0;
    for problem in problems {
        eprintln!("sendapi: {problem}");
        status = 1;
    }
    let mut breaks = Vec::new();
    for file in files {
        if !check_file(&file, &snapshots, &mut breaks) {
            status = 1;
        }
    }
    if !breaks.is_empty() {
        status = 1;
    }
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Text => report::text(&mut out, &breaks, to.engine().snapshot()),
        Format::Json => report::json(&mut out, &breaks),
    };
    match written {
        // A closed stdout is the reader's choice (`| head`), not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("sendapi: cannot write the report: {e}");
            1
        }
        _ => status,
    }
}

/// Checks one file, adding its breaks; `false` when it could not be read,
/// parsed or checked (the reason is printed).
fn check_file(path: &Path, snapshots: &Snapshots<'_>, breaks: &mut Vec<Break>) -> bool {
    let name = discover::shown(path);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("sendapi: {name}: cannot read: {e}");
            return false;
        }
    };
    let mut ok = true;
    let mut found = Vec::new();
    match syn::parse_file(&text) {
        Ok(file) => {
            for site in discover::sites(&file) {
                let checked = evaluate::check(&site, snapshots);
                for u in checked.unchecked {
                    let label = if u.fails { "error" } else { "note" };
                    eprintln!(
                        "sendapi: {name}:{}:{}: {label}: {}",
                        u.line, u.column, u.why
                    );
                    ok &= !u.fails;
                }
                found.extend(checked.breaks.into_iter().map(|(finding, from)| Break {
                    file: name.clone(),
                    finding,
                    to: snapshots.to.engine().snapshot().to_string(),
                    from,
                }));
            }
        }
        Err(e) => {
            // syn says only "cannot parse string into token stream" when
            // the tokens themselves do not lex; the lexer knows where.
            let (span, why) = match text.parse::<proc_macro2::TokenStream>() {
                Err(lex) => (
                    lex.span(),
                    "a delimiter is not closed, or a token is not Rust".to_string(),
                ),
                Ok(_) => (e.span(), e.to_string()),
            };
            let start = span.start();
            eprintln!(
                "sendapi: {name}:{}:{}: error: cannot parse this Rust file, so it is not checked: {why}",
                start.line,
                start.column + 1
            );
            ok = false;
        }
    }
    found.sort_by_key(|b| (b.finding.line, b.finding.column));
    breaks.append(&mut found);
    // Every position of this file is resolved by now; dropping the file's
    // source map keeps memory flat over a large tree.
    proc_macro2::extra::invalidate_current_thread_spans();
    ok
}
