// Rule `recipient.post_id.platform`: Instagram has no private replies to a post_id.
fn main() {
    let _ = sendapi::latest::request!(instagram, {
        "recipient": { "post_id": "17895695668004550" },
        "messaging_type": "RESPONSE",
        "message": { "text": "Thanks for your comment! The jacket comes in navy too." },
    });
}
