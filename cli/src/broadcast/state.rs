//! The state file of `--state`: append-only JSON lines that say, for each
//! PSID, that a send was attempted and then how it ended.
//!
//! The first line ties the file to one page and one message:
//! `{"sendapi_broadcast":1,"page_id":…,"body_sha256":…}`. Then, per PSID,
//! `{"psid":…,"state":"attempted"}` before its request leaves and
//! `{"psid":…,"state":"sent","mid":…}` (or `refused`, `failed`, `unknown`
//! with an `error` text) after the answer. Every line is written whole and
//! synced before the broadcast goes on, so after a crash the file says at
//! least as much as happened: a PSID whose last line is `attempted` may have
//! been delivered, and is never sent again by a rerun.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use super::Error;

/// The header's format number.
const FORMAT: u32 = 1;

/// The first line of a state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub sendapi_broadcast: u32,
    pub page_id: String,
    pub body_sha256: String,
}

impl Header {
    pub fn new(page_id: &str, body_sha256: &str) -> Header {
        Header {
            sendapi_broadcast: FORMAT,
            page_id: page_id.to_string(),
            body_sha256: body_sha256.to_string(),
        }
    }
}

/// Where a PSID stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its permit was taken and its request was about to leave.
    Attempted,
    /// Graph answered with a message id.
    Sent,
    /// Graph refused it for a cause that sending again cannot fix.
    Refused,
    /// Certainly not delivered; a rerun sends it again.
    Failed,
    /// It may have been delivered.
    Unknown,
}

/// One line after the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub psid: String,
    pub state: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Record {
    pub fn attempted(psid: &str) -> Record {
        Record {
            psid: psid.to_string(),
            state: Status::Attempted,
            mid: None,
            error: None,
        }
    }

    /// One line of the file, newline included.
    fn line(&self) -> Vec<u8> {
        let mut line = serde_json::to_vec(self).unwrap_or_default();
        line.push(b'\n');
        line
    }
}

/// What an earlier run left: the last record of each PSID.
#[derive(Debug, Default)]
pub struct Previous {
    pub last: HashMap<String, Record>,
}

/// The file as read: its header (none when empty), its records, and the
/// length of its whole lines.
struct Contents {
    header: Option<Header>,
    previous: Previous,
    /// Bytes up to the end of the last line kept.
    kept: u64,
    /// A torn last line was found (and is not in `kept`).
    torn: bool,
}

/// Reads a state file's bytes. Only the last line may be torn (no
/// newline, or not a whole record): see `Journal::open` for why dropping
/// it is safe. Any other line that does not parse is an error.
fn parse(path: &Path, bytes: &[u8]) -> Result<Contents, Error> {
    // (line, offset just past it, ends with a newline)
    let mut lines = Vec::new();
    let mut start = 0usize;
    while start < bytes.len() {
        let (line, end, whole) = match bytes[start..].iter().position(|b| *b == b'\n') {
            Some(i) => (&bytes[start..start + i], start + i + 1, true),
            None => (&bytes[start..], bytes.len(), false),
        };
        lines.push((line, end, whole));
        start = end;
    }
    let parses = |number: usize, line: &[u8]| -> Result<(), String> {
        if number == 1 {
            serde_json::from_slice::<Header>(line).map(drop)
        } else {
            serde_json::from_slice::<Record>(line).map(drop)
        }
        .map_err(|e| e.to_string())
    };
    let torn = lines
        .last()
        .is_some_and(|(line, _, whole)| !whole || parses(lines.len(), line).is_err());
    if torn && let Some((line, _, _)) = lines.pop() {
        // A torn header is a prefix of the one this command writes; any
        // other lone line means the path is some other file, which must
        // not be truncated.
        let begins = br#"{"sendapi_broadcast":"#;
        let n = line.len().min(begins.len());
        if lines.is_empty() && line[..n] != begins[..n] {
            return Err(Error::Usage(format!(
                "{} is not a state file of `sendapi broadcast`; give a new path or one a broadcast wrote",
                path.display()
            )));
        }
    }
    let mut contents = Contents {
        header: None,
        previous: Previous::default(),
        kept: lines.last().map_or(0, |(_, end, _)| *end as u64),
        torn,
    };
    let shown = path.display();
    for (i, (line, _, _)) in lines.iter().enumerate() {
        let number = i + 1;
        if number == 1 {
            let header = serde_json::from_slice::<Header>(line).map_err(|e| {
                Error::Usage(format!(
                    "{shown}: line 1 is not a broadcast state header ({e}); is this a state file of `sendapi broadcast`?"
                ))
            })?;
            contents.header = Some(header);
            continue;
        }
        let record = serde_json::from_slice::<Record>(line).map_err(|e| {
            Error::Usage(format!(
                "{shown}:{number}: not a state record ({e}); only the last line may be torn, so the file was changed by hand or damaged"
            ))
        })?;
        contents.previous.last.insert(record.psid.clone(), record);
    }
    Ok(contents)
}

/// Reads a state file without taking it (for `--dry-run`): no lock, no
/// truncation. A file that does not exist is an empty state.
pub fn peek(path: &Path, header: &Header) -> Result<Previous, Error> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Previous::default()),
        Err(e) => {
            return Err(Error::Usage(format!(
                "cannot read the state file {}: {e}",
                path.display()
            )));
        }
    };
    let contents = parse(path, &bytes)?;
    if contents.torn {
        eprintln!(
            "sendapi broadcast: warning: {} ends with a torn line, which a run would drop",
            path.display()
        );
    }
    check_header(path, contents.header.as_ref(), header)?;
    Ok(contents.previous)
}

