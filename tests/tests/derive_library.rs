//! A library-style crate deriving several message types, as a library author
//! would: the derived requests serialize to exactly the bodies the
//! attributes describe, and `validate()` checks the run-time values.

mod notices {
    use sendapi::latest as api;

    /// A shipping notice with buttons to track the parcel.
    #[derive(Debug, Clone, sendapi::Message)]
    #[sendapi(messaging_type = "UPDATE")]
    pub struct Shipped {
        #[sendapi(text)]
        pub text: String,
        #[sendapi(quick_replies)]
        pub replies: Vec<api::QuickReply>,
        #[sendapi(metadata)]
        pub order: String,
    }

    /// A picture of the parcel, sent silently.
    #[derive(Debug, Clone, sendapi::Message)]
    #[sendapi(messaging_type = "RESPONSE", notification_type = "NO_PUSH")]
    pub struct Photo {
        #[sendapi(attachment)]
        pub image: api::Attachment,
    }

    /// Support conversations: every variant is sent by a human agent.
    #[derive(Debug, Clone, sendapi::Message)]
    #[sendapi(tag = "HUMAN_AGENT")]
    pub enum Support {
        Answer(#[sendapi(text)] String),
        #[sendapi(notification_type = "SILENT_PUSH")]
        FollowUp {
            #[sendapi(text)]
            text: String,
            #[sendapi(metadata)]
            ticket: String,
        },
    }

    /// Several photos sent as a persona: an attribute and a role beyond the
    /// common ones, both offered because the spec's request has them.
    #[derive(Debug, Clone, sendapi::Message)]
    #[sendapi(messaging_type = "RESPONSE", persona_id = "1254459154682919")]
    pub struct Gallery {
        #[sendapi(attachments)]
        pub images: Vec<api::MultiAttachment>,
    }

    /// An Instagram reply, pinned to the v21.0 snapshot.
    #[derive(Debug, Clone, sendapi::Message)]
    #[sendapi(
        snapshot = "v21.0",
        platform = "instagram",
        messaging_type = "RESPONSE"
    )]
    pub struct InstagramReply {
        #[sendapi(text)]
        pub text: String,
    }
}

use notices::{Gallery, InstagramReply, Photo, Shipped, Support};
use sendapi::Message;
use sendapi::latest as api;
use serde_json::json;

fn body<R: serde::Serialize>(r: &R) -> serde_json::Value {
    serde_json::to_value(r).expect("requests serialize")
}

#[test]
fn a_struct_with_text_quick_replies_and_metadata() {
    let shipped = Shipped {
        text: "Your parcel left the warehouse.".into(),
        replies: vec![api::QuickReply::text(api::TextQuickReply::new(
            "Track",
            "TRACK_4411",
        ))],
        order: "order-4411".into(),
    };
    let req = shipped.to_request(api::Recipient::id("6047783085279281"));
    assert_eq!(
        body(&req),
        json!({
            "recipient": {"id": "6047783085279281"},
            "messaging_type": "UPDATE",
            "message": {
                "text": "Your parcel left the warehouse.",
                "quick_replies": [{"content_type": "text", "title": "Track", "payload": "TRACK_4411"}],
                "metadata": "order-4411"
            }
        })
    );
    assert!(req.validate().is_ok());
}

#[test]
fn run_time_values_are_checked_by_validate() {
    let shipped = Shipped {
        text: "x".repeat(2001),
        replies: (0..14)
            .map(|i| {
                api::QuickReply::text(api::TextQuickReply::new(format!("R{i}"), format!("R{i}")))
            })
            .collect(),
        order: String::new(),
    };
    let err = shipped
        .to_request(api::Recipient::id("1"))
        .validate()
        .unwrap_err();
    assert_eq!(
        err.rule_ids(),
        ["message.text.max_len", "message.quick_replies.items"]
    );
    assert_eq!(err.violations[0].pointer, "/message/text");
    assert_eq!(err.violations[1].pointer, "/message/quick_replies");
}

#[test]
fn an_attachment_role() {
    let photo = Photo {
        image: api::Attachment::image(api::MediaPayload::url("https://cdn.example.org/parcel.jpg")),
    };
    let req = photo.to_request(api::Recipient::user_ref("checkbox-ref-22"));
    assert_eq!(
        body(&req),
        json!({
            "recipient": {"user_ref": "checkbox-ref-22"},
            "messaging_type": "RESPONSE",
            "message": {"attachment": {"type": "image", "payload": {"url": "https://cdn.example.org/parcel.jpg"}}},
            "notification_type": "NO_PUSH"
        })
    );
}

#[test]
fn attributes_and_roles_come_from_the_spec() {
    let image = |url: &str| api::MultiAttachment::image(api::MediaPayload::url(url));
    let gallery = Gallery {
        images: vec![
            image("https://cdn.example.org/front.jpg"),
            image("https://cdn.example.org/back.jpg"),
        ],
    };
    let req = gallery.to_request(api::Recipient::id("7"));
    assert_eq!(
        body(&req),
        json!({
            "recipient": {"id": "7"},
            "messaging_type": "RESPONSE",
            "persona_id": "1254459154682919",
            "message": {"attachments": [
                {"type": "image", "payload": {"url": "https://cdn.example.org/front.jpg"}},
                {"type": "image", "payload": {"url": "https://cdn.example.org/back.jpg"}}
            ]}
        })
    );
    assert!(req.validate().is_ok());
}

#[test]
fn an_enum_with_variant_attributes() {
    let answer = Support::Answer("We refunded the double charge.".into())
        .to_request(api::Recipient::id("7"));
    assert_eq!(
        body(&answer),
        json!({
            "recipient": {"id": "7"},
            "messaging_type": "MESSAGE_TAG",
            "tag": "HUMAN_AGENT",
            "message": {"text": "We refunded the double charge."}
        })
    );
    let follow = Support::FollowUp {
        text: "Any news?".into(),
        ticket: "T-9".into(),
    }
    .to_request(api::Recipient::id("7"));
    assert_eq!(body(&follow)["notification_type"], json!("SILENT_PUSH"));
    assert_eq!(body(&follow)["message"]["metadata"], json!("T-9"));
}

#[test]
fn a_pinned_snapshot_and_platform() {
    let reply = InstagramReply {
        text: "é".repeat(600),
    }
    .to_request(sendapi::v21::Recipient::id("17841400000000000"));
    // 600 "é" are 1200 bytes: over Instagram's 1000-byte limit.
    let err = reply.validate().unwrap_err();
    assert_eq!(err.snapshot, "v21.0");
    assert_eq!(err.rule_ids(), ["message.text.max_len_instagram"]);
}
