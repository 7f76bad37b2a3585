// request! grammar: array items are separated by commas; a missing one is an error at the next item.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Pick a size",
            "quick_replies": [
                { "content_type": "text", "title": "S", "payload": "SIZE_S" }
                { "content_type": "text", "title": "M", "payload": "SIZE_M" },
            ],
        },
    });
}
