//! The SQLite store: opening a database safely (pragmas, schema checks, backups, migrations) and the single write
//! path through which every change to incident data passes together with its audit entries.

mod migrate;
mod write;

pub use migrate::Migrations;
pub use write::Tx;

use crate::audit::Actor;
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Written into the SQLite header so Firebreak can tell its own database from any other SQLite file.
pub(crate) const APPLICATION_ID: i32 = 0x4642_524B; // "FBRK"

/// What temporary copies in the evidence folder are called: `.incoming-<pid>-<id>` (the evidence phase writes them,
/// the store removes those of processes that died).
pub(crate) const INCOMING: &str = ".incoming-";

/// How long a writer waits for another process (desktop app vs CLI) to finish its transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// The page cache of a writing connection, in KiB as `PRAGMA cache_size` takes it (negative: a size, not a page
/// count).
pub const CACHE_KIB: i64 = -32_768;

/// A Firebreak database file. Cheap to clone; every operation opens its own connection, so the store can be used
/// from several threads and processes at once (SQLite serialises the writers).
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
    /// How connections open the file: read and write, or read-only (a copy on read-only media, a file without
    /// write permission): then every read works and every write is refused.
    access: Access,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    /// The file may not be written; SQLite can still create its shared-memory file beside it.
    ReadOnly,
    /// Neither the file nor its folder may be written, and no write-ahead log holds anything: SQLite is told the
    /// file cannot change at all, which needs no shared-memory file.
    Immutable,
}

