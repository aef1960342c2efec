//! The full incident report: cover, contents, executive summary, the record, and every phase of the response in
//! the order it happened, ending with the integrity section. Legal and compliance sign this one.

use super::charts;
use super::dossier::Dossier;
use super::frame::{bold, col, field, fields, h1, h2, h3, nothing, para, table, words, yes_no, Frame, NONE};
use crate::incident::{FieldKind, FIELDS};
use crate::pdf::{Align, Block, Cell, Column, Document, Figure, PageSetup, Row, Span, Table, Tone};
use crate::phases::affected::ObjectStatus;
use crate::phases::notification::{Answer, ClockState, NotificationStatus, RegimeClocks, Region, StageView};
use crate::phases::reenable::ReenableStage;
use crate::phases::Phase;
use serde_json::Value;

pub(crate) fn document(d: &Dossier, frame: &Frame) -> Document {
    let page = PageSetup::default();
    let mut b = Vec::new();
    cover(d, frame, &mut b);
    b.push(h1("Contents"));
    b.push(Block::Contents);
    executive_summary(d, frame, &mut b);
    record(d, frame, &mut b);
    for section in SECTIONS {
        (section.write)(d, frame, &page, &mut b);
    }
    b.extend(frame.integrity_section());
    let subject = &d.incident.id;
    let title = format!("{} — {}", d.incident.id, frame.text(&d.incident.fields.title));
    frame.document(subject, &title, page, None, b)
}

/// One section of the report after the record, and the phases whose records it reports.
struct Section {
    // Read by the test below, which holds every phase to one section.
    #[cfg_attr(not(test), expect(dead_code))]
    phases: &'static [Phase],
    write: fn(&Dossier, &Frame, &PageSetup, &mut Vec<Block>),
}

/// The response as the report tells it, in reading order. Every phase is reported by exactly one section (a test
/// holds this), so a new phase cannot be left out of the document legal signs.
const SECTIONS: &[Section] = &[
    Section { phases: &[Phase::Severity], write: |d, f, _, b| severity(d, f, b) },
    Section { phases: &[], write: |d, f, p, b| timeline(d, f, p.content_width(), p.body_size, b) },
    Section { phases: &[Phase::Pause, Phase::Containment], write: |d, f, _, b| pause_and_containment(d, f, b) },
    Section { phases: &[Phase::Playbooks], write: |d, f, _, b| playbooks(d, f, b) },
    Section { phases: &[Phase::Evidence], write: |d, f, _, b| evidence(d, f, b) },
    Section {
        phases: &[Phase::SideEffectAudit],
        write: |d, f, p, b| side_effects(d, f, p.content_width(), p.body_size, b),
    },
    Section { phases: &[Phase::Recovery], write: |d, f, _, b| recovery(d, f, b) },
    Section { phases: &[Phase::Communication], write: |d, f, _, b| communication(d, f, b) },
    Section { phases: &[Phase::Notification], write: |d, f, _, b| notifications(d, f, b) },
    Section { phases: &[Phase::Postmortem], write: |d, f, _, b| postmortem(d, f, b) },
    Section { phases: &[Phase::Reenable], write: |d, f, _, b| reenable(d, f, b) },
];

/// The cover: what, how bad, who owns it, and where the document comes from.
pub(crate) fn cover(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    let f = &d.incident.fields;
    b.push(Block::Title {
        text: frame.kind.label().to_string(),
        subtitle: Some(format!("{} — {}", d.incident.id, frame.text(&f.title))),
    });
    let mut rows = vec![
        field("Incident ID", &d.incident.id),
        field("Title", &frame.text(&f.title)),
        field("Severity", f.severity.map(|s| s.label()).unwrap_or("Not assessed")),
        field("Status", f.status.label()),
        field("Incident commander", &frame.person(&f.commander)),
        field("Business owner", &frame.person(&f.business_owner)),
        field("Technical owner", &frame.person(&f.technical_owner)),
    ];
    rows.extend(frame.provenance());
    b.push(fields(rows));
    if frame.redaction.is_external() {
        b.push(Block::Note {
            spans: vec![bold("External copy. "), Span::plain("Prepared for a recipient outside the organisation.")],
            tone: Tone::Info,
        });
    }
    b.push(Block::PageBreak);
}

