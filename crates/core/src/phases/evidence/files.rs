//! Evidence files and their chain of custody. A file is streamed through SHA-256 while it is copied into the
//! content-addressed folder `evidence/` beside the database and is never modified there; every attach, open,
//! export and re-verification is an append-only custody event.

use super::{
    item_of, put_status, CustodyAction, CustodyEvent, EvidenceFile, EvidenceKind, EvidenceStatus, CUSTODY, FILES,
};
use crate::audit::{self, Actor};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::record;
use crate::store::{Store, Tx};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;

crate::choices!(
    /// What re-verification found for one file.
    FileCheckStatus, "FileCheckStatus.ts" {
        Unchanged => ("unchanged", "Unchanged"),
        Changed => ("changed", "Changed on disk"),
        Missing => ("missing", "Missing"),
    }
);

/// The result of re-hashing one stored file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "FileCheck.ts")]
pub struct FileCheck {
    pub file: EvidenceFile,
    pub status: FileCheckStatus,
    /// The hash of what is on disk now; `None` when the stored copy is gone or unreadable.
    pub found_sha256: Option<String>,
}

const CHUNK: usize = 64 * 1024;

/// The folder of stored copies: `evidence/` beside the database file.
fn evidence_dir(store: &Store) -> PathBuf {
    store.path().parent().map(Path::to_path_buf).unwrap_or_default().join("evidence")
}

/// Where the stored copy with this SHA-256 lives.
pub fn stored_path(store: &Store, sha256: &str) -> PathBuf {
    evidence_dir(store).join(sha256)
}

/// Evidence files larger than this are refused unless the user allows more (`evidence attach --max-size`).
pub const DEFAULT_MAX_EVIDENCE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Copies a file into the evidence store and records it under `kind`, with a custody event. A kind that was still
/// required becomes preserved. Files up to [`DEFAULT_MAX_EVIDENCE_BYTES`]; see [`attach_at_most`].
pub fn attach(
    store: &Store,
    actor: &Actor,
    key: &str,
    kind: EvidenceKind,
    source: &Path,
    note: &str,
) -> Result<EvidenceFile> {
    attach_at_most(store, actor, key, kind, source, note, DEFAULT_MAX_EVIDENCE_BYTES)
}

/// Attaches a regular file of at most `max_bytes` (a symbolic link is followed, and where it led is recorded in
/// the chain of custody). Devices, FIFOs and folders are refused before anything is copied; a file that grows past
/// the limit while it is copied is refused with nothing kept.
pub fn attach_at_most(
    store: &Store,
    actor: &Actor,
    key: &str,
    kind: EvidenceKind,
    source: &Path,
    note: &str,
    max_bytes: u64,
) -> Result<EvidenceFile> {
    actor.validate()?;
    let copied = copy_at_most(store, key, source, max_bytes)?;
    // If this write fails, the copy just made stays in the evidence folder. That is harmless: the folder is
    // content-addressed, so the copy is exactly the content its name says, and attaching the file again reuses it.
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        record_copy(tx, &incident, kind, &copied, note)
    })
}

/// A file copied into the evidence folder and not yet recorded: [`record_copy`] records it inside a write, so a
/// caller can record it together with what it reads from it (a trace import) or not at all.
#[derive(Debug, Clone)]
pub struct Copied {
    pub sha256: String,
    pub size: u64,
    pub original_name: String,
    /// `, via a link to …` when the source was a symbolic link, for the custody log.
    link: String,
}

/// Copies a regular file of at most `max_bytes` into the evidence folder (see [`attach_at_most`]), refusing an
/// unknown incident before anything is copied.
pub fn copy_at_most(store: &Store, key: &str, source: &Path, max_bytes: u64) -> Result<Copied> {
    stage_at_most(store, key, source, max_bytes)?.place()
}

/// A file copied into the evidence folder under a temporary name, not yet under its content address: a caller
/// reads it (a trace import parses it) and [`Staged::place`]s it only once what it read is recorded. Dropped
/// unplaced, the copy is removed, so a refused import keeps nothing; one left by a killed process is removed by
/// the next start, as every abandoned incoming copy is.
pub struct Staged {
    temp: PathBuf,
    dir: PathBuf,
    copied: Copied,
    placed: bool,
}

