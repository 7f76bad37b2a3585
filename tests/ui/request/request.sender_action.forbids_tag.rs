// Rule `request.sender_action.forbids_tag`: a sender action carries no tag.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "sender_action": "typing_on",
        "tag": "HUMAN_AGENT",
    });
}
