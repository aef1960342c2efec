//! Human incident IDs: `AI-INC-YYYY-MMDD-NNN`, numbered per day of creation in the user's time zone.

use crate::error::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

/// The next free ID for `day`. Called inside the write transaction, which holds the write lock, so two processes
/// opening incidents at the same moment cannot be handed the same number.
pub(super) fn next(conn: &Connection, day: NaiveDate) -> Result<String> {
    let prefix = format!("AI-INC-{:04}-{:02}{:02}-", day.year(), day.month(), day.day());
    // A range over the index on `id` (the IDs that start with the prefix sort between it and the prefix with its
    // final "-" raised to "."), where LIKE, which ignores case, would read every incident.
    let after = format!("{}.", &prefix[..prefix.len() - 1]);
    let mut stmt = conn.prepare("SELECT substr(id, ?3) FROM incidents WHERE id >= ?1 AND id < ?2")?;
    let numbers =
        stmt.query_map(rusqlite::params![prefix, after, prefix.len() as i64 + 1], |r| r.get::<_, String>(0))?;
    let mut highest = 0u32;
    for n in numbers {
        highest = highest.max(n?.parse().unwrap_or(0));
    }
    Ok(format!("{prefix}{:03}", highest + 1))
}
