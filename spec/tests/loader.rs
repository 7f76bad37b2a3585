//! Loader errors: every way a spec file can fail before the lint, with the
//! file, 1-based line and column (in characters) and what was expected.
//!
//! Malformed specs are built by editing the bundled v26.0 text, so that the
//! errors come from realistic files; expected positions are computed from the
//! edited text, never hard-coded.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_problem, edit, line_col, parse_problem, pos, rule_block};
use sendapi_spec::{
    BUNDLED, Compiled, Error, LATEST, Platform, V21_TOML, V26_TOML, bundled, bundled_send_side,
    is_bundled, load_bytes, load_path, load_str, resolve,
};

#[test]
fn both_bundled_texts_load() {
    let v21 = load_str("v21.0.toml", V21_TOML).expect("v21.0 loads");
    let v26 = load_str("v26.0.toml", V26_TOML).expect("v26.0 loads");
    assert_eq!(v21.name(), "v21.0");
    assert_eq!(v26.name(), "v26.0");
    assert_eq!(v21.origin(), "v21.0.toml");
    assert_eq!(v26.as_of().to_string(), "2026-11-23");
    // The refusals are by date on every Graph version: v21.0 has today's rules.
    assert_eq!(v21.as_of().to_string(), "2026-11-23");
    assert_eq!(v21.graph_version(), "v21.0");
    assert_eq!(v21.rules().len(), v26.rules().len());
}

// ---------------------------------------------------------------------------
// TOML syntax errors
// ---------------------------------------------------------------------------

#[test]
fn unclosed_table_header_is_a_parse_error_at_the_end_of_the_header() {
    let text = edit(V26_TOML, "[types.ReplyTo]\n", "[types.ReplyTo\n");
    let p = parse_problem("syntax.toml", &text);
    let (line, col) = pos(&text, "[types.ReplyTo\n");
    // The `]` is missing where the line ends.
    let at = (line, col + "[types.ReplyTo".chars().count());
    assert_problem(&p, at, &["unclosed table", "expected `]`"]);
    assert_eq!(
        p.to_string(),
        format!("syntax.toml:{}:{}: {}", at.0, at.1, p.message)
    );
}

#[test]
fn doubled_equals_sign_is_a_parse_error_at_the_extra_sign() {
    let text = edit(V26_TOML, "format = 1\n", "format = = 1\n");
    let p = parse_problem("syntax.toml", &text);
    let (line, col) = pos(&text, "format = = 1");
    assert_eq!(line, 9);
    assert_problem(
        &p,
        (line, col + "format = ".len()),
        &["extra `=`", "expected nothing"],
    );
}

#[test]
fn unterminated_string_is_a_parse_error_where_the_quote_is_missing() {
    let text = edit(V26_TOML, "name = \"v26.0\"\n", "name = \"v26.0\n");
    let p = parse_problem("syntax.toml", &text);
    let (line, col) = pos(&text, "name = \"v26.0\n");
    let at = (line, col + "name = \"v26.0".len());
    assert_problem(&p, at, &["invalid basic string", "expected `\"`"]);
}

#[test]
fn duplicate_key_is_a_parse_error_on_the_second_key() {
    let text = edit(V26_TOML, "format = 1\n", "format = 1\nformat = 1\n");
    let p = parse_problem("dup.toml", &text);
    assert_problem(&p, (10, 1), &["duplicate key"]);
}

#[test]
fn crlf_line_endings_give_the_same_positions() {
    let text = edit(V26_TOML, "format = 1\n", "format = \"one\"\n").replace('\n', "\r\n");
    let p = parse_problem("crlf.toml", &text);
    assert_problem(
        &p,
        (9, 10),
        &["invalid type: string \"one\"", "expected u32"],
    );
}

// ---------------------------------------------------------------------------
// Shape errors: wrong type, unknown key, missing key, bad date, empty file
// ---------------------------------------------------------------------------

