//! What people decided per regime: whether it applies (and why not), its variant, the authority's time zone and
//! holiday calendar, each trigger instant with who decided it, and legal overrides of computed due times.

use super::{catalog, Decision, DueOverride, RegimeTrigger, DECISIONS, OVERRIDES, TRIGGERS};
use crate::audit::Actor;
use crate::deadlines::Regime;
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::people;
use crate::record;
use crate::store::{Store, Tx};
use crate::text::limited;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const MAX_REASON: usize = 4_000;
/// Clocks of different machines disagree a little; an instant this far ahead is still "now".
pub(crate) const CLOCK_SKEW: Duration = Duration::minutes(5);

/// One incident's decision about one regime. A row may exist before the decision (to hold the authority's zone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "RegimeDecision.ts")]
pub struct RegimeDecision {
    pub id: String,
    pub incident: String,
    pub regime: String,
    pub decision: Option<Decision>,
    #[serde(default)]
    pub reason: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The regime's variant (EU AI Act: general, widespread, death).
    pub variant: Option<String>,
    /// The authority's IANA zone for day counts; absent means the user's zone.
    pub zone: Option<String>,
    /// The holiday calendar for notes about working days (DORA: the Member State's).
    pub calendar: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "DecisionInput.ts")]
pub struct DecisionInput {
    pub decision: Option<Decision>,
    pub reason: String,
    /// Who decided: a person of the directory.
    pub decided_by: String,
    pub variant: Option<String>,
}

pub(crate) fn stored_decisions(conn: &Connection, incident: &Incident) -> Result<Vec<RegimeDecision>> {
    DECISIONS.select(conn, "incident = ?1", &[&incident.row_key()])
}

pub(crate) fn stored_triggers(conn: &Connection, incident: &Incident) -> Result<Vec<RegimeTrigger>> {
    TRIGGERS.select(conn, "incident = ?1", &[&incident.row_key()])
}

pub(crate) fn stored_overrides(conn: &Connection, incident: &Incident) -> Result<Vec<DueOverride>> {
    OVERRIDES.select(conn, "incident = ?1", &[&incident.row_key()])
}

fn decision_row(tx: &Tx<'_>, incident: &Incident, regime: &str) -> Result<(Option<RegimeDecision>, RegimeDecision)> {
    let before = stored_decisions(tx, incident)?.into_iter().find(|d| d.regime == regime);
    let after = before.clone().unwrap_or_else(|| RegimeDecision {
        id: record::new_id(),
        incident: incident.uuid.clone(),
        regime: regime.to_string(),
        decision: None,
        reason: String::new(),
        decided_by: None,
        decided_at: None,
        variant: None,
        zone: None,
        calendar: None,
    });
    Ok((before, after))
}

fn save_decision(tx: &mut Tx<'_>, before: Option<&RegimeDecision>, after: &RegimeDecision) -> Result<()> {
    match before {
        Some(before) => DECISIONS.update(tx, before, after, None).map(|_| ()),
        None => DECISIONS.insert(tx, after).map(|_| ()),
    }
}

/// Records whether `regime` applies. "Does not apply" needs the reasoning; the variant is required where the
/// regime has variants and it applies.
pub fn decide(store: &Store, actor: &Actor, key: &str, regime: &str, input: DecisionInput) -> Result<RegimeDecision> {
    let catalog = catalog(store)?;
    let regime = catalog.regime(regime)?.clone();
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let (before, mut after) = decision_row(tx, &incident, &regime.id)?;
        let reason = limited("reason", &input.reason, MAX_REASON)?;
        let Some(decision) = input.decision else {
            return Err(Error::invalid("decision", "Choose whether the regime applies or not."));
        };
        if decision == Decision::NotApplicable && reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                format!(
                    "Say why {} does not apply. The reasoning is kept in the breach register (GDPR Art. 33(5) \
                     requires it for a breach that is not notified).",
                    regime.name
                ),
            ));
        }
        let variant = input.variant.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        check_variant(&regime, variant.as_deref(), decision)?;
        let decided_by = people::approver_in_directory(tx, "decided_by", &input.decided_by)?;
        after.decision = Some(decision);
        after.reason = reason;
        after.decided_by = Some(decided_by);
        after.decided_at = Some(tx.at());
        if variant.is_some() || decision == Decision::Applies {
            after.variant = variant;
        }
        save_decision(tx, before.as_ref(), &after)?;
        Ok(after)
    })
}

fn check_variant(regime: &Regime, variant: Option<&str>, decision: Decision) -> Result<()> {
    match variant {
        None if decision == Decision::Applies && !regime.variants.is_empty() => Err(Error::invalid(
            "variant",
            format!("Choose which kind of incident it is for {}: {}.", regime.name, regime.variants.join(", ")),
        )),
        Some(v) if !regime.variants.iter().any(|k| k == v) => Err(Error::invalid(
            "variant",
            if regime.variants.is_empty() {
                format!("{} has no variants; leave the variant empty.", regime.name)
            } else {
                format!("\"{v}\" is not a variant of {}. Variants: {}.", regime.name, regime.variants.join(", "))
            },
        )),
        _ => Ok(()),
    }
}

