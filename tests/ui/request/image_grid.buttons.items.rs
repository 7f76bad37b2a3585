// Rule `image_grid.buttons.items`: an image grid has at most 3 buttons.
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
                            "title": "Tonight",
                            "buttons": [
                                {
                                    "type": "postback",
                                    "title": "Book a table",
                                    "payload": "BOOK",
                                },
                                { "type": "postback", "title": "Menu", "payload": "MENU" },
                                {
                                    "type": "postback",
                                    "title": "Directions",
                                    "payload": "DIRECTIONS",
                                },
                                { "type": "postback", "title": "Call us", "payload": "CALL" },
                            ],
                        },
                    ],
                },
            },
        },
    });
}
