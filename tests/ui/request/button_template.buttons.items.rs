// Rule `button_template.buttons.items`: a button template has 1 to 3 buttons.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "How can we help with order #88120?",
                    "buttons": [
                        {
                            "type": "postback",
                            "title": "Track parcel",
                            "payload": "TRACK_88120",
                        },
                        {
                            "type": "postback",
                            "title": "Change address",
                            "payload": "ADDR_88120",
                        },
                        {
                            "type": "postback",
                            "title": "Cancel order",
                            "payload": "CANCEL_88120",
                        },
                        { "type": "postback", "title": "Talk to us", "payload": "AGENT_88120" },
                    ],
                },
            },
        },
    });
}
