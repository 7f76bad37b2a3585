// Rule `media_template.element.url.facebook`: a media template shows Facebook-hosted media only.
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
                            "media_type": "video",
                            "url": "https://videos.example.com/launch-teaser.mp4",
                        },
                    ],
                },
            },
        },
    });
}
