// request! grammar: entries are separated by commas; a missing comma is an error at the next key.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Doors open at 18:00." "metadata": "event-5512" },
    });
}