#[test]
fn wrong_type_for_format_points_at_the_value() {
    let text = edit(V26_TOML, "format = 1\n", "format = \"one\"\n");
    let p = parse_problem("wrong-type.toml", &text);
    let (line, col) = pos(&text, "\"one\"");
    assert_eq!((line, col), (9, 10));
    assert_eq!(p.message, "invalid type: string \"one\", expected u32");
    assert_eq!(
        Error::Parse(p).to_string(),
        "wrong-type.toml:9:10: invalid type: string \"one\", expected u32"
    );
}

#[test]
fn wrong_type_inside_an_inline_table_points_at_the_value() {
    let from = "fields.mid = { rust = \"mid\", type = \"id\", required = true,";
    let text = edit(V26_TOML, from, &from.replace("true", "\"yes\""));
    let p = parse_problem("inline.toml", &text);
    let at = pos(&text, "\"yes\"");
    assert_problem(
        &p,
        at,
        &["invalid type: string \"yes\"", "expected a boolean"],
    );
}

#[test]
fn wrong_type_for_a_rule_code_points_at_the_value() {
    let text = common::edit_rule(V26_TOML, "button.call.payload.format", |b| {
        b.replace("code = 100", "code = \"100\"")
    });
    let p = parse_problem("code.toml", &text);
    let at = pos(&text, "code = \"100\"");
    assert_problem(
        &p,
        (at.0, at.1 + "code = ".len()),
        &["invalid type: string \"100\"", "expected u32"],
    );
}

#[test]
fn unknown_severity_lists_the_two_severities() {
    let text = common::edit_rule(V26_TOML, "body.open_field", |b| {
        b.replace("severity = \"warning\"", "severity = \"warn\"")
    });
    let p = parse_problem("sev.toml", &text);
    let at = pos(&text, "\"warn\"");
    assert_problem(
        &p,
        at,
        &["unknown variant `warn`", "expected `warning` or `error`"],
    );
}

#[test]
fn misspelled_rule_key_is_an_unknown_field_at_the_key() {
    let text = common::edit_rule(V26_TOML, "body.open_field", |b| {
        b.replace("severity = ", "sevrity = ")
    });
    let p = parse_problem("unknown-key.toml", &text);
    let at = pos(&text, "sevrity = ");
    assert_eq!(at.1, 1);
    assert_problem(
        &p,
        at,
        &["unknown field `sevrity`", "expected one of", "`severity`"],
    );
}

#[test]
fn misspelled_snapshot_key_is_an_unknown_field_at_the_key() {
    let text = edit(
        V26_TOML,
        "graph_version = \"v26.0\"",
        "grph_version = \"v26.0\"",
    );
    let p = parse_problem("snap.toml", &text);
    assert_problem(
        &p,
        pos(&text, "grph_version"),
        &["unknown field `grph_version`", "`graph_version`"],
    );
}

