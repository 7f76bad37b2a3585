//! The Graph errors the emulator answers on its own, outside the rules:
//! each comes from the spec's `[[errors]]` entry of its name, looked up once
//! when the emulator starts.

use std::fmt;

use sendapi_spec::Spec;
use sendapi_spec::model::ErrorCode;

use crate::graph::{GraphError, OAUTH};

/// A refusal the emulator decides itself, named after its `[[errors]]`
/// entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No access token.
    TokenRequired,
    /// Another token than the configured one.
    TokenInvalid,
    /// An app secret is configured and the call has no `appsecret_proof`.
    ProofMissing,
    /// The call's `appsecret_proof` is not the token's HMAC.
    ProofInvalid,
    /// Over the limit of the call's rate class.
    RateLimited,
    /// More operations in a batch than Graph takes (`{max}`).
    BatchTooLarge,
    /// A page segment that is neither a numeric id nor `me` (`{id}`).
    ObjectNotFound,
    /// A method and path the emulator does not serve (`{path}`).
    UnknownPath,
    /// An injected 500 with a Graph body.
    Transient,
    /// A request the emulator cannot read; the message is its description.
    Invalid,
    /// A send outside the person's messaging window (`--enforce-window`).
    OutsideWindow,
}

impl Refusal {
    const ALL: [Refusal; 11] = [
        Refusal::TokenRequired,
        Refusal::TokenInvalid,
        Refusal::ProofMissing,
        Refusal::ProofInvalid,
        Refusal::RateLimited,
        Refusal::BatchTooLarge,
        Refusal::ObjectNotFound,
        Refusal::UnknownPath,
        Refusal::Transient,
        Refusal::Invalid,
        Refusal::OutsideWindow,
    ];

