//! verify compares the exact stored text with the canonical form of the last audited value: another program that
//! rewrites a value into an equivalent spelling (a space around JSON, a `\u0022`-style escape) is caught, because
//! SQL lookups compare raw text and the row would silently leave its incident. Generated over every column of every
//! table the trail covers, in each equivalent spelling.

mod common;

use common::rich::*;
use common::*;
use firebreak_core::phases::notification;
use firebreak_core::report::{self, DocumentKind, ReportRequest};
use firebreak_core::verify::verify;
use rusqlite::types::Value as SqlValue;

/// Ways to write the same JSON value differently; for plain text, different text altogether.
fn respellings(stored: &str) -> Vec<String> {
    let mut out = vec![format!(" {stored}"), format!("{stored} "), format!("{stored}\n")];
    // A JSON string with its first character written as a \u escape.
    if let Some(rest) = stored.strip_prefix('"') {
        if let Some(c) = rest.chars().next().filter(|c| *c != '"' && *c != '\\') {
            out.push(format!("\"\\u{:04x}{}", c as u32, &rest[c.len_utf8()..]));
        }
    }
    if let Some(rest) = stored.strip_prefix('[') {
        out.push(format!("[ {rest}"));
    }
    out
}

#[test]
fn every_equivalent_spelling_of_every_audited_column_is_found() {
    let db = db();
    // A few objects are enough: every table has rows, and each respelling costs a whole verify.
    let rich = rich_with(&db, 8);
    notification::override_due(
        &db.store,
        &dana(),
        &rich.id,
        "gdpr-art33",
        "notification",
        Some(chrono::Utc::now() + chrono::Duration::days(1)),
        "Counsel reads the awareness time later",
        LENA,
    )
    .unwrap();
    let out = db.dir.path().join("summary.pdf");
    report::generate(&db.store, &dana(), &ReportRequest::new(DocumentKind::Summary, Some(&rich.id)), &out, &mut |_| {})
        .unwrap();
    assert!(verify(&db.store).unwrap().intact);

    let conn = outsider(&db);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'audit_head')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .filter(|t: &String| !firebreak_core::search::is_search_table(t))
        .collect();
    let mut tried = 0;
    let mut missed = Vec::new();
    for table in &tables {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for column in &columns {
            // The first row holding a value in this column.
            let found: Option<(i64, String)> = conn
                .query_row(
                    &format!("SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL AND typeof({column}) = 'text' ORDER BY rowid LIMIT 1"),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok();
            let Some((rowid, stored)) = found else { continue };
            for spelling in respellings(&stored) {
                tried += 1;
                let set = format!("UPDATE {table} SET {column} = ?1 WHERE rowid = ?2");
                conn.execute(&set, rusqlite::params![spelling, rowid]).unwrap();
                if verify(&db.store).unwrap().intact {
                    missed.push(format!("{table}.{column} = {spelling:?}"));
                }
                conn.execute(&set, rusqlite::params![SqlValue::Text(stored.clone()), rowid]).unwrap();
            }
        }
    }
    assert!(verify(&db.store).unwrap().intact, "every respelling was put back");
    assert!(tried > 200, "only {tried} respellings tried: the fixture lacks tables");
    assert!(missed.is_empty(), "{} of {tried} respellings passed verify:\n{}", missed.len(), missed.join("\n"));
}
