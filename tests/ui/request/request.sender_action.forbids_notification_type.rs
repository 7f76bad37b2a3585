// Rule `request.sender_action.forbids_notification_type`: a sender action carries no notification type.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "sender_action": "mark_seen",
        "notification_type": "SILENT_PUSH",
    });
}
