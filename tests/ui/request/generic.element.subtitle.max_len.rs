// Rule `generic.element.subtitle.max_len`: a generic element subtitle is at most 80 characters.
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
                            "title": "Trail running shoe",
                            "subtitle": "Lightweight, grippy outsole and a recycled mesh upper; sizes 36 to 47; free returns.",
                        },
                    ],
                },
            },
        },
    });
}