fn executive_summary(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    let f = &d.incident.fields;
    b.push(h1("Executive summary"));
    if !f.summary.trim().is_empty() {
        b.push(para(&frame.text(&f.summary)));
    }
    let mut facts = Vec::new();
    let detected = match (f.detected_by, f.detected_at) {
        (Some(by), Some(at)) => format!("Detected by {} at {}.", by.label().to_lowercase(), frame.time(at)),
        (None, Some(at)) => format!("Detected at {}.", frame.time(at)),
        (Some(by), None) => format!("Detected by {}.", by.label().to_lowercase()),
        (None, None) => "Detection not recorded.".into(),
    };
    facts.push(detected);
    if let Some(at) = f.aware_at {
        facts.push(format!("The organisation became aware at {} (regulatory clocks start here).", frame.time(at)));
    }
    facts.push(match f.severity {
        Some(s) => format!("Severity: {}.", s.label()),
        None => "Severity not assessed yet.".into(),
    });
    let active = d.pauses.iter().filter(|p| p.lifted_at.is_none()).count();
    facts.push(format!("{} pause action(s) recorded, {active} still in force.", d.pauses.len()));
    let c = &d.object_counts;
    let recovered = count_status(d, ObjectStatus::Recovered) + count_status(d, ObjectStatus::NotNeeded);
    facts.push(format!(
        "{} affected object(s) in {} system(s); {recovered} recovered or needing no recovery, {} without a decided \
         recovery action.",
        c.total,
        c.by_system.len(),
        c.undecided
    ));
    let stages: Vec<&StageView> = applicable(d).flat_map(|r| r.stages.iter()).collect();
    let submitted = stages.iter().filter(|s| s.submitted_at.is_some()).count();
    let overdue = stages.iter().filter(|s| s.state == ClockState::Overdue).count();
    let late = stages.iter().filter(|s| s.state == ClockState::SubmittedLate).count();
    facts.push(format!(
        "Regulatory notification: {} regime(s) apply or may apply; {submitted} of {} stage(s) submitted, {late} late, {overdue} overdue.",
        applicable(d).count(),
        stages.len()
    ));
    if !d.postmortem.postmortem.root_cause.trim().is_empty() {
        facts.push(format!("Root cause: {}", frame.text(&d.postmortem.postmortem.root_cause)));
    }
    facts.push(match d.reenable.signoffs.last() {
        Some(s) => format!("Re-enable: stage \"{}\" signed off by {}.", s.stage.label(), frame.person(&s.approver)),
        None => "Re-enable: no stage signed off yet.".into(),
    });
    b.push(Block::Table(Table {
        columns: vec![Column::new("Key facts", 1.0)],
        rows: facts.into_iter().map(|f| Row { cells: vec![Cell::text(f)], fill: None }).collect(),
        size: None,
    }));
    for w in &d.guidance.warnings {
        b.push(Block::Note { spans: vec![Span::plain(frame.text(w))], tone: Tone::Warning });
    }
    b.push(h2("Where the response stands"));
    let rows = d
        .guidance
        .phases
        .iter()
        .map(|p| {
            let state = if p.complete { "Complete" } else { "Open" };
            let missing = if p.missing.is_empty() { NONE.to_string() } else { p.missing.join("; ") };
            Row {
                cells: vec![Cell::text(&p.label), Cell::text(state), Cell::text(missing)],
                fill: (!p.complete).then_some(crate::pdf::Rgb(1.0, 0.97, 0.90)),
            }
        })
        .collect();
    b.push(Block::Table(Table {
        columns: vec![col("Phase", 1.3), col("State", 0.7), col("Still missing", 4.0)],
        rows,
        size: None,
    }));
}

fn count_status(d: &Dossier, status: ObjectStatus) -> u64 {
    d.object_counts.by_status.iter().find(|(s, _)| s == status.key()).map(|(_, n)| *n).unwrap_or(0)
}

