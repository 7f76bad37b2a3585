// Rule `request.reaction.requires_payload`: a reaction names the message it reacts to.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "sender_action": "react",
    });
}
