//! `sendapi broadcast`: one message to each distinct PSID of a file, at the
//! page's rate, with a state file that makes a rerun safe.
//!
//! The order that makes a rerun safe is kept in one place,
//! `Ctx::send_one`: the rate permit first, then the `attempted` record
//! (synced), then the request, then the outcome record. A PSID whose last
//! record is `attempted` or `unknown` may have been delivered and is never
//! sent again; it is listed for a person to decide.

mod outcome;
mod progress;
mod recipients;
mod state;
mod summary;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use sendapi::{Client, Platform};
use sendapi_spec::{Compiled, Engine};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::send::Raw;
use crate::signals::Signals;
use outcome::{Outcome, classify};
use progress::Progress;
use state::{Header, Journal, Previous, Record, Status};
use summary::{Ending, Summary};

/// Sends in a row that end failed or unknown before the broadcast stops: a
/// wrong --base-url or an endpoint that is down would otherwise mark the
/// whole list, and unknown PSIDs are never sent again.
const TROUBLE_IN_A_ROW: u64 = 10;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("message").required(true).args(["text", "body"])))]
pub struct Args {
    /// The sending Page's id (`me` stands for the token's Page).
    #[arg(long, value_name = "ID")]
    page_id: String,
    /// Snapshot: a bundled name (v21.0, v26.0, latest) or the path of a spec
    /// file or delta, either with `@YYYY-MM-DD` to evaluate it at that date.
    /// The body is checked against its rules once, before anything is sent.
    #[arg(long, default_value = "latest", value_name = "NAME|PATH")]
    spec: String,
    /// Graph's base URL; wins over $SENDAPI_BASE_URL; https://graph.facebook.com by default.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The recipients: one PSID a line; blank lines and `#` comments are
    /// skipped, a repeated PSID is sent once.
    #[arg(long, value_name = "FILE")]
    to: PathBuf,
    /// Send this text to each PSID.
    #[arg(long, value_name = "T")]
    text: Option<String>,
    /// Send this JSON body to each PSID, its `recipient` replaced by
    /// `{"id": PSID}`.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["messaging_type", "tag"])]
    body: Option<PathBuf>,
    /// Messaging type of the --text message.
    #[arg(long, value_name = "T", default_value = "UPDATE")]
    messaging_type: String,
    /// Message tag of the --text message; sets the messaging type the
    /// spec's rules require with a tag (MESSAGE_TAG in the bundled
    /// snapshots).
    #[arg(long, value_name = "T")]
    tag: Option<String>,
    /// Share the page's rate budget through this Redis (`redis://` or
    /// `rediss://`, credentials in the URL) with every process that uses
    /// it with the same prefix.
    #[arg(long, value_name = "URL")]
    redis: Option<String>,
    /// The key prefix of the shared budget in Redis.
    #[arg(long, value_name = "P", default_value = "sendapi")]
    redis_prefix: String,
    /// Record each PSID's attempt and outcome here (JSON lines), so that a
    /// rerun skips what was sent and never resends what may have been.
    /// Locked while a broadcast uses it.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Sends in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    concurrency: u32,
    /// Check the file and the body and count what would be sent; needs no
    /// token and sends nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Why a broadcast stops before it starts.
#[derive(Debug)]
pub enum Error {
    /// Flags, files, the token: exit status 2.
    Usage(String),
    /// The body breaks the spec's rules, or the client cannot start: 1.
    Failed(String),
}

impl Error {
    fn code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Failed(_) => 1,
        }
    }

    fn text(&self) -> &str {
        match self {
            Error::Usage(t) | Error::Failed(t) => t,
        }
    }
}

pub fn run(args: &Args) -> u8 {
    match broadcast(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sendapi broadcast: {}", e.text());
            e.code()
        }
    }
}

/// Which request type carries the bodies: the typed bindings of a bundled
/// snapshot, or for a team's own spec an unchecked body (its rules ran in
/// the engine) sent to its Graph version.
#[derive(Debug, Clone)]
enum Kind {
    V21,
    V26,
    Custom { graph_version: String },
}

/// One PSID's request.
enum Outgoing {
    V21(Raw<sendapi::v21::Request<sendapi::Messenger>>),
    V26(Raw<sendapi::v26::Request<sendapi::Messenger>>),
    Custom(sendapi::Unchecked),
}

