// Rule `quick_reply.image_url.required_without_title`: a quick reply without a title needs an image.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Pick a colour:",
            "quick_replies": [
                { "content_type": "text", "title": "Red", "payload": "RED" },
                { "content_type": "text", "title": "", "payload": "BLUE" },
            ],
        },
    });
}
