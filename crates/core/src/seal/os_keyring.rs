//! The OS keyring (the freedesktop Secret Service: GNOME Keyring, KWallet) as a home for the seal key. Elsewhere
//! there is none, and the key lives in a file.

/// The service name the key's keyring entry is filed under.
pub(super) const SERVICE: &str = "firebreak";

#[cfg(target_os = "linux")]
mod platform {
    use dbus_secret_service::{EncryptionType, SecretService};

    /// Whether a Secret Service answers and its default collection is unlocked, so storing a new key there asks
    /// nothing of the user. A locked or missing collection would pop up an unlock or create prompt, which a
    /// command run without a desktop cannot answer and would wait on.
    pub fn usable() -> bool {
        let Ok(service) = SecretService::connect(EncryptionType::Plain) else { return false };
        let Ok(collection) = service.get_default_collection() else { return false };
        matches!(collection.is_locked(), Ok(false))
    }

    fn entry(account: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(super::SERVICE, account).map_err(|e| e.to_string())
    }

    pub fn store(account: &str, secret: &str) -> Result<(), String> {
        entry(account)?.set_password(secret).map_err(|e| e.to_string())
    }

    /// The secret kept under `account`, `None` if there is no such entry.
    pub fn fetch(account: &str) -> Result<Option<String>, String> {
        match entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn remove(account: &str) {
        if let Ok(entry) = entry(account) {
            // Best effort: it only tidies up after losing a race, and a leftover entry harms nothing.
            let _ = entry.delete_credential();
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    const NONE: &str = "this build of Firebreak keeps no keys in the OS keyring on this system";

    pub fn usable() -> bool {
        false
    }

    pub fn store(_account: &str, _secret: &str) -> Result<(), String> {
        Err(NONE.to_string())
    }

    pub fn fetch(_account: &str) -> Result<Option<String>, String> {
        Err(NONE.to_string())
    }

    pub fn remove(_account: &str) {}
}

pub(super) use platform::{fetch, remove, store, usable};
