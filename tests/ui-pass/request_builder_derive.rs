// request!, the builder and the derive, with expressions, on both platforms.
use sendapi::Message as _;
use sendapi::latest as api;

#[derive(sendapi::Message)]
#[sendapi(messaging_type = "UPDATE")]
struct Shipped {
    #[sendapi(text)]
    text: String,
}

fn main() {
    let psid = String::from("6047783085279281");
    let a = api::request!({
        "recipient": { "id": psid },
        "messaging_type": "RESPONSE",
        "message": { "text": "hi" },
    });
    assert!(a.validate().is_ok());
    let b = api::request!(instagram, {
        "recipient": { "id": "17841400000000000" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
        "message": { "text": "An agent will answer shortly." },
    });
    assert!(b.validate().is_ok());
    let c = api::Request::builder().to_id("1").typing_on().build();
    assert!(c.validate().is_ok());
    let d = Shipped { text: "on its way".into() }.to_request(api::Recipient::id("1"));
    assert!(d.validate().is_ok());
}