fn applicable(d: &Dossier) -> impl Iterator<Item = &RegimeClocks> {
    d.clocks.regimes.iter().filter(|r| r.applicable)
}

fn record(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("The record"));
    let value = serde_json::to_value(&d.incident.fields).unwrap_or(Value::Null);
    let mut rows = vec![field("Incident ID", &d.incident.id), field("Opened", &frame.time(d.incident.created_at))];
    for spec in FIELDS {
        let v = &value[spec.name];
        let shown = match spec.kind {
            FieldKind::Person => frame.person(v.as_str().unwrap_or_default()),
            FieldKind::Time => v
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| frame.time(t.with_timezone(&chrono::Utc)))
                .unwrap_or_else(|| NONE.into()),
            _ => frame.text(&field_text(&d.incident.fields, spec.name, v)),
        };
        rows.push(field(spec.label, &shown));
    }
    b.push(fields(rows));
}

/// A record field in words: choice labels, lists joined, incident types with their OWASP mapping.
fn field_text(f: &crate::incident::IncidentFields, name: &str, v: &Value) -> String {
    match name {
        "status" => f.status.label().into(),
        "severity" => f.severity.map(|s| s.label().to_string()).unwrap_or_default(),
        "detected_by" => f.detected_by.map(|s| s.label().to_string()).unwrap_or_default(),
        "data_classes" => f.data_classes.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
        "incident_types" => f
            .incident_types
            .iter()
            .map(|t| {
                let owasp: Vec<&str> = [t.owasp_llm.map(|o| o.label()), t.owasp_agentic.map(|o| o.label())]
                    .into_iter()
                    .flatten()
                    .collect();
                if owasp.is_empty() {
                    t.kind.label().to_string()
                } else {
                    format!("{} ({})", t.kind.label(), owasp.join("; "))
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => match v {
            Value::String(s) => s.clone(),
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
            Value::Null => String::new(),
            other => other.to_string(),
        },
    }
}

fn severity(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("Severity"));
    if d.severity.is_empty() {
        b.push(nothing("Severity has not been assessed."));
    } else {
        let rows = d
            .severity
            .iter()
            .map(|a| {
                vec![
                    frame.time(a.assessed_at),
                    frame.person(&a.assessed_by),
                    a.suggested.label().into(),
                    a.chosen.label().into(),
                    if a.triggered_by.is_empty() {
                        NONE.into()
                    } else {
                        a.triggered_by.iter().map(|k| words(k)).collect::<Vec<_>>().join(", ")
                    },
                    a.reason.as_deref().map(|r| frame.text(r)).unwrap_or_else(|| NONE.into()),
                ]
            })
            .collect();
        b.push(table(
            vec![
                col("When", 1.1),
                col("By", 1.0),
                col("Suggested", 1.0),
                col("Chosen", 1.0),
                col("Answers that triggered it", 1.8),
                col("Rationale", 2.0),
            ],
            rows,
        ));
    }
    b.push(h2("Overrides"));
    if d.overrides.is_empty() {
        b.push(nothing("No suggestion or gate was overridden."));
    } else {
        let rows = d
            .overrides
            .iter()
            .map(|o| {
                vec![
                    frame.time(o.overridden_at),
                    frame.person(&o.overridden_by),
                    words(&o.kind.replace("gate:", "gate to ")),
                    frame.text(&o.prior.join("; ")),
                    frame.text(&o.outcome),
                    frame.text(&o.reason),
                ]
            })
            .collect();
        b.push(table(
            vec![
                col("When", 1.1),
                col("Who", 1.0),
                col("What", 1.0),
                col("Prior suggestion", 1.6),
                col("Outcome", 1.2),
                col("Reason", 2.0),
            ],
            rows,
        ));
    }
}

fn timeline(d: &Dossier, frame: &Frame, width: f32, size: f32, b: &mut Vec<Block>) {
    b.push(h1("Timeline"));
    let lanes = charts::lanes(d, frame.at);
    let mut figure: Figure = charts::timeline(&lanes, width, frame.zone, size * 0.85);
    figure.caption = Some(format!("Figure 1. The incident at a glance. {}", figure.caption.unwrap_or_default()));
    b.push(Block::Figure(figure));
    if d.postmortem.timeline.is_empty() {
        b.push(nothing("No events recorded."));
        return;
    }
    let rows = d
        .postmortem
        .timeline
        .iter()
        .map(|e| vec![frame.time(e.at), e.kind.label().into(), frame.text(&e.text)])
        .collect();
    b.push(table(vec![col("When", 1.0), col("Kind", 1.3), col("What happened", 4.7)], rows));
}

fn pause_and_containment(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("Pause and containment"));
    b.push(h2("Pause actions"));
    if d.pauses.is_empty() {
        b.push(nothing("Nothing was paused."));
    } else {
        let rows = d
            .pauses
            .iter()
            .map(|p| {
                let lifted = match (p.lifted_at, &p.lifted_by) {
                    (Some(at), Some(by)) => format!("{} by {}", frame.time(at), frame.person(by)),
                    (Some(at), None) => frame.time(at),
                    _ => "In force".into(),
                };
                vec![
                    p.scope.label().into(),
                    frame.text(&p.target),
                    frame.person(&p.approved_by),
                    frame.time(p.paused_at),
                    lifted,
                    frame.text(&p.note),
                ]
            })
            .collect();
        b.push(table(
            vec![
                col("Scope", 1.2),
                col("What", 1.6),
                col("Approved by", 1.1),
                col("Paused", 1.0),
                col("Lifted", 1.3),
                col("Note", 1.6),
            ],
            rows,
        ));
    }
    b.push(h2("Containment checklist"));
    let rows = d
        .containment
        .iter()
        .map(|c| {
            vec![
                c.label.clone(),
                c.status.label().into(),
                c.done_by.as_deref().map(|n| frame.person(n)).unwrap_or_else(|| NONE.into()),
                frame.maybe_time(c.done_at),
                frame.text(&c.note),
            ]
        })
        .collect();
    b.push(table(vec![col("Area", 1.5), col("Status", 0.9), col("By", 1.1), col("When", 1.0), col("Note", 2.5)], rows));
}

fn playbooks(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("Playbook steps"));
    if d.playbooks.is_empty() {
        b.push(nothing("No playbook applies to the incident's types."));
    }
    for p in &d.playbooks {
        b.push(h3(&p.playbook.title));
        let rows = p
            .steps
            .iter()
            .map(|s| {
                let state = s.state.as_ref();
                let done = state.is_some_and(|s| s.done);
                vec![
                    if done { "Done" } else { "Not done" }.into(),
                    s.step.text.clone(),
                    state.and_then(|s| s.done_by.as_deref()).map(|n| frame.person(n)).unwrap_or_else(|| NONE.into()),
                    frame.maybe_time(state.and_then(|s| s.done_at)),
                    state.map(|s| frame.text(&s.note)).unwrap_or_default(),
                ]
            })
            .collect();
        b.push(table(vec![col("", 0.7), col("Step", 3.2), col("By", 1.1), col("When", 1.0), col("Note", 1.6)], rows));
    }
}

