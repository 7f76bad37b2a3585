// Meta leaves recipient_id out of the response to a phone_number send.
use sendapi::latest::form::PhoneNumber;

fn log_delivery(sent: &sendapi::Sent<PhoneNumber>) -> String {
    format!("delivered {} to {}", sent.message_id(), sent.recipient_id())
}

fn main() {
    let _ = log_delivery;
}
