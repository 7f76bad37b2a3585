// Rule `request.tag.refused_since`: Graph refuses ACCOUNT_UPDATE since 2026-04-27.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "ACCOUNT_UPDATE",
        "message": { "text": "Your card was declined." },
    });
}
