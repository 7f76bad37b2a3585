// Rule `attachment.platform`: the like_heart sticker exists on Instagram only.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "attachment": { "type": "like_heart" } },
    });
}
