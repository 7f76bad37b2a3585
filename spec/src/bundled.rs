//! The snapshots that ship inside this crate, built on first use from their
//! pre-compiled form (see `precompiled`) or parsed from their TOML.

use std::sync::OnceLock;

use crate::engine::Engine;
use crate::error::Error;
use crate::model::Date;
use crate::spec::Spec;

/// Text of the bundled v21.0 snapshot.
pub const V21_TOML: &str = include_str!("../send-api/v21.0.toml");
/// Text of the bundled v26.0 snapshot.
pub const V26_TOML: &str = include_str!("../send-api/v26.0.toml");

/// Names of the bundled snapshots, oldest first. `latest` is an alias.
pub const BUNDLED: [&str; 2] = ["v21.0", "v26.0"];

/// The snapshot `latest` stands for.
pub const LATEST: &str = "v26.0";

/// The canonical name and text of a bundled snapshot named without
/// `latest` (what a delta's `extends` may name).
pub(crate) fn text_of(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "v21.0" | "v21" => Some(("v21.0", V21_TOML)),
        "v26.0" | "v26" => Some(("v26.0", V26_TOML)),
        _ => None,
    }
}

/// A bundled snapshot's spec and engine, each built on first use: the
/// spec alone serves callers that only read it (`bundled()`), without the
/// cost of an engine.
///
/// The send side, the snapshot without its receive side, has a pair of
/// its own.
struct Slot {
    spec: OnceLock<Result<Spec, String>>,
    engine: OnceLock<Engine>,
    send_side: OnceLock<Spec>,
    send_side_engine: OnceLock<Engine>,
}

impl Slot {
    const fn new() -> Slot {
        Slot {
            spec: OnceLock::new(),
            engine: OnceLock::new(),
            send_side: OnceLock::new(),
            send_side_engine: OnceLock::new(),
        }
    }
}

fn slot(name: &str) -> Option<(&'static Slot, &'static str, &'static str)> {
    static V21: Slot = Slot::new();
    static V26: Slot = Slot::new();
    let (canonical, text) = text_of(if name == "latest" { LATEST } else { name })?;
    Some((
        if canonical == "v21.0" { &V21 } else { &V26 },
        canonical,
        text,
    ))
}

fn loaded_spec(name: &str) -> Result<(&'static Slot, &'static Spec), Error> {
    let (slot, canonical, _text) =
        slot(name).ok_or_else(|| Error::UnknownSnapshot(name.to_string()))?;
    if !cfg!(feature = "load") {
        if !crate::precompiled::has(canonical) {
            return Err(Error::NeedsLoader(format!("snapshot {canonical}")));
        }
        if !cfg!(feature = "receive") {
            return Err(Error::NeedsLoader(format!(
                "the receive side of snapshot {canonical} (pre-compiled with the `receive` feature of `sendapi-spec`)"
            )));
        }
    }
    slot.spec
        .get_or_init(|| {
            // The pre-compiled form skips parsing and linting the TOML; its
            // tests keep it equal to the TOML, which stays the fallback.
            match crate::precompiled::spec(canonical) {
                Some(spec) => Ok(spec),
                #[cfg(feature = "load")]
                None => crate::load::load_str(&format!("bundled {canonical}"), _text)
                    .map_err(|e| e.to_string()),
                #[cfg(not(feature = "load"))]
                None => Err(Error::NeedsLoader(format!("snapshot {canonical}")).to_string()),
            }
        })
        .as_ref()
        .map(|spec| (slot, spec))
        // A bundled snapshot that fails its own lint is a bug caught by this
        // crate's tests; the message still says what is wrong.
        .map_err(|e| Error::UnknownSnapshot(format!("{name} (bundled copy does not load: {e})")))
}

fn loaded(name: &str) -> Result<(&'static Spec, &'static Engine), Error> {
    let (slot, spec) = loaded_spec(name)?;
    Ok((spec, slot.engine.get_or_init(|| Engine::new(spec))))
}

