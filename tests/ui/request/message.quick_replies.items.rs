// Rule `message.quick_replies.items`: at most 13 quick replies.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Which size should we reserve for you?",
            "quick_replies": [
                { "content_type": "text", "title": "XS", "payload": "SIZE_XS" },
                { "content_type": "text", "title": "S", "payload": "SIZE_S" },
                { "content_type": "text", "title": "M", "payload": "SIZE_M" },
                { "content_type": "text", "title": "L", "payload": "SIZE_L" },
                { "content_type": "text", "title": "XL", "payload": "SIZE_XL" },
                { "content_type": "text", "title": "XXL", "payload": "SIZE_XXL" },
                { "content_type": "text", "title": "3XL", "payload": "SIZE_3XL" },
                { "content_type": "text", "title": "4XL", "payload": "SIZE_4XL" },
                { "content_type": "text", "title": "5XL", "payload": "SIZE_5XL" },
                { "content_type": "text", "title": "6XL", "payload": "SIZE_6XL" },
                { "content_type": "text", "title": "Kids S", "payload": "SIZE_KIDS_S" },
                { "content_type": "text", "title": "Kids M", "payload": "SIZE_KIDS_M" },
                { "content_type": "text", "title": "Kids L", "payload": "SIZE_KIDS_L" },
                { "content_type": "text", "title": "Kids XL", "payload": "SIZE_KIDS_XL" },
            ],
        },
    });
}
