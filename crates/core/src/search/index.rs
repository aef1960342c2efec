//! What the search reads, and how it is kept current. Steps are indexed from `trace_steps` as they are written;
//! the record and the phases' prose are copied into `search_text` by triggers on their tables, so every write —
//! from the app, the CLI or an import — is searchable the moment it commits, without each phase remembering to.
//! Both indexes are derived data: they are not audited, and `verify` checks the rows they are made from.

use crate::audit::Entity;
use crate::phases::{affected, communication, containment, evidence, notification, overrides, pause, playbook};
use crate::phases::{postmortem, reenable, severity};
use crate::record::Table;
use std::fmt::Write as _;
use std::sync::LazyLock;

/// The words of a text: Unicode letters and digits, case and accents folded (`Müller` finds `muller`).
const TOKENIZER: &str = "tokenize = 'unicode61 remove_diacritics 2'";

/// The prose fields of the phases' tables: what a person wrote or an agent left (notes, reasons, messages,
/// notification texts, the postmortem), not choice keys, times or hashes.
pub(super) const SEARCHED: &[(&Table, &[&str])] = &[
    (&severity::TABLE, &["reason"]),
    (&overrides::TABLE, &["reason"]),
    (&pause::TABLE, &["target", "note"]),
    (&evidence::ITEMS, &["reason"]),
    (&evidence::FILES, &["original_name", "note"]),
    (&evidence::CUSTODY, &["detail"]),
    (&containment::TABLE, &["note"]),
    (&playbook::TABLE, &["note"]),
    (
        &affected::OBJECTS,
        &["system", "object_type", "object_id", "action", "evidence", "recovery_action", "recovery_owner"],
    ),
    (&affected::RECOVERY_LOG, &["note"]),
    (&communication::TABLE, &["audience", "required_because", "message", "owner", "sent_via"]),
    (&notification::DECISIONS, &["reason"]),
    (&notification::TRIGGERS, &["note"]),
    (&notification::OVERRIDES, &["reason"]),
    (&notification::NOTIFICATIONS, &["text", "reference"]),
    (
        &postmortem::TABLE,
        &[
            "summary",
            "detection_gap",
            "control_gap",
            "root_cause",
            "root_cause_layers",
            "contributing_factors",
            "what_worked",
            "what_failed",
            "five_whys",
        ],
    ),
    (&postmortem::TIMELINE, &["text"]),
    (&postmortem::REMEDIATION, &["description", "owner"]),
    (&reenable::ANSWERS, &["note"]),
    (&reenable::SIGNOFFS, &["statement"]),
];

/// The incident record's searched columns: plain text, and lists held as JSON.
pub(super) const RECORD_TEXT: &[&str] = &[
    "title",
    "summary",
    "workflow",
    "agent",
    "model",
    "commander",
    "business_owner",
    "technical_owner",
    "customer_impact",
    "vendor_impact",
    "employee_impact",
];
pub(super) const RECORD_LISTS: &[&str] = &["toolset", "affected_systems"];

/// Schema 7: the two full-text indexes, the triggers that keep them, and the rows already written before it.
pub(crate) static SCHEMA_V7: LazyLock<String> = LazyLock::new(schema_v7);