/// Sets the authority's time zone (empty: the user's) and holiday calendar (empty: none) for one regime.
pub fn set_zone(
    store: &Store,
    actor: &Actor,
    key: &str,
    regime: &str,
    zone: &str,
    calendar: &str,
) -> Result<RegimeDecision> {
    let catalog = catalog(store)?;
    let regime = catalog.regime(regime)?.clone();
    let zone = zone.trim();
    if !zone.is_empty() && zone.parse::<Tz>().is_err() {
        return Err(Error::invalid(
            "zone",
            format!("\"{zone}\" is not an IANA time zone; use a name like Europe/Dublin or America/New_York."),
        ));
    }
    let calendar = calendar.trim();
    if !calendar.is_empty() && !catalog.calendars.contains_key(calendar) {
        let ids: Vec<&str> = catalog.calendars.keys().map(String::as_str).collect();
        return Err(Error::invalid(
            "calendar",
            format!("\"{calendar}\" is not a holiday calendar. Calendars: {}.", ids.join(", ")),
        ));
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let (before, mut after) = decision_row(tx, &incident, &regime.id)?;
        after.zone = (!zone.is_empty()).then(|| zone.to_string());
        after.calendar = (!calendar.is_empty()).then(|| calendar.to_string());
        save_decision(tx, before.as_ref(), &after)?;
        Ok(after)
    })
}

/// Records (or moves) the instant of one of `regime`'s triggers and who decided it. Moving a recorded trigger moves
/// its clocks; the old and new instants stay in the audit trail with `note` as the reason.
#[allow(clippy::too_many_arguments)]
pub fn set_trigger(
    store: &Store,
    actor: &Actor,
    key: &str,
    regime: &str,
    kind: &str,
    at: DateTime<Utc>,
    decided_by: &str,
    note: &str,
) -> Result<RegimeTrigger> {
    let catalog = catalog(store)?;
    let regime = catalog.regime(regime)?.clone();
    let kind = kind.trim();
    if !regime.triggers.iter().any(|t| t == kind) {
        return Err(Error::invalid(
            "kind",
            format!("{} has no trigger \"{kind}\". Its triggers: {}.", regime.name, regime.triggers.join(", ")),
        ));
    }
    let at = at.trunc_subsecs(0);
    let note = limited("note", note, MAX_REASON)?;
    store.write(actor, |tx| {
        if at > tx.at() + CLOCK_SKEW {
            return Err(Error::invalid(
                "at",
                format!(
                    "The {kind} time {} is in the future. Record when it actually happened.",
                    crate::audit::format_instant(at)
                ),
            ));
        }
        let incident = incident::find(tx, key)?;
        let decided_by = people::approver_in_directory(tx, "decided_by", decided_by)?;
        let before = stored_triggers(tx, &incident)?.into_iter().find(|t| t.regime == regime.id && t.kind == kind);
        let after = RegimeTrigger {
            id: before.as_ref().map_or_else(record::new_id, |b| b.id.clone()),
            incident: incident.uuid.clone(),
            regime: regime.id.clone(),
            kind: kind.to_string(),
            at,
            decided_by,
            note: note.clone(),
        };
        match &before {
            Some(before) => {
                if before.at != at && note.is_empty() {
                    return Err(Error::invalid(
                        "note",
                        format!(
                            "The {kind} time was already recorded ({}); say why it changes — the clock moves with it.",
                            crate::audit::format_instant(before.at)
                        ),
                    ));
                }
                TRIGGERS.update(tx, before, &after, (!note.is_empty()).then_some(note.as_str()))?;
            }
            None => {
                TRIGGERS.insert(tx, &after)?;
            }
        }
        Ok(after)
    })
}

/// Replaces the computed due time of one stage with a legal reviewer's (`None` withdraws the override). A reason
/// is always required; the computed value stays visible beside it.
#[allow(clippy::too_many_arguments)]
pub fn override_due(
    store: &Store,
    actor: &Actor,
    key: &str,
    regime: &str,
    stage: &str,
    due: Option<DateTime<Utc>>,
    reason: &str,
    decided_by: &str,
) -> Result<DueOverride> {
    let catalog = catalog(store)?;
    let regime = catalog.regime(regime)?.clone();
    if !regime.stages.iter().any(|s| s.name == stage) {
        let names: Vec<&str> = regime.stages.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::invalid(
            "stage",
            format!("{} has no stage \"{stage}\". Its stages: {}.", regime.name, names.join(", ")),
        ));
    }
    let reason = limited("reason", reason, MAX_REASON)?;
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "Say why the due time differs from the computed one (e.g. the legal basis or the authority's guidance).",
        ));
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let decided_by = people::approver_in_directory(tx, "decided_by", decided_by)?;
        let before = stored_overrides(tx, &incident)?.into_iter().find(|o| o.regime == regime.id && o.stage == stage);
        let after = DueOverride {
            id: before.as_ref().map_or_else(record::new_id, |b| b.id.clone()),
            incident: incident.uuid.clone(),
            regime: regime.id.clone(),
            stage: stage.to_string(),
            due: due.map(|d| d.trunc_subsecs(0)),
            reason: reason.clone(),
            decided_by,
            decided_at: tx.at(),
        };
        match &before {
            Some(before) => {
                OVERRIDES.update(tx, before, &after, Some(&reason))?;
            }
            None => {
                OVERRIDES.insert(tx, &after)?;
            }
        }
        Ok(after)
    })
}
