// request! grammar: a tagged union's tag (here the attachment `type`) is a string literal, not an expression.
fn main() {
    let clip = "https://cdn.example.com/tutorials/descaling.mp4";
    let kind = if clip.ends_with(".mp4") { "video" } else { "image" };
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": kind,
                "payload": { "url": clip },
            },
        },
    });
}
