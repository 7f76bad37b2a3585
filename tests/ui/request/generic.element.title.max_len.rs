// Rule `generic.element.title.max_len`: a generic element title is at most 80 characters.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "generic",
                    "elements": [
                        {
                            "title": "Handmade walnut desk organiser with three drawers, a pen tray and wireless charger",
                            "subtitle": "€89, ships in 2 days",
                            "image_url": "https://cdn.example.com/p/4410.jpg",
                        },
                    ],
                },
            },
        },
    });
}
