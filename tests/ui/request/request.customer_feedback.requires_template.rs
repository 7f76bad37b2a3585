// Rule `request.customer_feedback.requires_template`: CUSTOMER_FEEDBACK carries only the feedback template.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "CUSTOMER_FEEDBACK",
        "message": { "text": "How would you rate your stay with us, from 1 to 5?" },
    });
}
