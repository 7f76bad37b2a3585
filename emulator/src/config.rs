//! How an emulator is set up.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use sendapi_spec::{Platform, Spec};

use crate::clock::{Clock, SystemClock};
use crate::faults::Faults;

/// The body size limit unless [`EmulatorConfig::max_body_bytes`] says otherwise: 4 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// How many accepted requests the record keeps unless
/// [`EmulatorConfig::record_limit`] says otherwise; older ones are dropped
/// first.
pub const DEFAULT_RECORD_LIMIT: usize = 10_000;

/// Which snapshot the emulator checks against.
#[derive(Clone)]
pub(crate) enum SpecChoice {
    /// A bundled name or a path, resolved by [`sendapi_spec::resolve`] at start.
    Named(String),
    /// A spec loaded by the caller.
    Loaded(Box<Spec>),
}

impl fmt::Debug for SpecChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecChoice::Named(n) => f.debug_tuple("Named").field(n).finish(),
            SpecChoice::Loaded(s) => f.debug_tuple("Loaded").field(&s.name()).finish(),
        }
    }
}

/// How many times a webhook that did not get a 200 is sent again, unless
/// [`EmulatorConfig::webhook_retries`] says otherwise.
pub const DEFAULT_WEBHOOK_RETRIES: u32 = 2;

/// The wait before the first retry of a webhook, doubled before each further
/// one, unless [`EmulatorConfig::webhook_backoff`] says otherwise.
pub const DEFAULT_WEBHOOK_BACKOFF: Duration = Duration::from_millis(500);

/// The setup of an emulator, built step by step.
///
/// Defaults: snapshot `latest`, platform Messenger, any token accepted, no
/// app secret, rate limits on with the system clock, no faults, bodies up to
/// [`DEFAULT_MAX_BODY_BYTES`], the last [`DEFAULT_RECORD_LIMIT`] accepted
/// requests recorded; no webhooks, the messaging window not enforced.
///
/// [`Debug`](fmt::Debug) shows whether a token, app secret or verify token
/// is set, never its value.
///
/// ```
/// use sendapi_emulator::{EmulatorConfig, Faults, ManualClock};
/// use sendapi_spec::Platform;
///
/// let clock = ManualClock::new();
/// let config = EmulatorConfig::new()
///     .spec("v21.0")
///     .platform(Platform::Instagram)
///     .token("TEST_TOKEN")
///     .app_secret("TEST_SECRET")
///     .clock(clock.clone())
///     .faults(Faults::none().fail_5xx(503, 1));
/// ```
#[derive(Clone)]
pub struct EmulatorConfig {
    pub(crate) spec: SpecChoice,
    pub(crate) platform: Platform,
    pub(crate) token: Option<String>,
    pub(crate) app_secret: Option<String>,
    pub(crate) rate_limits: bool,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) faults: Faults,
    pub(crate) max_body_bytes: usize,
    pub(crate) record_limit: usize,
    pub(crate) page_id: Option<String>,
    pub(crate) webhook_url: Option<String>,
    pub(crate) verify_token: Option<String>,
    pub(crate) sha1_signature: bool,
    pub(crate) webhook_retries: u32,
    pub(crate) webhook_backoff: Duration,
    pub(crate) echo: bool,
    pub(crate) deliveries: bool,
    pub(crate) enforce_window: bool,
}

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |s: &Option<String>| if s.is_some() { "set" } else { "none" };
        f.debug_struct("EmulatorConfig")
            .field("spec", &self.spec)
            .field("platform", &self.platform)
            .field("token", &set(&self.token))
            .field("app_secret", &set(&self.app_secret))
            .field("rate_limits", &self.rate_limits)
            .field("clock", &self.clock)
            .field("faults", &self.faults)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("record_limit", &self.record_limit)
            .field("page_id", &self.page_id)
            .field("webhook_url", &self.webhook_url)
            .field("verify_token", &set(&self.verify_token))
            .field("sha1_signature", &self.sha1_signature)
            .field("webhook_retries", &self.webhook_retries)
            .field("webhook_backoff", &self.webhook_backoff)
            .field("echo", &self.echo)
            .field("deliveries", &self.deliveries)
            .field("enforce_window", &self.enforce_window)
            .finish()
    }
}

impl Default for EmulatorConfig {
    fn default() -> EmulatorConfig {
        EmulatorConfig::new()
    }
}

