//! `verify`: proves the audit trail is intact and that every current value is the last audited one, so that any
//! edit made to the database file outside Firebreak is found and named.

use crate::audit::{self, Entity, Head, StoredEntry, StoredRecord, StoredRecords, GENESIS_HASH};
use crate::error::Result;
use crate::seal::{self, Seal};
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
    /// An imported trace's runs or steps differ from what the import wrote (changed, added or deleted rows).
    TraceRowsChanged,
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

/// What the audit trail says one record holds: read one record at a time, so verifying needs little memory
/// however long the trail.
struct Audited {
    id: String,
    /// The record's first entry.
    first_seq: i64,
    created: bool,
    /// A row created in one entry: that entry's seq and value (the row's fields as one JSON object).
    snapshot: Option<(i64, String)>,
    /// The fields set by entries of their own (changes, and every field of a record of the older form).
    fields: BTreeMap<String, (i64, Option<String>)>,
}

impl Audited {
    /// Every field's last audited value: the snapshot's, then each later change.
    fn expand(&mut self) {
        if let Some((seq, snapshot)) = self.snapshot.take() {
            for (field, value) in audit::created_fields(Some(&snapshot)).unwrap_or_default() {
                self.fields.entry(field).or_insert((seq, value));
            }
        }
    }
}

pub fn verify(store: &Store) -> Result<VerifyReport> {
    verify_against(store, &[], &mut |_| {})
}

/// How far a verification has come: entries read of the two passes over the trail (its chain, then the records
/// beside their entries), out of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "VerifyProgress.ts")]
pub struct VerifyProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// How many entries pass between two progress reports.
const PROGRESS_EVERY: u64 = 50_000;

/// Like [`verify`], and also proves the trail still extends each of `outside` — seals kept elsewhere (a seal file,
/// the anchor printed on a document), which a rewrite of the database cannot reach. `progress` hears how far it
/// has come every few tens of thousands of entries.
pub fn verify_against(
    store: &Store,
    outside: &[Outside],
    progress: &mut dyn FnMut(VerifyProgress),
) -> Result<VerifyReport> {
    let conn = store.connect()?;
    // One read transaction: a consistent snapshot even while another process writes.
    conn.execute_batch("BEGIN DEFERRED")?;
    let report = check(&conn, outside, progress);
    conn.execute_batch("COMMIT")?;
    report
}

/// A head known from outside the database: a seal (signed) or an anchor `SEQ:HASH` (as a document prints it).
#[derive(Debug, Clone)]
pub enum Outside {
    Seal(Seal),
    Anchor { seq: i64, hash: String },
}

