//! `sendapi emulate`: the bundled emulator as a process.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use sendapi_emulator::{Emulator, EmulatorConfig, Error, Faults};
use sendapi_spec::Platform;

use crate::signals::Signals;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port, printed when ready.
    #[arg(long, value_name = "IP:PORT")]
    addr: SocketAddr,
    /// Snapshot: a bundled name (v21.0, v26.0, latest) or the path of a spec
    /// file or delta, either with `@YYYY-MM-DD` to evaluate it at that date.
    #[arg(long, default_value = "latest", value_name = "NAME|PATH")]
    spec: String,
    /// Platform whose rules apply.
    #[arg(long, default_value = "messenger", value_parser = crate::validate::parse_platform)]
    platform: Platform,
    /// The only access token accepted (others get code 190); any token when absent.
    #[arg(long, value_name = "T")]
    token: Option<String>,
    /// App secret: every call then needs the matching appsecret_proof.
    #[arg(long, value_name = "S")]
    app_secret: Option<String>,
    /// Never answer code 613 (rate classes off).
    #[arg(long)]
    no_rate_limit: bool,
    /// Delay every request by this many milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,
    /// Answer the next N requests with HTTP 500 (Graph error code 2).
    #[arg(long = "fail-5xx", value_name = "N", default_value_t = 0)]
    fail_5xx: u32,
    /// Answer the next N requests with Graph's code 613 (over the rate
    /// limit), whatever the rate classes say.
    #[arg(long = "fail-613", value_name = "N", default_value_t = 0)]
    fail_613: u32,
    /// Close the connection of the next N requests without answering.
    #[arg(long, value_name = "N", default_value_t = 0)]
    drop: u32,
    /// Answer the next N requests with a 200 whose body is not JSON.
    #[arg(long, value_name = "N", default_value_t = 0)]
    malformed: u32,
    /// The page the emulated people write to (entry.id of their webhooks);
    /// by default the id the emulator gives /me for the token.
    #[arg(long, value_name = "ID", help_heading = "Webhooks")]
    page_id: Option<String>,
    /// Your bot's webhook: people's messages, postbacks, reactions and reads
    /// (POST /__emulator/users/PSID/messages, …) are POSTed here as Meta
    /// sends them, signed with --app-secret.
    #[arg(long, value_name = "URL", help_heading = "Webhooks")]
    webhook_url: Option<String>,
    /// Verify token for the subscription handshake (GET with hub.mode,
    /// hub.verify_token, hub.challenge) made at start; a failure is printed
    /// on stderr and the emulator keeps running.
    #[arg(long, value_name = "T", help_heading = "Webhooks")]
    verify_token: Option<String>,
    /// Send only X-Hub-Signature-256, without the older SHA-1 X-Hub-Signature.
    #[arg(long, help_heading = "Webhooks")]
    no_sha1: bool,
    /// How many times a webhook that did not get a 200 is sent again.
    #[arg(long, value_name = "N", default_value_t = sendapi_emulator::DEFAULT_WEBHOOK_RETRIES, help_heading = "Webhooks")]
    webhook_retries: u32,
    /// Also POST an echo of each accepted message the bot sends.
    #[arg(long, help_heading = "Webhooks")]
    echo: bool,
    /// Also POST a delivery event for each accepted message the bot sends.
    #[arg(long, help_heading = "Webhooks")]
    deliveries: bool,
    /// Refuse RESPONSE and UPDATE sends to people who have not written within
    /// the snapshot's messaging window, and tagged sends past their
    /// tag's window, with Graph's outside-the-window error. POST
    /// /__emulator/clock {"advance_seconds": N} moves the emulator's time.
    #[arg(long)]
    enforce_window: bool,
}

pub fn run(args: &Args) -> u8 {
    match crate::runtime(tokio::runtime::Builder::new_multi_thread()) {
        Ok(runtime) => runtime.block_on(serve(args)),
        Err(code) => code,
    }
}

fn config(args: &Args) -> EmulatorConfig {
    let mut faults = Faults::none()
        .latency(Duration::from_millis(args.latency_ms))
        .drop_connections(args.drop)
        .rate_limited(args.fail_613)
        .malformed_bodies(args.malformed);
    if args.fail_5xx > 0 {
        faults = faults.fail_5xx(500, args.fail_5xx);
    }
    let mut config = EmulatorConfig::new()
        .spec(args.spec.clone())
        .platform(args.platform)
        .rate_limits(!args.no_rate_limit)
        .faults(faults)
        .sha1_signature(!args.no_sha1)
        .webhook_retries(args.webhook_retries)
        .echo(args.echo)
        .deliveries(args.deliveries)
        .enforce_window(args.enforce_window);
    if let Some(id) = &args.page_id {
        config = config.page_id(id.clone());
    }
    if let Some(url) = &args.webhook_url {
        config = config.webhook_url(url.clone());
    }
    if let Some(t) = &args.verify_token {
        config = config.verify_token(t.clone());
    }
    if let Some(t) = &args.token {
        config = config.token(t.clone());
    }
    if let Some(s) = &args.app_secret {
        config = config.app_secret(s.clone());
    }
    config
}

async fn serve(args: &Args) -> u8 {
    // Handlers go in before the ready line, so that a signal sent as soon
    // as the line is read is caught, not fatal.
    let mut signals = match Signals::new() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sendapi: cannot listen for signals: {e}");
            return 1;
        }
    };
    let emulator = match Emulator::start(config(args), args.addr).await {
        Ok(e) => e,
        // A spec that does not load and an address that cannot be bound are
        // the caller's to fix, like an unreadable file for `validate`.
        Err(e @ (Error::Spec(_) | Error::Bind { .. } | Error::Faults(_) | Error::Webhook(_))) => {
            eprintln!("sendapi: {e}");
            return 2;
        }
        Err(e) => {
            eprintln!("sendapi: {e}");
            return 1;
        }
    };
    if let Some(Err(e)) = emulator.webhook_handshake() {
        eprintln!("sendapi: webhook handshake failed: {e}");
    }
    {
        let mut out = std::io::stdout().lock();
        // A closed stdout must not stop the server; the caller may not read.
        let _ = writeln!(out, "listening on http://{}", emulator.local_addr());
        let _ = out.flush();
    }
    if let Err(e) = signals.wait().await {
        eprintln!("sendapi: waiting for a signal failed: {e}");
    }
    match emulator.shutdown().await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("sendapi: {e}");
            1
        }
    }
}
