// Rule `message.attachments.forbids_quick_replies`: several attachments carry no quick replies.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachments": [
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/rooms/214-a.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/rooms/214-b.jpg" },
                },
            ],
            "quick_replies": [
                { "content_type": "text", "title": "Book it", "payload": "BOOK_214" },
            ],
        },
    });
}
