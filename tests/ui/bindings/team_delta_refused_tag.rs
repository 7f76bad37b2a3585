// bindings! from the team-bindings example's delta (examples/team-bindings/spec/v27.0.toml), which refuses CUSTOMER_FEEDBACK from 2027-01-20.
pub mod send_api {
    sendapi::bindings!(spec = "../../../../examples/team-bindings/spec/v27.0.toml", module = crate::send_api);
}

fn main() {
    let _ = send_api::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "MESSAGE_TAG",
        "tag": "CUSTOMER_FEEDBACK",
        "message": { "text": "How did we do?" },
    });
}
