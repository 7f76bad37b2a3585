// Rule `message.text.max_len` of a team's spec (640 characters) is checked by that spec's request!.
pub mod send_api {
    sendapi::bindings!(spec = "../../../../tests/fixtures/team-v26.0.toml", module = crate::send_api);
}

fn main() {
    let _ = send_api::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "text": "Thanks for contacting Nordwind support. We looked into the delay of your order and found that the parcel was held at the regional depot because the address label was damaged in transit. We have printed a new label and the parcel left the depot this morning. You can expect it on Thursday between 9:00 and 13:00. If that time does not suit you, reply with another day and we will ask the courier to reschedule. We are sorry for the trouble and have refunded the shipping cost to your original payment method; the refund can take up to five working days to appear. Your case number is NW-88213; keep it handy if you call our hotline on weekdays.",
        },
    });
}
