//! Every regime's clocks for one incident, from what was recorded: decisions, triggers, submissions and legal
//! overrides, with each stage's state at a given instant. Regimes suggested by the questionnaire but not yet decided
//! are shown too (marked unconfirmed): a clock nobody has confirmed still runs.

use super::applicability::{self, ApplicabilityAnswers, Suggestion};
use super::decisions::{stored_decisions, stored_overrides, stored_triggers, RegimeDecision};
use super::{catalog, drafts, Decision, DueOverride, Notification, NotificationStatus, RegimeTrigger};
use crate::deadlines::{self, Catalog, ContentItem, Regime, SUBMITTED};
use crate::error::Result;
use crate::incident::{self, Incident};
use crate::profile;
use crate::store::Store;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

crate::choices!(
    ClockState, "ClockState.ts" {
        Waiting => ("waiting", "Not started"),
        Running => ("running", "Without undue delay"),
        Upcoming => ("upcoming", "Upcoming"),
        Due24h => ("due_24h", "Due within 24 h"),
        Due4h => ("due_4h", "Due within 4 h"),
        Overdue => ("overdue", "Overdue"),
        SubmittedOnTime => ("submitted_on_time", "Submitted on time"),
        SubmittedLate => ("submitted_late", "Submitted late"),
        Submitted => ("submitted", "Submitted"),
    }
);

crate::choices!(
    /// The moments a desktop notification is due for a running clock.
    AlertLevel, "AlertLevel.ts" {
        Hours24 => ("24h", "due within 24 hours"),
        Hours4 => ("4h", "due within 4 hours"),
        Hours1 => ("1h", "due within 1 hour"),
        Overdue => ("overdue", "overdue"),
    }
);

/// One stage of one regime for one incident.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "StageView.ts")]
pub struct StageView {
    pub stage: String,
    /// How the computed due time was counted.
    pub rule: String,
    /// What must be recorded before the clock starts.
    pub waits_for: Option<String>,
    pub computed_due: Option<DateTime<Utc>>,
    /// The computed due day in the authority's zone.
    #[ts(type = "string | null")]
    pub computed_due_date: Option<NaiveDate>,
    /// A legal reviewer's due time, shown beside the computed one.
    pub due_override: Option<DueOverride>,
    /// The due time in force: the override when there is one, else the computed one.
    pub due: Option<DateTime<Utc>>,
    /// `due` written in the user's zone and in the authority's zone.
    pub due_user: Option<String>,
    pub due_authority: Option<String>,
    /// When a clock without a fixed length started (time elapsed is shown instead of a countdown).
    pub started_at: Option<DateTime<Utc>>,
    pub state: ClockState,
    /// When the stage's first notification was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    pub content: Vec<ContentItem>,
    /// This stage's notifications: the first, then supplements.
    pub notifications: Vec<Notification>,
    /// DORA's unverified working-day rule, when the due time falls on a weekend or holiday.
    pub working_day_note: Option<String>,
}

/// One regime for one incident: the regime's facts, the suggestion and decision, and its stages.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "RegimeClocks.ts")]
pub struct RegimeClocks {
    pub regime: String,
    pub name: String,
    pub legal_reference: String,
    pub notifies: String,
    pub verified: bool,
    pub notes: Vec<String>,
    pub trigger_kinds: Vec<String>,
    pub variants: Vec<String>,
    pub suggestion: Suggestion,
    pub decision: Option<RegimeDecision>,
    /// Applies, or suggested and not yet decided: its clocks run.
    pub applicable: bool,
    /// A person decided that it applies.
    pub confirmed: bool,
    /// The authority's zone used for day counts.
    pub zone: String,
    pub triggers: Vec<RegimeTrigger>,
    pub stages: Vec<StageView>,
    /// Why the clocks cannot be computed yet (e.g. the variant is not chosen).
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "IncidentClocks.ts")]
pub struct IncidentClocks {
    pub incident: String,
    /// The user's zone.
    pub zone: String,
    pub answers: ApplicabilityAnswers,
    /// Whether the record's data classes mention personal data (a hint for the first question).
    pub record_mentions_personal_data: bool,
    pub regimes: Vec<RegimeClocks>,
    /// The running clock due first, if any.
    pub most_urgent: Option<OpenClock>,
    pub computed_at: DateTime<Utc>,
}

/// A running (not yet submitted) clock with a due time, of any incident: for the register, desktop notifications
/// and the calendar export.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "OpenClock.ts")]
pub struct OpenClock {
    pub incident: String,
    pub incident_title: String,
    pub regime: String,
    pub regime_name: String,
    pub stage: String,
    pub due: DateTime<Utc>,
    pub state: ClockState,
    pub confirmed: bool,
    pub verified: bool,
}

