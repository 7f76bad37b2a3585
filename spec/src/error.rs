//! The one error type of this crate.

use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong while loading, linting or naming a spec.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read spec file {}: {source}", path.display())]
    Io {
        /// The path that was read.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The bytes are not UTF-8.
    #[error("{file}: not valid UTF-8 at byte {offset}; a spec file is UTF-8 TOML")]
    Utf8 {
        /// The file.
        file: String,
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The TOML does not parse, or does not have the shape of a spec.
    #[error("{0}")]
    Parse(Problem),
    /// The file parses, but refers to unknown names or breaks a format rule.
    #[error("{file}: {} in the spec:\n{}", sendapi_core::count(problems.len(), "problem", "problems"), ProblemList(problems))]
    Lint {
        /// The file.
        file: String,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
    /// `NAME@DATE` with a date that is not a calendar date, or one after the
    /// snapshot's own date.
    #[error("{spec}: {message}")]
    Date {
        /// The spec as named.
        spec: String,
        /// What is wrong with the date.
        message: String,
    },
    /// A snapshot name that is not bundled.
    #[error(
        "unknown snapshot `{0}`; bundled snapshots are v21.0, v26.0 and latest, or give a path to a .toml spec"
    )]
    UnknownSnapshot(String),
    /// A spec file, a `NAME@DATE` or a snapshot without a pre-compiled
    /// form, in a build without the TOML loader.
    #[error(
        "{0} needs the TOML loader, which this build leaves out: enable the `spec-files` feature of `sendapi` (or `load` of `sendapi-spec`)"
    )]
    NeedsLoader(String),
}

/// One problem in a spec file, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// Line and column (1-based, column in characters) of a byte offset.
#[cfg(feature = "load")]
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let offset = (0..=offset)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}
