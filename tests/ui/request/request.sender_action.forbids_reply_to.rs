// Rule `request.sender_action.forbids_reply_to`: a sender action quotes no message.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "sender_action": "typing_on",
        "reply_to": { "mid": "m_1457764197618:41d102a3e1ae206a38" },
    });
}
