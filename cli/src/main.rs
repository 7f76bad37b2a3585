//! `sendapi`: validate bodies, diff snapshots, check spec files, generate
//! bindings, send, broadcast, emulate, find what a snapshot move breaks, and the demo.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `println!` that ignores a closed stdout (`sendapi demo | head` must not
/// panic): what the reader did not want to read is not an error.
macro_rules! out {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stdout(), $($arg)*);
    }};
}

mod broadcast;
mod demo;
mod diff;
mod emulate;
mod generate;
mod listen;
mod migrate;
mod send;
mod signals;
mod spec_cmd;
mod validate;

/// Typed, spec-driven tooling for Meta's Messenger Send API.
#[derive(Debug, Parser)]
#[command(name = "sendapi", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A conversation with a bot, then a tour of the Send API, in this
    /// process.
    ///
    /// Part 1: the bundled emulator plays a person who writes to the page;
    /// the demo's bot (sendapi::webhook::Receiver on another loopback port)
    /// receives each signed webhook and answers through Client; the person
    /// taps a quick reply; a day later a plain follow-up is refused with
    /// Graph's window error and a HUMAN_AGENT one goes through. Part 2:
    /// text, quick replies, a template, typing, a reaction, a HUMAN_AGENT
    /// message, a user_ref send, a batch, and two requests that are refused
    /// (one locally, one by the emulator). Exit status: 0.
    Demo(demo::Args),
    /// Validate Send API bodies against a spec snapshot.
    ///
    /// Exit status: 0 when every file is valid (warnings are printed), 1 when
    /// some file breaks an error-severity rule (including valid JSON that is
    /// not an object), 2 for usage errors, unreadable files, JSON that does
    /// not parse and nesting too deep. 2 wins over 1.
    Validate(validate::Args),
    /// List the differences between two spec snapshots.
    ///
    /// Each change is breaking, compatible, or upcoming (it takes effect
    /// after NEW's as_of date, such as a refusal NEW has not reached).
    /// Exit status: 0; 3 when a breaking change is found and
    /// --fail-on-breaking is given; 2 for usage errors or a bad spec.
    Diff(diff::Args),
    /// Run a local Send API that validates requests against a snapshot,
    /// and plays the people who write to the page.
    ///
    /// With --webhook-url it delivers signed webhooks for the people's
    /// messages, postbacks, reactions and reads (POST
    /// /__emulator/users/{psid}/…), and with --enforce-window it refuses
    /// sends outside the messaging window. Prints `listening on
    /// http://ADDR` when ready and serves until SIGINT or SIGTERM. Exit
    /// status: 0 after a clean shutdown; 2 for usage errors, a spec that
    /// does not load, a webhook URL that is not http(s) or an address that
    /// cannot be bound.
    Emulate(emulate::Args),
    /// Receive webhooks during development: verify, print, forward.
    ///
    /// The app secret comes from $SENDAPI_APP_SECRET (required). Answers
    /// Meta's GET handshake when --verify-token matches (403 otherwise);
    /// refuses with 403, printing nothing, every POST whose
    /// X-Hub-Signature-256 does not verify over the raw body (SHA-1 alone is
    /// refused); prints one JSON line per verified event: {"object",
    /// "page_id", "kind", "standby", "sender", "recipient", "timestamp",
    /// "event"}. --forward-to passes each verified POST, bytes and signature
    /// unchanged, to a local bot. Prints `listening on http://ADDR` when
    /// ready. Exit status: 0 after SIGINT or SIGTERM; 2 for usage errors, a
    /// missing secret or an address that cannot be bound.
    Listen(listen::Args),
    /// Generate Rust bindings from a spec snapshot.
    ///
    /// The file's header states the command that writes it again, byte for
    /// byte. It holds no inner attribute: `include!` it as the body of a
    /// module of yours (`pub mod send_api { include!("send_api.rs"); }`).
    /// Exit status: 0 when written; 2 for a bad spec or an unwritable file.
    Generate(generate::Args),
    /// Send one request to Graph, checked locally first.
    ///
    /// The Page token comes from $SENDAPI_PAGE_TOKEN and the app secret
    /// (for appsecret_proof) from $SENDAPI_APP_SECRET, never from
    /// arguments. Graph's answer is printed as JSON on stdout. Exit status:
    /// 0 on success; 1 for a Graph, validation or transport error (code,
    /// subcode and fbtrace_id are printed); 2 for usage errors and bodies
    /// that cannot be read or parsed.
    Send(send::Args),
    /// Send one message to each distinct PSID of a file, at the page's rate.
    ///
    /// The message is --text or a --body whose recipient is replaced per
    /// PSID; it is checked against the spec once, before anything is sent.
    /// The Page token comes from $SENDAPI_PAGE_TOKEN and the app secret from
    /// $SENDAPI_APP_SECRET. With --state, each PSID is recorded as attempted
    /// after its rate permit and before its request, and with its outcome
    /// after the answer; a rerun skips what was sent, sends again what
    /// certainly failed, and never resends a PSID whose outcome is unknown
    /// (it is listed for a person to decide). The file is locked while in
    /// use. SIGINT or SIGTERM stops new sends; those in flight finish and
    /// are recorded. Exit status: 0 when every PSID got the message; 1 when
    /// some PSID was refused, failed, is unknown or was not attempted, or
    /// the body breaks the spec's rules (nothing is sent); 2 for usage
    /// errors, unreadable files, a line that is not a PSID, a missing token
    /// and a state file of another broadcast or in use.
    Broadcast(broadcast::Args),
    /// Find what in Rust sources breaks when they move to another snapshot.
    ///
    /// Checks every `request!(…)` call (any path ending in `request!`) and
    /// every `#[derive(Message)]` type in the `.rs` files under each PATH,
    /// as the macros would at compile time (Rust expressions are run-time
    /// values), under --to and under --from. Prints
    /// `file:line:col: [rule] message` and the fix for each error under
    /// --to that the code did not have under --from. Exit status: 0 when
    /// nothing breaks; 1 when something breaks, or a file cannot be read or
    /// parsed (reported on stderr; the other files are still checked); 2
    /// for usage errors and a spec that does not load.
    Migrate(migrate::Args),
    /// Work with spec files.
    Spec {
        #[command(subcommand)]
        command: SpecCommand,
    },
}

