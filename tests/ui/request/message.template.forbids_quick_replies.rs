// Rule `message.template.forbids_quick_replies`: a utility template carries no quick replies.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "UTILITY",
        "message": {
            "template": { "name": "appointment_reminder", "language": { "code": "en_GB" } },
            "quick_replies": [
                { "content_type": "text", "title": "Reschedule", "payload": "RESCHEDULE" },
            ],
        },
    });
}
