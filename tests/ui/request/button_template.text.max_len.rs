// Rule `button_template.text.max_len`: a button template's text is at most 640 characters.
fn main() {
    let _ = sendapi::latest::request!({
        "recipient": { "id": "6047783085279281" },
        "messaging_type": "RESPONSE",
        "message": {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": "Before we confirm your booking, please read our cancellation policy. You can cancel free of charge up to 48 hours before check-in. After that we charge the first night. No-shows are charged the full stay. Changes to the dates are possible at no cost while rooms are available; we will always confirm a change in writing. Early check-in from 11:00 and late check-out until 14:00 can be requested at the desk and cost €20 each. Pets up to 10 kg are welcome for €15 per night, and cots for babies are free of charge. Parking is available in the garage next door at a reduced rate for guests. Breakfast is served from 7:00 to 10:30. Please tap a button below to continue. Thank you!",
                    "buttons": [
                        { "type": "postback", "title": "I agree", "payload": "POLICY_OK" },
                        {
                            "type": "web_url",
                            "title": "Full policy",
                            "url": "https://hotel.example.com/policy",
                        },
                    ],
                },
            },
        },
    });
}