fn evidence(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("Evidence register"));
    let rows = d
        .evidence_kinds
        .iter()
        .map(|k| vec![k.kind.label().into(), k.status.label().into(), k.files.to_string(), frame.text(&k.reason)])
        .collect();
    b.push(table(
        vec![col("Kind", 1.6), col("Status", 1.0), col("Files", 0.5).right(), col("Reason (not applicable)", 3.0)],
        rows,
    ));
    b.push(h2("Files"));
    if d.evidence_files.is_empty() {
        b.push(nothing("No files attached."));
    } else {
        let rows = d
            .evidence_files
            .iter()
            .map(|e| Row {
                cells: vec![
                    Cell::text(e.kind.label()),
                    Cell::text(frame.one_line(&e.original_name)),
                    Cell::spans(vec![Span::mono(&e.sha256)]),
                    Cell::text(size_text(e.size)),
                    Cell::text(frame.person(&e.collected_by)),
                    Cell::text(frame.time(e.collected_at)),
                ],
                fill: None,
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col("Kind", 1.1),
                col("Name", 1.5),
                col("SHA-256", 2.2),
                col("Size", 0.7).right(),
                col("Collected by", 1.0),
                col("Collected", 1.0),
            ],
            rows,
            size: None,
        }));
    }
    b.push(h2("Chain of custody"));
    if d.custody.is_empty() {
        b.push(nothing("No custody events."));
    } else {
        let names: std::collections::BTreeMap<&str, &str> =
            d.evidence_files.iter().map(|f| (f.id.as_str(), f.original_name.as_str())).collect();
        let rows = d
            .custody
            .iter()
            .map(|c| {
                vec![
                    frame.time(c.at),
                    frame.one_line(names.get(c.file.as_str()).copied().unwrap_or(&c.file)),
                    c.action.label().into(),
                    frame.person(&c.by),
                    frame.text(&c.detail),
                ]
            })
            .collect();
        b.push(table(
            vec![col("When", 1.0), col("File", 1.8), col("Event", 1.2), col("By", 1.0), col("Detail", 2.4)],
            rows,
        ));
    }
}

