//! What the emulator reads from the spec once, at start: request and
//! response types, transport parameters, error types, its own answers and
//! rate classes.

use std::fmt;

use sendapi_spec::model::{Status, TypeKind};
use sendapi_spec::{Compiled, Engine, RateClassInfo, Spec, Ty};
use serde_json::{Map, Value};

use crate::answers::Answers;
use crate::config::SpecChoice;
use crate::error::Error;
use crate::graph::{self, OAUTH};

/// The names of the transport parameters Graph reads from every call.
pub(crate) const ACCESS_TOKEN: &str = "access_token";
pub(crate) const APPSECRET_PROOF: &str = "appsecret_proof";

/// A key field of a keyed type and the response type it selects.
#[derive(Debug, Clone)]
struct KeyResponse {
    field: String,
    response: Option<String>,
}

pub(crate) struct Model {
    loaded: Compiled,
    /// Request type of the upload endpoint, when the spec has it.
    upload_type: Option<String>,
    upload_response: Option<String>,
    /// Body fields that are request parameters, not message content.
    transport: Vec<String>,
    /// The root's field whose keyed type carries per-form responses.
    recipient_field: Option<String>,
    root_keys: Vec<KeyResponse>,
    recipient_keys: Vec<KeyResponse>,
    default_class: Option<RateClassInfo>,
    /// The answers the emulator gives outside the rules.
    answers: Answers,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("snapshot", &self.spec().name())
            .field("upload_type", &self.upload_type)
            .field("transport", &self.transport)
            .field("recipient_field", &self.recipient_field)
            .field(
                "missing_answers",
                &self.answers.missing().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

fn key_responses(spec: &Spec, type_name: &str) -> Vec<KeyResponse> {
    spec.type_def(type_name)
        .filter(|d| *d.kind.get_ref() == TypeKind::Keyed)
        .map(|d| {
            d.fields
                .iter()
                .filter(|(_, f)| f.key)
                .map(|(name, f)| KeyResponse {
                    field: name.get_ref().clone(),
                    response: f.response.as_ref().map(|r| r.get_ref().clone()),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Model {
    pub(crate) fn load(choice: &SpecChoice) -> Result<Model, Error> {
        let loaded = match choice {
            SpecChoice::Named(name) => Compiled::resolve(name)?,
            SpecChoice::Loaded(spec) => Compiled::new((**spec).clone()),
        };
        let spec = loaded.spec();
        let root = spec.root().to_string();
        let upload = spec.file().endpoints.get("message_attachments");
        let upload_type = upload.map(|e| e.request.get_ref().clone());
        let upload_response = upload.and_then(|e| e.response.as_ref().map(|r| r.get_ref().clone()));

        let mut transport = vec![ACCESS_TOKEN.to_string(), APPSECRET_PROOF.to_string()];
        for ty in std::iter::once(&root).chain(upload_type.as_ref()) {
            if let Some(def) = spec.type_def(ty) {
                for (name, f) in &def.fields {
                    if f.status == Status::Transport && !transport.contains(name.get_ref()) {
                        transport.push(name.get_ref().clone());
                    }
                }
            }
        }

        // The recipient is the root field whose keyed type has key fields
        // with a `response`: the spec says per form what a send answers.
        let mut recipient_field = None;
        let mut recipient_keys = Vec::new();
        if let Some(def) = spec.type_def(&root) {
            for (name, f) in &def.fields {
                if let Ty::Named(t) = spec.field_ty(f) {
                    let keys = key_responses(spec, &t);
                    if keys.iter().any(|k| k.response.is_some()) {
                        recipient_field = Some(name.get_ref().clone());
                        recipient_keys = keys;
                        break;
                    }
                }
            }
        }
        let root_keys = key_responses(spec, &root);
        let default_class = spec
            .file()
            .rate_classes
            .iter()
            .find(|(_, c)| c.default)
            .map(|(name, c)| RateClassInfo {
                name: name.get_ref().clone(),
                limit: c.limit,
                per_seconds: c.per_seconds,
            });
        let answers = Answers::new(spec);
        Ok(Model {
            loaded,
            upload_type,
            upload_response,
            transport,
            recipient_field,
            root_keys,
            recipient_keys,
            default_class,
            answers,
        })
    }

    pub(crate) fn spec(&self) -> &Spec {
        self.loaded.spec()
    }

    pub(crate) fn engine(&self) -> &Engine {
        self.loaded.engine()
    }

    /// The body field holding the recipient (`recipient`).
    pub(crate) fn recipient_field(&self) -> Option<&str> {
        self.recipient_field.as_deref()
    }

    pub(crate) fn upload_type(&self) -> Option<&str> {
        self.upload_type.as_deref()
    }

    /// The answers the emulator gives outside the rules.
    pub(crate) fn answers(&self) -> &Answers {
        &self.answers
    }

    /// Graph's exception type for a code and subcode, from the spec's error
    /// table: the general entry (the first) of the exact pair, else of the
    /// code alone, else `OAuthException`. Later entries of a code are
    /// answers of their own, found by name.
    pub(crate) fn error_type(&self, code: u32, subcode: Option<u64>) -> &str {
        let general = |subcode: Option<u64>| {
            self.spec()
                .file()
                .errors
                .iter()
                .find(|e| e.code == code && e.subcode == subcode)
                .and_then(|e| e.error_type.as_deref())
        };
        general(subcode).or_else(|| general(None)).unwrap_or(OAUTH)
    }

    /// Removes the transport parameters from a body.
    pub(crate) fn strip_transport(&self, body: &mut Map<String, Value>) {
        for key in &self.transport {
            body.remove(key);
        }
    }

    /// The rate class of a Send API body (the spec's default class when no
    /// condition matches); `None` when the spec has no rate classes.
    pub(crate) fn rate_class(&self, body: &Value) -> Option<&RateClassInfo> {
        self.engine()
            .rate_class(body)
            .or(self.default_class.as_ref())
    }

    pub(crate) fn default_class(&self) -> Option<&RateClassInfo> {
        self.default_class.as_ref()
    }

    /// The success answer to a valid Send API body.
    pub(crate) fn send_answer(&self, body: &Map<String, Value>) -> Value {
        let recipient = self
            .recipient_field
            .as_deref()
            .and_then(|f| body.get(f))
            .and_then(Value::as_object);
        // The form of the recipient, and the id Graph would answer for it.
        let form = recipient.and_then(|r| {
            self.recipient_keys
                .iter()
                .find_map(|k| r.get(&k.field).map(|v| (k, v)))
        });
        let recipient_id = form.map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if k.field == "id" {
                text
            } else {
                // A comment, post or token stands for a person whose PSID
                // Graph would answer: a stable number derived from it.
                graph::derived_id(&k.field, &text)
            }
        });
        // The body's own form (a sender action) decides first, then the
        // recipient's form.
        let response = self
            .root_keys
            .iter()
            .find(|k| body.contains_key(&k.field) && k.response.is_some())
            .or(form.map(|(k, _)| k))
            .and_then(|k| k.response.as_deref());
        let reusable = is_reusable(body);
        self.answer(response, recipient_id, reusable)
    }

    /// The success answer of the Attachment Upload API.
    pub(crate) fn upload_answer(&self) -> Value {
        match self.upload_response.as_deref() {
            Some(ty) => self.answer(Some(ty), None, true),
            None => serde_json::json!({ "attachment_id": graph::attachment_id() }),
        }
    }

    /// Builds an answer of a response type: its required fields, plus
    /// `attachment_id` for a reusable attachment when the type declares it.
    /// Optional fields are left out, so that clients do not come to rely on
    /// what Graph does not promise.
    fn answer(&self, ty: Option<&str>, recipient_id: Option<String>, reusable: bool) -> Value {
        let mut out = Map::new();
        let Some(def) = ty.and_then(|t| self.spec().type_def(t)) else {
            if let Some(id) = recipient_id {
                out.insert("recipient_id".into(), Value::String(id));
            }
            out.insert("message_id".into(), Value::String(graph::message_id()));
            return Value::Object(out);
        };
        for (name, f) in &def.fields {
            let name = name.get_ref().as_str();
            let wanted = f.required || (name == "attachment_id" && reusable);
            if !wanted {
                continue;
            }
            let value = match name {
                "recipient_id" => recipient_id.clone(),
                "message_id" => Some(graph::message_id()),
                "attachment_id" => Some(graph::attachment_id()),
                _ => None,
            };
            if let Some(v) = value {
                out.insert(name.to_string(), Value::String(v));
            }
        }
        Value::Object(out)
    }
}

/// Whether the message's attachment asks to be saved for reuse (`true`, or
/// the string `"true"` that Graph coerces).
pub(crate) fn is_reusable(body: &Map<String, Value>) -> bool {
    body.get("message")
        .and_then(|m| m.get("attachment"))
        .and_then(|a| a.get("payload"))
        .and_then(|p| p.get("is_reusable"))
        .is_some_and(|v| matches!(v, Value::Bool(true)) || v.as_str() == Some("true"))
}
