//! The tamper-evident audit trail: every change to incident data is one entry that records who, when, what and
//! from/to, and carries a SHA-256 hash over its own content and the previous entry's hash.

use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub(crate) const SCHEMA_V1: &str = "
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    actor_role  TEXT,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
-- The head is kept apart from the entries so that deleting the newest entries is noticed.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
";

/// The hash the first entry chains to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The audit field that marks a record's creation. Its value is the record's human-facing name (incidents and
/// people, whose other fields follow in entries of their own) or, for the rows of the phase tables, the whole row.
pub const CREATED: &str = "_created";

/// Who makes a change: stamped on every audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "Actor.ts")]
pub struct Actor {
    pub name: String,
    pub role: Option<String>,
}

impl Actor {
    pub fn new(name: impl Into<String>, role: Option<String>) -> Self {
        Actor {
            name: name.into().trim().to_string(),
            role: role.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()),
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid(
                "actor",
                "Every change is signed with a name: set your name (desktop: first-run profile; command line: --actor NAME or FIREBREAK_ACTOR).",
            ));
        }
        Ok(())
    }
}

crate::choices!(
    /// The kinds of record the audit trail covers (the label is how messages name them).
    Entity, "Entity.ts" {
        Incident => ("incident", "incident"),
        Person => ("person", "person"),
        Settings => ("settings", "settings"),
        SeverityAssessment => ("severity_assessment", "severity assessment"),
        Override => ("override", "override"),
        PauseAction => ("pause_action", "pause action"),
        PlaybookStep => ("playbook_step", "playbook step"),
        ContainmentItem => ("containment_item", "containment item"),
        EvidenceItem => ("evidence_item", "evidence item"),
        EvidenceFile => ("evidence_file", "evidence file"),
        CustodyEvent => ("custody_event", "custody event"),
        AffectedObject => ("affected_object", "affected object"),
        RecoveryLogEntry => ("recovery_log_entry", "recovery log entry"),
        AuditAnswer => ("audit_answer", "audit answer"),
        Communication => ("communication", "communication"),
        Postmortem => ("postmortem", "postmortem"),
        TimelineEntry => ("timeline_entry", "timeline entry"),
        RemediationItem => ("remediation_item", "remediation item"),
        ReenableAnswer => ("reenable_answer", "re-enable answer"),
        ReenableSignoff => ("reenable_signoff", "re-enable sign-off"),
        ApplicabilityAnswers => ("applicability_answers", "applicability answers"),
        RegimeDecision => ("regime_decision", "regime decision"),
        RegimeTrigger => ("regime_trigger", "regime trigger"),
        DueOverride => ("due_override", "due-time override"),
        Notification => ("notification", "regulatory notification"),
        Document => ("document", "generated document"),
        TraceImport => ("trace_import", "trace import"),
        FindingRules => ("finding_rules", "finding rules"),
        FindingDismissal => ("finding_dismissal", "finding dismissal"),
        ToolClass => ("tool_class", "tool class"),
        SideEffectLink => ("side_effect_link", "side-effect link"),
    }
);

impl Entity {
    pub fn as_str(self) -> &'static str {
        self.key()
    }
}

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "AuditEntry.ts")]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub actor_role: Option<String>,
    /// Stored as text so that an entry naming an unknown entity (written by another program) can still be read
    /// and reported by `verify`.
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The entry's hash: see [`StoredEntry::digest`].
    pub fn compute_hash(&self) -> String {
        let at = format_instant(self.at);
        hex(&self.as_stored(&at).digest(&mut Vec::new()))
    }

    /// The entry as its row stores it, with `at` in its stored form.
    fn as_stored<'a>(&'a self, at: &'a str) -> StoredEntry<'a> {
        StoredEntry {
            seq: self.seq,
            at,
            actor: &self.actor,
            actor_role: self.actor_role.as_deref(),
            entity: &self.entity,
            entity_id: &self.entity_id,
            field: &self.field,
            old_value: self.old_value.as_deref(),
            new_value: self.new_value.as_deref(),
            reason: self.reason.as_deref(),
            prev_hash: &self.prev_hash,
            hash: &self.hash,
        }
    }

    /// Reads a row of [`ENTRY_COLUMNS`], by position (a lookup by name per column per row is most of a long
    /// verification's time).
    fn from_row(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
        let at: String = row.get(1)?;
        let at = DateTime::parse_from_rfc3339(&at)
            .map(|t| t.with_timezone(&Utc))
            // An unparseable time can only come from outside the app; keep the row readable so verify names it.
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        Ok(AuditEntry {
            seq: row.get(0)?,
            at,
            actor: row.get(2)?,
            actor_role: row.get(3)?,
            entity: row.get(4)?,
            entity_id: row.get(5)?,
            field: row.get(6)?,
            old_value: row.get(7)?,
            new_value: row.get(8)?,
            reason: row.get(9)?,
            prev_hash: row.get(10)?,
            hash: row.get(11)?,
        })
    }
}

