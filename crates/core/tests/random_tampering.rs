//! A seeded round of random tampering, as an outside reviewer would try it: on fresh copies of a database with every
//! table filled, change a value, delete a row, duplicate a row or swap two audit entries, anywhere, and require
//! verify to find every change that alters the record. (Removing a seal removes a protection, not a fact, so it
//! is not counted.)

mod common;

use common::rich::*;
use common::*;
use firebreak_core::report::{self, DocumentKind, ReportRequest};
use firebreak_core::verify::verify;
use firebreak_core::Store;
use rusqlite::types::Value;
use rusqlite::Connection;

const SEED: u64 = 0x5eed_f12e_b2ea_4b00;
const ROUNDS: usize = 300;

/// The tables that hold facts; the search's tables are derived from them and not audited (`is_search_table`).
fn tables(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
    let names = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap);
    names.filter(|t| !firebreak_core::search::is_search_table(t)).collect()
}

fn columns(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')")).unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn rowids(conn: &Connection, table: &str) -> Vec<i64> {
    let mut stmt = conn.prepare(&format!("SELECT rowid FROM {table}")).unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// A value different from `old`: a character flipped, emptied, nulled, or something else entirely.
fn other_value(rng: &mut fastrand::Rng, old: &Value) -> Value {
    match (rng.u8(0..5), old) {
        (0, Value::Text(t)) if !t.is_empty() => {
            let mut chars: Vec<char> = t.chars().collect();
            let i = rng.usize(0..chars.len());
            chars[i] = if chars[i] == 'x' { 'y' } else { 'x' };
            Value::Text(chars.into_iter().collect())
        }
        (1, _) => Value::Null,
        (2, _) => Value::Text(String::new()),
        (3, Value::Integer(n)) => Value::Integer(n + 1),
        _ => Value::Text(format!("\"tampered {}\"", rng.u32(..))),
    }
}

#[test]
fn every_meaningful_random_tampering_is_found() {
    let db = db();
    let rich = rich_with(&db, 12);
    let me = firebreak_core::profile::Profile {
        name: "Dana Reyes".into(),
        role: "Commander".into(),
        timezone: "Europe/Berlin".into(),
    };
    firebreak_core::profile::save(&db.store, me).unwrap();
    report::set_default_classification(&db.store, &dana(), firebreak_core::vocabulary::Classification::Restricted)
        .unwrap();
    report::generate(
        &db.store,
        &dana(),
        &ReportRequest::new(DocumentKind::Summary, Some(&rich.id)),
        &db.dir.path().join("s.pdf"),
        &mut |_| {},
    )
    .unwrap();
    outsider(&db).query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    let pristine = std::fs::read(db.store.path()).unwrap();
    let tables = tables(&outsider(&db));

    let mut rng = fastrand::Rng::with_seed(SEED);
    let work = tempfile::tempdir().unwrap();
    let (mut meaningful, mut missed) = (0, Vec::new());
    for round in 0..ROUNDS {
        let copy = work.path().join(format!("copy-{round}.db"));
        std::fs::write(&copy, &pristine).unwrap();
        let conn = Connection::open(&copy).unwrap();
        let table = &tables[rng.usize(0..tables.len())];
        let rows = rowids(&conn, table);
        if rows.is_empty() {
            continue;
        }
        let row = rows[rng.usize(0..rows.len())];
        let what = match rng.u8(0..10) {
            0..=5 => {
                let cols = columns(&conn, table);
                let column = &cols[rng.usize(0..cols.len())];
                let old: Value = conn
                    .query_row(&format!("SELECT {column} FROM {table} WHERE rowid = ?1"), [row], |r| r.get(0))
                    .unwrap();
                let new = other_value(&mut rng, &old);
                if new == old {
                    continue;
                }
                match conn
                    .execute(&format!("UPDATE {table} SET {column} = ?1 WHERE rowid = ?2"), rusqlite::params![new, row])
                {
                    Ok(_) => format!("{table}.{column} of row {row}: {old:?} → {new:?}"),
                    Err(_) => continue, // a constraint refused it: no change happened
                }
            }
            6 | 7 => {
                if table == "seals" {
                    continue; // a protection removed, not a fact changed
                }
                conn.execute(&format!("DELETE FROM {table} WHERE rowid = ?1"), [row]).unwrap();
                format!("deleted row {row} of {table}")
            }
            8 => {
                let cols = columns(&conn, table);
                let key = if table == "audit_log" { "seq" } else { cols[0].as_str() };
                let list = cols.join(", ");
                let picked: Vec<String> =
                    cols.iter().map(|c| if c == key { format!("{c} || '-copy'") } else { c.clone() }).collect();
                let sql =
                    format!("INSERT INTO {table} ({list}) SELECT {} FROM {table} WHERE rowid = ?1", picked.join(", "));
                let sql = if table == "audit_log" {
                    sql.replace("seq || '-copy'", "(SELECT max(seq) + 1 FROM audit_log)")
                } else {
                    sql
                };
                match conn.execute(&sql, [row]) {
                    Ok(_) => format!("duplicated row {row} of {table}"),
                    Err(_) => continue,
                }
            }
            _ => {
                let count = rowids(&conn, "audit_log").len() as i64;
                let (a, b) = (rng.i64(1..=count), rng.i64(1..=count));
                if a == b {
                    continue;
                }
                // Swap two entries' contents, keeping their positions.
                conn.execute_batch(&format!(
                    "UPDATE audit_log SET seq = -1 WHERE seq = {a}; UPDATE audit_log SET seq = {a} WHERE seq = {b}; \
                     UPDATE audit_log SET seq = {b} WHERE seq = -1;"
                ))
                .unwrap();
                format!("swapped audit entries #{a} and #{b}")
            }
        };
        drop(conn);
        meaningful += 1;
        let found = match Store::open(&copy) {
            Ok(store) => !verify(&store).map(|r| r.intact).unwrap_or(false),
            Err(_) => true, // refused as damaged: found
        };
        if !found {
            missed.push(what);
        }
        let _ = std::fs::remove_file(&copy);
    }
    assert!(meaningful > ROUNDS / 2, "only {meaningful} tamperings tried");
    assert!(missed.is_empty(), "{} of {meaningful} tamperings passed verify:\n{}", missed.len(), missed.join("\n"));
}
