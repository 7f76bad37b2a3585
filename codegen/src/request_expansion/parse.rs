//! The `request!` grammar: JSON written as Rust tokens, parsed into [`Node`]s
//! that keep the span of every key and value.

use std::collections::HashSet;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use sendapi_spec::{OPAQUE, Platform};
use serde_json::Value;

use super::Errors;

/// A parsed value of a `request!` body.
#[derive(Debug, Clone)]
pub enum Node {
    /// `{ "key": value, … }`.
    Object {
        /// The braces.
        span: Span,
        /// Entries in order.
        entries: Vec<Entry>,
    },
    /// `[ value, … ]`.
    Array {
        /// The brackets.
        span: Span,
        /// Items.
        items: Vec<Node>,
    },
    /// A JSON scalar literal.
    Scalar {
        /// The literal.
        span: Span,
        /// Its value.
        value: Value,
    },
    /// A Rust expression.
    Expr {
        /// Its first token.
        span: Span,
        /// The tokens.
        tokens: TokenStream,
    },
}

/// An object entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// The key's span.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The span of the whole value.
    pub fn span(&self) -> Span {
        match self {
            Node::Object { span, .. }
            | Node::Array { span, .. }
            | Node::Scalar { span, .. }
            | Node::Expr { span, .. } => *span,
        }
    }

    /// The JSON the engine checks, with [`OPAQUE`] for expressions.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Object { entries, .. } => Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_value()))
                    .collect(),
            ),
            Node::Array { items, .. } => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Scalar { value, .. } => value.clone(),
            Node::Expr { .. } => Value::String(OPAQUE.to_string()),
        }
    }

    /// The entry under `key`, when this is an object that has one.
    pub(super) fn entry(&self, key: &str) -> Option<&Entry> {
        match self {
            Node::Object { entries, .. } => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The value under `key` unless it is absent or an explicit `null`.
    pub(super) fn present(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value).filter(|v| {
            !matches!(
                v,
                Node::Scalar {
                    value: Value::Null,
                    ..
                }
            )
        })
    }
}

/// The invocation: an optional platform and the body.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The platform written before the body, else messenger.
    pub platform: Platform,
    /// Whether the platform was written (`instagram,`) rather than implied.
    pub platform_written: bool,
    /// The body.
    pub body: Node,
}

/// Parses `[platform ,] { … }`.
pub fn parse(input: TokenStream) -> Result<Invocation, syn::Error> {
    let (invocation, errors) = parse_partial(input)?;
    match errors {
        Some(e) => Err(e),
        None => Ok(invocation),
    }
}

/// Parses `[platform ,] { … }`, recovering from errors inside the body:
/// the body as far as it parses, with the syntax errors met on the way.
/// `Err` when there is no body to check at all.
pub fn parse_partial(input: TokenStream) -> Result<(Invocation, Option<syn::Error>), syn::Error> {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let mut errors = Errors::default();
    let (platform, platform_written, rest) = match tokens.as_slice() {
        [TokenTree::Ident(i), TokenTree::Punct(c), rest @ ..] if c.as_char() == ',' => {
            let platform = match i.to_string().as_str() {
                "messenger" => Platform::Messenger,
                "instagram" => Platform::Instagram,
                other => {
                    return Err(syn::Error::new(
                        i.span(),
                        format!(
                            "unknown platform `{other}`: write `messenger` or `instagram` before the body"
                        ),
                    ));
                }
            };
            (platform, true, rest)
        }
        rest => (Platform::Messenger, false, rest),
    };
    let body = match rest {
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace => {
            parse_object(g.stream(), g.span(), &mut errors)
        }
        [] => {
            return Err(syn::Error::new(
                Span::call_site(),
                "expected a request body: `request!({ \"recipient\": { \"id\": \"…\" }, \"messaging_type\": \"RESPONSE\", \"message\": { \"text\": \"…\" } })`",
            ));
        }
        other => {
            return Err(syn::Error::new(
                other[0].span(),
                "expected `{` opening the request body (optionally after `messenger,` or `instagram,`)",
            ));
        }
    };
    Ok((
        Invocation {
            platform,
            platform_written,
            body,
        },
        errors.0,
    ))
}

/// Whether `tokens` is one JSON value on its own: a literal, `{…}`, `[…]`,
/// `true`, `false`, `null` or a negated number.
fn is_single_value(tokens: &[TokenTree]) -> bool {
    match tokens {
        [TokenTree::Literal(_) | TokenTree::Group(_)] => true,
        [TokenTree::Ident(i)] => i == "true" || i == "false" || i == "null",
        [TokenTree::Punct(m), TokenTree::Literal(_)] => m.as_char() == '-',
        _ => false,
    }
}

/// Where a value's tokens run into the next `"key":` because a comma is
/// missing: the index of that key in `tokens`.
fn missing_comma_in_object(tokens: &[TokenTree]) -> Option<usize> {
    (1..tokens.len().saturating_sub(1)).find(|&k| {
        matches!(&tokens[k], TokenTree::Literal(l) if l.to_string().starts_with('"'))
            && matches!(&tokens[k + 1], TokenTree::Punct(p) if p.as_char() == ':')
            && is_single_value(&tokens[..k])
    })
}

