//! The breaks, as text lines for people or a JSON array for tools.

use std::io::Write;

use super::evaluate::Finding;

/// One break: a finding in a file, with the snapshots compared.
#[derive(Debug)]
pub struct Break {
    pub file: String,
    pub finding: Finding,
    pub to: String,
    pub from: String,
}

/// `file:line:col: [rule] message`, the fix on the next line, and a count.
pub fn text(out: &mut impl Write, breaks: &[Break], to: &str) -> std::io::Result<()> {
    for b in breaks {
        let f = &b.finding;
        writeln!(
            out,
            "{}:{}:{}: [{}] {}",
            b.file, f.line, f.column, f.rule, f.message
        )?;
        writeln!(out, "    fix: {}", f.fix)?;
    }
    match breaks.len() {
        0 => writeln!(out, "nothing breaks under {to}"),
        n => writeln!(
            out,
            "{} under {to} that the code did not have before",
            sendapi_spec::count(n, "error", "errors")
        ),
    }
}

/// `[{"file", "line", "column", "rule", "severity", "message", "fix", "to", "from"}, …]`.
pub fn json(out: &mut impl Write, breaks: &[Break]) -> std::io::Result<()> {
    let rows: Vec<serde_json::Value> = breaks
        .iter()
        .map(|b| {
            let f = &b.finding;
            serde_json::json!({
                "file": b.file,
                "line": f.line,
                "column": f.column,
                "rule": f.rule,
                // Only errors break; warnings are never reported.
                "severity": sendapi_spec::Severity::Error.as_str(),
                "message": f.message,
                "fix": f.fix,
                "to": b.to,
                "from": b.from,
            })
        })
        .collect();
    writeln!(out, "{}", serde_json::Value::Array(rows))
}
