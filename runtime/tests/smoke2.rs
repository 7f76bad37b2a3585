use sendapi::latest as api;

#[test]
fn request_macro() {
    let psid = String::from("6047783085279281");
    let r = api::request!({
        "recipient": { "id": psid },
        "messaging_type": "RESPONSE",
        "message": { "text": "hello", "quick_replies": [ { "content_type": "text", "title": "A", "payload": "A" } ] },
    });
    println!("{}", serde_json::to_string(&r).unwrap());
    let r2 = api::request!(instagram, {
        "recipient": { "user_ref": "x" },
        "sender_action": "react",
        "payload": { "message_id": "m_1", "reaction": "love" }
    });
    println!("{}", serde_json::to_string(&r2).unwrap());
    let r3 = sendapi::v21::request!({ "recipient": {"id": 5}, "messaging_type": "MESSAGE_TAG", "tag": "ACCOUNT_UPDATE", "message": {"text": "x"} });
    println!("{}", serde_json::to_string(&r3).unwrap());
}
