// request! grammar: a syntax error and a rule violation in one body are both reported in one compile.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "CONFIRMED_EVENT_UPDATE",
        "message": { "text": "Doors open at 18:00." "metadata": "event-5512" },
    });
}
