//! Files (the `upload` feature): the Attachment Upload API with bytes, a
//! path or a stream, and upload-and-send.

use std::path::PathBuf;

use sendapi::latest as api;
use sendapi::{Delivery, Error, FileData, MediaKind};
use sendapi_emulator::Faults;
use serde_json::json;

use crate::common::{PAGE, PSID, assert_no_secret, client, config, is_message_id, start};
use crate::upload::assert_attachment_id;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nnot really an image";

/// A file in the temp dir, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let dir =
            std::env::temp_dir().join(format!("sendapi-client-test-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("the temp file is written");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[tokio::test]
async fn upload_bytes_path_and_stream() {
    let emu = start(config()).await;
    let client = client(&emu);

    let from_bytes = client
        .upload_file(
            MediaKind::Image,
            FileData::bytes("cat.png", PNG.to_vec(), "image/png"),
        )
        .await
        .expect("uploaded");
    assert_attachment_id(&from_bytes.attachment_id);

    let pdf = TempFile::new("terms.pdf", b"%PDF-1.4 not really a pdf");
    let from_path = client
        .upload_file(MediaKind::File, FileData::path(&pdf.0))
        .await
        .expect("uploaded");
    assert_attachment_id(&from_path.attachment_id);

    let clip = TempFile::new("clip.mp4", &[7u8; 70_000]);
    let file = tokio::fs::File::open(&clip.0).await.expect("opened");
    let from_stream = client
        .upload_file(
            MediaKind::Video,
            FileData::stream("clip.mp4", reqwest::Body::from(file), "video/mp4"),
        )
        .await
        .expect("uploaded");
    assert_attachment_id(&from_stream.attachment_id);

    let recorded = emu.requests();
    assert_eq!(recorded.len(), 3);
    let files: Vec<(Option<&str>, Option<&str>, usize)> = recorded
        .iter()
        .map(|r| {
            let f = r.filedata.as_ref().expect("a filedata part");
            (f.filename.as_deref(), f.content_type.as_deref(), f.size)
        })
        .collect();
    assert_eq!(
        files,
        [
            (Some("cat.png"), Some("image/png"), PNG.len()),
            // Name and type from the path.
            (Some("terms.pdf"), Some("application/pdf"), 25),
            (Some("clip.mp4"), Some("video/mp4"), 70_000),
        ]
    );
    let kinds: Vec<&serde_json::Value> = recorded
        .iter()
        .map(|r| &r.body["message"]["attachment"]["type"])
        .collect();
    assert_eq!(kinds, [&json!("image"), &json!("file"), &json!("video")]);
    assert!(recorded.iter().all(|r| r.endpoint == "message_attachments"));
}

#[tokio::test]
async fn bytes_are_resent_on_a_retry_but_a_stream_is_not() {
    let emu = start(config().faults(Faults::none().fail_5xx(500, 1))).await;
    let client = client(&emu);
    let up = client
        .upload_file(
            MediaKind::Image,
            FileData::bytes("cat.png", PNG.to_vec(), "image/png"),
        )
        .await
        .expect("the retry succeeds");
    assert_eq!(up.attempts, 2);
    assert_eq!(
        emu.requests()[0].filedata.as_ref().map(|f| f.size),
        Some(PNG.len())
    );

    emu.set_faults(Faults::none().fail_5xx(500, 1)).unwrap();
    let err = client
        .upload_file(
            MediaKind::Image,
            FileData::stream("cat.png", reqwest::Body::from(PNG.to_vec()), "image/png"),
        )
        .await
        .expect_err("a stream is sent once");
    assert!(
        matches!(
            &err,
            Error::Transport {
                delivery: Delivery::NotDelivered,
                message
            } if message.contains("stream")
        ),
        "{err:?}"
    );
    assert_no_secret(&err);
    assert_eq!(emu.requests().len(), 1);
}

#[tokio::test]
async fn a_missing_file_is_a_config_error_and_nothing_is_sent() {
    let emu = start(config()).await;
    let client = client(&emu);
    let missing = std::env::temp_dir().join("sendapi-client-test-no-such-file.png");
    let err = client
        .upload_file(MediaKind::Image, FileData::path(&missing))
        .await
        .expect_err("no file");
    assert!(
        matches!(&err, Error::Config(m) if m.contains("cannot read")),
        "{err:?}"
    );
    assert!(!err.may_have_reached_user());
    assert!(!err.retryable());
    assert_no_secret(&err);
    assert!(emu.requests().is_empty());
}

#[tokio::test]
async fn send_file_with_and_without_reusable() {
    let emu = start(config()).await;
    let client = client(&emu);
    let sent = client
        .send_file(
            api::Recipient::id(PSID),
            api::MessagingType::Response,
            MediaKind::Image,
            FileData::bytes("cat.png", PNG.to_vec(), "image/png"),
            true,
        )
        .await
        .expect("sent");
    assert!(is_message_id(sent.message_id()));
    assert_eq!(sent.recipient_id_if_present(), Some(PSID));
    let id = sent
        .attachment_id()
        .expect("reusable gives an attachment_id");
    assert_attachment_id(id);

    let once = client
        .send_file(
            api::Recipient::id(PSID),
            api::MessagingType::Update,
            MediaKind::Audio,
            FileData::bytes("voice.mp3", vec![1u8; 512], "audio/mpeg"),
            false,
        )
        .await
        .expect("sent");
    assert_eq!(once.attachment_id(), None);

    let recorded = emu.requests();
    assert_eq!(recorded.len(), 2);
    let r = &recorded[0];
    assert_eq!(r.path, format!("/v26.0/{PAGE}/messages"));
    assert_eq!(r.body["recipient"], json!({"id": PSID}));
    assert_eq!(r.body["messaging_type"], "RESPONSE");
    assert_eq!(
        r.body["message"],
        json!({"attachment": {"type": "image", "payload": {"is_reusable": true}}})
    );
    let f = r.filedata.as_ref().expect("the file");
    assert_eq!(
        (f.filename.as_deref(), f.size),
        (Some("cat.png"), PNG.len())
    );
    assert_eq!(recorded[1].body["messaging_type"], "UPDATE");
    assert_eq!(
        recorded[1].body["message"]["attachment"]["payload"],
        json!({"is_reusable": false})
    );
}

#[tokio::test]
async fn send_file_checks_the_message_first() {
    let emu = start(config()).await;
    let client = client(&emu);
    // A tag carried by the messaging type travels next to it.
    let tagged = api::MessagingType::MessageTag(api::Tag::HumanAgent);
    let sent = client
        .send_file(
            api::Recipient::id(PSID),
            tagged,
            MediaKind::Image,
            FileData::bytes("cat.png", PNG.to_vec(), "image/png"),
            false,
        )
        .await
        .expect("a tagged upload-and-send");
    assert!(is_message_id(sent.message_id()));
    let recorded = emu.requests();
    assert_eq!(recorded[0].body["messaging_type"], "MESSAGE_TAG");
    assert_eq!(recorded[0].body["tag"], "HUMAN_AGENT");

    // A tag refused since 2026-04-27, chosen at run time, is refused
    // before sending.
    let err = client
        .send_file(
            api::Recipient::id(PSID),
            api::MessagingType::MessageTag(api::Tag::AccountUpdate),
            MediaKind::Image,
            FileData::bytes("cat.png", PNG.to_vec(), "image/png"),
            false,
        )
        .await
        .expect_err("refused locally");
    let Error::Invalid(invalid) = &err else {
        panic!("expected a local refusal, got {err:?}");
    };
    assert_eq!(invalid.rule_ids(), ["request.tag.refused_since"]);
    assert_no_secret(&err);
    assert_eq!(emu.requests().len(), 1);
}
