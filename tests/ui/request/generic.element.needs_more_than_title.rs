// Rule `generic.element.needs_more_than_title`: an element needs a subtitle, an image, a default action or a button.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "generic",
                    "elements": [{ "title": "Weekly specials" }],
                },
            },
        },
    });
}