/// A file size in words a reader can compare: bytes below 1 KiB, else one decimal.
fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

fn side_effects(d: &Dossier, frame: &Frame, width: f32, size: f32, b: &mut Vec<Block>) {
    b.push(h1("Side-effect audit"));
    let c = &d.object_counts;
    b.push(para(&format!(
        "{} affected object(s) recorded in {} system(s). {} without a decided recovery action.",
        c.total,
        c.by_system.len(),
        c.undecided
    )));
    let mut figure = charts::stacked_bars(&charts::objects_by_system(d, frame), width, size * 0.9);
    figure.caption = figure.caption.map(|c| format!("Figure 2. {c}"));
    b.push(Block::Figure(figure));
    b.push(h2("Affected objects"));
    if d.objects.is_empty() {
        b.push(nothing("No affected objects recorded."));
    } else {
        let rows = d
            .objects
            .iter()
            .map(|o| {
                let verified = match (&o.verified_by, o.verified_at) {
                    (Some(by), Some(at)) => format!("{} {}", frame.person(by), frame.day(at)),
                    _ => NONE.into(),
                };
                Row {
                    cells: vec![
                        Cell::text(frame.one_line(&o.system)),
                        Cell::text(frame.one_line(&o.object_type)),
                        Cell::spans(vec![Span::mono(frame.one_line(&frame.redaction.object(&o.system, &o.object_id)))]),
                        Cell::text(o.action.label()),
                        Cell::text(frame.maybe_time(o.occurred_at)),
                        Cell::text(o.recovery_action.map(|a| a.label()).unwrap_or("Undecided")),
                        Cell::text(frame.person(&o.recovery_owner)),
                        Cell::text(o.status.label()),
                        Cell::text(verified),
                    ],
                    fill: None,
                }
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col("System", 0.8),
                col("Type", 0.7),
                col("Object ID", 1.3),
                col("Action", 0.7),
                col("When", 1.25),
                col("Recovery", 0.8),
                col("Owner", 1.3),
                col("Status", 0.8),
                col("Verified", 1.1),
            ],
            rows,
            size: Some(7.0),
        }));
    }
    b.push(h2("Audit questions"));
    let rows = d
        .audit_answers
        .iter()
        .map(|a| {
            vec![
                a.question.label().into(),
                if a.answer.trim().is_empty() { "Not answered".into() } else { frame.text(&a.answer) },
            ]
        })
        .collect();
    b.push(table(vec![col("Question", 2.0), col("Answer", 5.0)], rows));
}

