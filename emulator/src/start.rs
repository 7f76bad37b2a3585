//! Starting and stopping an emulator.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sendapi_spec::EventKind;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::clock::{Clock, EmuClock};
use crate::config::EmulatorConfig;
use crate::error::Error;
use crate::faults::{FaultState, Faults};
use crate::handlers::router;
use crate::listen::{Conn, KillableListener};
use crate::model::Model;
use crate::rate::RateLimiter;
use crate::record::{Log, RecordedRequest};
use crate::state::Shared;
use crate::stats::{Counters, Stats};
use crate::webhook::Webhooks;
use crate::window::Window;

/// Starts emulators. See the [crate] documentation for what they serve.
#[derive(Debug)]
#[non_exhaustive]
pub struct Emulator;

impl Emulator {
    /// Loads the spec, binds `addr` (port 0 picks a free port) and serves in
    /// a task of the current tokio runtime until
    /// [`RunningEmulator::shutdown`] or until the handle is dropped.
    pub async fn start(config: EmulatorConfig, addr: SocketAddr) -> Result<RunningEmulator, Error> {
        let shared = shared(config)?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| Error::Bind { addr, source })?;
        let app = router(Arc::clone(&shared)).into_make_service_with_connect_info::<Conn>();
        let (stop, stopped) = oneshot::channel::<()>();
        let server =
            axum::serve(KillableListener::new(listener), app).with_graceful_shutdown(async {
                // A send, or the handle being dropped, both stop the server.
                let _ = stopped.await;
            });
        let task = tokio::spawn(async move { server.await });
        tracing::debug!(
            "sendapi emulator for {} listening on {local_addr}",
            shared.model.spec().name()
        );
        // Meta verifies the endpoint when the subscription is set up; a
        // failure is reported, and the emulator serves on.
        let handshake = shared.webhooks.handshake().await;
        if let Some(Err(e)) = &handshake {
            tracing::warn!("webhook handshake failed: {e}");
        }
        Ok(RunningEmulator {
            local_addr,
            shared,
            handshake,
            stop,
            task,
        })
    }
}

/// The state every request shares, built from a checked config.
pub(crate) fn shared(config: EmulatorConfig) -> Result<Arc<Shared>, Error> {
    config.faults.check()?;
    let model = Model::load(&config.spec)?;
    let clock = Arc::new(EmuClock::new(Arc::clone(&config.clock)));
    let stats = Arc::new(Counters::default());
    let webhooks = Webhooks::new(
        model.spec(),
        &config,
        Arc::clone(&clock),
        Arc::clone(&stats),
    )?;
    let window = Window::new(model.spec(), model.recipient_field(), config.enforce_window);
    let rate_clock: Arc<dyn Clock> = clock.clone();
    Ok(Arc::new(Shared {
        model,
        platform: config.platform,
        token: config.token,
        app_secret: config.app_secret,
        rate: RateLimiter::new(config.rate_limits, rate_clock),
        faults: FaultState::new(config.faults),
        log: Log::new(config.record_limit),
        max_body: config.max_body_bytes,
        in_flight: AtomicUsize::new(0),
        clock,
        stats,
        window,
        webhooks,
    }))
}

