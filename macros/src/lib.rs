//! Procedural macros of `sendapi`. This crate is an implementation detail:
//! depend on `sendapi`, which re-exports what is public here. The work is
//! done by `sendapi-codegen` (generation, `request!` expansion) and
//! `sendapi-spec` (the rule engine); this crate parses macro input, loads
//! specs and maps errors to spans.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use sendapi_codegen::Shapes;
use sendapi_codegen::request_expansion::{Bindings, Parsed};
use sendapi_spec::{Compiled, Engine, Spec};
use syn::parse::{Parse, ParseStream};
use syn::{LitStr, Path, Token};

mod derive;

/// A spec with what the expansions need, loaded once per snapshot or per
/// file path and content.
struct Loaded {
    compiled: Compiled,
    shapes: Shapes,
}

impl Loaded {
    #[cfg(feature = "spec-files")]
    fn new(compiled: Compiled) -> Arc<Loaded> {
        Arc::new(Loaded {
            // request! and the derive emit no rustdoc.
            shapes: Shapes::without_docs(compiled.spec()),
            compiled,
        })
    }

    fn spec(&self) -> &Spec {
        self.compiled.spec()
    }

    fn engine(&self) -> &Engine {
        self.compiled.engine()
    }
}

fn bundled(name: &str) -> Result<Arc<Loaded>, String> {
    bundled_alongside(name, |_| ()).0
}

/// A bundled snapshot, loaded once per process, and what `alongside`
/// returns, given the snapshot's shapes where they could be built: it runs
/// on this thread while the snapshot's engine is built on another one,
/// where the snapshot is not loaded yet. Tokens can only be read and
/// written on this thread.
fn bundled_alongside<T>(
    name: &str,
    alongside: impl FnOnce(Option<&Shapes>) -> T,
) -> (Result<Arc<Loaded>, String>, T) {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Loaded>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cached) = map.get(name) {
        let beside = alongside(Some(&cached.shapes));
        return (Ok(cached.clone()), beside);
    }
    let start = std::time::Instant::now();
    // The send side only: no macro here reads the receive side, which is
    // a quarter of the snapshot's build.
    let spec = match sendapi_spec::bundled_send_side(name) {
        Ok(spec) => spec,
        Err(e) => return (Err(e.to_string()), alongside(None)),
    };
    let spec_us = start.elapsed().as_micros();
    // The engine and the shapes each need only the spec: they are built at
    // once where a second thread can be had, since the first expansion
    // waits for both. The engine takes longer: `alongside` runs after the
    // shapes.
    let (compiled, shapes, beside) = std::thread::scope(|scope| {
        let engine = std::thread::Builder::new()
            .name("sendapi-engine".into())
            .spawn_scoped(scope, || Compiled::bundled_send_side(name));
        let shapes = Shapes::without_docs(spec);
        let beside = alongside(Some(&shapes));
        let compiled = match engine {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => Compiled::bundled_send_side(name),
        };
        (compiled, shapes, beside)
    });
    let compiled = match compiled {
        Ok(compiled) => compiled,
        Err(e) => return (Err(e.to_string()), beside),
    };
    let loaded = Arc::new(Loaded { compiled, shapes });
    if std::env::var_os("SENDAPI_MACRO_TIMINGS").is_some() {
        eprintln!(
            "sendapi-macro-timing load {name} spec_us={spec_us} engine_and_shapes_us={}",
            start.elapsed().as_micros() - spec_us
        );
    }
    map.insert(name.to_string(), loaded.clone());
    (Ok(loaded), beside)
}

/// Without the loader: says which feature reads spec files.
#[cfg(not(feature = "spec-files"))]
fn from_file(path: &str) -> Result<Arc<Loaded>, String> {
    Err(format!(
        "reading the spec file {path} needs the TOML loader, which this build leaves out; enable it with `sendapi = {{ version = \"0.1\", features = [\"spec-files\"] }}`"
    ))
}