impl EmulatorConfig {
    /// The defaults.
    pub fn new() -> EmulatorConfig {
        EmulatorConfig {
            spec: SpecChoice::Named(sendapi_spec::LATEST.to_string()),
            platform: Platform::Messenger,
            token: None,
            app_secret: None,
            rate_limits: true,
            clock: Arc::new(SystemClock::new()),
            faults: Faults::none(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            record_limit: DEFAULT_RECORD_LIMIT,
            page_id: None,
            webhook_url: None,
            verify_token: None,
            sha1_signature: true,
            webhook_retries: DEFAULT_WEBHOOK_RETRIES,
            webhook_backoff: DEFAULT_WEBHOOK_BACKOFF,
            echo: false,
            deliveries: false,
            enforce_window: false,
        }
    }

    /// A bundled snapshot (`v21.0`, `v26.0`, `latest`) or the path of a spec
    /// file; loaded by [`crate::Emulator::start`], which fails with
    /// [`crate::Error::Spec`] when it does not load.
    #[must_use]
    pub fn spec(mut self, name_or_path: impl Into<String>) -> EmulatorConfig {
        self.spec = SpecChoice::Named(name_or_path.into());
        self
    }

    /// A spec the caller loaded already.
    #[must_use]
    pub fn loaded_spec(mut self, spec: Spec) -> EmulatorConfig {
        self.spec = SpecChoice::Loaded(Box::new(spec));
        self
    }

    /// The platform whose rules apply (Messenger by default).
    #[must_use]
    pub fn platform(mut self, platform: Platform) -> EmulatorConfig {
        self.platform = platform;
        self
    }

    /// The only access token accepted; others get code 190. Without it any
    /// token is accepted (a missing one still gets code 104).
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> EmulatorConfig {
        self.token = Some(token.into());
        self
    }

    /// Requires `appsecret_proof` computed with this app secret.
    #[must_use]
    pub fn app_secret(mut self, secret: impl Into<String>) -> EmulatorConfig {
        self.app_secret = Some(secret.into());
        self
    }

    /// Turns the rate classes on (the default) or off.
    ///
    /// The window is sliding: a call counts for `per_seconds` seconds of the
    /// class from the moment it was accepted, and a call is refused (code
    /// 613) while `limit` accepted calls of its class and page lie within
    /// the last `per_seconds`. Refused and invalid calls do not count. Off,
    /// nothing is counted and the usage headers show 0.
    #[must_use]
    pub fn rate_limits(mut self, on: bool) -> EmulatorConfig {
        self.rate_limits = on;
        self
    }

    /// The time source of the rate windows ([`SystemClock`] by default).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> EmulatorConfig {
        self.clock = Arc::new(clock);
        self
    }

    /// The faults in force from the start.
    #[must_use]
    pub fn faults(mut self, faults: Faults) -> EmulatorConfig {
        self.faults = faults;
        self
    }

    /// The largest request body read, in bytes; larger ones get code 100.
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> EmulatorConfig {
        self.max_body_bytes = bytes;
        self
    }

    /// How many accepted requests the record keeps (the oldest go first).
    #[must_use]
    pub fn record_limit(mut self, requests: usize) -> EmulatorConfig {
        self.record_limit = requests;
        self
    }

    /// The page the emulated people talk to: `entry.id` and the recipient of
    /// their webhooks, the sender of echoes. Without it, the id the emulator
    /// derives for `/me` from the configured token.
    #[must_use]
    pub fn page_id(mut self, id: impl Into<String>) -> EmulatorConfig {
        self.page_id = Some(id.into());
        self
    }

    /// Where the emulator POSTs webhooks, as Meta does: the person's
    /// messages, postbacks, reactions and reads sent through
    /// `/__emulator/users/{psid}/...`, and echoes and delivery events when
    /// asked for. Each is signed with the app secret when one is set
    /// ([`EmulatorConfig::app_secret`]). Any `http` or `https` URL; nothing
    /// else is ever contacted.
    #[must_use]
    pub fn webhook_url(mut self, url: impl Into<String>) -> EmulatorConfig {
        self.webhook_url = Some(url.into());
        self
    }

    /// The verify token of the subscription: with a webhook URL, the emulator
    /// makes Meta's GET handshake (`hub.mode=subscribe`, `hub.verify_token`,
    /// `hub.challenge`) when it starts and expects the challenge back with a
    /// 200. A failed handshake is reported
    /// ([`crate::RunningEmulator::webhook_handshake`] and a log warning) and
    /// the emulator runs on.
    #[must_use]
    pub fn verify_token(mut self, token: impl Into<String>) -> EmulatorConfig {
        self.verify_token = Some(token.into());
        self
    }

    /// Whether webhooks also carry the older SHA-1 `X-Hub-Signature` next to
    /// `X-Hub-Signature-256` (on by default, as Meta appears to send both).
    #[must_use]
    pub fn sha1_signature(mut self, on: bool) -> EmulatorConfig {
        self.sha1_signature = on;
        self
    }

    /// How many times a webhook that did not get a 200 (another status, no
    /// answer within 5 seconds, no connection) is sent again before it
    /// counts as failed; [`DEFAULT_WEBHOOK_RETRIES`] by default. A retried
    /// copy keeps its event (and `mid`) and carries a new `entry.time`.
    #[must_use]
    pub fn webhook_retries(mut self, retries: u32) -> EmulatorConfig {
        self.webhook_retries = retries;
        self
    }

    /// The wait before the first retry, doubled before each further one
    /// ([`DEFAULT_WEBHOOK_BACKOFF`] by default; zero retries at once).
    #[must_use]
    pub fn webhook_backoff(mut self, backoff: Duration) -> EmulatorConfig {
        self.webhook_backoff = backoff;
        self
    }

    /// After each accepted message send, POST an echo of it to the webhook
    /// (`is_echo`, `app_id`, the answered `message_id` as `mid`, from the
    /// page to the person).
    #[must_use]
    pub fn echo(mut self, on: bool) -> EmulatorConfig {
        self.echo = on;
        self
    }

    /// After each accepted message send, POST a delivery event (the
    /// message's `mid` and a watermark) to the webhook, on platforms whose
    /// webhooks have delivery events.
    #[must_use]
    pub fn deliveries(mut self, on: bool) -> EmulatorConfig {
        self.deliveries = on;
        self
    }

    /// Refuses sends outside the person's messaging window with the
    /// snapshot's outside-the-window error: a message with a messaging type
    /// of the standard window (RESPONSE, UPDATE) more than the snapshot's
    /// `window_hours` after the person's last window-opening event (an event
    /// the spec marks `opens_window`, sent through
    /// `/__emulator/users/{psid}/...`), or to a person who never wrote; a
    /// tagged message more than its tag's `window_hours` after it. Time is
    /// the emulator's clock, which `POST /__emulator/clock` moves.
    #[must_use]
    pub fn enforce_window(mut self, on: bool) -> EmulatorConfig {
        self.enforce_window = on;
        self
    }
}
