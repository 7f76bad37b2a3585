//! `request!`'s expansion on arbitrary token streams: a body of tokens
//! that lexes always expands to code or to `compile_error!`, never a panic.
#![no_main]

use std::str::FromStr;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sendapi_codegen::Shapes;
use sendapi_codegen::request_expansion::{Bindings, expand};

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| Shapes::new(sendapi_spec::bundled("latest").expect("bundled")))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tokens) = proc_macro2::TokenStream::from_str(text) else {
        return;
    };
    let bindings = Bindings {
        spec: sendapi_spec::bundled("latest").expect("bundled"),
        shapes: shapes(),
        engine: sendapi_spec::bundled_engine("latest").expect("bundled"),
        module: quote::quote!(::sendapi::v26),
    };
    let _ = expand(tokens, &bindings);
});
