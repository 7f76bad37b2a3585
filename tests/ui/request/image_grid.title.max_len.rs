// Rule `image_grid.title.max_len`: an image grid title is at most 45 characters.
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
                            "title": "Seasonal autumn tasting menu with seven courses",
                        },
                    ],
                },
            },
        },
    });
}
