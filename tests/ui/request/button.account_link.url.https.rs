// Rule `button.account_link.url.https`: the account linking callback is served over HTTPS.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Link your loyalty account to see your points here.",
                    "buttons": [
                        {
                            "type": "account_link",
                            "url": "http://login.example.com/messenger/link",
                        },
                    ],
                },
            },
        },
    });
}
