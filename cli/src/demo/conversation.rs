//! Part one of `sendapi demo`: a conversation. The emulator plays a person
//! who writes to the page; the demo's own bot, an axum app built on
//! `sendapi::webhook::Receiver` on another loopback port, receives each
//! signed webhook and answers through `Client`. Then a day passes on the
//! emulator's clock: a plain follow-up is refused with Graph's window
//! error, and a HUMAN_AGENT follow-up goes through.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sendapi::latest::{self as api, webhook};
use sendapi::webhook::Receiver;
use sendapi::{Client, Error};
use sendapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use tokio::sync::mpsc;

use super::{APP_SECRET, PAGE_ID, TOKEN, Tour, Unexpected, unexpected};

/// The person the emulator plays in the conversation.
const PERSON: &str = "7301955560123947";
/// The verify token of the bot's webhook; test data like the token.
const VERIFY_TOKEN: &str = "DEMO_VERIFY_TOKEN";
/// The payload of the quick reply the person taps.
const BOOK_1930: &str = "BOOK_1930";

/// The demo's bot: what it needs to answer, and where it reports.
struct Bot {
    /// Set once the emulator is up: the bot must listen before the
    /// emulator starts, because the emulator makes the handshake at start.
    client: OnceLock<Client>,
    /// What the bot did with each event, for the tour to print in order.
    said: mpsc::UnboundedSender<Vec<String>>,
}

pub async fn conversation(t: &mut Tour) -> Result<(), Unexpected> {
    let (said, mut heard) = mpsc::unbounded_channel();
    let bot = Arc::new(Bot {
        client: OnceLock::new(),
        said,
    });
    let bot_url = serve_bot(Arc::clone(&bot)).await?;
    let emulator = start(&bot_url).await?;
    let client = super::client_for(&emulator)?;
    let _ = bot.client.set(client.clone());
    let handshake = match emulator.webhook_handshake() {
        Some(Ok(())) => "the handshake passed".to_string(),
        Some(Err(e)) => return Err(unexpected("the webhook handshake", e)),
        None => "no handshake".to_string(),
    };
    out!("\nPart 1: a conversation. The emulator plays a person; the demo's bot answers.");
    out!("   bot: sendapi::webhook::Receiver (axum) at {bot_url}, {handshake}");
    out!(
        "   The emulator signs each webhook with X-Hub-Signature-256; the bot verifies it before decoding."
    );
    let person = emulator.person(PERSON);

    t.title("The person writes", "emulator: person.says");
    let mid = person
        .says("Hi! Do you have a table for two tonight?")
        .map_err(|e| unexpected("the person's message", e))?;
    out!("   person {PERSON}: \"Hi! Do you have a table for two tonight?\"  (mid {mid})");
    show(&mut heard).await?;

    t.title(
        "The person taps a quick reply",
        "emulator: person.taps_quick_reply",
    );
    let mid = person
        .taps_quick_reply("19:30", BOOK_1930)
        .map_err(|e| unexpected("the quick reply", e))?;
    out!("   person {PERSON} taps \"19:30\" (payload {BOOK_1930}, mid {mid})");
    show(&mut heard).await?;

    t.title(
        "A day passes",
        "emulator clock +25 h, --enforce-window is on",
    );
    emulator.advance_clock(Duration::from_secs(25 * 3600));
    out!("   The person's last message is now 25 hours old: the 24-hour window is closed.");
    follow_ups(&client, t).await?;
    emulator
        .shutdown()
        .await
        .map_err(|e| unexpected("stopping the conversation's emulator", e))
}

/// The emulator of the conversation: webhooks to the bot, the window on.
async fn start(bot_url: &str) -> Result<RunningEmulator, Unexpected> {
    let config = EmulatorConfig::new()
        .spec("latest")
        .token(TOKEN)
        .app_secret(APP_SECRET)
        .page_id(PAGE_ID)
        .webhook_url(bot_url)
        .verify_token(VERIFY_TOKEN)
        .enforce_window(true);
    Emulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(|e| unexpected("starting the conversation's emulator", e))
}

