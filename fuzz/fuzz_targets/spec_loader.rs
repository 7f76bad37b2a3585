//! The spec loader and lint on arbitrary text: an error, never a panic.
//! Seeds worth giving it: `spec/send-api/*.toml`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(spec) = sendapi_spec::load_str("fuzz.toml", text)
    {
        // A spec that loads must also compile into an engine and shapes.
        let engine = sendapi_spec::Engine::new(&spec);
        let _ = engine.validate(&serde_json::json!({}), sendapi_spec::Platform::Messenger);
        let _ = sendapi_codegen::Shapes::new(&spec);
    }
});