    /// The name (`rust` key) of the `[[errors]]` entry that answers it.
    pub(crate) fn entry(self) -> &'static str {
        match self {
            Refusal::TokenRequired => "AccessTokenRequired",
            Refusal::TokenInvalid => "InvalidToken",
            Refusal::ProofMissing => "AppSecretProofMissing",
            Refusal::ProofInvalid => "AppSecretProofInvalid",
            Refusal::RateLimited => "RateLimited",
            Refusal::BatchTooLarge => "BatchTooLarge",
            Refusal::ObjectNotFound => "ObjectNotFound",
            Refusal::UnknownPath => "UnknownPath",
            Refusal::Transient => "ServiceUnavailable",
            Refusal::Invalid => "InvalidParameter",
            Refusal::OutsideWindow => "OutsideWindow",
        }
    }

    /// The case, for the answer of a spec that lacks the entry.
    fn case(self) -> &'static str {
        match self {
            Refusal::TokenRequired => "the call has no access token",
            Refusal::TokenInvalid => "the access token is not the configured one",
            Refusal::ProofMissing => "the call has no appsecret_proof",
            Refusal::ProofInvalid => "the appsecret_proof does not match the token",
            Refusal::RateLimited => "the page is over its rate limit",
            Refusal::BatchTooLarge => "the batch has too many operations",
            Refusal::ObjectNotFound => "the path names no page",
            Refusal::UnknownPath => "the emulator does not serve this path",
            Refusal::Transient => "an injected server error",
            Refusal::Invalid => "the request cannot be read",
            Refusal::OutsideWindow => "the send is outside the person's messaging window",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The code of an answer whose entry the spec lacks: Graph's code for an
/// unknown error.
const NO_ENTRY_CODE: u32 = 1;

/// One answer as the spec's entry gives it.
#[derive(Debug, Clone)]
struct Template {
    code: u32,
    subcode: Option<u64>,
    error_type: String,
    /// `message`, else `doc`; `{NAME}` placeholders are filled per call.
    message: String,
}

impl Template {
    fn from_entry(e: &ErrorCode) -> Template {
        Template {
            code: e.code,
            subcode: e.subcode,
            error_type: e.error_type.as_deref().unwrap_or(OAUTH).to_string(),
            message: e.message.clone().unwrap_or_else(|| e.doc.clone()),
        }
    }

    fn error(&self, message: String) -> GraphError {
        GraphError {
            status: 400,
            code: self.code,
            subcode: self.subcode,
            error_type: self.error_type.clone(),
            message,
        }
    }
}

/// The emulator's own answers, from one spec.
#[derive(Debug)]
pub(crate) struct Answers {
    snapshot: String,
    templates: [Option<Template>; Refusal::ALL.len()],
}

/// The entry Graph answers today for `entry`: among the alternatives of one
/// answer (the same code and message, told apart by the subcode), the one
/// marked `current`; else `entry` itself.
fn current_alternative<'a>(spec: &'a Spec, entry: &'a ErrorCode) -> &'a ErrorCode {
    if entry.current || entry.message.is_none() {
        return entry;
    }
    spec.file()
        .errors
        .iter()
        .find(|o| o.current && o.code == entry.code && o.message == entry.message)
        .unwrap_or(entry)
}

/// `template` with every `{name}` of `fill` replaced by its value.
fn fill_in(template: &str, fill: &[(&str, &str)]) -> String {
    fill.iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

impl Answers {
    /// Finds every answer's entry by name; logs the names the spec lacks.
    pub(crate) fn new(spec: &Spec) -> Answers {
        let templates = Refusal::ALL.map(|r| {
            spec.error(r.entry())
                .map(|e| current_alternative(spec, e))
                .map(Template::from_entry)
        });
        let answers = Answers {
            snapshot: spec.name().to_string(),
            templates,
        };
        let missing: Vec<&str> = answers.missing().collect();
        if !missing.is_empty() {
            tracing::warn!(
                "the spec {} has no [[errors]] entry named {}; the emulator answers those cases with code {NO_ENTRY_CODE} and a message naming the entry",
                answers.snapshot,
                missing.join(", ")
            );
        }
        answers
    }

    /// The names of the entries the spec lacks.
    pub(crate) fn missing(&self) -> impl Iterator<Item = &'static str> + '_ {
        Refusal::ALL
            .into_iter()
            .filter(|r| self.templates[r.index()].is_none())
            .map(Refusal::entry)
    }

    /// The answer to `refusal`, its `{name}` placeholders filled from `fill`.
    pub(crate) fn refuse(&self, refusal: Refusal, fill: &[(&str, &str)]) -> GraphError {
        match &self.templates[refusal.index()] {
            Some(t) => t.error(fill_in(&t.message, fill)),
            None => self.without_entry(refusal, None),
        }
    }

    /// A request the emulator cannot read: the code and type of
    /// `InvalidParameter`, and `(#code) ` before the description.
    pub(crate) fn invalid(&self, detail: impl fmt::Display) -> GraphError {
        match &self.templates[Refusal::Invalid.index()] {
            Some(t) => t.error(format!("(#{}) {detail}", t.code)),
            None => self.without_entry(Refusal::Invalid, Some(&detail.to_string())),
        }
    }

    /// The catch-all: a method and path the emulator does not serve, with
    /// what it does serve. HTTP 404.
    pub(crate) fn unknown_path(&self, method: &str, path: &str) -> GraphError {
        let mut e = self.refuse(Refusal::UnknownPath, &[("path", path)]);
        e.message = format!(
            "{} (the sendapi emulator did not expect {method} {path}; it serves POST /{{version}}/{{page-id|me}}/messages, POST /{{version}}/{{page-id|me}}/message_attachments and POST /{{version}}/ (batch), each also without the version, GET and DELETE /__emulator/messages, GET and POST /__emulator/faults, GET /__emulator/stats, GET and POST /__emulator/clock, POST /__emulator/users/{{psid}}/messages, postbacks, reactions and reads)",
            e.message
        );
        e.status = 404;
        e
    }

    /// The answer when the spec has no entry for `refusal`: it says which
    /// entry to add.
    fn without_entry(&self, refusal: Refusal, detail: Option<&str>) -> GraphError {
        let detail = detail.map(|d| format!(": {d}")).unwrap_or_default();
        GraphError {
            status: 400,
            code: NO_ENTRY_CODE,
            subcode: None,
            error_type: OAUTH.to_string(),
            message: format!(
                "the sendapi emulator refuses this call ({}{detail}), but the spec {} has no [[errors]] entry named `{}` to answer with; add one with Graph's code, type and message",
                refusal.case(),
                self.snapshot,
                refusal.entry()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_its_own_slot() {
        for (i, r) in Refusal::ALL.into_iter().enumerate() {
            assert_eq!(r.index(), i, "{r:?}");
        }
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill_in(
                "Object '{id}' at {path}, {id}",
                &[("id", "x"), ("path", "/p")]
            ),
            "Object 'x' at /p, x"
        );
        assert_eq!(fill_in("{max} stays", &[]), "{max} stays");
    }

    #[test]
    fn every_answer_is_an_entry_of_the_bundled_snapshots() {
        for name in sendapi_spec::BUNDLED {
            let spec = sendapi_spec::bundled(name).expect("bundled snapshots load");
            let answers = Answers::new(spec);
            assert_eq!(answers.missing().count(), 0, "{name}");
            let e = answers.refuse(Refusal::ProofMissing, &[]);
            assert_eq!(
                (e.code, e.error_type.as_str()),
                (100, "GraphMethodException")
            );
            let e = answers.refuse(Refusal::ObjectNotFound, &[("id", "abc")]);
            assert_eq!(e.subcode, Some(33));
            assert!(e.message.contains("Object with ID 'abc'"), "{}", e.message);
            assert_eq!(answers.invalid("bad").message, "(#100) bad");
            // The window answer is the alternative marked current.
            let current = spec
                .file()
                .errors
                .iter()
                .find(|e| e.current && e.code == spec.error("OutsideWindow").unwrap().code)
                .unwrap();
            let e = answers.refuse(Refusal::OutsideWindow, &[]);
            assert_eq!((e.code, e.subcode), (current.code, current.subcode));
        }
    }
}