/// Every regime's clocks for one incident, as of `now`.
pub fn clocks(store: &Store, key: &str, now: DateTime<Utc>) -> Result<IncidentClocks> {
    let catalog = catalog(store)?;
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    compute(&conn, &catalog, &incident, now)
}

/// The running clocks of every incident, most urgent first.
pub fn open_clocks(store: &Store, now: DateTime<Utc>) -> Result<Vec<OpenClock>> {
    let mut out = Vec::new();
    for_every_incident(store, now, |incident, clocks| {
        out.extend(running(incident, &clocks.regimes));
        Ok(())
    })?;
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.incident.cmp(&b.incident)));
    Ok(out)
}

/// The clocks of every incident that can have a due time, newest incident first, from one query per table however
/// many incidents there are (the calendar of every deadline and `deadlines --all`, which show due times only).
pub(crate) fn for_every_incident(
    store: &Store,
    now: DateTime<Utc>,
    mut visit: impl FnMut(&Incident, IncidentClocks) -> Result<()>,
) -> Result<()> {
    let catalog = catalog(store)?;
    let conn = store.connect()?;
    let user_zone = profile::zone(&conn)?;
    let mut inputs = ClockInputs::of_every_incident(&conn)?;
    for incident in incident::list(store, &incident::ListFilter::default())? {
        let Some(mine) = inputs.remove(&incident.uuid).filter(ClockInputs::can_have_due) else { continue };
        let clocks = compute_from(&catalog, &incident, user_zone, mine, now);
        visit(&incident, clocks)?;
    }
    Ok(())
}

/// What an incident's clocks are computed from: its stored answers, decisions, triggers, overrides and
/// notifications.
#[derive(Default)]
pub(crate) struct ClockInputs {
    answers: Option<ApplicabilityAnswers>,
    decisions: Vec<RegimeDecision>,
    triggers: Vec<RegimeTrigger>,
    overrides: Vec<DueOverride>,
    notifications: Vec<Notification>,
}

impl ClockInputs {
    /// Every clock runs from an anchor — a trigger or a submission — unless a legal reviewer set its due time: an
    /// incident with none of these has no due time in any regime.
    fn can_have_due(&self) -> bool {
        !self.triggers.is_empty()
            || !self.overrides.is_empty()
            || self.notifications.iter().any(|n| n.status == NotificationStatus::Submitted)
    }

    fn of(conn: &Connection, incident: &Incident) -> Result<ClockInputs> {
        Ok(ClockInputs {
            answers: applicability::stored(conn, incident)?,
            decisions: stored_decisions(conn, incident)?,
            triggers: stored_triggers(conn, incident)?,
            overrides: stored_overrides(conn, incident)?,
            notifications: drafts::stored(conn, incident)?,
        })
    }

    /// Every incident's inputs by incident UUID.
    fn of_every_incident(conn: &Connection) -> Result<HashMap<String, ClockInputs>> {
        let mut all: HashMap<String, ClockInputs> = HashMap::new();
        for a in super::ANSWERS.select::<ApplicabilityAnswers>(conn, "1 = 1", &[])? {
            let incident = a.incident.clone();
            all.entry(incident).or_default().answers = Some(a);
        }
        for d in super::DECISIONS.select::<RegimeDecision>(conn, "1 = 1", &[])? {
            all.entry(d.incident.clone()).or_default().decisions.push(d);
        }
        for t in super::TRIGGERS.select::<RegimeTrigger>(conn, "1 = 1", &[])? {
            all.entry(t.incident.clone()).or_default().triggers.push(t);
        }
        for o in super::OVERRIDES.select::<DueOverride>(conn, "1 = 1", &[])? {
            all.entry(o.incident.clone()).or_default().overrides.push(o);
        }
        for n in super::NOTIFICATIONS.select::<Notification>(conn, "1 = 1", &[])? {
            all.entry(n.incident.clone()).or_default().notifications.push(n);
        }
        Ok(all)
    }
}

/// The clocks of applicable regimes that have a due time and no submission yet, most urgent first.
fn running(incident: &Incident, regimes: &[RegimeClocks]) -> Vec<OpenClock> {
    let mut out: Vec<OpenClock> = regimes
        .iter()
        .filter(|r| r.applicable)
        .flat_map(|r| {
            r.stages.iter().filter(|s| s.submitted_at.is_none()).filter_map(move |s| {
                s.due.map(|due| OpenClock {
                    incident: incident.id.clone(),
                    incident_title: incident.fields.title.clone(),
                    regime: r.regime.clone(),
                    regime_name: r.name.clone(),
                    stage: s.stage.clone(),
                    due,
                    state: s.state,
                    confirmed: r.confirmed,
                    verified: r.verified,
                })
            })
        })
        .collect();
    out.sort_by_key(|c| c.due);
    out
}

