//! This installation's signing key and where it lives. Where a desktop keyring runs, the key is an entry of the OS
//! keyring and a small marker file in the config folder says so (and names the key's public half, so `verify` can
//! recognise this installation's seals without asking the keyring). Elsewhere it is a file with mode 0600.
//!
//! The marker makes the choice stick: once the key is in the keyring, a command run where the keyring cannot be
//! reached (over SSH, say) fails and says why, instead of quietly making a second key whose seals would read as
//! another installation's.

use super::{decode, os_keyring, Seal};
use crate::audit::{hex, Head};
use crate::error::{Error, Result};
use chrono::{DateTime, SubsecRound, Utc};
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where a key lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyHome {
    /// A file holding the key as 64 hex digits.
    File(PathBuf),
    /// An entry of the OS keyring, named by the marker file.
    Keyring { account: String, marker: PathBuf },
}

impl std::fmt::Display for KeyHome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyHome::File(path) => write!(f, "the file {}", path.display()),
            KeyHome::Keyring { account, .. } => {
                write!(f, "the OS keyring (service \"{}\", account \"{account}\")", os_keyring::SERVICE)
            }
        }
    }
}

/// This installation's signing key.
pub struct SealKey {
    key: SigningKey,
    home: KeyHome,
}

impl SealKey {
    /// The key of this installation, made when first needed. `FIREBREAK_SEAL_KEY` names a file to use instead
    /// (the tests do); otherwise an existing `seal.key` in Firebreak's config folder (`$XDG_CONFIG_HOME/firebreak`,
    /// usually `~/.config/firebreak`) is used, else the keyring entry its marker names, else a new key goes to the
    /// OS keyring if one runs unlocked, or to `seal.key`.
    pub fn load_or_create() -> Result<SealKey> {
        load_or_create_at(&Places::of_this_installation())
    }

    pub fn public_key(&self) -> String {
        hex(&self.key.verifying_key().to_bytes())
    }

    pub fn home(&self) -> &KeyHome {
        &self.home
    }

    /// Signs `head` as of `at` (to the microsecond, as the trail stores instants). Deterministic: the same head,
    /// instant and key give the same seal.
    pub fn seal(&self, head: &Head, at: DateTime<Utc>, reason: &str) -> Seal {
        let at = at.trunc_subsecs(6);
        let signature = self.key.sign(Seal::message(head.seq, &head.hash, at, reason).as_bytes());
        Seal {
            format: super::format(),
            seq: head.seq,
            head_hash: head.hash.clone(),
            at,
            public_key: self.public_key(),
            signature: hex(&signature.to_bytes()),
            reason: reason.to_string(),
        }
    }
}

/// The public half of this installation's key, if it has one, without asking the keyring (verify never makes a
/// key, and works where the keyring is locked or absent).
pub fn local_public_key() -> Option<String> {
    let places = Places::of_this_installation();
    if let Ok(Some(key)) = read_key_file(&places.file) {
        return Some(key.public_key());
    }
    let marker = places.marker?;
    Marker::read(&marker).ok().flatten().map(|m| m.public_key)
}

/// Where this installation's key lives, or will live once made, without asking the keyring.
pub fn key_home() -> KeyHome {
    let places = Places::of_this_installation();
    match &places.marker {
        Some(marker) if !places.file.exists() => match Marker::read(marker) {
            Ok(Some(m)) => KeyHome::Keyring { account: m.account, marker: marker.clone() },
            _ => KeyHome::File(places.file),
        },
        _ => KeyHome::File(places.file),
    }
}

/// The files that decide where the key is.
struct Places {
    /// The key file: used if it exists, made if no keyring runs.
    file: PathBuf,
    /// The keyring marker; none when `FIREBREAK_SEAL_KEY` names the file, which then is the only place looked at.
    marker: Option<PathBuf>,
}

impl Places {
    fn of_this_installation() -> Places {
        if let Some(path) = std::env::var_os("FIREBREAK_SEAL_KEY").filter(|p| !p.is_empty()) {
            return Places { file: PathBuf::from(path), marker: None };
        }
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .unwrap_or_else(|| PathBuf::from("."));
        let folder = config.join("firebreak");
        Places { file: folder.join("seal.key"), marker: Some(folder.join("seal-key.keyring")) }
    }
}

fn load_or_create_at(places: &Places) -> Result<SealKey> {
    if let Some(key) = read_key_file(&places.file)? {
        return Ok(key);
    }
    if let Some(marker_path) = &places.marker {
        if let Some(marker) = Marker::read(marker_path)? {
            return marker.load(marker_path);
        }
        if os_keyring::usable() {
            if let Some(key) = create_in_keyring(places, marker_path)? {
                return Ok(key);
            }
        }
    }
    create_file(places)
}

