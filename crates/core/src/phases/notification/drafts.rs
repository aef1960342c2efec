//! A notification through its life: drafted (prefilled from the record), edited item by item, approved by a named
//! person once nothing required is missing (and, when late, with the reasons for the delay), then submitted with
//! its instant, channel and the authority's reference. The submitted text is frozen and hashed. After the first
//! submission of a stage, further notifications of it are supplements (information provided in phases).

use super::clocks::{self, RegimeClocks};
use super::content::{self, Rendering};
use super::decisions::CLOCK_SKEW;
use super::{catalog, Decision, Notification, NotificationStatus, NOTIFICATIONS};
use crate::audit::{format_instant, Actor};
use crate::deadlines::{Catalog, ContentItem, Regime};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::people;
use crate::profile;
use crate::record;
use crate::store::{Store, Tx};
use crate::text::limited;
use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use ts_rs::TS;

const MAX_ITEM: usize = 20_000;
const MAX_SHORT: usize = 500;

/// Changes to a draft: content items to set (by key), and the reasons for a delay.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "NotificationChanges.ts")]
pub struct NotificationChanges {
    #[ts(type = "Record<string, string>")]
    pub content: BTreeMap<String, String>,
    pub delay_reasons: Option<String>,
}

/// The notification after an edit, and what the edit did besides (e.g. sending it back for approval).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "NotificationEdit.ts")]
pub struct NotificationEdit {
    pub notification: Notification,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[ts(export_to = "SubmitInput.ts")]
pub struct SubmitInput {
    pub at: DateTime<Utc>,
    /// How it was submitted: the authority's portal, email, letter…
    #[serde(default)]
    pub channel: String,
    /// The authority's reference (case number, EDGAR accession number…).
    #[serde(default)]
    pub reference: String,
}

pub(crate) fn stored(conn: &Connection, incident: &Incident) -> Result<Vec<Notification>> {
    NOTIFICATIONS.select(conn, "incident = ?1", &[&incident.row_key()])
}

/// The open (not yet submitted) notification of a stage, if any.
pub fn open_draft(store: &Store, key: &str, regime: &str, stage: &str) -> Result<Option<Notification>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    Ok(stored(&conn, &incident)?
        .into_iter()
        .filter(|n| n.regime == regime && n.stage == stage && n.status != NotificationStatus::Submitted)
        .max_by_key(|n| n.sequence))
}

/// The open notification of `regime`'s `stage`, drafted from the record when there is none: the stage's first
/// notification, or a supplement once that was submitted.
pub fn start(store: &Store, actor: &Actor, key: &str, regime: &str, stage: &str) -> Result<Notification> {
    let catalog = catalog(store)?;
    let regime = catalog.regime(regime)?.clone();
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let now = tx.at();
        let view = regime_view(tx, &catalog, &incident, &regime, now)?;
        if view.decision.as_ref().and_then(|d| d.decision) == Some(Decision::NotApplicable) {
            return Err(Error::Conflict {
                message: format!(
                    "{} is recorded as not applying to {}. Change that decision first if it does apply.",
                    regime.name, incident.id
                ),
            });
        }
        let items = stage_items(&regime, &view, stage)?;
        let existing: Vec<Notification> =
            stored(tx, &incident)?.into_iter().filter(|n| n.regime == regime.id && n.stage == stage).collect();
        if let Some(open) =
            existing.iter().filter(|n| n.status != NotificationStatus::Submitted).max_by_key(|n| n.sequence)
        {
            return Ok(open.clone());
        }
        let zone = profile::zone(tx)?;
        let prefilled = content::prefill(tx, &incident, zone)?;
        // A supplement starts from what the authority already has (the latest submission of this stage), so what
        // the reviewer wrote by hand is not lost; only the items that submission left empty come from the record.
        let previous = existing.iter().max_by_key(|n| n.sequence);
        let content: BTreeMap<String, String> = items
            .iter()
            .filter_map(|i| {
                let sent = previous.and_then(|p| p.content.get(&i.key)).filter(|v| !v.trim().is_empty());
                sent.or_else(|| prefilled.get(&i.key)).map(|v| (i.key.clone(), v.clone()))
            })
            .collect();
        let mut n = Notification {
            id: record::new_id(),
            incident: incident.uuid.clone(),
            regime: regime.id.clone(),
            stage: stage.to_string(),
            sequence: existing.iter().map(|n| n.sequence).max().unwrap_or(0) + 1,
            content,
            delay_reasons: String::new(),
            text: String::new(),
            status: NotificationStatus::Draft,
            approved_by: None,
            approved_at: None,
            submitted_at: None,
            submitted_by: None,
            channel: None,
            reference: None,
            text_hash: None,
        };
        n.text = render(store, tx, &incident, &regime, &view, &items, &n, now)?;
        NOTIFICATIONS.insert(tx, &n)?;
        Ok(n)
    })
}

