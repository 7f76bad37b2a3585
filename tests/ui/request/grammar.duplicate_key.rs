// request! grammar: a key appears once per object.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Your table is booked for 20:00." },
        "messaging_type": "UPDATE",
    });
}
