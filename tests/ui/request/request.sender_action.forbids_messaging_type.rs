// Rule `request.sender_action.forbids_messaging_type`: a sender action carries no messaging type.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "sender_action": "typing_on",
    });
}