impl Outgoing {
    fn new(kind: &Kind, body: Value) -> Result<Outgoing, sendapi::Invalid> {
        Ok(match kind {
            Kind::V21 => Outgoing::V21(Raw {
                typed: sendapi::v21::Request::from_json(&body)?.on::<sendapi::Messenger>(),
            }),
            Kind::V26 => Outgoing::V26(Raw {
                typed: sendapi::v26::Request::from_json(&body)?.on::<sendapi::Messenger>(),
            }),
            Kind::Custom { graph_version } => Outgoing::Custom(
                sendapi::Unchecked::new(body)
                    .platform(Platform::Messenger)
                    .graph_version(graph_version.clone()),
            ),
        })
    }
}

/// The message without its recipient, from --text or --body.
fn template_of(args: &Args, compiled: &Compiled) -> Result<Value, Error> {
    let mut template = match &args.body {
        Some(path) => {
            let (name, bytes) = crate::validate::read(path).map_err(Error::Usage)?;
            let body = crate::validate::parse_body(&name, &bytes).map_err(Error::Usage)?;
            if !body.is_object() {
                return Err(Error::Usage(format!(
                    "{name}: the body must be a JSON object"
                )));
            }
            body
        }
        None => {
            let text = args.text.as_deref().unwrap_or_default();
            let mut body = json!({
                "messaging_type": args.messaging_type,
                "message": { "text": text },
            });
            if let Some(tag) = &args.tag {
                body["tag"] = json!(tag);
                // As in `send`: what a tag implies is the spec's to say.
                let spec = compiled.spec();
                for (field, value) in spec.implied_by(spec.root(), "tag", Platform::Messenger) {
                    body[field] = json!(value);
                }
            }
            body
        }
    };
    if let Value::Object(m) = &mut template {
        m.remove("recipient");
        // The client adds its own; a token in a file must not travel twice.
        m.remove("access_token");
        m.remove("appsecret_proof");
    }
    Ok(template)
}

/// The body one PSID gets.
fn body_for(template: &Value, psid: &str) -> Value {
    let mut body = template.clone();
    if let Value::Object(m) = &mut body {
        m.insert("recipient".into(), json!({ "id": psid }));
    }
    body
}

/// Checks the body once, with the first PSID, before anything is sent.
fn check_body(engine: &Engine, kind: &Kind, body: &Value) -> Result<(), Error> {
    let report = engine.validate(body, Platform::Messenger);
    if !report.violations.is_empty() {
        let mut text = Vec::new();
        let _ = crate::validate::print_text(
            &mut text,
            "the broadcast body",
            &report,
            engine.snapshot(),
            Platform::Messenger,
            crate::validate::DEFAULT_MAX_VIOLATIONS,
        );
        eprintln!("{}", String::from_utf8_lossy(&text).trim_end());
    }
    if !report.is_valid() {
        return Err(Error::Failed(
            "the body breaks the rules above; nothing was sent".into(),
        ));
    }
    // The typed bindings read it as the engine does; should they ever
    // differ, nothing goes out.
    Outgoing::new(kind, body.clone())
        .map(drop)
        .map_err(|e| Error::Failed(format!("{e}; nothing was sent")))
}

