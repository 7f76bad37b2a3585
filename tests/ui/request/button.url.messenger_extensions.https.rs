// Rule `button.url.messenger_extensions.https`: a webview with Messenger extensions is served over HTTPS.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Your tickets are reserved for 10 minutes.",
                    "buttons": [
                        {
                            "type": "web_url",
                            "title": "Choose a seat",
                            "url": "http://tickets.example.com/seatmap/8812",
                            "messenger_extensions": true,
                            "webview_height_ratio": "tall",
                        },
                    ],
                },
            },
        },
    });
}
