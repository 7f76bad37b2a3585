// Rule `media_template.elements.items`: a media template holds exactly one element.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "media",
                    "elements": [
                        {
                            "media_type": "image",
                            "url": "https://www.facebook.com/photo.php?fbid=10160123456789012",
                        },
                        {
                            "media_type": "image",
                            "url": "https://www.facebook.com/photo.php?fbid=10160123456789013",
                        },
                    ],
                },
            },
        },
    });
}
