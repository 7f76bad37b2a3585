//! Small helpers shared by the generators.

use proc_macro2::{Ident, Span};
use sendapi_core::is_keyword;
#[cfg(feature = "bindings")]
use {
    crate::shapes::{Docs, RTy},
    proc_macro2::TokenStream,
    quote::quote,
    sendapi_spec::Prim,
    sendapi_spec::model::Status,
};

/// An identifier; raw when it is a keyword.
pub fn ident(s: &str) -> Ident {
    if is_keyword(s) {
        Ident::new_raw(s, Span::call_site())
    } else {
        Ident::new(s, Span::call_site())
    }
}

/// `UpperCamel` to `snake_case`.
pub fn snake(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if i > 0 && (prev_lower || (next_lower && chars[i - 1].is_ascii_uppercase())) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(*c);
        }
    }
    out
}

/// A rule id as a static's name: `message.text.max_len` -> `MESSAGE_TEXT_MAX_LEN`.
pub fn rule_static(id: &str) -> Ident {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    ident(&s)
}

/// The path to the hidden runtime module.
#[cfg(feature = "bindings")]
pub fn private() -> TokenStream {
    quote!(::sendapi::__private)
}

/// The Rust type of a field, without `Option`.
#[cfg(feature = "bindings")]
pub fn rty(t: &RTy) -> TokenStream {
    let p = private();
    match t {
        RTy::Prim(Prim::String | Prim::Id | Prim::StringOrNumber) => quote!(#p::String),
        RTy::Prim(Prim::Bool) => quote!(bool),
        RTy::Prim(Prim::Number) => quote!(#p::Number),
        RTy::Prim(Prim::Integer) => quote!(i64),
        RTy::Prim(Prim::Json) => quote!(#p::Value),
        RTy::Named(n) => {
            let i = ident(n);
            quote!(#i)
        }
        RTy::Boxed(n) => {
            let i = ident(n);
            quote!(#p::Box<#i>)
        }
        RTy::Vec(t) => {
            let inner = rty(t);
            quote!(#p::Vec<#inner>)
        }
    }
}

/// Rustdoc attributes for an item.
#[cfg(feature = "bindings")]
pub fn doc_attrs(d: &Docs, extra: &[String]) -> TokenStream {
    let mut lines: Vec<String> = vec![d.doc.clone()];
    for e in extra {
        lines.push(String::new());
        lines.push(e.clone());
    }
    match d.status {
        Status::Current => {}
        Status::Deprecated => lines.push(format!(
            "\n**Deprecated by Meta**: {}.",
            d.note.as_deref().unwrap_or("see the source")
        )),
        Status::Retired => lines.push(format!(
            "\n**Retired**: {}. Graph may refuse it; `sendapi validate` warns about it.",
            d.note
                .as_deref()
                .unwrap_or("no longer in Meta's documentation")
        )),
        Status::ThirdParty => lines.push(format!(
            "\n**Documented only by third parties**: {}.",
            d.note.as_deref().unwrap_or("not on Meta's pages")
        )),
        Status::Unconfirmed => lines.push(format!(
            "\n**Unconfirmed**: {}.",
            d.note.as_deref().unwrap_or("no confirmed semantics")
        )),
        Status::Transport => {}
    }
    if let Some(ps) = &d.platforms {
        let names: Vec<&str> = ps.iter().map(|p| p.display_name()).collect();
        lines.push(format!("\nAvailable on {} only.", names.join(" and ")));
    }
    if let Some(s) = &d.since {
        lines.push(format!("\nSince {s}."));
    }
    if !d.source.is_empty() {
        lines.push(format!("\nSource: <{}>", d.source));
    }
    doc(&lines.join("\n"))
}

/// `#[doc]` attributes for `text`: one per line, each after a space, as
/// `/// text` writes them (prettyplease prints a multi-line `#[doc]` as a
/// `/** */` block, and one without the space as `///text`).
#[cfg(feature = "bindings")]
pub fn doc(text: &str) -> TokenStream {
    let docs = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#docs)*)
}

/// Names generated next to the spec's types, which the spec may not use.
#[cfg(feature = "bindings")]
pub const RESERVED: &[&str] = &[
    "Request",
    "RequestBuilder",
    "Sent",
    "AnyResponse",
    "Platform",
    "Messenger",
    "Instagram",
    "Invalid",
];

/// The struct generated for a keyed variant: `{Variant}{Type}`.
pub fn variant_struct(owner: &str, variant: &str) -> String {
    format!("{variant}{owner}")
}
