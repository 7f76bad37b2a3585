//! One message to a list of people, at the page's rate, against a local
//! emulator.
//!
//! ```sh
//! cargo run -p sendapi --example broadcast
//! ```
//!
//! Graph allows a page 300 text or template calls per second (10 for audio
//! and video) and answers code 613 past that. The client keeps the page
//! under its rate class with 5% headroom: [`Client::permit`] waits until
//! the budget has room for one call of the request's class, and
//! [`Client::send_with_permit`] sends without asking again. Between the
//! two, a real broadcast records that the call is about to be made (a
//! state file, a database row), so that a crash never sends twice.
//!
//! A few workers send concurrently, so that a slow answer does not hold up
//! the next; each sends right after its permit, so the permits pace them.
//! The emulator enforces the same rate classes as Graph, and its `stats()`
//! show no call refused for the rate.
//!
//! This example uses the default budget, `LocalBudget`: the count lives in
//! this process. Workers in several processes that send for the same page
//! share one budget through Redis instead (feature `redis`):
//!
//! ```ignore
//! let budget = sendapi::RedisBudget::builder("rediss://user:password@redis.internal:6380/0")
//!     .prefix("shop-bot")
//!     .connect()
//!     .await?;
//! let client = sendapi::Client::builder()/* … */.rate_budget(budget).build()?;
//! ```
//!
//! See `docs/scale-out.md` in the repository.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use sendapi::latest as api;
use sendapi::{Client, Error, RetryPolicy};
use sendapi_emulator::{Emulator, EmulatorConfig};
use tokio::task::JoinSet;

/// Test credentials of the local emulator: test data, not secrets.
const PAGE_TOKEN: &str = "EXAMPLE_PAGE_TOKEN";
const APP_SECRET: &str = "EXAMPLE_APP_SECRET";
const PAGE_ID: &str = "1122334455";
/// How many people get the message: more than one second's budget, so that
/// the pacing shows.
const PEOPLE: u64 = 600;
/// Sends in flight at once.
const WORKERS: usize = 16;
/// The message everyone gets.
const TEXT: &str = "Our summer menu is here: come and taste it this week!";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The emulator enforces the rate classes like Graph (on by default).
    let config = EmulatorConfig::new()
        .token(PAGE_TOKEN)
        .app_secret(APP_SECRET)
        .page_id(PAGE_ID)
        .rate_limits(true);
    let emulator = Emulator::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    println!("emulator: Send API at {}", emulator.base_url());

    // No retries: every 613 the emulator answered would show as a failure.
    // The default budget is a `LocalBudget` with 5% headroom.
    let client = Client::builder()
        .base_url(emulator.base_url())
        .page_id(PAGE_ID)
        .page_token(PAGE_TOKEN)
        .app_secret(APP_SECRET)
        .retry(RetryPolicy::none())
        .build()?;

    // The audience: PSIDs from your own records.
    let psids: Vec<String> = (0..PEOPLE)
        .map(|i| (6_047_783_085_000_000 + i).to_string())
        .collect();
    let class = message_for(&psids[0], TEXT).rate_class();
    println!(
        "broadcast: {} people, one UPDATE message each; rate class `{}`: {} calls per {} s for the page",
        psids.len(),
        class.name,
        class.limit,
        class.per_seconds,
    );

    // A few workers share the list. Each takes the next PSID, asks the
    // budget for a permit (waiting while the page's second is used up),
    // and sends at once: a call reaches Graph right after its permit, so
    // the budget's count and Graph's count see the same calls at nearly
    // the same times. (Taking hundreds of permits first and sending them
    // all at once would let the sends arrive late and bunch up.)
    let started = Instant::now();
    let psids = Arc::new(psids);
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = JoinSet::new();
    for _ in 0..WORKERS {
        let (client, psids, next) = (client.clone(), Arc::clone(&psids), Arc::clone(&next));
        workers.spawn(async move {
            let mut outcomes: Vec<Result<(), Error>> = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(psid) = psids.get(i) else {
                    return outcomes;
                };
                let request = message_for(psid, TEXT);
                let permit = match client.permit(&request).await {
                    Ok(permit) => permit,
                    Err(e) => {
                        outcomes.push(Err(e));
                        continue;
                    }
                };
                // A real broadcast records "about to send to {psid}" here,
                // so that a restart after a crash never sends twice.
                outcomes.push(client.send_with_permit(&request, permit).await.map(drop));
            }
        });
    }
    let mut sent = 0u64;
    let mut failed = Vec::new();
    while let Some(joined) = workers.join_next().await {
        for outcome in joined? {
            match outcome {
                Ok(()) => sent += 1,
                Err(e) => failed.push(e),
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();

    let stats = emulator.stats();
    println!(
        "broadcast: {sent} sent, {} failed, in {elapsed:.2} s ({:.0} calls/s)",
        failed.len(),
        sent as f64 / elapsed
    );
    for e in failed.iter().take(3) {
        println!("  failed: {e}");
    }
    println!(
        "emulator: calls {}, accepted {}, refused {}, refused for the rate limit {}",
        stats.requests, stats.accepted, stats.refused, stats.rate_limited
    );
    emulator.shutdown().await?;

    if !failed.is_empty() || stats.rate_limited != 0 || sent != PEOPLE {
        let rate_limited = failed
            .iter()
            .filter(|e| matches!(e, Error::Graph(_) | Error::RateLimited { .. }))
            .count();
        return Err(format!(
            "{} of {PEOPLE} sends failed ({rate_limited} by Graph or the rate limit)",
            failed.len()
        )
        .into());
    }
    println!("done: every person got the message and no call was over the page's rate");
    Ok(())
}

/// The message: `request!` checks the literal parts while compiling; the
/// PSID and the text are Rust expressions (a string position takes anything
/// `Into<String>`), checked by `validate()`, which `permit` and every send
/// run.
fn message_for(
    psid: &str,
    text: &str,
) -> api::Request<sendapi::Messenger, api::form::Id, api::kind::Message> {
    api::request!({
        "recipient": { "id": psid },
        "messaging_type": "UPDATE",
        "message": { "text": text },
    })
}
