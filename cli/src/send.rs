//! `sendapi send`: one request to Graph (or any stand-in), checked first.

use std::path::PathBuf;
use std::time::Duration;

use sendapi::{Client, Delivery, Error, RetryPolicy};
use sendapi_spec::{Compiled, Engine, Platform, Spec};
use serde_json::{Value, json};

use crate::validate::{DEFAULT_MAX_VIOLATIONS, parse_body, print_text, read};

/// Where the Page token comes from; never from arguments, which other
/// users of the machine can read in the process list.
pub const TOKEN_VAR: &str = "SENDAPI_PAGE_TOKEN";
/// Where the app secret comes from, for `appsecret_proof`.
pub const SECRET_VAR: &str = "SENDAPI_APP_SECRET";
/// The base URL when `--base-url` is not given.
pub const BASE_URL_VAR: &str = "SENDAPI_BASE_URL";

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["body", "to"])))]
pub struct Args {
    /// The sending Page's id (`me` stands for the token's Page).
    #[arg(long, value_name = "ID")]
    page_id: String,
    /// Snapshot: a bundled name (v21.0, v26.0, latest) or the path of a spec
    /// file or delta, either with `@YYYY-MM-DD` to evaluate it at that date. Its
    /// rules are checked locally; the request goes to its `graph_version`.
    #[arg(long, default_value = "latest", value_name = "NAME|PATH")]
    spec: String,
    /// Platform whose rules apply.
    #[arg(long, default_value = "messenger", value_parser = crate::validate::parse_platform)]
    platform: Platform,
    /// Graph's base URL; wins over $SENDAPI_BASE_URL; https://graph.facebook.com by default.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The request body, a JSON file; `-` reads standard input.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["to", "text", "messaging_type", "tag"])]
    body: Option<PathBuf>,
    /// Send a text message to this PSID (or IGSID) instead of a body file.
    #[arg(long, value_name = "PSID", requires = "text")]
    to: Option<String>,
    /// The text to send with --to.
    #[arg(long, value_name = "TEXT", requires = "to")]
    text: Option<String>,
    /// Messaging type of the --to message.
    #[arg(long, value_name = "TYPE", default_value = "RESPONSE")]
    messaging_type: String,
    /// Message tag of the --to message; sets the messaging type the spec's
    /// rules require with a tag (MESSAGE_TAG in the bundled snapshots).
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Attempts in all for failures that prove nothing was delivered
    /// (throttling, connect failures); 1 means never retry.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    max_attempts: u32,
    /// Seconds allowed for the whole call.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
}

/// A checked request sent as it was validated, answering raw JSON so that
/// the command prints Graph's answer as it came.
#[derive(Debug)]
pub(crate) struct Raw<R> {
    pub(crate) typed: R,
}

impl<R: sendapi::Request> serde::Serialize for Raw<R> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.typed.serialize(s)
    }
}

impl<R: sendapi::Request> sendapi::Request for Raw<R> {
    type Response = Value;
    const SNAPSHOT: &'static str = R::SNAPSHOT;
    const GRAPH_VERSION: &'static str = R::GRAPH_VERSION;
    const ERRORS: &'static [sendapi::ErrorCode] = R::ERRORS;
    const BATCH_LIMIT: Option<usize> = R::BATCH_LIMIT;

    fn platform(&self) -> Platform {
        self.typed.platform()
    }

    fn validate(&self) -> Result<(), sendapi::Invalid> {
        self.typed.validate()
    }

    fn rate_class(&self) -> &'static sendapi::RateClass {
        self.typed.rate_class()
    }
}

/// Prints to stderr with every secret masked, whatever a server echoed.
struct Out<'a> {
    secrets: Vec<&'a str>,
}

