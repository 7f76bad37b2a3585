// Rule `quick_reply.platform`: Instagram no longer offers the email quick reply.
fn main() {
    let _ = sendapi::latest::request!(instagram, {
        "recipient": { "id": "17841400123456789" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Where should we send the receipt?",
            "quick_replies": [{ "content_type": "user_email" }],
        },
    });
}
