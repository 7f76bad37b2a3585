// Rule `request.template.requires_utility`: a utility template is sent with messaging_type UTILITY.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "UPDATE",
        "message": {
            "template": {
                "name": "order_shipped",
                "language": { "code": "en_US" },
                "components": [
                    { "type": "body", "parameters": [{ "type": "text", "text": "#5521" }] },
                ],
            },
        },
    });
}
