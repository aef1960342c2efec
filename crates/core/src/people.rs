//! The people directory: the names owners and commanders are picked from, with how to reach them.

use crate::audit::{self, canonical, Actor, Entity};
use crate::error::{Error, Result};
use crate::store::{Store, Tx};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub(crate) const SCHEMA_V1: &str = "
CREATE TABLE people (
    uuid   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    role   TEXT,
    email  TEXT,
    phone  TEXT
);
CREATE UNIQUE INDEX people_name ON people (name COLLATE NOCASE);
";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "Person.ts")]
pub struct Person {
    pub id: String,
    #[serde(flatten)]
    pub details: PersonDetails,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "PersonDetails.ts")]
pub struct PersonDetails {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

impl PersonDetails {
    pub fn named(name: impl Into<String>) -> Self {
        PersonDetails { name: name.into(), ..Default::default() }
    }

    fn fields(&self) -> [(&'static str, &str); 4] {
        [("name", &self.name), ("role", &self.role), ("email", &self.email), ("phone", &self.phone)]
    }

    fn normalized(self) -> Result<PersonDetails> {
        let d = PersonDetails {
            name: self.name.trim().to_string(),
            role: self.role.trim().to_string(),
            email: self.email.trim().to_string(),
            phone: self.phone.trim().to_string(),
        };
        if d.name.is_empty() {
            return Err(Error::invalid("name", "A name is required."));
        }
        for (field, value) in d.fields() {
            if value.chars().count() > 200 {
                return Err(Error::invalid(field, format!("The {field} is too long; keep it under 200 characters.")));
            }
        }
        if !d.email.is_empty() && !looks_like_email(&d.email) {
            return Err(Error::invalid(
                "email",
                format!("\"{}\" is not an email address (name@example.com).", d.email),
            ));
        }
        if !d.phone.is_empty() && !d.phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
            return Err(Error::invalid("phone", "A phone number may hold digits, spaces and + - ( ) . only."));
        }
        Ok(d)
    }
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !s.contains(char::is_whitespace),
        None => false,
    }
}

pub fn list(store: &Store) -> Result<Vec<Person>> {
    let conn = store.connect()?;
    let mut stmt = conn.prepare("SELECT * FROM people ORDER BY name COLLATE NOCASE")?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn add(store: &Store, actor: &Actor, details: PersonDetails) -> Result<Person> {
    let details = details.normalized()?;
    store.write(actor, |tx| insert(tx, details))
}

pub fn update(store: &Store, actor: &Actor, id: &str, details: PersonDetails) -> Result<Person> {
    let details = details.normalized()?;
    store.write(actor, |tx| {
        let before = find(tx, id)?
            .ok_or_else(|| Error::not_found(format!("No person with ID {id} in the directory; reload the list.")))?;
        refuse_duplicate(tx, &details.name, Some(id))?;
        for ((field, old), (_, new)) in before.details.fields().into_iter().zip(details.fields()) {
            if old != new {
                tx.execute(&format!("UPDATE people SET {field} = ?1 WHERE uuid = ?2"), params![new, id])?;
                tx.record(Entity::Person, id, field, text(old), text(new), None)?;
            }
        }
        Ok(Person { id: id.to_string(), details })
    })
}

/// Makes sure a person of that name is in the directory: owners named on the command line, and the desktop user
/// themselves, can then be picked as owners.
pub(crate) fn ensure(tx: &mut Tx<'_>, name: &str, role: &str) -> Result<()> {
    let exists: Option<String> =
        tx.query_row("SELECT uuid FROM people WHERE name = ?1 COLLATE NOCASE", [name], |r| r.get(0)).optional()?;
    if exists.is_none() {
        insert(tx, PersonDetails { role: role.to_string(), ..PersonDetails::named(name) }.normalized()?)?;
    }
    Ok(())
}

/// The directory's spelling of a named approver: approvals and sign-offs must name a known person, so that who
/// approved is never a typo or a role. `field` is the input field the name came from, for the error.
pub(crate) fn approver_in_directory(conn: &Connection, field: &str, name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid(field, "Name the person who approves (a name from the people directory)."));
    }
    let known: Option<String> =
        conn.query_row("SELECT name FROM people WHERE name = ?1 COLLATE NOCASE", [name], |r| r.get(0)).optional()?;
    known.ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "{name} is not in the people directory. Approvers must be named people: add them first (People, or \
                 `firebreak people add --name \"{name}\"`), then try again."
            ),
        )
    })
}

fn insert(tx: &mut Tx<'_>, details: PersonDetails) -> Result<Person> {
    refuse_duplicate(tx, &details.name, None)?;
    let person = Person { id: uuid::Uuid::now_v7().to_string(), details };
    let d = &person.details;
    tx.execute(
        "INSERT INTO people (uuid, name, role, email, phone) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![person.id, d.name, d.role, d.email, d.phone],
    )?;
    tx.record(Entity::Person, &person.id, audit::CREATED, None, text(&d.name), None)?;
    for (field, value) in d.fields() {
        if let Some(value) = text(value) {
            tx.record(Entity::Person, &person.id, field, None, Some(value), None)?;
        }
    }
    Ok(person)
}

fn refuse_duplicate(conn: &Connection, name: &str, except: Option<&str>) -> Result<()> {
    let other: Option<String> = conn
        .query_row(
            "SELECT uuid FROM people WHERE name = ?1 COLLATE NOCASE AND uuid IS NOT ?2",
            params![name, except],
            |r| r.get(0),
        )
        .optional()?;
    if other.is_some() {
        return Err(Error::Conflict {
            message: format!("{name} is already in the directory. Edit that entry instead of adding another."),
        });
    }
    Ok(())
}

/// The directory entry of that name (names are unique regardless of case).
pub(crate) fn by_name(conn: &Connection, name: &str) -> Result<Option<Person>> {
    Ok(conn.query_row("SELECT * FROM people WHERE name = ?1 COLLATE NOCASE", [name.trim()], from_row).optional()?)
}

fn find(conn: &Connection, id: &str) -> Result<Option<Person>> {
    Ok(conn.query_row("SELECT * FROM people WHERE uuid = ?1", [id], from_row).optional()?)
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
    let get = |c: &str| -> rusqlite::Result<String> { Ok(row.get::<_, Option<String>>(c)?.unwrap_or_default()) };
    Ok(Person {
        id: row.get("uuid")?,
        details: PersonDetails { name: get("name")?, role: get("role")?, email: get("email")?, phone: get("phone")? },
    })
}

fn text(s: &str) -> Option<String> {
    canonical(&Value::String(s.to_string()))
}

/// People rows for `verify`: (uuid, [(field, canonical value)]), as stored. Firebreak writes an empty detail as
/// "", never NULL; a NULL is another program's spelling and is shown as `null`, so it never equals the trail.
pub(crate) fn stored_records() -> crate::audit::StoredRecords {
    crate::audit::StoredRecords::Query {
        sql: "SELECT uuid, name, role, email, phone FROM people ORDER BY uuid".to_string(),
        decode: Box::new(|row| {
            let id: String = row.get(0)?;
            let mut fields = Vec::with_capacity(4);
            for (i, field) in ["name", "role", "email", "phone"].into_iter().enumerate() {
                let raw: Option<String> = row.get(i + 1)?;
                fields.push((field.to_string(), raw.map_or_else(|| Some("null".to_string()), |v| text(&v))));
            }
            Ok((id, fields))
        }),
    }
}
