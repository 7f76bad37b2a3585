// Rule `default_action.messenger_extensions.https`: a default action with Messenger extensions is served over HTTPS.
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
                            "title": "Spring collection",
                            "subtitle": "New arrivals every Friday",
                            "default_action": {
                                "type": "web_url",
                                "url": "http://shop.example.com/spring",
                                "messenger_extensions": true,
                            },
                        },
                    ],
                },
            },
        },
    });
}