fn recovery(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("Recovery"));
    if d.recovery_log.is_empty() {
        b.push(nothing("No recovery work logged."));
        return;
    }
    let objects: std::collections::BTreeMap<&str, String> = d
        .objects
        .iter()
        .map(|o| {
            (
                o.id.as_str(),
                format!(
                    "{} {}",
                    frame.one_line(&o.system),
                    frame.one_line(&frame.redaction.object(&o.system, &o.object_id))
                ),
            )
        })
        .collect();
    let rows = d
        .recovery_log
        .iter()
        .map(|e| {
            vec![
                frame.time(e.at),
                objects.get(e.object.as_str()).cloned().unwrap_or_else(|| NONE.into()),
                frame.text(&e.note),
                frame.person(&e.by),
            ]
        })
        .collect();
    b.push(table(vec![col("When", 1.0), col("Object", 1.8), col("What was done", 3.6), col("By", 1.0)], rows));
}

fn communication(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("Communication log"));
    let rows = d
        .communications
        .iter()
        .filter(|c| c.required || c.communication.is_some())
        .map(|c| {
            let m = c.communication.as_ref();
            let sent = match m.and_then(|m| m.sent_at) {
                Some(at) => {
                    let via = m
                        .and_then(|m| m.sent_via.as_deref())
                        .map(|v| format!(" via {}", frame.text(v)))
                        .unwrap_or_default();
                    format!("{}{via}", frame.time(at))
                }
                None => "Not sent".into(),
            };
            let approved = match m.and_then(|m| m.approved_by.as_deref()) {
                Some(by) => format!("{} {}", frame.person(by), frame.maybe_time(m.and_then(|m| m.approved_at))),
                None => NONE.into(),
            };
            vec![
                c.label.clone(),
                format!("{} — {}", yes_no(c.required), frame.text(&c.required_because)),
                m.map(|m| frame.text(&m.message))
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| "No message drafted".into()),
                approved,
                sent,
            ]
        })
        .collect::<Vec<_>>();
    if rows.is_empty() {
        b.push(nothing("No audience needs to be told, and no message was drafted."));
    } else {
        b.push(table(
            vec![
                col("Audience", 1.0),
                col("Required because", 1.5),
                col("Message", 3.4),
                col("Approved by", 1.1),
                col("Sent", 1.0),
            ],
            rows,
        ));
    }
}

fn answer_text(answers: &Value, key: &str) -> String {
    match &answers[key] {
        Value::String(s) => Answer::parse(s).map(|a| a.label().to_string()).unwrap_or_else(|| s.clone()),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|r| Region::parse(r).map(|r| r.label()).unwrap_or(r).to_string())
            .collect::<Vec<_>>()
            .join(", "),
        _ => "Not answered".into(),
    }
}

