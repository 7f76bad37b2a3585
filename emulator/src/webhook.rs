//! The emulator plays the people: webhooks to the bot, as Meta sends them.
//!
//! Notifications go through one queue and one worker, in order, each
//! waiting for its answer (Meta waits for a 200 before the next). The
//! event keys, the flag of an echo and the field of the messaging items are
//! the spec's (`[webhooks]`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use sendapi_spec::{EventKind, Platform, Spec, Ty};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

use crate::clock::EmuClock;
use crate::config::EmulatorConfig;
use crate::error::Error;
use crate::graph;
use crate::stats::Counters;
use crate::wire;

/// How long the worker waits for the receiver's answer: Meta's current
/// limit for an endpoint to answer.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

/// The item keys of the events the emulator sends, for one platform.
#[derive(Debug, Default)]
struct Keys {
    messaging: Option<String>,
    message: Option<String>,
    /// The key and the flag that makes an item under it an echo.
    echo: Option<(String, String)>,
    postback: Option<String>,
    reaction: Option<String>,
    read: Option<String>,
    delivery: Option<String>,
    /// The envelope's product value for the platform (`object`).
    object: Option<String>,
}

impl Keys {
    fn new(spec: &Spec, platform: Platform) -> Keys {
        let Some(hooks) = spec.webhooks() else {
            return Keys::default();
        };
        let event = |kind| {
            hooks
                .event_of_kind(kind)
                .filter(|(_, e)| Spec::available(&e.platforms, platform))
                .map(|(_, e)| e)
        };
        let key = |kind| event(kind).map(|e| e.key.get_ref().clone());
        Keys {
            messaging: Some(hooks.messaging.get_ref().clone()),
            message: key(EventKind::Message),
            echo: event(EventKind::Echo).and_then(|e| {
                let flag = e.flag.as_ref()?.get_ref().clone();
                Some((e.key.get_ref().clone(), flag))
            }),
            postback: key(EventKind::Postback),
            reaction: key(EventKind::Reaction),
            read: key(EventKind::Read),
            delivery: key(EventKind::Delivery),
            object: object(hooks, platform),
        }
    }

    fn of(&self, kind: EventKind) -> Option<&str> {
        match kind {
            EventKind::Message => self.message.as_deref(),
            EventKind::Echo => self.echo.as_ref().map(|(k, _)| k.as_str()),
            EventKind::Postback => self.postback.as_deref(),
            EventKind::Reaction => self.reaction.as_deref(),
            EventKind::Read => self.read.as_deref(),
            EventKind::Delivery => self.delivery.as_deref(),
            _ => None,
        }
    }
}

/// One `messaging[]` item, its keys in Meta's order (sender, recipient,
/// timestamp, the event), which a `Value`'s sorted map would lose.
#[derive(Debug, Clone)]
pub(crate) struct Item(Vec<(String, Value)>);

impl Serialize for Item {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Item {
    /// The item as JSON, for the spec's classification.
    pub(crate) fn to_value(&self) -> Value {
        Value::Object(self.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }
}

/// A whole POST body: `{"object", "entry": [{"id", "time", "<messaging>":
/// [item]}]}`, in Meta's key order.
struct Notification<'a> {
    object: &'a str,
    page_id: &'a str,
    time: u64,
    messaging: &'a str,
    item: &'a Item,
}

struct Entry<'a>(&'a Notification<'a>);

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("id", n.page_id)?;
        map.serialize_entry("time", &n.time)?;
        map.serialize_entry(n.messaging, std::slice::from_ref(n.item))?;
        map.end()
    }
}

impl Serialize for Notification<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("object", self.object)?;
        map.serialize_entry("entry", &[Entry(self)])?;
        map.end()
    }
}

/// A message the page sent, for its echo and delivery event.
#[derive(Debug, Clone)]
pub(crate) struct Sent {
    pub(crate) psid: String,
    pub(crate) mid: String,
    pub(crate) message: Value,
    /// The send's `message.metadata`, echoed as Meta does.
    pub(crate) metadata: Option<Value>,
}

/// Where webhooks go, and how the handshake is made.
struct Target {
    client: reqwest::Client,
    url: reqwest::Url,
    verify_token: Option<String>,
}

/// The webhook side of an emulator.
pub(crate) struct Webhooks {
    keys: Keys,
    platform: Platform,
    page_id: String,
    app_id: u64,
    echo: bool,
    deliveries: bool,
    clock: Arc<EmuClock>,
    target: Option<Target>,
    queue: Option<mpsc::UnboundedSender<Item>>,
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The verify token stays out.
        f.debug_struct("Webhooks")
            .field("keys", &self.keys)
            .field("page_id", &self.page_id)
            .field("url", &self.target.as_ref().map(|t| t.url.as_str()))
            .field("echo", &self.echo)
            .field("deliveries", &self.deliveries)
            .finish_non_exhaustive()
    }
}

