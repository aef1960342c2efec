//! Firebreak's documents, as PDF: the full incident report, the one-page summary, the regulator notification,
//! the postmortem pack and the breach register extract. The CLI and the desktop app call the same functions here,
//! so they write the same bytes. Each document is recorded in the audit trail (the ledger) with its file's SHA-256,
//! so a copy can later be checked against the database (`check`).

mod charts;
mod dossier;
mod frame;
mod full;
pub mod ledger;
mod pack;
pub mod redaction;
mod register;
mod regulator;
mod summary;

pub use ledger::{check, DocumentCheck, DocumentKind, DocumentOptions, GeneratedDocument};

use crate::audit::{canonical, Actor, Entity};
use crate::error::{Error, Result};
use crate::pdf;
use crate::phases::notification;
use crate::record::Table;
use crate::store::Store;
use crate::vocabulary::{Choice, Classification};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use dossier::Dossier;
use frame::Frame;
use redaction::Redaction;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub(crate) const SCHEMA_V4: &str = ledger::SCHEMA_V4;

/// The audited tables of this module, for `verify`.
pub(crate) const TABLES: &[&Table] = &[&ledger::TABLE];

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ReportRequest.ts")]
pub struct ReportRequest {
    pub kind: DocumentKind,
    /// The incident (its ID or UUID); not used by the breach register extract.
    #[serde(default)]
    pub incident: Option<String>,
    /// Absent: the default from the settings.
    #[serde(default)]
    pub classification: Option<Classification>,
    #[serde(default)]
    pub external: bool,
    #[serde(default)]
    pub regime: Option<String>,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
}

impl ReportRequest {
    pub fn new(kind: DocumentKind, incident: Option<&str>) -> ReportRequest {
        ReportRequest {
            kind,
            incident: incident.map(str::to_string),
            classification: None,
            external: false,
            regime: None,
            stage: None,
            from: None,
            to: None,
        }
    }
}

/// A document rendered and not yet written: its bytes and the ledger row that will record it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub record: GeneratedDocument,
    /// The incident's human ID.
    pub incident_id: Option<String>,
    /// The head the document was generated from, sealed: kept with the document's ledger row.
    pub seal: Option<crate::seal::Seal>,
}

/// A written document (`firebreak report … --json` prints this).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "GeneratedReport.ts")]
pub struct GeneratedReport {
    pub path: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub pages: u64,
    pub kind: DocumentKind,
    /// The incident's human ID; absent for the breach register extract.
    pub incident: Option<String>,
}

/// Where a long generation stands, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ReportStep.ts")]
pub enum ReportStep {
    Reading,
    LayingOut,
    Writing,
    Done,
}

impl ReportStep {
    pub fn label(self) -> &'static str {
        match self {
            ReportStep::Reading => "Reading the record and verifying the audit trail…",
            ReportStep::LayingOut => "Laying out the pages…",
            ReportStep::Writing => "Writing the file…",
            ReportStep::Done => "Done",
        }
    }
}

/// Renders the document `request` asks for, as the record stands, dated `at` and signed by `actor`. Reads only:
/// the same record and the same `at` give the same bytes.
pub fn render(store: &Store, actor: &Actor, request: &ReportRequest, at: DateTime<Utc>) -> Result<Prepared> {
    render_with(store, actor, request, at, &mut |_| {})
}

fn render_with(
    store: &Store,
    actor: &Actor,
    request: &ReportRequest,
    at: DateTime<Utc>,
    progress: &mut dyn FnMut(ReportStep),
) -> Result<Prepared> {
    progress(ReportStep::Reading);
    let classification = match request.classification {
        Some(c) => c,
        None => default_classification(store)?,
    };
    let options = DocumentOptions {
        classification,
        external: request.external,
        regime: request.regime.clone(),
        stage: request.stage.clone(),
        from: request.from,
        to: request.to,
    };
    let (rendered, incident, integrity) = match request.kind {
        DocumentKind::Register => register_pdf(store, actor, request, at, classification, progress)?,
        kind => incident_pdf(store, actor, request, kind, at, classification, progress)?,
    };
    let record = GeneratedDocument {
        id: GeneratedDocument::new_id(),
        incident: incident.as_ref().map(|(uuid, _)| uuid.clone()),
        kind: request.kind,
        options,
        head_seq: integrity.head_seq,
        head_hash: integrity.head_hash,
        intact: integrity.verify.intact,
        entries: integrity.verify.entries,
        sha256: ledger::bytes_sha256(&rendered.bytes),
        pages: rendered.pages as u64,
        file_name: String::new(),
        generated_by: actor.name.clone(),
        generated_at: at,
    };
    Ok(Prepared {
        bytes: rendered.bytes,
        pages: rendered.pages,
        record,
        incident_id: incident.map(|(_, id)| id),
        seal: integrity.seal,
    })
}

