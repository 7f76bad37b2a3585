// Rule `recipient.name.requires_phone_number`: `name` goes with a phone_number recipient.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": {
            "id": "6047783085279281",
            "name": { "first_name": "Ana", "last_name": "Lima" },
        },
        "messaging_type": "UPDATE",
        "message": { "text": "Your appointment is confirmed for Tuesday at 10:00." },
    });
}
