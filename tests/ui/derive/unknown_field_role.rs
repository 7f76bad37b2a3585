// An unknown field role is an error that lists the roles.
#[derive(sendapi::Message)]
#[sendapi(messaging_type = "RESPONSE")]
struct Answer {
    #[sendapi(body)]
    text: String,
}

fn main() {}
