//! The regulator notification for one regime and stage: the approved or submitted text as it stands, its
//! required-content checklist, the clock in the user's and the authority's zone, reasons for a delay and the
//! submitted text's SHA-256. A draft nobody approved yet is watermarked DRAFT on every page.

use super::dossier::Dossier;
use super::frame::{bold, col, field, fields, h1, h2, nothing, para, table, words, Frame, NONE};
use crate::error::{Error, Result};
use crate::pdf::{Align, Block, Document, PageSetup, Span, Tone};
use crate::phases::notification::{text_hash, ClockState, Notification, NotificationStatus, RegimeClocks, StageView};

/// The regime, stage and notification a regulator notification document is about, or why there is none.
pub(crate) fn select<'a>(
    d: &'a Dossier,
    regime: &str,
    stage: &str,
) -> Result<(&'a RegimeClocks, &'a StageView, &'a Notification)> {
    let known: Vec<&str> = d.clocks.regimes.iter().map(|r| r.regime.as_str()).collect();
    let r = d.clocks.regimes.iter().find(|r| r.regime == regime).ok_or_else(|| {
        Error::invalid(
            "regime",
            format!("\"{regime}\" is not a regime Firebreak knows. Regimes: {}.", known.join(", ")),
        )
    })?;
    if !r.applicable {
        return Err(Error::invalid(
            "regime",
            format!(
                "{} does not apply to {} (it was decided so, or the applicability answers do not suggest it), so there \
                 is no notification to print. `firebreak notification regimes {}` shows which regimes apply.",
                r.name, d.incident.id, d.incident.id
            ),
        ));
    }
    let s = r.stages.iter().find(|s| s.stage == stage).ok_or_else(|| {
        let stages: Vec<&str> = r.stages.iter().map(|s| s.stage.as_str()).collect();
        Error::invalid("stage", format!("{} has no stage \"{stage}\". Its stages: {}.", r.name, stages.join(", ")))
    })?;
    let n = current(s).ok_or_else(|| {
        Error::invalid(
            "stage",
            format!(
                "No {} {} notification has been drafted for {} yet. Draft it first (Regulatory notification tab, or `firebreak notification \
                 draft {} {regime} --stage {stage}`).",
                r.name,
                words(stage).to_lowercase(),
                d.incident.id,
                d.incident.id
            ),
        )
    })?;
    Ok((r, s, n))
}

/// The notification a document prints: the open one (draft or approved), else the latest submitted.
fn current(stage: &StageView) -> Option<&Notification> {
    stage
        .notifications
        .iter()
        .find(|n| n.status != NotificationStatus::Submitted)
        .or_else(|| stage.notifications.last())
}

pub(crate) fn document(d: &Dossier, frame: &Frame, regime: &str, stage: &str) -> Result<Document> {
    let (r, s, n) = select(d, regime, stage)?;
    let which = if n.sequence > 1 { format!(", supplement {}", n.sequence - 1) } else { String::new() };
    let name = format!("{} — {}{which}", r.name, words(&s.stage));
    let mut b = vec![Block::Title {
        text: "Regulator notification".into(),
        subtitle: Some(format!("{name} — {}", d.incident.id)),
    }];
    let mut rows = vec![
        field(
            "Regime",
            &format!("{}{}", r.name, if r.verified { "" } else { " (unverified: seen only in secondary sources)" }),
        ),
        field("Legal basis", &r.legal_reference),
        field("Notifies", &r.notifies),
        field("Stage", &format!("{}{which}", words(&s.stage))),
        field("Incident", &format!("{} — {}", d.incident.id, frame.text(&d.incident.fields.title))),
        field("Status", n.status.label()),
        field(
            "Approved by",
            &match &n.approved_by {
                Some(by) => format!("{} at {}", frame.person(by), frame.maybe_time(n.approved_at)),
                None => "Not approved".into(),
            },
        ),
    ];
    if n.status == NotificationStatus::Submitted {
        rows.push(field(
            "Submitted",
            &format!(
                "{} by {}{}",
                frame.maybe_time(n.submitted_at),
                frame.person(n.submitted_by.as_deref().unwrap_or_default()),
                n.channel.as_deref().map(|c| format!(" via {}", frame.text(c))).unwrap_or_default()
            ),
        ));
        rows.push(field("Authority's reference", &n.reference.as_deref().map(|x| frame.text(x)).unwrap_or_default()));
    }
    rows.extend(frame.provenance());
    b.push(fields(rows));
    if n.status == NotificationStatus::Draft {
        b.push(Block::Note {
            spans: vec![
                bold("Draft. "),
                Span::plain("Nobody has approved this text yet; it must not be sent as it is."),
            ],
            tone: Tone::Warning,
        });
    }

    clock_section(frame, r, s, n, &mut b);
    required_content(s, n, &mut b);
    text_section(frame, n, &mut b);
    b.extend(frame.integrity_section());
    let watermark = (n.status == NotificationStatus::Draft).then(|| "DRAFT".to_string());
    let subject = format!("{} · {name}", d.incident.id);
    Ok(frame.document(&subject, &format!("{name} — {}", d.incident.id), PageSetup::default(), watermark, b))
}

