//! Message templates: text with `{placeholder}`s, `{{` and `}}` for literal
//! braces. A placeholder with no value stays as written.

use std::fmt::{self, Write as _};
use std::sync::OnceLock;

/// A piece of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Literal text (a `{{` or `}}` comes out as one brace).
    Text(&'a str),
    /// A `{placeholder}`, by name.
    Var(&'a str),
    /// A `{` with no closing `}`: the rest of the template, as text.
    Unclosed(&'a str),
}

/// The pieces of a template, in order.
pub fn pieces(template: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (piece, next) = if let Some(r) = rest.strip_prefix("{{") {
            (Piece::Text("{"), r)
        } else if let Some(r) = rest.strip_prefix("}}") {
            (Piece::Text("}"), r)
        } else if let Some(r) = rest.strip_prefix('{') {
            match r.find('}') {
                Some(close) => (Piece::Var(&r[..close]), &r[close + 1..]),
                None => (Piece::Unclosed(rest), ""),
            }
        } else {
            let end = rest.find(['{', '}']).unwrap_or(rest.len()).max(1);
            (Piece::Text(&rest[..end]), &rest[end..])
        };
        rest = next;
        Some(piece)
    })
}

/// Values for placeholders, by name.
pub type Vars<'a> = &'a [(&'a str, &'a dyn fmt::Display)];

/// Renders `template` with `vars`.
pub fn render(template: &str, vars: Vars<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut filled = Vec::new();
    for piece in pieces(template) {
        push_piece(&mut out, piece, vars, &[], &mut filled);
    }
    tidy(&mut out, &filled);
    out
}

/// Grammar around the filled placeholders (`filled` holds their byte
/// ranges in `out`): `a`/`an` before a value by its first sound (`a
/// {type}` with `Attachment` reads `an Attachment`), and the noun after a
/// count of one in the singular (`{count} images` with 1 reads `1 image`).
fn tidy(out: &mut String, filled: &[(usize, usize)]) {
    for &(start, end) in filled.iter().rev() {
        let value = out[start..end].to_string();
        if value == "1" {
            singular_after(out, end);
        }
        let before = &out[..start];
        let article = crate::words::article(&value);
        for (written, len) in [("a ", 2), ("an ", 3)] {
            let at = start.saturating_sub(len);
            let word_start = at == 0 || before[..at].ends_with([' ', '(', '\n']);
            if start >= len && before.ends_with(written) && word_start && !value.is_empty() {
                out.replace_range(at..start, &format!("{article} "));
                break;
            }
        }
    }
}

/// Puts the first plural noun of the (at most two) words after `at` in the
/// singular, stopping at punctuation.
fn singular_after(out: &mut String, at: usize) {
    let rest = &out[at..];
    if !rest.starts_with(' ') {
        return;
    }
    let mut pos = at + 1;
    for _ in 0..2 {
        let word_len = out[pos..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(out.len() - pos);
        if word_len == 0 {
            return;
        }
        let word = out[pos..pos + word_len].to_string();
        if let Some(one) = crate::words::singular(&word) {
            out.replace_range(pos..pos + word_len, &one);
            return;
        }
        if !out[pos + word_len..].starts_with(' ') {
            return;
        }
        pos += word_len + 1;
    }
}

fn push_piece(
    out: &mut String,
    piece: Piece<'_>,
    vars: Vars<'_>,
    more: Vars<'_>,
    filled: &mut Vec<(usize, usize)>,
) {
    match piece {
        Piece::Text(t) | Piece::Unclosed(t) => out.push_str(t),
        Piece::Var(name) => match vars.iter().chain(more).find(|(n, _)| *n == name) {
            // Writing to a String cannot fail.
            Some((_, v)) => {
                let start = out.len();
                let _ = write!(out, "{v}");
                filled.push((start, out.len()));
            }
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        },
    }
}

/// A template split once, on first render, for rendering many times.
/// Splitting waits for a render because plans hold a template per rule and
/// most are never rendered: a valid body renders none.
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    split: OnceLock<Split>,
}

#[derive(Debug, Clone)]
struct Split {
    pieces: Vec<(bool, String)>,
    /// The length of the text alone, to size the output once.
    text_len: usize,
}

impl PartialEq for Template {
    fn eq(&self, other: &Template) -> bool {
        self.source == other.source
    }
}

impl Eq for Template {}

impl Template {
    /// A template of `template`.
    pub fn new(template: &str) -> Template {
        Template {
            source: template.to_string(),
            split: OnceLock::new(),
        }
    }

    fn split(&self) -> &Split {
        self.split.get_or_init(|| {
            let pieces: Vec<(bool, String)> = pieces(&self.source)
                .map(|p| match p {
                    Piece::Text(t) | Piece::Unclosed(t) => (false, t.to_string()),
                    Piece::Var(v) => (true, v.to_string()),
                })
                .collect();
            let text_len = pieces.iter().filter(|p| !p.0).map(|p| p.1.len()).sum();
            Split { pieces, text_len }
        })
    }

    /// Renders the template with `vars`.
    pub fn render(&self, vars: Vars<'_>) -> String {
        self.render_with(vars, &[])
    }

    /// Renders the template with `vars`, then `more` for the names `vars`
    /// does not give.
    pub fn render_with(&self, vars: Vars<'_>, more: Vars<'_>) -> String {
        let split = self.split();
        let mut out = String::with_capacity(split.text_len + 64);
        let mut filled = Vec::new();
        for (var, text) in &split.pieces {
            let piece = if *var {
                Piece::Var(text)
            } else {
                Piece::Text(text)
            };
            push_piece(&mut out, piece, vars, more, &mut filled);
        }
        tidy(&mut out, &filled);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_braces_and_unknown_names() {
        let vars: Vars<'_> = &[("max", &2000), ("field", &"text")];
        let t = "`{field}` is at most {max} {unit} {{literal}}";
        assert_eq!(render(t, vars), "`text` is at most 2000 {unit} {literal}");
        assert_eq!(Template::new(t).render(vars), render(t, vars));
        let unit: Vars<'_> = &[("unit", &"characters"), ("max", &1)];
        assert_eq!(
            Template::new(t).render_with(vars, unit),
            "`text` is at most 2000 characters {literal}"
        );
        assert_eq!(render("open { brace", vars), "open { brace");
        assert_eq!(
            pieces("a{b}").collect::<Vec<_>>(),
            [Piece::Text("a"), Piece::Var("b")]
        );
        assert_eq!(
            pieces("x{y").collect::<Vec<_>>(),
            [Piece::Text("x"), Piece::Unclosed("{y")]
        );
    }
}
