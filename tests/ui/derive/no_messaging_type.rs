// A derived message needs a messaging type (or a tag): sendapi always sends `messaging_type`.
#[derive(sendapi::Message)]
struct Welcome {
    #[sendapi(text)]
    text: String,
}

fn main() {}
