//! The rule engine on arbitrary JSON, under both snapshots and platforms:
//! every body gets a report, never a panic or a hang. Seeds worth giving
//! it: `spec/tests/bodies/**/*.json`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sendapi_spec::Platform;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if sendapi_spec::depth(&value) > sendapi_spec::MAX_DEPTH {
        return;
    }
    for name in sendapi_spec::BUNDLED {
        let engine = sendapi_spec::bundled_engine(name).expect("bundled snapshots load");
        for platform in [Platform::Messenger, Platform::Instagram] {
            let report = engine.validate(&value, platform);
            // Every violation points into the body.
            for v in &report.violations {
                assert!(
                    v.pointer.is_empty() || value.pointer(&v.pointer).is_some(),
                    "{} points at {} which the body does not have",
                    v.rule,
                    v.pointer
                );
            }
        }
    }
});
