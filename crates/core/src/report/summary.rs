//! The one-page summary: the one-page incident template of the response checklist, exactly one page whatever the
//! record holds. Every value has a line budget; text longer than its budget is cut at a word and ends with a
//! visible "continued in the full report" marker.

use super::dossier::Dossier;
use super::frame::{Frame, NONE};
use crate::error::{Error, Result};
use crate::pdf::{self, Align, Block, Document, Face, Fields, Orientation, PageSetup, Span};
use crate::phases::affected::{ObjectStatus, RecoveryAction};
use crate::phases::containment::{ContainmentArea, ContainmentStatus};
use crate::phases::evidence::EvidenceStatus;
use crate::phases::pause::PauseScope;
use std::collections::BTreeSet;

/// What a value cut to its budget ends with.
pub(crate) const CONTINUED: &str = " … (continued in the full report)";

const BODY: f32 = 9.0;
/// The largest line budget of a value.
const MAX_LINES: usize = 4;
const LABEL_SHARE: f32 = 0.27;

/// The summary, rendered: when a record is so full that the budgets still overflow the page (long words wrap to
/// more lines than the estimate), every budget is tightened by a line until it fits.
pub(crate) fn render(d: &Dossier, frame: &Frame) -> Result<pdf::Rendered> {
    let mut rendered = pdf::render(&document(d, frame, 0))?;
    for tighter in 1..=MAX_LINES {
        if rendered.pages <= 1 {
            break;
        }
        rendered = pdf::render(&document(d, frame, tighter))?;
    }
    if rendered.pages > 1 {
        return Err(Error::storage(format!(
            "The one-page summary of {} did not fit on one page. Generate the full report instead, and report this.",
            d.incident.id
        )));
    }
    Ok(rendered)
}

fn document(d: &Dossier, frame: &Frame, tighter: usize) -> Document {
    let page = PageSetup { orientation: Orientation::Portrait, margin: 42.0, body_size: BODY };
    // The value column, less the engine's cell padding on both sides and a little slack for rounding.
    let value_width = page.content_width() * (1.0 - LABEL_SHARE) - 14.0;
    let rows: Vec<(String, Vec<Span>)> = entries(d, frame)
        .into_iter()
        .map(|(label, text, lines)| {
            let lines = lines.saturating_sub(tighter).max(1);
            let (text, _) = pdf::fit(&text, Face::Regular, BODY, value_width, lines, CONTINUED);
            (label.to_string(), vec![Span::plain(if text.trim().is_empty() { NONE.to_string() } else { text })])
        })
        .collect();
    let title =
        pdf::fit(&frame.text(&d.incident.fields.title), Face::Bold, BODY * 1.35, page.content_width(), 2, CONTINUED).0;
    let blocks = vec![
        Block::Heading { level: 1, text: format!("{} — one-page summary", d.incident.id), new_page: false },
        Block::Paragraph { spans: vec![Span::bold(title)], size: Some(BODY * 1.35), align: Align::Left },
        Block::Fields(Fields { rows, label_width: LABEL_SHARE }),
        Block::Paragraph {
            spans: vec![Span::italic(format!(
                "{} · generated {} by {} from audit entry #{} · {}",
                frame.classification.label(),
                frame.generated(),
                frame.generated_by(),
                frame.integrity.head_seq,
                if frame.integrity.verify.intact { "audit trail intact" } else { "audit trail NOT intact" },
            ))
            .colored(pdf::Rgb::MUTED)],
            size: Some(BODY * 0.85),
            align: Align::Left,
        },
    ];
    frame.document(&d.incident.id, &format!("{} — one-page summary", d.incident.id), page, None, blocks)
}

