//! A real `redis-server` for one test: its own loopback port, its own
//! temporary directory, no persistence, stopped when dropped.
//!
//! Outside CI a machine without `redis-server` skips such tests with a
//! message; under `CI` that is a failure (CI installs the Debian package).

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A running `redis-server`.
#[derive(Debug)]
pub struct RedisServer {
    child: Child,
    port: u16,
    dir: PathBuf,
    password: Option<String>,
}

/// The server binary: `$REDIS_SERVER`, else `redis-server` on the `PATH`
/// or in the Debian package's place.
fn binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("REDIS_SERVER") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
        .map(|d| d.join("redis-server"))
        .find(|p| p.is_file())
}

impl RedisServer {
    /// Starts a server, or returns `None` after saying why on stderr when
    /// `redis-server` is not installed and `CI` is not set.
    ///
    /// # Panics
    /// When `redis-server` is missing under `CI`, or does not start.
    pub fn start() -> Option<RedisServer> {
        RedisServer::start_with_password(None)
    }

    /// [`RedisServer::start`] with `requirepass`.
    pub fn start_with_password(password: Option<&str>) -> Option<RedisServer> {
        let Some(bin) = binary() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "redis-server is not installed, and CI is set: .ci/run installs the Debian package redis-server"
            );
            eprintln!(
                "skipped: redis-server is not installed (apt-get install redis-server, or set REDIS_SERVER)"
            );
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sendapi-redis-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a temporary directory for redis-server");
        // A free port can be taken between the probe and the bind; try again.
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            let mut child = spawn(&bin, port, &dir, password);
            match wait_ready(&mut child, port, password) {
                Ok(()) => {
                    return Some(RedisServer {
                        child,
                        port,
                        dir,
                        password: password.map(str::to_string),
                    });
                }
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    last = e;
                }
            }
        }
        panic!(
            "redis-server did not start: {last}; its log: {}",
            std::fs::read_to_string(dir.join("redis.log")).unwrap_or_default()
        );
    }

    /// `redis://127.0.0.1:PORT/0`, with the password when there is one.
    pub fn url(&self) -> String {
        match &self.password {
            Some(p) => format!("redis://:{p}@127.0.0.1:{}/0", self.port),
            None => format!("redis://127.0.0.1:{}/0", self.port),
        }
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the server and starts a new one on the same port: a restart
    /// that forgets every key and script, as one without persistence does.
    ///
    /// # Panics
    /// When the new server does not start.
    pub fn restart(&mut self) {
        self.stop();
        let bin = binary().expect("redis-server was found before");
        self.child = spawn(&bin, self.port, &self.dir, self.password.as_deref());
        wait_ready(&mut self.child, self.port, self.password.as_deref())
            .expect("redis-server restarts on its port");
    }

    /// Kills the server; connections to its port are refused from now on.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends one command in Redis's inline form and returns the raw answer.
    ///
    /// # Panics
    /// When the server cannot be reached.
    pub fn command(&self, line: &str) -> String {
        let mut s = connect(self.port, self.password.as_deref()).expect("redis-server answers");
        s.write_all(format!("{line}\r\n").as_bytes()).unwrap();
        read_answer(&mut s)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn spawn(bin: &Path, port: u16, dir: &Path, password: Option<&str>) -> Child {
    let mut cmd = Command::new(bin);
    cmd.args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
        .arg("--dir")
        .arg(dir)
        .arg("--logfile")
        .arg(dir.join("redis.log"));
    if let Some(p) = password {
        cmd.args(["--requirepass", p]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server runs")
}

fn connect(port: u16, password: Option<&str>) -> std::io::Result<TcpStream> {
    let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    if let Some(p) = password {
        s.write_all(format!("AUTH {p}\r\n").as_bytes())?;
        read_answer(&mut s);
    }
    Ok(s)
}

fn read_answer(s: &mut TcpStream) -> String {
    let mut buf = [0u8; 4096];
    let n = s.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn wait_ready(child: &mut Child, port: u16, password: Option<&str>) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("redis-server exited with {status}"));
        }
        if let Ok(mut s) = connect(port, password)
            && s.write_all(b"PING\r\n").is_ok()
            && read_answer(&mut s).starts_with("+PONG")
        {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Err("no PONG within 10 s".into())
}
