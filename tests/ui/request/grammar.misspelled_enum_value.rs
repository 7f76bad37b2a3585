// request! grammar: a misspelled enum value, with a "did you mean" (rule body.enum_value).
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONCE",
        "message": { "text": "Thanks, we received your photos." },
    });
}
