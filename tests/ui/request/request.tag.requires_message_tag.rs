// Rule `request.tag.requires_message_tag`: a tag goes with messaging_type MESSAGE_TAG.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "UPDATE",
        "tag": "HUMAN_AGENT",
        "message": {
            "text": "Hi, this is Dana from support: your replacement card is on its way.",
        },
    });
}
