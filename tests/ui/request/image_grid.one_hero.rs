// Rule `image_grid.one_hero`: one image of the grid is the hero.
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
                                {
                                    "url": "https://cdn.example.com/menu/risotto.jpg",
                                    "is_hero_image": true,
                                },
                                { "url": "https://cdn.example.com/menu/salad.jpg" },
                            ],
                            "title": "Chef's picks",
                        },
                    ],
                },
            },
        },
    });
}
