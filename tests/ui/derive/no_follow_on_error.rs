// After a derive error, code using the trait reports nothing more: only the refused tag is an error.
use sendapi::Message as _;
use sendapi::latest as api;

#[derive(sendapi::Message)]
#[sendapi(tag = "ACCOUNT_UPDATE")]
struct CardDeclined {
    #[sendapi(text)]
    text: String,
}

fn main() {
    let request = CardDeclined { text: "Your card was declined.".into() }.to_request(api::Recipient::id("6047783085279281"));
    assert!(request.validate().is_ok());
}
