// request! grammar: keys are string literals, so a bare identifier key is refused.
fn main() {
    let _ = sendapi::latest::request!({
        recipient: { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Your parcel is at the pick-up point." },
    });
}
