// Rule `request.tag.platform`: CUSTOMER_FEEDBACK is a Messenger tag; `.customer_feedback(…)` does not compile on Instagram.
use sendapi::latest::{CustomerFeedbackTemplate, Request};

fn main() {
    let _ = Request::builder()
        .instagram()
        .to_id("17841400123456789")
        .customer_feedback(CustomerFeedbackTemplate::new().title("How was your order?"))
        .build();
}