/// Loads a spec file, cached by path and content.
#[cfg(feature = "spec-files")]
fn from_file(path: &str) -> Result<Arc<Loaded>, String> {
    // Keyed by path and content: an edited file is parsed again.
    type Cache = Mutex<HashMap<(String, String), Arc<Loaded>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read spec file {path}: {e}"))?;
    let cache = CACHE.get_or_init(Default::default);
    let key = (path.to_string(), text.clone());
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(cached) = map.get(&key) {
        return Ok(cached.clone());
    }
    // By path, so that a delta's relative `extends` is read beside it.
    let spec = sendapi_spec::load_path(std::path::Path::new(path)).map_err(|e| e.to_string())?;
    let loaded = Loaded::new(Compiled::new(spec));
    map.insert(key, loaded.clone());
    Ok(loaded)
}

/// Runs a macro body, turning a panic into a compile error that asks for a
/// bug report instead of an ICE-like message.
fn guarded(f: impl FnOnce() -> Result<TokenStream2, syn::Error>) -> TokenStream {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(t)) => t.into(),
        Ok(Err(e)) => e.to_compile_error().into(),
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown panic");
            let msg = format!(
                "internal error in a sendapi macro ({why}); this is a bug in sendapi, please report it with the macro input"
            );
            syn::Error::new(Span::call_site(), msg)
                .to_compile_error()
                .into()
        }
    }
}

enum Source {
    Snapshot(LitStr),
    File(LitStr),
}

/// `snapshot = "v26.0", module = ::sendapi::v26; <body>` or
/// `spec = "/abs/path.toml", module = crate::api; <body>`.
struct RequestInput {
    source: Source,
    module: Path,
    body: TokenStream2,
}

impl RequestInput {
    /// Splits the header from the body at the first `;` and hands only the
    /// header to syn: parsing the whole input would copy every token of
    /// the body into syn's buffer and back, a quarter of a millisecond of
    /// the first expansion for a larger body.
    fn split(input: TokenStream2) -> syn::Result<RequestInput> {
        let mut tokens = input.into_iter();
        let mut header = TokenStream2::new();
        let mut ended = false;
        for token in tokens.by_ref() {
            if matches!(&token, proc_macro2::TokenTree::Punct(p) if p.as_char() == ';') {
                ended = true;
                break;
            }
            header.extend([token]);
        }
        let Header { source, module } = syn::parse2(header)?;
        if !ended {
            return Err(syn::Error::new(Span::call_site(), "expected `;`"));
        }
        Ok(RequestInput {
            source,
            module,
            body: tokens.collect(),
        })
    }
}

/// What precedes a `request!` body's `;`.
struct Header {
    source: Source,
    module: Path,
}

impl Parse for Header {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key: syn::Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let lit: LitStr = input.parse()?;
        let source = match key.to_string().as_str() {
            "snapshot" => Source::Snapshot(lit),
            "spec" => Source::File(lit),
            _ => return Err(syn::Error::new(key.span(), "expected `snapshot` or `spec`")),
        };
        input.parse::<Token![,]>()?;
        let module_key: syn::Ident = input.parse()?;
        if module_key != "module" {
            return Err(syn::Error::new(module_key.span(), "expected `module`"));
        }
        input.parse::<Token![=]>()?;
        let module: Path = input.parse()?;
        Ok(Header { source, module })
    }
}

/// With `SENDAPI_MACRO_TIMINGS` set in the environment of the compiler,
/// each `request!` prints its elapsed time to stderr (the first one in a
/// compilation includes loading the snapshot). A measuring aid for
/// `bench/firstbuild/run.sh`; cargo shows the lines with `-vv`.
fn timed(what: &str, f: impl FnOnce() -> TokenStream) -> TokenStream {
    static FIRST: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);
    if std::env::var_os("SENDAPI_MACRO_TIMINGS").is_none() {
        return f();
    }
    let start = std::time::Instant::now();
    let out = f();
    let first = FIRST.swap(false, std::sync::atomic::Ordering::Relaxed);
    eprintln!(
        "sendapi-macro-timing {what} first={first} us={}",
        start.elapsed().as_micros()
    );
    out
}