fn broadcast(args: &Args) -> Result<u8, Error> {
    let recipients = recipients::read(&args.to)?;
    let compiled = Compiled::resolve(&args.spec).map_err(|e| Error::Usage(e.to_string()))?;
    crate::spec_cmd::notices(compiled.spec());
    let kind = match args.spec.as_str() {
        "v21.0" => Kind::V21,
        "v26.0" | "latest" => Kind::V26,
        _ => Kind::Custom {
            graph_version: compiled.spec().graph_version().to_string(),
        },
    };
    let template = template_of(args, &compiled)?;
    let first = body_for(&template, &recipients.psids[0]);
    check_body(compiled.engine(), &kind, &first)?;
    let header = Header::new(&args.page_id, &state::body_sha256(&template));
    if let Some(url) = &args.redis
        && !(url.starts_with("redis://") || url.starts_with("rediss://"))
    {
        // Checked here too so that a dry run catches it. The URL may hold a
        // password: it is not printed.
        return Err(Error::Usage(
            "--redis must be a redis:// or rediss:// URL".into(),
        ));
    }
    if args.dry_run {
        let previous = match &args.state {
            Some(path) => state::peek(path, &header)?,
            None => Previous::default(),
        };
        dry_run(&recipients, &previous, compiled.engine(), &first);
        return Ok(0);
    }
    let token = std::env::var(crate::send::TOKEN_VAR).unwrap_or_default();
    if token.is_empty() {
        return Err(Error::Usage(format!(
            "set {} to the Page access token (it is never taken from arguments)",
            crate::send::TOKEN_VAR
        )));
    }
    let secret = std::env::var(crate::send::SECRET_VAR).unwrap_or_default();
    let base = args
        .base_url
        .clone()
        .or_else(|| {
            std::env::var(crate::send::BASE_URL_VAR)
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| sendapi::DEFAULT_BASE_URL.to_string());
    let runtime = crate::runtime(tokio::runtime::Builder::new_multi_thread())
        .map_err(|_| Error::Failed("cannot start the async runtime".into()))?;
    // The client first: a bad base URL or an unreachable Redis leaves no
    // state file behind.
    let client = runtime.block_on(client(args, &token, &secret, base))?;
    let (journal, previous) = match &args.state {
        Some(path) => {
            let (journal, previous) = Journal::open(path, &header)?;
            (Some(journal), previous)
        }
        None => {
            eprintln!(
                "sendapi broadcast: no --state: if this run stops, a rerun cannot tell who got the message"
            );
            (None, Previous::default())
        }
    };
    let plan = Plan::new(&recipients.psids, &previous);
    let ctx = Arc::new(Ctx {
        client,
        journal,
        kind,
        template,
    });
    let mut summary = Summary::from_plan(&plan);
    summary.has_state = ctx.journal.is_some();
    summary.ending = runtime.block_on(send_all(
        &ctx,
        &plan.todo,
        args.concurrency as usize,
        &mut summary,
    ));
    summary.print();
    Ok(summary.code())
}

/// The client, with the page's budget local or shared through Redis.
async fn client(args: &Args, token: &str, secret: &str, base: String) -> Result<Client, Error> {
    let mut builder = Client::builder()
        .page_id(&args.page_id)
        .page_token(token)
        .app_secret(secret)
        .base_url(base)
        .rate_limit(sendapi::RateLimitMode::Wait);
    if let Some(url) = &args.redis {
        let budget = sendapi::RedisBudget::builder(url.as_str())
            .prefix(args.redis_prefix.as_str())
            .connect()
            .await
            .map_err(|e| match e {
                // A URL or prefix that cannot work is the caller's to fix.
                sendapi::Error::Config(m) => Error::Usage(m),
                // Redis is down or refuses: nothing is sent without it (the
                // error says so).
                other => Error::Failed(other.to_string()),
            })?;
        builder = builder.rate_budget(budget);
    }
    builder.build().map_err(|e| Error::Usage(e.to_string()))
}

/// What the state file says of each PSID of this run.
#[derive(Debug, Default)]
struct Plan {
    todo: Vec<String>,
    /// Sent by an earlier run.
    skipped: usize,
    /// Refused in an earlier run, with the reason.
    refused: Vec<(String, String)>,
    /// Attempted in an earlier run without a certain outcome.
    unknown: Vec<(String, String)>,
    /// Failed in an earlier run, certainly not delivered: sent again.
    retried: usize,
}

impl Plan {
    fn new(psids: &[String], previous: &Previous) -> Plan {
        let mut plan = Plan::default();
        for psid in psids {
            let Some(record) = previous.last.get(psid) else {
                plan.todo.push(psid.clone());
                continue;
            };
            let why = record.error.clone().unwrap_or_default();
            match record.state {
                Status::Sent => plan.skipped += 1,
                Status::Refused => plan.refused.push((psid.clone(), why)),
                Status::Unknown => plan.unknown.push((psid.clone(), why)),
                Status::Attempted => plan.unknown.push((
                    psid.clone(),
                    "attempted; the run stopped before its outcome was recorded".into(),
                )),
                Status::Failed => {
                    plan.retried += 1;
                    plan.todo.push(psid.clone());
                }
            }
        }
        plan
    }
}

fn dry_run(
    recipients: &recipients::Recipients,
    previous: &Previous,
    engine: &Engine,
    body: &Value,
) {
    let plan = Plan::new(&recipients.psids, previous);
    let mut line = format!("dry run: {} distinct PSIDs", recipients.psids.len());
    if recipients.duplicates > 0 {
        line.push_str(&format!(
            " ({} repeated lines skipped)",
            recipients.duplicates
        ));
    }
    line.push_str(&format!("; the body is valid under {}", engine.snapshot()));
    out!("{line}");
    if !previous.last.is_empty() {
        out!(
            "state: {} already sent, {} refused, {} unknown (not resent), {} failed (sent again)",
            plan.skipped,
            plan.refused.len(),
            plan.unknown.len(),
            plan.retried
        );
    }
    let mut line = format!("would send {}", plan.todo.len());
    if let Some(class) = engine.rate_class(body) {
        line.push_str(&format!(
            " (rate class {}: {} per {} s)",
            class.name, class.limit, class.per_seconds
        ));
    }
    out!("{line}");
}

/// What every send shares.
#[derive(Debug)]
struct Ctx {
    client: Client,
    journal: Option<Journal>,
    kind: Kind,
    template: Value,
}

/// What a send task reports.
#[derive(Debug)]
enum Done {
    /// Stopped before its permit: nothing recorded, nothing sent.
    NotStarted,
    /// The `attempted` record could not be written, so nothing was sent.
    Unrecorded(String),
    /// An outcome; `recorded` says whether the outcome record was written
    /// (if not, the state file says `attempted`, which a rerun treats as
    /// unknown).
    Ended {
        outcome: Outcome,
        recorded: Result<(), String>,
    },
}

impl Ctx {
    async fn deliver(self: Arc<Self>, psid: String, stop: watch::Receiver<bool>) -> Done {
        let body = body_for(&self.template, &psid);
        match Outgoing::new(&self.kind, body) {
            Ok(Outgoing::V21(r)) => self.send_one(&psid, &r, stop).await,
            Ok(Outgoing::V26(r)) => self.send_one(&psid, &r, stop).await,
            Ok(Outgoing::Custom(r)) => self.send_one(&psid, &r, stop).await,
            // Checked with the first PSID: only this PSID can be the cause.
            Err(e) => {
                let outcome = Outcome::of(Status::Refused, &sendapi::Error::Invalid(e));
                self.ended(&psid, outcome).await
            }
        }
    }

    /// Permit, `attempted` record, request, outcome record: in this order
    /// and nowhere else.
    async fn send_one<R>(&self, psid: &str, request: &R, mut stop: watch::Receiver<bool>) -> Done
    where
        R: sendapi::Request<Response = Value>,
    {
        let permit = tokio::select! {
            biased;
            _ = stop.wait_for(|stopped| *stopped) => return Done::NotStarted,
            permit = self.client.permit(request) => permit,
        };
        let permit = match permit {
            Ok(p) => p,
            // Nothing was sent: no permit, no request.
            Err(e) => return self.ended(psid, classify(Err(e))).await,
        };
        // Durable before the request leaves: if this process dies from
        // here on, a rerun counts the PSID as unknown and does not resend.
        if let Some(journal) = &self.journal
            && let Err(e) = journal.record(&Record::attempted(psid)).await
        {
            return Done::Unrecorded(e);
        }
        let outcome = classify(self.client.send_with_permit(request, permit).await);
        self.ended(psid, outcome).await
    }

    async fn ended(&self, psid: &str, outcome: Outcome) -> Done {
        let recorded = match &self.journal {
            Some(journal) => {
                journal
                    .record(&Record {
                        psid: psid.to_string(),
                        state: outcome.status,
                        mid: outcome.mid.clone(),
                        error: outcome.error.clone(),
                    })
                    .await
            }
            None => Ok(()),
        };
        Done::Ended { outcome, recorded }
    }
}

/// Sends to `todo`, `concurrency` at a time, until done, a signal, or an
/// error that concerns every send.
async fn send_all(
    ctx: &Arc<Ctx>,
    todo: &[String],
    concurrency: usize,
    summary: &mut Summary,
) -> Ending {
    let mut progress = Progress::new(todo.len() as u64);
    let (stop, stopped) = watch::channel(false);
    let mut signals = match Signals::new() {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("sendapi broadcast: cannot listen for signals: {e}");
            None
        }
    };
    let mut queue = todo.iter();
    let mut tasks = JoinSet::new();
    let mut in_flight: HashMap<tokio::task::Id, String> = HashMap::new();
    let mut ending = Ending::Complete;
    let mut not_started = 0usize;
    let mut signalled = 0u32;
    // Failed or unknown outcomes since the last sent or refused one.
    let mut in_a_row = 0u64;
    loop {
        while matches!(ending, Ending::Complete) && tasks.len() < concurrency {
            let Some(psid) = queue.next() else { break };
            let handle = tasks.spawn(Arc::clone(ctx).deliver(psid.clone(), stopped.clone()));
            in_flight.insert(handle.id(), psid.clone());
        }
        if tasks.is_empty() {
            break;
        }
        tokio::select! {
            joined = tasks.join_next_with_id() => {
                let Some(joined) = joined else { break };
                let (id, done) = match joined {
                    Ok((id, done)) => (id, Ok(done)),
                    Err(e) => (e.id(), Err(e)),
                };
                let psid = in_flight.remove(&id).unwrap_or_default();
                if matches!(done, Ok(Done::NotStarted | Done::Unrecorded(_))) {
                    not_started += 1;
                }
                let troubled_before = summary.tally.failed + summary.tally.unknown;
                let settled_before = summary.tally.sent + summary.tally.refused;
                let mut halt = settle(&psid, done, summary);
                progress.update(&summary.tally);
                if summary.tally.sent + summary.tally.refused > settled_before {
                    in_a_row = 0;
                } else if summary.tally.failed + summary.tally.unknown > troubled_before {
                    in_a_row += 1;
                    if in_a_row >= TROUBLE_IN_A_ROW && halt.is_none() {
                        halt = Some(format!(
                            "{in_a_row} sends in a row failed or ended unknown; Graph (or --base-url) may be down or wrong, so nothing more is sent"
                        ));
                    }
                }
                if let Some(why) = halt
                    && matches!(ending, Ending::Complete)
                {
                    progress.note(&format!("sendapi broadcast: {why}"));
                    let _ = stop.send(true);
                    ending = Ending::Halted { why, not_attempted: 0 };
                }
            }
            () = next_signal(&mut signals) => {
                signalled += 1;
                let _ = stop.send(true);
                if signalled == 1 {
                    progress.note("sendapi broadcast: stopping: the sends in flight finish and are recorded (signal again to stop at once)");
                    if matches!(ending, Ending::Complete) {
                        ending = Ending::Interrupted { not_attempted: 0 };
                    }
                } else {
                    // Those past their permit have their `attempted` record
                    // on disk, which a rerun treats as unknown.
                    tasks.abort_all();
                }
            }
        }
    }
    progress.finish();
    let left = queue.count() + not_started;
    match &mut ending {
        Ending::Complete => {}
        Ending::Interrupted { not_attempted } | Ending::Halted { not_attempted, .. } => {
            *not_attempted = left;
        }
    }
    ending
}