fn schema_v7() -> String {
    let mut sql = format!(
        "
CREATE VIRTUAL TABLE trace_search USING fts5(
    tool, name, arguments, result, error, content = 'trace_steps', content_rowid = 'id', {TOKENIZER}
);
CREATE TRIGGER trace_steps_searched AFTER INSERT ON trace_steps BEGIN
    INSERT INTO trace_search (rowid, tool, name, arguments, result, error)
    VALUES (NEW.id, NEW.tool, NEW.name, NEW.arguments, NEW.result, NEW.error);
END;
-- A tool's name weighs most, an error next: a search for a tool finds its calls before the texts that mention it.
INSERT INTO trace_search (trace_search, rank) VALUES ('rank', 'bm25(8.0, 2.0, 1.0, 1.0, 3.0)');
INSERT INTO trace_search (trace_search) VALUES ('rebuild');

CREATE TABLE search_text (
    id INTEGER PRIMARY KEY,
    incident TEXT NOT NULL,
    entity TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE UNIQUE INDEX search_text_row ON search_text (entity, row_id, field);
CREATE INDEX search_text_incident ON search_text (incident, entity);
CREATE VIRTUAL TABLE search_text_index USING fts5(body, content = 'search_text', content_rowid = 'id', {TOKENIZER});
CREATE TRIGGER search_text_added AFTER INSERT ON search_text BEGIN
    INSERT INTO search_text_index (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER search_text_removed AFTER DELETE ON search_text BEGIN
    INSERT INTO search_text_index (search_text_index, rowid, body) VALUES ('delete', OLD.id, OLD.body);
END;
"
    );
    for (table, fields) in SEARCHED {
        for field in *fields {
            let body = |row: &str| json_text(&format!("{row}.{field}"));
            let incident = |row: &str| format!("json_extract({row}.incident, '$')");
            copy_field(&mut sql, table.name, table.entity, field, &body, &incident);
        }
    }
    for field in RECORD_TEXT {
        let body = |row: &str| format!("{row}.{field}");
        copy_field(&mut sql, "incidents", Entity::Incident, field, &body, &|row: &str| format!("{row}.uuid"));
    }
    for field in RECORD_LISTS {
        let body = |row: &str| json_text(&format!("{row}.{field}"));
        copy_field(&mut sql, "incidents", Entity::Incident, field, &body, &|row: &str| format!("{row}.uuid"));
    }
    sql
}

/// Every string inside a column of canonical JSON (a string, a list, a list of objects), one per line. A value
/// that is not JSON (written by another program) gives nothing rather than failing the write.
fn json_text(column: &str) -> String {
    format!(
        "(SELECT group_concat(value, char(10)) FROM json_tree(CASE WHEN json_valid({column}) THEN {column} END) \
         WHERE type = 'text')"
    )
}

/// The triggers that copy one field into `search_text` when its row is written or the field changes, and the copy
/// of the rows that exist already. `body` and `incident` give the SQL of the text and the incident's UUID for a row
/// name (`NEW`, or the table's alias in the first copy).
fn copy_field(
    sql: &mut String,
    table: &str,
    entity: Entity,
    field: &str,
    body: &dyn Fn(&str) -> String,
    incident: &dyn Fn(&str) -> String,
) {
    let entity = entity.as_str();
    let insert = |row: &str, from: &str| {
        format!(
            "INSERT INTO search_text (incident, entity, row_id, field, body) \
             SELECT incident, '{entity}', row_id, '{field}', body FROM \
             (SELECT {} AS incident, {row}.uuid AS row_id, {} AS body{from}) \
             WHERE incident IS NOT NULL AND body IS NOT NULL AND body <> '';",
            incident(row),
            body(row)
        )
    };
    let name = format!("search_{table}_{field}");
    let _ = write!(
        sql,
        "
CREATE TRIGGER {name}_added AFTER INSERT ON {table} BEGIN
    {}
END;
CREATE TRIGGER {name}_changed AFTER UPDATE OF {field} ON {table} BEGIN
    DELETE FROM search_text WHERE entity = '{entity}' AND row_id = NEW.uuid AND field = '{field}';
    {}
END;
{}
",
        insert("NEW", ""),
        insert("NEW", ""),
        insert("t", &format!(" FROM {table} t"))
    );
}

#[cfg(test)]
mod tests {
    use super::{RECORD_LISTS, RECORD_TEXT, SEARCHED};

    #[test]
    fn every_searched_field_is_a_field_of_its_table() {
        for (table, fields) in SEARCHED {
            for field in *fields {
                assert!(table.fields.contains(field), "{} has no field {field}", table.name);
            }
        }
        for field in RECORD_TEXT.iter().chain(RECORD_LISTS) {
            assert!(crate::incident::spec(field).is_ok(), "the record has no field {field}");
        }
    }
}