/// What a marker file says it is.
const MARKER_FORMAT: &str = "firebreak-seal-keyring-v1";

/// The marker: which keyring entry holds the key, and the key's public half.
#[derive(Serialize, Deserialize)]
struct Marker {
    format: String,
    service: String,
    account: String,
    public_key: String,
}

impl Marker {
    fn read(path: &Path) -> Result<Option<Marker>> {
        let Some(text) = read_small(path)? else { return Ok(None) };
        let damaged = || {
            Error::storage(format!(
                "{} is damaged: it should say which OS keyring entry holds Firebreak's seal key. Restore it from \
                 your backup.",
                path.display()
            ))
        };
        let marker: Marker = serde_json::from_str(&text).map_err(|_| damaged())?;
        if marker.format != MARKER_FORMAT
            || marker.service != os_keyring::SERVICE
            || decode::<32>(&marker.public_key).is_none()
        {
            return Err(damaged());
        }
        Ok(Some(marker))
    }

    fn load(self, path: &Path) -> Result<SealKey> {
        let home = KeyHome::Keyring { account: self.account.clone(), marker: path.to_path_buf() };
        let secret = match os_keyring::fetch(&self.account) {
            Ok(Some(secret)) => secret,
            Ok(None) => {
                return Err(Error::storage(format!(
                    "The seal key is missing from {home}, which {} names. Restore the entry from a backup of your \
                     keyring. If the key is lost, delete {} and Firebreak makes a new one; seals made with the old \
                     key then count as another installation's.",
                    path.display(),
                    path.display()
                )))
            }
            Err(e) => {
                return Err(Error::Io {
                    message: format!(
                        "Cannot reach the seal key in {home}: {e}. Unlock your keyring, or run Firebreak in your \
                         desktop session. Reading and verifying work without the key."
                    ),
                })
            }
        };
        let key = decode::<32>(secret.trim()).map(|b| SigningKey::from_bytes(&b)).ok_or_else(|| {
            Error::storage(format!(
                "The seal key in {home} is damaged (it should hold 64 hex digits). Restore the entry from a backup \
                 of your keyring."
            ))
        })?;
        let key = SealKey { key, home };
        if key.public_key() != self.public_key {
            return Err(Error::storage(format!(
                "The key in {} is not the one {} names (public key {}…). Restore the entry from a backup of your \
                 keyring.",
                key.home,
                path.display(),
                &self.public_key[..16]
            )));
        }
        Ok(key)
    }
}

/// A new key in the OS keyring. `None` if the keyring refused it after all (the caller then makes a key file).
fn create_in_keyring(places: &Places, marker_path: &Path) -> Result<Option<SealKey>> {
    let secret = new_secret(&places.file)?;
    let key = SigningKey::from_bytes(&secret);
    let public_key = hex(&key.verifying_key().to_bytes());
    // Named by the key itself, so two processes making a key at the same moment never overwrite each other's
    // entry: the one whose marker lands first wins, and the other removes its own entry.
    let account = format!("seal-key-{}", &public_key[..16]);
    let written = hex(&secret);
    if os_keyring::store(&account, &written).is_err() || os_keyring::fetch(&account).ok().flatten() != Some(written) {
        os_keyring::remove(&account);
        return Ok(None);
    }
    let marker = Marker {
        format: MARKER_FORMAT.to_string(),
        service: os_keyring::SERVICE.to_string(),
        account: account.clone(),
        public_key,
    };
    let text = serde_json::to_string_pretty(&marker)? + "\n";
    let placed = write_new(marker_path, &text).map_err(|e| cannot_create(marker_path, e))?;
    if !placed {
        os_keyring::remove(&account);
        return load_or_create_at(places).map(Some);
    }
    Ok(Some(SealKey { key, home: KeyHome::Keyring { account, marker: marker_path.to_path_buf() } }))
}

fn create_file(places: &Places) -> Result<SealKey> {
    let path = &places.file;
    let secret = new_secret(path)?;
    if write_new(path, &format!("{}\n", hex(&secret))).map_err(|e| cannot_create(path, e))? {
        Ok(SealKey { key: SigningKey::from_bytes(&secret), home: KeyHome::File(path.clone()) })
    } else {
        // Another process made it meanwhile: use that one.
        load_or_create_at(places)
    }
}

fn new_secret(path: &Path) -> Result<[u8; 32]> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| cannot_create(path, e.to_string()))?;
    Ok(secret)
}

