// #[derive(Message)] takes a struct or an enum, not a union.
#[derive(sendapi::Message)]
#[sendapi(messaging_type = "RESPONSE")]
union Payload {
    code: u32,
    flags: f32,
}

fn main() {}
