//! `#[derive(sendapi::Message)]`.
//!
//! `sendapi_codegen::derive` reads the attributes into one `request!` body
//! per arm, whose field values are expressions reading `self`; this module
//! runs each body through the same check and build as `request!`. So every
//! attribute is checked against the spec's rules, each error lands on the
//! attribute or field it comes from, and all of them come out in one compile.

use std::sync::Arc;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use sendapi_codegen::derive::{Diagnostics, Message, Vocabulary, Written};
use sendapi_codegen::request_expansion::{Bindings, build_body, diagnostic};
use sendapi_spec::Platform;
use syn::DeriveInput;

use crate::Loaded;

pub fn expand(input: DeriveInput) -> Result<TokenStream, syn::Error> {
    let errors = Diagnostics::default();
    let name = &input.ident;
    let container_written = sendapi_codegen::derive::written(&errors, &input.attrs);
    let (loaded, vocabulary_source) = load(&errors, &container_written, name.span())?;
    let vocabulary = Vocabulary::of(vocabulary_source.spec())
        .map_err(|why| syn::Error::new(name.span(), why))?;
    let module_ident = format_ident!(
        "{}",
        sendapi_codegen::bundled_module(vocabulary_source.spec().name())
    );
    let module = quote!(::sendapi::#module_ident);
    let message = Message::read(
        &errors,
        &input,
        &container_written,
        &vocabulary,
        Platform::Messenger,
    );
    let (built, platform) = match &loaded {
        Some(loaded) => {
            let bindings = Bindings {
                spec: loaded.spec(),
                shapes: &loaded.shapes,
                engine: loaded.engine(),
                module: module.clone(),
            };
            check_and_build(&errors, &bindings, &message)
        }
        None => (Vec::new(), Platform::Messenger),
    };
    let implementation = Implementation {
        input: &input,
        module: &module,
        vocabulary: &vocabulary,
        platform,
    };
    Ok(match errors.take() {
        Some(e) => implementation.stub(&e),
        None => implementation.with_arms(&built),
    })
}

/// The snapshot the attributes name (`None` after an error), and the spec
/// to read the attributes by: that snapshot, else the latest.
fn load(
    errors: &Diagnostics,
    container: &[Written],
    name_span: Span,
) -> Result<(Option<Arc<Loaded>>, Arc<Loaded>), syn::Error> {
    let snapshot = sendapi_codegen::derive::snapshot(container);
    let (name, span) = snapshot
        .as_ref()
        .map_or(("latest", name_span), |a| (a.value.as_str(), a.span));
    match crate::bundled(name) {
        Ok(loaded) => Ok((Some(loaded.clone()), loaded)),
        Err(_) => {
            let mut names: Vec<String> = sendapi_spec::BUNDLED
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect();
            let last = names.pop().unwrap_or_default();
            errors.error(
                span,
                format!(
                    "unknown snapshot `{name}`; use {}, {last} or \"latest\"",
                    names.join(", ")
                ),
            );
            let latest = crate::bundled("latest").map_err(|e| syn::Error::new(span, e))?;
            Ok((None, latest))
        }
    }
}

/// Checks each arm's body with the engine and builds it: the built arms and
/// the platform they share.
fn check_and_build(
    errors: &Diagnostics,
    bindings: &Bindings<'_>,
    message: &Message<'_>,
) -> (Vec<(TokenStream, TokenStream)>, Platform) {
    let mut built = Vec::new();
    let platform = message.bodies(errors, |arm| {
        let report = bindings
            .engine
            .validate_literal(&arm.body.to_value(), arm.platform);
        let mut failed = false;
        for violation in report.errors() {
            failed = true;
            let e = diagnostic(&arm.body, violation);
            errors.error(e.span(), e);
        }
        if failed {
            return;
        }
        match build_body(&arm.body, bindings) {
            Ok(tokens) => built.push((arm.pattern, tokens)),
            Err(e) => errors.error(e.span(), e),
        }
    });
    (built, platform)
}

/// The impl the derive emits.
struct Implementation<'a> {
    input: &'a DeriveInput,
    module: &'a TokenStream,
    vocabulary: &'a Vocabulary<'a>,
    platform: Platform,
}

impl Implementation<'_> {
    /// `impl Message for … { <items> }`, with the associated types.
    fn wrap(&self, items: TokenStream) -> TokenStream {
        let name = &self.input.ident;
        let module = self.module;
        let (impl_generics, ty_generics, where_clause) = self.input.generics.split_for_impl();
        let request = self.request_type();
        let recipient = format_ident!("{}", self.vocabulary.recipient_type);
        quote! {
            const _: () = {
                #[automatically_derived]
                impl #impl_generics ::sendapi::Message for #name #ty_generics #where_clause {
                    type Request = #request;
                    type Recipient = #module::#recipient;
                    #items
                }
            };
        }
    }

    fn request_type(&self) -> TokenStream {
        let module = self.module;
        let platform = match self.platform {
            Platform::Messenger => quote!(::sendapi::Messenger),
            Platform::Instagram => quote!(::sendapi::Instagram),
        };
        let kind = format_ident!("{}", self.vocabulary.message_variant);
        quote!(#module::Request<#platform, #module::form::Any, #module::kind::#kind>)
    }

    /// The errors and a stub impl, so that uses of the trait report nothing
    /// more.
    fn stub(&self, errors: &syn::Error) -> TokenStream {
        let errors = errors.to_compile_error();
        let items = quote! {
            fn to_request(&self, recipient: Self::Recipient) -> Self::Request {
                ::core::mem::drop(recipient);
                ::sendapi::__private::stub()
            }
        };
        let implementation = self.wrap(items);
        quote!(#errors #implementation)
    }

    fn with_arms(&self, built: &[(TokenStream, TokenStream)]) -> TokenStream {
        let request = self.request_type();
        let arms = built.iter().map(|(pat, body)| quote!(#pat => #body,));
        self.wrap(quote! {
            #[allow(unused_variables, clippy::clone_on_copy)]
            fn to_request(&self, recipient: Self::Recipient) -> Self::Request {
                let __sendapi_body = match self {
                    #(#arms)*
                };
                <#request>::__from_parts(__sendapi_body)
            }
        })
    }
}
