//! The messaging window (`--enforce-window`): when each emulated person last
//! opened it, and how long a send may follow.
//!
//! The durations are the spec's: the snapshot's `window_hours` for the
//! standard window, a tag's `window_hours` for a tagged message. Which
//! messaging type carries a tag is the spec's too (`carries`).

use std::collections::HashMap;
use std::sync::Mutex;

use sendapi_spec::model::TypeKind;
use sendapi_spec::{Spec, Ty};
use serde_json::{Map, Value};

const MS_PER_HOUR: u64 = 3_600_000;

/// Where the spec puts what the window depends on, found once.
#[derive(Debug, Default)]
struct Keys {
    /// The body field holding the person (`recipient`); its `id` is the PSID.
    recipient: Option<String>,
    /// The body field whose enum has a value carrying a tag (`messaging_type`).
    messaging_type: Option<String>,
    /// That field's enum type.
    messaging_enum: Option<String>,
}

impl Keys {
    fn new(spec: &Spec, recipient: Option<&str>) -> Keys {
        let found = spec.type_def(spec.root()).and_then(|root| {
            root.fields.iter().find_map(|(name, f)| {
                let Ty::Named(t) = spec.field_ty(f) else {
                    return None;
                };
                let def = spec.type_def(&t)?;
                let carries = *def.kind.get_ref() == TypeKind::Enum
                    && def.values.values().any(|v| v.carries.is_some());
                carries.then(|| (name.get_ref().clone(), t))
            })
        });
        let (messaging_type, messaging_enum) = found.unzip();
        Keys {
            recipient: recipient.map(str::to_string),
            messaging_type,
            messaging_enum,
        }
    }
}

/// The window state of every emulated person.
#[derive(Debug)]
pub(crate) struct Window {
    enforce: bool,
    keys: Keys,
    /// PSID → epoch ms of the last window-opening event.
    opened: Mutex<HashMap<String, u64>>,
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Window {
    pub(crate) fn new(spec: &Spec, recipient: Option<&str>, enforce: bool) -> Window {
        let keys = Keys::new(spec, recipient);
        if enforce && spec.window_hours().is_none() {
            tracing::warn!(
                "the spec {} states no window_hours: only tagged messages are held to a window",
                spec.name()
            );
        }
        Window {
            enforce,
            keys,
            opened: Mutex::new(HashMap::new()),
        }
    }

    /// The person `psid` opened (or extended) the window at `at_ms`.
    pub(crate) fn opened(&self, psid: &str, at_ms: u64) {
        let mut opened = self.opened.lock().unwrap_or_else(|e| e.into_inner());
        let last = opened.entry(psid.to_string()).or_insert(at_ms);
        *last = (*last).max(at_ms);
    }

    /// How long after the person's last window-opening event `body` may be
    /// sent, and to whom; `None` when no window applies to it.
    fn limit(&self, spec: &Spec, body: &Map<String, Value>) -> Option<(String, u32)> {
        let psid = body
            .get(self.keys.recipient.as_deref()?)?
            .get("id")
            .and_then(text)?;
        let name = body.get(self.keys.messaging_type.as_deref()?)?.as_str()?;
        let value = spec
            .type_def(self.keys.messaging_enum.as_deref()?)?
            .values
            .get(name)?;
        let hours = if let Some(carries) = &value.carries {
            let field = carries.field.get_ref();
            let tag = body.get(field.as_str())?.as_str()?;
            let ty = match &carries.ty {
                Some(t) => t.get_ref().clone(),
                None => {
                    let root = spec.type_def(spec.root())?;
                    match spec.field_ty(root.fields.get(field.as_str())?) {
                        Ty::Named(t) => t,
                        _ => return None,
                    }
                }
            };
            spec.value_window_hours(&ty, tag)?
        } else if let Some(h) = &value.window_hours {
            *h.get_ref()
        } else if value.standard_window {
            spec.window_hours()?
        } else {
            return None;
        };
        Some((psid, hours))
    }

    /// Whether a valid send may go out at `now_ms`: always when the window
    /// is not enforced or does not apply to the send.
    pub(crate) fn allows(&self, spec: &Spec, body: &Value, now_ms: u64) -> bool {
        if !self.enforce {
            return true;
        }
        let Some((psid, hours)) = body.as_object().and_then(|b| self.limit(spec, b)) else {
            return true;
        };
        let opened = self.opened.lock().unwrap_or_else(|e| e.into_inner());
        opened.get(&psid).is_some_and(|at| {
            now_ms.saturating_sub(*at) <= u64::from(hours).saturating_mul(MS_PER_HOUR)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn window() -> (&'static Spec, Window) {
        let spec = sendapi_spec::bundled("v26.0").expect("bundled");
        (spec, Window::new(spec, Some("recipient"), true))
    }

    #[test]
    fn the_standard_window_and_the_tag_windows_come_from_the_spec() {
        let (spec, w) = window();
        let hour = MS_PER_HOUR;
        let response = json!({"recipient": {"id": "1"}, "messaging_type": "RESPONSE", "message": {"text": "x"}});
        let tagged = json!({"recipient": {"id": "1"}, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT", "message": {"text": "x"}});
        let utility = json!({"recipient": {"id": "1"}, "messaging_type": "UTILITY", "message": {"text": "x"}});
        assert!(!w.allows(spec, &response, 0), "never wrote");
        assert!(w.allows(spec, &utility, 0));
        w.opened("1", 10 * hour);
        assert!(w.allows(spec, &response, 10 * hour + 24 * hour));
        assert!(!w.allows(spec, &response, 10 * hour + 25 * hour));
        assert!(w.allows(spec, &tagged, 10 * hour + 25 * hour));
        assert!(!w.allows(spec, &tagged, 10 * hour + 8 * 24 * hour));
        // Another person's window is their own.
        let other =
            json!({"recipient": {"id": "2"}, "messaging_type": "UPDATE", "message": {"text": "x"}});
        assert!(!w.allows(spec, &other, 10 * hour));
    }
}
