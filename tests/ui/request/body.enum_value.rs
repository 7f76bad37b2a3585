// Rule `body.enum_value`: VIBRATE is not a notification type.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "UPDATE",
        "notification_type": "VIBRATE",
        "message": { "text": "Your ride is two minutes away." },
    });
}