#[doc(hidden)]
#[proc_macro]
pub fn request_impl(input: TokenStream) -> TokenStream {
    timed("request!", || request_impl_inner(input))
}

fn request_impl_inner(input: TokenStream) -> TokenStream {
    guarded(|| {
        let input = RequestInput::split(input.into())?;
        let body = input.body;
        let module = &input.module;
        let module = quote!(#module);
        // The body is read, and built, while the engine that checks it is.
        let read_and_build = |shapes: Option<&Shapes>| {
            let mut parsed = Parsed::new(body);
            if let Some(shapes) = shapes {
                parsed.build_ahead(shapes, &module);
            }
            parsed
        };
        let (loaded, parsed) = match &input.source {
            Source::Snapshot(name) => {
                let (loaded, parsed) = bundled_alongside(&name.value(), read_and_build);
                (loaded.map_err(|e| syn::Error::new(name.span(), e))?, parsed)
            }
            Source::File(path) => {
                let loaded =
                    from_file(&path.value()).map_err(|e| syn::Error::new(path.span(), e))?;
                let parsed = read_and_build(Some(&loaded.shapes));
                (loaded, parsed)
            }
        };
        let bindings = Bindings {
            spec: loaded.spec(),
            shapes: &loaded.shapes,
            engine: loaded.engine(),
            module,
        };
        Ok(sendapi_codegen::request_expansion::expand_parsed(
            parsed, &bindings,
        ))
    })
}

/// `spec = "path/to/spec.toml", module = crate::path::to::this_module`.
struct BindingsInput {
    spec: LitStr,
    // Read by the generator only; without it the input is still checked.
    #[cfg_attr(not(feature = "spec-files"), allow(dead_code))]
    module: Path,
}

impl Parse for BindingsInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut spec = None;
        let mut module = None;
        while !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "spec" => {
                    if spec.is_some() {
                        return Err(syn::Error::new(key.span(), "`spec` is given twice"));
                    }
                    spec = Some(input.parse::<LitStr>()?);
                }
                "module" => {
                    if module.is_some() {
                        return Err(syn::Error::new(key.span(), "`module` is given twice"));
                    }
                    module = Some(input.parse::<Path>()?);
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown argument `{other}`; expected `spec = \"path/to/spec.toml\"` and `module = crate::path::to::this_module`"
                        ),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        let spec = spec.ok_or_else(|| {
            input.error(
                "expected `spec = \"path/to/spec.toml\"` (relative to the crate's Cargo.toml)",
            )
        })?;
        let module = module.ok_or_else(|| input.error("expected `module = crate::path::to::this_module`, the path of the module this macro is invoked in (request! expands to paths into it)"))?;
        Ok(BindingsInput { spec, module })
    }
}

/// Generates bindings from a team's own spec file, in place: invoke it as
/// the body of the module it names.
///
/// ```ignore
/// pub mod send_api {
///     sendapi::bindings!(spec = "api/send-api.toml", module = crate::send_api);
/// }
/// let req = send_api::request!({ "recipient": { "id": "1" }, "messaging_type": "RESPONSE", "message": { "text": "hi" } });
/// ```
///
/// The path is relative to the calling crate's `Cargo.toml`; editing the
/// file rebuilds the crate. Errors in the spec are reported with file, line
/// and column on the path literal.
#[proc_macro]
pub fn bindings(input: TokenStream) -> TokenStream {
    guarded(|| {
        let input: BindingsInput = syn::parse(input)?;
        let dir = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| {
            syn::Error::new(
                input.spec.span(),
                "CARGO_MANIFEST_DIR is not set; bindings! runs under cargo",
            )
        })?;
        let path: PathBuf = PathBuf::from(dir).join(input.spec.value());
        let path_text = path.display().to_string();
        let loaded = from_file(&path_text).map_err(|e| syn::Error::new(input.spec.span(), e))?;
        bindings_for(&loaded, &input, path_text)
    })
}

