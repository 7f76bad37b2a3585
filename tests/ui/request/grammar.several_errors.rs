// request! grammar: every error of a body comes out in one compile, each on its own token.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "POST_PURCHASE_UPDATE",
        "notifcation_type": "SILENT_PUSH",
        "message": {
            "text": "Your order shipped. Rate the packaging?",
            "quick_replies": [
                { "content_type": "text", "title": "Great", "payload": "PACKAGING_GOOD" },
                { "content_type": "text", "title": "", "payload": "PACKAGING_BAD" },
            ],
        },
    });
}