/// Sets content items and the reasons for a delay. Changing an approved notification sends it back to draft; a
/// submitted one cannot change (record a supplement instead).
pub fn edit(store: &Store, actor: &Actor, id: &str, changes: NotificationChanges) -> Result<NotificationEdit> {
    let catalog = catalog(store)?;
    store.write(actor, |tx| {
        let (incident, before, regime) = unsubmitted(tx, &catalog, id)?;
        let now = tx.at();
        let view = regime_view(tx, &catalog, &incident, &regime, now)?;
        let items = stage_items(&regime, &view, &before.stage)?;
        let mut after = before.clone();
        for (key, value) in &changes.content {
            if !items.iter().any(|i| &i.key == key) {
                let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
                return Err(Error::invalid(
                    "content",
                    format!(
                        "\"{key}\" is not an item of the {} {}. Items: {}.",
                        regime.name,
                        before.stage,
                        keys.join(", ")
                    ),
                ));
            }
            let value = limited(key, value, MAX_ITEM)?;
            if value.is_empty() {
                after.content.remove(key);
            } else {
                after.content.insert(key.clone(), value);
            }
        }
        if let Some(reasons) = &changes.delay_reasons {
            after.delay_reasons = limited("delay_reasons", reasons, MAX_ITEM)?;
        }
        after.text = render(store, tx, &incident, &regime, &view, &items, &after, now)?;
        let mut notice = None;
        if after.status == NotificationStatus::Approved && after != before {
            notice = Some(format!(
                "It had been approved by {}; its content changed, so it is back to draft and needs approval again.",
                before.approved_by.as_deref().unwrap_or("someone")
            ));
            after.status = NotificationStatus::Draft;
            after.approved_by = None;
            after.approved_at = None;
        }
        let reason = notice.as_ref().map(|_| "content changed after approval: approval cleared");
        NOTIFICATIONS.update(tx, &before, &after, reason)?;
        Ok(NotificationEdit { notification: after, notice })
    })
}

/// Approval by a named person of the directory. Refused while required content is missing, and for a first
/// notification past its due time while the reasons for the delay are empty.
pub fn approve(store: &Store, actor: &Actor, id: &str, approver: &str) -> Result<Notification> {
    let catalog = catalog(store)?;
    store.write(actor, |tx| {
        let (incident, before, regime) = unsubmitted(tx, &catalog, id)?;
        if before.status == NotificationStatus::Approved {
            return Err(Error::Conflict {
                message: format!(
                    "The {} {} is already approved by {}.",
                    regime.name,
                    before.stage,
                    before.approved_by.as_deref().unwrap_or("someone")
                ),
            });
        }
        let now = tx.at();
        let view = regime_view(tx, &catalog, &incident, &regime, now)?;
        let items = stage_items(&regime, &view, &before.stage)?;
        let mut missing = content::missing(&items, &before.content);
        if let Some(due) = late_since(&view, &before, now) {
            if before.delay_reasons.trim().is_empty() {
                missing.push(format!("Reasons for the delay (it was due {})", format_instant(due)));
            }
        }
        if !missing.is_empty() {
            return Err(Error::GateBlocked {
                message: format!(
                    "The {} {} cannot be approved yet: {} required item{} missing.",
                    regime.name,
                    before.stage,
                    missing.len(),
                    if missing.len() == 1 { " is" } else { "s are" }
                ),
                missing,
            });
        }
        let approver = people::approver_in_directory(tx, "approver", approver)?;
        let mut after = before.clone();
        after.text = render(store, tx, &incident, &regime, &view, &items, &after, now)?;
        after.status = NotificationStatus::Approved;
        after.approved_by = Some(approver);
        after.approved_at = Some(now);
        NOTIFICATIONS.update(tx, &before, &after, None)?;
        Ok(after)
    })
}

