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
        let mut capture = FieldCapture { fields: self.fields, id: String::new(), values: Vec::new() };
        row.serialize(&mut capture)
            .map_err(|e| Error::storage(format!("A {} could not be stored: {e}", self.entity.as_str())))?;
        if capture.id.is_empty() {
            return Err(Error::storage(format!("A {} has no ID.", self.entity.as_str())));
        }
        let mut values: RowValues = self.fields.iter().map(|f| (*f, None)).collect();
        for (field, value) in capture.values {
            if let Some(slot) = values.iter_mut().find(|(f, _)| *f == field) {
                slot.1 = value;
            }
        }
        Ok((capture.id, values))
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

/// Takes a row apart into its fields' canonical values as serde hands them over, without building the row as a
/// JSON object first (an import does this for every row).
struct FieldCapture {
    fields: &'static [&'static str],
    id: String,
    values: Vec<(&'static str, Option<String>)>,
}

/// The canonical value of one field (see [`canonical`]). Written directly where that gives the same text; a value
/// holding an object goes through `Value`, whose sorted keys the canonical form has.
fn canonical_of<V: Serialize + ?Sized>(value: &V) -> std::result::Result<Option<String>, serde_json::Error> {
    let text = serde_json::to_string(value)?;
    if text.contains('{') {
        return Ok(canonical(&serde_json::to_value(value)?));
    }
    Ok(match text.as_str() {
        "null" | "\"\"" | "[]" => None,
        _ => Some(text),
    })
}

/// The scalar methods of a serialiser that takes only structs.
macro_rules! refuse_scalars {
    ($($name:ident($t:ty))*) => {
        $(fn $name(self, _: $t) -> std::result::Result<(), serde_json::Error> {
            Err(not_a_row())
        })*
    };
}

impl serde::Serializer for &mut FieldCapture {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTuple = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeMap = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = serde::ser::Impossible<(), serde_json::Error>;

    fn serialize_struct(self, _name: &'static str, _len: usize) -> std::result::Result<Self, serde_json::Error> {
        Ok(self)
    }

    refuse_scalars! {
        serialize_bool(bool) serialize_i8(i8) serialize_i16(i16) serialize_i32(i32) serialize_i64(i64)
        serialize_u8(u8) serialize_u16(u16) serialize_u32(u32) serialize_u64(u64) serialize_f32(f32)
        serialize_f64(f64) serialize_char(char) serialize_str(&str) serialize_bytes(&[u8])
        serialize_unit_struct(&'static str)
    }

    fn serialize_none(self) -> std::result::Result<(), serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_some<V: Serialize + ?Sized>(self, _: &V) -> std::result::Result<(), serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_unit(self) -> std::result::Result<(), serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> std::result::Result<(), serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_newtype_struct<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &V,
    ) -> std::result::Result<(), serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> std::result::Result<(), serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_seq(self, _: Option<usize>) -> std::result::Result<Self::SerializeSeq, serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_tuple(self, _: usize) -> std::result::Result<Self::SerializeTuple, serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeTupleStruct, serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeTupleVariant, serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_map(self, _: Option<usize>) -> std::result::Result<Self::SerializeMap, serde_json::Error> {
        Err(not_a_row())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> std::result::Result<Self::SerializeStructVariant, serde_json::Error> {
        Err(not_a_row())
    }
}

/// A row type must serialise as a plain struct of its fields.
fn not_a_row() -> serde_json::Error {
    serde::ser::Error::custom("a row must be a struct of its fields")
}

impl serde::ser::SerializeStruct for &mut FieldCapture {
    type Ok = ();
    type Error = serde_json::Error;

    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> std::result::Result<(), serde_json::Error> {
        if key == "id" {
            self.id = serde_json::to_value(value)?.as_str().unwrap_or_default().to_string();
        } else if let Some(field) = self.fields.iter().find(|f| **f == key) {
            self.values.push((field, canonical_of(value)?));
        }
        Ok(())
    }

    fn end(self) -> std::result::Result<(), serde_json::Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::phases::tables;

    /// Each table's columns are exactly `uuid` plus its declared fields, so no field is silently unaudited.
    #[test]
    fn every_phase_table_has_exactly_its_declared_columns() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::Store::create(dir.path().join("t.db")).unwrap();
        let conn = store.connect().unwrap();
        for table in tables() {
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

    /// Rows stored by earlier versions hold values canonicalised through `serde_json::Value`; values taken apart
    /// field by field must come out byte for byte the same, or an update would see a change where there is none.
    #[test]
    fn a_field_written_directly_has_the_canonical_text_of_its_value() {
        use crate::audit::canonical;
        #[derive(serde::Serialize)]
        struct Nested {
            zeta: u8,
            alpha: Option<String>,
        }
        #[derive(serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            ToolCall,
        }
        fn same<V: serde::Serialize>(v: V) {
            let expected = canonical(&serde_json::to_value(&v).unwrap());
            assert_eq!(super::canonical_of(&v).unwrap(), expected, "{}", serde_json::to_string(&v).unwrap());
        }
        same("plain");
        same("");
        same("quote \" backslash \\ {braces} \u{0}\u{1b}[31m Zoë 日本 \u{2028}");
        same(None::<String>);
        same(Some("x"));
        same(Vec::<String>::new());
        same(vec!["a", "b"]);
        same(vec![Nested { zeta: 1, alpha: None }]);
        same(Nested { zeta: 2, alpha: Some("{".into()) });
        same(Kind::ToolCall);
        same(42u64);
        same(-7i32);
        same(0.1f64);
        same(1e300f64);
        same(f64::NAN);
        same(true);
        same(chrono::Utc::now());
        same(std::collections::BTreeMap::from([("b", 1), ("a", 2)]));
    }
}