/// The template's lines: label, text, and how many lines the text may take.
fn entries(d: &Dossier, frame: &Frame) -> Vec<(&'static str, String, usize)> {
    let f = &d.incident.fields;
    let list = |items: Vec<String>| items.into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join("; ");
    let agent = list(vec![
        frame.text(&f.agent),
        labelled("model", &frame.text(&f.model)),
        labelled("version", &frame.text(&f.model_version)),
        labelled("prompt/config", &frame.text(&f.prompt_config_hash)),
        labelled("tools", &frame.text(&f.toolset.join(", "))),
    ]);
    let owners = list(vec![
        labelled("Commander", &frame.redaction.person(&f.commander)),
        labelled("Business", &frame.redaction.person(&f.business_owner)),
        labelled("Technical", &frame.redaction.person(&f.technical_owner)),
    ]);
    let detected =
        list(vec![f.detected_by.map(|d| d.label().to_string()).unwrap_or_default(), frame.maybe_time(f.detected_at)]);
    vec![
        ("Incident ID", d.incident.id.clone(), 1),
        ("Workflow", frame.text(&f.workflow), 1),
        ("Agent / runtime", agent, 2),
        ("Owners", owners, 2),
        ("Detected by / at", detected, 1),
        ("Aware at", frame.maybe_time(f.aware_at), 1),
        (
            "Severity / status",
            format!("{} · {}", f.severity.map(|s| s.label()).unwrap_or("Not assessed"), f.status.label()),
            1,
        ),
        ("Affected systems", frame.text(&f.affected_systems.join(", ")), 2),
        ("Data classes", f.data_classes.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "), 2),
        ("Customer impact", frame.text(&f.customer_impact), 2),
        ("Vendor impact", frame.text(&f.vendor_impact), 2),
        ("Employee impact", frame.text(&f.employee_impact), 2),
        ("Agent paused?", paused(d, frame), 2),
        ("Tools disabled", tools_disabled(d, frame), 2),
        ("Credentials rotated?", credentials(d, frame), 1),
        ("Evidence preserved", evidence(d), 2),
        ("Side effects found", side_effects(d), 2),
        ("Recovery actions", recovery(d), 2),
        ("Regulatory clocks", clocks(d, frame), 2),
        ("Communication owner", communication_owner(d, frame), 1),
        ("Postmortem owner", postmortem_owner(d, frame), 1),
        ("Required fixes", fixes(d, frame), 4),
        ("Re-enable scope / approver", reenable(d, frame), 2),
        ("First monitored run", first_run(d, frame), 1),
    ]
}

fn labelled(label: &str, value: &str) -> String {
    if value.trim().is_empty() {
        String::new()
    } else {
        format!("{label}: {value}")
    }
}

/// Yes (the whole workflow is paused), partial (something narrower is), or no.
fn paused(d: &Dossier, frame: &Frame) -> String {
    let active: Vec<_> = d.pauses.iter().filter(|p| p.lifted_at.is_none()).collect();
    if active.iter().any(|p| p.scope == PauseScope::Workflow) {
        return format!("Yes — the whole workflow ({} pause(s) in force)", active.len());
    }
    if !active.is_empty() {
        let what: Vec<String> = active.iter().map(|p| frame.text(&p.target)).collect();
        return format!("Partial — {}", what.join(", "));
    }
    match d.pauses.iter().filter_map(|p| p.lifted_at).max() {
        Some(last) => format!("No — all {} pause(s) lifted, the last at {}", d.pauses.len(), frame.time(last)),
        None => "No — nothing was paused".into(),
    }
}

fn tools_disabled(d: &Dossier, frame: &Frame) -> String {
    let tools: Vec<String> = d
        .pauses
        .iter()
        .filter(|p| {
            p.lifted_at.is_none() && matches!(p.scope, PauseScope::Tool | PauseScope::Permission | PauseScope::Sends)
        })
        .map(|p| frame.text(&p.target))
        .collect();
    let write_tools = d.containment.iter().find(|c| c.area == ContainmentArea::WriteTools).map(|c| c.status);
    let mut parts = Vec::new();
    if !tools.is_empty() {
        parts.push(tools.join(", "));
    }
    if write_tools == Some(ContainmentStatus::Done) {
        parts.push("write tools contained".into());
    }
    if parts.is_empty() {
        "None".into()
    } else {
        parts.join("; ")
    }
}

fn credentials(d: &Dossier, frame: &Frame) -> String {
    let areas = [ContainmentArea::TokensSecrets, ContainmentArea::OauthGrants];
    let items: Vec<_> = d.containment.iter().filter(|c| areas.contains(&c.area)).collect();
    if items.iter().any(|c| c.status == ContainmentStatus::Done) {
        let when = items.iter().filter_map(|c| c.done_at).max();
        return format!("Yes{}", when.map(|w| format!(", {}", frame.time(w))).unwrap_or_default());
    }
    if !items.is_empty() && items.iter().all(|c| c.status == ContainmentStatus::NotNeeded) {
        return "Not needed".into();
    }
    "No — still to do".into()
}

fn evidence(d: &Dossier) -> String {
    let preserved = d.evidence_kinds.iter().filter(|k| k.status == EvidenceStatus::Preserved).count();
    let required: Vec<&str> =
        d.evidence_kinds.iter().filter(|k| k.status == EvidenceStatus::Required).map(|k| k.kind.label()).collect();
    let mut text =
        format!("{preserved} of {} kinds preserved, {} file(s) hashed", d.evidence_kinds.len(), d.evidence_files.len());
    if !required.is_empty() {
        text.push_str(&format!("; still required: {}", required.join(", ")));
    }
    text
}

fn side_effects(d: &Dossier) -> String {
    let c = &d.object_counts;
    if c.total == 0 {
        return "None recorded".into();
    }
    let actions: Vec<String> = c.by_action.iter().map(|(a, n)| format!("{n} {a}")).collect();
    format!("{} object(s) in {} system(s): {}", c.total, c.by_system.len(), actions.join(", "))
}

fn recovery(d: &Dossier) -> String {
    let c = &d.object_counts;
    if c.total == 0 {
        return NONE.into();
    }
    let status = |s: ObjectStatus| c.by_status.iter().find(|(k, _)| k == s.key()).map(|(_, n)| *n).unwrap_or(0);
    let mut actions: Vec<(RecoveryAction, u64)> = Vec::new();
    for o in &d.objects {
        if let Some(a) = o.recovery_action {
            match actions.iter_mut().find(|(x, _)| *x == a) {
                Some((_, n)) => *n += 1,
                None => actions.push((a, 1)),
            }
        }
    }
    let actions: Vec<String> = actions.iter().map(|(a, n)| format!("{n} {}", a.label().to_lowercase())).collect();
    format!(
        "{} recovered, {} in progress, {} open, {} not needed; {} undecided. Actions: {}",
        status(ObjectStatus::Recovered),
        status(ObjectStatus::InProgress),
        status(ObjectStatus::Open),
        status(ObjectStatus::NotNeeded),
        c.undecided,
        if actions.is_empty() { NONE.to_string() } else { actions.join(", ") }
    )
}

fn clocks(d: &Dossier, frame: &Frame) -> String {
    let lines: Vec<String> = d
        .clocks
        .regimes
        .iter()
        .filter(|r| r.applicable)
        .flat_map(|r| {
            r.stages.iter().map(move |s| {
                let when =
                    s.submitted_at.map(|t| frame.time(t)).or_else(|| s.due.map(|t| format!("due {}", frame.time(t))));
                format!(
                    "{} {}: {}{}",
                    r.name,
                    s.stage.replace('_', " "),
                    s.state.label(),
                    when.map(|w| format!(" ({w})")).unwrap_or_default()
                )
            })
        })
        .collect();
    if lines.is_empty() {
        "No regime applies".into()
    } else {
        lines.join("; ")
    }
}

fn communication_owner(d: &Dossier, frame: &Frame) -> String {
    let owners: BTreeSet<String> = d
        .communications
        .iter()
        .filter_map(|c| c.communication.as_ref())
        .map(|c| c.owner.trim().to_string())
        .filter(|o| !o.is_empty())
        .map(|o| frame.redaction.person(&o))
        .collect();
    if owners.is_empty() {
        frame.redaction.person(&d.incident.fields.business_owner)
    } else {
        owners.into_iter().collect::<Vec<_>>().join(", ")
    }
}

/// The postmortem has no owner of its own: the incident commander leads it.
fn postmortem_owner(d: &Dossier, frame: &Frame) -> String {
    let commander = frame.redaction.person(&d.incident.fields.commander);
    if commander.trim().is_empty() {
        return NONE.into();
    }
    let state = if d.postmortem.postmortem.completed { "complete" } else { "in progress" };
    format!("{commander} (incident commander; postmortem {state})")
}

fn fixes(d: &Dossier, frame: &Frame) -> String {
    let items: Vec<String> = d
        .postmortem
        .remediation
        .iter()
        .map(|r| {
            let owner = frame.redaction.person(&r.owner);
            let due = r.due_date.map(|d| format!(", due {d}")).unwrap_or_default();
            format!(
                "{}: {} ({owner}{due}, {})",
                r.control_type.label(),
                frame.text(&r.description),
                r.status.label().to_lowercase()
            )
        })
        .collect();
    items.join("; ")
}

fn reenable(d: &Dossier, frame: &Frame) -> String {
    let last = d.reenable.signoffs.last();
    let signed = last.map(|s| {
        format!("{} signed by {} at {}", s.stage.label(), frame.redaction.person(&s.approver), frame.time(s.signed_at))
    });
    let next = d.reenable.next_stage.map(|s| format!("next: {}", s.label()));
    match (signed, next) {
        (Some(s), Some(n)) => format!("{s}; {n}"),
        (Some(s), None) => s,
        (None, Some(n)) => format!("Not re-enabled; {n}"),
        (None, None) => "Not re-enabled".into(),
    }
}

fn first_run(d: &Dossier, frame: &Frame) -> String {
    match d.reenable.signoffs.iter().filter_map(|s| s.first_run_at.map(|t| (t, s.stage))).max_by_key(|(t, _)| *t) {
        Some((t, stage)) => format!("{} (stage {})", frame.time(t), stage.label().to_lowercase()),
        None => "Not yet".into(),
    }
}
