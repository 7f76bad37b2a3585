// Rule `body.type`: `quick_replies` is an array of quick replies, not one object.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Which size do you wear?",
            "quick_replies": { "content_type": "text", "title": "Medium", "payload": "SIZE_M" },
        },
    });
}
