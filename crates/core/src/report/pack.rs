//! The postmortem pack for the meeting: landscape pages in type large enough to read from the back of a room —
//! the timeline picture and table, the impact with the affected objects by system, the five whys, the root-cause
//! layers and contributing factors, and the remediation items with owners and due dates.

use super::charts;
use super::dossier::Dossier;
use super::frame::{col, field, fields, nothing, table, Frame, NONE};
use super::full::remediation_table;
use crate::pdf::{Align, Block, Document, Orientation, PageSetup, Span, Tone};

/// Body type of the pack: about twice a report's.
const BODY: f32 = 15.0;

fn heading(text: &str) -> Block {
    Block::Heading { level: 1, text: text.into(), new_page: true }
}

pub(crate) fn document(d: &Dossier, frame: &Frame) -> Document {
    let page = PageSetup { orientation: Orientation::Landscape, margin: 40.0, body_size: BODY };
    let width = page.content_width();
    let p = &d.postmortem.postmortem;
    let mut b = vec![Block::Title {
        text: "Postmortem".into(),
        subtitle: Some(format!("{} — {}", d.incident.id, frame.text(&d.incident.fields.title))),
    }];
    let f = &d.incident.fields;
    let mut cover = vec![
        field("Severity", f.severity.map(|s| s.label()).unwrap_or("Not assessed")),
        field("Status", f.status.label()),
        field("Incident commander", &frame.person(&f.commander)),
        field("Postmortem", if p.completed { "Complete" } else { "In progress" }),
    ];
    cover.extend(frame.provenance().into_iter().take(3));
    b.push(fields(cover));

    b.push(heading("Timeline"));
    let lanes = charts::lanes(d, frame.at);
    b.push(Block::Figure(charts::timeline(&lanes, width, frame.zone, BODY * 0.75)));
    if !d.postmortem.timeline.is_empty() {
        let rows = d.postmortem.timeline.iter().map(|e| vec![frame.time(e.at), frame.text(&e.text)]).collect();
        b.push(table(vec![col("When", 1.3), col("What happened", 5.0)], rows));
    }

    b.push(heading("Impact"));
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_else(|| NONE.into());
    b.push(fields(vec![
        field("Summary", &frame.text(&p.summary)),
        field("Affected objects", &d.object_counts.total.to_string()),
        field(
            "Records / users / customers",
            &format!("{} / {} / {}", number(p.impact_records), number(p.impact_users), number(p.impact_customers)),
        ),
        field("Money lost or at risk", &p.impact_money.map(|m| format!("{m:.2}")).unwrap_or_else(|| NONE.into())),
        field("Customer impact", &frame.text(&f.customer_impact)),
    ]));
    b.push(Block::Figure(charts::stacked_bars(&charts::objects_by_system(d, frame), width, BODY * 0.75)));

    b.push(heading("Five whys"));
    if p.five_whys.iter().all(|w| w.trim().is_empty()) {
        b.push(nothing("Not written yet."));
    }
    for (i, why) in p.five_whys.iter().enumerate().filter(|(_, w)| !w.trim().is_empty()) {
        b.push(Block::Paragraph {
            spans: vec![Span::bold(format!("Why {}?  ", i + 1)), Span::plain(frame.text(why))],
            size: Some(BODY * 1.1),
            align: Align::Left,
        });
        b.push(Block::Spacer(BODY * 0.4));
    }
    if !p.root_cause.trim().is_empty() {
        b.push(Block::Note {
            spans: vec![Span::bold("Root cause: "), Span::plain(frame.text(&p.root_cause))],
            tone: Tone::Info,
        });
    }

    b.push(heading("Root-cause layers"));
    b.push(fields(vec![
        field("Layers", &p.root_cause_layers.iter().map(|l| l.label()).collect::<Vec<_>>().join(", ")),
        field("Contributing factors", &p.contributing_factors.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ")),
        field("Detection gap", &frame.text(&p.detection_gap)),
        field("Control gap", &frame.text(&p.control_gap)),
        field("What worked", &frame.text(&p.what_worked)),
        field("What failed", &frame.text(&p.what_failed)),
    ]));
    if let Some(w) = &d.postmortem.shallow_warning {
        b.push(Block::Note { spans: vec![Span::plain(w)], tone: Tone::Warning });
    }

    b.push(heading("Remediation"));
    remediation_table(d, frame, &mut b, None);
    let title = format!("{} — postmortem pack", d.incident.id);
    frame.document(&d.incident.id, &title, page, None, b)
}