#[test]
fn unknown_top_level_key_is_an_unknown_field() {
    let text = edit(V26_TOML, "format = 1\n", "format = 1\nfromat = 1\n");
    let p = parse_problem("top.toml", &text);
    assert_problem(
        &p,
        (10, 1),
        &["unknown field `fromat`", "`format`", "`rate_classes`"],
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    // Non-ASCII text before the bad key on the same line: the column counts
    // each of `é` and `—` as one.
    let from = "fields.mid = { rust = \"mid\", type = \"id\",";
    let to = "fields.mid = { note = \"é—é\", rst = \"mid\", type = \"id\",";
    let text = edit(V26_TOML, from, to);
    let p = parse_problem("chars.toml", &text);
    let (line, col) = pos(&text, to);
    let prefix = "fields.mid = { note = \"é—é\", ";
    assert_eq!(prefix.len(), prefix.chars().count() + 4);
    assert_problem(
        &p,
        (line, col + prefix.chars().count()),
        &["unknown field `rst`", "`rust`"],
    );
}

#[test]
fn missing_required_key_points_at_the_rule_header() {
    let block = rule_block(V26_TOML, "button.call.payload.format");
    let fix_line = "fix = \"write it like +16505551234\"\n";
    assert!(block.contains(fix_line));
    let text = edit(V26_TOML, fix_line, "");
    let p = parse_problem("missing.toml", &text);
    // The rule's table starts at its `[[rules]]` header.
    let header = text
        .find("[[rules]]\nid = \"button.call.payload.format\"")
        .unwrap();
    assert_eq!(p.message, "missing field `fix`");
    assert_eq!((p.line, p.column), line_col(&text, header));
}

#[test]
fn as_of_must_be_a_bare_date() {
    // A string is not a date.
    let text = edit(V26_TOML, "as_of = 2026-11-23", "as_of = \"2026-11-23\"");
    let p = parse_problem("date.toml", &text);
    assert_problem(
        &p,
        pos(&text, "\"2026-11-23\""),
        &[
            "invalid type: string \"2026-11-23\"",
            "expected a TOML datetime",
        ],
    );

    // A date-time is refused by the model with its own message.
    let text = edit(
        V26_TOML,
        "as_of = 2026-11-23",
        "as_of = 2026-11-23T10:00:00",
    );
    let p = parse_problem("date.toml", &text);
    assert_eq!(
        p.message,
        "expected a bare date like 2026-04-27, found `2026-11-23T10:00:00`"
    );
    assert_eq!((p.line, p.column), pos(&text, "2026-11-23T10:00:00"));

    // An integer is not a date.
    let text = edit(V26_TOML, "as_of = 2026-11-23", "as_of = 20261123");
    let p = parse_problem("date.toml", &text);
    assert_problem(
        &p,
        pos(&text, "20261123"),
        &[
            "invalid type: integer `20261123`",
            "expected a TOML datetime",
        ],
    );

    // A date with month 13 does not parse.
    let text = edit(V26_TOML, "as_of = 2026-11-23", "as_of = 2026-13-45");
    let p = parse_problem("date.toml", &text);
    assert_problem(
        &p,
        pos(&text, "2026-13-45"),
        &["invalid date", "month between 01 and 12"],
    );
}

#[test]
fn empty_file_lacks_format() {
    for text in ["", "\n", "# a comment only\n\n"] {
        let p = parse_problem("empty.toml", text);
        assert_eq!(p.message, "missing field `format`");
        assert_eq!((p.line, p.column), (1, 1));
        assert_eq!(p.to_string(), "empty.toml:1:1: missing field `format`");
    }
}

#[test]
fn unsupported_format_number_is_a_lint_problem() {
    let text = edit(V26_TOML, "format = 1\n", "format = 2\n");
    let problems = common::lint_problems("fmt.toml", &text);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_problem(&problems[0], (9, 10), &["expected format = 1", "found 2"]);
}

// ---------------------------------------------------------------------------
// Bytes and files
// ---------------------------------------------------------------------------

#[test]
fn invalid_utf8_reports_the_byte_offset() {
    let offset = V26_TOML.find("[snapshot]").unwrap() + 3;
    let mut bytes = V26_TOML.as_bytes().to_vec();
    bytes.insert(offset, 0xff);
    match load_bytes("latin1.toml", &bytes) {
        Err(Error::Utf8 { file, offset: at }) => {
            assert_eq!(file, "latin1.toml");
            assert_eq!(at, offset);
        }
        other => panic!("expected Error::Utf8, found {other:?}"),
    }
    let e = load_bytes("latin1.toml", &bytes).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("latin1.toml: not valid UTF-8 at byte {offset}; a spec file is UTF-8 TOML")
    );
}