/// The columns [`AuditEntry::from_row`] reads, in its order.
const ENTRY_COLUMNS: &str =
    "seq, at, actor, actor_role, entity, entity_id, field, old_value, new_value, reason, prev_hash, hash";

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = vec![0u8; bytes.len() * 2];
    hex_into(bytes, &mut out);
    // Hex digits are ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// Instants are stored and hashed in one fixed form: UTC, microseconds, `Z`.
pub fn format_instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The newest entry of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

impl Head {
    pub(crate) fn read(conn: &Connection) -> Result<Head> {
        Ok(conn.query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
            Ok(Head { seq: r.get(0)?, hash: r.get(1)? })
        })?)
    }

    /// The head as the log itself says (the last entry), which `verify` compares with the recorded head.
    pub(crate) fn of_log(conn: &Connection) -> Result<Option<Head>> {
        Ok(conn
            .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
                Ok(Head { seq: r.get(0)?, hash: r.get(1)? })
            })
            .optional()?)
    }

    pub(crate) fn write(&self, conn: &Connection) -> Result<()> {
        conn.execute("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1", params![self.seq, self.hash])?;
        Ok(())
    }
}

/// Appends an entry, given as it is to be stored (its hash computed).
pub(crate) fn insert(conn: &Connection, e: &StoredEntry<'_>) -> Result<()> {
    // Cached: a transaction that imports many rows appends many entries.
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, actor_role, entity, entity_id, field, old_value, new_value, reason, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        e.seq,
        e.at,
        e.actor,
        e.actor_role,
        e.entity,
        e.entity_id,
        e.field,
        e.old_value,
        e.new_value,
        e.reason,
        e.prev_hash,
        e.hash
    ])?;
    Ok(())
}

/// One stored entry as its row holds it, borrowed from the row: what `verify` checks, without copying or parsing
/// anything (a long trail has millions of them).
pub(crate) struct StoredEntry<'r> {
    pub seq: i64,
    pub at: &'r str,
    pub actor: &'r str,
    pub actor_role: Option<&'r str>,
    pub entity: &'r str,
    pub entity_id: &'r str,
    pub field: &'r str,
    pub old_value: Option<&'r str>,
    pub new_value: Option<&'r str>,
    pub reason: Option<&'r str>,
    pub prev_hash: &'r str,
    pub hash: &'r str,
}

impl StoredEntry<'_> {
    /// Whether the stored hash is the SHA-256 of the stored content, in the form [`AuditEntry::compute_hash`]
    /// hashes. The time is hashed as stored: Firebreak stores it in the one form it hashes, so another spelling of
    /// the same instant is a change. `buffer` is reused from entry to entry.
    pub fn hash_holds(&self, buffer: &mut Vec<u8>) -> bool {
        let mut expected = [0u8; 64];
        hex_into(&self.digest(buffer), &mut expected);
        expected[..] == *self.hash.as_bytes()
    }

    /// SHA-256 over a canonical JSON array of every stored column but the hash itself, the previous hash included.
    /// Serialised from a tuple, which gives the same compact JSON as a `json!` array without building a `Value`.
    pub fn digest(&self, buffer: &mut Vec<u8>) -> [u8; 32] {
        buffer.clear();
        let content = (
            self.seq,
            self.at,
            self.actor,
            self.actor_role,
            self.entity,
            self.entity_id,
            self.field,
            self.old_value,
            self.new_value,
            self.reason,
            self.prev_hash,
        );
        // Writing strings and integers into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *buffer, &content);
        Sha256::digest(&buffer[..]).into()
    }
}

fn hex_into(bytes: &[u8], out: &mut [u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = DIGITS[(b >> 4) as usize];
        out[2 * i + 1] = DIGITS[(b & 0x0f) as usize];
    }
}

