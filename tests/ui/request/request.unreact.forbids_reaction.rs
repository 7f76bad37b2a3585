// Rule `request.unreact.forbids_reaction`: unreact takes only the message id.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "sender_action": "unreact",
        "payload": { "message_id": "m_1457764197618:41d102a3e1ae206a38", "reaction": "angry" },
    });
}