fn check(conn: &Connection, outside: &[Outside], progress: &mut dyn FnMut(VerifyProgress)) -> Result<VerifyReport> {
    let mut problems = Vec::new();
    let mut chain_ok = true;
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut next_seq = 1;
    let mut entries = 0;
    let total: i64 = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
    let total = 2 * total.max(0) as u64;
    let mut done = 0u64;
    let mut tick = |done: &mut u64| {
        *done += 1;
        if *done % PROGRESS_EVERY == 0 {
            progress(VerifyProgress { done: *done, total });
        }
    };
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

    // First pass, in chain order: every entry's hash and link.
    let mut buffer = Vec::with_capacity(1024);
    audit::for_each_entry(conn, |e: &StoredEntry<'_>| {
        entries += 1;
        tick(&mut done);
        if claimed.contains_key(&e.seq) {
            found.insert(e.seq, e.hash.to_string());
        }
        if chain_ok {
            if let Some(problem) = chain_problem(e, next_seq, &prev_hash, &mut buffer) {
                problems.push(problem);
                chain_ok = false;
            }
        }
        prev_hash.clear();
        prev_hash.push_str(e.hash);
        next_seq = e.seq + 1;
        Ok(())
    })?;

    let recorded = Head::read(conn)?;
    let last = Head::of_log(conn)?.unwrap_or(Head { seq: 0, hash: GENESIS_HASH.to_string() });
    if chain_ok && recorded != last {
        problems.push(head_problem(&recorded, &last));
    }

    // Second pass, record by record: each entity's stored records beside their entries, both in record-ID order.
    let mut value_problems = Vec::new();
    let mut sources = vec![
        (Entity::Incident, incident::stored_records()),
        (Entity::Person, people::stored_records()),
        (Entity::Settings, profile::stored_records(conn)?),
    ];
    let tables = crate::phases::tables()
        .chain(crate::report::TABLES.iter().copied())
        .chain(crate::investigation::TABLES.iter().copied());
    for table in tables {
        sources.push((table.entity, table.stored_records()));
    }
    let mut walk = |entity: &str, source: Option<(Entity, StoredRecords)>| -> Result<()> {
        walk_entity(conn, entity, source, &mut value_problems, &mut || tick(&mut done))
    };
    let known: Vec<&'static str> = sources.iter().map(|(e, _)| e.as_str()).collect();
    for (entity, source) in sources {
        walk(entity.as_str(), Some((entity, source)))?;
    }
    // Entries naming an entity Firebreak has no table for were written by another program.
    let mut stmt = conn.prepare("SELECT DISTINCT entity FROM audit_log")?;
    let strangers: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|e| !known.contains(&e.as_str()))
        .collect();
    for entity in strangers {
        walk(&entity, None)?;
    }
    problems.extend(value_problems);
    problems.extend(trace_problems(conn)?);

    let (seal_problems, latest_seal) = seal_problems(&kept, outside, &claimed, &found);
    problems.extend(seal_problems);
    let seals = (kept.len() + outside.len()) as u64;
    progress(VerifyProgress { done: total, total });
    Ok(VerifyReport { intact: problems.is_empty(), entries, head_hash: last.hash, problems, seals, latest_seal })
}

/// The next stored record of an entity, in record-ID order.
type NextStored<'a> = dyn FnMut() -> Result<Option<StoredRecord>> + 'a;

/// Walks one entity's audited records (from its entries) beside its stored records, both sorted by record ID,
/// and notes each record that differs, has no trail, or is gone.
fn walk_entity(
    conn: &Connection,
    entity_key: &str,
    source: Option<(Entity, StoredRecords)>,
    problems: &mut Vec<Problem>,
    tick: &mut dyn FnMut(),
) -> Result<()> {
    let mut audited = AuditedRecords::new(conn, entity_key)?;
    let mut rows = audited.rows()?;
    let mut next_audited = || AuditedRecords::next(&mut rows, tick);
    let mut listed;
    let mut stmt;
    let mut query_rows;
    let (entity, mut next_stored): (Option<Entity>, Box<NextStored>) = match source {
        None => (None, Box::new(|| Ok(None))),
        Some((entity, StoredRecords::Listed(records))) => {
            listed = records.into_iter();
            (Some(entity), Box::new(move || Ok(listed.next())))
        }
        Some((entity, StoredRecords::Query { sql, decode })) => {
            stmt = conn.prepare(&sql)?;
            query_rows = stmt.query([])?;
            let rows = &mut query_rows;
            (
                Some(entity),
                Box::new(move || match rows.next()? {
                    Some(row) => Ok(Some(decode(row)?)),
                    None => Ok(None),
                }),
            )
        }
    };
    let mut a = next_audited()?;
    let mut s = next_stored()?;
    loop {
        if problems.len() >= MAX_VALUE_PROBLEMS {
            return Ok(());
        }
        let order = match (&a, &s) {
            (None, None) => return Ok(()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(a), Some((id, _))) => a.id.as_str().cmp(id.as_str()),
        };
        match order {
            std::cmp::Ordering::Less => {
                let record = a.take().expect("audited record present");
                if let Some(p) = missing(entity_key, record) {
                    problems.push(p);
                }
                a = next_audited()?;
            }
            std::cmp::Ordering::Greater => {
                let (id, fields) = s.take().expect("stored record present");
                if let Some(entity) = entity {
                    problems.push(unaudited(conn, entity, &id, &fields));
                }
                s = next_stored()?;
            }
            std::cmp::Ordering::Equal => {
                let record = a.take().expect("audited record present");
                let (id, fields) = s.take().expect("stored record present");
                if let Some(entity) = entity {
                    compare(conn, entity, &id, fields, record, problems);
                }
                a = next_audited()?;
                s = next_stored()?;
            }
        }
    }
}

