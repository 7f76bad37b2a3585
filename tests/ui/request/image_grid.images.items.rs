// Rule `image_grid.images.items`: an image grid shows 2 to 6 images.
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
                            "images": [{ "url": "https://cdn.example.com/menu/tiramisu.jpg" }],
                            "title": "Dessert of the day",
                        },
                    ],
                },
            },
        },
    });
}
