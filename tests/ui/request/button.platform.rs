// Rule `button.platform`: Instagram has no call buttons.
fn main() {
    let _ = sendapi::latest::request!(instagram, {
        "recipient": { "id": "17841400123456789" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "generic",
                    "elements": [
                        {
                            "title": "Pick-up point Mitte",
                            "subtitle": "Open until 20:00",
                            "buttons": [
                                {
                                    "type": "phone_number",
                                    "title": "Call the shop",
                                    "payload": "+493012345678",
                                },
                            ],
                        },
                    ],
                },
            },
        },
    });
}
