// Rule `body.enum_value`: a misspelled messaging type, with a "did you mean".
#[derive(sendapi::Message)]
#[sendapi(messaging_type = "UPDTAE")]
struct PriceDrop {
    #[sendapi(text)]
    text: String,
}

fn main() {}
