//! `sendapi validate`.

use std::io::{Read, Write};
use std::path::PathBuf;

use sendapi_spec::{Compiled, Engine, MAX_DEPTH, Platform, Report, Severity, Violation};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable lines.
    Text,
    /// Machine-readable JSON (the command's help describes its shape).
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Snapshot: a bundled name (v21.0, v26.0, latest) or the path of a spec
    /// file or delta, either with `@YYYY-MM-DD` to evaluate it at that date.
    #[arg(long, default_value = "latest", value_name = "NAME|PATH")]
    spec: String,
    /// Platform whose rules apply.
    #[arg(long, default_value = "messenger", value_parser = parse_platform)]
    platform: Platform,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// In text format, print at most N violations per body (errors first
    /// when some are left out), then a line saying how many more there
    /// are; 0 prints them all. The JSON format always lists every
    /// violation.
    #[arg(long, default_value_t = DEFAULT_MAX_VIOLATIONS, value_name = "N")]
    max_violations: usize,
    /// Body files to validate; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Violations printed per body in text format unless `--max-violations`
/// says otherwise: enough to fix a body by, few enough that a generated
/// body with thousands of violations does not flood a terminal or a CI log.
pub(crate) const DEFAULT_MAX_VIOLATIONS: usize = 50;

pub fn parse_platform(s: &str) -> Result<Platform, String> {
    s.parse()
}

/// Loads a snapshot by name or path (a delta too, either with `@DATE`),
/// printing why it failed.
pub fn compiled_for(spec: &str) -> Result<Compiled, u8> {
    match Compiled::resolve(spec) {
        Ok(compiled) => {
            crate::spec_cmd::notices(compiled.spec());
            Ok(compiled)
        }
        Err(e) => {
            eprintln!("sendapi: {e}");
            Err(2)
        }
    }
}

enum Outcome {
    Checked(Report),
    Failed(String),
}

/// Parses a body file: JSON within the nesting limit, or why not.
pub(crate) fn parse_body(name: &str, bytes: &[u8]) -> Result<serde_json::Value, String> {
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let what = if e.to_string().contains("recursion limit") {
                format!("nesting too deep (more than {MAX_DEPTH} levels)")
            } else if bytes.iter().all(u8::is_ascii_whitespace) {
                "the file is empty; expected a JSON object".to_string()
            } else {
                format!("not valid JSON: {e}")
            };
            return Err(format!("{name}: {what}"));
        }
    };
    let depth = sendapi_spec::depth(&value);
    if depth > MAX_DEPTH {
        return Err(format!(
            "{name}: nesting too deep ({depth} levels, the limit is {MAX_DEPTH})"
        ));
    }
    Ok(value)
}

fn check(engine: &Engine, platform: Platform, name: &str, bytes: &[u8]) -> Outcome {
    match parse_body(name, bytes) {
        Ok(value) => Outcome::Checked(engine.validate(&value, platform)),
        Err(msg) => Outcome::Failed(msg),
    }
}

pub(crate) fn read(path: &PathBuf) -> Result<(String, Vec<u8>), String> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("<stdin>: cannot read: {e}"))?;
        Ok(("<stdin>".to_string(), buf))
    } else {
        let name = path.display().to_string();
        std::fs::read(path)
            .map(|b| (name.clone(), b))
            .map_err(|e| format!("{name}: cannot read: {e}"))
    }
}

pub fn run(args: &Args) -> u8 {
    let compiled = match compiled_for(&args.spec) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let engine = compiled.engine();
    let mut status = 0u8;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.files {
        let (name, outcome) = match read(path) {
            Ok((name, bytes)) => {
                let o = check(engine, args.platform, &name, &bytes);
                (name, o)
            }
            Err(e) => (path.display().to_string(), Outcome::Failed(e)),
        };
        match outcome {
            Outcome::Failed(msg) => {
                status = 2;
                match args.format {
                    Format::Text => eprintln!("sendapi: {msg}"),
                    Format::Json => {
                        let obj = serde_json::json!({
                            "file": name, "valid": false, "error": msg, "violations": []
                        });
                        let _ = writeln!(out, "{obj}");
                    }
                }
            }
            Outcome::Checked(report) => {
                if !report.is_valid() && status == 0 {
                    status = 1;
                }
                let _ = match args.format {
                    Format::Text => print_text(
                        &mut out,
                        &name,
                        &report,
                        engine.snapshot(),
                        args.platform,
                        args.max_violations,
                    ),
                    Format::Json => print_json(&mut out, &name, &report),
                };
            }
        }
    }
    status
}

/// The report of one body as text: a verdict line, then each violation, at
/// most `max` of them (0: all; errors first when some are left out)
/// followed by how many were left out.
pub(crate) fn print_text(
    out: &mut impl Write,
    name: &str,
    report: &Report,
    snapshot: &str,
    platform: Platform,
    max: usize,
) -> std::io::Result<()> {
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    let verdict = if errors == 0 { "valid" } else { "INVALID" };
    writeln!(
        out,
        "{name}: {verdict} for {snapshot} on {platform} ({}, {})",
        sendapi_spec::count(errors, "error", "errors"),
        sendapi_spec::count(warnings, "warning", "warnings"),
    )?;
    let total = report.violations.len();
    let shown: Vec<&Violation> = if max == 0 || total <= max {
        report.violations.iter().collect()
    } else {
        // Cut short: errors first, so that the ones that make the body
        // invalid are never among those left out.
        report.errors().chain(report.warnings()).take(max).collect()
    };
    for v in &shown {
        let at = if v.pointer.is_empty() {
            "(body)"
        } else {
            &v.pointer
        };
        let label = match v.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(out, "  {label}[{}] at {at}: {}", v.rule, v.message)?;
        writeln!(out, "    fix: {}", v.fix)?;
        writeln!(out, "    doc: {}", v.doc)?;
    }
    let more = total - shown.len();
    if more > 0 {
        let noun = if more == 1 { "violation" } else { "violations" };
        writeln!(
            out,
            "  … and {more} more {noun} (use --format json for all, or --max-violations 0)"
        )?;
    }
    Ok(())
}

fn print_json(out: &mut impl Write, name: &str, report: &Report) -> std::io::Result<()> {
    let violations: Vec<serde_json::Value> = report
        .violations
        .iter()
        .map(|v| {
            serde_json::json!({
                "rule": v.rule,
                "severity": v.severity.as_str(),
                "pointer": v.pointer,
                "message": v.text(),
                "doc": v.doc,
            })
        })
        .collect();
    let obj = serde_json::json!({
        "file": name,
        "valid": report.is_valid(),
        "violations": violations,
    });
    writeln!(out, "{obj}")
}
