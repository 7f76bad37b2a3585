// A message has one text: two fields with the `text` role are an error on the second.
#[derive(sendapi::Message)]
#[sendapi(messaging_type = "RESPONSE")]
struct Greeting {
    #[sendapi(text)]
    headline: String,
    #[sendapi(text)]
    body: String,
}

fn main() {}
