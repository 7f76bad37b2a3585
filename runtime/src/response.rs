//! Responses shared by every snapshot.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;

use crate::form::{Form, HasRecipientId};

/// The response to a message send, typed by the recipient form `F`:
/// `recipient_id()` compiles only for forms whose response carries it.
pub struct Sent<F> {
    recipient: Option<String>,
    message_id: String,
    attachment_id: Option<String>,
    _form: PhantomData<fn() -> F>,
}

impl<F> Sent<F> {
    /// The id of the sent message (`m_…`).
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The saved attachment's id, when the message had `is_reusable: true`.
    pub fn attachment_id(&self) -> Option<&str> {
        self.attachment_id.as_deref()
    }

    /// The recipient's id when Meta returned one.
    pub fn recipient_id_if_present(&self) -> Option<&str> {
        self.recipient.as_deref()
    }

    /// The PSID or IGSID of the recipient. Compiles only for recipient forms
    /// whose responses carry it.
    pub fn recipient_id(&self) -> &str
    where
        F: HasRecipientId,
    {
        // Decoding refuses a response without it for these forms.
        self.recipient.as_deref().unwrap_or_default()
    }
}

impl<F> fmt::Debug for Sent<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sent")
            .field("recipient_id", &self.recipient)
            .field("message_id", &self.message_id)
            .field("attachment_id", &self.attachment_id)
            .finish()
    }
}

impl<F> Clone for Sent<F> {
    fn clone(&self) -> Self {
        Sent {
            recipient: self.recipient.clone(),
            message_id: self.message_id.clone(),
            attachment_id: self.attachment_id.clone(),
            _form: PhantomData,
        }
    }
}

impl<F> PartialEq for Sent<F> {
    fn eq(&self, other: &Self) -> bool {
        (&self.recipient, &self.message_id, &self.attachment_id)
            == (&other.recipient, &other.message_id, &other.attachment_id)
    }
}

#[derive(Deserialize)]
struct Wire {
    recipient_id: Option<Id>,
    message_id: Option<Id>,
    attachment_id: Option<Id>,
}

/// Ids arrive as strings; tolerate numbers. Read with a visitor rather
/// than `#[serde(untagged)]`, which buffers every value first and was most
/// of the cost of decoding an answer.
struct Id(String);

impl Id {
    fn into_string(self) -> String {
        self.0
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id, as a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Id, E> {
                Ok(Id(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Id, E> {
                Ok(Id(serde_json::Number::from_f64(v)
                    .map_or_else(|| v.to_string(), |n| n.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de, F: Form> Deserialize<'de> for Sent<F> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = Wire::deserialize(d)?;
        let recipient_id = w.recipient_id.map(Id::into_string);
        let message_id = w
            .message_id
            .map(Id::into_string)
            .ok_or_else(|| D::Error::missing_field("message_id"))?;
        if F::HAS_RECIPIENT_ID && recipient_id.is_none() {
            return Err(D::Error::custom(format!(
                "the response to a send to recipient.{} has no recipient_id",
                F::KEY
            )));
        }
        Ok(Sent {
            recipient: recipient_id,
            message_id,
            attachment_id: w.attachment_id.map(Id::into_string),
            _form: PhantomData,
        })
    }
}

/// The response to a request whose kind is known only at run time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct AnyResponse {
    /// The recipient, when Meta returned it.
    pub recipient_id: Option<String>,
    /// The sent message, for message sends.
    pub message_id: Option<String>,
    /// The saved attachment, when `is_reusable` was true.
    pub attachment_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct WithId;
    impl Form for WithId {
        const KEY: &'static str = "id";
        const HAS_RECIPIENT_ID: bool = true;
    }
    #[derive(Debug)]
    struct WithoutId;
    impl Form for WithoutId {
        const KEY: &'static str = "user_ref";
        const HAS_RECIPIENT_ID: bool = false;
    }

    #[test]
    fn ids_are_strings_or_numbers() {
        let s: Sent<WithId> =
            serde_json::from_str(r#"{"recipient_id":"6047783085279281","message_id":"m_x","attachment_id":1857777774821032}"#)
                .expect("decodes");
        assert_eq!(s.recipient_id_if_present(), Some("6047783085279281"));
        assert_eq!(s.message_id(), "m_x");
        assert_eq!(s.attachment_id(), Some("1857777774821032"));
        let s: Sent<WithId> = serde_json::from_str(
            r#"{"recipient_id":6047783085279281,"message_id":"m_y","attachment_id":null}"#,
        )
        .expect("decodes");
        assert_eq!(s.recipient_id_if_present(), Some("6047783085279281"));
        assert_eq!(s.attachment_id(), None);
    }

    #[test]
    fn what_the_form_needs_is_required() {
        let e = serde_json::from_str::<Sent<WithId>>(r#"{"message_id":"m_x"}"#)
            .expect_err("recipient_id is required for an id send");
        assert!(e.to_string().contains("recipient.id"), "{e}");
        let s: Sent<WithoutId> = serde_json::from_str(r#"{"message_id":"m_x"}"#).expect("decodes");
        assert_eq!(s.recipient_id_if_present(), None);
        let e = serde_json::from_str::<Sent<WithoutId>>(r#"{"recipient_id":"1"}"#)
            .expect_err("message_id is required");
        assert!(e.to_string().contains("message_id"), "{e}");
        let e = serde_json::from_str::<Sent<WithoutId>>(r#"{"message_id":true}"#)
            .expect_err("an id is a string or a number");
        assert!(e.to_string().contains("an id"), "{e}");
    }
}
