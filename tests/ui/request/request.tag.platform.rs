// Rule `request.tag.platform`: in v21.0, where ACCOUNT_UPDATE is not refused yet, Instagram still takes HUMAN_AGENT only.
fn main() {
    let _ = sendapi::v21::request!(instagram, {
        "recipient": { "id": "17841400123456789" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "ACCOUNT_UPDATE",
        "message": { "text": "Your login from a new device was blocked." },
    });
}
