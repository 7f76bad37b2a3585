//! What breaks: each site's errors under the target snapshot that it did
//! not have under the source snapshot.
//!
//! A `request!` body is checked as the macro checks it at expansion (Rust
//! expressions are unknown run-time values). A derived type is read by the
//! derive's own reader, with each snapshot's vocabulary, into one body per
//! arm, and checked the same way; an attribute the snapshot cannot read is
//! an error too, reported under [`DERIVE_RULE`].

use proc_macro2::Span;
use sendapi_codegen::derive::{Diagnostics, Message, Vocabulary};
use sendapi_codegen::request_expansion::{Invocation, Node, parse, span_of};
use sendapi_spec::{Compiled, Platform, Report};
use syn::DeriveInput;

use super::discover::Site;

/// The rule id of a derive's own errors (an attribute or field role the
/// snapshot does not have, a missing role), which are not spec rules.
pub const DERIVE_RULE: &str = "derive.attributes";

/// An error-severity finding at a place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    /// The violation's JSON pointer in the body (`""` for a derive error).
    pub pointer: String,
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    pub fix: String,
}

impl Finding {
    /// Two findings are the same break when the same rule fails at the same
    /// place: messages name counts and dates that differ between snapshots.
    fn same(&self, other: &Finding) -> bool {
        self.rule == other.rule
            && self.pointer == other.pointer
            && (self.line, self.column) == (other.line, other.column)
    }
}

/// A site that could not be checked, at a place in the file.
#[derive(Debug)]
pub struct Unchecked {
    pub line: usize,
    pub column: usize,
    pub why: String,
    /// Whether this makes the run fail (exit 1): `false` when the site does
    /// not compile under any snapshot, so moving cannot break it.
    pub fails: bool,
}

/// The snapshots of a run.
pub struct Snapshots<'a> {
    pub to: &'a Compiled,
    /// `--from`; `None` takes the snapshot each site names.
    pub from: Option<&'a Compiled>,
    /// The platform of sites that name none.
    pub platform: Platform,
}

/// What one site yields: breaks with the source snapshot's name, and
/// why it could not be checked.
#[derive(Debug, Default)]
pub struct Checked {
    pub breaks: Vec<(Finding, String)>,
    pub unchecked: Vec<Unchecked>,
}

/// Checks one site under both snapshots.
pub fn check(site: &Site, snapshots: &Snapshots<'_>) -> Checked {
    match site {
        Site::Call { named, tokens, at } => match parse(tokens.clone()) {
            Ok(invocation) => {
                let from = match source(snapshots, *named) {
                    Ok(from) => from,
                    Err(why) => return failed(*at, why),
                };
                let platform = if invocation.platform_written {
                    invocation.platform
                } else {
                    snapshots.platform
                };
                let errors = |c: &Compiled| call_findings(&invocation, c, platform, *at);
                compare(errors(snapshots.to), errors(&from), &from)
            }
            Err(e) => not_compiling(&e, *at, "this request! body does not parse"),
        },
        Site::Derive(input) => check_derive(input, snapshots),
    }
}

fn check_derive(input: &DeriveInput, snapshots: &Snapshots<'_>) -> Checked {
    let at = input.ident.span();
    // Only the snapshot is read here; errors in the attributes are found
    // again by `derive_findings` under each snapshot, and compared there.
    let named = sendapi_codegen::derive::snapshot(&sendapi_codegen::derive::written(
        &Diagnostics::default(),
        &input.attrs,
    ));
    let from = match (snapshots.from, named) {
        (None, Some(attr)) => match Compiled::bundled(&attr.value) {
            Ok(from) => Source::Named(from),
            Err(_) => {
                let e = syn::Error::new(
                    attr.span,
                    format!("`{}` is not a bundled snapshot", attr.value),
                );
                return not_compiling(&e, at, "this derive names no bundled snapshot");
            }
        },
        _ => match source(snapshots, None) {
            Ok(from) => from,
            Err(why) => return failed(at, why),
        },
    };
    let errors = |c: &Compiled| derive_findings(input, c, snapshots.platform);
    match (errors(snapshots.to), errors(&from)) {
        (Ok(to), Ok(was)) => compare(to, was, &from),
        (Err(why), _) | (_, Err(why)) => failed(at, why),
    }
}

