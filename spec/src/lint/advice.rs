//! Advice that contradicts the snapshot: a rule's `fix` or an item's
//! `replacement` that recommends a value the snapshot refuses. A delta that
//! refuses HUMAN_AGENT would otherwise leave the base's Instagram rule
//! telling users to "use HUMAN_AGENT".

use std::ops::Range;

use super::Lint;
use crate::model::Date;

/// A refused enum value: its wire name and the date of its refusal.
struct Refused<'s> {
    name: &'s str,
    since: Date,
}

/// Warns where a `fix` or `replacement` names a refused value.
pub(super) fn lint_advice(l: &mut Lint<'_>) {
    let spec = l.spec;
    let as_of = spec.as_of();
    let refused: Vec<Refused<'_>> = spec
        .file
        .types
        .values()
        .flat_map(|def| def.values.iter())
        .filter_map(|(wire, v)| {
            let since = v.refused_since.filter(|d| *d <= as_of)?;
            Some(Refused {
                name: wire.get_ref(),
                since,
            })
        })
        .collect();
    if refused.is_empty() {
        return;
    }
    for rule in &spec.file.rules {
        let what = format!("the fix of rule `{}`", rule.id.get_ref());
        advise(l, &refused, rule.id.span(), &what, &rule.fix, None);
    }
    for (ty, def) in &spec.file.types {
        for (wire, v) in &def.values {
            if let Some(text) = &v.replacement {
                let what = format!("the replacement of `{}.{}`", ty.get_ref(), wire.get_ref());
                advise(l, &refused, wire.span(), &what, text, Some(wire.get_ref()));
            }
        }
        for (wire, v) in &def.variants {
            if let Some(text) = &v.replacement {
                let what = format!("the replacement of `{}.{}`", ty.get_ref(), wire.get_ref());
                advise(l, &refused, wire.span(), &what, text, None);
            }
        }
    }
}

fn advise(
    l: &mut Lint<'_>,
    refused: &[Refused<'_>],
    span: Range<usize>,
    what: &str,
    text: &str,
    own: Option<&str>,
) {
    for r in refused {
        if Some(r.name) != own && mentions(text, r.name) {
            l.warn(
                span.clone(),
                format!(
                    "{what} recommends `{}`, which this snapshot refuses since {}: reword it to name what users should send instead",
                    r.name, r.since
                ),
            );
        }
    }
}

/// Whether `word` occurs in `text` as a whole word.
fn mentions(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn a_mention_is_a_whole_word() {
        assert!(mentions("use HUMAN_AGENT, the only tag", "HUMAN_AGENT"));
        assert!(mentions("\"HUMAN_AGENT\"", "HUMAN_AGENT"));
        assert!(!mentions("use HUMAN_AGENTS", "HUMAN_AGENT"));
        assert!(!mentions("NOT_HUMAN_AGENT", "HUMAN_AGENT"));
        assert!(!mentions("", "HUMAN_AGENT"));
    }
}
