// Rule `button.call.payload.format`: a call button dials `+` and digits only.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Need a hand with your order?",
                    "buttons": [
                        {
                            "type": "phone_number",
                            "title": "Call us",
                            "payload": "+1 (650) 555-1234",
                        },
                    ],
                },
            },
        },
    });
}