/// A running emulator. Dropping it stops the server in the background;
/// [`RunningEmulator::shutdown`] stops it and waits.
#[derive(Debug)]
pub struct RunningEmulator {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    handshake: Option<Result<(), String>>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl RunningEmulator {
    /// The address the emulator listens on, with the real port.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://IP:PORT`, to put before `/v26.0/me/messages`. An unspecified
    /// address (`0.0.0.0`, `::`) becomes the loopback address.
    pub fn base_url(&self) -> String {
        let ip = match self.local_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, self.local_addr.port()))
    }

    /// The snapshot the emulator checks against.
    pub fn snapshot(&self) -> &str {
        self.shared.model.spec().name()
    }

    /// The accepted requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.all()
    }

    /// Forgets the accepted requests and sets the [`Stats`] back to zero.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
        self.shared.stats.reset();
    }

    /// What the emulator has counted since it started or since
    /// [`RunningEmulator::clear_requests`] (`GET /__emulator/stats`).
    pub fn stats(&self) -> Stats {
        self.shared.stats.get()
    }

    /// The outcome of the webhook handshake made at start: `None` without a
    /// webhook URL and a verify token, else `Ok` when the receiver answered
    /// 200 with the challenge, or what went wrong.
    pub fn webhook_handshake(&self) -> Option<Result<(), &str>> {
        self.handshake
            .as_ref()
            .map(|r| r.as_ref().map(|_| ()).map_err(String::as_str))
    }

    /// Moves the emulator's time forward (`POST /__emulator/clock`): the
    /// messaging window, the rate windows and webhook times follow it.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.shared.clock.advance(by);
    }

    /// The emulator's time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        self.shared.clock.epoch_ms()
    }

    /// The person `psid`, who writes to the page through the emulator:
    /// each action is delivered to the webhook URL as Meta would deliver
    /// it, like the `POST /__emulator/users/{psid}/…` routes.
    pub fn person(&self, psid: impl Into<String>) -> Person<'_> {
        Person {
            shared: &self.shared,
            psid: psid.into(),
        }
    }

    /// The faults in force (counts are what is left).
    pub fn faults(&self) -> Faults {
        self.shared.faults.get()
    }

    /// Replaces the faults in force.
    pub fn set_faults(&self, faults: Faults) -> Result<(), Error> {
        self.shared.faults.set(faults)
    }

    /// How many API requests are being handled right now (waiting out an
    /// injected latency included).
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// Stops accepting connections, lets the requests in flight finish, and
    /// returns once the server is down and the port closed.
    pub async fn shutdown(self) -> Result<(), Error> {
        let RunningEmulator { stop, task, .. } = self;
        let _ = stop.send(());
        match task.await {
            Ok(result) => result.map_err(Error::Serve),
            Err(e) => Err(Error::Serve(io::Error::other(e.to_string()))),
        }
    }
}

/// An emulated person ([`RunningEmulator::person`]). Every action opens the
/// messaging window when the snapshot says its event does, and returns the
/// event's `mid` where it has one.
pub struct Person<'e> {
    shared: &'e Arc<Shared>,
    psid: String,
}

impl fmt::Debug for Person<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Person").field("psid", &self.psid).finish()
    }
}

impl Person<'_> {
    /// The person's id on the page (PSID or IGSID).
    pub fn psid(&self) -> &str {
        &self.psid
    }

    /// Writes a message; returns its `mid`.
    pub fn says(&self, text: &str) -> Result<String, Error> {
        self.message(json!({ "text": text }))
    }

    /// Taps a quick reply: a message with its title as text and its payload.
    pub fn taps_quick_reply(&self, title: &str, payload: &str) -> Result<String, Error> {
        self.message(json!({ "text": title, "quick_reply": { "payload": payload } }))
    }

    /// Taps a postback button (or Get Started); returns the postback's `mid`.
    pub fn taps_postback(&self, title: &str, payload: &str) -> Result<String, Error> {
        let body = json!({ "title": title, "payload": payload });
        self.act(EventKind::Postback, body)?
            .ok_or_else(|| Error::Person("the postback got no mid".into()))
    }

    /// Reacts to the message `mid` (`love`, `like`, …).
    pub fn reacts(&self, mid: &str, reaction: &str) -> Result<(), Error> {
        let body = json!({ "mid": mid, "reaction": reaction, "action": "react" });
        self.act(EventKind::Reaction, body).map(drop)
    }

    /// Reads the thread up to now.
    pub fn reads(&self) -> Result<(), Error> {
        self.act(EventKind::Read, json!({})).map(drop)
    }

    /// Any action, with the event's payload as the matching route takes it.
    pub fn act(&self, kind: EventKind, payload: Value) -> Result<Option<String>, Error> {
        let Value::Object(body) = payload else {
            return Err(Error::Person("the payload must be a JSON object".into()));
        };
        crate::users::perform(self.shared, &self.psid, kind, body).map_err(Error::Person)
    }

    fn message(&self, body: Value) -> Result<String, Error> {
        self.act(EventKind::Message, body)?
            .ok_or_else(|| Error::Person("the message got no mid".into()))
    }
}