/// Records the submission of an approved notification; its text is frozen and hashed. Follow-up stages chained on
/// this one start from `input.at`.
pub fn submit(store: &Store, actor: &Actor, id: &str, input: SubmitInput) -> Result<Notification> {
    let catalog = catalog(store)?;
    let at = input.at.trunc_subsecs(0);
    store.write(actor, |tx| {
        let (incident, before, regime) = unsubmitted(tx, &catalog, id)?;
        if before.status == NotificationStatus::Draft {
            return Err(Error::GateBlocked {
                message: format!(
                    "The {} {} is not approved: a named person must approve it before it is submitted.",
                    regime.name, before.stage
                ),
                missing: vec![format!("Approval of the {} {} by a named person", regime.name, before.stage)],
            });
        }
        if at > tx.at() + CLOCK_SKEW {
            return Err(Error::invalid(
                "at",
                format!("The submission time {} is in the future. Record when it was submitted.", format_instant(at)),
            ));
        }
        let view = regime_view(tx, &catalog, &incident, &regime, tx.at())?;
        if let Some(due) = late_since(&view, &before, at) {
            if before.delay_reasons.trim().is_empty() {
                return Err(Error::GateBlocked {
                    message: format!(
                        "Submitted at {}, after the due time {}: add the reasons for the delay (the notification then \
                         needs approval again) before recording the submission.",
                        format_instant(at),
                        format_instant(due)
                    ),
                    missing: vec!["Reasons for the delay".into()],
                });
            }
        }
        let mut after = before.clone();
        after.status = NotificationStatus::Submitted;
        after.submitted_at = Some(at);
        after.submitted_by = Some(tx.actor().name.clone());
        after.channel = Some(limited("channel", &input.channel, MAX_SHORT)?).filter(|c| !c.is_empty());
        after.reference = Some(limited("reference", &input.reference, MAX_SHORT)?).filter(|r| !r.is_empty());
        after.text_hash = Some(text_hash(&after.text));
        NOTIFICATIONS.update(tx, &before, &after, None)?;
        Ok(after)
    })
}

