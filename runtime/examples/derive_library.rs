//! A library author's message types, derived with `#[derive(sendapi::Message)]`
//! and sent through a local emulator.
//!
//! ```sh
//! cargo run -p sendapi --example derive_library
//! ```
//!
//! The module `notices` is what a library crate would publish: plain Rust
//! types that know how to become Send API requests. The attributes are
//! checked against the snapshot's rules while compiling (a refused tag, a
//! role the snapshot has no field for, a platform exclusion are compile
//! errors, all at once); the values are checked at run time by
//! `validate()`, which `Client::send` always runs.
//!
//! A crate that only defines message types can depend on `sendapi` with
//! `default-features = false`: the derive needs no HTTP stack. Sending them,
//! as this example does, needs the default `client` feature.

use std::net::{Ipv4Addr, SocketAddr};

use sendapi::Message as _;
use sendapi::latest as api;
use sendapi::{Client, RetryPolicy};
use sendapi_emulator::{Emulator, EmulatorConfig};

/// What a library crate of message types would publish.
mod notices {
    use sendapi::latest as api;

    /// A shipping notice with a quick reply to track the parcel.
    #[derive(Debug, Clone, sendapi::Message)]
    #[sendapi(messaging_type = "UPDATE")]
    pub struct Shipped {
        #[sendapi(text)]
        pub text: String,
        #[sendapi(quick_replies)]
        pub replies: Vec<api::QuickReply>,
        #[sendapi(metadata)]
        pub order: String,
    }

    /// A picture, delivered without a push notification.
    #[derive(Debug, Clone, sendapi::Message)]
    #[sendapi(messaging_type = "RESPONSE", notification_type = "NO_PUSH")]
    pub struct Photo {
        #[sendapi(attachment)]
        pub image: api::Attachment,
    }

    /// Support conversations: every variant is sent by a human agent
    /// (`tag = "HUMAN_AGENT"` implies `messaging_type` `MESSAGE_TAG`).
    #[derive(Debug, Clone, sendapi::Message)]
    #[sendapi(tag = "HUMAN_AGENT")]
    pub enum Support {
        /// An agent's answer.
        Answer(#[sendapi(text)] String),
        /// A follow-up about a ticket, with a silent push.
        #[sendapi(notification_type = "SILENT_PUSH")]
        FollowUp {
            #[sendapi(text)]
            text: String,
            #[sendapi(metadata)]
            ticket: String,
        },
    }
}

/// Test credentials of the local emulator: test data, not secrets.
const PAGE_TOKEN: &str = "EXAMPLE_PAGE_TOKEN";
const APP_SECRET: &str = "EXAMPLE_APP_SECRET";
const PAGE_ID: &str = "1122334455";
const PSID: &str = "6047783085279281";

/// Validates, prints and sends one request.
async fn send<R: sendapi::Request>(
    client: &Client,
    what: &str,
    request: &R,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("{what}");
    println!("  > {}", serde_json::to_string(request)?);
    let sent = client.send(request).await?;
    println!("  < 200 OK {:?}", sent.value);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = EmulatorConfig::new()
        .token(PAGE_TOKEN)
        .app_secret(APP_SECRET)
        .page_id(PAGE_ID);
    let emulator = Emulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    println!("emulator: Send API at {}", emulator.base_url());
    let client = Client::builder()
        .base_url(emulator.base_url())
        .page_id(PAGE_ID)
        .page_token(PAGE_TOKEN)
        .app_secret(APP_SECRET)
        .retry(RetryPolicy::none())
        .build()?;

    let shipped = notices::Shipped {
        text: "Your parcel left the warehouse.".into(),
        replies: vec![api::QuickReply::text(api::TextQuickReply::new(
            "Track",
            "TRACK_4411",
        ))],
        order: "order-4411".into(),
    };
    send(
        &client,
        "Shipped (UPDATE, text, quick replies, metadata)",
        &shipped.to_request(api::Recipient::id(PSID)),
    )
    .await?;

    let photo = notices::Photo {
        image: api::Attachment::image(api::MediaPayload::url("https://example.com/parcel.jpg")),
    };
    send(
        &client,
        "Photo (RESPONSE, NO_PUSH, an image attachment)",
        &photo.to_request(api::Recipient::id(PSID)),
    )
    .await?;

    for (what, support) in [
        (
            "Support::Answer (HUMAN_AGENT)",
            notices::Support::Answer("An agent will call you within the hour.".into()),
        ),
        (
            "Support::FollowUp (HUMAN_AGENT, SILENT_PUSH, metadata)",
            notices::Support::FollowUp {
                text: "Did the replacement arrive?".into(),
                ticket: "ticket-77".into(),
            },
        ),
    ] {
        send(&client, what, &support.to_request(api::Recipient::id(PSID))).await?;
    }

    // Values are checked at run time: 14 quick replies break the rule
    // `message.quick_replies.items`, and nothing is sent.
    let too_many = notices::Shipped {
        replies: (0..14)
            .map(|i| {
                api::QuickReply::text(api::TextQuickReply::new(format!("R{i}"), format!("R{i}")))
            })
            .collect(),
        ..shipped
    };
    let request = too_many.to_request(api::Recipient::id(PSID));
    match client.send(&request).await {
        Err(sendapi::Error::Invalid(invalid)) => {
            println!("Shipped with 14 quick replies: refused before sending");
            println!("  x {:?}", invalid.rule_ids());
        }
        other => return Err(format!("expected a refusal before sending, got {other:?}").into()),
    }

    let stats = emulator.stats();
    println!(
        "emulator: calls {}, accepted {}, refused {}",
        stats.requests, stats.accepted, stats.refused
    );
    emulator.shutdown().await?;
    println!("done: 4 derived messages sent, 1 refused before sending");
    Ok(())
}