/// One entity's audit entries in record order (the trail's index on entity, record, seq), grouped by record.
struct AuditedRecords<'c> {
    stmt: rusqlite::Statement<'c>,
    entity: String,
}

impl<'c> AuditedRecords<'c> {
    fn new(conn: &'c Connection, entity: &str) -> Result<Self> {
        let stmt = conn.prepare(
            "SELECT seq, entity_id, field, new_value FROM audit_log WHERE entity = ?1 ORDER BY entity_id, seq",
        )?;
        Ok(AuditedRecords { stmt, entity: entity.to_string() })
    }

    fn rows(&mut self) -> Result<Peeked<'_>> {
        let rows = self.stmt.query([&self.entity])?;
        Ok(Peeked { rows, pending: None })
    }

    /// The next record with everything its entries say it holds.
    fn next(rows: &mut Peeked<'_>, tick: &mut dyn FnMut()) -> Result<Option<Audited>> {
        let Some(first) = rows.pop()? else { return Ok(None) };
        let mut record = Audited {
            id: first.1.clone(),
            first_seq: first.0,
            created: false,
            snapshot: None,
            fields: BTreeMap::new(),
        };
        let mut entry = Some(first);
        while let Some((seq, id, field, value)) = entry {
            if id != record.id {
                rows.pending = Some((seq, id, field, value));
                break;
            }
            tick();
            if field == audit::CREATED {
                record.created = true;
                // Kept as text: most rows never change, and their stored fields are compared with it whole.
                record.snapshot = value.filter(|v| v.starts_with('{')).map(|v| (seq, v));
            } else {
                record.fields.insert(field, (seq, value));
            }
            entry = rows.pop()?;
        }
        Ok(Some(record))
    }
}

type EntryFacts = (i64, String, String, Option<String>);

/// Rows with one row of look-ahead, to see where a record's entries end.
struct Peeked<'s> {
    rows: rusqlite::Rows<'s>,
    pending: Option<EntryFacts>,
}

impl Peeked<'_> {
    fn pop(&mut self) -> Result<Option<EntryFacts>> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        Ok(match self.rows.next()? {
            Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            None => None,
        })
    }
}

/// A record the trail has that the database lacks: a record the trail created, or one whose audited fields still
/// held something (settings, which are never "created").
fn missing(entity_key: &str, mut record: Audited) -> Option<Problem> {
    record.expand();
    if !record.created && !record.fields.values().any(|(_, v)| v.is_some()) {
        return None;
    }
    let entity = Entity::parse(entity_key);
    let id = record.id;
    Some(Problem {
        kind: ProblemKind::MissingRecord,
        seq: Some(record.first_seq),
        entity,
        record: Some(id.clone()),
        field: None,
        message: format!(
            "The {} {id} recorded in the audit trail is missing from the database: it was deleted outside Firebreak.",
            entity.map(Entity::label).unwrap_or("record")
        ),
    })
}

fn unaudited(conn: &Connection, entity: Entity, id: &str, fields: &[(String, Option<String>)]) -> Problem {
    let record_name = record_name(conn, entity, id, fields);
    Problem {
        kind: ProblemKind::UnauditedRecord,
        seq: None,
        entity: Some(entity),
        record: Some(record_name.clone()),
        field: None,
        message: format!(
            "The {} {record_name} has no audit trail: it was added to the database outside Firebreak.",
            entity.label()
        ),
    }
}