impl Out<'_> {
    fn mask(&self, text: &str) -> String {
        let mut s = text.to_string();
        for secret in self.secrets.iter().filter(|s| s.len() >= 4) {
            s = s.replace(secret, "***");
        }
        s
    }

    fn err(&self, text: impl AsRef<str>) {
        eprintln!("{}", self.mask(text.as_ref()));
    }
}

/// The body to send: the file, or a text message built from the flags.
fn body_of(args: &Args, spec: &Spec) -> Result<(String, Value), String> {
    if let Some(path) = &args.body {
        let (name, bytes) = read(path)?;
        let value = parse_body(&name, &bytes)?;
        return Ok((name, value));
    }
    let (to, text) = match (&args.to, &args.text) {
        (Some(to), Some(text)) => (to, text),
        _ => return Err("give --body FILE, or --to PSID with --text TEXT".into()),
    };
    let mut body = json!({
        "recipient": { "id": to },
        "messaging_type": args.messaging_type,
        "message": { "text": text },
    });
    if let Some(tag) = &args.tag {
        body["tag"] = json!(tag);
        // What a tag implies for its siblings is the spec's `requires` rules'
        // to say, not this command's.
        for (field, value) in spec.implied_by(spec.root(), "tag", args.platform) {
            body[field] = json!(value);
        }
    }
    Ok(("--to/--text".into(), body))
}

pub fn run(args: &Args) -> u8 {
    let token = std::env::var(TOKEN_VAR).unwrap_or_default();
    if token.is_empty() {
        eprintln!(
            "sendapi: set {TOKEN_VAR} to the Page access token (it is never taken from arguments)"
        );
        return 2;
    }
    let secret = std::env::var(SECRET_VAR).unwrap_or_default();
    let out = Out {
        secrets: vec![&token, &secret],
    };
    let compiled = match Compiled::resolve(&args.spec) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sendapi: {e}");
            return 2;
        }
    };
    crate::spec_cmd::notices(compiled.spec());
    let engine = compiled.engine();
    let (name, mut body) = match body_of(args, compiled.spec()) {
        Ok(b) => b,
        Err(msg) => {
            out.err(format!("sendapi: {msg}"));
            return 2;
        }
    };
    // The local check is `sendapi validate`'s, so both always agree.
    if let Some(code) = check_locally(engine, args.platform, &name, &body, &out) {
        return code;
    }
    // The client adds its own; a token in a file must not travel twice.
    if let Value::Object(m) = &mut body {
        m.remove("access_token");
        m.remove("appsecret_proof");
    }
    let base = args
        .base_url
        .clone()
        .or_else(|| std::env::var(BASE_URL_VAR).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| sendapi::DEFAULT_BASE_URL.to_string());
    let client = Client::builder()
        .page_id(&args.page_id)
        .page_token(token.as_str())
        .app_secret(secret.as_str())
        .base_url(base)
        .retry(RetryPolicy::attempts(args.max_attempts))
        .timeout(Duration::from_secs(args.timeout))
        .build();
    let client = match client {
        Ok(c) => c,
        Err(e) => {
            out.err(format!("sendapi: {e}"));
            return 2;
        }
    };
    let runtime = match crate::runtime(tokio::runtime::Builder::new_current_thread()) {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let platform = args.platform;
    let graph_version = compiled.spec().graph_version();
    let result = runtime.block_on(async {
        match args.spec.as_str() {
            "v21.0" => send_typed(&client, sendapi::v21::Request::from_json(&body), platform).await,
            "v26.0" | "latest" => {
                send_typed(&client, sendapi::v26::Request::from_json(&body), platform).await
            }
            // A team's own spec, a delta or a date: its rules ran above;
            // nothing typed knows them. It goes to the spec's Graph version.
            _ => client
                .send(
                    &sendapi::Unchecked::new(body.clone())
                        .platform(platform)
                        .graph_version(graph_version),
                )
                .await
                .map(|r| (r.value, r.attempts)),
        }
    });
    match result {
        Ok((answer, attempts)) => {
            let text = serde_json::to_string_pretty(&answer).unwrap_or_default();
            out!("{}", out.mask(&text));
            if attempts > 1 {
                out.err(format!("sendapi: delivered after {attempts} attempts"));
            }
            0
        }
        Err(e) => {
            report(&out, &e);
            1
        }
    }
}

