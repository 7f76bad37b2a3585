// request! grammar: an expression has its position's type; `text` takes a string, not a number.
fn main() {
    let order_number: u32 = 48213;
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": { "text": order_number },
    });
}