/// Imported traces whose rows no longer hash to the digest their (audited) import recorded, and rows that belong to
/// no import.
fn trace_problems(conn: &Connection) -> Result<Vec<Problem>> {
    let (changed, strays) = crate::investigation::changed_rows(conn)?;
    let mut problems = Vec::new();
    for c in changed {
        let incident = incident::display_id(conn, &c.incident).unwrap_or_else(|| c.incident.clone());
        problems.push(Problem {
            kind: ProblemKind::TraceRowsChanged,
            seq: None,
            entity: Some(Entity::TraceImport),
            record: Some(incident.clone()),
            field: None,
            message: format!(
                "The trace import {} of {incident} no longer holds the runs and steps it wrote: steps were changed, \
                 added or deleted outside Firebreak. The evidence file ({}) still holds the original.",
                c.import, c.file
            ),
        });
    }
    for import in strays {
        problems.push(Problem {
            kind: ProblemKind::TraceRowsChanged,
            seq: None,
            entity: Some(Entity::TraceImport),
            record: None,
            field: None,
            message: format!(
                "Trace steps or runs name an import {import} that Firebreak never made: they were added outside \
                 Firebreak."
            ),
        });
    }
    Ok(problems)
}

/// The record in human terms for messages.
fn record_name(conn: &Connection, entity: Entity, id: &str, fields: &[(String, Option<String>)]) -> String {
    match entity {
        Entity::Incident => incident::display_id(conn, id).unwrap_or_else(|| id.to_string()),
        Entity::Person => fields
            .iter()
            .find(|(f, _)| f == "name")
            .and_then(|(_, v)| v.clone())
            .map(|v| serde_json::from_str::<String>(&v).unwrap_or(v))
            .unwrap_or_else(|| id.to_string()),
        Entity::Settings => format!("settings ({id})"),
        _ => id.to_string(),
    }
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
    let local = seal::local_public_key();
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

fn chain_problem(e: &StoredEntry<'_>, next_seq: i64, prev_hash: &str, buffer: &mut Vec<u8>) -> Option<Problem> {
    let problem = |kind, message: String| Problem {
        kind,
        seq: Some(e.seq),
        entity: Entity::parse(e.entity),
        record: Some(e.entity_id.to_string()),
        field: Some(e.field.to_string()),
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
    if !e.hash_holds(buffer) {
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

/// Compares one stored record with what the audit trail says it holds.
fn compare(
    conn: &Connection,
    entity: Entity,
    id: &str,
    fields: Vec<(String, Option<String>)>,
    mut audited: Audited,
    problems: &mut Vec<Problem>,
) {
    // The common case, a row unchanged since it was created in one entry: its stored fields, written the way that
    // entry was, are the entry's value byte for byte.
    if let (Some((_, snapshot)), true) = (&audited.snapshot, audited.fields.is_empty()) {
        if crate::record::snapshot_of(&fields) == *snapshot {
            return;
        }
    }
    audited.expand();
    // A field the trail gave a value that the database no longer holds at all (a settings row deleted) is as
    // changed as one holding something else.
    let stored: std::collections::BTreeSet<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    let vanished: Vec<(String, Option<String>)> = audited
        .fields
        .iter()
        .filter(|(f, (_, v))| v.is_some() && !stored.contains(f.as_str()))
        .map(|(f, _)| (f.clone(), None))
        .collect();
    let mut name = None;
    for (field, actual) in fields.iter().cloned().chain(vanished) {
        let (seq, audited_value) = audited.fields.get(&field).cloned().unwrap_or((0, None));
        if audited_value == actual {
            continue;
        }
        let record_name = name.get_or_insert_with(|| record_name(conn, entity, id, &fields)).clone();
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
