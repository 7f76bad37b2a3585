// Rule `media.exactly_one_source`: media comes from a url or a saved attachment_id, not both.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "video",
                "payload": {
                    "url": "https://cdn.example.com/howto/descale.mp4",
                    "attachment_id": "1857777774821032",
                },
            },
        },
    });
}