fn notifications(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("Regulatory notifications"));
    b.push(h2("Applicability"));
    let answers = serde_json::to_value(&d.clocks.answers).unwrap_or(Value::Null);
    let rows = crate::phases::notification::questions()
        .iter()
        .map(|q| vec![q.text.clone(), answer_text(&answers, &q.key)])
        .collect();
    b.push(table(vec![col("Question", 4.0), col("Answer", 1.5)], rows));

    for r in &d.clocks.regimes {
        let decided = r.decision.as_ref().and_then(|x| x.decision);
        if !r.applicable && decided.is_none() {
            continue;
        }
        let mark = if r.verified { "" } else { " (unverified)" };
        b.push(h2(&format!("{}{mark}", r.name)));
        let decision = match (&r.decision, decided) {
            (Some(x), Some(dec)) => format!(
                "{} — decided by {} at {}",
                dec.label(),
                frame.person(x.decided_by.as_deref().unwrap_or_default()),
                frame.maybe_time(x.decided_at)
            ),
            _ => "Not decided yet (suggested by the answers; its clocks run until someone decides)".into(),
        };
        let reasoning = match r.decision.as_ref().map(|x| x.reason.trim()).filter(|x| !x.is_empty()) {
            Some(reason) => frame.text(reason),
            None => r.suggestion.reasons.join(" "),
        };
        let triggers = if r.triggers.is_empty() {
            NONE.to_string()
        } else {
            r.triggers
                .iter()
                .map(|t| format!("{}: {} (by {})", words(&t.kind), frame.time(t.at), frame.person(&t.decided_by)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        b.push(fields(vec![
            field("Legal basis", &r.legal_reference),
            field("Notifies", &r.notifies),
            field("Decision", &decision),
            field("Reasoning", &reasoning),
            field("Triggers", &triggers),
            field("Authority's zone", &r.zone),
        ]));
        if let Some(problem) = &r.problem {
            b.push(Block::Note { spans: vec![Span::plain(problem)], tone: Tone::Warning });
        }
        if r.stages.is_empty() {
            continue;
        }
        let rows = r
            .stages
            .iter()
            .map(|s| {
                let late = matches!(s.state, ClockState::SubmittedLate | ClockState::Overdue);
                let due = match (&s.due_user, &s.due_authority) {
                    (Some(u), Some(a)) if u != a => format!("{u}\n{a}"),
                    (Some(u), _) => u.clone(),
                    _ => s.waits_for.clone().unwrap_or_else(|| NONE.into()),
                };
                Row {
                    cells: vec![
                        Cell::text(words(&s.stage)),
                        Cell::text(&s.rule),
                        Cell::text(due),
                        Cell::text(frame.maybe_time(s.submitted_at)),
                        Cell::text(s.state.label()),
                    ],
                    fill: late.then_some(crate::pdf::Rgb(1.0, 0.93, 0.93)),
                }
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col("Stage", 1.0),
                col("Rule", 2.0),
                col("Due (yours, then the authority's)", 2.0),
                col("Submitted", 1.1),
                col("State", 1.1),
            ],
            rows,
            size: None,
        }));
        let submitted: Vec<_> = r
            .stages
            .iter()
            .flat_map(|s| s.notifications.iter().filter(|n| n.status == NotificationStatus::Submitted))
            .collect();
        if submitted.is_empty() {
            continue;
        }
        let rows = submitted
            .iter()
            .map(|n| {
                let which = if n.sequence > 1 {
                    format!("{}, supplement {}", words(&n.stage), n.sequence - 1)
                } else {
                    words(&n.stage)
                };
                let by = n.submitted_by.as_deref().map(|b| frame.person(b)).unwrap_or_else(|| NONE.into());
                let channel = n.channel.as_deref().map(|c| frame.text(c)).unwrap_or_else(|| NONE.into());
                Row {
                    cells: vec![
                        Cell::text(which),
                        Cell::text(format!("{}\nby {by} via {channel}", frame.maybe_time(n.submitted_at))),
                        Cell::text(n.reference.as_deref().map(|x| frame.text(x)).unwrap_or_else(|| NONE.into())),
                        Cell::text(if n.delay_reasons.trim().is_empty() {
                            NONE.to_string()
                        } else {
                            frame.text(&n.delay_reasons)
                        }),
                        Cell::spans(vec![Span::mono(n.text_hash.clone().unwrap_or_else(|| NONE.into()))]),
                    ],
                    fill: None,
                }
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col("Submission", 1.1),
                col("Submitted", 1.6),
                col("Authority's reference", 1.3),
                col("Reasons for delay", 1.6),
                col("SHA-256 of the text", 2.2),
            ],
            rows,
            size: None,
        }));
    }
}

fn postmortem(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    let p = &d.postmortem.postmortem;
    b.push(h1("Postmortem"));
    if !p.completed {
        b.push(Block::Note {
            spans: vec![Span::plain("The postmortem is not marked complete yet.")],
            tone: Tone::Warning,
        });
    }
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_else(|| NONE.into());
    let amount = |n: Option<f64>| n.map(|n| format!("{n:.2}")).unwrap_or_else(|| NONE.into());
    b.push(fields(vec![
        field("Summary", &frame.text(&p.summary)),
        field("Records affected", &number(p.impact_records)),
        field("Users affected", &number(p.impact_users)),
        field("Customers affected", &number(p.impact_customers)),
        field("Money lost or at risk", &amount(p.impact_money)),
        field("People-hours spent", &amount(p.impact_hours)),
        field("Detection gap", &frame.text(&p.detection_gap)),
        field("Control gap", &frame.text(&p.control_gap)),
        field("Root cause", &frame.text(&p.root_cause)),
        field("Root-cause layers", &p.root_cause_layers.iter().map(|l| l.label()).collect::<Vec<_>>().join(", ")),
        field("Contributing factors", &p.contributing_factors.iter().map(|f| f.label()).collect::<Vec<_>>().join(", ")),
        field("What worked", &frame.text(&p.what_worked)),
        field("What failed", &frame.text(&p.what_failed)),
    ]));
    b.push(h2("Five whys"));
    if p.five_whys.iter().all(|w| w.trim().is_empty()) {
        b.push(nothing("Not written yet."));
    } else {
        let rows =
            p.five_whys.iter().enumerate().map(|(i, w)| vec![format!("Why {}?", i + 1), frame.text(w)]).collect();
        b.push(table(vec![col("", 0.8), col("Answer", 6.0)], rows));
    }
    if let Some(w) = &d.postmortem.shallow_warning {
        b.push(Block::Note { spans: vec![Span::plain(w)], tone: Tone::Warning });
    }
    b.push(h2("Remediation items"));
    remediation_table(d, frame, b, None);
}