fn loaded_send_side(name: &str) -> Result<(&'static Spec, &'static Engine), Error> {
    let (slot, spec) = send_side_spec(name)?;
    Ok((
        spec,
        slot.send_side_engine.get_or_init(|| Engine::new(spec)),
    ))
}

fn send_side_spec(name: &str) -> Result<(&'static Slot, &'static Spec), Error> {
    let (slot, canonical, _text) =
        slot(name).ok_or_else(|| Error::UnknownSnapshot(name.to_string()))?;
    let spec = match slot.send_side.get() {
        Some(spec) => spec,
        None => {
            let spec = match crate::precompiled::send_side(canonical) {
                Some(spec) => spec,
                // Without a pre-compiled form, the whole snapshot is loaded
                // and copied without its receive side.
                None => {
                    let mut spec = loaded_spec(name)?.1.clone();
                    spec.file.webhooks = None;
                    spec
                }
            };
            // Two first callers at once each build one; the first is kept.
            slot.send_side.get_or_init(|| spec)
        }
    };
    Ok((slot, spec))
}

/// Whether `name` is a bundled snapshot name (`v21.0`, `v26.0`, `latest`).
pub fn is_bundled(name: &str) -> bool {
    slot(name).is_some()
}

/// A bundled snapshot by name. No file is read, and no engine is built.
///
/// The first call in a process builds the snapshot, on two threads where a
/// second one can be had: a short-lived one, joined before this returns
/// (one thread only where none can be spawned). Later calls return the
/// same copy. A build without the `load` feature has the pre-compiled
/// snapshot's receive side with `receive` only; without it this is
/// [`Error::NeedsLoader`] and [`bundled_send_side`] is what it has.
pub fn bundled(name: &str) -> Result<&'static Spec, Error> {
    loaded_spec(name).map(|(_, spec)| spec)
}

/// The send side of a bundled snapshot: the snapshot without its receive
/// side ([`Spec::webhooks`] is `None`), which costs about a quarter less to
/// build. For callers that only check and build requests, such as the
/// `request!` macro. Built once per process, apart from [`bundled`]'s copy;
/// [`Compiled::bundled_send_side`] gives it with its engine.
pub fn bundled_send_side(name: &str) -> Result<&'static Spec, Error> {
    send_side_spec(name).map(|(_, spec)| spec)
}

/// The compiled engine of a bundled snapshot.
pub fn bundled_engine(name: &str) -> Result<&'static Engine, Error> {
    loaded(name).map(|(_, engine)| engine)
}

/// A spec with its compiled engine, the pair every consumer needs: a
/// bundled snapshot's is borrowed from the copy this crate loads once per
/// process, a file's is owned.
#[derive(Debug)]
pub struct Compiled {
    held: Held,
}

#[derive(Debug)]
enum Held {
    Bundled(&'static Spec, &'static Engine),
    Owned(Box<(Spec, Engine)>),
}

impl Compiled {
    /// A bundled snapshot by name (`v21.0`, `v26.0`, `latest`).
    pub fn bundled(name: &str) -> Result<Compiled, Error> {
        loaded(name).map(|(spec, engine)| Compiled {
            held: Held::Bundled(spec, engine),
        })
    }

    /// The send side of a bundled snapshot, with its engine (see
    /// [`bundled_send_side`]).
    pub fn bundled_send_side(name: &str) -> Result<Compiled, Error> {
        loaded_send_side(name).map(|(spec, engine)| Compiled {
            held: Held::Bundled(spec, engine),
        })
    }

    /// Compiles a loaded spec.
    pub fn new(spec: Spec) -> Compiled {
        let engine = Engine::new(&spec);
        Compiled {
            held: Held::Owned(Box::new((spec, engine))),
        }
    }

    /// A bundled snapshot by name, or a spec file (full or delta) by path,
    /// either with an optional `@DATE` (`v26.0@2024-10-02`).
    pub fn resolve(name_or_path: &str) -> Result<Compiled, Error> {
        match split_date(name_or_path)? {
            (name, None) if is_bundled(name) => Compiled::bundled(name),
            (name, date) => load_named(name, date).map(Compiled::new),
        }
    }

