//! `verify`: proves the audit trail is intact and that every current value is the last audited one, so that any
//! edit made to the database file outside Firebreak is found and named.

use crate::audit::{self, AuditEntry, Entity, Head, GENESIS_HASH};
use crate::error::Result;
use crate::seal::{self, Seal, SealKey};
use crate::store::Store;
use crate::{incident, people, profile};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

/// Enough value mismatches to show the extent of an outside edit without flooding the screen.
const MAX_VALUE_PROBLEMS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ProblemKind.ts")]
pub enum ProblemKind {
    /// An entry's content no longer matches its hash.
    EntryModified,
    /// Entries are missing from the middle or the end of the trail.
    EntryMissing,
    /// An entry does not chain to the one before it (reordered or inserted).
    EntryOutOfOrder,
    /// Entries exist beyond the recorded head of the trail.
    EntryAdded,
    /// A current value differs from its last audited value.
    ValueMismatch,
    /// A record exists without any audit entries.
    UnauditedRecord,
    /// The trail says a record exists, but it is gone.
    MissingRecord,
    /// The trail no longer extends a sealed head: its history up to that entry was rewritten.
    SealBroken,
    /// A seal's signature does not hold.
    SealInvalid,
    /// A seal was made with another key than this installation's.
    SealForeign,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "Problem.ts")]
pub struct Problem {
    pub kind: ProblemKind,
    /// The audit entry concerned, if any.
    #[ts(type = "number | null")]
    pub seq: Option<i64>,
    pub entity: Option<Entity>,
    /// The record in human terms (incident ID, person's name, "your profile").
    pub record: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "VerifyReport.ts")]
pub struct VerifyReport {
    pub intact: bool,
    #[ts(type = "number")]
    pub entries: i64,
    /// The hash of the newest entry: quoted on exported documents so a copy can be checked against the trail.
    pub head_hash: String,
    pub problems: Vec<Problem>,
    /// Seals checked (those kept in the database and any given to check against).
    #[ts(type = "number")]
    pub seals: u64,
    /// The newest seal the trail still extends.
    pub latest_seal: Option<Seal>,
}

impl VerifyReport {
    /// One line for the status bar, the CLI and PDF integrity lines.
    pub fn summary(&self) -> String {
        match self.problems.first() {
            None => {
                let seals = match (&self.latest_seal, self.seals) {
                    (Some(s), n) => format!(" {n} seal(s) hold; the newest seals entry #{}.", s.seq),
                    (None, 0) => String::new(),
                    (None, n) => format!(" {n} seal(s) hold."),
                };
                format!(
                    "Record intact: {} audit entries verified, chain head {}.{seals}",
                    self.entries,
                    short(&self.head_hash)
                )
            }
            Some(first) if self.problems.len() == 1 => {
                format!("Record NOT intact: {}", first.message)
            }
            Some(first) => format!("Record NOT intact ({} problems). First: {}", self.problems.len(), first.message),
        }
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(16)]
}

#[derive(Default)]
struct Expected {
    created: bool,
    fields: BTreeMap<String, (i64, Option<String>)>,
}

pub fn verify(store: &Store) -> Result<VerifyReport> {
    verify_against(store, &[])
}

/// Like [`verify`], and also proves the trail still extends each of `outside` — seals kept elsewhere (a seal file,
/// the anchor printed on a document), which a rewrite of the database cannot reach.
pub fn verify_against(store: &Store, outside: &[Outside]) -> Result<VerifyReport> {
    let conn = store.connect()?;
    // One read transaction: a consistent snapshot even while another process writes.
    conn.execute_batch("BEGIN DEFERRED")?;
    let report = check(&conn, outside);
    conn.execute_batch("COMMIT")?;
    report
}

/// A head known from outside the database: a seal (signed) or an anchor `SEQ:HASH` (as a document prints it).
#[derive(Debug, Clone)]
pub enum Outside {
    Seal(Seal),
    Anchor { seq: i64, hash: String },
}

