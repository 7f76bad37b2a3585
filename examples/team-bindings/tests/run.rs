//! `cargo run -p team-bindings` prints one valid body built with each set
//! of bindings, and both are the bodies Graph expects.

use std::process::Command;

#[test]
fn prints_a_valid_body_from_each_set_of_bindings() {
    let out = Command::new(env!("CARGO_BIN_EXE_team-bindings"))
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let lines: Vec<(&str, serde_json::Value)> = stdout
        .lines()
        .map(|l| {
            let (label, json) = l.split_once(' ').expect("`LABEL JSON`");
            let body = serde_json::from_str(json).unwrap_or_else(|e| panic!("{l}: {e}"));
            (label, body)
        })
        .collect();
    assert_eq!(
        lines,
        [
            (
                "build.rs",
                serde_json::json!({
                    "recipient": { "id": "6047783085279281" },
                    "messaging_type": "UPDATE",
                    "message": { "text": "Your order has shipped." },
                })
            ),
            (
                "bindings!",
                serde_json::json!({
                    "recipient": { "id": "6047783085279281" },
                    "messaging_type": "RESPONSE",
                    "message": { "text": "Your table is booked." },
                })
            ),
        ]
    );
}
