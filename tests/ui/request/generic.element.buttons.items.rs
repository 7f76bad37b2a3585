// Rule `generic.element.buttons.items`: a generic element has at most 3 buttons.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "generic",
                    "elements": [
                        {
                            "title": "Studio apartment, Alfama",
                            "subtitle": "2 guests, from €74 a night",
                            "buttons": [
                                {
                                    "type": "web_url",
                                    "title": "View photos",
                                    "url": "https://stay.example.com/alfama-12",
                                },
                                {
                                    "type": "postback",
                                    "title": "Check dates",
                                    "payload": "DATES_ALFAMA_12",
                                },
                                {
                                    "type": "postback",
                                    "title": "Ask the host",
                                    "payload": "HOST_ALFAMA_12",
                                },
                                {
                                    "type": "postback",
                                    "title": "Save for later",
                                    "payload": "SAVE_ALFAMA_12",
                                },
                            ],
                        },
                    ],
                },
            },
        },
    });
}