/// When the clock started, what was due when, whether it was met, and why not.
fn clock_section(frame: &Frame, r: &RegimeClocks, s: &StageView, n: &Notification, b: &mut Vec<Block>) {
    b.push(h1("The clock"));
    let triggers = if r.triggers.is_empty() {
        NONE.to_string()
    } else {
        r.triggers
            .iter()
            .map(|t| {
                format!(
                    "{}: {} (decided by {})",
                    words(&t.kind),
                    both_zones(t.at, frame, &r.zone),
                    frame.person(&t.decided_by)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut clock = vec![
        field("Trigger", &triggers),
        field("Rule", &s.rule),
        field("Due (your zone)", s.due_user.as_deref().or(s.waits_for.as_deref()).unwrap_or(NONE)),
        field("Due (authority's zone)", s.due_authority.as_deref().unwrap_or(NONE)),
        field("Submitted", &s.submitted_at.map(|t| both_zones(t, frame, &r.zone)).unwrap_or_else(|| "Not yet".into())),
        field("On time or late", &timeliness(s, frame)),
    ];
    if let Some(o) = &s.due_override {
        clock.push(field(
            "Legal override",
            &format!(
                "Due time set to {} by {} at {}: {} (computed: {})",
                frame.maybe_time(o.due),
                frame.person(&o.decided_by),
                frame.time(o.decided_at),
                frame.text(&o.reason),
                frame.maybe_time(s.computed_due)
            ),
        ));
    }
    if let Some(note) = &s.working_day_note {
        clock.push(field("Working-day note", note));
    }
    b.push(fields(clock));
    let late = matches!(s.state, ClockState::SubmittedLate | ClockState::Overdue)
        || n.submitted_at.zip(s.due).is_some_and(|(at, due)| at > due);
    if late || !n.delay_reasons.trim().is_empty() {
        b.push(h2("Reasons for the delay"));
        if n.delay_reasons.trim().is_empty() {
            b.push(Block::Note {
                spans: vec![Span::plain("Late, and no reasons for the delay are recorded yet.")],
                tone: Tone::Danger,
            });
        } else {
            b.push(para(&frame.text(&n.delay_reasons)));
        }
    }
}

/// The regime's checklist for the stage against what the text provides.
fn required_content(s: &StageView, n: &Notification, b: &mut Vec<Block>) {
    b.push(h1("Required content"));
    let rows = s
        .content
        .iter()
        .map(|item| {
            let given = n.content.get(&item.key).is_some_and(|v| !v.trim().is_empty());
            vec![
                item.label.clone(),
                if item.required { "Required" } else { "Optional" }.into(),
                if given {
                    "Provided"
                } else if item.required {
                    "MISSING"
                } else {
                    "Not available"
                }
                .into(),
            ]
        })
        .collect::<Vec<_>>();
    if rows.is_empty() {
        b.push(nothing("The regime lists no required content for this stage."));
    } else {
        b.push(table(vec![col("Item", 4.0), col("", 0.9), col("In this text", 1.1)], rows));
    }
}

/// The text itself and its SHA-256, which says whether it is still the text that was submitted.
fn text_section(frame: &Frame, n: &Notification, b: &mut Vec<Block>) {
    b.push(h1(if n.status == NotificationStatus::Submitted { "The submitted text" } else { "The text" }));
    for line in frame.text(&n.text).lines() {
        let heading = line.starts_with('#');
        b.push(Block::Paragraph {
            spans: vec![if heading { Span::bold(line) } else { Span::plain(line) }],
            size: None,
            align: Align::Left,
        });
    }
    b.push(h2("SHA-256 of the text"));
    match (&n.text_hash, n.status) {
        (Some(hash), NotificationStatus::Submitted) => {
            let matches = text_hash(&n.text) == *hash;
            b.push(Block::Paragraph { spans: vec![Span::mono(hash)], size: None, align: Align::Left });
            b.push(Block::Note {
                spans: vec![Span::plain(if matches {
                    "The text kept in Firebreak still has this hash: it is the text that was submitted."
                } else {
                    "The text kept in Firebreak no longer has the hash recorded at submission: it was changed afterwards."
                })],
                tone: if matches { Tone::Success } else { Tone::Danger },
            });
            if frame.redaction.is_external() {
                b.push(para("This external copy has people's names and contacts replaced, so its text differs from the submitted one; the hash is that of the submitted text."));
            }
        }
        _ => b.push(para(&format!(
            "Not submitted yet: the text may still change. Its current SHA-256 is {}.",
            text_hash(&n.text)
        ))),
    }
}

/// An instant in the user's zone and, when different, the authority's.
fn both_zones(t: chrono::DateTime<chrono::Utc>, frame: &Frame, authority: &str) -> String {
    let mine = format!("{} {}", frame.time(t), frame.zone.name());
    match authority.parse::<chrono_tz::Tz>() {
        Ok(zone) if zone != frame.zone => {
            format!("{mine} ({} {})", t.with_timezone(&zone).format("%Y-%m-%d %H:%M"), zone.name())
        }
        _ => mine,
    }
}

fn timeliness(s: &StageView, frame: &Frame) -> String {
    match (s.state, s.due, s.submitted_at) {
        (ClockState::SubmittedOnTime, Some(due), Some(at)) => {
            format!("On time ({} before the due time)", span(due - at))
        }
        (ClockState::SubmittedLate, Some(due), Some(at)) => format!("LATE by {}", span(at - due)),
        (ClockState::Overdue, Some(due), None) => format!("OVERDUE by {} at generation", span(frame.at - due)),
        (state, Some(due), None) => format!("{} — {} left at generation", state.label(), span(due - frame.at)),
        (state, _, _) => state.label().to_string(),
    }
}

/// A duration in days, hours and minutes.
fn span(d: chrono::Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins:02} min"),
        _ => format!("{days} d {hours} h {mins:02} min"),
    }
}
