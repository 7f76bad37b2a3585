// request! grammar: a key is followed by `:`.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type" "RESPONSE",
        "message": { "text": "We saved your seat for the 19:30 show." },
    });
}