/// The remediation items with owners and due dates (also in the postmortem pack, larger).
pub(crate) fn remediation_table(d: &Dossier, frame: &Frame, b: &mut Vec<Block>, size: Option<f32>) {
    if d.postmortem.remediation.is_empty() {
        b.push(nothing("No remediation items."));
        return;
    }
    let rows = d
        .postmortem
        .remediation
        .iter()
        .map(|r| Row {
            cells: vec![
                Cell::text(r.control_type.label()),
                Cell::text(frame.text(&r.description)),
                Cell::text(frame.person(&r.owner)),
                Cell::text(frame.date(r.due_date)),
                Cell::text(r.status.label()),
            ],
            fill: None,
        })
        .collect();
    b.push(Block::Table(Table {
        columns: vec![
            col("Control", 1.3),
            col("What will change", 3.2),
            col("Owner", 1.2),
            col("Due", 1.0),
            col("Status", 0.9),
        ],
        rows,
        size,
    }));
}

fn reenable(d: &Dossier, frame: &Frame, b: &mut Vec<Block>) {
    b.push(h1("Re-enable"));
    let rows = d
        .reenable
        .questions
        .iter()
        .map(|q| {
            vec![
                q.label.clone(),
                q.answer.map(|a| a.label().to_string()).unwrap_or_else(|| "Not answered".into()),
                frame.text(&q.note),
            ]
        })
        .collect();
    b.push(table(vec![col("Question", 3.0), col("Answer", 1.2), col("Note", 2.6)], rows));
    b.push(h2("Stages and sign-offs"));
    if d.reenable.signoffs.is_empty() {
        b.push(nothing("No stage has been signed off."));
    } else {
        let rows = d
            .reenable
            .signoffs
            .iter()
            .map(|s| Row {
                cells: vec![
                    Cell::text(s.stage.label()),
                    Cell::text(frame.person(&s.approver)),
                    Cell::text(frame.text(&s.statement)),
                    Cell::text(frame.time(s.signed_at)),
                    Cell::text(frame.maybe_time(s.first_run_at)),
                    Cell::spans(vec![Span::mono(&s.state_hash)]),
                ],
                fill: (s.stage == ReenableStage::Retired).then_some(crate::pdf::Rgb::SHADE),
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col("Stage", 1.1),
                col("Approver", 1.0),
                col("Statement", 2.2),
                col("Signed", 1.0),
                col("First run", 1.0),
                col("State hash", 2.0),
            ],
            rows,
            size: None,
        }));
    }
    if let Some(next) = d.reenable.next_stage {
        b.push(Block::Paragraph {
            spans: vec![Span::plain("Next stage to sign: "), bold(next.label())],
            size: None,
            align: Align::Left,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::SECTIONS;
    use crate::phases::Phase;

    #[test]
    fn every_phase_is_reported_by_exactly_one_section() {
        for phase in Phase::ALL {
            let sections = SECTIONS.iter().filter(|s| s.phases.contains(phase)).count();
            assert_eq!(sections, 1, "the full report has {sections} sections for the {} phase", phase.label());
        }
    }
}
