// Rule `request.tag.platform`: CUSTOMER_FEEDBACK is a Messenger tag, not available with platform = "instagram".
use sendapi::latest as api;

#[derive(sendapi::Message)]
#[sendapi(platform = "instagram", tag = "CUSTOMER_FEEDBACK")]
struct Survey {
    #[sendapi(attachment)]
    form: api::Attachment,
}

fn main() {}
