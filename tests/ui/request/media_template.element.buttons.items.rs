// Rule `media_template.element.buttons.items`: a media element has at most 3 buttons.
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
                            "buttons": [
                                {
                                    "type": "web_url",
                                    "title": "Shop the look",
                                    "url": "https://shop.example.com/look/31",
                                },
                                { "type": "postback", "title": "Sizes", "payload": "SIZES_31" },
                                {
                                    "type": "postback",
                                    "title": "Colours",
                                    "payload": "COLOURS_31",
                                },
                                {
                                    "type": "postback",
                                    "title": "Remind me",
                                    "payload": "REMIND_31",
                                },
                            ],
                        },
                    ],
                },
            },
        },
    });
}
