// An attribute given twice is an error on the second one.
#[derive(sendapi::Message)]
#[sendapi(messaging_type = "UPDATE")]
#[sendapi(messaging_type = "RESPONSE")]
struct OrderStatus {
    #[sendapi(text)]
    text: String,
}

fn main() {}
