//! Message templates: text with `{placeholder}`s, `{{` and `}}` for literal
//! braces. A placeholder with no value stays as written.

use std::fmt::{self, Write as _};

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
    for piece in pieces(template) {
        push_piece(&mut out, piece, vars, &[]);
    }
    out
}

fn push_piece(out: &mut String, piece: Piece<'_>, vars: Vars<'_>, more: Vars<'_>) {
    match piece {
        Piece::Text(t) | Piece::Unclosed(t) => out.push_str(t),
        Piece::Var(name) => match vars.iter().chain(more).find(|(n, _)| *n == name) {
            // Writing to a String cannot fail.
            Some((_, v)) => {
                let _ = write!(out, "{v}");
            }
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        },
    }
}

/// A template split once, for rendering many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<(bool, String)>,
    /// The length of the text alone, to size the output once.
    text_len: usize,
}

impl Template {
    /// Splits `template`.
    pub fn new(template: &str) -> Template {
        let pieces: Vec<(bool, String)> = pieces(template)
            .map(|p| match p {
                Piece::Text(t) | Piece::Unclosed(t) => (false, t.to_string()),
                Piece::Var(v) => (true, v.to_string()),
            })
            .collect();
        let text_len = pieces.iter().filter(|p| !p.0).map(|p| p.1.len()).sum();
        Template { pieces, text_len }
    }

    /// Renders the template with `vars`.
    pub fn render(&self, vars: Vars<'_>) -> String {
        self.render_with(vars, &[])
    }

    /// Renders the template with `vars`, then `more` for the names `vars`
    /// does not give.
    pub fn render_with(&self, vars: Vars<'_>, more: Vars<'_>) -> String {
        let mut out = String::with_capacity(self.text_len + 64);
        for (var, text) in &self.pieces {
            let piece = if *var {
                Piece::Var(text)
            } else {
                Piece::Text(text)
            };
            push_piece(&mut out, piece, vars, more);
        }
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
