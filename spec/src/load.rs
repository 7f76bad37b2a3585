//! Reading spec files: TOML with positions, then the lint.

use std::path::Path as FsPath;

use crate::error::{Error, Problem, line_col};
use crate::lint;
use crate::model::SpecFile;
use crate::spec::Spec;

/// Loads a spec from TOML text. `origin` names it in messages.
pub fn load_str(origin: &str, text: &str) -> Result<Spec, Error> {
    let file: SpecFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        Error::Parse(Problem {
            file: origin.to_string(),
            line,
            column,
            message: e.message().trim_end().to_string(),
        })
    })?;
    let mut spec = Spec {
        file,
        origin: origin.to_string(),
        rules: Vec::new(),
        rates: Vec::new(),
    };
    let linted = lint::lint(&spec, text);
    if linted.problems.is_empty() {
        spec.rules = linted.rules;
        spec.rates = linted.rates;
        Ok(spec)
    } else {
        Err(Error::Lint {
            file: origin.to_string(),
            problems: linted.problems,
        })
    }
}

/// Loads a spec from bytes, which must be UTF-8.
pub fn load_bytes(origin: &str, bytes: &[u8]) -> Result<Spec, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Utf8 {
        file: origin.to_string(),
        offset: e.valid_up_to(),
    })?;
    load_str(origin, text)
}

/// Loads a spec file from disk.
pub fn load_path(path: &FsPath) -> Result<Spec, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    load_bytes(&path.display().to_string(), &bytes)
}
