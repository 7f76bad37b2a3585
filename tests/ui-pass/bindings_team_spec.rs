// bindings! from a team's copy of v26.0 (text limited to 640 characters): its builder and its request!.
pub mod send_api {
    sendapi::bindings!(spec = "../../../../tests/fixtures/team-v26.0.toml", module = crate::send_api);
}

fn main() {
    let psid = String::from("6047783085279281");
    let literal = send_api::request!({
        "recipient": { "id": psid },
        "messaging_type": "RESPONSE",
        "message": { "text": "Your ticket #2231 is closed. Reply to reopen it." },
    });
    assert!(literal.validate().is_ok());

    let built = send_api::Request::builder()
        .to_id("6047783085279281")
        .text("a".repeat(641))
        .response()
        .build();
    // The team's limit, checked at run time for a value known only then.
    let err = built.validate().unwrap_err();
    assert_eq!(err.rule_ids(), ["message.text.max_len"]);
}
