// Rule `recipient.exactly_one`: a recipient is identified by one field.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281", "user_ref": "checkbox-plugin-ref-7741" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Thanks for signing up for delivery alerts." },
    });
}