/// The `object` of a notification for a platform: the value of the
/// envelope's enum field that the spec marks available on the platform.
fn object(hooks: &sendapi_spec::Webhooks, platform: Platform) -> Option<String> {
    let envelope = hooks.type_def(hooks.envelope.get_ref())?;
    envelope.fields.values().find_map(|f| {
        let Ok(Ty::Named(t)) = Ty::parse(f.ty.get_ref()) else {
            return None;
        };
        let e = hooks.type_def(&t)?;
        e.values
            .iter()
            .find(|(_, v)| v.platforms.as_ref().is_some_and(|p| p.contains(&platform)))
            .map(|(k, _)| k.get_ref().clone())
    })
}

fn target(config: &EmulatorConfig) -> Result<Option<Target>, Error> {
    let Some(url) = &config.webhook_url else {
        return Ok(None);
    };
    let url = reqwest::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| Error::Webhook(format!("the webhook URL {url:?} is not an http(s) URL")))?;
    let client = reqwest::Client::builder()
        // Straight to the configured URL: never through a proxy from the
        // environment.
        .no_proxy()
        .timeout(DELIVERY_TIMEOUT)
        .build()
        .map_err(|e| Error::Webhook(format!("cannot build the HTTP client: {e}")))?;
    Ok(Some(Target {
        client,
        url,
        verify_token: config.verify_token.clone(),
    }))
}

impl Webhooks {
    /// Sets up the webhooks and starts the delivery worker (in the current
    /// tokio runtime) when a URL is configured.
    pub(crate) fn new(
        spec: &Spec,
        config: &EmulatorConfig,
        clock: Arc<EmuClock>,
        counters: Arc<Counters>,
    ) -> Result<Webhooks, Error> {
        let token = config.token.as_deref().unwrap_or_default();
        let page_id = config
            .page_id
            .clone()
            .unwrap_or_else(|| graph::derived_id("me", token));
        let keys = Keys::new(spec, config.platform);
        let target = target(config)?;
        if target.is_some() && config.app_secret.is_none() {
            tracing::warn!("no app secret: webhooks go out unsigned");
        }
        let queue = target.as_ref().map(|t| {
            let (tx, rx) = mpsc::unbounded_channel();
            let worker = Worker {
                client: t.client.clone(),
                url: t.url.clone(),
                secret: config.app_secret.clone(),
                sha1: config.sha1_signature,
                retries: config.webhook_retries,
                backoff: config.webhook_backoff,
                clock: Arc::clone(&clock),
                counters,
                object: keys.object.clone().unwrap_or_default(),
                page_id: page_id.clone(),
                messaging: keys.messaging.clone().unwrap_or_default(),
            };
            tokio::spawn(worker.run(rx));
            tx
        });
        let app_id = graph::derived_id("app", token).parse().unwrap_or_default();
        Ok(Webhooks {
            keys,
            platform: config.platform,
            page_id,
            app_id,
            echo: config.echo,
            deliveries: config.deliveries,
            clock,
            target,
            queue,
        })
    }

    pub(crate) fn platform(&self) -> Platform {
        self.platform
    }

    /// The item key of an event kind on this platform, if the spec has one.
    pub(crate) fn key(&self, kind: EventKind) -> Option<&str> {
        self.keys.of(kind)
    }

    /// A `messaging[]` item from the person `psid` to the page (or the
    /// other way round for an echo), stamped with the emulator's time.
    pub(crate) fn item(&self, kind: EventKind, psid: &str, payload: Value) -> Option<Item> {
        let key = self.key(kind)?.to_string();
        let (sender, recipient) = if kind == EventKind::Echo {
            (self.page_id.as_str(), psid)
        } else {
            (psid, self.page_id.as_str())
        };
        let mut item = vec![
            ("sender".to_string(), json!({ "id": sender })),
            ("recipient".to_string(), json!({ "id": recipient })),
        ];
        // Meta's delivery events carry no timestamp, only the watermark.
        if kind != EventKind::Delivery {
            item.push(("timestamp".to_string(), Value::from(self.clock.epoch_ms())));
        }
        item.push((key, payload));
        Some(Item(item))
    }

    /// Queues a notification of `item`; nothing without a webhook URL.
    pub(crate) fn deliver(&self, item: Item) {
        if let Some(q) = &self.queue {
            // The worker lives as long as the emulator's state.
            let _ = q.send(item);
        }
    }

    /// Whether accepted sends produce webhooks (echoes, delivery events).
    pub(crate) fn wants_sends(&self) -> bool {
        self.queue.is_some() && (self.echo || self.deliveries)
    }

