//! What the traces add to the postmortem timeline: the first failure, the first and the last write call, and the
//! agent's last step (set beside the pause, it shows when the agent really stopped). Each is found from the
//! steps' time index, reading from one end until the first step that counts.

use super::{chosen_classes, Judge};
use crate::error::Result;
use crate::incident::Incident;
use crate::investigation::instant_of;
use crate::phases::postmortem::timeline::Timeline;
use crate::phases::postmortem::TimelineKind;
use crate::text::one_line;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// How much of an error the timeline quotes.
const ERROR_CHARS: usize = 160;

pub(crate) fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    let key = incident.uuid.as_str();
    let failure = conn
        .query_row(
            "SELECT id, kind, coalesce(tool, name), at, substr(error, 1, 400) FROM trace_steps \
             WHERE incident = ?1 AND is_error AND at IS NOT NULL ORDER BY at, import, seq LIMIT 1",
            [key],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    if let Some((step, kind, name, at, error)) = failure {
        let what = describe(&kind, name.as_deref());
        let error: Option<String> = error;
        let why = error.map(|e| format!(": {}", quote(&e))).filter(|e| e.len() > 2).unwrap_or_default();
        push(out, at, format!("First failure in the traces: {what} (step {step}){why}"), step);
    }
    let chosen = chosen_classes(conn)?;
    let mut judge = Judge { chosen: &chosen, by_name: HashMap::new() };
    let first = first_write(conn, key, "ASC", &mut judge)?;
    let last = first_write(conn, key, "DESC", &mut judge)?;
    if let Some((step, at, text)) = &first {
        out.push(
            *at,
            TimelineKind::Trace,
            format!("First write call in the traces: {text} (step {step})"),
            source(*step),
        );
    }
    if let Some((step, at, text)) = last.filter(|l| Some(l.0) != first.as_ref().map(|f| f.0)) {
        out.push(at, TimelineKind::Trace, format!("Last write call in the traces: {text} (step {step})"), source(step));
    }
    let last_step = conn
        .query_row(
            "SELECT id, kind, coalesce(tool, name), coalesce(ended_at, at) FROM trace_steps \
             WHERE incident = ?1 AND at IS NOT NULL ORDER BY at DESC, import DESC, seq DESC LIMIT 1",
            [key],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get(3)?)),
        )
        .optional()?;
    if let Some((step, kind, name, at)) = last_step {
        let what = describe(&kind, name.as_deref());
        push(out, at, format!("Last agent step in the traces: {what} (step {step})"), step);
    }
    Ok(())
}

fn push(out: &mut Timeline, at: Option<i64>, text: String, step: i64) {
    if let Some(at) = instant_of(at) {
        out.push(at, TimelineKind::Trace, text, source(step));
    }
}

/// A trace step is no audited record: its `source` names it by number.
fn source(step: i64) -> String {
    format!("trace_step:{step}")
}

/// "the tool call send_email", "a model call".
fn describe(kind: &str, name: Option<&str>) -> String {
    let kind = crate::trace::StepKind::parse(kind).map_or("step", |k| k.label()).to_lowercase();
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("the {kind} {}", quote(n)),
        None => format!("a {kind}"),
    }
}

fn quote(text: &str) -> String {
    let one = one_line(text);
    if one.chars().count() > ERROR_CHARS {
        format!("{}…", one.chars().take(ERROR_CHARS - 1).collect::<String>())
    } else {
        one.into_owned()
    }
}

/// The first tool call judged a write, reading the steps in time order from one end.
fn first_write(
    conn: &Connection,
    incident: &str,
    order: &str,
    judge: &mut Judge<'_>,
) -> Result<Option<(i64, DateTime<Utc>, String)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, tool, at, substr(arguments, 1, 65536) FROM trace_steps \
         WHERE incident = ?1 AND kind = 'tool_call' AND tool IS NOT NULL AND at IS NOT NULL \
         ORDER BY at {order}, import {order}, seq {order}"
    ))?;
    let mut rows = stmt.query([incident])?;
    while let Some(r) = rows.next()? {
        let tool: String = r.get(1)?;
        let arguments: Option<String> = r.get(3)?;
        let judgement = judge.call(&tool, arguments.as_deref());
        let (Some(action), Some(at)) = (judgement.action, instant_of(r.get(2)?)) else { continue };
        let text = format!("{} ({})", quote(&tool), action.label().to_lowercase());
        return Ok(Some((r.get(0)?, at, text)));
    }
    Ok(None)
}
