// Rule `message.attachments.images_only`: on Instagram, `attachments` holds images only.
fn main() {
    let _ = sendapi::latest::request!(instagram, {
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachments": [
                { "type": "image", "payload": { "url": "https://bistro.example.org/img/terrace0.jpg" } },
                { "type": "video", "payload": { "url": "https://bistro.example.org/video/tour.mp4" } },
            ],
        },
    });
}