/// Every entry in chain order, handed to `visit` one at a time so verifying a long trail needs little memory.
pub(crate) fn for_each_entry(conn: &Connection, mut visit: impl FnMut(&StoredEntry<'_>) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<&str> { Ok(row.get_ref(i)?.as_str()?) };
        let optional = |i: usize| -> rusqlite::Result<Option<&str>> { Ok(row.get_ref(i)?.as_str_or_null()?) };
        visit(&StoredEntry {
            seq: row.get(0)?,
            at: text(1)?,
            actor: text(2)?,
            actor_role: optional(3)?,
            entity: text(4)?,
            entity_id: text(5)?,
            field: text(6)?,
            old_value: optional(7)?,
            new_value: optional(8)?,
            reason: optional(9)?,
            prev_hash: text(10)?,
            hash: text(11)?,
        })?;
    }
    Ok(())
}

/// The entries of one record, oldest first.
pub fn entries_for(conn: &Connection, entity: Entity, entity_id: &str) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn
        .prepare(&format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq"))?;
    let rows = stmt.query_map(params![entity.as_str(), entity_id], AuditEntry::from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One record's audited fields with their values, as stored: (record ID, [(field, value)]).
pub(crate) type StoredRecord = (String, Vec<(String, Option<String>)>);

/// Reads one stored record from its row.
pub(crate) type DecodeRecord = dyn Fn(&Row<'_>) -> Result<StoredRecord>;

/// How `verify` reads every stored record of one entity, one at a time and in record-ID order (byte order, as
/// the audit trail's index sorts them), so that it can walk the records beside their audit entries.
pub(crate) enum StoredRecords {
    /// A query ordered by record ID, and how to read one record from its row.
    Query { sql: String, decode: Box<DecodeRecord> },
    /// Records already read (a small table whose records span several rows), sorted by ID.
    Listed(Vec<StoredRecord>),
}

/// The fields a creation entry's value records: a row created in one entry holds its non-empty fields as one JSON
/// object. A creation entry of the older form (no value, or a record's name) records none: its fields have entries
/// of their own.
pub(crate) fn created_fields(value: Option<&str>) -> Option<Vec<(String, Option<String>)>> {
    let value = value?;
    if !value.starts_with('{') {
        return None;
    }
    let serde_json::Value::Object(map) = serde_json::from_str::<serde_json::Value>(value).ok()? else {
        return None;
    };
    Some(map.into_iter().map(|(field, v)| (field, canonical(&v))).collect())
}

/// The canonical audited form of a field value: compact JSON, with "nothing" (null, "", []) as `None`, so that
/// the audit trail and `verify` agree on what equal values are.
pub fn canonical(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) if s.is_empty() => None,
        serde_json::Value::Array(a) if a.is_empty() => None,
        // Serialising a `Value` cannot fail; `to_string` writes it without the formatting machinery of Display.
        other => serde_json::to_string(other).ok(),
    }
}

#[cfg(test)]
mod hash_form {
    use super::*;

    /// The hash form is part of every stored trail: entries written by earlier versions (hashed over a `json!`
    /// array) must keep verifying.
    #[test]
    fn the_hash_is_the_same_as_over_a_json_array() {
        let texts =
            ["plain", "quote \" backslash \\ slash /", "Zoë Ελένη 日本 🚀", "\u{0}\u{1b}[31m\n\t\u{2028}\u{7f}", ""];
        for (n, text) in texts.iter().enumerate() {
            let entry = AuditEntry {
                seq: n as i64 * 1_000_003,
                at: Utc::now(),
                actor: text.to_string(),
                actor_role: (n % 2 == 0).then(|| text.to_string()),
                entity: "incident".into(),
                entity_id: text.to_string(),
                field: "title".into(),
                old_value: None,
                new_value: Some(format!("\"{text}\"")),
                reason: (n % 3 == 0).then(|| text.to_string()),
                prev_hash: GENESIS_HASH.into(),
                hash: String::new(),
            };
            let old_form = serde_json::json!([
                entry.seq,
                format_instant(entry.at),
                entry.actor,
                entry.actor_role,
                entry.entity,
                entry.entity_id,
                entry.field,
                entry.old_value,
                entry.new_value,
                entry.reason,
                entry.prev_hash,
            ]);
            let expected: String =
                Sha256::digest(old_form.to_string().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(entry.compute_hash(), expected, "{text:?}");
            let at = format_instant(entry.at);
            let stored = StoredEntry { hash: &expected, ..entry.as_stored(&at) };
            assert!(stored.hash_holds(&mut Vec::new()), "verify hashes as the writer does: {text:?}");
            assert!(!StoredEntry { actor: "someone else", ..stored }.hash_holds(&mut Vec::new()));
        }
    }
}
