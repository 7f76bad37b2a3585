//! `sendapi demo`: a conversation between an emulated person and a bot
//! (the receive side and the messaging window), then a tour of the Send API
//! through `sendapi::Client`, against bundled emulators started in this
//! process on loopback ports.

mod conversation;

use std::fmt::Display;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};

use sendapi::latest as api;
use sendapi::{Client, Error, RetryPolicy};
use sendapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};

/// Test credentials of the demo's emulator; they are test data, not secrets.
const TOKEN: &str = "DEMO_PAGE_TOKEN";
const APP_SECRET: &str = "DEMO_APP_SECRET";
const PAGE_ID: &str = "1122334455";
const PSID: &str = "6047783085279281";

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run() -> u8 {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.worker_threads(2);
    let runtime = match crate::runtime(builder) {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match runtime.block_on(tour()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("sendapi demo: {e}");
            1
        }
    }
}

/// Prints one step of the tour.
struct Tour {
    step: u32,
}

impl Tour {
    fn title(&mut self, what: &str, how: &str) {
        self.step += 1;
        out!("\n{}. {what}  [{how}]", self.step);
    }

    fn request(&self, request: &impl serde::Serialize) {
        let body = serde_json::to_string(request).unwrap_or_default();
        out!("   POST /{}/{PAGE_ID}/messages", api::GRAPH_VERSION);
        out!("   > {body}");
    }

    fn answer(&self, fields: &[(&str, &dyn Display)]) {
        let shown: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        out!("   < 200 OK  {}", shown.join(", "));
    }

    fn refused(&self, who: &str, e: &Error) {
        out!("   x refused {who}:");
        for line in e.to_string().lines() {
            out!("     {line}");
        }
    }
}

/// The demo failed where it should not have.
#[derive(Debug)]
struct Unexpected(String);

impl Display for Unexpected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn unexpected(step: &str, e: impl Display) -> Unexpected {
    Unexpected(format!("{step}: {e}"))
}

async fn start() -> Result<RunningEmulator, Unexpected> {
    let config = EmulatorConfig::new()
        .spec("latest")
        .token(TOKEN)
        .app_secret(APP_SECRET);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    Emulator::start(config, addr)
        .await
        .map_err(|e| unexpected("starting the emulator", e))
}

/// The demo's client for an emulator: no retries, so that each step shows
/// exactly one exchange.
fn client_for(emulator: &RunningEmulator) -> Result<Client, Unexpected> {
    Client::builder()
        .base_url(emulator.base_url())
        .page_id(PAGE_ID)
        .page_token(TOKEN)
        .app_secret(APP_SECRET)
        .retry(RetryPolicy::none())
        .build()
        .map_err(|e| unexpected("building the client", e))
}

async fn tour() -> Result<(), Unexpected> {
    out!(
        "sendapi demo: a person writes to a page and a bot answers, then a tour of the Send API ({} as of {}), all on this machine.",
        api::SNAPSHOT,
        api::AS_OF
    );
    out!("Requests below are shown without the token and proof, which travel in the body.");
    let mut t = Tour { step: 0 };
    conversation::conversation(&mut t).await?;
    let emulator = start().await?;
    let client = client_for(&emulator)?;
    out!(
        "\nPart 2: a tour of the Send API. The emulator ({}) listens on {}; it checks the Page token and appsecret_proof, validates every body against the spec and answers like Graph.",
        emulator.snapshot(),
        emulator.base_url()
    );
    let first_message = messages(&client, &mut t).await?;
    actions(&client, &mut t, &first_message).await?;
    forms(&client, &mut t).await?;
    refusals(&client, &mut t, &emulator).await?;
    let accepted = emulator.requests().len();
    out!(
        "\nThe emulator accepted {}; `GET {}/__emulator/messages` lists them.",
        sendapi_spec::count(accepted, "request", "requests"),
        emulator.base_url()
    );
    out!(
        "Next: `sendapi emulate --addr 127.0.0.1:0 --webhook-url URL` for your own tests, `sendapi listen` to watch webhooks, `sendapi validate FILE`, `sendapi diff v26.0@2024-10-02 v26.0`."
    );
    let _ = std::io::stdout().flush();
    emulator
        .shutdown()
        .await
        .map_err(|e| unexpected("stopping the emulator", e))
}

/// A text, quick replies and a template; returns the first message's id.
async fn messages(client: &Client, t: &mut Tour) -> Result<String, Unexpected> {
    t.title("A text message", "request!");
    let text = api::request!({
        "recipient": { "id": PSID },
        "messaging_type": "RESPONSE",
        "message": { "text": "Your table for two is booked for 19:30." },
    });
    t.request(&text);
    let sent = client
        .send(&text)
        .await
        .map_err(|e| unexpected("text", e))?;
    t.answer(&[
        ("recipient_id", &sent.recipient_id()),
        ("message_id", &sent.message_id()),
    ]);
    let first_message = sent.message_id().to_string();

    t.title("Quick replies", "request!");
    let quick = api::request!({
        "recipient": { "id": PSID },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Would you like a reminder?",
            "quick_replies": [
                { "content_type": "text", "title": "Yes, 1 h before", "payload": "REMIND_1H" },
                { "content_type": "text", "title": "No, thanks", "payload": "REMIND_NO" },
            ],
        },
    });
    t.request(&quick);
    let sent = client
        .send(&quick)
        .await
        .map_err(|e| unexpected("quick replies", e))?;
    t.answer(&[("message_id", &sent.message_id())]);

    t.title("A button template", "request!");
    let template = api::request!({
        "recipient": { "id": PSID },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Your booking: table for two, 19:30.",
                    "buttons": [
                        { "type": "web_url", "url": "https://example.com/bookings/42", "title": "View booking" },
                        { "type": "postback", "title": "Cancel", "payload": "CANCEL_42" },
                    ],
                },
            },
        },
    });
    t.request(&template);
    let sent = client
        .send(&template)
        .await
        .map_err(|e| unexpected("template", e))?;
    t.answer(&[("message_id", &sent.message_id())]);
    Ok(first_message)
}

