//! Request bodies, each carrying the token and the proof. They travel in
//! the body, never in a URL (URLs end up in logs and error messages); every
//! place that puts them into a body is here.

use std::sync::LazyLock;
#[cfg(feature = "upload")]
use std::sync::{Arc, Mutex};

use memchr::memmem::Finder;
use serde_json::{Map, Value};

#[cfg(feature = "upload")]
use super::files::{FileData, Part};
use super::{Client, PageToken};
use crate::error::Error;

/// What one call sends.
pub(super) enum Payload {
    Json(Value),
    /// A serialized JSON body, sent as it is.
    JsonBytes(bytes::Bytes),
    /// Makes the form anew for each attempt; `None` once a streamed file
    /// was used up.
    #[cfg(feature = "upload")]
    Multipart(Box<dyn Fn() -> Option<reqwest::multipart::Form> + Send + Sync>),
}

/// The transport members' keys, as they appear in a serialized body.
static TRANSPORT_MEMBERS: LazyLock<[Finder<'static>; 2]> = LazyLock::new(|| {
    [
        Finder::new(b"\"access_token\""),
        Finder::new(b"\"appsecret_proof\""),
    ]
});

/// `"access_token":…,"appsecret_proof":…` as JSON members, for
/// `Inner::auth_members`.
pub(super) fn auth_members(token: &PageToken, proof: Option<&str>) -> String {
    let mut members = format!("\"access_token\":{}", json_string(token.expose()));
    if let Some(p) = proof {
        members.push_str(",\"appsecret_proof\":");
        members.push_str(&json_string(p));
    }
    members
}

/// A string as a JSON string literal.
fn json_string(s: &str) -> String {
    // Serializing a &str cannot fail.
    serde_json::to_string(s).unwrap_or_default()
}

impl Client {
    /// Adds the token and proof to a JSON body.
    pub(super) fn authenticate(&self, body: &mut Map<String, Value>) {
        body.insert(
            "access_token".into(),
            Value::String(self.inner.token.expose().to_string()),
        );
        if let Some(p) = &self.inner.proof {
            body.insert("appsecret_proof".into(), Value::String(p.clone()));
        }
    }

    /// The request as JSON bytes with the token and proof added. The
    /// request is serialized straight to bytes and the members appended:
    /// building a `serde_json::Value` first cost more than the rest of the
    /// client's own work (see `tests/benches/client_overhead.rs`).
    pub(super) fn body_bytes<R: serde::Serialize>(
        &self,
        request: &R,
    ) -> Result<bytes::Bytes, Error> {
        let not_object = || Error::Config("the request did not serialize to a JSON object".into());
        // Room for a typical body and the members, so the buffer does not
        // grow (and copy) half a dozen times.
        let mut out = Vec::with_capacity(512 + self.inner.auth_members.len());
        serde_json::to_writer(&mut out, request).map_err(|_| not_object())?;
        if out.first() != Some(&b'{') || out.last() != Some(&b'}') {
            return Err(not_object());
        }
        // A body that names a transport member itself (only an `Unchecked`
        // one can) goes through a map, so that the client's values win and
        // no member appears twice.
        if TRANSPORT_MEMBERS.iter().any(|f| f.find(&out).is_some()) {
            let mut map: Map<String, Value> =
                serde_json::from_slice(&out).map_err(|_| not_object())?;
            self.authenticate(&mut map);
            return serde_json::to_vec(&map)
                .map(bytes::Bytes::from)
                .map_err(|_| not_object());
        }
        out.pop();
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(self.inner.auth_members.as_bytes());
        out.push(b'}');
        Ok(out.into())
    }

    /// A batch item's body: form-encoded, values that are not strings
    /// written as JSON (as Graph's curl samples do), the proof per item.
    pub(super) fn batch_item_body(&self, body: &Value) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        if let Value::Object(m) = body {
            for (k, v) in m {
                match v {
                    Value::String(s) => form.append_pair(k, s),
                    other => form.append_pair(k, &other.to_string()),
                };
            }
        }
        if let Some(p) = &self.inner.proof {
            form.append_pair("appsecret_proof", p);
        }
        form.finish()
    }

    /// A multipart body: `fields` and the token and proof as text parts,
    /// `file` as the part named `part`.
    #[cfg(feature = "upload")]
    pub(super) async fn multipart(
        &self,
        mut fields: Vec<(String, String)>,
        part_name: &'static str,
        file: FileData,
    ) -> Result<Payload, Error> {
        fields.push(("access_token".into(), self.inner.token.expose().to_string()));
        if let Some(p) = &self.inner.proof {
            fields.push(("appsecret_proof".into(), p.clone()));
        }
        let part = file.into_part().await?;
        let fields = Arc::new(fields);
        let part = Mutex::new(Some(part));
        Ok(Payload::Multipart(Box::new(move || {
            let part = part.lock().ok()?.as_ref().and_then(Part::replay)?;
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields.iter() {
                form = form.text(k.clone(), v.clone());
            }
            Some(form.part(part_name, part))
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appsecret_proof;

    fn client(secret: &str) -> Client {
        Client::builder()
            .page_id("1")
            .page_token("EAAB\"quoted\\token")
            .app_secret(secret)
            .build()
            .expect("client")
    }

    fn body(c: &Client, v: Value) -> Value {
        let bytes = c.body_bytes(&v).expect("an object");
        serde_json::from_slice(&bytes).expect("the body is JSON")
    }

    #[test]
    fn the_token_and_proof_are_appended_as_json_members() {
        let c = client("s3cret");
        let proof = appsecret_proof("s3cret", "EAAB\"quoted\\token");
        let got = body(
            &c,
            serde_json::json!({"recipient": {"id": "7"}, "sender_action": "mark_seen"}),
        );
        assert_eq!(
            got,
            serde_json::json!({
                "recipient": {"id": "7"},
                "sender_action": "mark_seen",
                "access_token": "EAAB\"quoted\\token",
                "appsecret_proof": proof,
            })
        );
        // An empty object gets no leading comma; no secret, no proof.
        let got = body(&client(""), serde_json::json!({}));
        assert_eq!(
            got,
            serde_json::json!({"access_token": "EAAB\"quoted\\token"})
        );
    }

    #[test]
    fn a_body_with_its_own_transport_members_gets_the_clients_once() {
        let c = client("s3cret");
        let v = serde_json::json!({"access_token": "other", "appsecret_proof": "x", "message": {"text": "\"access_token\""}});
        let bytes = c.body_bytes(&v).expect("an object");
        let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
        assert_eq!(text.matches("\"access_token\":").count(), 1, "{text}");
        let got: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(got["access_token"], "EAAB\"quoted\\token");
        assert_eq!(got["message"]["text"], "\"access_token\"");
    }

    #[test]
    fn what_is_not_an_object_is_refused() {
        let c = client("");
        assert!(matches!(
            c.body_bytes(&serde_json::json!([1])),
            Err(Error::Config(_))
        ));
        assert!(matches!(c.body_bytes(&"text"), Err(Error::Config(_))));
    }
}