fn check(conn: &Connection, outside: &[Outside]) -> Result<VerifyReport> {
    let mut problems = Vec::new();
    let mut expected: BTreeMap<(String, String), Expected> = BTreeMap::new();
    let mut chain_ok = true;
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut next_seq = 1;
    let mut entries = 0;
    let kept = seal::kept(conn)?;
    // Every head the trail must still extend: seq → the hashes claimed for it.
    let mut claimed: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for s in &kept {
        claimed.entry(s.seq).or_default().push(s.head_hash.clone());
    }
    for o in outside {
        let (seq, hash) = match o {
            Outside::Seal(s) => (s.seq, s.head_hash.clone()),
            Outside::Anchor { seq, hash } => (*seq, hash.clone()),
        };
        claimed.entry(seq).or_default().push(hash);
    }
    // What the trail has at each claimed seq (the genesis hash at 0).
    let mut found: BTreeMap<i64, String> = BTreeMap::new();
    if claimed.contains_key(&0) {
        found.insert(0, GENESIS_HASH.to_string());
    }

    audit::for_each_entry(conn, |e: AuditEntry| {
        entries += 1;
        if claimed.contains_key(&e.seq) {
            found.insert(e.seq, e.hash.clone());
        }
        if chain_ok {
            if let Some(problem) = chain_problem(&e, next_seq, &prev_hash) {
                problems.push(problem);
                chain_ok = false;
            }
        }
        let record = expected.entry((e.entity.clone(), e.entity_id.clone())).or_default();
        if e.field == audit::CREATED {
            record.created = true;
        } else {
            record.fields.insert(e.field.clone(), (e.seq, e.new_value.clone()));
        }
        prev_hash = e.hash;
        next_seq = e.seq + 1;
        Ok(())
    })?;

    let recorded = Head::read(conn)?;
    let last = Head::of_log(conn)?.unwrap_or(Head { seq: 0, hash: GENESIS_HASH.to_string() });
    if chain_ok && recorded != last {
        problems.push(head_problem(&recorded, &last));
    }

    let mut value_problems = Vec::new();
    for (entity, state) in [
        (Entity::Incident, incident::stored_state(conn)?),
        (Entity::Person, people::stored_state(conn)?),
        (Entity::Settings, profile::stored_state(conn)?),
    ] {
        compare(conn, entity, state, &mut expected, &mut value_problems);
    }
    for table in crate::phases::TABLES.iter().chain(crate::report::TABLES) {
        compare(conn, table.entity, table.stored_state(conn)?, &mut expected, &mut value_problems);
    }
    for ((entity, id), record) in &expected {
        // Gone: a record the trail created, or one whose audited fields still held something (settings).
        if record.created || record.fields.values().any(|(_, v)| v.is_some()) {
            let entity = Entity::parse(entity);
            value_problems.push(Problem {
                kind: ProblemKind::MissingRecord,
                seq: record.fields.values().map(|(seq, _)| *seq).min(),
                entity,
                record: Some(id.clone()),
                field: None,
                message: format!(
                    "The {} {id} recorded in the audit trail is missing from the database: it was deleted outside Firebreak.",
                    entity.map(Entity::label).unwrap_or("record")
                ),
            });
        }
    }
    value_problems.truncate(MAX_VALUE_PROBLEMS);
    problems.extend(value_problems);

    let (seal_problems, latest_seal) = seal_problems(&kept, outside, &claimed, &found);
    problems.extend(seal_problems);
    let seals = (kept.len() + outside.len()) as u64;
    Ok(VerifyReport { intact: problems.is_empty(), entries, head_hash: last.hash, problems, seals, latest_seal })
}

/// Checks each seal's signature and key, and that the trail still has the sealed hash at the sealed entry. A
/// rewrite shows as the first sealed entry whose hash changed, after the last one that still matches.
fn seal_problems(
    kept: &[Seal],
    outside: &[Outside],
    claimed: &BTreeMap<i64, Vec<String>>,
    found: &BTreeMap<i64, String>,
) -> (Vec<Problem>, Option<Seal>) {
    let mut problems = Vec::new();
    let local = SealKey::existing().map(|k| k.public_key());
    let problem = |kind, seq: i64, message: String| Problem {
        kind,
        seq: Some(seq),
        entity: None,
        record: None,
        field: None,
        message,
    };
    let outside_seals = outside.iter().filter_map(|o| match o {
        Outside::Seal(s) => Some(s),
        Outside::Anchor { .. } => None,
    });
    for s in kept.iter().chain(outside_seals) {
        if !s.signature_holds() {
            problems.push(problem(
                ProblemKind::SealInvalid,
                s.seq,
                format!(
                    "The seal of entry #{} made {} does not hold: its signature is not its key's. It was forged or altered.",
                    s.seq,
                    audit::format_instant(s.at)
                ),
            ));
        } else if local.as_deref().is_some_and(|k| k != s.public_key) {
            problems.push(problem(
                ProblemKind::SealForeign,
                s.seq,
                format!(
                    "The seal of entry #{} was made with another key ({}…) than this installation's: someone else \
                     sealed this trail, perhaps after rewriting it.",
                    s.seq,
                    s.key_fingerprint()
                ),
            ));
        }
    }
    let matches = |seq: &i64, hash: &String| found.get(seq) == Some(hash);
    let last_good =
        claimed.iter().filter(|(seq, hashes)| hashes.iter().all(|h| matches(seq, h))).map(|(s, _)| *s).max();
    let mut broken: Vec<i64> =
        claimed.iter().filter(|(seq, hashes)| hashes.iter().any(|h| !matches(seq, h))).map(|(s, _)| *s).collect();
    broken.sort();
    if let Some(&first) = broken.first() {
        let since = match last_good.filter(|g| *g < first) {
            Some(g) => format!("after entry #{g} (which still matches its seal)"),
            None => "from the start".to_string(),
        };
        let now = match found.get(&first) {
            Some(hash) => format!("entry #{first} now has hash {}…", &hash[..hash.len().min(12)]),
            None => format!("entry #{first} is gone"),
        };
        problems.push(problem(
            ProblemKind::SealBroken,
            first,
            format!(
                "The trail no longer extends the head sealed at entry #{first}: {now}. Its history was rewritten \
                 {since}, and every hash recomputed; entry #{first} is the first sealed entry that no longer matches."
            ),
        ));
    }
    let latest = kept
        .iter()
        .filter(|s| s.signature_holds() && matches(&s.seq, &s.head_hash))
        .max_by_key(|s| (s.seq, s.at))
        .cloned();
    (problems, latest)
}

