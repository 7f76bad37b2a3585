// Rule `generic.elements.items`: a generic template has 1 to 10 elements.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": { "template_type": "generic", "elements": [] },
            },
        },
    });
}
