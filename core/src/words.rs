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

/// Rust's keywords, strict and reserved (2024 edition): a spec name that is
/// one cannot be a generated identifier.
pub const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

#[cfg(test)]
mod tests {
    use super::list;

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
}
