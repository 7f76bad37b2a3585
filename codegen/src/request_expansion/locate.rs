//! From a violation's JSON pointer back to the tokens it is about, so that
//! each compile error lands on the key or value the rule reads.

use proc_macro2::Span;
use sendapi_spec::{Check, RuleKind, Seg, Spec, Test, Violation};

use super::parse::Node;

/// The compile error for one violation.
pub fn diagnostic(body: &Node, violation: &Violation) -> syn::Error {
    error_at(span_of(body, violation), violation)
}

/// The compile error for one violation, placed with its rule's help: a
/// count over the maximum underlines the first item too many, and a
/// `requires` rule whose condition holds underlines the value that fails
/// it (the URL, not `"messenger_extensions": true`).
pub fn diagnostic_in(spec: &Spec, body: &Node, violation: &Violation) -> syn::Error {
    let span = spec
        .rule(&violation.rule)
        .and_then(|rule| span_by_rule(body, violation, &rule.check))
        .unwrap_or_else(|| span_of(body, violation));
    error_at(span, violation)
}

fn span_by_rule(body: &Node, violation: &Violation, check: &Check) -> Option<Span> {
    let node = node_at(body, &violation.pointer)?;
    match (check, node) {
        (Check::Items(b), Node::Array { items, .. }) => {
            let max = usize::try_from(b.max?).ok()?;
            items.get(max).map(Node::span)
        }
        (Check::Requires(imp), _) if !matches!(imp.then.test, Test::Present(_)) => {
            // The pointer names the value of the condition (`when`); the
            // object the rule is on is that many keys up, and the failing
            // value is `then`'s, from there.
            let mut object = violation.pointer.as_str();
            for _ in &imp.when.path.segs {
                object = object.rsplit_once('/')?.0;
            }
            let mut at = node_at(body, object)?;
            for seg in &imp.then.path.segs {
                let Seg::Key(key) = seg else { return None };
                at = at.present(key)?;
            }
            Some(at.span())
        }
        _ => None,
    }
}

/// The node a pointer names, if the body has it.
fn node_at<'a>(body: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut node = body;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        node = match node {
            Node::Object { entries, .. } => &entries.iter().find(|e| e.key == segment)?.value,
            Node::Array { items, .. } => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn error_at(span: Span, violation: &Violation) -> syn::Error {
    syn::Error::new(
        span,
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
