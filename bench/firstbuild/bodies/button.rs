//! The bot of `../sendapi_bot` with a button template, quick replies, metadata
//! and a notification type: a body written after the tuning of the first
//! expansion, as a check on it. `BODY=button` in `run.sh` builds it.

use sendapi::latest as api;

#[tokio::main]
async fn main() {
    let base = std::env::var("BOT_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let psid = std::env::var("BOT_PSID").unwrap_or_else(|_| "6047783085279281".into());
    let client = sendapi::Client::builder()
        .page_id("1")
        .page_token("token")
        .base_url(base)
        .build()
        .expect("client");
    let request = api::request!({
        "recipient": { "id": psid },
        "messaging_type": "UPDATE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Your appointment on 12 March at 10:15 needs a reply.",
                    "buttons": [
                        {
                            "type": "web_url",
                            "url": "https://clinic.example/appointments/88",
                            "title": "Reschedule",
                            "webview_height_ratio": "tall"
                        },
                        { "type": "postback", "title": "Confirm", "payload": "CONFIRM_88" },
                        { "type": "phone_number", "title": "Call us", "payload": "+15105551234" }
                    ]
                }
            },
            "quick_replies": [
                { "content_type": "user_phone_number" },
                { "content_type": "text", "title": "Later", "payload": "LATER_88", "image_url": "https://clinic.example/later.png" }
            ],
            "metadata": "appointment-88"
        },
        "notification_type": "SILENT_PUSH",
    });
    match client.send(&request).await {
        Ok(sent) => println!("sent: {sent:?}"),
        Err(e) => eprintln!("error: {e}"),
    }
}
