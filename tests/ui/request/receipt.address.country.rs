// Rule `receipt.address.country`: the receipt address takes a two-letter country code.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "receipt",
                    "recipient_name": "Mara Jensen",
                    "order_number": "R-2026-11-0042",
                    "currency": "EUR",
                    "payment_method": "Visa 4242",
                    "address": {
                        "street_1": "Vesterbrogade 12",
                        "city": "København",
                        "postal_code": "1620",
                        "state": "Hovedstaden",
                        "country": "Denmark",
                    },
                    "summary": { "total_cost": 56.4 },
                },
            },
        },
    });
}
