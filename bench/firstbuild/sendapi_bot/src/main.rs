//! Sends one text message through `sendapi::Client` to `$BOT_BASE_URL`.

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
        "message": { "text": "Your table for two is booked for 19:30." },
    });
    match client.send(&request).await {
        Ok(sent) => println!("sent: {sent:?}"),
        Err(e) => eprintln!("error: {e}"),
    }
}
