// Rule `message.sticker.forbids_quick_replies`: a sticker carries no quick replies.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "sticker_id": 369239263222822,
            "quick_replies": [
                { "content_type": "text", "title": "Thanks!", "payload": "THANKS" },
            ],
        },
    });
}