/// A rendered document, the incident it is about (UUID, human ID) and the trail state it was generated from.
type Laid = (pdf::Rendered, Option<(String, String)>, dossier::Integrity);

fn register_pdf(
    store: &Store,
    actor: &Actor,
    request: &ReportRequest,
    at: DateTime<Utc>,
    classification: Classification,
    progress: &mut dyn FnMut(ReportStep),
) -> Result<Laid> {
    let (from, to) = match (request.from, request.to) {
        (Some(from), Some(to)) if from <= to => (from, to),
        (Some(from), Some(to)) => {
            return Err(Error::invalid("from", format!("The period starts ({from}) after it ends ({to}).")))
        }
        _ => {
            return Err(Error::invalid(
                "from",
                "Say which period the breach register extract covers: --from DATE --to DATE (e.g. 2026-01-01).",
            ))
        }
    };
    let (entries, integrity, people, zone) = dossier::consistent(store, |s| {
        Ok((notification::breach_register(s)?, dossier::integrity(s)?, crate::people::list(s)?, dossier::user_zone(s)?))
    })?;
    let redaction = if request.external {
        let names = entries
            .iter()
            .flat_map(|e| e.regimes.iter().filter_map(|r| r.decided_by.clone()))
            .chain([actor.name.clone()])
            .collect();
        Redaction::external(&people, &names, &[], "breach-register")
    } else {
        Redaction::internal()
    };
    let frame =
        Frame { kind: DocumentKind::Register, at, by: actor.clone(), zone, classification, redaction, integrity };
    let entries = register::in_range(entries, &frame, from, to);
    progress(ReportStep::LayingOut);
    Ok((pdf::render(&register::document(&entries, &frame, from, to))?, None, frame.integrity))
}

fn incident_pdf(
    store: &Store,
    actor: &Actor,
    request: &ReportRequest,
    kind: DocumentKind,
    at: DateTime<Utc>,
    classification: Classification,
    progress: &mut dyn FnMut(ReportStep),
) -> Result<Laid> {
    let key = request.incident.as_deref().map(str::trim).filter(|k| !k.is_empty()).ok_or_else(|| {
        Error::invalid("incident", format!("Say which incident the {} is about.", kind.label().to_lowercase()))
    })?;
    let notification =
        match (kind, request.regime.as_deref(), request.stage.as_deref()) {
            (DocumentKind::Notification, Some(regime), Some(stage)) => Some((regime, stage)),
            (DocumentKind::Notification, _, _) => return Err(Error::invalid(
                "regime",
                "A regulator notification is for one regime and stage: give both (e.g. --regime gdpr-art33 --stage \
                 notification). `firebreak deadlines ID` lists them.",
            )),
            _ => None,
        };
    let d = Dossier::read(store, key, at)?;
    let redaction = if request.external {
        let objects: Vec<(&str, &str)> = d.objects.iter().map(|o| (o.system.as_str(), o.object_id.as_str())).collect();
        Redaction::external(&d.people, &d.names(actor), &objects, &d.incident.uuid)
    } else {
        Redaction::internal()
    };
    let integrity = d.integrity.clone().sealed(at, "report")?;
    let frame = Frame { kind, at, by: actor.clone(), zone: d.zone, classification, redaction, integrity };
    progress(ReportStep::LayingOut);
    let rendered = match (kind, notification) {
        (DocumentKind::Summary, _) => summary::render(&d, &frame)?,
        (DocumentKind::Postmortem, _) => pdf::render(&pack::document(&d, &frame))?,
        (_, Some((regime, stage))) => pdf::render(&regulator::document(&d, &frame, regime, stage)?)?,
        _ => pdf::render(&full::document(&d, &frame))?,
    };
    Ok((rendered, Some((d.incident.uuid.clone(), d.incident.id.clone())), frame.integrity))
}

