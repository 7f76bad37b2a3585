// Rule `media_template.element.exactly_one_source`: a media element has a url or an attachment_id, not both.
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
                            "attachment_id": "1857777774821032",
                        },
                    ],
                },
            },
        },
    });
}
