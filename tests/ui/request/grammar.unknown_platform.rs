// request! grammar: the platform before the body is `messenger` or `instagram`.
fn main() {
    let _ = sendapi::latest::request!(whatsapp, {
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Your appointment is tomorrow at 9:15." },
    });
}
