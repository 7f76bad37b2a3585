//! "Did you mean": the closest spelling among the candidates.

/// The candidate closest to `word`, if one is close enough: a difference
/// of case or separators alone (`quickReplies`, `TYPING_ON`) always is;
/// otherwise the edit distance must be at most a third of the length.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Nobody misspells a long key; and edit distance is quadratic, so a
    // hostile body must not make suggestions expensive.
    if word.len() > 64 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let squashed = squash(word);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        if c.to_ascii_lowercase() == lower || squash(c) == squashed {
            return Some(c);
        }
        let d = strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase());
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn case_and_separators_win_then_edit_distance() {
        let keys = ["quick_replies", "text", "attachment"];
        assert_eq!(closest("quickReplies", keys), Some("quick_replies"));
        assert_eq!(closest("txet", keys), Some("text"));
        assert_eq!(closest("attachement", keys), Some("attachment"));
        assert_eq!(closest("zzzz", keys), None);
        assert_eq!(closest(&"x".repeat(65), keys), None);
    }
}