impl Staged {
    /// Where the copy is now, to read it.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    pub fn copied(&self) -> &Copied {
        &self.copied
    }

    /// Gives the copy its content address (keeping an intact copy already there), durably.
    pub fn place(mut self) -> Result<Copied> {
        self.placed = true;
        let stored = self.dir.join(&self.copied.sha256);
        if hash_file(&stored).ok().as_deref() == Some(self.copied.sha256.as_str()) {
            // The same content is already stored (and intact): keep that copy.
            let _ = fs::remove_file(&self.temp);
            return Ok(self.copied.clone());
        }
        // Read-only before it takes its hash name, so it is never writable under that name. A damaged copy under
        // the same name (found "changed" by re-verification) is replaced by this good one.
        let placed = (|| {
            let mut permissions = fs::metadata(&self.temp)?.permissions();
            permissions.set_readonly(true);
            fs::set_permissions(&self.temp, permissions)?;
            fs::rename(&self.temp, &stored)?;
            sync_dir(&self.dir)
        })();
        if let Err(e) = placed {
            let _ = fs::remove_file(&self.temp);
            return Err(write_error(&self.dir, e));
        }
        Ok(self.copied.clone())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Copies a regular file of at most `max_bytes` into the evidence folder under a temporary name (see [`Staged`]),
/// refusing an unknown incident before anything is copied.
pub fn stage_at_most(store: &Store, key: &str, source: &Path, max_bytes: u64) -> Result<Staged> {
    incident::find(&store.connect()?, key)?;
    let original_name = source.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| {
        Error::invalid(
            "file",
            format!("{} does not name a file. Give the path of the file to attach.", source.display()),
        )
    })?;
    let opened = crate::input::open_regular(source, "evidence")?;
    if opened.meta.len() > max_bytes {
        return Err(too_large(source, opened.meta.len(), max_bytes));
    }
    let link = opened.target.as_ref().map(|t| format!(", via a link to {}", t.display())).unwrap_or_default();
    let (temp, sha256, size) = copy_in(store, source, opened.file, max_bytes)?;
    Ok(Staged { temp, dir: evidence_dir(store), copied: Copied { sha256, size, original_name, link }, placed: false })
}

/// Records a copied file under `kind` with its custody event; a kind that was still required becomes preserved.
pub fn record_copy(
    tx: &mut Tx<'_>,
    incident: &Incident,
    kind: EvidenceKind,
    copied: &Copied,
    note: &str,
) -> Result<EvidenceFile> {
    let file = EvidenceFile {
        id: record::new_id(),
        incident: incident.uuid.clone(),
        kind,
        sha256: copied.sha256.clone(),
        size: copied.size,
        original_name: copied.original_name.clone(),
        collected_by: tx.actor().name.clone(),
        collected_at: tx.at(),
        note: note.trim().to_string(),
    };
    FILES.insert(tx, &file)?;
    let detail = format!("{}, {} bytes, sha256 {}{}", copied.original_name, copied.size, copied.sha256, copied.link);
    log(tx, incident, &file.id, CustodyAction::Attached, detail)?;
    match item_of(tx, incident, kind)? {
        Some(item) if item.status == EvidenceStatus::Required => {
            put_status(tx, incident, kind, EvidenceStatus::Preserved, &item.reason)?;
        }
        Some(_) => {}
        None => {
            put_status(tx, incident, kind, EvidenceStatus::Preserved, "")?;
        }
    }
    Ok(file)
}

/// Streams `source` into a temporary file in the evidence folder ([`Staged::place`] then renames it to its hash, so
/// a crash never leaves a partial file under a hash name). Returns the temporary file, the hash and the size.
fn copy_in(store: &Store, source: &Path, input: File, max_bytes: u64) -> Result<(PathBuf, String, u64)> {
    let dir = evidence_dir(store);
    fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
    // One byte more than allowed tells a file that grew past the limit from one that is exactly at it.
    let mut input = input.take(max_bytes.saturating_add(1));
    // The process ID lets the next start tell a copy abandoned by a killed process from one under way.
    let temp = dir.join(format!("{}{}-{}", crate::store::INCOMING, std::process::id(), record::new_id()));
    let copied = (|| {
        let mut out = OpenOptions::new().write(true).create_new(true).open(&temp).map_err(|e| write_error(&dir, e))?;
        let (sha256, size) = hash_stream(&mut input, Some(&mut out)).map_err(|e| match e {
            StreamError::Read(e) => read_error(source, e),
            StreamError::Write(e) => write_error(&dir, e),
        })?;
        if size > max_bytes {
            return Err(too_large(source, size, max_bytes));
        }
        out.sync_all().map_err(|e| write_error(&dir, e))?;
        Ok((sha256, size))
    })();
    let (sha256, size) = match copied {
        Ok(done) => done,
        Err(e) => {
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
    };
    Ok((temp, sha256, size))
}

/// Makes the rename durable: on Unix a directory entry is only on disk once the directory itself is synced.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

enum StreamError {
    Read(io::Error),
    Write(io::Error),
}

/// Hashes everything `input` yields, copying it to `out` when given. Returns the hex SHA-256 and the size.
fn hash_stream(input: &mut impl Read, mut out: Option<&mut File>) -> std::result::Result<(String, u64), StreamError> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(StreamError::Read(e)),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
        if let Some(out) = out.as_mut() {
            out.write_all(&buf[..n]).map_err(StreamError::Write)?;
        }
    }
    Ok((audit::hex(&hasher.finalize()), size))
}

