// An unknown attribute on the type is an error that lists the attributes the derive takes.
#[derive(sendapi::Message)]
#[sendapi(messaging_type = "UPDATE", priority = "high")]
struct DeliveryUpdate {
    #[sendapi(text)]
    text: String,
}

fn main() {}