pub(crate) fn compute(
    conn: &Connection,
    catalog: &Catalog,
    incident: &Incident,
    now: DateTime<Utc>,
) -> Result<IncidentClocks> {
    let user_zone = profile::zone(conn)?;
    Ok(compute_from(catalog, incident, user_zone, ClockInputs::of(conn, incident)?, now))
}

fn compute_from(
    catalog: &Catalog,
    incident: &Incident,
    user_zone: Tz,
    inputs: ClockInputs,
    now: DateTime<Utc>,
) -> IncidentClocks {
    let ClockInputs { answers, decisions, triggers, overrides, notifications } = inputs;
    let answers = answers.unwrap_or_default();
    let mut regimes = Vec::new();
    for regime in &catalog.regimes {
        let decision = decisions.iter().find(|d| d.regime == regime.id).cloned();
        let mine = |t: &&RegimeTrigger| t.regime == regime.id;
        let regime_triggers: Vec<RegimeTrigger> = triggers.iter().filter(mine).cloned().collect();
        let regime_notes: Vec<&Notification> = notifications.iter().filter(|n| n.regime == regime.id).collect();
        let regime_overrides: Vec<&DueOverride> = overrides.iter().filter(|o| o.regime == regime.id).collect();
        regimes.push(regime_clocks(
            catalog,
            regime,
            &answers,
            decision,
            regime_triggers,
            &regime_notes,
            &regime_overrides,
            user_zone,
            now,
        ));
    }
    let most_urgent = running(incident, &regimes).into_iter().next();
    IncidentClocks {
        incident: incident.id.clone(),
        zone: user_zone.name().to_string(),
        record_mentions_personal_data: applicability::record_mentions_personal_data(incident),
        answers,
        regimes,
        most_urgent,
        computed_at: now,
    }
}

#[allow(clippy::too_many_arguments)]
fn regime_clocks(
    catalog: &Catalog,
    regime: &Regime,
    answers: &ApplicabilityAnswers,
    decision: Option<RegimeDecision>,
    triggers: Vec<RegimeTrigger>,
    notifications: &[&Notification],
    overrides: &[&DueOverride],
    user_zone: Tz,
    now: DateTime<Utc>,
) -> RegimeClocks {
    let suggestion = applicability::suggest(&regime.id, answers);
    let decided = decision.as_ref().and_then(|d| d.decision);
    let confirmed = decided == Some(Decision::Applies);
    let applicable = confirmed || decided.is_none() && suggestion.suggested;
    let zone: Tz = decision.as_ref().and_then(|d| d.zone.as_deref()).and_then(|z| z.parse().ok()).unwrap_or(user_zone);
    let variant = decision.as_ref().and_then(|d| d.variant.clone());

    // The first submission of a stage marks it submitted; a chained stage may start from the latest (DORA final).
    let mut first_submitted: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
    let mut latest_submitted: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
    for n in notifications.iter().filter(|n| n.status == NotificationStatus::Submitted) {
        if let Some(at) = n.submitted_at {
            let first = first_submitted.entry(n.stage.clone()).or_insert(at);
            *first = (*first).min(at);
            let latest = latest_submitted.entry(n.stage.clone()).or_insert(at);
            *latest = (*latest).max(at);
        }
    }
    let mut anchors = first_submitted.clone();
    for stage in regime.stages.iter().filter(|s| s.anchor_latest) {
        if let Some(prev) = stage.anchor.strip_prefix(SUBMITTED) {
            if let Some(at) = latest_submitted.get(prev) {
                anchors.insert(prev.to_string(), *at);
            }
        }
    }
    let instants: BTreeMap<String, DateTime<Utc>> = triggers.iter().map(|t| (t.kind.clone(), t.at)).collect();

    let mut out = RegimeClocks {
        regime: regime.id.clone(),
        name: regime.name.clone(),
        legal_reference: regime.legal_reference.clone(),
        notifies: regime.notifies.clone(),
        verified: regime.verified,
        notes: regime.notes.clone(),
        trigger_kinds: regime.triggers.clone(),
        variants: regime.variants.clone(),
        suggestion,
        decision,
        applicable,
        confirmed,
        zone: zone.name().to_string(),
        triggers,
        stages: Vec::new(),
        problem: None,
    };
    if !applicable {
        return out;
    }
    let computed = match deadlines::compute(catalog, regime, variant.as_deref(), &instants, &anchors, zone) {
        Ok(c) => c,
        Err(e) => {
            out.problem = Some(e.to_string());
            return out;
        }
    };
    let stages = regime.stages.iter().filter(|s| s.variant.is_none() || s.variant == variant);
    for (stage, clock) in stages.zip(computed) {
        let due_override = overrides.iter().find(|o| o.stage == stage.name).map(|o| (*o).clone());
        let due = due_override.as_ref().and_then(|o| o.due).or(clock.due);
        let submitted_at = first_submitted.get(&stage.name).copied();
        let no_fixed_clock = matches!(stage.clock, deadlines::Clock::NoFixedClock);
        let started_at = if no_fixed_clock { instants.get(&stage.anchor).copied() } else { None };
        let waiting = clock.waits_for.is_some() && due.is_none();
        let state = state_at(due, submitted_at, waiting, now);
        let mut stage_notes: Vec<Notification> =
            notifications.iter().filter(|n| n.stage == stage.name).map(|n| (*n).clone()).collect();
        stage_notes.sort_by_key(|n| n.sequence);
        out.stages.push(StageView {
            stage: stage.name.clone(),
            rule: clock.rule,
            waits_for: clock.waits_for,
            computed_due: clock.due,
            computed_due_date: clock.due_date,
            due_override,
            due,
            due_user: due.map(|d| shown(d, user_zone)),
            due_authority: due.map(|d| shown(d, zone)),
            started_at,
            state,
            submitted_at,
            content: stage.content.clone(),
            notifications: stage_notes,
            working_day_note: working_day_note(catalog, regime, out.decision.as_ref(), due, submitted_at, zone),
        });
    }
    out
}