/// Generates the document, records it in the audit trail and writes it to `out` whole. Refusals (an unknown
/// incident, a regime that does not apply, a folder that is missing or read-only, the database's own files, a
/// read-only database) leave no file behind and nothing in the trail.
pub fn generate(
    store: &Store,
    actor: &Actor,
    request: &ReportRequest,
    out: &Path,
    progress: &mut dyn FnMut(ReportStep),
) -> Result<GeneratedReport> {
    actor.validate()?;
    let mut file = store.out_file(out)?;
    let at = Utc::now().trunc_subsecs(0);
    let mut prepared = render_with(store, actor, request, at, progress)?;
    progress(ReportStep::Writing);
    file.write(&prepared.bytes)?;
    prepared.record.file_name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Recorded first, then put in place: a failed commit leaves the file that was at `out` untouched. A rename that
    // fails after the commit is said plainly (the ledger then holds a document nobody has).
    let record = store.write(actor, |tx| {
        if let Some(seal) = &prepared.seal {
            crate::seal::keep(tx, seal)?;
        }
        prepared.record.clone().insert(tx)
    })?;
    let path = file.persist().map_err(|e| Error::Io {
        message: format!(
            "{e} The document was recorded in the audit trail but is not at {}; generate it again.",
            out.display()
        ),
    })?;
    progress(ReportStep::Done);
    Ok(GeneratedReport {
        path: path.display().to_string(),
        sha256: record.sha256,
        pages: record.pages,
        kind: record.kind,
        incident: prepared.incident_id,
    })
}

/// What the Reports menu offers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ReportChoices.ts")]
pub struct ReportChoices {
    pub kinds: Vec<Choice>,
    pub classifications: Vec<Choice>,
    pub default_classification: Classification,
    /// Where a document is saved unless the user picks another place: the Documents folder, else the home folder.
    pub default_folder: String,
}

pub fn choices(store: &Store) -> Result<ReportChoices> {
    Ok(ReportChoices {
        kinds: DocumentKind::options(),
        classifications: Classification::options(),
        default_classification: default_classification(store)?,
        default_folder: default_folder().display().to_string(),
    })
}

/// `$XDG_DOCUMENTS_DIR`, else `~/Documents` when it exists, else the home folder, else the current folder.
fn default_folder() -> PathBuf {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    std::env::var_os("XDG_DOCUMENTS_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join("Documents")).filter(|d| d.is_dir()))
        .or(home)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The settings key of the default classification.
const CLASSIFICATION_KEY: &str = "reports.classification";

/// The classification documents get when none is chosen: the settings', else Confidential.
pub fn default_classification(store: &Store) -> Result<Classification> {
    let conn = store.connect()?;
    let stored: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [CLASSIFICATION_KEY], |r| r.get(0)).optional()?;
    Ok(stored.as_deref().and_then(Classification::parse).unwrap_or(Classification::Confidential))
}

/// Sets the default classification (an audited setting).
pub fn set_default_classification(
    store: &Store,
    actor: &Actor,
    classification: Classification,
) -> Result<Classification> {
    store.write(actor, |tx| {
        let old: Option<String> =
            tx.query_row("SELECT value FROM settings WHERE key = ?1", [CLASSIFICATION_KEY], |r| r.get(0)).optional()?;
        let new = classification.key();
        if old.as_deref() == Some(new) {
            return Ok(classification);
        }
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            rusqlite::params![CLASSIFICATION_KEY, new],
        )?;
        let (entity_id, field) = CLASSIFICATION_KEY.split_once('.').unwrap_or(("reports", "classification"));
        tx.record(
            Entity::Settings,
            entity_id,
            field,
            old.and_then(|v| canonical(&serde_json::Value::String(v))),
            canonical(&serde_json::Value::String(new.to_string())),
            None,
        )?;
        Ok(classification)
    })
}
