// Rule `button.audio_call.expires_in_days.range`: an audio call button expires within 7 days.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Want advice on your fitting? Call us in Messenger.",
                    "buttons": [
                        {
                            "type": "audio_call",
                            "title": "Call our stylist",
                            "expires_in_days": 14,
                        },
                    ],
                },
            },
        },
    });
}
