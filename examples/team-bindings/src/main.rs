//! Builds one valid body with each set of bindings and prints it as JSON,
//! one line each: `build.rs {…}` and `bindings! {…}`. Nothing is sent.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for (label, body) in [
        ("build.rs", team_bindings::shipped_update()),
        ("bindings!", team_bindings::booked_response()),
    ] {
        match body {
            Ok(json) => println!("{label} {json}"),
            Err(e) => {
                eprintln!("{label}: {e}");
                code = ExitCode::FAILURE;
            }
        }
    }
    code
}
