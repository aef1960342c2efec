//! Schema migrations. Each table's SQL lives in the module that owns its rows; this file only orders them.
//! All pending migrations run in one transaction: a database is either fully at the new version or untouched.

use super::APPLICATION_ID;
use crate::error::{Error, Result};
use crate::{audit, incident, people, profile};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// Version `n` is reached by applying `MIGRATIONS[n - 1]`. Append only: a released step never changes.
const MIGRATIONS: &[&[&str]] = &[
    &[audit::SCHEMA_V1, profile::SCHEMA_V1, people::SCHEMA_V1, incident::SCHEMA_V1],
    crate::phases::SCHEMA_V2,
    crate::phases::SCHEMA_V3,
    &[crate::report::SCHEMA_V4],
    &[crate::seal::SCHEMA_V5],
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Refuses files Firebreak must not open: damaged, another program's, or from a newer Firebreak.
pub(super) fn refuse_unusable(conn: &Connection, path: &Path) -> Result<()> {
    let (version, app_id, tables) = read_header(conn, path)?;
    if app_id != 0 && app_id != APPLICATION_ID || app_id == 0 && version == 0 && tables > 0 {
        return Err(Error::storage(format!(
            "{} is an SQLite database of another program, not a Firebreak database. It was not changed. \
             Choose another file with --db / FIREBREAK_DB.",
            path.display()
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(newer_schema(path, version));
    }
    Ok(())
}

/// A read-only copy cannot be upgraded, so it is read only at this build's schema.
pub(super) fn refuse_outdated_read_only(conn: &Connection, path: &Path) -> Result<()> {
    let (version, _, _) = read_header(conn, path)?;
    if version < SCHEMA_VERSION {
        return Err(Error::storage(format!(
            "{} is a read-only copy written by an older Firebreak (schema {version}; this version reads schema \
             {SCHEMA_VERSION} and would have to upgrade it). It was not changed. Copy it to a folder you can write and \
             open that copy to upgrade it.",
            path.display()
        )));
    }
    Ok(())
}

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let shown = path.display();
    let (version, _, _) = read_header(conn, path)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    if version > 0 {
        backup(conn, path, version)?;
    }

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the write lock.
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(newer_schema(path, current));
    }
    for (index, steps) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        for sql in *steps {
            tx.execute_batch(sql).map_err(|e| {
                Error::storage(format!("Upgrading {shown} to schema {} failed: {e}. It was not changed.", index + 1))
            })?;
        }
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

fn read_header(conn: &Connection, path: &Path) -> Result<(i64, i32, i64)> {
    let store = super::Store { path: path.to_path_buf(), access: super::Access::ReadWrite };
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| store.unusable(e))?;
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| store.unusable(e))?;
    let tables: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).map_err(|e| store.unusable(e))?;
    Ok((version, app_id, tables))
}

fn newer_schema(path: &Path, version: i64) -> Error {
    Error::storage(format!(
        "{} was written by a newer Firebreak (schema {version}; this version knows up to {SCHEMA_VERSION}). \
         It was not changed. Install the newer Firebreak to open it, or choose another file with --db / FIREBREAK_DB.",
        path.display()
    ))
}

/// A consistent copy of the database beside it, taken before its schema changes.
fn backup(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = format!(
        "{}.schema{version}-backup-{stamp}.db",
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "firebreak".into())
    );
    let target = path.with_file_name(name);
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()]).map_err(|e| {
        Error::storage(format!(
            "Could not back up {} to {} before upgrading it ({e}). Nothing was changed; free some disk space or \
             check the folder's permissions and try again.",
            path.display(),
            target.display()
        ))
    })?;
    Ok(())
}
