//! See `sendapi_fuzz::emulator_readers`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sendapi_fuzz::emulator_readers(data));
