//! The user's profile (name, role, time zone): who is stamped on every change made from this desktop, and the
//! zone times are shown in. Kept as audited settings rows.

use crate::audit::{canonical, Actor, Entity};
use crate::error::{Error, Result};
use crate::store::Store;
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub(crate) const SCHEMA_V1: &str = "
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
";

/// The audit entity ID of the profile settings.
const PROFILE: &str = "profile";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "Profile.ts")]
pub struct Profile {
    pub name: String,
    pub role: String,
    /// IANA zone name, e.g. `Europe/Berlin`.
    pub timezone: String,
}

impl Profile {
    pub fn actor(&self) -> Actor {
        Actor::new(&self.name, Some(self.role.clone()))
    }

    fn fields(&self) -> [(&'static str, &str); 3] {
        [("name", &self.name), ("role", &self.role), ("timezone", &self.timezone)]
    }
}

/// The saved profile, or `None` before the first-run questions are answered.
pub fn get(store: &Store) -> Result<Option<Profile>> {
    read(&store.connect()?)
}

fn read(conn: &Connection) -> Result<Option<Profile>> {
    let value = |field: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [format!("{PROFILE}.{field}")], |r| r.get(0))
            .optional()?)
    };
    let Some(name) = value("name")? else {
        return Ok(None);
    };
    Ok(Some(Profile {
        name,
        role: value("role")?.unwrap_or_default(),
        timezone: value("timezone")?.unwrap_or_else(system_zone),
    }))
}

/// Saves the profile; the change is signed by the profile's own (new) name and role.
pub fn save(store: &Store, profile: Profile) -> Result<Profile> {
    let profile = Profile {
        name: profile.name.trim().to_string(),
        role: profile.role.trim().to_string(),
        timezone: profile.timezone.trim().to_string(),
    };
    if profile.name.is_empty() {
        return Err(Error::invalid("name", "Your name is required: it is stamped on every change you make."));
    }
    if profile.name.chars().count() > 120 {
        return Err(Error::invalid("name", "Your name is too long; keep it under 120 characters."));
    }
    if profile.role.is_empty() {
        return Err(Error::invalid("role", "Your role is required (for example Business owner or Legal counsel)."));
    }
    if profile.timezone.parse::<Tz>().is_err() {
        return Err(Error::invalid(
            "timezone",
            format!(
                "\"{}\" is not a time zone Firebreak knows. Pick one from the list, such as Europe/Berlin.",
                profile.timezone
            ),
        ));
    }
    store.write(&profile.actor(), |tx| {
        let before = read(tx)?;
        for (field, value) in profile.fields() {
            let old = before.as_ref().and_then(|b| b.fields().into_iter().find(|(f, _)| *f == field)).map(|(_, v)| v.to_string());
            if old.as_deref() == Some(value) {
                continue;
            }
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![format!("{PROFILE}.{field}"), value],
            )?;
            tx.record(
                Entity::Settings,
                PROFILE,
                field,
                old.and_then(|v| canonical(&Value::String(v))),
                canonical(&Value::String(value.to_string())),
                None,
            )?;
        }
        crate::people::ensure(tx, &profile.name, &profile.role)?;
        Ok(())
    })?;
    Ok(profile)
}

/// The zone for display and for dating new incident IDs: the profile's, else the system's.
pub(crate) fn zone(conn: &Connection) -> Result<Tz> {
    let name = read(conn)?.map(|p| p.timezone).unwrap_or_else(system_zone);
    Ok(name.parse().unwrap_or(Tz::UTC))
}

/// The operating system's zone as an IANA name, `UTC` when it cannot be told.
pub fn system_zone() -> String {
    iana_time_zone::get_timezone().ok().filter(|z| z.parse::<Tz>().is_ok()).unwrap_or_else(|| "UTC".to_string())
}

/// Every IANA zone name, for pickers.
pub fn zones() -> Vec<String> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name().to_string()).collect()
}

/// Settings rows for `verify`: (entity id, [(field, canonical value)]).
pub(crate) fn stored_records(conn: &Connection) -> Result<crate::audit::StoredRecords> {
    let mut stmt = conn.prepare("SELECT key, value FROM settings ORDER BY key")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    // Grouped by entity id ("profile" of "profile.name"), which the key order does not sort ("a-b.c" < "a.b").
    let mut grouped: std::collections::BTreeMap<String, Vec<(String, Option<String>)>> = Default::default();
    for row in rows {
        let (key, value) = row?;
        let (entity_id, field) = key.split_once('.').unwrap_or(("", key.as_str()));
        grouped.entry(entity_id.to_string()).or_default().push((field.to_string(), canonical(&Value::String(value))));
    }
    Ok(crate::audit::StoredRecords::Listed(grouped.into_iter().collect()))
}
