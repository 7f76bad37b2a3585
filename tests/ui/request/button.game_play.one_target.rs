// Rule `button.game_play.one_target`: a game play button targets a player or a context, not both.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "generic",
                    "elements": [
                        {
                            "title": "Rematch?",
                            "subtitle": "You lost 3–2 last round",
                            "buttons": [
                                {
                                    "type": "game_play",
                                    "title": "Play",
                                    "payload": "REMATCH",
                                    "game_metadata": {
                                        "player_id": "4012345678901234",
                                        "context_id": "1719123456789012",
                                    },
                                },
                            ],
                        },
                    ],
                },
            },
        },
    });
}
