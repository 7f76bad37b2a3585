// A message type with no field role has nothing to send.
#[derive(sendapi::Message)]
#[sendapi(messaging_type = "UPDATE")]
struct Notice {
    text: String,
    order: u64,
}

fn main() {}
