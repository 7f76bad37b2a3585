// request! grammar: a misspelled `message` key is one error; the body missing `message` because of it is not a second one.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "mesage": { "text": "Your table for two is booked for 20:00." },
    });
}