fn hash_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    hash_stream(&mut file, None).map(|(sha256, _)| sha256).map_err(|e| match e {
        StreamError::Read(e) | StreamError::Write(e) => e,
    })
}

fn too_large(path: &Path, size: u64, max: u64) -> Error {
    use crate::input::bytes_text;
    Error::invalid(
        "file",
        format!(
            "{} is {} or more, larger than the {} evidence files may be. Nothing was attached. If it really is \
             evidence, allow more with `firebreak evidence attach --max-size SIZE` (e.g. 20GiB).",
            path.display(),
            bytes_text(size),
            bytes_text(max)
        ),
    )
}

fn read_error(path: &Path, e: io::Error) -> Error {
    let what = match e.kind() {
        io::ErrorKind::NotFound => "there is no such file; check the path".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied; check that you may read it".to_string(),
        _ => format!("{e}; check that the file is readable"),
    };
    Error::Io { message: format!("Cannot read {}: {what}. Nothing was attached.", path.display()) }
}

fn write_error(dir: &Path, e: io::Error) -> Error {
    Error::Io {
        message: format!(
            "Cannot store the copy in the evidence folder {}: {e}. Check that the folder beside the database is \
             writable and the disk has room. Nothing was attached.",
            dir.display()
        ),
    }
}

/// Logs that the stored copy is being opened and returns its path (open it read-only; it is never modified).
pub fn open_copy(store: &Store, actor: &Actor, key: &str, file_id: &str) -> Result<PathBuf> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let file = file_of(tx, &incident, file_id)?;
        let path = stored_path(store, &file.sha256);
        if !path.is_file() {
            return Err(missing_copy(&file, &path));
        }
        log(tx, &incident, &file.id, CustodyAction::Opened, String::new())?;
        Ok(path)
    })
}

/// Copies a stored file out to `dest` (a new file, or a folder to put it in under its original name) and logs the
/// export. An existing file is never overwritten, and a stored copy that no longer matches its hash is not exported.
pub fn export(store: &Store, actor: &Actor, key: &str, file_id: &str, dest: &Path) -> Result<PathBuf> {
    actor.validate()?;
    let file = {
        let conn = store.connect()?;
        let incident = incident::find(&conn, key)?;
        file_of(&conn, &incident, file_id)?
    };
    let dest = if dest.is_dir() { dest.join(&file.original_name) } else { dest.to_path_buf() };
    copy_out(store, &file, &dest)?;
    let logged = store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        log(tx, &incident, &file.id, CustodyAction::Exported, dest.display().to_string())
    });
    if let Err(e) = logged {
        // An export missing from the custody log must not exist.
        let _ = fs::remove_file(&dest);
        return Err(e);
    }
    Ok(dest)
}

