// Rule `request.tag.refused_since` on v21.0: the refusal is by date, on every Graph version, so a team pinned to v21.0 is told too.
fn main() {
    let _ = sendapi::v21::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "ACCOUNT_UPDATE",
        "message": { "text": "Your card was declined." },
    });
}
