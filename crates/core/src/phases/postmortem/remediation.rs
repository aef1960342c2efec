//! Remediation items: the controls the postmortem decides to add, each with an owner, a due date and a status.

use super::{items, required, ControlType, RemediationItem, RemediationStatus, MAX_SHORT, MAX_TEXT, REMEDIATION};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::people;
use crate::record;
use crate::store::Store;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Deserialize;
use ts_rs::TS;

/// Changes to a remediation item; `None` leaves a value as it is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "RemediationUpdate.ts")]
pub struct RemediationUpdate {
    pub status: Option<RemediationStatus>,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub description: Option<String>,
}

/// Adds a remediation item (open) with its control type, owner and optional due date.
pub fn add_remediation(
    store: &Store,
    actor: &Actor,
    key: &str,
    control_type: ControlType,
    description: &str,
    owner: &str,
    due_date: Option<NaiveDate>,
) -> Result<RemediationItem> {
    let description = required("description", description, MAX_TEXT, "Describe the fix.")?;
    let owner = required("owner", owner, MAX_SHORT, "Name the owner of this fix.")?;
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        people::ensure(tx, &owner, "")?;
        let item = RemediationItem {
            id: record::new_id(),
            incident: incident.uuid,
            control_type,
            description,
            owner,
            due_date,
            status: RemediationStatus::Open,
        };
        REMEDIATION.insert(tx, &item)?;
        Ok(item)
    })
}

/// Changes a remediation item's status, owner, due date or description.
pub fn update_remediation(
    store: &Store,
    actor: &Actor,
    key: &str,
    item_id: &str,
    update: RemediationUpdate,
) -> Result<RemediationItem> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let before: RemediationItem = REMEDIATION
            .get::<RemediationItem>(tx, item_id)?
            .filter(|i| i.incident == incident.uuid)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "No remediation item {item_id} on {}. `firebreak remediation list {}` shows them.",
                    incident.id, incident.id
                ))
            })?;
        let mut after = before.clone();
        if let Some(status) = update.status {
            after.status = status;
        }
        if let Some(owner) = &update.owner {
            after.owner = required("owner", owner, MAX_SHORT, "Name the owner of this fix.")?;
            people::ensure(tx, &after.owner, "")?;
        }
        if let Some(due) = update.due_date {
            after.due_date = Some(due);
        }
        if let Some(description) = &update.description {
            after.description = required("description", description, MAX_TEXT, "Describe the fix.")?;
        }
        REMEDIATION.update(tx, &before, &after, None)?;
        Ok(after)
    })
}

pub fn remediation(store: &Store, key: &str) -> Result<Vec<RemediationItem>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    items(&conn, &incident)
}

/// A warning when every remediation item is a prompt change: prompts are not controls, so such a postmortem has
/// probably stopped at the first "why".
pub fn shallow_warning(conn: &Connection, incident: &Incident) -> Result<Option<String>> {
    let items = items(conn, incident)?;
    let only_prompt = !items.is_empty() && items.iter().all(|i| i.control_type == ControlType::PromptChange);
    Ok(only_prompt.then(|| {
        "The only fix is a prompt change: the postmortem is probably shallow. A prompt can drift or be talked \
         around; add a control outside the model too (narrower permissions, an approval gate, idempotency, input \
         freshness checks, alert thresholds, adversarial tests…)."
            .to_string()
    }))
}
