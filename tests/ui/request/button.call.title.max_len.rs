// Rule `button.call.title.max_len`: a call button title is at most 20 characters.
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
                            "title": "Call the front desk now",
                            "payload": "+35121555012",
                        },
                    ],
                },
            },
        },
    });
}