/// The module body `bindings!` expands to.
#[cfg(feature = "spec-files")]
fn bindings_for(
    loaded: &Loaded,
    input: &BindingsInput,
    path_text: String,
) -> syn::Result<TokenStream2> {
    let module = &input.module;
    let options = sendapi_codegen::Options {
        origin: Some(input.spec.value()),
        request_macro: sendapi_codegen::RequestMacro::Spec {
            path: path_text.clone(),
            module: quote!(#module),
        },
        command: None,
    };
    let body = sendapi_codegen::generate(loaded.spec(), &options)
        .map_err(|e| syn::Error::new(input.spec.span(), e.to_string()))?;
    // The path names this very module from inside it, which
    // `unused_qualifications` would flag in the user's crate.
    let anchor_check = quote::quote_spanned! {syn::spanned::Spanned::span(module)=>
        #[allow(unused_qualifications)]
        const _: fn() = #module::__sendapi_module_anchor;
    };
    let bindings = sendapi_codegen::wrapped(loaded.spec(), &input.spec.value(), body);
    // Rebuild when the spec file or any file it extends changes.
    let files = loaded
        .spec()
        .files()
        .iter()
        .map(|f| f.display().to_string());
    Ok(quote! {
        #( const _: &str = ::core::include_str!(#files); )*
        #bindings
        #[doc(hidden)]
        pub fn __sendapi_module_anchor() {}
        #anchor_check
    })
}

/// Unreachable in practice: without the loader `from_file` has refused the
/// path already.
#[cfg(not(feature = "spec-files"))]
fn bindings_for(_: &Loaded, input: &BindingsInput, _: String) -> syn::Result<TokenStream2> {
    Err(syn::Error::new(
        input.spec.span(),
        "bindings! needs the `spec-files` feature of sendapi",
    ))
}

/// Derives `sendapi::Message` for a library author's struct or enum; see the
/// `sendapi` crate docs for the attributes.
#[proc_macro_derive(Message, attributes(sendapi))]
pub fn derive_message(input: TokenStream) -> TokenStream {
    guarded(|| derive::expand(syn::parse(input)?))
}

#[cfg(test)]
mod tests {
    use super::{RequestInput, Source};
    use quote::quote;

    #[test]
    fn the_header_is_split_from_the_body_at_the_first_semicolon() {
        let input = RequestInput::split(quote! {
            snapshot = "v26.0", module = ::sendapi::v26; { "a": 1 }; x
        })
        .expect("a well-formed header");
        assert!(matches!(&input.source, Source::Snapshot(name) if name.value() == "v26.0"));
        let module = &input.module;
        assert_eq!(quote!(#module).to_string(), ":: sendapi :: v26");
        assert_eq!(input.body.to_string(), r#"{ "a" : 1 } ; x"#);
    }

    #[test]
    fn a_spec_path_is_a_file_source() {
        let input = RequestInput::split(quote!(spec = "/a/b.toml", module = crate::api;))
            .expect("a well-formed header");
        assert!(matches!(&input.source, Source::File(path) if path.value() == "/a/b.toml"));
        assert!(input.body.is_empty());
    }

    #[test]
    fn a_malformed_header_says_what_was_expected() {
        let error = |input| match RequestInput::split(input) {
            Ok(_) => panic!("accepted a malformed header"),
            Err(e) => e.to_string(),
        };
        assert_eq!(
            error(quote!(snapshot = "v26.0", module = ::sendapi::v26 {})),
            "unexpected token"
        );
        assert_eq!(
            error(quote!(snapshot = "v26.0", module = ::sendapi::v26)),
            "expected `;`"
        );
        assert_eq!(
            error(quote!(version = "v26.0", module = m;)),
            "expected `snapshot` or `spec`"
        );
        assert_eq!(
            error(quote!(snapshot = "v26.0", path = m;)),
            "expected `module`"
        );
        assert_eq!(
            error(quote!(snapshot = v26, module = m;)),
            "expected string literal"
        );
    }
}
