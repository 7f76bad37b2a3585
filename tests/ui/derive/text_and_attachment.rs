// Rule `message.exactly_one_body`: the text and attachment roles together would send two bodies in one message.
use sendapi::latest as api;

#[derive(sendapi::Message)]
#[sendapi(messaging_type = "RESPONSE")]
struct Receipt {
    #[sendapi(text)]
    caption: String,
    #[sendapi(attachment)]
    pdf: api::Attachment,
}

fn main() {}
