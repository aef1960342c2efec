//! Sealed heads: the audit chain alone is unkeyed, so whoever can write the file could rewrite history and
//! recompute every hash. A seal is the chain head (sequence number and hash) signed with Ed25519 by a key that
//! lives outside the database (a file with mode 0600 in the user's config folder), so a rewrite is caught by any
//! seal made before it: those kept in the database, a seal file, or the anchor printed on a document.

use crate::audit::{format_instant, hex, Head};
use crate::error::{Error, Result};
use crate::store::Store;
use chrono::{DateTime, SubsecRound, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
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

/// This installation's signing key.
pub struct SealKey {
    key: SigningKey,
}

impl SealKey {
    /// The key of this installation: `FIREBREAK_SEAL_KEY` names its file, else `seal.key` in Firebreak's config
    /// folder (`$XDG_CONFIG_HOME/firebreak`, usually `~/.config/firebreak`). Created, with mode 0600, when first
    /// needed.
    pub fn load_or_create() -> Result<SealKey> {
        let path = key_path();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = decode::<32>(text.trim()).ok_or_else(|| {
                    Error::storage(format!(
                        "The seal key {} is damaged (it should hold 64 hex digits). Restore it from your backup; \
                         seals made with another key are not this installation's.",
                        path.display()
                    ))
                })?;
                Ok(SealKey { key: SigningKey::from_bytes(&bytes) })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SealKey::create(&path),
            Err(e) => Err(Error::Io { message: format!("Cannot read the seal key {}: {e}.", path.display()) }),
        }
    }

    /// The installation's key if one exists already (verify never makes one).
    pub fn existing() -> Option<SealKey> {
        let text = std::fs::read_to_string(key_path()).ok()?;
        decode::<32>(text.trim()).map(|b| SealKey { key: SigningKey::from_bytes(&b) })
    }

    fn create(path: &Path) -> Result<SealKey> {
        let fail = |e: String| Error::Io {
            message: format!(
                "Cannot create the seal key {}: {e}. Firebreak signs the audit trail's head with it; make the folder \
                 writable or name another file with FIREBREAK_SEAL_KEY.",
                path.display()
            ),
        };
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| fail(e.to_string()))?;
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| fail(e.to_string()))?;
        }
        // Written whole to a file of its own, then linked into place: a process that starts at the same moment
        // sees either no key or the whole key, never a half-written one, and the first link wins.
        let folder = path.parent().filter(|f| !f.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut temp = tempfile::Builder::new()
            .prefix(".seal-key-")
            .permissions(key_permissions())
            .tempfile_in(folder)
            .map_err(|e| fail(e.to_string()))?;
        {
            use std::io::Write;
            temp.write_all(format!("{}\n", hex(&secret)).as_bytes())
                .and_then(|()| temp.as_file().sync_all())
                .map_err(|e| fail(e.to_string()))?;
        }
        match std::fs::hard_link(temp.path(), path) {
            Ok(()) => Ok(SealKey { key: SigningKey::from_bytes(&secret) }),
            // Another process made it meanwhile: use that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => SealKey::load_or_create(),
            Err(e) => Err(fail(e.to_string())),
        }
    }

    pub fn public_key(&self) -> String {
        hex(&self.key.verifying_key().to_bytes())
    }

    /// Signs `head` as of `at` (to the microsecond, as the trail stores instants). Deterministic: the same head,
    /// instant and key give the same seal.
    pub fn seal(&self, head: &Head, at: DateTime<Utc>, reason: &str) -> Seal {
        let at = at.trunc_subsecs(6);
        let signature = self.key.sign(Seal::message(head.seq, &head.hash, at, reason).as_bytes());
        Seal {
            format: format(),
            seq: head.seq,
            head_hash: head.hash.clone(),
            at,
            public_key: self.public_key(),
            signature: hex(&signature.to_bytes()),
            reason: reason.to_string(),
        }
    }
}

/// Only its owner may read the key.
#[cfg(unix)]
fn key_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o600)
}

/// Where this installation's key lives.
pub fn key_path() -> PathBuf {
    if let Some(path) = std::env::var_os("FIREBREAK_SEAL_KEY").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    config.join("firebreak").join("seal.key")
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