/// Serves the bot on a free loopback port; returns its webhook URL.
async fn serve_bot(bot: Arc<Bot>) -> Result<String, Unexpected> {
    let socket = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(|e| unexpected("binding the bot", e))?;
    let addr = socket
        .local_addr()
        .map_err(|e| unexpected("the bot's address", e))?;
    let app: axum::Router = Receiver::new(APP_SECRET, VERIFY_TOKEN)
        .path("/webhook")
        .router(move |notification: webhook::Notification| {
            let bot = Arc::clone(&bot);
            async move {
                for received in notification.events() {
                    let lines = bot.answer(received).await;
                    let _ = bot.said.send(lines);
                }
                Ok::<(), std::convert::Infallible>(())
            }
        });
    tokio::spawn(async move {
        if let Err(e) = axum::serve(socket, app).await {
            eprintln!("sendapi demo: the bot stopped: {e}");
        }
    });
    Ok(format!("http://{addr}/webhook"))
}

impl Bot {
    /// The bot's whole logic: a message gets the evening's times as quick
    /// replies, a tapped time gets a booking. Returns what to print.
    async fn answer(&self, received: webhook::Received<'_>) -> Vec<String> {
        let from = received
            .item
            .sender
            .as_ref()
            .and_then(|s| s.id.clone())
            .unwrap_or_default();
        let event = received.event();
        let webhook::Event::Message(message) = event else {
            return vec![format!(
                "   bot < webhook: {} (nothing to answer)",
                event.kind()
            )];
        };
        let mut lines = vec![format!(
            "   bot < webhook: {} {} from {from}, signature verified",
            event.kind(),
            message.mid
        )];
        let tapped = message.quick_reply.as_ref().map(|q| q.payload.as_str());
        let reply = if tapped == Some(BOOK_1930) {
            api::request!({
                "recipient": { "id": from },
                "messaging_type": "RESPONSE",
                "message": { "text": "Booked: a table for two at 19:30 tonight. See you then!" },
            })
        } else {
            api::request!({
                "recipient": { "id": from },
                "messaging_type": "RESPONSE",
                "message": {
                    "text": "We do! Which time suits you?",
                    "quick_replies": [
                        { "content_type": "text", "title": "19:00", "payload": "BOOK_1900" },
                        { "content_type": "text", "title": "19:30", "payload": "BOOK_1930" },
                        { "content_type": "text", "title": "20:30", "payload": "BOOK_2030" },
                    ],
                },
            })
        };
        let body = serde_json::to_string(&reply).unwrap_or_default();
        lines.push(format!(
            "   bot > POST /{}/{PAGE_ID}/messages",
            api::GRAPH_VERSION
        ));
        lines.push(format!("     > {body}"));
        let Some(client) = self.client.get() else {
            lines.push("   x the bot has no client yet".into());
            return lines;
        };
        match client.send(&reply).await {
            Ok(sent) => lines.push(format!("     < 200 OK  message_id: {}", sent.message_id())),
            Err(e) => lines.push(format!("   x refused: {e}")),
        }
        lines
    }
}

/// Prints what the bot did with the next webhook, waiting for it.
async fn show(heard: &mut mpsc::UnboundedReceiver<Vec<String>>) -> Result<(), Unexpected> {
    // A bound so that a lost webhook ends the demo with a reason instead
    // of hanging; deliveries on loopback take milliseconds.
    match tokio::time::timeout(Duration::from_secs(30), heard.recv()).await {
        Ok(Some(lines)) => {
            for line in lines {
                out!("{line}");
            }
            Ok(())
        }
        Ok(None) => Err(unexpected("the bot", "it stopped")),
        Err(_) => Err(unexpected("the bot", "no webhook arrived within 30 s")),
    }
}

/// After the window: RESPONSE is refused, a HUMAN_AGENT message is not.
async fn follow_ups(client: &Client, t: &mut Tour) -> Result<(), Unexpected> {
    t.title(
        "A follow-up as RESPONSE, outside the window",
        "Client::send",
    );
    let late = api::request!({
        "recipient": { "id": PERSON },
        "messaging_type": "RESPONSE",
        "message": { "text": "Did you enjoy your dinner?" },
    });
    t.request(&late);
    match client.send(&late).await {
        Err(e @ Error::Graph(_)) => t.refused("by Graph (the emulator's window)", &e),
        other => return Err(unexpected("the late follow-up", format!("{other:?}"))),
    }

    t.title(
        "The same follow-up from a person, tagged HUMAN_AGENT",
        "builder: .human_agent(), accepted for 7 days",
    );
    let human = api::Request::builder()
        .to_id(PERSON)
        .text("Hello, this is Sam from the restaurant: did you enjoy your dinner?")
        .human_agent()
        .build();
    t.request(&human);
    let sent = client
        .send(&human)
        .await
        .map_err(|e| unexpected("the HUMAN_AGENT follow-up", e))?;
    t.answer(&[("message_id", &sent.message_id())]);
    Ok(())
}
