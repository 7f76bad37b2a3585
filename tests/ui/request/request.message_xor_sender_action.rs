// Rule `request.message_xor_sender_action`: a request sends a message or a sender action, not both.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "sender_action": "typing_on",
        "message": { "text": "Looking up your booking…" },
    });
}
