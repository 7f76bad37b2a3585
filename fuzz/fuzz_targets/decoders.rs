//! The typed readers on arbitrary JSON: request bodies
//! (`Request::from_json`, then `validate()`) and Send API answers
//! (`Sent`, `AnyResponse`). An error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<sendapi::Sent<sendapi::latest::form::Id>>(data);
    let _ = serde_json::from_slice::<sendapi::Sent<sendapi::latest::form::UserRef>>(data);
    let _ = serde_json::from_slice::<sendapi::AnyResponse>(data);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if sendapi_spec::depth(&value) > sendapi_spec::MAX_DEPTH {
        return;
    }
    if let Ok(r) = sendapi::v26::Request::from_json(&value) {
        let _ = r.validate();
        let _ = r.on::<sendapi::Instagram>().validate();
    }
    if let Ok(r) = sendapi::v21::Request::from_json(&value) {
        let _ = r.validate();
    }
});
