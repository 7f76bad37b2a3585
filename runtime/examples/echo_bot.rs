//! An echo bot on the axum webhook integration, against a local emulator.
//!
//! ```sh
//! cargo run -p sendapi --example echo_bot --features axum
//! ```
//!
//! Everything runs in this process on loopback ports, with test
//! credentials: the bundled emulator (`sendapi-emulator`) plays Graph *and*
//! the person who writes to the page. Each message the person writes
//! reaches the bot as a signed webhook; `sendapi::webhook::Receiver`
//! answers Meta's handshake, checks `X-Hub-Signature-256` over the raw body
//! before decoding, answers 200 at once and runs the handler afterwards.
//! The handler echoes the text back through `sendapi::Client`.
//!
//! Against the real Graph, point `Client::builder().base_url` nowhere (the
//! default is `https://graph.facebook.com`), take the token and the app
//! secret from the environment, and serve the router on a public HTTPS URL
//! that you register in the App Dashboard with the same verify token.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sendapi::latest::{self as api, webhook};
use sendapi::webhook::Receiver;
use sendapi::{Client, RetryPolicy};
use sendapi_emulator::{Emulator, EmulatorConfig};
use tokio::sync::mpsc;

/// Test credentials of the local emulator: test data, not secrets.
const PAGE_TOKEN: &str = "EXAMPLE_PAGE_TOKEN";
const APP_SECRET: &str = "EXAMPLE_APP_SECRET";
const VERIFY_TOKEN: &str = "EXAMPLE_VERIFY_TOKEN";
const PAGE_ID: &str = "1122334455";
/// The person the emulator plays.
const PERSON: &str = "6047783085279281";

/// What the bot needs in its handler: the client, set once the emulator is
/// up (the bot listens first, because the emulator makes the handshake as
/// it starts), and where it reports what it did.
struct Bot {
    client: OnceLock<Client>,
    done: mpsc::UnboundedSender<String>,
}

impl Bot {
    /// Echoes a text message back to its sender; returns a line to print.
    async fn on_event(&self, received: webhook::Received<'_>) -> String {
        let webhook::Event::Message(message) = received.event() else {
            return format!("bot: ignored a {} event", received.event().kind());
        };
        let from = received
            .item
            .sender
            .as_ref()
            .and_then(|s| s.id.clone())
            .unwrap_or_default();
        let Some(text) = message.text.clone() else {
            return format!("bot: message {} from {from} has no text", message.mid);
        };
        // Values in `request!` may be Rust expressions: `from` and the text
        // are `String`s, and a string position takes anything `Into<String>`.
        let reply = api::request!({
            "recipient": { "id": from.clone() },
            "messaging_type": "RESPONSE",
            "message": { "text": format!("You said: {text}") },
        });
        let Some(client) = self.client.get() else {
            return "bot: no client yet".to_string();
        };
        match client.send(&reply).await {
            Ok(sent) => format!(
                "bot: echoed to {from}: \"You said: {text}\" (message_id {})",
                sent.message_id()
            ),
            Err(e) => format!("bot: the echo to {from} was refused: {e}"),
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. The bot: an axum router from `Receiver`, on a free loopback port.
    let (done, mut reports) = mpsc::unbounded_channel();
    let bot = Arc::new(Bot {
        client: OnceLock::new(),
        done,
    });
    let handler_bot = Arc::clone(&bot);
    let app: axum::Router = Receiver::new(APP_SECRET, VERIFY_TOKEN)
        .path("/webhook")
        .router(move |notification: webhook::Notification| {
            let bot = Arc::clone(&handler_bot);
            async move {
                for received in notification.events() {
                    let line = bot.on_event(received).await;
                    let _ = bot.done.send(line);
                }
            }
        });
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let bot_url = format!("http://{}/webhook", listener.local_addr()?);
    let (stop_bot, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    println!("bot: listening at {bot_url}");

    // 2. The emulator: Graph's Send API, and the person writing to the page
    //    (the library form of `sendapi emulate --webhook-url … --verify-token …`).
    let config = EmulatorConfig::new()
        .token(PAGE_TOKEN)
        .app_secret(APP_SECRET)
        .page_id(PAGE_ID)
        .webhook_url(&bot_url)
        .verify_token(VERIFY_TOKEN);
    let emulator = Emulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    println!("emulator: Send API at {}", emulator.base_url());
    match emulator.webhook_handshake() {
        Some(Ok(())) => println!("emulator: webhook handshake with the bot passed"),
        Some(Err(e)) => return Err(format!("the webhook handshake failed: {e}").into()),
        None => return Err("the emulator made no handshake".into()),
    }

    // 3. The bot's client, pointed at the emulator.
    let client = Client::builder()
        .base_url(emulator.base_url())
        .page_id(PAGE_ID)
        .page_token(PAGE_TOKEN)
        .app_secret(APP_SECRET)
        .retry(RetryPolicy::none())
        .build()?;
    let _ = bot.client.set(client);

    // 4. The conversation: the person writes, the bot echoes each message.
    let person = emulator.person(PERSON);
    let mut echoed = 0;
    for text in ["Hello!", "Is anyone there?", "Olá, ça va? 👋"] {
        let mid = person.says(text)?;
        println!("person {PERSON}: \"{text}\" (mid {mid})");
        // Deliveries on loopback take milliseconds; the bound turns a lost
        // webhook into an error instead of a hang.
        let line = tokio::time::timeout(Duration::from_secs(30), reports.recv())
            .await
            .map_err(|_| "no webhook reached the bot within 30 s")?
            .ok_or("the bot stopped")?;
        println!("{line}");
        if !line.starts_with("bot: echoed") {
            return Err(line.into());
        }
        echoed += 1;
    }

    // 5. What the emulator saw, then a clean shutdown of both servers.
    let stats = emulator.stats();
    println!(
        "emulator: Send API calls {}, accepted {}, webhooks delivered {}",
        stats.requests, stats.accepted, stats.webhooks_delivered
    );
    emulator.shutdown().await?;
    let _ = stop_bot.send(());
    server.await??;
    println!("done: messages echoed {echoed}; the bot and the emulator are stopped");
    Ok(())
}
