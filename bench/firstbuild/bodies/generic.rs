//! The bot of `../sendapi_bot` with a larger body: a generic template of two
//! elements with three buttons, and two quick replies. `BODY=generic` in
//! `run.sh` builds it in place of the bot's own `main.rs`.

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
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "generic",
                    "elements": [
                        {
                            "title": "Order 4021 has shipped",
                            "subtitle": "Arrives Thursday",
                            "image_url": "https://shop.example/img/4021.png",
                            "buttons": [
                                { "type": "web_url", "url": "https://shop.example/track/4021", "title": "Track" },
                                { "type": "postback", "title": "Contact us", "payload": "CONTACT_4021" }
                            ]
                        },
                        {
                            "title": "Leave a review",
                            "buttons": [ { "type": "postback", "title": "Review", "payload": "REVIEW_4021" } ]
                        }
                    ]
                }
            },
            "quick_replies": [
                { "content_type": "text", "title": "Thanks", "payload": "THANKS" },
                { "content_type": "text", "title": "Stop updates", "payload": "STOP" }
            ]
        },
    });
    match client.send(&request).await {
        Ok(sent) => println!("sent: {sent:?}"),
        Err(e) => eprintln!("error: {e}"),
    }
}
