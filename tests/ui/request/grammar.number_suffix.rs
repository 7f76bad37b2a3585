// request! grammar: a JSON number takes no Rust type suffix.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "sticker_id": 369239263222822u64 },
    });
}
