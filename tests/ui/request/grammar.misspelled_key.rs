// request! grammar: a misspelled key is unknown, with a "did you mean" (rule body.unknown_field).
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Which day suits you for the delivery?",
            "quick_replys": [
                { "content_type": "text", "title": "Friday", "payload": "DAY_FRI" },
                { "content_type": "text", "title": "Saturday", "payload": "DAY_SAT" },
            ],
        },
    });
}
