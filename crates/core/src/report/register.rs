//! The breach register extract: every incident involving personal data in a date range, notified or not, with its
//! facts, effects, remedial action and each regime's decision and reasoning — the documentation GDPR Art. 33(5)
//! asks controllers to keep.

use super::frame::{bold, col, field, fields, h2, nothing, para, Frame, NONE};
use crate::pdf::{Block, Cell, Document, Orientation, PageSetup, Row, Span, Table, Tone};
use crate::phases::notification::{BreachEntry, Decision};
use chrono::NaiveDate;

/// The entries of the register that fall in `from..=to`: by awareness, else detection, in the user's zone.
/// An incident with neither time is included (its place in time is unknown, and leaving it out would hide it).
pub(crate) fn in_range(entries: Vec<BreachEntry>, frame: &Frame, from: NaiveDate, to: NaiveDate) -> Vec<BreachEntry> {
    entries
        .into_iter()
        .filter(|e| match e.aware_at.or(e.detected_at) {
            Some(t) => {
                let day = t.with_timezone(&frame.zone).date_naive();
                from <= day && day <= to
            }
            None => true,
        })
        .collect()
}

pub(crate) fn document(entries: &[BreachEntry], frame: &Frame, from: NaiveDate, to: NaiveDate) -> Document {
    let range = format!("{from} to {to}");
    let mut b = vec![Block::Title {
        text: "Breach register".into(),
        subtitle: Some(format!("Personal-data incidents, {range}")),
    }];
    let mut rows = vec![
        field("Period", &format!("{range} (by awareness time, else detection time, in {})", frame.zone.name())),
        field("Incidents", &entries.len().to_string()),
        field("Notified", &entries.iter().filter(|e| e.notified).count().to_string()),
    ];
    rows.extend(frame.provenance());
    b.push(fields(rows));
    b.push(para(
        "GDPR Art. 33(5): the controller documents any personal data breach, comprising the facts relating to it, its \
         effects and the remedial action taken, so that the supervisory authority can verify compliance. This \
         register lists every incident whose answers or record say personal data is, or may be, involved — \
         notified or not — with each regime's decision and its reasoning.",
    ));
    b.push(Block::Contents);
    if entries.is_empty() {
        b.push(nothing("No personal-data incident in this period."));
    }
    for e in entries {
        b.push(Block::Heading {
            level: 1, text: format!("{} — {}", e.incident, frame.text(&e.title)), new_page: true
        });
        let personal = match e.personal_data {
            Some(a) => a.label().to_string(),
            None if e.record_mentions_personal_data => {
                "Not answered; the record's data classes include personal data".into()
            }
            None => "Not answered".into(),
        };
        let effects = &e.effects;
        let mut effect_lines: Vec<String> = effects.impacts.iter().map(|i| frame.text(i)).collect();
        if !effects.data_classes.is_empty() {
            effect_lines.push(format!(
                "Data classes: {}",
                effects.data_classes.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ")
            ));
        }
        effect_lines.push(format!("Affected objects recorded: {}", effects.affected_objects));
        b.push(fields(vec![
            field("Status", e.status.label()),
            field("Detected", &frame.maybe_time(e.detected_at)),
            field("Aware", &frame.maybe_time(e.aware_at)),
            field("Personal data involved?", &personal),
            field("Facts", &frame.text(&e.facts)),
            field("Effects", &effect_lines.join("\n")),
            field(
                "Remedial action",
                &if e.remedial_action.is_empty() {
                    NONE.to_string()
                } else {
                    e.remedial_action.iter().map(|a| frame.text(a)).collect::<Vec<_>>().join("\n")
                },
            ),
            field("Notified", if e.notified { "Yes" } else { "No" }),
        ]));
        b.push(h2("Regimes"));
        if e.regimes.is_empty() {
            b.push(Block::Note {
                spans: vec![
                    bold("No regime decided or suggested. "),
                    Span::plain("Answer the applicability questions."),
                ],
                tone: Tone::Warning,
            });
            continue;
        }
        let rows = e
            .regimes
            .iter()
            .map(|r| {
                let decision = match r.decision {
                    Some(d) => d.label().to_string(),
                    None if r.suggested => "Suggested, not decided".into(),
                    None => NONE.into(),
                };
                let who = match (&r.decided_by, r.decided_at) {
                    (Some(by), Some(at)) => format!("{} {}", frame.person(by), frame.time(at)),
                    (Some(by), None) => frame.person(by),
                    _ => NONE.into(),
                };
                let submissions = if r.submissions.is_empty() {
                    NONE.to_string()
                } else {
                    r.submissions
                        .iter()
                        .map(|s| {
                            let seq = if s.sequence > 1 {
                                format!(" (supplement {})", s.sequence - 1)
                            } else {
                                String::new()
                            };
                            let reference =
                                s.reference.as_deref().map(|x| format!(", ref. {}", frame.text(x))).unwrap_or_default();
                            format!(
                                "{}{seq}: {}{reference}",
                                s.stage.replace('_', " "),
                                frame.maybe_time(s.submitted_at)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                Row {
                    cells: vec![
                        Cell::text(&r.name),
                        Cell::text(decision),
                        Cell::text(who),
                        Cell::text(frame.text(&r.reasoning)),
                        Cell::text(submissions),
                    ],
                    fill: (r.decision == Some(Decision::NotApplicable)).then_some(crate::pdf::Rgb::SHADE),
                }
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col("Regime", 1.2),
                col("Decision", 1.0),
                col("Decided by", 1.3),
                col("Reasoning", 3.2),
                col("Submissions", 2.0),
            ],
            rows,
            size: None,
        }));
    }
    b.extend(frame.integrity_section());
    let page = PageSetup { orientation: Orientation::Landscape, ..PageSetup::default() };
    frame.document(&format!("Breach register {range}"), &format!("Breach register, {range}"), page, None, b)
}