/// Runs the engine; `Some(exit code)` when nothing may be sent.
fn check_locally(
    engine: &Engine,
    platform: Platform,
    name: &str,
    body: &Value,
    out: &Out<'_>,
) -> Option<u8> {
    let report = engine.validate(body, platform);
    if report.violations.is_empty() {
        return None;
    }
    let mut text = Vec::new();
    let _ = print_text(
        &mut text,
        name,
        &report,
        engine.snapshot(),
        platform,
        DEFAULT_MAX_VIOLATIONS,
    );
    out.err(String::from_utf8_lossy(&text).trim_end());
    if report.is_valid() {
        None
    } else {
        out.err("sendapi: the body breaks the rules above; nothing was sent");
        Some(1)
    }
}

async fn send_typed<R>(
    client: &Client,
    read: Result<R, sendapi::Invalid>,
    platform: Platform,
) -> Result<(Value, u32), Error>
where
    R: Retarget,
    R::Messenger: sendapi::Request,
    R::Instagram: sendapi::Request,
{
    let typed = read?;
    let sent = match platform {
        Platform::Instagram => {
            client
                .send(&Raw {
                    typed: typed.instagram(),
                })
                .await?
        }
        _ => {
            client
                .send(&Raw {
                    typed: typed.messenger(),
                })
                .await?
        }
    };
    Ok((sent.value, sent.attempts))
}

/// The two platform forms of a snapshot's run-time request.
trait Retarget {
    type Messenger;
    type Instagram;
    fn messenger(self) -> Self::Messenger;
    fn instagram(self) -> Self::Instagram;
}

impl Retarget for sendapi::v21::Request {
    type Messenger = sendapi::v21::Request<sendapi::Messenger>;
    type Instagram = sendapi::v21::Request<sendapi::Instagram>;
    fn messenger(self) -> Self::Messenger {
        self.on::<sendapi::Messenger>()
    }
    fn instagram(self) -> Self::Instagram {
        self.on::<sendapi::Instagram>()
    }
}

impl Retarget for sendapi::v26::Request {
    type Messenger = sendapi::v26::Request<sendapi::Messenger>;
    type Instagram = sendapi::v26::Request<sendapi::Instagram>;
    fn messenger(self) -> Self::Messenger {
        self.on::<sendapi::Messenger>()
    }
    fn instagram(self) -> Self::Instagram {
        self.on::<sendapi::Instagram>()
    }
}

/// Prints an error with what a person needs to act on it: Graph's fields,
/// then the error's two answers in the words of its `Display`.
fn report(out: &Out<'_>, e: &Error) {
    out.err(format!("sendapi: {e}"));
    if let Error::Graph(g) = e {
        let mut fields = vec![("code", g.code.to_string())];
        if let Some(s) = g.subcode {
            fields.push(("subcode", s.to_string()));
        }
        if let Some(t) = &g.error_type {
            fields.push(("type", t.clone()));
        }
        if let Some(t) = &g.fbtrace_id {
            fields.push(("fbtrace_id", t.clone()));
        }
        for (k, v) in fields {
            out.err(format!("  {k}: {v}"));
        }
    }
    let (delivery, retry) = match e.delivery() {
        Delivery::Unknown => (
            "unknown (the message may have reached the user; check before sending again)",
            "not safe: it could deliver the message twice",
        ),
        Delivery::NotDelivered if e.retryable() => ("not delivered", "can help"),
        Delivery::NotDelivered => ("not delivered", "cannot help"),
    };
    out.err(format!("  delivery: {delivery}"));
    out.err(format!("  retry: {retry} (class {})", e.retry_class()));
}
