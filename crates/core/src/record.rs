//! Audited tables of the response phases (pause actions, evidence, affected objects, …): one generic way to insert,
//! update, read and verify rows, so each phase module only states its row type and its rules.
//!
//! Every field column holds the field's canonical JSON (see [`audit::canonical`]), so the column, the audit trail
//! and `verify` compare equal values equally, whatever the field's type. Rows are read back through serde.

use crate::audit::{self, canonical, Entity, StoredRecords};
use crate::error::{Error, Result};
use crate::store::Tx;
use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// An audited table: its audit entity, its SQL name and its field columns (besides `uuid`). The row type's JSON
/// has these fields plus `id`, which is the row's UUID.
pub struct Table {
    pub entity: Entity,
    pub name: &'static str,
    pub fields: &'static [&'static str],
}

impl Table {
    /// Inserts a row and audits its creation in one entry whose value is the row: its non-empty fields as one
    /// JSON object (see [`audit::created_fields`]). Later changes get one entry per field.
    pub fn insert<T: Serialize>(&self, tx: &mut Tx<'_>, row: &T) -> Result<String> {
        let (id, values) = self.values(row)?;
        let mut sql = format!("INSERT INTO {} (uuid", self.name);
        for field in self.fields {
            sql.push_str(", ");
            sql.push_str(field);
        }
        sql.push_str(") VALUES (?1");
        for i in 2..=self.fields.len() + 1 {
            // Written in place: this runs for every row of an import.
            let _ = write!(sql, ", ?{i}");
        }
        sql.push(')');
        let params = std::iter::once(Some(id.as_str())).chain(values.iter().map(|(_, v)| v.as_deref()));
        // Cached: imports insert many rows in one transaction.
        tx.prepare_cached(&sql)?.execute(params_from_iter(params))?;
        tx.record(self.entity, &id, audit::CREATED, None, Some(snapshot_of(&values)), None)?;
        Ok(id)
    }

    /// Writes the fields that differ between `before` and `after` (same row), each with its audit entry.
    /// Returns the names of the changed fields.
    pub fn update<T: Serialize>(
        &self,
        tx: &mut Tx<'_>,
        before: &T,
        after: &T,
        reason: Option<&str>,
    ) -> Result<Vec<&'static str>> {
        let (id, old) = self.values(before)?;
        let (after_id, new) = self.values(after)?;
        if id != after_id {
            return Err(Error::storage(format!("A {} cannot change its ID.", self.entity.as_str())));
        }
        let mut changed = Vec::new();
        for ((field, old), (_, new)) in old.into_iter().zip(new) {
            if old != new {
                tx.execute(
                    &format!("UPDATE {} SET {field} = ?1 WHERE uuid = ?2", self.name),
                    rusqlite::params![new, id],
                )?;
                tx.record(self.entity, &id, field, old, new, reason)?;
                changed.push(field);
            }
        }
        Ok(changed)
    }

    /// One row by UUID.
    pub fn get<T: DeserializeOwned>(&self, conn: &Connection, id: &str) -> Result<Option<T>> {
        let mut rows = self.select(conn, "uuid = ?1", &[&id])?;
        Ok(rows.pop())
    }

    /// Rows matching an SQL condition over the table's columns (values compare as canonical JSON text).
    pub fn select<T: DeserializeOwned>(
        &self,
        conn: &Connection,
        condition: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<T>> {
        self.select_ordered(conn, condition, "rowid", params)
    }

    /// Like [`Table::select`], in the given SQL order, which may end with `LIMIT … OFFSET …` to read one page.
    pub fn select_ordered<T: DeserializeOwned>(
        &self,
        conn: &Connection,
        condition: &str,
        order: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<T>> {
        let sql = format!("SELECT * FROM {} WHERE {condition} ORDER BY {order}", self.name);
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(params)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut map = Map::new();
            let id: String = row.get("uuid")?;
            map.insert("id".into(), Value::String(id.clone()));
            for field in self.fields {
                let raw: Option<String> = row.get(*field)?;
                if let Some(raw) = raw {
                    let value = serde_json::from_str(&raw).map_err(|_| self.damaged(&id, field))?;
                    map.insert(field.to_string(), value);
                }
            }
            out.push(serde_json::from_value(Value::Object(map)).map_err(|_| self.damaged(&id, "a field"))?);
        }
        Ok(out)
    }

    /// Whether a row exists (used to refuse references to rows of another incident).
    pub fn exists(&self, conn: &Connection, condition: &str, params: &[&dyn rusqlite::ToSql]) -> Result<bool> {
        let sql = format!("SELECT 1 FROM {} WHERE {condition} LIMIT 1", self.name);
        Ok(conn.query_row(&sql, params, |_| Ok(())).optional()?.is_some())
    }

    /// Every row's audited values, exactly as stored, for `verify`.
    pub(crate) fn stored_records(&'static self) -> StoredRecords {
        let fields = self.fields;
        StoredRecords::Query {
            sql: format!("SELECT uuid, {} FROM {} ORDER BY uuid", fields.join(", "), self.name),
            decode: Box::new(move |row| {
                let id: String = row.get(0)?;
                let mut values = Vec::with_capacity(fields.len());
                for (i, field) in fields.iter().enumerate() {
                    // The exact stored text: SQL lookups compare it byte for byte, so an equivalent spelling written
                    // by another program (a space, a `\u0022` escape) would silently move the row out of its
                    // incident.
                    let raw: Option<String> = row.get(i + 1)?;
                    values.push((field.to_string(), raw));
                }
                Ok((id, values))
            }),
        }
    }

    /// The row's ID and the canonical value of each field, in `fields` order.
    fn values<T: Serialize>(&self, row: &T) -> Result<(String, RowValues)> {
        let Value::Object(map) = serde_json::to_value(row)? else {
            return Err(Error::storage(format!("A {} did not serialise to an object.", self.entity.as_str())));
        };
        let mut id = String::new();
        let mut values: RowValues = self.fields.iter().map(|f| (*f, None)).collect();
        // One pass over the map (taking entries out of it one by one rebalances it each time: imports do this for
        // every row).
        for (key, value) in map {
            if key == "id" {
                id = value.as_str().unwrap_or_default().to_string();
            } else if let Some(slot) = values.iter_mut().find(|(f, _)| *f == key) {
                slot.1 = canonical(&value);
            }
        }
        if id.is_empty() {
            return Err(Error::storage(format!("A {} has no ID.", self.entity.as_str())));
        }
        Ok((id, values))
    }

    fn damaged(&self, id: &str, field: &str) -> Error {
        Error::storage(format!(
            "The {} {id} holds a value in {field} that Firebreak cannot read; it was probably edited outside the app. \
             Run `firebreak audit verify` to see what changed, then restore the database from a backup.",
            self.entity.as_str()
        ))
    }
}

