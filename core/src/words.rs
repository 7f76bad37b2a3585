//! Words in messages, and words Rust reserves.

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` `` (with `joiner` for
/// "or"); `none` for no items.
pub fn list<S: AsRef<str>>(items: &[S], joiner: &str) -> String {
    match items {
        [] => "none".to_string(),
        [one] => format!("`{}`", one.as_ref()),
        [head @ .., last] => {
            let head: Vec<String> = head.iter().map(|s| format!("`{}`", s.as_ref())).collect();
            format!("{} {joiner} `{}`", head.join(", "), last.as_ref())
        }
    }
}

/// `1 error`, `2 errors`: a count with its noun in the right number.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// `a` or `an`, as `word` is spoken: `an Attachment`, `an UPDATE`, `a URL`,
/// `a user_ref`. Backticks and quotes before the word are skipped.
pub fn article(word: &str) -> &'static str {
    let w = word
        .trim_start_matches(['`', '"', '\'', '(', '['])
        .to_ascii_lowercase();
    let sounds_like_you = ["us", "ut", "uri", "url", "uni", "eu", "one"];
    match w.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') if !sounds_like_you.iter().any(|p| w.starts_with(p)) => {
            "an"
        }
        _ => "a",
    }
}

/// The singular of an English plural noun: `replies` → `reply`, `images` →
/// `image`, `matches` → `match`; `None` when `word` does not look plural.
pub fn singular(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    if word.len() < 3
        || !lower.ends_with('s')
        || lower.ends_with("ss")
        || ["is", "was", "has", "this", "its", "does", "yes"].contains(&lower.as_str())
    {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    for end in ["ches", "shes", "xes", "sses"] {
        if lower.ends_with(end) {
            return Some(word[..word.len() - 2].to_string());
        }
    }
    Some(word[..word.len() - 1].to_string())
}

/// A string value as a message shows it: in quotes, cut after 40
/// characters.
pub fn quoted(s: &str) -> String {
    let shown: String = s.chars().take(40).collect();
    let more = if s.chars().count() > 40 { "…" } else { "" };
    format!("\"{shown}{more}\"")
}

/// Rust's keywords, strict and reserved (2024 edition): a spec name that is
/// one cannot be a generated identifier.
pub const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Whether `s` is one of [`RUST_KEYWORDS`]. The macros ask this of every
/// identifier they write, in a debug build: most names are rejected by
/// their first letter, the rest are searched in a sorted copy.
pub fn is_keyword(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b'a'..=b'z') => LOWERCASE_KEYWORDS.binary_search(&s).is_ok(),
        Some(b'S') => s == "Self",
        _ => false,
    }
}

/// [`RUST_KEYWORDS`] that start with a lowercase letter, sorted.
const LOWERCASE_KEYWORDS: [&str; 51] = [
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

#[cfg(test)]
mod tests {
    use super::{RUST_KEYWORDS, article, count, is_keyword, list, quoted, singular};

    #[test]
    fn counts_articles_and_singulars() {
        assert_eq!(count(1, "error", "errors"), "1 error");
        assert_eq!(count(0, "error", "errors"), "0 errors");
        assert_eq!(article("Attachment"), "an");
        assert_eq!(article("`UPDATE`"), "an");
        assert_eq!(article("URL"), "a");
        assert_eq!(article("user_ref"), "a");
        assert_eq!(article("button"), "a");
        assert_eq!(singular("replies").as_deref(), Some("reply"));
        assert_eq!(singular("images").as_deref(), Some("image"));
        assert_eq!(singular("matches").as_deref(), Some("match"));
        assert_eq!(singular("is"), None);
        assert_eq!(quoted("UPDATE"), "\"UPDATE\"");
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(list::<&str>(&[], "or"), "none");
        assert_eq!(list(&["a"], "or"), "`a`");
        assert_eq!(list(&["a", "b"], "or"), "`a` or `b`");
        assert_eq!(list(&["a", "b", "c"], "and"), "`a`, `b` and `c`");
        assert_eq!(
            list(&[String::from("x"), String::from("y")], "or"),
            "`x` or `y`"
        );
    }

    #[test]
    fn keywords_are_told_from_other_names() {
        for k in RUST_KEYWORDS {
            assert!(is_keyword(k), "{k}");
            assert!(!is_keyword(&format!("{k}_")), "{k}_");
            assert!(!is_keyword(&k[1..]), "{k} without its first letter");
        }
        for name in [
            "", "self_", "Type", "SELF", "title", "payload", "Self_", "r#type", "_",
        ] {
            assert!(!is_keyword(name), "{name}");
        }
    }
}
