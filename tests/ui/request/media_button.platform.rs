// Rule `media_button.platform`: Instagram templates take web_url and postback buttons only.
fn main() {
    let _ = sendapi::latest::request!(instagram, {
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "media",
                    "elements": [{
                        "media_type": "image",
                        "attachment_id": "1857777774821032",
                        "buttons": [{ "type": "phone_number", "title": "Call us", "payload": "+16505551234" }],
                    }],
                },
            },
        },
    });
}