fn check_header(path: &Path, found: Option<&Header>, wanted: &Header) -> Result<(), Error> {
    let Some(found) = found else {
        return Ok(());
    };
    let shown = path.display();
    if found.sendapi_broadcast != FORMAT {
        return Err(Error::Usage(format!(
            "{shown}: state format {} is not the {FORMAT} this sendapi writes",
            found.sendapi_broadcast
        )));
    }
    if found.page_id != wanted.page_id {
        return Err(Error::Usage(format!(
            "{shown} belongs to a broadcast from page {}, not {}; use another --state file",
            found.page_id, wanted.page_id
        )));
    }
    if found.body_sha256 != wanted.body_sha256 {
        return Err(Error::Usage(format!(
            "{shown} belongs to a broadcast of another message (body sha256 {}, this one is {}); use another --state file",
            found.body_sha256, wanted.body_sha256
        )));
    }
    Ok(())
}

/// A record to write, and who waits for it to be durable.
type Pending = (Vec<u8>, oneshot::Sender<Result<(), String>>);

/// The open, locked state file, written by one thread that syncs once for
/// all the records that queued while it synced the previous ones (a group
/// commit): at 300 sends a second, two syncs per send one after the other
/// would be the slowest part of a broadcast.
#[derive(Debug)]
pub struct Journal {
    queue: mpsc::Sender<Pending>,
    path: PathBuf,
}

impl Journal {
    /// Opens (or creates) and locks the state file, checks its header,
    /// drops a torn last line, and writes the header of a new file.
    ///
    /// A torn last line is the one line a crash can leave half written,
    /// and dropping it loses nothing that happened: a torn `attempted`
    /// record was not yet synced, and its request leaves only after the
    /// sync; a torn outcome record leaves the PSID's `attempted` record
    /// (synced before its request left) as its last, so the PSID counts as
    /// unknown and is never sent again.
    pub fn open(path: &Path, header: &Header) -> Result<(Journal, Previous), Error> {
        let shown = path.display();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| Error::Usage(format!("cannot open the state file {shown}: {e}")))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(Error::Usage(format!(
                    "state file {shown} is in use by another broadcast"
                )));
            }
            Err(TryLockError::Error(e)) => {
                return Err(Error::Usage(format!(
                    "cannot lock the state file {shown}: {e}"
                )));
            }
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| Error::Usage(format!("cannot read the state file {shown}: {e}")))?;
        let contents = parse(path, &bytes)?;
        check_header(path, contents.header.as_ref(), header)?;
        if contents.torn {
            eprintln!(
                "sendapi broadcast: warning: the last line of {shown} was torn (a run was stopped while writing it); it is dropped"
            );
            file.set_len(contents.kept)
                .and_then(|()| file.sync_data())
                .map_err(|e| Error::Usage(format!("cannot truncate {shown}: {e}")))?;
        }
        if contents.header.is_none() {
            let mut line = serde_json::to_vec(header).unwrap_or_default();
            line.push(b'\n');
            file.write_all(&line)
                .and_then(|()| file.sync_data())
                .map_err(|e| Error::Usage(format!("cannot write the state file {shown}: {e}")))?;
        }
        let (queue, pending) = mpsc::channel();
        // The thread owns the file, and so the lock, until every sender is
        // gone: the lock lasts as long as anything may still be recorded.
        std::thread::Builder::new()
            .name("broadcast-state".into())
            .spawn(move || writer(file, pending))
            .map_err(|e| Error::Usage(format!("cannot start the state writer: {e}")))?;
        Ok((
            Journal {
                queue,
                path: path.to_path_buf(),
            },
            contents.previous,
        ))
    }

    /// Appends `record` and returns once it is on disk.
    pub async fn record(&self, record: &Record) -> Result<(), String> {
        let (done, wait) = oneshot::channel();
        let failed = || format!("the state writer of {} stopped", self.path.display());
        self.queue
            .send((record.line(), done))
            .map_err(|_| failed())?;
        wait.await.map_err(|_| failed())?
    }
}

/// Writes and syncs what is queued, all that queued at once in one write.
fn writer(mut file: File, pending: mpsc::Receiver<Pending>) {
    while let Ok(first) = pending.recv() {
        let mut batch = vec![first];
        batch.extend(pending.try_iter());
        let bytes: Vec<u8> = batch.iter().flat_map(|(l, _)| l.iter().copied()).collect();
        let result = file
            .write_all(&bytes)
            .and_then(|()| file.sync_data())
            .map_err(|e| format!("cannot write the state file: {e}"));
        for (_, done) in batch {
            let _ = done.send(result.clone());
        }
        if result.is_err() {
            // A failed write may have left part of a line; nothing more is
            // appended after it, so it stays the last, torn line.
            break;
        }
    }
}

/// Hex SHA-256 of the message every PSID gets (the body without its
/// recipient), its object keys sorted so that a file reformatted keeps its
/// state.
pub fn body_sha256(template: &serde_json::Value) -> String {
    use sha2::{Digest, Sha256};
    let mut canonical = Vec::new();
    canonical_json(template, &mut canonical);
    Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn canonical_json(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend(serde_json::to_vec(k).unwrap_or_default());
                out.push(b':');
                canonical_json(&map[k], out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical_json(v, out);
            }
            out.push(b']');
        }
        scalar => out.extend(serde_json::to_vec(scalar).unwrap_or_default()),
    }
}
