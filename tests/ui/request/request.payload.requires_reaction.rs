// Rule `request.payload.requires_reaction`: `payload` belongs to react and unreact only.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "sender_action": "mark_seen",
        "payload": {
            "message_id": "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
            "reaction": "love",
        },
    });
}
