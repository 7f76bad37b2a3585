//! How an emulator is set up.

use std::fmt;
use std::sync::Arc;

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

/// The setup of an emulator, built step by step.
///
/// Defaults: snapshot `latest`, platform Messenger, any token accepted, no
/// app secret, rate limits on with the system clock, no faults, bodies up to
/// [`DEFAULT_MAX_BODY_BYTES`], the last [`DEFAULT_RECORD_LIMIT`] accepted
/// requests recorded.
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
#[derive(Debug, Clone)]
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
}
