//! Macro hygiene: the expansions of `request!` and `#[derive(Message)]`, and
//! the bindings they build on, compile with the prelude's names shadowed
//! and under strict lints (STYLE.md item 13).

#![deny(warnings, unused_qualifications, unused_imports, unused_results)]
#![allow(
    dead_code,
    unused_macros,
    non_camel_case_types,
    clippy::disallowed_names
)]

// Shadow what generated code must never reach by a bare name.
struct Result;
struct Option;
struct Some;
struct None;
struct Ok;
struct Err;
struct String;
struct Vec;
struct Box;
struct Into;
struct From;
struct Default;
struct Clone;
mod core {}
mod std {}
mod serde {}
mod serde_json {}
mod __private {}
macro_rules! vec {
    ($($t:tt)*) => {
        compile_error!("generated code used the caller's vec!")
    };
}
macro_rules! format {
    ($($t:tt)*) => {
        compile_error!("generated code used the caller's format!")
    };
}

use sendapi::latest as api;

#[derive(sendapi::Message)]
#[sendapi(messaging_type = "RESPONSE", notification_type = "SILENT_PUSH")]
struct Hygienic {
    #[sendapi(text)]
    text: ::std::string::String,
    #[sendapi(metadata)]
    metadata: ::std::string::String,
}

#[derive(sendapi::Message)]
#[sendapi(tag = "HUMAN_AGENT")]
enum HygienicEnum {
    One(#[sendapi(text)] ::std::string::String),
    Two {
        #[sendapi(text)]
        text: ::std::string::String,
    },
}

#[test]
fn expansions_do_not_use_caller_names() {
    let psid: &str = "6047783085279281";
    let request = api::request!({
        "recipient": { "id": psid },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "hygiene",
            "quick_replies": [{ "content_type": "text", "title": "A", "payload": 1 }],
        },
    });
    ::core::assert!(request.validate().is_ok());
    let sender_action = api::request!(instagram, {
        "recipient": { "id": psid },
        "sender_action": "react",
        "payload": { "message_id": "m_1", "reaction": "love" },
    });
    ::core::assert!(sender_action.validate().is_ok());
    let derived = <Hygienic as sendapi::Message>::to_request(
        &Hygienic {
            text: ::std::string::String::from("x"),
            metadata: ::std::string::String::from("y"),
        },
        api::Recipient::id(psid),
    );
    ::core::assert!(derived.validate().is_ok());
    let derived = <HygienicEnum as sendapi::Message>::to_request(
        &HygienicEnum::Two {
            text: ::std::string::String::from("x"),
        },
        api::Recipient::id(psid),
    );
    ::core::assert!(derived.validate().is_ok());
    let built = api::Request::builder()
        .to_id(psid)
        .text("x")
        .human_agent()
        .build();
    ::core::assert!(built.validate().is_ok());
}

/// The whole generator's output, webhook module included, expanded here by
/// `bindings!` with the names above in scope.
mod generated {
    #[allow(unused_imports)]
    use super::*;
    sendapi::bindings!(
        spec = "../spec/send-api/v26.0.toml",
        module = crate::generated
    );
}

#[test]
fn generated_webhook_types_decode() {
    let body = r#"{"object":"page","entry":[{"id":1,"messaging":[
        {"sender":{"id":"2"},"timestamp":"3","message":{"mid":"m_1","is_echo":true}},
        {"sender":{"id":"2"},"read":{"watermark":4}},
        {"sender":{"id":"2"},"unknown":{}}]}]}"#;
    let n: generated::webhook::Notification = ::serde_json::from_str(body).unwrap();
    let kinds: ::std::vec::Vec<sendapi::EventKind> = n.events().map(|r| r.event().kind()).collect();
    ::core::assert_eq!(
        kinds,
        [
            sendapi::EventKind::Echo,
            sendapi::EventKind::Read,
            sendapi::EventKind::Other
        ]
    );
    let bundled: api::webhook::Notification = ::serde_json::from_str(body).unwrap();
    ::core::assert_eq!(bundled.events().count(), 3);
}
