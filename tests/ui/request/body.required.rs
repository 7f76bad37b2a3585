// Rule `body.required`: a text quick reply needs a payload.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Did the technician fix the leak?",
            "quick_replies": [
                { "content_type": "text", "title": "Yes", "payload": "FIXED_YES" },
                { "content_type": "text", "title": "No" },
            ],
        },
    });
}
