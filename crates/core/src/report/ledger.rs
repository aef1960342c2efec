//! The ledger of generated documents: each PDF Firebreak writes is recorded in the audit trail with its kind, its
//! options, the audit head it was generated from and the SHA-256 of the file, so that anyone holding a copy can ask
//! this database whether it produced exactly that file, and whether the record changed since.

use crate::audit::Entity;
use crate::error::{Error, Result};
use crate::record::{self, Table};
use crate::store::{Store, Tx};
use crate::vocabulary::Classification;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use ts_rs::TS;

pub(crate) const SCHEMA_V4: &str = "
CREATE TABLE documents (
    uuid TEXT PRIMARY KEY,
    incident TEXT,
    kind TEXT,
    options TEXT,
    head_seq TEXT,
    head_hash TEXT,
    intact TEXT,
    entries TEXT,
    sha256 TEXT,
    pages TEXT,
    file_name TEXT,
    generated_by TEXT,
    generated_at TEXT
);
CREATE INDEX documents_sha256 ON documents (sha256);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::Document,
    name: "documents",
    fields: &[
        "incident",
        "kind",
        "options",
        "head_seq",
        "head_hash",
        "intact",
        "entries",
        "sha256",
        "pages",
        "file_name",
        "generated_by",
        "generated_at",
    ],
};

crate::choices!(
    /// The documents Firebreak generates.
    DocumentKind, "DocumentKind.ts" {
        Full => ("full", "Full incident report"),
        Summary => ("summary", "One-page summary"),
        Notification => ("notification", "Regulator notification"),
        Postmortem => ("postmortem", "Postmortem pack"),
        Register => ("register", "Breach register extract"),
    }
);

/// How a document was asked for: everything besides the record that changes what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "DocumentOptions.ts")]
pub struct DocumentOptions {
    pub classification: Classification,
    /// The copy for a recipient outside the organisation (names as roles, contacts removed, IDs pseudonymised).
    #[serde(default)]
    pub external: bool,
    /// The regulator notification's regime and stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The breach register extract's date range (inclusive, in the user's zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
}

/// One generated document as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "GeneratedDocument.ts")]
pub struct GeneratedDocument {
    pub id: String,
    /// The incident's UUID; absent for the breach register extract.
    pub incident: Option<String>,
    pub kind: DocumentKind,
    pub options: DocumentOptions,
    /// The audit head the document was generated from.
    #[ts(type = "number")]
    pub head_seq: i64,
    pub head_hash: String,
    /// `verify`'s verdict at generation, as the document prints it.
    pub intact: bool,
    #[ts(type = "number")]
    pub entries: i64,
    pub sha256: String,
    #[ts(type = "number")]
    pub pages: u64,
    /// The file name it was written under (the file may since have been renamed or moved).
    pub file_name: String,
    pub generated_by: String,
    pub generated_at: DateTime<Utc>,
}

impl GeneratedDocument {
    pub(crate) fn insert(self, tx: &mut Tx<'_>) -> Result<GeneratedDocument> {
        TABLE.insert(tx, &self)?;
        Ok(self)
    }

    pub(crate) fn new_id() -> String {
        record::new_id()
    }
}

/// What this database knows of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "DocumentCheck.ts")]
pub struct DocumentCheck {
    pub path: String,
    pub sha256: String,
    /// This exact file was generated from this database.
    pub known: bool,
    pub document: Option<GeneratedDocument>,
    /// The incident's human ID, for documents about one incident.
    pub incident_id: Option<String>,
    /// Audit entries recorded after the document's head, not counting generated documents: how much the record
    /// changed since.
    #[ts(type = "number")]
    pub entries_since: i64,
    /// The entry the document was generated from is still in the trail with the same hash (the history before it
    /// was not rewritten).
    pub head_in_trail: bool,
    /// The seal kept with the document: its head signed with the installation's key at generation.
    pub seal: Option<crate::seal::Seal>,
    /// One line for people.
    pub message: String,
}

