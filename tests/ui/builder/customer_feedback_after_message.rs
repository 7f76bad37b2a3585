// Rule `request.customer_feedback.requires_template`: `.customer_feedback()` cannot tag a text message.
use sendapi::latest::Request;

fn main() {
    let _ = Request::builder()
        .to_id("6047783085279281")
        .text("How would you rate your delivery, from 1 to 5?")
        .customer_feedback()
        .build();
}