/// DORA's unverified rule: a report due on a weekend or holiday may go in by 12:00 of the next working day. The
/// strict time stays the due time; this only says what the later one would be.
fn working_day_note(
    catalog: &Catalog,
    regime: &Regime,
    decision: Option<&RegimeDecision>,
    due: Option<DateTime<Utc>>,
    submitted: Option<DateTime<Utc>>,
    zone: Tz,
) -> Option<String> {
    if !regime.working_day_note || submitted.is_some() {
        return None;
    }
    let due = due?;
    let Some(calendar) = decision.and_then(|d| d.calendar.as_deref()) else {
        return Some(
            "Pick the Member State's holiday calendar to see whether the next-working-day rule (unverified) could              apply."
                .into(),
        );
    };
    let name = catalog.calendars.get(calendar).map_or(calendar, |c| c.name.as_str());
    match deadlines::next_working_noon(catalog, calendar, due, zone) {
        Ok(Some(noon)) => Some(format!(
            "Due on a weekend or holiday ({name}). Unverified: some financial entities may submit by {}, the next              working day at 12:00. Firebreak keeps the strict due time.",
            shown(noon, zone)
        )),
        Ok(None) => None,
        Err(e) => Some(e.to_string()),
    }
}

/// A stage's state at `now`.
pub(crate) fn state_at(
    due: Option<DateTime<Utc>>,
    submitted: Option<DateTime<Utc>>,
    waiting: bool,
    now: DateTime<Utc>,
) -> ClockState {
    if let Some(at) = submitted {
        return match due {
            Some(due) if at <= due => ClockState::SubmittedOnTime,
            Some(_) => ClockState::SubmittedLate,
            None => ClockState::Submitted,
        };
    }
    let Some(due) = due else {
        return if waiting { ClockState::Waiting } else { ClockState::Running };
    };
    let left = due - now;
    if left < Duration::zero() {
        ClockState::Overdue
    } else if left <= Duration::hours(4) {
        ClockState::Due4h
    } else if left <= Duration::hours(24) {
        ClockState::Due24h
    } else {
        ClockState::Upcoming
    }
}

/// The desktop notification a running clock has reached at `now`, if any.
pub fn alert_level(due: DateTime<Utc>, now: DateTime<Utc>) -> Option<AlertLevel> {
    let left = due - now;
    if left < Duration::zero() {
        Some(AlertLevel::Overdue)
    } else if left <= Duration::hours(1) {
        Some(AlertLevel::Hours1)
    } else if left <= Duration::hours(4) {
        Some(AlertLevel::Hours4)
    } else if left <= Duration::hours(24) {
        Some(AlertLevel::Hours24)
    } else {
        None
    }
}

pub(crate) fn shown(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z").to_string() + &format!(" ({})", zone.name())
}