#[test]
fn bytes_cut_inside_a_character_are_invalid_utf8_at_its_start() {
    let start = V26_TOML
        .find('…')
        .expect("the snapshot has a non-ASCII character");
    for cut in start + 1..start + '…'.len_utf8() {
        match load_bytes("cut.toml", &V26_TOML.as_bytes()[..cut]) {
            Err(Error::Utf8 { offset, .. }) => assert_eq!(offset, start),
            other => panic!("cut at {cut}: expected Error::Utf8, found {other:?}"),
        }
    }
}

#[test]
fn valid_bytes_load_like_text() {
    let spec = load_bytes("bytes.toml", V26_TOML.as_bytes()).unwrap();
    assert_eq!(spec.name(), "v26.0");
    assert_eq!(spec.origin(), "bytes.toml");
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let path = Path::new("/nonexistent/sendapi/spec.toml");
    match load_path(path) {
        Err(Error::Io { path: p, source }) => {
            assert_eq!(p, path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Error::Io, found {other:?}"),
    }
    let msg = load_path(path).unwrap_err().to_string();
    assert!(
        msg.starts_with("cannot read spec file /nonexistent/sendapi/spec.toml: "),
        "{msg}"
    );
    // `resolve` reads anything that is not a bundled name as a path.
    assert!(matches!(
        resolve("/nonexistent/sendapi/spec.toml"),
        Err(Error::Io { .. })
    ));
}

/// A file in the temp folder, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("sendapi-spec-loader-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn file_errors_name_the_path() {
    // A good file loads, with its path as origin.
    let good = TempFile::new("good.toml", V26_TOML.as_bytes());
    let spec = load_path(&good.0).unwrap();
    assert_eq!(spec.origin(), good.0.display().to_string());

    // Parse, lint and UTF-8 errors all start with the path.
    let parse = TempFile::new(
        "parse.toml",
        edit(V26_TOML, "format = 1\n", "format = \"one\"\n").as_bytes(),
    );
    let e = load_path(&parse.0).unwrap_err();
    let parse_shown = parse.0.display().to_string();
    assert!(matches!(&e, Error::Parse(p) if p.file == parse_shown));
    assert_eq!(
        e.to_string(),
        format!("{parse_shown}:9:10: invalid type: string \"one\", expected u32")
    );

    let lint = TempFile::new(
        "lint.toml",
        edit(V26_TOML, "format = 1\n", "format = 2\n").as_bytes(),
    );
    let lint_shown = lint.0.display().to_string();
    let e = load_path(&lint.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{lint_shown}: 1 problem in the spec:\n  {lint_shown}:9:10: expected format = 1 (the format this sendapi reads), found 2"
        )
    );

    let mut bytes = V26_TOML.as_bytes().to_vec();
    bytes[0] = 0xc3; // a lead byte followed by ASCII
    let utf8 = TempFile::new("utf8.toml", &bytes);
    let e = load_path(&utf8.0).unwrap_err();
    assert!(matches!(&e, Error::Utf8 { offset: 0, .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with(&format!("{}: not valid UTF-8 at byte 0", utf8.0.display())),
        "{e}"
    );
}

#[test]
fn bundled_names_resolve_and_unknown_names_do_not() {
    assert_eq!(BUNDLED, ["v21.0", "v26.0"]);
    assert_eq!(LATEST, "v26.0");
    for name in ["v21.0", "v21", "v26.0", "v26", "latest"] {
        assert!(is_bundled(name), "{name}");
    }
    assert!(!is_bundled("v25.0"));
    assert_eq!(bundled("latest").unwrap().name(), "v26.0");
    assert_eq!(bundled("v21").unwrap().name(), "v21.0");
    assert_eq!(bundled("v26.0").unwrap().origin(), "bundled v26.0");
    match bundled("v25.0") {
        Err(e @ Error::UnknownSnapshot(_)) => {
            let msg = e.to_string();
            assert!(msg.contains("`v25.0`"), "{msg}");
            assert!(msg.contains("v21.0, v26.0 and latest"), "{msg}");
        }
        other => panic!("expected UnknownSnapshot, found {other:?}"),
    }
    assert_eq!(resolve("latest").unwrap().name(), "v26.0");
}

/// The send side of each bundled snapshot, pre-compiled (v26.0) or loaded
/// (v21.0), is the snapshot without its receive side, and its engine gives
/// the same verdicts.
#[test]
fn a_bundled_send_side_is_the_snapshot_without_its_receive_side() {
    for name in ["v21.0", "v26.0"] {
        let whole = bundled(name).unwrap();
        let send_side = bundled_send_side(name).unwrap();
        assert!(whole.webhooks().is_some(), "{name} has a receive side");
        assert!(send_side.webhooks().is_none(), "{name}");
        let mut file = whole.file().clone();
        file.webhooks = None;
        assert_eq!(
            format!("{:?}", send_side.file()),
            format!("{file:?}"),
            "{name}"
        );
        assert_eq!(
            format!("{:?}", send_side.rules()),
            format!("{:?}", whole.rules()),
            "{name}"
        );
        let compiled = Compiled::bundled_send_side(name).unwrap();
        assert!(
            std::ptr::eq(compiled.spec(), send_side),
            "{name}: built once"
        );
        let body = serde_json::json!({
            "recipient": { "id": "1" },
            "messaging_type": "RESPONSE",
            "message": { "text": "x".repeat(2001) }
        });
        let verdicts =
            |c: &Compiled| format!("{:?}", c.engine().validate(&body, Platform::Messenger));
        assert_eq!(
            verdicts(&compiled),
            verdicts(&Compiled::bundled(name).unwrap()),
            "{name}"
        );
        let report = compiled.engine().validate(&body, Platform::Messenger);
        assert!(
            report.errors().any(|v| v.pointer == "/message/text"),
            "{name}: {report:?}"
        );
    }
    assert!(matches!(
        bundled_send_side("v25.0"),
        Err(Error::UnknownSnapshot(_))
    ));
}

// ---------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------

/// Loads `text[..cut]` for every cut; never panics. A cut before the error
/// table always leaves an invalid spec. In the error table and the rate
/// classes, a cut that falls between two entries (or inside a comment) can
/// leave a complete, valid spec that merely lacks the tail: that is the only
/// way a truncation may load, and it must then keep every type and rule.
fn check_truncations(text: &str, cuts: impl IntoIterator<Item = usize>) -> usize {
    let full = load_str("full", text).unwrap();
    let tail = text.find("\n[[errors]]").unwrap();
    let mut tried = 0;
    for cut in cuts {
        if !text.is_char_boundary(cut) {
            continue;
        }
        tried += 1;
        let prefix = &text[..cut];
        match load_str("cut.toml", prefix) {
            Err(_) => {}
            Ok(spec) => {
                assert!(
                    cut > tail,
                    "cut at byte {cut} (before the error table) loaded: {:?}",
                    &prefix[prefix.len().saturating_sub(60)..]
                );
                let last_line = prefix.rsplit('\n').next().unwrap();
                assert!(
                    last_line.is_empty() || last_line.starts_with('#'),
                    "cut at {cut} inside an entry loaded: {last_line:?}"
                );
                assert_eq!(spec.rules().len(), full.rules().len());
                assert_eq!(spec.types().count(), full.types().count());
                assert!(spec.file().errors.len() <= full.file().errors.len());
            }
        }
    }
    tried
}

#[test]
fn truncated_snapshot_never_panics_and_fails_before_the_tail() {
    // Loading the whole file takes tens of milliseconds in a debug build, so
    // every 97th offset is tried in the first 8 KiB (header, sources,
    // endpoints, the first types), and a spread of offsets over the rest.
    let text = V26_TOML;
    let dense = (0..8 * 1024).step_by(97);
    let sparse = (8 * 1024..text.len()).step_by(text.len() / 24);
    let n = check_truncations(text, dense.chain(sparse));
    assert!(n > 100, "only {n} cuts tried");
}

#[test]
fn truncated_rules_section_never_loads() {
    // Every 97th byte over a stretch of rules, where each cut leaves a
    // half-written or a missing rule.
    let text = V26_TOML;
    let start = text
        .find("[[rules]]\nid = \"message.exactly_one_body\"")
        .unwrap();
    let n = check_truncations(text, (start..start + 2_000).step_by(97));
    assert!(n >= 20);
}

#[test]
fn garbage_inputs_are_errors_not_panics() {
    for text in [
        "[",
        "]]",
        "format",
        "format = 1",
        "format = 1\n[snapshot]",
        "format = 1\n[[rules]]\nid = 1",
        "= = =",
        "\u{0}",
        "\u{feff}format = 1",
        "format = 1\n[types.A]\nkind = \"object\"\n",
    ] {
        assert!(load_str("garbage.toml", text).is_err(), "{text:?} loaded");
    }
}

/// The bundled events classify items as the fact sheet describes them:
/// by key, by flag, by `when`, by alias, and unknown keys as no event.
#[test]
fn bundled_webhook_events_classify_items() {
    use sendapi_spec::EventKind;
    use serde_json::json;
    let spec = bundled("v26.0").unwrap();
    let w = spec.webhooks().unwrap();
    let cases = [
        (
            json!({"message": {"mid": "m_1", "text": "hi"}}),
            "Message",
            EventKind::Message,
            true,
        ),
        (
            json!({"message": {"mid": "m_1", "is_echo": true}}),
            "Echo",
            EventKind::Echo,
            false,
        ),
        (
            json!({"message": {"mid": "m_1", "is_echo": false}}),
            "Message",
            EventKind::Message,
            true,
        ),
        (
            json!({"optin": {"ref": "PASS_THROUGH"}}),
            "Optin",
            EventKind::Optin,
            true,
        ),
        (
            json!({"optin": {"type": "notification_messages", "notification_messages_token": "t"}}),
            "MarketingOptin",
            EventKind::Optin,
            false,
        ),
        (
            json!({"optin": {"type": "one_time_notif_req", "one_time_notif_token": "t"}}),
            "OneTimeNotifOptin",
            EventKind::Optin,
            false,
        ),
        (
            json!({"referral": {"ref": "x", "source": "SHORTLINK", "type": "OPEN_THREAD"}}),
            "Referral",
            EventKind::Referral,
            true,
        ),
        (
            json!({"pass_thread_control": {"new_owner_app_id": "1"}}),
            "PassThreadControl",
            EventKind::Handover,
            false,
        ),
        (
            json!({"app_roles": {"123": ["primary_receiver"]}}),
            "AppRoles",
            EventKind::Handover,
            false,
        ),
        (
            json!({"policy-enforcement": {"action": "block", "reason": "r"}}),
            "PolicyEnforcement",
            EventKind::PolicyEnforcement,
            false,
        ),
        (
            json!({"message_edit": {"mid": "m_1", "text": "new", "num_edit": 1}}),
            "MessageEdit",
            EventKind::Edit,
            false,
        ),
        (
            json!({"read": {"mid": "m_1"}}),
            "Read",
            EventKind::Read,
            false,
        ),
    ];
    for (item, name, kind, opens) in cases {
        let found = w.classify(item.as_object().unwrap()).map(|(n, _)| n);
        assert_eq!(found, Some(name), "{item}");
        assert_eq!(w.kind_of(&item), kind, "{item}");
        assert_eq!(w.opens_window(&item), opens, "{item}");
    }
    let unknown = json!({"payment": {"amount": 1}});
    assert!(w.classify(unknown.as_object().unwrap()).is_none());
    assert_eq!(w.kind_of(&unknown), EventKind::Other);
    assert!(!w.opens_window(&unknown));
}
