//! Helpers shared by the spec crate's integration tests: editing the bundled
//! snapshot text and locating what an edit put where.

#![allow(dead_code)]

use sendapi_spec::{Error, Problem, load_str};

/// Where the webhook (receive-side) section of a snapshot starts: its
/// types repeat some request-side lines word for word (`fields.mid = …`).
const WEBHOOKS: &str = "\n[webhooks]\n";

/// Byte offset of the one occurrence of `needle` on one side of the file:
/// the request side when it is there, else the webhook side. Panics when
/// it is absent or ambiguous, so that a test never edits the wrong place.
fn one_occurrence(text: &str, needle: &str) -> usize {
    let split = text.find(WEBHOOKS).unwrap_or(text.len());
    let (head, tail) = text.split_at(split);
    let (in_head, in_tail) = (head.matches(needle).count(), tail.matches(needle).count());
    match (in_head, in_tail) {
        (1, _) => head.find(needle).unwrap_or(0),
        (0, 1) => split + tail.find(needle).unwrap_or(0),
        (h, t) => panic!(
            "expected exactly one occurrence of {needle:?}, found {}",
            h + t
        ),
    }
}

/// Replaces the one occurrence of `from` in `text` (on the request side,
/// else on the webhook side); panics when `from` is absent or ambiguous.
pub fn edit(text: &str, from: &str, to: &str) -> String {
    let at = one_occurrence(text, from);
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

/// 1-based line and 1-based column (counted in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Line and column of the one occurrence of `needle` in `text`.
pub fn pos(text: &str, needle: &str) -> (usize, usize) {
    line_col(text, one_occurrence(text, needle))
}

/// Line and column of the last occurrence of `needle` in `text`.
pub fn pos_last(text: &str, needle: &str) -> (usize, usize) {
    line_col(text, text.rfind(needle).expect("needle present"))
}

/// The `[[rules]]` block with this id, from its header to the next `[[`
/// header (comments between blocks included).
pub fn rule_block<'a>(text: &'a str, id: &str) -> &'a str {
    let head = format!("[[rules]]\nid = \"{id}\"\n");
    let start = text.find(&head).unwrap_or_else(|| panic!("no rule {id}"));
    let end = text[start + 2..]
        .find("\n[[")
        .map_or(text.len(), |i| start + 2 + i + 1);
    &text[start..end]
}

/// `text` without the rule `id`.
pub fn remove_rule(text: &str, id: &str) -> String {
    let block = rule_block(text, id);
    edit(text, block, "")
}

/// `text` with `field = …` lines of rule `id` edited by `f`.
pub fn edit_rule(text: &str, id: &str, f: impl FnOnce(&str) -> String) -> String {
    let block = rule_block(text, id);
    let new = f(block);
    assert_ne!(block, new, "the edit of rule {id} changed nothing");
    edit(text, block, &new)
}

/// Loads `text` and returns its lint problems; fails when it loads or fails
/// for another reason. Every problem must name `origin`.
pub fn lint_problems(origin: &str, text: &str) -> Vec<Problem> {
    match load_str(origin, text) {
        Err(Error::Lint { file, problems }) => {
            assert_eq!(file, origin);
            assert!(!problems.is_empty(), "Error::Lint without problems");
            for p in &problems {
                assert_eq!(p.file, origin, "{p}");
            }
            problems
        }
        Err(e) => panic!("expected lint problems, found another error: {e}"),
        Ok(_) => panic!("expected lint problems, but the spec loaded"),
    }
}

/// Loads `text` and returns its one parse problem.
pub fn parse_problem(origin: &str, text: &str) -> Problem {
    match load_str(origin, text) {
        Err(Error::Parse(p)) => {
            assert_eq!(p.file, origin);
            p
        }
        Err(e) => panic!("expected a parse error, found another error: {e}"),
        Ok(_) => panic!("expected a parse error, but the spec loaded"),
    }
}

/// Asserts that `p` sits at `at` and that its message holds every fragment.
#[track_caller]
pub fn assert_problem(p: &Problem, at: (usize, usize), fragments: &[&str]) {
    assert_eq!((p.line, p.column), at, "position of: {p}");
    for f in fragments {
        assert!(p.message.contains(f), "message lacks {f:?}: {p}");
    }
}
