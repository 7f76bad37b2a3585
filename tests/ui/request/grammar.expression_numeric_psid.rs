// request! grammar: a PSID held as a number is not a string; the error names the field and the conversion.
fn main() {
    let psid: u64 = 6047783085279281;
    let _ = sendapi::latest::request!({
        "recipient": { "id": psid },
        "messaging_type": "RESPONSE",
        "message": { "text": "Your parcel is at the pick-up point." },
    });
}