/// A row's canonical field values, in the table's field order.
type RowValues = Vec<(&'static str, Option<String>)>;

/// The creation entry's value: `{"field":<canonical value>,…}` for every non-empty field, in the table's order.
/// Each value is already canonical JSON, so it is written as it is rather than parsed and printed again. `verify`
/// writes a stored row the same way to compare it whole.
pub(crate) fn snapshot_of<F: AsRef<str>>(values: &[(F, Option<String>)]) -> String {
    let mut out = String::with_capacity(
        values.iter().map(|(f, v)| f.as_ref().len() + v.as_ref().map_or(0, String::len) + 4).sum::<usize>() + 2,
    );
    out.push('{');
    for (field, value) in values {
        if let Some(value) = value {
            if out.len() > 1 {
                out.push(',');
            }
            // Field names are column identifiers ([a-z_]), which need no escaping.
            out.push('"');
            out.push_str(field.as_ref());
            out.push_str("\":");
            out.push_str(value);
        }
    }
    out.push('}');
    out
}

/// A new UUID v7 for a row.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use crate::phases::TABLES;

    /// Each table's columns are exactly `uuid` plus its declared fields, so no field is silently unaudited.
    #[test]
    fn every_phase_table_has_exactly_its_declared_columns() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::Store::create(dir.path().join("t.db")).unwrap();
        let conn = store.connect().unwrap();
        for table in TABLES {
            let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{}')", table.name)).unwrap();
            let columns: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|c| c.unwrap()).collect();
            let mut expected = vec!["uuid".to_string()];
            expected.extend(table.fields.iter().map(|f| f.to_string()));
            assert_eq!(columns, expected, "table {}", table.name);
            assert_eq!(table.fields[0], "incident", "table {} is tied to its incident first", table.name);
        }
    }

    /// Databases written before rows were created in one entry hold a bare creation entry and one entry per
    /// non-empty field: they keep verifying, and a direct edit of such a row is still named by its field.
    #[test]
    fn rows_created_one_entry_per_field_by_earlier_versions_still_verify() {
        use crate::audit::{Actor, CREATED};
        use crate::verify::{verify, ProblemKind};
        let dir = tempfile::tempdir().unwrap();
        let store = crate::Store::create(dir.path().join("t.db")).unwrap();
        let table = &crate::phases::affected::OBJECTS;
        let actor = Actor::new("Dana Reyes", None);
        store
            .write(&actor, |tx| {
                tx.execute(
                    "INSERT INTO affected_objects (uuid, incident, system, object_id) VALUES ('row-1', '\"inc\"', '\"Gmail\"', '\"MSG-1\"')",
                    [],
                )?;
                tx.record(table.entity, "row-1", CREATED, None, None, None)?;
                for (field, value) in [("incident", "\"inc\""), ("system", "\"Gmail\""), ("object_id", "\"MSG-1\"")] {
                    tx.record(table.entity, "row-1", field, None, Some(value.to_string()), None)?;
                }
                Ok(())
            })
            .unwrap();
        let report = verify(&store).unwrap();
        assert!(report.intact, "{:?}", report.problems);

        let conn = rusqlite::Connection::open(store.path()).unwrap();
        conn.execute("UPDATE affected_objects SET system = '\"Jira\"'", []).unwrap();
        let report = verify(&store).unwrap();
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert_eq!(report.problems[0].kind, ProblemKind::ValueMismatch);
        assert_eq!(report.problems[0].field.as_deref(), Some("system"));
        assert_eq!(report.problems[0].seq, Some(3), "named by the entry that set it");
    }
}
