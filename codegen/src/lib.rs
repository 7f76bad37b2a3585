//! The one generator of sendapi: a spec snapshot in, Rust out.
//!
//! [`generate`] returns the tokens of a module holding, for every type of the
//! spec, its definition, `Serialize`, `FromJson`/`Deserialize`, constructors
//! and setters, and `validate()`; plus the typed [`Request`] wrapper, its
//! builder, recipient forms and body kinds, and the rule table. The same
//! function serves every mode: the checked-in bundled bindings
//! (`sendapi generate`), build scripts ([`generate_file`]), and the
//! `sendapi::bindings!` macro.
//!
//! [`request_expansion`] checks and builds `request!` bodies, and [`derive`](mod@derive)
//! reads `#[derive(Message)]` types into such bodies; both are libraries so
//! that the proc-macros and `sendapi migrate` read source the same way.
//!
//! Generated code reaches the runtime only through `::sendapi::__private`
//! and `::sendapi::…` absolute paths; a `request!` expansion imports the
//! two modules it names most under short names at the top of its block
//! (`use ::sendapi::__private as __sendapi_private;`), for fewer tokens.
//!
//! The reader (`FromJson`), the checks (`Validate`), the webhook decoders
//! and the rate-class functions are `#[inline]`. Not for speed: a
//! non-generic item that is not `#[inline]` is compiled in the crate that
//! defines it whether anything calls it or not, and these are most of the
//! bindings' machine code. Inline, each is compiled where it is used, so a
//! bot that never reads a webhook does not compile the decoders.
//!
//! [`Request`]: https://docs.rs/sendapi

#![deny(missing_docs)]

#[cfg(feature = "bindings")]
mod builder;
#[cfg(feature = "bindings")]
mod check;
#[cfg(feature = "bindings")]
mod de;
pub mod derive;
pub mod request_expansion;
pub mod shapes;
#[cfg(feature = "bindings")]
mod types;
mod util;
#[cfg(feature = "bindings")]
mod webhook;

use proc_macro2::TokenStream;
use quote::quote;
#[cfg(feature = "bindings")]
use sendapi_spec::Spec;
#[cfg(feature = "bindings")]
use sendapi_spec::model::Severity;

pub use shapes::Shapes;
pub use util::{ident, rule_static, snake};

/// Why a spec cannot be turned into Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Options for [`generate`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where the spec came from, for the generated module's doc.
    pub origin: Option<String>,
    /// Which `request!` macro to emit.
    pub request_macro: RequestMacro,
    /// The command that writes the file again, byte for byte, stated in
    /// the header of [`generate_file`]'s output (`sendapi generate` gives
    /// its own command line, see [`generate_command`]).
    pub command: Option<String>,
}

/// The `request!` macro a generated module offers.
#[derive(Debug, Clone, Default)]
pub enum RequestMacro {
    /// None (build scripts, which cannot export macros by path).
    #[default]
    None,
    /// A bundled snapshot of the `sendapi` crate: `#[macro_export]`ed and
    /// re-exported as `<module>::request`.
    Bundled {
        /// Snapshot name, e.g. `v26.0`.
        snapshot: String,
        /// The module's absolute path, e.g. `::sendapi::v26`.
        module: TokenStream,
    },
    /// A spec file of the calling crate (`sendapi::bindings!`).
    Spec {
        /// Absolute path to the spec file.
        path: String,
        /// The module's path, e.g. `crate::send_api`.
        module: TokenStream,
    },
}

#[cfg(feature = "bindings")]
fn check_names(shapes: &Shapes) -> Result<(), Error> {
    let mut names = std::collections::HashSet::new();
    for t in &shapes.types {
        if util::RESERVED.contains(&t.name.as_str()) || t.name.starts_with("__") {
            return Err(Error(format!(
                "type name `{}` is reserved by the generator; rename it in the spec",
                t.name
            )));
        }
        names.insert(t.name.clone());
    }
    for t in &shapes.types {
        if let shapes::ShapeKind::Keyed(vs) = &t.kind {
            for v in vs {
                let s = util::variant_struct(&t.name, &v.rust);
                if !names.insert(s.clone()) {
                    return Err(Error(format!(
                        "the struct `{s}` generated for variant `{}` of `{}` collides with another type; rename the variant",
                        v.rust, t.name
                    )));
                }
            }
        }
    }
    Ok(())
}

