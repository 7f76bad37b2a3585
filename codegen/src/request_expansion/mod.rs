//! The expansion of `request!`: JSON written as Rust tokens, checked by the
//! rule engine at expansion, built into the snapshot's typed request.
//!
//! Grammar: `[messenger | instagram ,] { … }`. `{` and `[` open a JSON object
//! and array; keys are string literals; `true`, `false`, `null`, number and
//! string literals are JSON values; trailing commas are accepted; duplicate
//! keys are an error. Any other token sequence in a value position is a Rust
//! expression (parenthesize one that has a top-level comma). The body is
//! checked with every literal known and each expression standing for an
//! unknown value of its position's type; `validate()` checks the rest at run
//! time.
//!
//! The steps, one module each: `parse` reads the tokens into
//! [`Node`]s, the engine checks their JSON, `locate` puts each violation
//! on the tokens its pointer names, and `build` writes the typed value.
//! This is an ordinary library so that tests and the fuzzer call it
//! directly; `sendapi-macros` is a thin proc-macro shell around it.

mod build;
mod locate;
mod parse;

use proc_macro2::TokenStream;
use quote::quote;
use sendapi_spec::{Engine, Platform, Spec};

use crate::shapes::{RTy, ShapeKind, Shapes};
use crate::util::ident;
use build::Builder;

pub use locate::{diagnostic, diagnostic_in, span_of};
pub use parse::{Entry, Invocation, Node, parse, parse_partial};

/// The generated bindings a `request!` body expands into: the spec they
/// were generated from, its shapes and compiled engine, and the path of the
/// module holding them.
#[derive(Debug)]
pub struct Bindings<'a> {
    /// The spec.
    pub spec: &'a Spec,
    /// Its shapes.
    pub shapes: &'a Shapes,
    /// Its compiled engine.
    pub engine: &'a Engine,
    /// Absolute path to the bindings module (`::sendapi::v26`).
    pub module: TokenStream,
}

/// Every error of one expansion, reported together.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    /// `value` when nothing went wrong, else every error.
    fn into_result<T>(self, value: T) -> Result<T, syn::Error> {
        match self.0 {
            Some(e) => Err(e),
            None => Ok(value),
        }
    }
}

/// Checks and builds a `request!` body: the typed request, or every compile
/// error at once followed by a stub of the same type, so that code using the
/// result reports no follow-on errors.
pub fn expand(input: TokenStream, bindings: &Bindings<'_>) -> TokenStream {
    expand_parsed(Parsed::new(input), bindings)
}

/// A `request!` body read from its tokens, with its JSON: what needs no
/// spec, so that a first expansion can read it while the spec loads. It may
/// also be built ahead of its check ([`Parsed::build_ahead`]).
#[derive(Debug)]
pub struct Parsed {
    read: Result<(Invocation, Option<syn::Error>, serde_json::Value), syn::Error>,
    /// The typed value built before the check, used when the check passes.
    built: Option<Result<TokenStream, syn::Error>>,
}

impl Parsed {
    /// Reads a body as [`parse_partial`] does.
    pub fn new(input: TokenStream) -> Parsed {
        Parsed {
            read: parse_partial(input).map(|(invocation, syntax)| {
                let value = invocation.body.to_value();
                (invocation, syntax, value)
            }),
            built: None,
        }
    }

    /// Builds the typed value now, from the shapes alone, for
    /// [`expand_parsed`] to use if the body passes its check: a first
    /// expansion builds while the engine that checks it is compiled. A body
    /// with syntax errors is not built; neither is a body whose building
    /// panics, left to build after its check as before.
    pub fn build_ahead(&mut self, shapes: &Shapes, module: &TokenStream) {
        if let Ok((invocation, None, _)) = &self.read {
            let build = || Builder::new(shapes, module).root(&invocation.body);
            self.built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)).ok();
        }
    }
}