/// The error for a missing comma before `next`.
fn missing_comma(next: &TokenTree, what: &str) -> syn::Error {
    syn::Error::new(
        next.span(),
        format!("expected `,` before {what}: JSON separates entries with commas"),
    )
}

/// The token runs between top-level commas; a trailing comma leaves an
/// empty last run.
fn split_commas(stream: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut parts = vec![Vec::new()];
    for tt in stream {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => parts.push(Vec::new()),
            _ => parts.last_mut().expect("never empty").push(tt),
        }
    }
    parts
}

/// One value: `{…}`, `[…]`, a JSON literal, or else a Rust expression.
/// `at` is where an empty value is reported.
fn parse_value(tokens: &[TokenTree], at: Span, errors: &mut Errors) -> Option<Node> {
    match tokens {
        [] => {
            errors.push(syn::Error::new(
                at,
                "expected a value: a JSON literal, `{…}`, `[…]` or a Rust expression",
            ));
            None
        }
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace => {
            Some(parse_object(g.stream(), g.span(), errors))
        }
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Bracket => {
            Some(parse_array(g.stream(), g.span(), errors))
        }
        [TokenTree::Ident(i)] if i == "true" || i == "false" || i == "null" => Some(Node::Scalar {
            span: i.span(),
            value: match i.to_string().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Null,
            },
        }),
        [TokenTree::Literal(l)] => scalar_or_expr(tokens, l.span(), l.span(), false, errors),
        [TokenTree::Punct(minus), TokenTree::Literal(l)] if minus.as_char() == '-' => {
            scalar_or_expr(tokens, l.span(), minus.span(), true, errors)
        }
        _ => Some(Node::Expr {
            span: tokens[0].span(),
            tokens: tokens.iter().cloned().collect(),
        }),
    }
}

/// A (possibly negated) literal: a JSON scalar when it is one, an
/// expression when it is another Rust literal, nothing after an error.
fn scalar_or_expr(
    tokens: &[TokenTree],
    literal_span: Span,
    expr_span: Span,
    negative: bool,
    errors: &mut Errors,
) -> Option<Node> {
    let Some(TokenTree::Literal(literal)) = tokens.last() else {
        return None;
    };
    match json_scalar(literal, negative) {
        Some(Ok(value)) => Some(Node::Scalar {
            span: literal_span,
            value,
        }),
        Some(Err(e)) => {
            errors.push(syn::Error::new(literal_span, e));
            None
        }
        None => Some(Node::Expr {
            span: expr_span,
            tokens: tokens.iter().cloned().collect(),
        }),
    }
}

/// A JSON scalar from a Rust literal: `None` when the literal is not one
/// (a char, a byte string: an expression then). Read by `syn::Lit::new`
/// from the token itself: `syn::parse_str` would lex its text again, a
/// round trip through the compiler per literal in a proc macro.
fn json_scalar(literal: &proc_macro2::Literal, negative: bool) -> Option<Result<Value, String>> {
    if let (false, Some(text)) = (negative, plain_str(literal)) {
        return Some(Ok(Value::String(text)));
    }
    let sign = if negative { "-" } else { "" };
    Some(match syn::Lit::new(literal.clone()) {
        syn::Lit::Str(_) if negative => Err("a string cannot be negated".into()),
        syn::Lit::Str(s) if s.suffix().is_empty() => Ok(Value::String(s.value())),
        syn::Lit::Str(_) => Err("a JSON string takes no suffix".into()),
        syn::Lit::Int(i) if i.suffix().is_empty() => {
            json_integer(&format!("{sign}{}", i.base10_digits()))
        }
        syn::Lit::Float(f) if f.suffix().is_empty() => {
            json_float(&format!("{sign}{}", f.base10_digits()))
        }
        syn::Lit::Int(_) | syn::Lit::Float(_) => {
            Err("a JSON number takes no type suffix (write `1`, not `1u8`)".into())
        }
        syn::Lit::Verbatim(v) if v.to_string().starts_with('"') => {
            Err(format!("not a string literal: `{v}`"))
        }
        _ => return None,
    })
}

fn json_integer(digits: &str) -> Result<Value, String> {
    match digits.parse::<i64>() {
        Ok(n) => Ok(Value::from(n)),
        Err(_) => match digits.parse::<u64>() {
            Ok(n) => Ok(Value::from(n)),
            Err(_) => Err(format!(
                "the number {digits} does not fit in 64 bits; write it as a string if it is an id"
            )),
        },
    }
}

fn json_float(text: &str) -> Result<Value, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => serde_json::Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| format!("the number {text} is not a JSON number")),
        _ => Err(format!("the number {text} is out of range")),
    }
}

