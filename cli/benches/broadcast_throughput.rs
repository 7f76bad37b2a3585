//! Whole-process throughput of `sendapi broadcast` sharing one page's rate
//! budget through Redis: three processes, one real `redis-server` and one
//! emulator with its rate classes on, all on loopback.
//!
//! For each class (standard: 300 calls/s; audio_video: 10/s) the bench
//! samples the emulator's accepted count while the three processes run and
//! reports the accepted rate over the middle 80% of the run (start-up and
//! the tail excluded), as a ratio to the class's limit measured in the same
//! run, with the emulator's 613 count, which must be zero. The budget keeps
//! 5% headroom, so the ideal ratio is 0.95. A second run per class without
//! `--redis` (each process with its own in-process budget) shows what the
//! shared budget prevents.
//!
//! Run: `cargo bench -p sendapi-cli --bench broadcast_throughput`
//! (`-- --quick` for shorter runs). Needs `redis-server`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sendapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use sendapi_tests::redis::RedisServer;

const BIN: &str = env!("CARGO_BIN_EXE_sendapi");
const TOKEN: &str = "EAAB-throughput-bench-token";
const PAGE: &str = "1122334455";
const PROCESSES: u64 = 3;

struct Class {
    name: &'static str,
    limit: f64,
    /// Messages per process.
    per_process: u64,
    body: &'static str,
}

const AUDIO_BODY: &str = r#"{
  "recipient": {"id": "0"},
  "messaging_type": "UPDATE",
  "message": {"attachment": {"type": "audio", "payload": {"url": "https://cdn.example.org/jingle.mp3"}}}
}"#;
const TEXT_BODY: &str = r#"{
  "recipient": {"id": "0"},
  "messaging_type": "UPDATE",
  "message": {"text": "Doors open at nine tomorrow."}
}"#;

struct Outcome {
    rate: f64,
    rate_limited: u64,
    accepted: u64,
    wall: Duration,
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sendapi-throughput-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// One run: three processes, each with its own PSIDs, against a fresh
/// record of the emulator.
fn run(
    emu: &RunningEmulator,
    dir: &Path,
    class: &Class,
    redis: Option<&str>,
    round: usize,
) -> Outcome {
    emu.clear_requests();
    let body = dir.join(format!("{}.json", class.name));
    std::fs::write(&body, class.body).expect("body written");
    let total = class.per_process * PROCESSES;
    let mut children = Vec::new();
    let start = Instant::now();
    for p in 0..PROCESSES {
        let first = 10_000_000 * (round as u64 + 1) + p * class.per_process;
        let psids: Vec<String> = (first..first + class.per_process)
            .map(|n| n.to_string())
            .collect();
        let to = dir.join(format!("{}-{round}-{p}.txt", class.name));
        std::fs::write(&to, psids.join("\n")).expect("PSIDs written");
        let mut cmd = Command::new(BIN);
        cmd.arg("broadcast")
            .args(["--page-id", PAGE, "--base-url", &emu.base_url()])
            .arg("--to")
            .arg(&to)
            .arg("--body")
            .arg(&body)
            .args(["--concurrency", "16"])
            .env("SENDAPI_PAGE_TOKEN", TOKEN)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(url) = redis {
            cmd.args(["--redis", url, "--redis-prefix", &format!("bench{round}")]);
        }
        children.push(cmd.spawn().expect("sendapi broadcast starts"));
    }
    // The accepted count over time, sampled every 5 ms.
    let mut samples = Vec::new();
    loop {
        let accepted = emu.stats().accepted;
        samples.push((start.elapsed(), accepted));
        if children
            .iter_mut()
            .all(|c| c.try_wait().expect("waits").is_some())
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = start.elapsed();
    let stats = emu.stats();
    let at = |share: f64| {
        let n = (total as f64 * share) as u64;
        samples
            .iter()
            .find(|(_, a)| *a >= n)
            .map_or(wall, |(t, _)| *t)
    };
    let (t10, t90) = (at(0.1), at(0.9));
    let rate = (total as f64 * 0.8) / (t90 - t10).as_secs_f64().max(1e-6);
    Outcome {
        rate,
        rate_limited: stats.rate_limited,
        accepted: stats.accepted,
        wall,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let emu = rt
        .block_on(Emulator::start(
            EmulatorConfig::new().token(TOKEN).rate_limits(true),
            "127.0.0.1:0".parse().expect("an address"),
        ))
        .expect("the emulator starts");
    let dir = scratch();
    let classes = [
        Class {
            name: "standard",
            limit: 300.0,
            per_process: if quick { 400 } else { 1_000 },
            body: TEXT_BODY,
        },
        Class {
            name: "audio_video",
            limit: 10.0,
            per_process: if quick { 15 } else { 40 },
            body: AUDIO_BODY,
        },
    ];
    let rounds = if quick { 1 } else { 3 };
    println!(
        "three `sendapi broadcast` processes, one page, one Redis, the emulator's rate classes on"
    );
    for class in &classes {
        let mut ratios = Vec::new();
        for round in 0..rounds {
            let o = run(&emu, &dir, class, Some(&redis.url()), round);
            println!(
                "  {:<11} with --redis, round {round}: {:.1}/s accepted = {:.3} of the {}/s limit; {} accepted, {} answered 613; {:.1} s",
                class.name,
                o.rate,
                o.rate / class.limit,
                class.limit,
                o.accepted,
                o.rate_limited,
                o.wall.as_secs_f64()
            );
            ratios.push(o.rate / class.limit);
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "  {:<11} median ratio {:.3} (range {:.3}..{:.3}); target: within 10% of the limit (>= 0.90) with no 613",
            class.name,
            ratios[ratios.len() / 2],
            ratios[0],
            ratios[ratios.len() - 1]
        );
        let o = run(&emu, &dir, class, None, rounds);
        println!(
            "  {:<11} without --redis: {:.1}/s accepted, {} answered 613 (three budgets that do not know of each other)",
            class.name, o.rate, o.rate_limited
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
