//! Schema migrations: the runner, given its steps (`crate::schema` orders them; each table's SQL lives in the
//! module that owns its rows).
//! All pending migrations run in one transaction: a database is either fully at the new version or untouched.

use super::APPLICATION_ID;
use crate::error::{Error, Result};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// The migration steps: version `n` is reached by applying `steps[n - 1]`, each a list of SQL batches. Given by the
/// caller (`crate::schema` names every table), so the store knows no table but its own bookkeeping.
pub type Migrations<'a> = &'a [Vec<&'static str>];

fn version_of(steps: Migrations<'_>) -> i64 {
    steps.len() as i64
}

/// Refuses files Firebreak must not open: damaged, another program's, or from a newer Firebreak.
pub(super) fn refuse_unusable(conn: &Connection, path: &Path, steps: Migrations<'_>) -> Result<()> {
    let (version, app_id, tables) = read_header(conn, path)?;
    if app_id != 0 && app_id != APPLICATION_ID || app_id == 0 && version == 0 && tables > 0 {
        return Err(Error::storage(format!(
            "{} is an SQLite database of another program, not a Firebreak database. It was not changed. \
             Choose another file with --db / FIREBREAK_DB.",
            path.display()
        )));
    }
    if version > version_of(steps) {
        return Err(newer_schema(path, version, steps));
    }
    Ok(())
}

/// A read-only copy cannot be upgraded, so it is read only at this build's schema.
pub(super) fn refuse_outdated_read_only(conn: &Connection, path: &Path, steps: Migrations<'_>) -> Result<()> {
    let (version, _, _) = read_header(conn, path)?;
    let this = version_of(steps);
    if version < this {
        return Err(Error::storage(format!(
            "{} is a read-only copy written by an older Firebreak (schema {version}; this version reads schema \
             {this} and would have to upgrade it). It was not changed. Copy it to a folder you can write and \
             open that copy to upgrade it.",
            path.display()
        )));
    }
    Ok(())
}

pub(super) fn migrate(conn: &mut Connection, path: &Path, steps: Migrations<'_>) -> Result<()> {
    let shown = path.display();
    let target = version_of(steps);
    let (version, _, _) = read_header(conn, path)?;
    if version == target {
        return Ok(());
    }
    if version > 0 {
        backup(conn, path, version)?;
    }

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the write lock.
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > target {
        return Err(newer_schema(path, current, steps));
    }
    for (index, step) in steps.iter().enumerate().skip(current as usize) {
        for sql in step {
            tx.execute_batch(sql).map_err(|e| {
                Error::storage(format!("Upgrading {shown} to schema {} failed: {e}. It was not changed.", index + 1))
            })?;
        }
    }
    tx.pragma_update(None, "user_version", target)?;
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

fn newer_schema(path: &Path, version: i64, steps: Migrations<'_>) -> Error {
    let this = version_of(steps);
    Error::storage(format!(
        "{} was written by a newer Firebreak (schema {version}; this version knows up to {this}). \
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