#[derive(Debug, Subcommand)]
enum SpecCommand {
    /// Load and lint a spec file, a full snapshot or a delta.
    ///
    /// Lint warnings are printed on stderr. Exit status: 0 when the spec is
    /// sound; 1 for lint errors; 2 when a file cannot be read or parsed.
    Check(spec_cmd::CheckArgs),
    /// Print a delta merged with every file it extends, as one loadable
    /// format-1 spec without `extends`.
    ///
    /// Exit status: 0; 1 for lint errors; 2 when a file cannot be read or
    /// parsed.
    Resolve(spec_cmd::ResolveArgs),
    /// Write a minimal delta that extends BASE, with its [snapshot] filled.
    ///
    /// Exit status: 0 when written; 2 for an unknown base or a file that
    /// exists or cannot be written.
    New(spec_cmd::NewArgs),
}

/// The async runtime of a command, or exit code 1 with the reason printed.
fn runtime(mut builder: tokio::runtime::Builder) -> Result<tokio::runtime::Runtime, u8> {
    builder.enable_all().build().map_err(|e| {
        eprintln!("sendapi: cannot start the async runtime: {e}");
        1
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Demo(_) => demo::run(),
        Command::Validate(args) => validate::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Emulate(args) => emulate::run(&args),
        Command::Listen(args) => listen::run(&args),
        Command::Send(args) => send::run(&args),
        Command::Broadcast(args) => broadcast::run(&args),
        Command::Migrate(args) => migrate::run(&args),
        Command::Spec { command } => match command {
            SpecCommand::Check(args) => spec_cmd::check(&args),
            SpecCommand::Resolve(args) => spec_cmd::resolve(&args),
            SpecCommand::New(args) => spec_cmd::new(&args),
        },
    };
    ExitCode::from(code)
}