    /// The spec.
    pub fn spec(&self) -> &Spec {
        match &self.held {
            Held::Bundled(spec, _) => spec,
            Held::Owned(pair) => &pair.0,
        }
    }

    /// The compiled engine.
    pub fn engine(&self) -> &Engine {
        match &self.held {
            Held::Bundled(_, engine) => engine,
            Held::Owned(pair) => &pair.1,
        }
    }
}

/// A bundled snapshot by name, or a spec file (full or delta) by path,
/// either with an optional `@DATE` (`v26.0@2024-10-02`): the snapshot as of
/// that earlier date.
pub fn resolve(name_or_path: &str) -> Result<Spec, Error> {
    match split_date(name_or_path)? {
        (name, None) if is_bundled(name) => bundled(name).cloned(),
        (name, date) => load_named(name, date),
    }
}

#[cfg(not(feature = "load"))]
fn load_named(name: &str, date: Option<Date>) -> Result<Spec, Error> {
    Err(Error::NeedsLoader(match date {
        Some(date) => format!("`{name}@{date}`"),
        None => format!("`{name}`"),
    }))
}

#[cfg(feature = "load")]
fn load_named(name: &str, date: Option<Date>) -> Result<Spec, Error> {
    let canonical = if name == "latest" { LATEST } else { name };
    match text_of(canonical) {
        Some((canonical, text)) => {
            crate::load::load(&format!("bundled {canonical}"), text, None, date)
        }
        None => crate::load::load_path_at(std::path::Path::new(name), date),
    }
}

/// Splits `NAME@YYYY-MM-DD`. A suffix that is not shaped like a date is
/// part of a path (folders may hold `@`).
fn split_date(spec: &str) -> Result<(&str, Option<Date>), Error> {
    let Some((name, suffix)) = spec.rsplit_once('@') else {
        return Ok((spec, None));
    };
    let shaped = suffix.len() == 10
        && suffix.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Ok((spec, None));
    }
    match Date::parse(suffix) {
        Some(date) => Ok((name, Some(date))),
        None => Err(Error::Date {
            spec: spec.to_string(),
            message: format!("`{suffix}` is not a calendar date; expected NAME@YYYY-MM-DD"),
        }),
    }
}

/// What a build without the `load` feature (the `request!` macro's, by
/// default) can and cannot name; `.ci/run` runs these with
/// `--no-default-features`.
#[cfg(all(test, not(feature = "load")))]
mod without_the_loader {
    use super::*;

    #[test]
    fn the_precompiled_snapshot_builds_and_the_rest_names_the_feature() {
        let send_side = bundled_send_side("latest").expect("v26.0 is pre-compiled");
        assert_eq!(send_side.name(), "v26.0");
        assert!(send_side.webhooks().is_none());
        assert!(Compiled::bundled_send_side("v26.0").is_ok());
        for named in ["v21.0", "spec/send-api/v26.0.toml", "v26.0@2025-01-02"] {
            let e = Compiled::resolve(named).expect_err(named);
            assert!(matches!(e, Error::NeedsLoader(_)), "{named}: {e:?}");
            let said = e.to_string();
            assert!(
                said.contains("`spec-files`") && said.contains("`load`"),
                "{said}"
            );
        }
        assert!(matches!(bundled("v21"), Err(Error::NeedsLoader(_))));
        assert!(matches!(bundled("v99.0"), Err(Error::UnknownSnapshot(_))));
    }

    /// `.ci/run` runs this module with and without `receive`.
    #[test]
    fn the_whole_snapshot_needs_the_receive_feature() {
        let whole = bundled("latest");
        if cfg!(feature = "receive") {
            let whole = whole.expect("v26.0 is pre-compiled with its receive side");
            assert_eq!(whole.name(), "v26.0");
            assert!(whole.webhooks().is_some());
            assert!(Compiled::bundled("v26.0").is_ok());
        } else {
            let said = whole.expect_err("no receive side here").to_string();
            assert!(
                said.contains("receive side of snapshot v26.0") && said.contains("`receive`"),
                "{said}"
            );
            assert!(Compiled::bundled("v26.0").is_err());
        }
    }
}
