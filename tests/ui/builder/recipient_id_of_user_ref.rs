// Meta leaves recipient_id out of the response to a user_ref send.
fn show(sent: &sendapi::Sent<sendapi::latest::form::UserRef>) -> &str {
    sent.recipient_id()
}

fn main() {
    let _ = show;
}
