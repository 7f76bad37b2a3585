//! Sends one text message with hand-written serde types and reqwest to
//! `$BOT_BASE_URL`.

use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct Recipient {
    id: String,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Request {
    recipient: Recipient,
    messaging_type: &'static str,
    message: Message,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Sent {
    recipient_id: Option<String>,
    message_id: Option<String>,
}

#[tokio::main]
async fn main() {
    let base = std::env::var("BOT_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let psid = std::env::var("BOT_PSID").unwrap_or_else(|_| "6047783085279281".into());
    let http = reqwest::Client::new();
    let request = Request {
        recipient: Recipient { id: psid },
        messaging_type: "RESPONSE",
        message: Message {
            text: "Your table for two is booked for 19:30.".into(),
        },
    };
    let sent = http
        .post(format!("{base}/v26.0/1/messages"))
        .bearer_auth("token")
        .json(&request)
        .send()
        .await;
    match sent {
        Ok(r) => match r.json::<Sent>().await {
            Ok(sent) => println!("sent: {sent:?}"),
            Err(e) => eprintln!("error: {e}"),
        },
        Err(e) => eprintln!("error: {e}"),
    }
}