/// [`expand`] of a body already read.
pub fn expand_parsed(parsed: Parsed, bindings: &Bindings<'_>) -> TokenStream {
    let module = &bindings.module;
    let (invocation, syntax, value) = match parsed.read {
        Ok(parsed) => parsed,
        Err(e) => {
            let type_state = TypeState {
                platform: Platform::Messenger,
                form: quote!(#module::form::Any),
                kind: quote!(#module::kind::Either),
            };
            return type_state.stub(module, e);
        }
    };
    let type_state = TypeState::of(bindings, &invocation);
    let report = bindings
        .engine
        .validate_literal(&value, invocation.platform);
    let mut errors = Errors::default();
    let broken = syntax.is_some();
    if let Some(e) = syntax {
        errors.push(e);
    }
    let violations: Vec<&sendapi_spec::Violation> = report.errors().collect();
    for violation in &violations {
        if follows_on(violation, &violations, broken) {
            continue;
        }
        errors.push(diagnostic_in(bindings.spec, &invocation.body, violation));
    }
    let built = errors.into_result(()).and_then(|()| match parsed.built {
        Some(built) => built,
        None => build_body(&invocation.body, bindings),
    });
    match built {
        Ok(body) => {
            let request = type_state.request_type(module);
            quote!(#request::__from_parts(#body))
        }
        Err(e) => type_state.stub(module, e),
    }
}

/// Whether `v` only follows from another mistake: something found missing
/// in an object that has an unknown key (the key was likely meant to be
/// the missing one, as `"mesage"` for `message`), or anywhere in a body
/// whose syntax errors dropped entries.
fn follows_on(v: &sendapi_spec::Violation, all: &[&sendapi_spec::Violation], broken: bool) -> bool {
    use sendapi_spec::RuleKind;
    let about_absence = matches!(
        v.kind,
        RuleKind::Required | RuleKind::ExactlyOneOf | RuleKind::AtLeastOneOf | RuleKind::Requires
    );
    if !about_absence {
        return false;
    }
    if broken {
        return true;
    }
    let parent = |p: &str| {
        p.rsplit_once('/')
            .map_or(String::new(), |(head, _)| head.to_string())
    };
    all.iter()
        .filter(|u| u.kind == RuleKind::UnknownField)
        .any(|u| {
            let object = parent(&u.pointer);
            v.pointer == object || (v.kind == RuleKind::Requires && parent(&v.pointer) == object)
        })
}

/// Builds the root body of a checked node (for `#[derive(Message)]`).
pub fn build_body(node: &Node, bindings: &Bindings<'_>) -> Result<TokenStream, syn::Error> {
    Builder::new(bindings.shapes, &bindings.module).root(node)
}

/// The type parameters of the typed request a body builds.
struct TypeState {
    platform: Platform,
    /// The recipient form (`form::Id`), `form::Any` when not literal.
    form: TokenStream,
    /// The body kind (`kind::Message`), `kind::Either` when unknown.
    kind: TokenStream,
}

impl TypeState {
    fn of(bindings: &Bindings<'_>, invocation: &Invocation) -> TypeState {
        let module = &bindings.module;
        let body = &invocation.body;
        let (form, kind) = match root_variants(bindings) {
            Some(variants) => (
                recipient_form(bindings, variants, body),
                variants
                    .iter()
                    .find(|v| body.present(&v.key).is_some())
                    .map(|v| {
                        let kind = ident(&v.rust);
                        quote!(#module::kind::#kind)
                    }),
            ),
            None => (None, None),
        };
        TypeState {
            platform: invocation.platform,
            form: form.unwrap_or_else(|| quote!(#module::form::Any)),
            kind: kind.unwrap_or_else(|| quote!(#module::kind::Either)),
        }
    }

    fn request_type(&self, module: &TokenStream) -> TokenStream {
        let platform = match self.platform {
            Platform::Messenger => quote!(::sendapi::Messenger),
            Platform::Instagram => quote!(::sendapi::Instagram),
        };
        let (form, kind) = (&self.form, &self.kind);
        quote!(#module::Request::<#platform, #form, #kind>)
    }

    /// Every error, then a stub of the request type.
    fn stub(&self, module: &TokenStream, errors: syn::Error) -> TokenStream {
        let errors = errors.to_compile_error();
        let request = self.request_type(module);
        quote!({
            #errors
            #request::__from_parts(::sendapi::__private::stub())
        })
    }
}

/// The variants of the root type, when it is a keyed union.
fn root_variants<'b>(bindings: &'b Bindings<'_>) -> Option<&'b [crate::shapes::KeyedVariant]> {
    match bindings.shapes.get(&bindings.shapes.root).map(|s| &s.kind) {
        Some(ShapeKind::Keyed(variants)) => Some(variants),
        _ => None,
    }
}

/// The recipient form a literal recipient picks. The recipient is the
/// required field, shared by every variant, whose type is a keyed union.
fn recipient_form(
    bindings: &Bindings<'_>,
    variants: &[crate::shapes::KeyedVariant],
    body: &Node,
) -> Option<TokenStream> {
    let shapes = bindings.shapes;
    let keyed = |name: &str| match shapes.get(name).map(|s| &s.kind) {
        Some(ShapeKind::Keyed(forms)) => Some(forms),
        _ => None,
    };
    let recipient = variants.first()?.fields.iter().find(|f| {
        !f.is_key && f.required && matches!(&f.ty, RTy::Named(n) if keyed(n).is_some())
    })?;
    let forms = keyed(recipient.ty.named()?)?;
    let recipient_node = body.present(&recipient.wire)?;
    if matches!(recipient_node, Node::Expr { .. }) {
        return None;
    }
    let form = forms
        .iter()
        .find(|v| recipient_node.present(&v.key).is_some())?;
    let module = &bindings.module;
    let form = ident(&form.rust);
    Some(quote!(#module::form::#form))
}
