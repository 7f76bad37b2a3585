//! The snapshots that ship inside this crate, parsed on first use.

use std::sync::OnceLock;

use crate::engine::Engine;
use crate::error::Error;
use crate::load::load_str;
use crate::spec::Spec;

/// Text of the bundled v21.0 snapshot.
pub const V21_TOML: &str = include_str!("../send-api/v21.0.toml");
/// Text of the bundled v26.0 snapshot.
pub const V26_TOML: &str = include_str!("../send-api/v26.0.toml");

/// Names of the bundled snapshots, oldest first. `latest` is an alias.
pub const BUNDLED: [&str; 2] = ["v21.0", "v26.0"];

/// The snapshot `latest` stands for.
pub const LATEST: &str = "v26.0";

struct Loaded {
    spec: Spec,
    engine: Engine,
}

fn slot(name: &str) -> Option<(&'static OnceLock<Result<Loaded, String>>, &'static str)> {
    static V21: OnceLock<Result<Loaded, String>> = OnceLock::new();
    static V26: OnceLock<Result<Loaded, String>> = OnceLock::new();
    match name {
        "v21.0" | "v21" => Some((&V21, V21_TOML)),
        "v26.0" | "v26" | "latest" => Some((&V26, V26_TOML)),
        _ => None,
    }
}

fn loaded(name: &str) -> Result<&'static Loaded, Error> {
    let (cell, text) = slot(name).ok_or_else(|| Error::UnknownSnapshot(name.to_string()))?;
    let canonical = if name == "latest" { LATEST } else { name };
    cell.get_or_init(|| {
        let origin = format!("bundled {canonical}");
        load_str(&origin, text)
            .map(|spec| Loaded {
                engine: Engine::new(&spec),
                spec,
            })
            .map_err(|e| e.to_string())
    })
    .as_ref()
    // A bundled snapshot that fails its own lint is a bug caught by this
    // crate's tests; the message still says what is wrong.
    .map_err(|e| Error::UnknownSnapshot(format!("{name} (bundled copy does not load: {e})")))
}

/// Whether `name` is a bundled snapshot name (`v21.0`, `v26.0`, `latest`).
pub fn is_bundled(name: &str) -> bool {
    slot(name).is_some()
}

/// A bundled snapshot by name. No file is read.
pub fn bundled(name: &str) -> Result<&'static Spec, Error> {
    loaded(name).map(|l| &l.spec)
}

/// The compiled engine of a bundled snapshot.
pub fn bundled_engine(name: &str) -> Result<&'static Engine, Error> {
    loaded(name).map(|l| &l.engine)
}

/// A bundled snapshot by name, or a spec file by path.
pub fn resolve(name_or_path: &str) -> Result<Spec, Error> {
    if is_bundled(name_or_path) {
        bundled(name_or_path).cloned()
    } else {
        crate::load::load_path(std::path::Path::new(name_or_path))
    }
}
