// The derive checks its attributes against the snapshot's rules.
#[derive(sendapi::Message)]
#[sendapi(tag = "CONFIRMED_EVENT_UPDATE")]
struct Reminder {
    #[sendapi(text)]
    text: String,
}

fn main() {}
