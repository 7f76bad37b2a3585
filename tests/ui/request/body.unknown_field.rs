// Rule `body.unknown_field`: `priority` is not a field of a Send API request.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "UPDATE",
        "priority": "high",
        "message": { "text": "Your table at Osteria Nove is ready." },
    });
}
