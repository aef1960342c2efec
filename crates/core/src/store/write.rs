//! The write transaction. It owns the audit chain's head for its duration, so every entry it records is chained
//! to the one before it even when the desktop app and the CLI write at the same moment.

use crate::audit::{self, Actor, Entity, StoredEntry};
use crate::error::Result;
use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::Transaction;
use std::ops::Deref;

pub struct Tx<'c> {
    tx: Transaction<'c>,
    actor: Actor,
    at: DateTime<Utc>,
    head: audit::Head,
    /// `at` as entries store and hash it.
    at_text: String,
    /// Reused for each entry's hashed content.
    buffer: Vec<u8>,
}

impl<'c> Tx<'c> {
    pub(super) fn begin(tx: Transaction<'c>, actor: &Actor) -> Result<Self> {
        let head = audit::Head::read(&tx)?;
        let at = Utc::now().trunc_subsecs(6);
        Ok(Tx { tx, actor: actor.clone(), at, head, at_text: audit::format_instant(at), buffer: Vec::new() })
    }

    /// The instant this change is recorded at (one instant for the whole transaction).
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Records one audited change. `old`/`new` are canonical values (see [`audit::canonical`]); `None` is "empty".
    pub fn record(
        &mut self,
        entity: Entity,
        entity_id: &str,
        field: &str,
        old: Option<String>,
        new: Option<String>,
        reason: Option<&str>,
    ) -> Result<()> {
        let seq = self.head.seq + 1;
        let mut entry = StoredEntry {
            seq,
            at: &self.at_text,
            actor: &self.actor.name,
            actor_role: self.actor.role.as_deref(),
            entity: entity.as_str(),
            entity_id,
            field,
            old_value: old.as_deref(),
            new_value: new.as_deref(),
            reason,
            prev_hash: &self.head.hash,
            hash: "",
        };
        let hash = audit::hex(&entry.digest(&mut self.buffer));
        entry.hash = &hash;
        audit::insert(&self.tx, &entry)?;
        self.head = audit::Head { seq, hash };
        Ok(())
    }

    pub(super) fn commit(self) -> Result<()> {
        self.head.write(&self.tx)?;
        self.tx.commit()?;
        Ok(())
    }
}

/// Reads inside the transaction see its own uncommitted writes.
impl<'c> Deref for Tx<'c> {
    type Target = rusqlite::Connection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}
