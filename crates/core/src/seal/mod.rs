//! Sealed heads: the audit chain alone is unkeyed, so whoever can write the file could rewrite history and
//! recompute every hash. A seal is the chain head (sequence number and hash) signed with Ed25519 by a key that
//! lives outside the database (in the OS keyring, or a file with mode 0600 in the user's config folder: see
//! [`key`]), so a rewrite is caught by any seal made before it: those kept in the database, a seal file, or the
//! anchor printed on a document.

mod key;
mod os_keyring;

pub use key::{key_home, local_public_key, KeyHome, SealKey};

use crate::audit::{format_instant, Head};
use crate::error::{Error, Result};
use crate::store::Store;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

pub(crate) const SCHEMA_V5: &str = "
CREATE TABLE seals (
    seq         INTEGER NOT NULL,
    head_hash   TEXT NOT NULL,
    at          TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    signature   TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX seals_seq ON seals (seq);
";

/// What a seal file says it is.
pub const FORMAT: &str = "firebreak-seal-v1";

/// A signed audit head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "Seal.ts")]
pub struct Seal {
    #[serde(default = "format")]
    pub format: String,
    /// The audit entry sealed (0 for an empty trail).
    #[ts(type = "number")]
    pub seq: i64,
    pub head_hash: String,
    pub at: DateTime<Utc>,
    /// The signer's Ed25519 public key, hex.
    pub public_key: String,
    /// Ed25519 over [`Seal::message`], hex.
    pub signature: String,
    /// Why it was made: "report", "export", "manual", "periodic".
    pub reason: String,
}

fn format() -> String {
    FORMAT.to_string()
}

impl Seal {
    /// The bytes signed: the format, sequence number, head hash, instant and reason, one per line.
    fn message(seq: i64, head_hash: &str, at: DateTime<Utc>, reason: &str) -> String {
        format!("{FORMAT}\n{seq}\n{head_hash}\n{}\n{reason}", format_instant(at))
    }

    /// Whether the signature is the public key's over this seal's head and instant.
    pub fn signature_holds(&self) -> bool {
        let (Some(key), Some(sig)) = (decode::<32>(&self.public_key), decode::<64>(&self.signature)) else {
            return false;
        };
        let Ok(key) = VerifyingKey::from_bytes(&key) else { return false };
        let message = Self::message(self.seq, &self.head_hash, self.at, &self.reason);
        key.verify(message.as_bytes(), &Signature::from_bytes(&sig)).is_ok()
    }

    /// The first 16 hex digits of the signer's public key: what a document prints to name it.
    pub fn key_fingerprint(&self) -> &str {
        &self.public_key[..self.public_key.len().min(16)]
    }

    /// `SEQ:HASH`, as documents print it.
    pub fn anchor(&self) -> String {
        format!("{}:{}", self.seq, self.head_hash)
    }
}

/// Exactly `2 * N` lowercase or uppercase hex digits, nothing around them (a stored seal is compared as written).
fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok()?;
    }
    Some(out)
}

/// Keeps `seal` in the database (inside the caller's write).
pub(crate) fn keep(conn: &Connection, seal: &Seal) -> Result<()> {
    conn.execute(
        "INSERT INTO seals (seq, head_hash, at, public_key, signature, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![seal.seq, seal.head_hash, format_instant(seal.at), seal.public_key, seal.signature, seal.reason],
    )?;
    Ok(())
}

/// Seals the trail's head now and keeps the seal in the database: `firebreak audit seal`, periodic seals.
pub fn seal_now(store: &Store, reason: &str) -> Result<Seal> {
    // Refused before the key is read or made: a read-only copy must not leave a new key behind.
    store.refuse_if_read_only()?;
    let key = SealKey::load_or_create()?;
    // Seals are not incident data and carry their own proof, so they add no audit entry (which would move the head).
    store.write(&crate::Actor::new("Firebreak", None), |tx| {
        let seal = key.seal(&Head::read(tx)?, tx.at(), reason);
        keep(tx, &seal)?;
        Ok(seal)
    })
}

/// Seals the head an export was made from. A read-only copy is not this installation's to seal: nothing is kept.
pub fn seal_export(store: &Store) -> Result<Option<Seal>> {
    if store.is_read_only() {
        return Ok(None);
    }
    seal_now(store, "export").map(Some)
}

/// Seals the head if it moved since the newest seal (the desktop app does this periodically), so a rewrite of what
/// was recorded until then is caught even if no document was made.
pub fn seal_if_moved(store: &Store) -> Result<Option<Seal>> {
    if store.is_read_only() {
        return Ok(None);
    }
    let head = Head::read(&store.connect()?)?;
    let sealed = latest(store)?.map(|s| s.seq).unwrap_or(0);
    if head.seq <= sealed {
        return Ok(None);
    }
    seal_now(store, "periodic").map(Some)
}

/// Every seal kept in the database, oldest first.
pub fn kept(conn: &Connection) -> Result<Vec<Seal>> {
    let mut stmt =
        conn.prepare("SELECT seq, head_hash, at, public_key, signature, reason FROM seals ORDER BY seq, rowid")?;
    let rows = stmt.query_map([], |r| {
        let at: String = r.get(2)?;
        Ok(Seal {
            format: format(),
            seq: r.get(0)?,
            head_hash: r.get(1)?,
            at: DateTime::parse_from_rfc3339(&at).map(|t| t.with_timezone(&Utc)).unwrap_or(DateTime::<Utc>::MIN_UTC),
            public_key: r.get(3)?,
            signature: r.get(4)?,
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The newest seal kept.
pub fn latest(store: &Store) -> Result<Option<Seal>> {
    Ok(kept(&store.connect()?)?.into_iter().max_by_key(|s| (s.seq, s.at)))
}

/// A seal read from a file (`audit seal --out`).
pub fn read_file(path: &Path) -> Result<Seal> {
    let text = crate::input::read_text(path, 64 * 1024, "a seal file")?;
    let seal: Seal = serde_json::from_str(&text)
        .map_err(|e| Error::invalid("seal", format!("{} is not a Firebreak seal file ({e}).", path.display())))?;
    if seal.format != FORMAT {
        return Err(Error::invalid(
            "seal",
            format!("{} is a seal of another format ({}).", path.display(), seal.format),
        ));
    }
    Ok(seal)
}

/// `SEQ:HASH` as printed on documents.
pub fn parse_anchor(text: &str) -> Result<(i64, String)> {
    let bad = || {
        Error::invalid("anchor", format!("\"{text}\" is not an anchor; write it as SEQ:HASH, as documents print it."))
    };
    let (seq, hash) = text.trim().split_once(':').ok_or_else(bad)?;
    let seq = seq.trim().parse::<i64>().map_err(|_| bad())?;
    let hash = hash.trim().to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok((seq, hash))
}