/// A site that could not be checked for a reason that fails the run.
fn failed(at: Span, why: String) -> Checked {
    let (line, column) = position(at, at);
    Checked {
        breaks: Vec::new(),
        unchecked: vec![Unchecked {
            line,
            column,
            why,
            fails: true,
        }],
    }
}

/// The source snapshot: `--from`, else the bundled one the site names,
/// else latest; `Err` when the named one does not load.
fn source<'a>(snapshots: &Snapshots<'a>, named: Option<&str>) -> Result<Source<'a>, String> {
    match snapshots.from {
        Some(from) => Ok(Source::Given(from)),
        None => Compiled::bundled(named.unwrap_or("latest"))
            .map(Source::Named)
            .map_err(|e| e.to_string()),
    }
}

/// A source snapshot, given once or named per site.
enum Source<'a> {
    Given(&'a Compiled),
    Named(Compiled),
}

impl std::ops::Deref for Source<'_> {
    type Target = Compiled;
    fn deref(&self) -> &Compiled {
        match self {
            Source::Given(c) => c,
            Source::Named(c) => c,
        }
    }
}

/// The findings under the target that the source did not have.
fn compare(to: Vec<Finding>, was: Vec<Finding>, from: &Compiled) -> Checked {
    let name = from.engine().snapshot().to_string();
    let breaks = to
        .into_iter()
        .filter(|f| !was.iter().any(|w| w.same(f)))
        .map(|f| (f, name.clone()))
        .collect();
    Checked {
        breaks,
        unchecked: Vec::new(),
    }
}

/// A site that is a compile error whatever the snapshot: not checked, and
/// not a break.
fn not_compiling(e: &syn::Error, at: Span, what: &str) -> Checked {
    let unchecked = e
        .clone()
        .into_iter()
        .map(|one| {
            let (line, column) = position(one.span(), at);
            Unchecked {
                line,
                column,
                why: format!("{what}, so it is not checked: {one}"),
                fails: false,
            }
        })
        .collect();
    Checked {
        breaks: Vec::new(),
        unchecked,
    }
}

fn call_findings(
    invocation: &Invocation,
    compiled: &Compiled,
    platform: Platform,
    at: Span,
) -> Vec<Finding> {
    let report = compiled
        .engine()
        .validate_literal(&invocation.body.to_value(), platform);
    findings(&invocation.body, &report, at)
}

/// The error-severity violations of `report`, placed on `body`'s tokens.
fn findings(body: &Node, report: &Report, at: Span) -> Vec<Finding> {
    report
        .errors()
        .map(|v| {
            let (line, column) = position(span_of(body, v), at);
            Finding {
                rule: v.rule.clone(),
                pointer: v.pointer.clone(),
                line,
                column,
                message: v.message.clone(),
                fix: v.fix.clone(),
            }
        })
        .collect()
}

/// A derived type's errors under one snapshot: what its vocabulary cannot
/// read, and each arm's body's violations. `Err` when the snapshot has no
/// vocabulary for derived messages.
fn derive_findings(
    input: &DeriveInput,
    compiled: &Compiled,
    platform: Platform,
) -> Result<Vec<Finding>, String> {
    let spec = compiled.spec();
    let at = input.ident.span();
    let vocabulary = Vocabulary::of(spec).map_err(|why| {
        format!(
            "snapshot {} cannot read derived messages: {why}",
            spec.name()
        )
    })?;
    let errors = Diagnostics::default();
    let written = sendapi_codegen::derive::written(&errors, &input.attrs);
    let message = Message::read(&errors, input, &written, &vocabulary, platform);
    let mut out = Vec::new();
    message.bodies(&errors, |arm| {
        let report = compiled
            .engine()
            .validate_literal(&arm.body.to_value(), arm.platform);
        out.extend(findings(&arm.body, &report, at));
    });
    for e in errors.take().into_iter().flatten() {
        let (line, column) = position(e.span(), at);
        out.push(Finding {
            rule: DERIVE_RULE.to_string(),
            pointer: String::new(),
            line,
            column,
            message: e.to_string(),
            fix: format!(
                "change the #[sendapi(…)] attributes so that {} reads them",
                spec.name()
            ),
        });
    }
    Ok(out)
}

/// Line (1-based) and column (1-based, in characters) where `span` starts;
/// `fallback`'s for a span that is not in the file (made by the reader).
fn position(span: Span, fallback: Span) -> (usize, usize) {
    let span = if span.byte_range().is_empty() {
        fallback
    } else {
        span
    };
    let start = span.start();
    (start.line, start.column + 1)
}