fn cannot_create(path: &Path, e: String) -> Error {
    Error::Io {
        message: format!(
            "Cannot create {}: {e}. Firebreak signs the audit trail's head with a key kept there; make the folder \
             writable or name another key file with FIREBREAK_SEAL_KEY.",
            path.display()
        ),
    }
}

/// Writes `text` to `path` if nothing is there yet, readable by its owner only. False if something already was.
/// Written whole to a file of its own, then linked into place: a process that starts at the same moment sees
/// either nothing or the whole file, never a half-written one, and the first link wins.
fn write_new(path: &Path, text: &str) -> Result<bool, String> {
    let folder = path.parent().filter(|f| !f.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| e.to_string())?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".seal-key-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut temp = builder.tempfile_in(folder).map_err(|e| e.to_string())?;
    {
        use std::io::Write;
        temp.write_all(text.as_bytes()).and_then(|()| temp.as_file().sync_all()).map_err(|e| e.to_string())?;
    }
    match std::fs::hard_link(temp.path(), path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

fn read_key_file(path: &Path) -> Result<Option<SealKey>> {
    let Some(text) = read_small(path)? else { return Ok(None) };
    let bytes = decode::<32>(text.trim()).ok_or_else(|| {
        Error::storage(format!(
            "The seal key {} is damaged (it should hold 64 hex digits). Restore it from your backup; seals made \
             with another key are not this installation's.",
            path.display()
        ))
    })?;
    Ok(Some(SealKey { key: SigningKey::from_bytes(&bytes), home: KeyHome::File(path.to_path_buf()) }))
}

/// A key file or marker: a few hundred bytes, so anything past 4 KiB is read no further (and reads as damaged).
fn read_small(path: &Path) -> Result<Option<String>> {
    // Looked at before opening: opening a FIFO would wait for a writer forever.
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(Error::Io {
                message: format!(
                    "{} is not a regular file. Move it away; Firebreak keeps its key there.",
                    path.display()
                ),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::Io { message: format!("Cannot read {}: {e}.", path.display()) }),
    };
    let mut bytes = Vec::new();
    file.take(4096)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Io { message: format!("Cannot read {}: {e}.", path.display()) })?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(dir: &Path) -> Places {
        Places { file: dir.join("seal.key"), marker: None }
    }

    #[test]
    fn a_new_key_file_is_the_owners_alone_and_the_same_key_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let made = load_or_create_at(&places(dir.path())).unwrap();
        assert_eq!(made.home(), &KeyHome::File(dir.path().join("seal.key")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("seal.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(load_or_create_at(&places(dir.path())).unwrap().public_key(), made.public_key());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("seal.key")], "no temporary file is left behind");
    }

    #[test]
    fn a_key_file_takes_precedence_over_a_keyring_marker() {
        let dir = tempfile::tempdir().unwrap();
        let made = load_or_create_at(&places(dir.path())).unwrap();
        // A marker naming an entry that no keyring holds: never consulted while the key file exists.
        let marker = dir.path().join("seal-key.keyring");
        std::fs::write(&marker, "not even JSON").unwrap();
        let both = Places { file: dir.path().join("seal.key"), marker: Some(marker) };
        assert_eq!(load_or_create_at(&both).unwrap().public_key(), made.public_key());
    }

    #[test]
    fn a_damaged_marker_or_key_file_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("seal-key.keyring");
        std::fs::write(&marker, "{\"format\":\"firebreak-seal-keyring-v1\"}").unwrap();
        let err = Marker::read(&marker).err().expect("a marker without its entry and key is damaged").to_string();
        assert!(err.contains("is damaged") && err.contains("backup"), "{err}");

        std::fs::write(dir.path().join("seal.key"), "0123").unwrap();
        let err = load_or_create_at(&places(dir.path())).err().expect("a short key is damaged").to_string();
        assert!(err.contains("damaged") && err.contains("64 hex digits"), "{err}");
    }

    #[test]
    fn a_fifo_or_device_in_place_of_the_key_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("seal.key");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let err = load_or_create_at(&places(dir.path())).err().expect("a FIFO is no key").to_string();
        assert!(err.contains("is not a regular file"), "{err}");
        let zero = Places { file: PathBuf::from("/dev/zero"), marker: None };
        let err = load_or_create_at(&zero).err().expect("a device is no key").to_string();
        assert!(err.contains("is not a regular file"), "{err}");
    }

    #[test]
    fn concurrent_first_uses_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let keys: Vec<String> = std::thread::scope(|s| {
            let workers: Vec<_> =
                (0..8).map(|_| s.spawn(|| load_or_create_at(&places(dir.path())).unwrap().public_key())).collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        assert!(keys.iter().all(|k| k == &keys[0]), "{keys:?}");
    }
}
