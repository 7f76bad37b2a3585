//! The Attachment Upload API by URL; files are in `files`.

use sendapi::MediaKind;
use serde_json::json;

use crate::common::{PAGE, client, config, start};

pub(crate) fn assert_attachment_id(id: &str) {
    assert!(
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
        "attachment id {id:?}"
    );
}

#[tokio::test]
async fn upload_by_url() {
    let emu = start(config()).await;
    let client = client(&emu);
    let up = client
        .upload_url(MediaKind::Image, "https://cdn.example.org/cat.png")
        .await
        .expect("uploaded");
    assert_attachment_id(&up.attachment_id);
    assert_eq!(up.attempts, 1);
    let recorded = emu.requests();
    assert_eq!(recorded.len(), 1);
    let r = &recorded[0];
    assert_eq!(r.path, format!("/v26.0/{PAGE}/message_attachments"));
    assert_eq!(r.endpoint, "message_attachments");
    assert_eq!(
        r.body["message"],
        json!({"attachment": {"type": "image", "payload": {"url": "https://cdn.example.org/cat.png", "is_reusable": true}}})
    );
    assert_eq!(r.response["attachment_id"], up.attachment_id.as_str());
    assert!(r.filedata.is_none());
}
