// Rule `product.elements.items`: a product template has 1 to 10 products.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "product",
                    "elements": [
                        { "id": "7012345678901230" },
                        { "id": "7012345678901231" },
                        { "id": "7012345678901232" },
                        { "id": "7012345678901233" },
                        { "id": "7012345678901234" },
                        { "id": "7012345678901235" },
                        { "id": "7012345678901236" },
                        { "id": "7012345678901237" },
                        { "id": "7012345678901238" },
                        { "id": "7012345678901239" },
                        { "id": "7012345678901240" },
                    ],
                },
            },
        },
    });
}
