// Rule `message.attachments.items_instagram`: Instagram takes at most 10 attachments in one message.
fn main() {
    let _ = sendapi::latest::request!(instagram, {
        "recipient": { "id": "17841400123456789" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachments": [
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/01.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/02.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/03.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/04.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/05.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/06.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/07.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/08.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/09.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/10.jpg" },
                },
                {
                    "type": "image",
                    "payload": { "url": "https://cdn.example.com/lookbook/ss26/11.jpg" },
                },
            ],
        },
    });
}