/// Adds how one PSID ended to the summary; `Some(why)` when nothing more
/// may be sent.
fn settle(
    psid: &str,
    done: Result<Done, tokio::task::JoinError>,
    summary: &mut Summary,
) -> Option<String> {
    let (outcome, recorded) = match done {
        Ok(Done::NotStarted) => return None,
        Ok(Done::Unrecorded(e)) => return Some(format!("{e}; nothing more is sent")),
        Ok(Done::Ended { outcome, recorded }) => (outcome, recorded),
        // Aborted by a second signal, or a panic: the request may be out.
        Err(e) => {
            let why = if e.is_cancelled() {
                "stopped by a second signal; its request may have left"
            } else {
                "its send task panicked; its request may have left"
            };
            let outcome = Outcome {
                status: Status::Unknown,
                mid: None,
                error: Some(why.into()),
                halt: false,
            };
            summary.add(psid, &outcome);
            return None;
        }
    };
    summary.add(psid, &outcome);
    match recorded {
        Err(e) => Some(format!(
            "{e}; {psid} stays `attempted` in the state file; nothing more is sent"
        )),
        Ok(()) => outcome.halt.then(|| {
            format!(
                "{}; nothing more is sent (fix the cause and run again)",
                outcome.error.unwrap_or_default()
            )
        }),
    }
}

/// SIGINT or SIGTERM; never, without signal handling.
async fn next_signal(signals: &mut Option<Signals>) {
    match signals {
        Some(s) => {
            if s.wait().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
        None => std::future::pending::<()>().await,
    }
}
