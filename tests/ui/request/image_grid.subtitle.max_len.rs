// Rule `image_grid.subtitle.max_len`: an image grid subtitle is at most 80 characters.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "image_grid",
                    "elements": [
                        {
                            "images": [
                                {
                                    "url": "https://cdn.example.com/menu/pasta.jpg",
                                    "is_hero_image": true,
                                },
                                { "url": "https://cdn.example.com/menu/salad.jpg" },
                            ],
                            "title": "Tasting menu",
                            "subtitle": "Seven courses with a wine pairing, available Thursday to Saturday from 19:00 only.",
                        },
                    ],
                },
            },
        },
    });
}