/// SHA-256 of the text as UTF-8, hex: anyone can recompute it from the kept text.
pub fn text_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A notification that may still change, with its incident and regime; a submitted one is refused (what was
/// submitted is kept as it is).
fn unsubmitted(conn: &Connection, catalog: &Catalog, id: &str) -> Result<(Incident, Notification, Regime)> {
    let n: Notification = NOTIFICATIONS
        .get(conn, id.trim())?
        .ok_or_else(|| Error::NotFound { message: format!("There is no notification {id}.") })?;
    let incident = incident::find(conn, &n.incident)?;
    let regime = catalog.regime(&n.regime)?.clone();
    if n.status == NotificationStatus::Submitted {
        return Err(Error::Conflict { message: submitted_message(&regime, &n) });
    }
    Ok((incident, n, regime))
}

fn regime_view(
    conn: &Connection,
    catalog: &Catalog,
    incident: &Incident,
    regime: &Regime,
    now: DateTime<Utc>,
) -> Result<RegimeClocks> {
    let view = clocks::compute(conn, catalog, incident, now)?;
    view.regimes
        .into_iter()
        .find(|r| r.regime == regime.id)
        .ok_or_else(|| Error::invalid("regime", format!("{} is not a known regime.", regime.id)))
}

/// The content items of `stage` for the incident's variant of the regime.
fn stage_items(regime: &Regime, view: &RegimeClocks, stage: &str) -> Result<Vec<ContentItem>> {
    let variant = view.decision.as_ref().and_then(|d| d.variant.as_deref());
    let candidates: Vec<_> = regime.stages.iter().filter(|s| s.name == stage).collect();
    if candidates.is_empty() {
        let mut names: Vec<&str> = regime.stages.iter().map(|s| s.name.as_str()).collect();
        names.dedup();
        return Err(Error::invalid(
            "stage",
            format!("{} has no stage \"{stage}\". Its stages: {}.", regime.name, names.join(", ")),
        ));
    }
    let chosen =
        candidates.iter().find(|s| s.variant.is_none() || s.variant.as_deref() == variant).ok_or_else(|| {
            Error::invalid(
                "variant",
                format!(
                    "Choose which kind of incident it is for {} ({}) before drafting.",
                    regime.name,
                    regime.variants.join(", ")
                ),
            )
        })?;
    Ok(chosen.content.clone())
}

/// The due time a first notification missed at `at`, if it did.
fn late_since(view: &RegimeClocks, n: &Notification, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if n.is_supplement() {
        return None;
    }
    let due = view.stages.iter().find(|s| s.stage == n.stage)?.due?;
    (at > due).then_some(due)
}

#[allow(clippy::too_many_arguments)]
fn render(
    store: &Store,
    tx: &Tx<'_>,
    incident: &Incident,
    regime: &Regime,
    view: &RegimeClocks,
    items: &[ContentItem],
    n: &Notification,
    now: DateTime<Utc>,
) -> Result<String> {
    let zone = profile::zone(tx)?;
    let late = late_since(view, n, now).is_some();
    let rendering = Rendering { regime, clocks: view, items, notification: n, late, zone, now };
    let context = content::context(incident, &rendering);
    content::render(store, &regime.id, &n.stage, &context)
}

fn submitted_message(regime: &Regime, n: &Notification) -> String {
    let when = n.submitted_at.map(|t| format!(" on {}", format_instant(t))).unwrap_or_default();
    format!(
        "The {} {} was submitted{when}; what was submitted cannot change. Draft a supplement to add information.",
        regime.name, n.stage
    )
}

/// The stage to draft when none is named: the regime's first stage (of its chosen variant) without a submitted
/// notification. Refused when a variant must be chosen first, or when every stage is submitted (a supplement names
/// its stage).
pub fn first_open_stage(store: &Store, key: &str, regime: &str) -> Result<String> {
    let catalog = catalog(store)?;
    let def = catalog.regime(regime.trim())?;
    let view = regime_clocks(store, key, regime)?;
    let variant = view.decision.as_ref().and_then(|d| d.variant.as_deref());
    let mut names: Vec<&str> = def
        .stages
        .iter()
        .filter(|s| s.variant.is_none() || s.variant.as_deref() == variant)
        .map(|s| s.name.as_str())
        .collect();
    names.dedup();
    if names.is_empty() {
        return Err(Error::invalid(
            "variant",
            format!(
                "Choose which kind of incident it is for {} first ({}): `firebreak notification decide ID {} applies --by NAME \
                 --variant V`.",
                def.name,
                def.variants.join(", "),
                def.id
            ),
        ));
    }
    let submitted = |name: &str| view.stages.iter().any(|s| s.stage == name && s.submitted_at.is_some());
    names.into_iter().find(|n| !submitted(n)).map(str::to_string).ok_or_else(|| Error::Conflict {
        message: format!(
            "Every stage of {} is submitted; name the stage with --stage to draft a supplement.",
            def.name
        ),
    })
}

/// One regime's decision and stage clocks for the incident, as of now.
pub fn regime_clocks(store: &Store, key: &str, regime: &str) -> Result<RegimeClocks> {
    let catalog = catalog(store)?;
    let def = catalog.regime(regime.trim())?;
    clocks::clocks(store, key, Utc::now())?
        .regimes
        .into_iter()
        .find(|r| r.regime == def.id)
        .ok_or_else(|| Error::invalid("regime", format!("\"{regime}\" is not a known regime.")))
}

/// The required items of an unsubmitted notification that are still empty, as (key, label): what keeps it from
/// approval. None for a submitted one.
pub fn missing_items(store: &Store, key: &str, n: &Notification) -> Result<Vec<(String, String)>> {
    if n.status == NotificationStatus::Submitted {
        return Ok(Vec::new());
    }
    let catalog = catalog(store)?;
    let def = catalog.regime(&n.regime)?;
    let variant = regime_clocks(store, key, &n.regime)?.decision.and_then(|d| d.variant);
    let Some(stage) = def.stages.iter().find(|s| s.name == n.stage && (s.variant.is_none() || s.variant == variant))
    else {
        return Ok(Vec::new());
    };
    Ok(stage
        .content
        .iter()
        .filter(|i| i.required && n.content.get(&i.key).is_none_or(|v| v.trim().is_empty()))
        .map(|i| (i.key.clone(), i.label.clone()))
        .collect())
}
