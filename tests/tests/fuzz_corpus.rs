//! Replays every input saved under `fuzz/seeds/<target>/` through the same
//! function its cargo-fuzz target calls, on the stable toolchain: the seeds
//! and every crash found by fuzzing (saved there as `crash-*` with the fix)
//! stay checked on each CI run, without nightly.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/lib.rs"]
#[allow(
    dead_code,
    unused_qualifications,
    reason = "the fuzz crate's own module, compiled here as well"
)]
mod targets;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 8] = [
    ("spec_loader", targets::spec_loader),
    ("overlay", targets::overlay),
    ("engine", targets::engine),
    ("request_macro", targets::request_macro),
    ("decoders", targets::decoders),
    ("webhook_parse", targets::webhook_parse),
    ("webhook_signature", targets::webhook_signature),
    ("emulator_readers", targets::emulator_readers),
];

/// The checked-in corpus stays small: a clone should not carry a fuzzer's
/// working set.
const MAX_FILE_BYTES: u64 = 16 * 1024;
const MAX_FILES_PER_TARGET: usize = 300;
const MAX_TOTAL_BYTES: u64 = 1024 * 1024;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join("seeds").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_saved_input_replays_without_a_panic() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (name, target) in TARGETS {
        let files = seeds(name);
        assert!(!files.is_empty(), "fuzz/seeds/{name} holds no input");
        for file in files {
            let data = std::fs::read(&file).expect("a readable seed");
            replayed += 1;
            if let Err(panic) = std::panic::catch_unwind(|| target(&data)) {
                let why = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                failures.push(format!("{name}: {}: {why}", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {replayed} saved inputs panic:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fuzz_target_is_replayed_and_its_corpus_is_small() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut bins: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|section| {
            let line = section
                .lines()
                .find(|l| l.trim_start().starts_with("name"))?;
            line.split('"').nth(1)
        })
        .collect();
    bins.sort_unstable();
    let mut replayed: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
    replayed.sort_unstable();
    assert_eq!(
        bins, replayed,
        "fuzz/Cargo.toml's targets and this test's list differ"
    );

    let mut total = 0;
    for (name, _) in TARGETS {
        let files = seeds(name);
        assert!(
            files.len() <= MAX_FILES_PER_TARGET,
            "fuzz/seeds/{name} holds {} files, more than {MAX_FILES_PER_TARGET}: minimize it (cargo fuzz cmin) before saving",
            files.len()
        );
        for file in files {
            let len = file.metadata().expect("metadata").len();
            total += len;
            assert!(
                len <= MAX_FILE_BYTES,
                "{} is {len} bytes, more than {MAX_FILE_BYTES}",
                file.display()
            );
        }
    }
    assert!(
        total <= MAX_TOTAL_BYTES,
        "fuzz/seeds/ holds {total} bytes, more than {MAX_TOTAL_BYTES}"
    );
}

/// The emulator target reaches the readers and the checks, not only the
/// router: its seeds would otherwise prove little.
#[test]
fn the_in_process_emulator_reads_every_body_kind() {
    use sendapi_emulator::{EmulatorConfig, fuzzing::InProcess};
    let emulator =
        InProcess::new(EmulatorConfig::new().rate_limits(false)).expect("the emulator starts");
    let messages = "/v26.0/me/messages?access_token=t";
    let json = br#"{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"hi"}}"#;
    let form = b"recipient=%7B%22id%22%3A%221%22%7D&messaging_type=RESPONSE&message=%7B%22text%22%3A%22hi%22%7D";
    // (path, content type, body, status)
    type Case<'a> = (&'a str, Option<&'a [u8]>, &'a [u8], u16);
    let cases: [Case<'_>; 5] = [
        (messages, Some(b"application/json"), json, 200),
        (messages, Some(b"application/x-www-form-urlencoded"), form, 200),
        (messages, Some(b"application/json"), br#"{"recipient":{"id":"1"}}"#, 400),
        (messages, Some(b"text/plain"), json, 400),
        (
            "/v26.0/",
            Some(b"application/x-www-form-urlencoded"),
            b"access_token=t&batch=%5B%7B%22method%22%3A%22POST%22%2C%22relative_url%22%3A%22me%2Fmessages%22%2C%22body%22%3A%22recipient%3D%257B%2522id%2522%253A%25221%2522%257D%26sender_action%3Dmark_seen%22%7D%5D",
            200,
        ),
    ];
    for (path, content_type, body, want) in cases {
        let (status, answer) = emulator
            .post(path, content_type, body)
            .expect("a valid URI");
        let answer = String::from_utf8_lossy(&answer);
        assert_eq!(status, want, "{path} {body:?}: {answer}");
        if path == "/v26.0/" {
            assert!(answer.contains(r#""code":200"#), "{answer}");
        }
    }
}
