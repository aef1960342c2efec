//! The pictures of the documents, drawn as vector shapes: the incident timeline as a band of lanes (detection,
//! severity, pauses, containment, side effects, notifications with their deadlines, recovery, re-enable), and the
//! affected objects by system and recovery status as stacked bars.

use super::dossier::Dossier;
use super::frame::Frame;
use crate::pdf::{self, Anchor, Face, Figure, Rgb, Shape};
use crate::phases::affected::ObjectStatus;
use crate::phases::notification::ClockState;
use crate::vocabulary::Severity;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Marker {
    Circle,
    Diamond,
    Triangle,
    Square,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    Point { at: DateTime<Utc>, color: Rgb, marker: Marker, hollow: bool },
    Range { from: DateTime<Utc>, to: DateTime<Utc>, color: Rgb },
}

impl Mark {
    fn bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        match self {
            Mark::Point { at, .. } => (*at, *at),
            Mark::Range { from, to, .. } => (*from, *to),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lane {
    pub label: &'static str,
    pub marks: Vec<Mark>,
}

const GREY: Rgb = Rgb(0.55, 0.55, 0.58);
const ORANGE: Rgb = Rgb(0.90, 0.40, 0.10);

/// The timeline's lanes for one incident, as the record has them at `now`.
pub(crate) fn lanes(d: &Dossier, now: DateTime<Utc>) -> Vec<Lane> {
    let f = &d.incident.fields;
    let point = |at, color, marker| Mark::Point { at, color, marker, hollow: false };
    let mut detection = Vec::new();
    if let Some(at) = f.detected_at {
        detection.push(point(at, pdf::Rgb::BLUE, Marker::Diamond));
    }
    if let Some(at) = f.aware_at {
        detection.push(point(at, pdf::Rgb::AMBER, Marker::Diamond));
    }
    detection.push(point(d.incident.created_at, GREY, Marker::Circle));

    let severity = d.severity.iter().map(|a| point(a.assessed_at, severity_color(a.chosen), Marker::Circle)).collect();

    let pauses = d
        .pauses
        .iter()
        .map(|p| match p.lifted_at {
            Some(to) => Mark::Range { from: p.paused_at, to, color: pdf::Rgb::BLUE },
            None => Mark::Range { from: p.paused_at, to: now.max(p.paused_at), color: Rgb(0.55, 0.68, 0.88) },
        })
        .collect();

    let mut containment: Vec<Mark> =
        d.containment.iter().filter_map(|c| c.done_at).map(|at| point(at, pdf::Rgb::GREEN, Marker::Square)).collect();
    for p in &d.playbooks {
        for s in &p.steps {
            if let Some(at) = s.state.as_ref().filter(|s| s.done).and_then(|s| s.done_at) {
                containment.push(Mark::Point { at, color: pdf::Rgb::GREEN, marker: Marker::Square, hollow: true });
            }
        }
    }

    let times: Vec<DateTime<Utc>> = d.objects.iter().filter_map(|o| o.occurred_at).collect();
    let side_effects = match (times.iter().min(), times.iter().max()) {
        (Some(&a), Some(&b)) if a < b => vec![Mark::Range { from: a, to: b, color: pdf::Rgb::RED }],
        (Some(&a), _) => vec![point(a, pdf::Rgb::RED, Marker::Circle)],
        _ => Vec::new(),
    };

    let mut notifications = Vec::new();
    for r in d.clocks.regimes.iter().filter(|r| r.applicable) {
        for s in &r.stages {
            let late = matches!(s.state, ClockState::SubmittedLate | ClockState::Overdue);
            let color = if late { pdf::Rgb::RED } else { pdf::Rgb::GREEN };
            if let Some(due) = s.due {
                let submitted = s.submitted_at.is_some();
                // A deadline still open and not yet due is a grey outline; met green; missed red.
                let (color, hollow) = match s.state {
                    ClockState::Upcoming | ClockState::Due24h | ClockState::Due4h => (GREY, true),
                    _ => (color, !submitted && !late),
                };
                notifications.push(Mark::Point { at: due, color, marker: Marker::Triangle, hollow });
            }
            if let Some(at) = s.submitted_at {
                notifications.push(point(at, color, Marker::Circle));
            }
        }
    }

    let recovery = d.recovery_log.iter().map(|e| point(e.at, pdf::Rgb::GREEN, Marker::Circle)).collect();

    let mut reenable = Vec::new();
    for s in &d.reenable.signoffs {
        reenable.push(point(s.signed_at, pdf::Rgb::GREEN, Marker::Square));
        if let Some(at) = s.first_run_at {
            reenable.push(Mark::Point { at, color: pdf::Rgb::GREEN, marker: Marker::Circle, hollow: true });
        }
    }

    vec![
        Lane { label: "Detection", marks: detection },
        Lane { label: "Severity", marks: severity },
        Lane { label: "Pauses", marks: pauses },
        Lane { label: "Containment", marks: containment },
        Lane { label: "Side effects", marks: side_effects },
        Lane { label: "Notifications", marks: notifications },
        Lane { label: "Recovery", marks: recovery },
        Lane { label: "Re-enable", marks: reenable },
    ]
}

fn severity_color(s: Severity) -> Rgb {
    match s {
        Severity::Sev0 => pdf::Rgb::RED,
        Severity::Sev1 => ORANGE,
        Severity::Sev2 => pdf::Rgb::AMBER,
        Severity::Sev3 => GREY,
    }
}

/// The timeline band: one row per lane, time running left to right, date ticks under it and a legend.
/// `size` is the type size of its labels (larger in the postmortem pack).
pub(crate) fn timeline(lanes: &[Lane], width: f32, zone: Tz, size: f32) -> Figure {
    let row = size * 2.2;
    let label_w = lanes.iter().map(|l| pdf::text_width(l.label, Face::Bold, size)).fold(0.0, f32::max) + size;
    let left = label_w;
    let right = width - size;
    let top = size * 0.5;
    let axis_y = top + row * lanes.len() as f32;
    let mut shapes = Vec::new();

    let all: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        lanes.iter().flat_map(|l| l.marks.iter().map(Mark::bounds)).collect();
    let (Some(start), Some(end)) = (all.iter().map(|b| b.0).min(), all.iter().map(|b| b.1).max()) else {
        shapes.push(text(
            width / 2.0,
            top + size * 2.0,
            "Nothing has been recorded yet.",
            Face::Italic,
            size,
            Anchor::Middle,
        ));
        return Figure { height: top + size * 4.0, shapes, caption: None };
    };
    // A little room on both sides, so markers at the ends are not cut in half.
    let span = (end - start).max(Duration::minutes(10));
    let pad = span / 30;
    let (t0, t1) = (start - pad, end + pad);
    let total = (t1 - t0).num_seconds().max(1) as f32;
    let x_of = |t: DateTime<Utc>| left + (right - left) * ((t - t0).num_seconds() as f32 / total);

    for (i, lane) in lanes.iter().enumerate() {
        let y0 = top + row * i as f32;
        if i % 2 == 0 {
            shapes.push(Shape::Rect { x: 0.0, y: y0, w: width, h: row, fill: Some(pdf::Rgb::SHADE), stroke: None });
        }
        let mid = y0 + row / 2.0;
        shapes.push(text(0.0, mid + size * 0.35, lane.label, Face::Bold, size, Anchor::Start));
        let r = size * 0.42;
        for mark in &lane.marks {
            match mark {
                Mark::Range { from, to, color } => {
                    let (a, b) = (x_of(*from), x_of(*to));
                    let h = row * 0.36;
                    shapes.push(Shape::Rect {
                        x: a,
                        y: mid - h / 2.0,
                        w: (b - a).max(r),
                        h,
                        fill: Some(*color),
                        stroke: None,
                    });
                }
                Mark::Point { at, color, marker, hollow } => {
                    shapes.push(marker_shape(*marker, x_of(*at), mid, r, *color, *hollow));
                }
            }
        }
    }

    shapes.push(Shape::Line {
        x1: left,
        y1: axis_y,
        x2: right,
        y2: axis_y,
        color: pdf::Rgb::MUTED,
        width: 0.6,
        dashed: false,
    });
    let ticks = 6;
    // Ticks less than a day apart need the time of day; ticks days apart only the date.
    let fine = span < Duration::days(ticks);
    let mut last_label_end = f32::MIN;
    for i in 0..=ticks {
        let t = t0 + Duration::seconds((total * i as f32 / ticks as f32) as i64);
        let x = x_of(t);
        shapes.push(Shape::Line {
            x1: x,
            y1: top,
            x2: x,
            y2: axis_y + size * 0.3,
            color: pdf::Rgb::RULE,
            width: 0.4,
            dashed: true,
        });
        let local = t.with_timezone(&zone);
        let label = if fine { local.format("%m-%d %H:%M").to_string() } else { local.format("%Y-%m-%d").to_string() };
        let w = pdf::text_width(&label, Face::Regular, size * 0.85);
        let anchor = if i == 0 {
            Anchor::Start
        } else if i == ticks {
            Anchor::End
        } else {
            Anchor::Middle
        };
        let begin = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        if begin > last_label_end + size * 0.5 {
            shapes.push(text(x, axis_y + size * 1.4, &label, Face::Regular, size * 0.85, anchor));
            last_label_end = begin + w;
        }
    }

    let legend_y = axis_y + size * 3.0;
    let legend: [(Marker, Rgb, bool, &str); 6] = [
        (Marker::Diamond, pdf::Rgb::BLUE, false, "detected"),
        (Marker::Diamond, pdf::Rgb::AMBER, false, "aware (clocks start)"),
        (Marker::Triangle, pdf::Rgb::GREEN, false, "deadline met"),
        (Marker::Triangle, pdf::Rgb::RED, false, "deadline missed"),
        (Marker::Triangle, GREY, true, "deadline ahead"),
        (Marker::Circle, pdf::Rgb::GREEN, false, "submitted / done"),
    ];
    let mut x = left;
    let mut y = legend_y;
    for (marker, color, hollow, label) in legend {
        let w = size * 1.4 + pdf::text_width(label, Face::Regular, size * 0.85) + size * 1.5;
        if x + w > width {
            x = left;
            y += size * 1.6;
        }
        shapes.push(marker_shape(marker, x + size * 0.5, y - size * 0.3, size * 0.42, color, hollow));
        shapes.push(text(x + size * 1.2, y, label, Face::Regular, size * 0.85, Anchor::Start));
        x += w;
    }
    Figure { height: y + size * 0.8, shapes, caption: Some(format!("Times in {}.", zone.name())) }
}

fn marker_shape(marker: Marker, x: f32, y: f32, r: f32, color: Rgb, hollow: bool) -> Shape {
    let (fill, stroke) =
        if hollow { (Some(pdf::Rgb::WHITE), Some((color, 1.0))) } else { (Some(color), Some((pdf::Rgb::WHITE, 0.5))) };
    match marker {
        Marker::Circle => Shape::Circle { cx: x, cy: y, r, fill, stroke },
        Marker::Square => Shape::Rect { x: x - r, y: y - r, w: 2.0 * r, h: 2.0 * r, fill, stroke },
        Marker::Diamond => Shape::Polygon {
            points: vec![(x, y - r * 1.3), (x + r * 1.1, y), (x, y + r * 1.3), (x - r * 1.1, y)],
            fill,
            stroke,
        },
        Marker::Triangle => Shape::Polygon {
            points: vec![(x, y + r * 1.1), (x - r * 1.2, y - r * 1.1), (x + r * 1.2, y - r * 1.1)],
            fill,
            stroke,
        },
    }
}

fn text(x: f32, y: f32, text: &str, face: Face, size: f32, anchor: Anchor) -> Shape {
    Shape::Text { x, y, text: text.to_string(), face, size, color: pdf::Rgb::BLACK, anchor, rotate: 0.0 }
}

/// How many systems get a bar of their own; the rest share one.
const MAX_BARS: usize = 12;

/// Object counts per system and recovery status, systems with the most objects first; the tail in one "other" bar.
/// System names go through the frame like any free text (in the external copy a name may hide in one).
pub(crate) fn objects_by_system(d: &Dossier, frame: &Frame) -> Vec<(String, BTreeMap<ObjectStatus, u64>)> {
    let mut by: BTreeMap<&str, BTreeMap<ObjectStatus, u64>> = BTreeMap::new();
    for o in &d.objects {
        *by.entry(o.system.as_str()).or_default().entry(o.status).or_default() += 1;
    }
    let mut rows: Vec<(String, BTreeMap<ObjectStatus, u64>)> =
        by.into_iter().map(|(s, c)| (frame.one_line(s), c)).collect();
    rows.sort_by(|a, b| b.1.values().sum::<u64>().cmp(&a.1.values().sum::<u64>()).then(a.0.cmp(&b.0)));
    if rows.len() > MAX_BARS {
        let tail = rows.split_off(MAX_BARS - 1);
        let mut other: BTreeMap<ObjectStatus, u64> = BTreeMap::new();
        for (_, counts) in &tail {
            for (status, n) in counts {
                *other.entry(*status).or_default() += n;
            }
        }
        rows.push((format!("{} other systems", tail.len()), other));
    }
    rows
}

pub(crate) fn status_color(s: ObjectStatus) -> Rgb {
    match s {
        ObjectStatus::Open => pdf::Rgb::RED,
        ObjectStatus::InProgress => pdf::Rgb::AMBER,
        ObjectStatus::Recovered => pdf::Rgb::GREEN,
        ObjectStatus::NotNeeded => GREY,
    }
}

/// Horizontal stacked bars: one per system, segments by recovery status, with counts and a legend.
pub(crate) fn stacked_bars(rows: &[(String, BTreeMap<ObjectStatus, u64>)], width: f32, size: f32) -> Figure {
    let mut shapes = Vec::new();
    if rows.is_empty() {
        shapes.push(text(width / 2.0, size * 2.0, "No affected objects recorded.", Face::Italic, size, Anchor::Middle));
        return Figure { height: size * 3.5, shapes, caption: None };
    }
    let label_max = width * 0.3;
    let labels: Vec<String> = rows.iter().map(|(s, _)| fit_label(s, size, label_max)).collect();
    let label_w = labels.iter().map(|l| pdf::text_width(l, Face::Regular, size)).fold(0.0, f32::max) + size;
    let max_total = rows.iter().map(|(_, c)| c.values().sum::<u64>()).max().unwrap_or(1).max(1);
    let count_w = pdf::text_width(&format!("{max_total}"), Face::Bold, size) + size;
    let left = label_w;
    let bar_w = (width - left - count_w).max(size);
    let row = size * 2.0;
    let bar_h = row * 0.62;
    let top = size * 0.5;
    for (i, ((_, counts), label)) in rows.iter().zip(&labels).enumerate() {
        let y = top + row * i as f32;
        let mid = y + row / 2.0;
        shapes.push(text(0.0, mid + size * 0.35, label, Face::Regular, size, Anchor::Start));
        let mut x = left;
        let total: u64 = counts.values().sum();
        for status in ObjectStatus::ALL {
            let n = counts.get(status).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let w = bar_w * n as f32 / max_total as f32;
            shapes.push(Shape::Rect {
                x,
                y: mid - bar_h / 2.0,
                w: w.max(0.8),
                h: bar_h,
                fill: Some(status_color(*status)),
                stroke: Some((pdf::Rgb::WHITE, 0.4)),
            });
            x += w;
        }
        shapes.push(text(x + size * 0.4, mid + size * 0.35, &total.to_string(), Face::Bold, size, Anchor::Start));
    }
    let legend_y = top + row * rows.len() as f32 + size * 1.6;
    let mut x = left;
    for status in ObjectStatus::ALL {
        let count: u64 = rows.iter().map(|(_, c)| c.get(status).copied().unwrap_or(0)).sum();
        let label = format!("{} ({count})", status.label());
        shapes.push(Shape::Rect {
            x,
            y: legend_y - size * 0.75,
            w: size * 0.9,
            h: size * 0.9,
            fill: Some(status_color(*status)),
            stroke: None,
        });
        shapes.push(text(x + size * 1.3, legend_y, &label, Face::Regular, size * 0.9, Anchor::Start));
        x += size * 2.8 + pdf::text_width(&label, Face::Regular, size * 0.9);
    }
    Figure {
        height: legend_y + size * 0.8,
        shapes,
        caption: Some("Affected objects by system and recovery status.".into()),
    }
}

/// A label cut to `max` points with an ellipsis.
fn fit_label(label: &str, size: f32, max: f32) -> String {
    if pdf::text_width(label, Face::Regular, size) <= max {
        return label.to_string();
    }
    let mut out: String = String::new();
    for c in label.chars() {
        if pdf::text_width(&format!("{out}{c}…"), Face::Regular, size) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}