#[cfg(feature = "bindings")]
fn rules_table(spec: &Spec, shapes: &Shapes) -> TokenStream {
    let p = util::private();
    let statics = spec.rules().iter().map(|r| {
        let name = rule_static(&r.id);
        let id = &r.id;
        let message = &r.message;
        let fix = &r.fix;
        let doc = spec.source_link(&r.source);
        let code = r.code;
        let subcode = match r.subcode {
            Some(s) => quote!(#p::Some(#s)),
            None => quote!(#p::None),
        };
        let severity = match r.severity {
            Severity::Error => quote!(::sendapi::Severity::Error),
            Severity::Warning => quote!(::sendapi::Severity::Warning),
        };
        let kind = r.kind().as_str();
        let d = util::doc(&format!("Rule `{id}` ({kind})."));
        quote! {
            #d
            pub static #name: ::sendapi::Rule = ::sendapi::Rule {
                id: #id,
                kind: #kind,
                severity: #severity,
                message: #message,
                fix: #fix,
                doc: #doc,
                code: #code,
                subcode: #subcode,
            };
        }
    });
    let all = spec.rules().iter().map(|r| {
        let name = rule_static(&r.id);
        quote!(&#name)
    });
    let g = &shapes.globals;
    let (u, t, e, q) = (
        rule_static(&g.unknown_field),
        rule_static(&g.type_mismatch),
        rule_static(&g.enum_value),
        rule_static(&g.required),
    );
    let checked: Vec<&str> = spec
        .rules()
        .iter()
        .filter(|r| r.severity == Severity::Error && !shapes.structural.contains(&r.id))
        .map(|r| r.id.as_str())
        .collect();
    let structural: Vec<&str> = {
        let mut v: Vec<&str> = shapes.structural.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    };
    quote! {
        /// Every rule of this snapshot, as data, for the generated code and
        /// `validate()`'s reports; not part of the API.
        #[doc(hidden)]
        pub mod __rules {
            #(#statics)*

            /// Every rule, in spec order.
            pub static ALL: &[&::sendapi::Rule] = &[#(#all),*];

            /// Error rules `validate()` checks.
            pub static CHECKED: &[&str] = &[#(#checked),*];

            /// Rules the types guarantee by construction (and the reader
            /// reports while reading a body).
            pub static STRUCTURAL: &[&str] = &[#(#structural),*];

            #[doc(hidden)]
            pub static STRUCTURE: #p::de::Rules = #p::de::Rules {
                unknown_field: &#u,
                type_mismatch: &#t,
                enum_value: &#e,
                required: &#q,
            };
        }
    }
}

#[cfg(feature = "bindings")]
const REQUEST_DOC: &str = "Builds this snapshot's typed request from a JSON body written as Rust tokens, checked at compile time.

```text
request!({ \"recipient\": { \"id\": psid }, \"messaging_type\": \"RESPONSE\", \"message\": { \"text\": \"hi\" } })
request!(instagram, { … })
```

`{` and `[` open a JSON object and array; keys are string literals; `true`, `false`, `null`, number and string literals are JSON values (strings use Rust escapes); trailing commas are accepted; a key may appear once. Any other tokens in a value position are a Rust expression of that position's type (a leaf takes `impl Into<…>`); parenthesize an expression with a top-level comma.

Every error-severity rule whose inputs are all literal is checked while compiling, and all errors come out at once, each on the offending key or value with its rule id, the reason, the fix and a \"did you mean\" for misspelled keys and values. Rules that depend on an expression's value are checked at run time by `validate()`, which `Client::send` always runs. A literal body compiles exactly when `sendapi validate` with the same snapshot and platform exits 0 on it.

The result is a `Request<P, F, K>`: the platform, the recipient form (a `user_ref` or `phone_number` recipient gives a response without `recipient_id`) and the body kind (message or sender action).";

#[cfg(feature = "bindings")]
fn request_macro(options: &Options) -> TokenStream {
    let doc = util::doc(REQUEST_DOC);
    match &options.request_macro {
        RequestMacro::None => quote!(),
        RequestMacro::Bundled { snapshot, module } => {
            let name = quote::format_ident!("__sendapi_request_{}", snapshot.replace('.', "_"));
            quote! {
                #[doc(hidden)]
                #[macro_export]
                macro_rules! #name {
                    ($($body:tt)*) => {
                        ::sendapi::__private::request_impl!{ snapshot = #snapshot, module = #module; $($body)* }
                    };
                }
                #doc
                pub use crate::#name as request;
            }
        }
        RequestMacro::Spec { path, module } => quote! {
            #[doc(hidden)]
            macro_rules! __sendapi_request {
                ($($body:tt)*) => {
                    ::sendapi::__private::request_impl!{ spec = #path, module = #module; $($body)* }
                };
            }
            #doc
            #[allow(unused_imports)]
            pub(crate) use __sendapi_request as request;
        },
    }
}

/// The module body generated from `spec`, without inner attributes (see
/// [`generate_file`] for a whole file).
#[cfg(feature = "bindings")]
#[cfg_attr(docsrs, doc(cfg(feature = "bindings")))]
pub fn generate(spec: &Spec, options: &Options) -> Result<TokenStream, Error> {
    let shapes = Shapes::new(spec);
    check_names(&shapes)?;
    let types = types::types(&shapes);
    let de = de::from_json(spec, &shapes);
    let check = check::validate(spec, &shapes);
    let request = builder::request(spec, &shapes);
    let rules = rules_table(spec, &shapes);
    let snapshot = spec.name();
    let graph = spec.graph_version();
    let as_of = spec.as_of().to_string();
    let macro_ = request_macro(options);
    let errors = errors_table(spec);
    let webhook = webhook::module(spec, options)?;
    let batch_limit = match &spec.file().snapshot.batch_limit {
        Some(n) => {
            let n = usize::try_from(*n.get_ref()).unwrap_or(usize::MAX);
            quote!(::core::option::Option::Some(#n))
        }
        None => quote!(::core::option::Option::None),
    };
    Ok(quote! {
        /// The snapshot these bindings were generated from.
        pub const SNAPSHOT: &str = #snapshot;
        /// The Graph version requests are sent to.
        pub const GRAPH_VERSION: &str = #graph;
        /// The date whose rules the snapshot describes.
        pub const AS_OF: &str = #as_of;
        /// Graph's limit of operations in one batch request, where the
        /// snapshot states one.
        pub const BATCH_LIMIT: ::core::option::Option<usize> = #batch_limit;

        #types
        #de
        #check
        #request
        #rules
        #errors
        #macro_
        #webhook
    })
}

/// The `webhook` module [`generate`] puts in a snapshot's bindings, alone:
/// typed webhook events from the spec's `[webhooks]`, or nothing when the
/// spec has no such section.
#[cfg(feature = "bindings")]
#[cfg_attr(docsrs, doc(cfg(feature = "bindings")))]
pub fn generate_webhooks(spec: &Spec, options: &Options) -> Result<TokenStream, Error> {
    webhook::module(spec, options)
}

/// The spec's error codes with their retry classes, for the client.
#[cfg(feature = "bindings")]
fn errors_table(spec: &Spec) -> TokenStream {
    use sendapi_spec::model::RetryClass;
    let p = util::private();
    let entries = spec.file().errors.iter().map(|e| {
        let code = e.code;
        let subcode = match e.subcode {
            Some(s) => quote!(#p::Some(#s)),
            None => quote!(#p::None),
        };
        let name = e.rust.get_ref();
        let doc = &e.doc;
        let retry = match e.retry {
            RetryClass::Retry => quote!(::sendapi::RetryClass::Retry),
            RetryClass::Never => quote!(::sendapi::RetryClass::Never),
            RetryClass::Ambiguous => quote!(::sendapi::RetryClass::Ambiguous),
        };
        quote!(::sendapi::ErrorCode { code: #code, subcode: #subcode, name: #name, doc: #doc, retry: #retry },)
    });
    quote! {
        /// The Graph error codes and subcodes of this snapshot, with what
        /// they mean and whether a send that got one may be retried.
        pub static ERRORS: &[::sendapi::ErrorCode] = &[#(#entries)*];
    }
}

/// The `request!` of a snapshot bundled in the `sendapi` crate, whose
/// module is `sendapi::v26` for `v26.0`.
pub fn bundled_request_macro(snapshot: &str) -> RequestMacro {
    let module = quote::format_ident!("{}", bundled_module(snapshot));
    RequestMacro::Bundled {
        snapshot: snapshot.to_string(),
        module: quote!(::sendapi::#module),
    }
}

/// The checked-in source of a snapshot bundled in the `sendapi` crate
/// (`runtime/src/generated/<module>.rs`), exactly as the command in its
/// header, `cargo run -- generate --bundled --spec <name> --out
/// runtime/src/generated/<module>.rs`, writes it.
#[cfg(feature = "file")]
#[cfg_attr(docsrs, doc(cfg(feature = "file")))]
pub fn bundled_file(spec: &Spec) -> Result<String, Error> {
    let out = format!("runtime/src/generated/{}.rs", bundled_module(spec.name()));
    let options = Options {
        origin: Some(format!("spec/send-api/{}.toml", spec.name())),
        request_macro: bundled_request_macro(spec.name()),
        command: Some(generate_command(spec.name(), &out, true)),
    };
    generate_file(spec, &options)
}

/// `v26.0` -> `v26`.
pub fn bundled_module(snapshot: &str) -> String {
    snapshot.split('.').next().unwrap_or(snapshot).to_string()
}

/// The command line of `sendapi generate` with these arguments, as the
/// header of the file it writes states it. `bundled` files are written
/// inside this workspace, where `cargo run --` is `sendapi`.
pub fn generate_command(spec: &str, out: &str, bundled: bool) -> String {
    let (program, flag) = if bundled {
        ("cargo run --", " --bundled")
    } else {
        ("sendapi", "")
    };
    format!(
        "{program} generate{flag} --spec {} --out {}",
        shell_word(spec),
        shell_word(out)
    )
}

/// `word` as one POSIX shell word: as is when it holds no character the
/// shell treats specially, else single-quoted.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The clippy lints generated code trips, each for a reason of its shape;
/// the list is what `cargo clippy -p sendapi --all-targets -- -D warnings`
/// reports without it on the bundled snapshots. Rustc's lints,
/// `missing_docs` among them, all apply.
#[cfg(feature = "bindings")]
fn lint_allows() -> [TokenStream; 7] {
    [
        quote!(allow(
            clippy::large_enum_variant,
            reason = "keyed unions hold each variant's struct inline, as the spec's types; boxing would change the public types"
        )),
        quote!(allow(
            clippy::type_complexity,
            reason = "the typestate marker `PhantomData<fn() -> (P, F, K, M)>` of Request and RequestBuilder"
        )),
        quote!(allow(
            clippy::question_mark,
            reason = "the reader's `let … else { return None }` chains keep one shape for every field kind"
        )),
        quote!(allow(
            clippy::redundant_closure,
            reason = "the reader calls `FromJson::from_json` through one closure shape for every element type"
        )),
        quote!(allow(
            clippy::single_match,
            clippy::match_like_matches_macro,
            reason = "rule checks walk keyed and tagged unions with one `match` per step, whatever the number of arms the path reaches"
        )),
        quote!(allow(
            clippy::nonminimal_bool,
            clippy::double_comparisons,
            clippy::manual_range_contains,
            reason = "bound checks are emitted as `below || above` from the spec's optional minimum and maximum, which may be absent (`false`) or equal"
        )),
        quote!(allow(
            clippy::blocks_in_conditions,
            reason =
                "a pattern check compiles its regex in a block inside the condition, once per rule"
        )),
    ]
}

/// The doc of a generated module.
#[cfg(feature = "bindings")]
fn module_doc(spec: &Spec, origin: &str) -> String {
    format!(
        " Send API bindings for snapshot `{}` (Graph {}, rules as of {}), generated from `{origin}`.",
        spec.name(),
        spec.graph_version(),
        spec.as_of()
    )
}

/// The generated `body` in a hidden module whose items are re-exported
/// into the module around it, with the doc and lint allows as outer
/// attributes of the hidden module. This is the shape of `bindings!` and of
/// every file [`generate_file`] writes except the bundled ones: outer
/// attributes are what `include!` accepts (an included file cannot open
/// with `#![…]` or `//!`, error E0753), and the caller chooses the name and
/// the doc of the module the bindings live in.
#[cfg(feature = "bindings")]
#[cfg_attr(docsrs, doc(cfg(feature = "bindings")))]
pub fn wrapped(spec: &Spec, origin: &str, body: TokenStream) -> TokenStream {
    let doc = module_doc(spec, origin);
    let allows = lint_allows();
    quote! {
        #[doc = #doc]
        #[doc(hidden)]
        #(#[#allows])*
        mod __sendapi_generated {
            #body
        }
        #[doc(inline)]
        pub use self::__sendapi_generated::*;
    }
}

/// [`generate`], formatted as a source file with a header that says how to
/// write it again, for checking in or for writing to `OUT_DIR` from a build
/// script. The file holds no inner attribute, so it is `include!`d as the
/// whole body of a module of the caller's:
///
/// ```no_run
/// // build.rs
/// let spec = sendapi_spec::load_path("api/send-api.toml".as_ref()).unwrap();
/// let src = sendapi_codegen::generate_file(&spec, &Default::default()).unwrap();
/// let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("send_api.rs");
/// std::fs::write(out, src).unwrap();
/// println!("cargo::rerun-if-changed=api/send-api.toml");
/// // lib.rs: pub mod send_api { include!(concat!(env!("OUT_DIR"), "/send_api.rs")); }
/// ```
///
/// The bundled snapshots ([`RequestMacro::Bundled`]) are the exception:
/// they are out-of-line modules of the `sendapi` crate (`#[path] mod v26;`),
/// with their doc and lint allows as inner attributes, because rustc
/// refuses the `pub use crate::… as request` of a `#[macro_export]` macro
/// defined in code that `include!` or any macro produced.
#[cfg(feature = "file")]
#[cfg_attr(docsrs, doc(cfg(feature = "file")))]
pub fn generate_file(spec: &Spec, options: &Options) -> Result<String, Error> {
    let body = generate(spec, options)?;
    let origin = options
        .origin
        .clone()
        .unwrap_or_else(|| spec.origin().to_string());
    let bundled = matches!(options.request_macro, RequestMacro::Bundled { .. });
    let tokens = if bundled {
        let doc = module_doc(spec, &origin);
        let allows = lint_allows();
        quote!(#![doc = #doc] #(#![#allows])* #body)
    } else {
        wrapped(spec, &origin, body)
    };
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| Error(format!("generated code does not parse: {e}")))?;
    let body = prettyplease::unparse(&file);
    Ok(format!(
        "{}\n{body}",
        header(spec, &origin, options, bundled)
    ))
}

/// The comment that opens a generated file: what it is, the command that
/// writes it again, and for an included file how to include it.
#[cfg(feature = "file")]
fn header(spec: &Spec, origin: &str, options: &Options, bundled: bool) -> String {
    let mut h = format!(
        "// @generated by sendapi-codegen from `{origin}` (snapshot {}). Do not edit:\n",
        spec.name()
    );
    match (&options.command, bundled) {
        (Some(c), true) => h.push_str(&format!(
            "// regenerate it from the workspace root with\n//     {c}\n"
        )),
        (Some(c), false) => h.push_str(&format!("// regenerate it with\n//     {c}\n")),
        (None, _) => {
            h.push_str("// it is written again by the code that wrote it (a build script, say).\n")
        }
    }
    if !bundled {
        h.push_str(
            "//\n// It holds no inner attribute: `include!` it as the body of a module of yours,\n//     pub mod send_api { include!(\"send_api.rs\"); }\n// or, written to OUT_DIR by a build script,\n//     pub mod send_api { include!(concat!(env!(\"OUT_DIR\"), \"/send_api.rs\")); }\n",
        );
    }
    h
}
