// Rule `request.tag.platform`: Instagram takes HUMAN_AGENT only; ACCOUNT_UPDATE is Messenger's (and refused there since 2026-04-27).
fn main() {
    let _ = sendapi::v21::request!(instagram, {
        "recipient": { "id": "17841400123456789" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "ACCOUNT_UPDATE",
        "message": { "text": "Your login from a new device was blocked." },
    });
}