    /// The echo and the delivery event of messages the page sent.
    pub(crate) fn after_sends(&self, sent: &[Sent]) {
        for s in sent {
            if self.echo
                && let Some(item) = self.echo_item(s)
            {
                self.deliver(item);
            }
            if self.deliveries {
                let payload = json!({ "mids": [s.mid], "watermark": self.clock.epoch_ms() });
                if let Some(item) = self.item(EventKind::Delivery, &s.psid, payload) {
                    self.deliver(item);
                }
            }
        }
    }

    fn echo_item(&self, s: &Sent) -> Option<Item> {
        let flag = &self.keys.echo.as_ref()?.1;
        let mut payload = Map::new();
        payload.insert(flag.clone(), Value::Bool(true));
        payload.insert("app_id".into(), Value::from(self.app_id));
        payload.insert("mid".into(), Value::String(s.mid.clone()));
        if let Some(m) = &s.metadata {
            payload.insert("metadata".into(), m.clone());
        }
        if let Some(text) = s.message.get("text") {
            payload.insert("text".into(), text.clone());
        }
        if let Some(a) = s.message.get("attachment") {
            payload.insert("attachments".into(), Value::Array(vec![a.clone()]));
        }
        self.item(EventKind::Echo, &s.psid, Value::Object(payload))
    }

    /// Meta's GET handshake, when a URL and a verify token are configured.
    pub(crate) async fn handshake(&self) -> Option<Result<(), String>> {
        let t = self.target.as_ref()?;
        let token = t.verify_token.as_deref()?;
        let challenge = graph::attachment_id();
        let query = [
            ("hub.mode", "subscribe"),
            ("hub.verify_token", token),
            ("hub.challenge", challenge.as_str()),
        ];
        let answer = t.client.get(t.url.clone()).query(&query).send().await;
        Some(match answer {
            // Without the URL: reqwest's would carry the verify token.
            Err(e) => Err(format!("{} did not answer: {}", t.url, e.without_url())),
            Ok(r) if r.status().as_u16() != 200 => {
                Err(format!("{} answered HTTP {}", t.url, r.status().as_u16()))
            }
            Ok(r) => match r.bytes().await {
                Ok(b) if b.as_ref() == challenge.as_bytes() => Ok(()),
                Ok(b) => Err(format!(
                    "{} answered {:?} instead of the challenge {challenge}",
                    t.url,
                    String::from_utf8_lossy(&b[..b.len().min(100)])
                )),
                Err(e) => Err(format!(
                    "{} answer could not be read: {}",
                    t.url,
                    e.without_url()
                )),
            },
        })
    }
}

/// Sends queued notifications, one at a time, with retries.
struct Worker {
    client: reqwest::Client,
    url: reqwest::Url,
    secret: Option<String>,
    sha1: bool,
    retries: u32,
    backoff: Duration,
    clock: Arc<EmuClock>,
    counters: Arc<Counters>,
    object: String,
    page_id: String,
    messaging: String,
}

impl Worker {
    async fn run(self, mut queue: mpsc::UnboundedReceiver<Item>) {
        while let Some(item) = queue.recv().await {
            self.deliver(item).await;
        }
    }

    /// The bytes of one attempt: the envelope around `item` at `time`.
    fn body(&self, item: &Item, time: u64) -> Vec<u8> {
        wire::meta_bytes(&Notification {
            object: &self.object,
            page_id: &self.page_id,
            time,
            messaging: &self.messaging,
            item,
        })
    }

    async fn attempt(&self, body: Vec<u8>) -> bool {
        let mut req = self
            .client
            .post(self.url.clone())
            .header("content-type", "application/json");
        if let Some(secret) = &self.secret {
            req = req.header("x-hub-signature-256", wire::sha256_header(secret, &body));
            if self.sha1 {
                req = req.header("x-hub-signature", wire::sha1_header(secret, &body));
            }
        }
        match req.body(body).send().await {
            Ok(r) => r.status().as_u16() == 200,
            Err(e) => {
                tracing::debug!("webhook to {} failed: {e}", self.url);
                false
            }
        }
    }

    /// Sends until a 200 or the retries are spent. Each copy carries a
    /// later `entry.time` than the one before, as Meta's retries do, even
    /// when the emulator's clock stands still.
    async fn deliver(&self, item: Item) {
        let mut last_time = 0;
        for attempt in 0..=self.retries {
            if attempt > 0 {
                let factor = 1u32 << (attempt - 1).min(16);
                tokio::time::sleep(self.backoff.saturating_mul(factor)).await;
            }
            let time = self.clock.epoch_ms().max(last_time + 1);
            last_time = time;
            let ok = self.attempt(self.body(&item, time)).await;
            self.counters.delivery(ok);
            if ok {
                return;
            }
        }
        tracing::warn!(
            "webhook to {} failed {} times; dropped",
            self.url,
            self.retries + 1
        );
    }
}
