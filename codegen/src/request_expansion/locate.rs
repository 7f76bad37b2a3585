//! From a violation's JSON pointer back to the tokens it is about, so that
//! each compile error lands on the key or value the rule reads.

use proc_macro2::Span;
use sendapi_spec::{RuleKind, Violation};

use super::parse::Node;

/// The compile error for one violation.
pub fn diagnostic(body: &Node, violation: &Violation) -> syn::Error {
    syn::Error::new(
        span_of(body, violation),
        format!(
            "[{}] {}\n help: {}\n doc: {}",
            violation.rule, violation.message, violation.fix, violation.doc
        ),
    )
}

/// The tokens a violation is about: the key for unknown keys, the value
/// otherwise.
pub fn span_of(body: &Node, violation: &Violation) -> Span {
    let on_key = matches!(violation.kind, RuleKind::UnknownField | RuleKind::OpenField);
    locate(body, &violation.pointer, on_key)
}

/// The span a violation at `pointer` belongs on: the key for unknown keys,
/// the value otherwise; the deepest node the pointer reaches.
fn locate(body: &Node, pointer: &str, on_key: bool) -> Span {
    let mut node = body;
    let mut key_span = None;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        match node {
            Node::Object { entries, .. } => match entries.iter().find(|e| e.key == segment) {
                Some(e) => {
                    key_span = Some(e.key_span);
                    node = &e.value;
                }
                None => return node.span(),
            },
            Node::Array { items, .. } => {
                match segment.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    Some(item) => {
                        key_span = None;
                        node = item;
                    }
                    None => return node.span(),
                }
            }
            _ => return node.span(),
        }
    }
    match (on_key, key_span) {
        (true, Some(k)) => k,
        _ => node.span(),
    }
}
