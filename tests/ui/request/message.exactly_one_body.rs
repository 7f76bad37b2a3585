// Rule `message.exactly_one_body`: a message has one body; text and an attachment are two messages.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Here is your boarding pass.",
            "attachment": {
                "type": "file",
                "payload": { "url": "https://files.example.com/bp/K7XQ2.pdf" },
            },
        },
    });
}