/// Largest file `check` reads: far more than any report, small enough that a wrong path cannot run for ever.
const MAX_CHECKED_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Whether `path` is a document this database generated, and what happened to the record since.
pub fn check(store: &Store, path: &Path) -> Result<DocumentCheck> {
    let sha256 = file_sha256(path)?;
    let conn = store.connect()?;
    let document: Option<GeneratedDocument> =
        TABLE.select(&conn, "sha256 = ?1", &[&serde_json::to_string(&sha256)?])?.into_iter().next();
    let shown = path.display().to_string();
    let Some(document) = document else {
        return Ok(DocumentCheck {
            message: format!(
                "Unknown: {shown} (SHA-256 {sha256}) was not generated from this database, or it was altered since."
            ),
            path: shown,
            sha256,
            known: false,
            document: None,
            incident_id: None,
            entries_since: 0,
            head_in_trail: false,
            seal: None,
        });
    };
    let incident_id = document.incident.as_deref().and_then(|uuid| crate::incident::display_id(&conn, uuid));
    let entries_since: i64 = conn.query_row(
        "SELECT count(*) FROM audit_log WHERE seq > ?1 AND entity <> ?2",
        rusqlite::params![document.head_seq, Entity::Document.as_str()],
        |r| r.get(0),
    )?;
    let head_in_trail = document.head_seq == 0
        || conn
            .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [document.head_seq], |r| r.get::<_, String>(0))
            .optional()?
            .is_some_and(|h| h == document.head_hash);
    let seal = crate::seal::kept(&conn)?
        .into_iter()
        .find(|s| s.seq == document.head_seq && s.head_hash == document.head_hash && s.at == document.generated_at);
    let about = incident_id.as_deref().map(|id| format!(" of {id}")).unwrap_or_default();
    let since = match entries_since {
        0 => "the record has not changed since".to_string(),
        1 => "1 audit entry was recorded after it: the record may have changed since".to_string(),
        n => format!("{n} audit entries were recorded after it: the record may have changed since"),
    };
    let trail = if head_in_trail {
        String::new()
    } else {
        format!(
            " WARNING: audit entry #{} no longer has the hash the document was generated from; the history was \
             rewritten (run `firebreak audit verify`).",
            document.head_seq
        )
    };
    let sealed = match &seal {
        Some(s) if s.signature_holds() => format!(" Sealed with key {}….", s.key_fingerprint()),
        Some(_) => " Its seal does NOT hold (forged or altered).".to_string(),
        None => String::new(),
    };
    let message = format!(
        "Known: {}{about}, generated {} by {} from audit entry #{} ({}…); {since}.{trail}{sealed}",
        document.kind.label(),
        document.generated_at.format("%Y-%m-%d %H:%M:%S UTC"),
        document.generated_by,
        document.head_seq,
        &document.head_hash[..document.head_hash.len().min(12)],
    );
    Ok(DocumentCheck {
        path: shown,
        sha256,
        known: true,
        document: Some(document),
        incident_id,
        entries_since,
        head_in_trail,
        seal,
        message,
    })
}

/// The SHA-256 of a regular file, read in pieces (never a FIFO or device, which could block or never end).
pub fn file_sha256(path: &Path) -> Result<String> {
    let fail = |why: String| Error::Io { message: format!("Cannot check {}: {why}", path.display()) };
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("{e}.")))?;
    if !meta.is_file() {
        return Err(fail("it is not a regular file. Give the path of a PDF that Firebreak generated.".into()));
    }
    if meta.len() > MAX_CHECKED_BYTES {
        return Err(fail(format!(
            "it is {} bytes, larger than any document Firebreak writes ({MAX_CHECKED_BYTES} bytes at most).",
            meta.len()
        )));
    }
    let mut file = std::fs::File::open(path).map_err(|e| fail(format!("{e}.")))?.take(MAX_CHECKED_BYTES);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(|e| fail(format!("{e}.")))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::audit::hex(&hasher.finalize()))
}

/// The SHA-256 of bytes in memory, in the same form.
pub(crate) fn bytes_sha256(bytes: &[u8]) -> String {
    crate::audit::hex(&Sha256::digest(bytes))
}