fn parse_array(stream: TokenStream, span: Span, errors: &mut Errors) -> Node {
    let mut items = Vec::new();
    let parts = split_commas(stream);
    let last = parts.len() - 1;
    for (i, part) in parts.into_iter().enumerate() {
        if part.is_empty() && i == last {
            continue;
        }
        // `{…} {…}`: items with no comma between them.
        if part.len() > 1
            && part.iter().all(
                |t| matches!(t, TokenTree::Group(g) if g.delimiter() != Delimiter::Parenthesis),
            )
        {
            errors.push(missing_comma(&part[1], "this item"));
            for t in &part {
                if let Some(v) = parse_value(std::slice::from_ref(t), span, errors) {
                    items.push(v);
                }
            }
            continue;
        }
        if let Some(v) = parse_value(&part, span, errors) {
            items.push(v);
        }
    }
    Node::Array { span, items }
}

fn parse_object(stream: TokenStream, span: Span, errors: &mut Errors) -> Node {
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let parts = split_commas(stream);
    let last = parts.len() - 1;
    for (i, part) in parts.into_iter().enumerate() {
        if part.is_empty() {
            if i != last {
                errors.push(syn::Error::new(
                    span,
                    "expected `\"key\": value` between these commas",
                ));
            }
            continue;
        }
        let mut rest: &[TokenTree] = &part;
        // Each round reads one entry; a missing comma leaves the next
        // entry in the same run, read in the next round.
        while !rest.is_empty() {
            let Some((key, key_span)) = parse_key(rest, errors) else {
                break;
            };
            let mut value_tokens = &rest[2..];
            let mut next: &[TokenTree] = &[];
            if let Some(k) = missing_comma_in_object(value_tokens) {
                errors.push(missing_comma(&value_tokens[k], "the next key"));
                next = &value_tokens[k..];
                value_tokens = &value_tokens[..k];
            }
            if !seen.insert(key.clone()) {
                errors.push(syn::Error::new(
                    key_span,
                    format!("duplicate key \"{key}\": JSON bodies take each key once; remove one"),
                ));
            } else if let Some(value) = parse_value(value_tokens, key_span, errors) {
                entries.push(Entry {
                    key,
                    key_span,
                    value,
                });
            }
            rest = next;
        }
    }
    Node::Object { span, entries }
}

/// The value of a plain string literal, `"…"` with no escape and no
/// suffix, read from its text; `None` for any other literal. Most keys and
/// strings of a body are plain, and syn's reading of a literal, which
/// handles every form, costs far more in the debug build a macro runs in.
fn plain_str(literal: &proc_macro2::Literal) -> Option<String> {
    let text = literal.to_string();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['\\', '"', '\r'])).then(|| inner.to_string())
}

/// The `"key":` that opens an object entry.
fn parse_key(part: &[TokenTree], errors: &mut Errors) -> Option<(String, Span)> {
    let (key, key_span) = match &part[0] {
        TokenTree::Literal(l) => match plain_str(l) {
            Some(key) => (key, l.span()),
            None => match syn::Lit::new(l.clone()) {
                syn::Lit::Str(s) => (s.value(), l.span()),
                _ => {
                    errors.push(syn::Error::new(
                        l.span(),
                        "keys are string literals: write `\"key\": value`",
                    ));
                    return None;
                }
            },
        },
        other => {
            let hint = match other {
                TokenTree::Ident(i) => format!("; write `\"{i}\"`"),
                _ => String::new(),
            };
            errors.push(syn::Error::new(
                other.span(),
                format!("keys are string literals{hint}"),
            ));
            return None;
        }
    };
    match part.get(1) {
        Some(TokenTree::Punct(p)) if p.as_char() == ':' => Some((key, key_span)),
        other => {
            errors.push(syn::Error::new(
                other.map_or(key_span, TokenTree::span),
                format!("expected `:` after the key \"{key}\""),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain_str;

    /// The quick reading agrees with syn's wherever it answers, and leaves
    /// escapes, suffixes and other literal forms to syn.
    #[test]
    fn a_plain_string_reads_as_syn_reads_it() {
        let literal = |text: &str| match text.parse::<proc_macro2::TokenStream>() {
            Ok(tokens) => match tokens.into_iter().next() {
                Some(proc_macro2::TokenTree::Literal(l)) => l,
                other => panic!("{text}: not a literal: {other:?}"),
            },
            Err(e) => panic!("{text}: {e}"),
        };
        for text in [
            r#""""#,
            r#""RESPONSE""#,
            r#""Leave a review ✓""#,
            "\"two\nlines\"",
        ] {
            let l = literal(text);
            let syn::Lit::Str(by_syn) = syn::Lit::new(l.clone()) else {
                panic!("{text}: not a string")
            };
            assert_eq!(plain_str(&l), Some(by_syn.value()), "{text}");
        }
        for text in [
            r#""a\"b""#,
            r#""tab\t""#,
            r#""x"suffix"#,
            r##"r"raw""##,
            r#"b"bytes""#,
            "7",
            "'c'",
        ] {
            assert_eq!(plain_str(&literal(text)), None, "{text}");
        }
    }
}
