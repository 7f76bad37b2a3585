// Rule `button.url.title.max_len`: a URL button title is at most 20 characters.
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
                            "type": "web_url",
                            "title": "See all delivery slots",
                            "url": "https://groceries.example.com/slots",
                        },
                    ],
                },
            },
        },
    });
}