fn chain_problem(e: &AuditEntry, next_seq: i64, prev_hash: &str) -> Option<Problem> {
    let problem = |kind, message: String| Problem {
        kind,
        seq: Some(e.seq),
        entity: Entity::parse(&e.entity),
        record: Some(e.entity_id.clone()),
        field: Some(e.field.clone()),
        message,
    };
    if e.seq > next_seq {
        let gap =
            if e.seq - 1 == next_seq { format!("#{next_seq} is") } else { format!("#{next_seq}–#{} are", e.seq - 1) };
        return Some(problem(
            ProblemKind::EntryMissing,
            format!("Audit entry {gap} missing: deleted from the database outside Firebreak."),
        ));
    }
    if e.compute_hash() != e.hash {
        return Some(problem(
            ProblemKind::EntryModified,
            format!(
                "Audit entry #{} ({} of {} {}) was altered after it was written: its content no longer matches its hash.",
                e.seq, e.field, e.entity, e.entity_id
            ),
        ));
    }
    if e.seq < next_seq || e.prev_hash != prev_hash {
        return Some(problem(
            ProblemKind::EntryOutOfOrder,
            format!(
                "Audit entry #{} does not follow entry #{}: entries were reordered or an entry was inserted outside Firebreak.",
                e.seq,
                next_seq - 1
            ),
        ));
    }
    None
}

fn head_problem(recorded: &Head, last: &Head) -> Problem {
    let (kind, seq, message) = if last.seq < recorded.seq {
        let gap = if last.seq + 1 == recorded.seq {
            format!("entry #{} is", recorded.seq)
        } else {
            format!("entries #{}–#{} are", last.seq + 1, recorded.seq)
        };
        (ProblemKind::EntryMissing, last.seq + 1, format!("The newest audit {gap} missing: deleted outside Firebreak."))
    } else {
        (
            ProblemKind::EntryAdded,
            recorded.seq + 1,
            format!(
                "Audit entries after #{} were added outside Firebreak (the trail's recorded head is #{}).",
                recorded.seq, recorded.seq
            ),
        )
    };
    Problem { kind, seq: Some(seq), entity: None, record: None, field: None, message }
}

/// Compares one entity's stored rows with what the audit trail says they hold, removing each compared record
/// from `expected` so that what remains there is missing from the database.
fn compare(
    conn: &Connection,
    entity: Entity,
    state: audit::StoredState,
    expected: &mut BTreeMap<(String, String), Expected>,
    problems: &mut Vec<Problem>,
) {
    for (id, fields) in state {
        let record_name = match entity {
            Entity::Incident => incident::display_id(conn, &id).unwrap_or_else(|| id.clone()),
            Entity::Person => fields
                .iter()
                .find(|(f, _)| f == "name")
                .and_then(|(_, v)| v.clone())
                .map(|v| serde_json::from_str::<String>(&v).unwrap_or(v))
                .unwrap_or_else(|| id.clone()),
            Entity::Settings => format!("settings ({id})"),
            _ => id.clone(),
        };
        let Some(audited) = expected.remove(&(entity.as_str().to_string(), id.clone())) else {
            problems.push(Problem {
                kind: ProblemKind::UnauditedRecord,
                seq: None,
                entity: Some(entity),
                record: Some(record_name.clone()),
                field: None,
                message: format!(
                    "The {} {record_name} has no audit trail: it was added to the database outside Firebreak.",
                    entity.label()
                ),
            });
            continue;
        };
        // A field the trail gave a value that the database no longer holds at all (a settings row deleted) is as
        // changed as one holding something else.
        let stored: std::collections::BTreeSet<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        let vanished: Vec<(String, Option<String>)> = audited
            .fields
            .iter()
            .filter(|(f, (_, v))| v.is_some() && !stored.contains(f.as_str()))
            .map(|(f, _)| (f.clone(), None))
            .collect();
        for (field, actual) in fields.into_iter().chain(vanished) {
            let (seq, audited_value) = audited.fields.get(&field).cloned().unwrap_or((0, None));
            if audited_value != actual {
                let last = if seq == 0 {
                    "never set in the audit trail".to_string()
                } else {
                    format!("last audited in entry #{seq} as {}", shown(&audited_value))
                };
                problems.push(Problem {
                    kind: ProblemKind::ValueMismatch,
                    seq: (seq > 0).then_some(seq),
                    entity: Some(entity),
                    record: Some(record_name.clone()),
                    field: Some(field.clone()),
                    message: format!(
                        "{} {record_name}, field \"{field}\": the database holds {} but it was {last}. It was changed outside Firebreak.",
                        capitalized(entity.label()),
                        shown(&actual)
                    ),
                });
            }
        }
    }
}

fn shown(value: &Option<String>) -> String {
    match value {
        None => "nothing".to_string(),
        Some(v) => {
            let v: String = v.chars().take(80).collect();
            v
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
