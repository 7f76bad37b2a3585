// Rule `request.message_tag.requires_tag`: MESSAGE_TAG without a tag.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "MESSAGE_TAG",
        "message": { "text": "We found the charger you left in room 214." },
    });
}
