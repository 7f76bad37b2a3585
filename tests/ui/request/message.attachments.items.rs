// Rule `message.attachments.items`: an empty attachments list sends nothing.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "attachments": [], "metadata": "gallery-empty" },
    });
}