/// Sender actions: typing, and a reaction to the first message.
async fn actions(client: &Client, t: &mut Tour, first_message: &str) -> Result<(), Unexpected> {
    t.title("Typing indicator", "builder");
    let typing = api::Request::builder().to_id(PSID).typing_on().build();
    t.request(&typing);
    let done = client
        .send(&typing)
        .await
        .map_err(|e| unexpected("typing", e))?;
    t.answer(&[("recipient_id", &done.recipient_id)]);

    t.title("A reaction to the first message", "builder");
    let react = api::Request::builder()
        .to_id(PSID)
        .react(first_message, "love")
        .build();
    t.request(&react);
    let done = client
        .send(&react)
        .await
        .map_err(|e| unexpected("reaction", e))?;
    t.answer(&[("recipient_id", &done.recipient_id)]);
    Ok(())
}

/// A tagged message, a user_ref send and a batch.
async fn forms(client: &Client, t: &mut Tour) -> Result<(), Unexpected> {
    t.title(
        "A human agent's answer after 24 hours (MESSAGE_TAG + HUMAN_AGENT, 7-day window)",
        "builder",
    );
    let agent = api::Request::builder()
        .to_id(PSID)
        .text("This is Sam from the front desk: your booking is confirmed.")
        .human_agent()
        .build();
    t.request(&agent);
    let sent = client
        .send(&agent)
        .await
        .map_err(|e| unexpected("human agent", e))?;
    t.answer(&[("message_id", &sent.message_id())]);

    t.title(
        "A send to a user_ref (checkbox plugin): the answer has no recipient_id",
        "request!",
    );
    let by_ref = api::request!({
        "recipient": { "user_ref": "checkbox-7f3a9c" },
        "messaging_type": "UPDATE",
        "message": { "text": "Thanks for subscribing to booking updates." },
    });
    t.request(&by_ref);
    let sent = client
        .send(&by_ref)
        .await
        .map_err(|e| unexpected("user_ref", e))?;
    // `sent.recipient_id()` does not compile for a user_ref send.
    t.answer(&[
        ("message_id", &sent.message_id()),
        (
            "recipient_id",
            &sent
                .recipient_id_if_present()
                .unwrap_or("(none, as Meta answers)"),
        ),
    ]);

    t.title(
        "A batch of three messages in one Graph call",
        "Client::send_batch",
    );
    let batch: Vec<_> = [
        "Reminder: 19:30 tonight.",
        "Parking is free after 18:00.",
        "See you soon!",
    ]
    .into_iter()
    .map(|line| {
        api::Request::builder()
            .to_id(PSID)
            .text(line)
            .update()
            .build()
    })
    .collect();
    out!(
        "   POST /{}/  (batch of {})",
        api::GRAPH_VERSION,
        batch.len()
    );
    let results = client
        .send_batch(&batch)
        .await
        .map_err(|e| unexpected("batch", e))?;
    for (i, r) in results.iter().enumerate() {
        match r {
            Ok(sent) => out!("   < item {}: message_id: {}", i + 1, sent.message_id()),
            Err(e) => return Err(unexpected("batch item", e)),
        }
    }
    Ok(())
}

/// One body refused before it is sent, one refused by the emulator.
async fn refusals(
    client: &Client,
    t: &mut Tour,
    emulator: &RunningEmulator,
) -> Result<(), Unexpected> {
    t.title(
        "Refused locally: a 2001-character text, known only at run time",
        "request! with an expression; Client::send runs validate()",
    );
    let long = "x".repeat(2001);
    let too_long = api::request!({
        "recipient": { "id": PSID },
        "messaging_type": "RESPONSE",
        "message": { "text": long },
    });
    let before = emulator.requests().len();
    match client.send(&too_long).await {
        Err(e @ Error::Invalid(_)) => t.refused("before sending", &e),
        other => return Err(unexpected("the long text", format!("{other:?}"))),
    }
    out!(
        "   (the emulator received {} for it)",
        sendapi_spec::count(emulator.requests().len() - before, "request", "requests")
    );

    t.title(
        "Refused by the emulator: a tag Graph refuses since 2026-04-27",
        "sendapi::Unchecked skips the local rules",
    );
    let body = serde_json::json!({
        "recipient": { "id": PSID },
        "messaging_type": "MESSAGE_TAG",
        "tag": "ACCOUNT_UPDATE",
        "message": { "text": "Your card was declined." },
    });
    let unchecked = sendapi::Unchecked::new(body);
    t.request(&unchecked);
    match client.send(&unchecked).await {
        Err(e @ Error::Graph(_)) => t.refused("by Graph (the emulator)", &e),
        other => return Err(unexpected("the refused tag", format!("{other:?}"))),
    }
    Ok(())
}