fn copy_out(store: &Store, file: &EvidenceFile, dest: &Path) -> Result<()> {
    let source = stored_path(store, &file.sha256);
    let mut input = File::open(&source).map_err(|_| missing_copy(file, &source))?;
    let mut out = OpenOptions::new().write(true).create_new(true).open(dest).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            Error::invalid(
                "destination",
                format!(
                    "{} already exists; an export never overwrites a file. Choose another name or move that file away.",
                    dest.display()
                ),
            )
        } else {
            Error::Io {
                message: format!(
                    "Cannot write {}: {e}. Check that its folder exists and is writable. Nothing was exported.",
                    dest.display()
                ),
            }
        }
    })?;
    let copied = hash_stream(&mut input, Some(&mut out))
        .map_err(|e| match e {
            StreamError::Read(e) => read_error(&source, e),
            StreamError::Write(e) => {
                Error::Io { message: format!("Cannot write {}: {e}. Nothing was exported.", dest.display()) }
            }
        })
        .and_then(|(sha256, _)| {
            out.sync_all()?;
            if sha256 != file.sha256 {
                return Err(Error::Io {
                    message: format!(
                        "The stored copy of {} no longer matches its SHA-256 (it was changed on disk), so it was not \
                         exported. Run `firebreak evidence reverify` to record this, then attach the original again.",
                        file.original_name
                    ),
                });
            }
            Ok(())
        });
    if copied.is_err() {
        let _ = fs::remove_file(dest);
    }
    copied
}

fn missing_copy(file: &EvidenceFile, path: &Path) -> Error {
    Error::Io {
        message: format!(
            "The stored copy of {} is missing from {}. Run `firebreak evidence reverify` to record this, and attach \
             the original again if you still have it.",
            file.original_name,
            path.display()
        ),
    }
}

/// Re-hashes every file of the incident, records what was found as custody events and returns it.
pub fn reverify(store: &Store, actor: &Actor, key: &str) -> Result<Vec<FileCheck>> {
    actor.validate()?;
    let list = files(store, key)?;
    if list.is_empty() {
        return Ok(Vec::new());
    }
    // Hashing can take a while, so it happens before the write transaction; one file per distinct content.
    let mut found: HashMap<String, std::result::Result<String, String>> = HashMap::new();
    let mut checks = Vec::with_capacity(list.len());
    for file in list {
        let result = found
            .entry(file.sha256.clone())
            .or_insert_with(|| hash_file(&stored_path(store, &file.sha256)).map_err(|e| e.to_string()))
            .clone();
        let (status, found_sha256, detail) = match result {
            Ok(sha256) if sha256 == file.sha256 => (FileCheckStatus::Unchanged, Some(sha256), String::new()),
            Ok(sha256) => (FileCheckStatus::Changed, Some(sha256.clone()), format!("found sha256 {sha256}")),
            Err(e) => (FileCheckStatus::Missing, None, format!("stored copy not found or unreadable: {e}")),
        };
        checks.push((FileCheck { file, status, found_sha256 }, detail));
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        for (check, detail) in &checks {
            let action = match check.status {
                FileCheckStatus::Unchanged => CustodyAction::Verified,
                FileCheckStatus::Changed => CustodyAction::Changed,
                FileCheckStatus::Missing => CustodyAction::Missing,
            };
            log(tx, &incident, &check.file.id, action, detail.clone())?;
        }
        Ok(())
    })?;
    Ok(checks.into_iter().map(|(check, _)| check).collect())
}

/// The incident's files, in the order they were attached.
pub fn files(store: &Store, key: &str) -> Result<Vec<EvidenceFile>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    files_of(&conn, &incident)
}

pub(crate) fn files_of(conn: &Connection, incident: &Incident) -> Result<Vec<EvidenceFile>> {
    FILES.select(conn, "incident = ?1", &[&incident.row_key()])
}

/// The incident's chain-of-custody events, oldest first.
pub fn custody(store: &Store, key: &str) -> Result<Vec<CustodyEvent>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    CUSTODY.select(&conn, "incident = ?1", &[&incident.row_key()])
}

pub(crate) fn file_of(conn: &Connection, incident: &Incident, file_id: &str) -> Result<EvidenceFile> {
    FILES.get::<EvidenceFile>(conn, file_id.trim())?.filter(|f| f.incident == incident.uuid).ok_or_else(|| {
        Error::not_found(format!(
            "No evidence file {} on {}. `firebreak evidence list {}` shows its files and their IDs.",
            file_id.trim(),
            incident.id,
            incident.id
        ))
    })
}

pub(crate) fn log(
    tx: &mut Tx<'_>,
    incident: &Incident,
    file: &str,
    action: CustodyAction,
    detail: String,
) -> Result<()> {
    let event = CustodyEvent {
        id: record::new_id(),
        incident: incident.uuid.clone(),
        file: file.to_string(),
        action,
        at: tx.at(),
        by: tx.actor().name.clone(),
        detail,
    };
    CUSTODY.insert(tx, &event)?;
    Ok(())
}
