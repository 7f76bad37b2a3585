//! "Did you mean": the closest spelling among the candidates.

/// The candidate closest to `word`, if one is close enough: a difference
/// of case or separators alone (`quickReplies`, `TYPING_ON`) always is;
/// otherwise the edit distance must be at most a third of the length.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = Word::new(word)?;
    let mut best = Best::default();
    for c in candidates {
        let (lower, squashed) = (c.to_ascii_lowercase(), squash(c));
        if best.offer(&word, c, &lower, &squashed) {
            break;
        }
    }
    best.found
}

/// Candidates prepared once, for suggesting among them many times (the
/// fields of a type, the values of an enum).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidates {
    /// (name, lower case, lower case without `_` and `-`)
    names: Vec<(String, String, String)>,
}

impl Candidates {
    /// Prepares `names`.
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Candidates {
        Candidates {
            names: names
                .into_iter()
                .map(|n| {
                    let n = n.as_ref();
                    (n.to_string(), n.to_ascii_lowercase(), squash(n))
                })
                .collect(),
        }
    }

    /// The candidate closest to `word`, as [`closest`] finds it.
    pub fn closest(&self, word: &str) -> Option<&str> {
        let word = Word::new(word)?;
        let mut best = Best::default();
        for (name, lower, squashed) in &self.names {
            if best.offer(&word, name, lower, squashed) {
                break;
            }
        }
        best.found
    }
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The misspelled word, prepared.
struct Word<'w> {
    word: &'w str,
    lower: String,
    squashed: String,
    chars: usize,
}

impl<'w> Word<'w> {
    fn new(word: &'w str) -> Option<Word<'w>> {
        // Nobody misspells a long key; and edit distance is quadratic, so a
        // hostile body must not make suggestions expensive.
        if word.len() > 64 {
            return None;
        }
        Some(Word {
            word,
            lower: word.to_ascii_lowercase(),
            squashed: squash(word),
            chars: word.chars().count(),
        })
    }
}

#[derive(Default)]
struct Best<'a> {
    found: Option<&'a str>,
    distance: usize,
}

impl<'a> Best<'a> {
    /// Considers one candidate; true when it is a sure match.
    fn offer(&mut self, word: &Word<'_>, name: &'a str, lower: &str, squashed: &str) -> bool {
        if name == word.word {
            return false;
        }
        // Case and separators alone (quickReplies, TYPING_ON) are a sure match.
        if lower == word.lower || squashed == word.squashed {
            self.found = Some(name);
            return true;
        }
        let chars = name.chars().count();
        let limit = (word.chars.max(chars) / 3).max(1);
        // The distance is at least the difference in length, and at least
        // the number of letters one word has more of than the other.
        if word.chars.abs_diff(chars) > limit || bag_distance(&word.lower, lower) > limit {
            return false;
        }
        let d = strsim::damerau_levenshtein(&word.lower, lower);
        if d <= limit && (self.found.is_none() || d < self.distance) {
            self.found = Some(name);
            self.distance = d;
        }
        false
    }
}

/// How many letters one word has that the other lacks, the larger of the
/// two counts: a lower bound of the edit distance, with or without
/// transpositions, that costs a pass over each word. Zero (no bound) when
/// either word is not ASCII.
fn bag_distance(a: &str, b: &str) -> usize {
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i32; 128];
    for c in a.bytes() {
        counts[usize::from(c)] += 1;
    }
    for c in b.bytes() {
        counts[usize::from(c)] -= 1;
    }
    let (more, fewer) = counts.iter().fold(
        (0, 0),
        |(m, f), &n| {
            if n > 0 { (m + n, f) } else { (m, f - n) }
        },
    );
    usize::try_from(more.max(fewer)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::{Candidates, closest};

    #[test]
    fn case_and_separators_win_then_edit_distance() {
        let keys = ["quick_replies", "text", "attachment"];
        let prepared = Candidates::new(keys);
        for (word, want) in [
            ("quickReplies", Some("quick_replies")),
            ("txet", Some("text")),
            ("attachement", Some("attachment")),
            ("zzzz", None),
            ("text", None),
        ] {
            assert_eq!(closest(word, keys), want, "{word}");
            assert_eq!(prepared.closest(word), want, "{word}");
        }
        assert_eq!(closest(&"x".repeat(65), keys), None);
    }

    #[test]
    fn bag_distance_is_a_lower_bound() {
        for (a, b) in [
            ("text", "txet"),
            ("attachment", "attachement"),
            ("abc", "xyz"),
            ("", "ab"),
        ] {
            let bound = super::bag_distance(a, b);
            assert!(bound <= strsim::damerau_levenshtein(a, b), "{a} {b}");
        }
        assert_eq!(super::bag_distance("abc", "xyz"), 3);
        assert_eq!(super::bag_distance("text", "txet"), 0);
    }
}