impl Store {
    /// Opens the existing database at `path`, refusing files that are not Firebreak databases, are damaged, or come
    /// from a newer Firebreak. An existing database is backed up before it is migrated. A missing file is an error
    /// naming the path (a mistyped `--db` must not quietly start an empty register): [`Store::create`] makes one.
    /// A file that may not be written is opened read-only. `steps` are the schema's migrations (`Store::open` gives
    /// Firebreak's, from `crate::schema`).
    pub fn open_with(path: impl AsRef<Path>, steps: Migrations<'_>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if path.is_dir() {
            return Err(Error::storage(format!(
                "{} is a folder, not a database file. Give the path of a file (for example {}).",
                path.display(),
                path.join("firebreak.db").display()
            )));
        }
        if !path.exists() {
            return Err(Error::not_found(format!(
                "There is no database at {}. Check the path (--db / FIREBREAK_DB), or create one there with \
                 `firebreak init`.",
                path.display()
            )));
        }
        let access = access_of(&path);
        let store = Store { path, access };
        // Look before touching: switching to WAL rewrites the header, so a foreign or newer file is refused first.
        let plain = store.plain_connection()?;
        migrate::refuse_unusable(&plain, &store.path, steps)?;
        if store.access != Access::ReadWrite {
            migrate::refuse_outdated_read_only(&plain, &store.path, steps)?;
            return Ok(store);
        }
        drop(plain);
        let mut conn = store.raw_connection()?;
        migrate::migrate(&mut conn, &store.path, steps)?;
        store.remove_abandoned_copies();
        Ok(store)
    }

    /// Removes what evidence copies killed processes left half-written in `evidence/` (`.incoming-<pid>-…` of a
    /// process that no longer runs). They were never recorded, so nothing refers to them.
    fn remove_abandoned_copies(&self) {
        let dir = self.path.parent().unwrap_or(Path::new(".")).join("evidence");
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let pid = name
                .to_str()
                .and_then(|n| n.strip_prefix(INCOMING))
                .and_then(|n| n.split_once('-'))
                .and_then(|(pid, _)| pid.parse::<u32>().ok());
            if pid.is_some_and(|pid| !crate::outfile::running(pid)) && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Opens the database at `path`, creating it (and its folder) if there is none yet: `firebreak init` and the
    /// desktop app's first start on its default path.
    pub fn create_with(path: impl AsRef<Path>, steps: Migrations<'_>) -> Result<Store> {
        let path = path.as_ref();
        if !path.exists() && !path.is_dir() {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| Error::Io {
                    message: format!("Cannot create the folder {} for the database: {e}.", parent.display()),
                })?;
            }
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| Error::Io { message: format!("Cannot create the database {}: {e}.", path.display()) })?;
        }
        Store::open_with(path, steps)
    }

    /// Whether this copy can only be read.
    pub fn is_read_only(&self) -> bool {
        self.access != Access::ReadWrite
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A file for an export (report, CSV, calendar, draft) at `target`, refused when `target` is one of Firebreak's
    /// own files (see [`Store::refuse_own_file`]).
    pub fn out_file(&self, target: &Path) -> Result<crate::outfile::OutFile> {
        self.refuse_own_file(target)?;
        crate::outfile::OutFile::create(target)
    }

    /// Refuses `target` as the destination of an export when it is one of Firebreak's own files: the database, its
    /// journal, WAL, shared-memory and backup files, or anything in the evidence store. Writing a report there
    /// would destroy the record or the evidence it is about.
    pub fn refuse_own_file(&self, target: &Path) -> Result<()> {
        let canonical_folder = |p: &Path| {
            let folder = p.parent().filter(|f| !f.as_os_str().is_empty()).unwrap_or(Path::new("."));
            std::fs::canonicalize(folder).ok()
        };
        let (Some(db_folder), Some(target_folder)) = (canonical_folder(&self.path), canonical_folder(target)) else {
            return Ok(());
        };
        let db_name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let database_file = target_folder == db_folder
            && (name == db_name
                || name.starts_with(&format!("{db_name}-"))
                || name.starts_with(&format!("{db_name}.")));
        let evidence = target_folder.starts_with(db_folder.join("evidence"));
        if database_file || evidence {
            let what = if evidence { "the evidence store" } else { "the database's own files" };
            return Err(Error::invalid(
                "path",
                format!(
                    "Cannot write {}: it is among {what} ({}). Choose another file name or folder.",
                    target.display(),
                    db_folder.display()
                ),
            ));
        }
        Ok(())
    }

    /// A connection with the house pragmas. Use for reads; writes go through [`Store::write`].
    pub fn connect(&self) -> Result<Connection> {
        self.raw_connection()
    }

    fn plain_connection(&self) -> Result<Connection> {
        let conn = match self.access {
            Access::ReadWrite => {
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                Connection::open_with_flags(&self.path, flags)
            }
            Access::ReadOnly => Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            ),
            Access::Immutable => {
                let flags =
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                Connection::open_with_flags(format!("{}?immutable=1", file_uri(&self.path)), flags)
            }
        }
        .map_err(|e| self.unusable(e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.unusable(e))?;
        Ok(conn)
    }

    fn raw_connection(&self) -> Result<Connection> {
        let conn = self.plain_connection()?;
        // The first statement that reads the file is where a damaged or foreign file shows itself. Setting the
        // journal mode writes the header, so a read-only copy keeps the mode it has (Firebreak's files are WAL).
        if self.access == Access::ReadWrite {
            conn.pragma_update(None, "journal_mode", "WAL").map_err(|e| self.unusable(e))?;
        } else {
            conn.query_row("PRAGMA schema_version", [], |_| Ok(())).map_err(|e| self.unusable(e))?;
        }
        conn.pragma_update(None, "synchronous", "FULL").map_err(|e| self.unusable(e))?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| self.unusable(e))?;
        Ok(conn)
    }

    /// Explains a file SQLite cannot use, naming it and what to do. The file itself is left alone.
    pub(crate) fn unusable(&self, e: rusqlite::Error) -> Error {
        let shown = self.path.display();
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt => {
                    return Error::storage(format!(
                        "{shown} is not a Firebreak database or is damaged. It was not changed. Restore it from a backup \
                         (Firebreak keeps one beside it before each upgrade) or choose another file with --db / FIREBREAK_DB."
                    ))
                }
                rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied | rusqlite::ErrorCode::ReadOnly => {
                    let how = if self.is_read_only() { "for reading" } else { "for reading and writing" };
                    return Error::storage(format!(
                        "Cannot open {shown} {how} ({e}). Check that the file and its folder are readable by you, or \
                         choose another file with --db / FIREBREAK_DB."
                    ))
                }
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => return Error::from(e),
                _ => {}
            }
        }
        Error::storage(format!("Cannot use the database {shown}: {e}. It was not changed."))
    }

    /// The refusal every write of a read-only copy gets; callers that prepare a write (a seal's key) ask first.
    pub fn refuse_if_read_only(&self) -> Result<()> {
        if self.is_read_only() {
            return Err(Error::storage(format!(
                "{} is a read-only copy (the file or its folder may not be written), so nothing can be changed; \
                 nothing was. To change it, copy it to a folder you can write and use that copy.",
                self.path.display()
            )));
        }
        Ok(())
    }

    /// The one way to change data: runs `change` inside an IMMEDIATE transaction whose audit entries are chained and
    /// committed together with the change, or not at all.
    pub fn write<T>(&self, actor: &Actor, change: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        actor.validate()?;
        self.refuse_if_read_only()?;
        let mut conn = self.connect()?;
        // SQLite's default 2 MB page cache spills a large import's dirty pages to the log and writes many of them
        // again before the commit; a writer's 32 MB holds them (readers, verify among them, keep the default).
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut tx = Tx::begin(tx, actor)?;
        let out = change(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// The database the desktop app and the CLI share when no `--db` / `FIREBREAK_DB` is given:
/// `$XDG_DATA_HOME/firebreak/firebreak.db` (usually `~/.local/share/firebreak/firebreak.db`).
pub fn default_db_path() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("firebreak").join("firebreak.db")
}

/// How `path` can be opened: read-write when the file can be written (and is not marked read-only), else read-only,
/// and immutable when its folder cannot be written either and no write-ahead log holds anything.
fn access_of(path: &Path) -> Access {
    let file_writable = std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
        && std::fs::OpenOptions::new().write(true).open(path).is_ok();
    if file_writable {
        return Access::ReadWrite;
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let wal = path.with_file_name(format!("{}-wal", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    let wal_empty = std::fs::metadata(&wal).map(|m| m.len() == 0).unwrap_or(true);
    if !folder_writable(folder) && wal_empty {
        Access::Immutable
    } else {
        Access::ReadOnly
    }
}

/// Whether a file can be created in `folder` (tried, then removed: permission bits say nothing of read-only media).
fn folder_writable(folder: &Path) -> bool {
    if std::fs::metadata(folder).is_ok_and(|m| m.permissions().readonly()) {
        return false;
    }
    let probe = folder.join(format!(".firebreak-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// `path` as an SQLite `file:` URI (characters that mean something in a URI percent-encoded).
fn file_uri(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file:");
    for b in absolute.to_string_lossy().bytes() {
        match b {
            b'%' | b'?' | b'#' | b'&' | b'=' | b' ' => out.push_str(&format!("%{b:02X}")),
            _ => out.push(b as char),
        }
    }
    out
}
