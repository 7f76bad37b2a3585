// audio_call buttons go in generic and button templates only: a media template refuses one.
fn main() {
    let _ = sendapi::latest::request!({
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
                        "buttons": [{ "type": "audio_call", "title": "Call the bistro" }],
                    }],
                },
            },
        },
    });
}
