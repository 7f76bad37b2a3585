// Rule `image_grid.elements.items`: an image grid template has exactly one element.
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
                            "title": "Lunch menu",
                        },
                        {
                            "images": [
                                {
                                    "url": "https://cdn.example.com/menu/pasta.jpg",
                                    "is_hero_image": true,
                                },
                                { "url": "https://cdn.example.com/menu/salad.jpg" },
                            ],
                            "title": "Dinner menu",
                        },
                    ],
                },
            },
        },
    });
}
