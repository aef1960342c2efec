//! The runs seen so far, so a trace or session spread over many lines (or out of order) becomes one run, and the
//! sink learns at the end what later lines added to it.

use super::{Run, Sink, Step, Summary};
use crate::error::Result;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

#[derive(Default)]
pub(super) struct Runs {
    keyed: HashMap<String, Tracked>,
}

struct Tracked {
    index: usize,
    run: Run,
    changed: bool,
}

impl Runs {
    /// A run that later lines may add to (a trace ID, a session ID): kept until [`Runs::finish`].
    pub fn keyed(&mut self, run: Run, sink: &mut dyn Sink, summary: &mut Summary) -> Result<usize> {
        if let Some(tracked) = self.keyed.get_mut(&run.source_id) {
            tracked.changed |= merge(&mut tracked.run, run);
            return Ok(tracked.index);
        }
        let index = sink.run(run.clone())?;
        summary.runs += 1;
        self.keyed.insert(run.source_id.clone(), Tracked { index, run, changed: false });
        Ok(index)
    }

    /// A run complete in one line (a `{"messages":[…]}` conversation): not kept, so a file of a million
    /// conversations does not hold a million runs.
    pub fn whole(&mut self, run: Run, sink: &mut dyn Sink, summary: &mut Summary) -> Result<usize> {
        summary.runs += 1;
        sink.run(run)
    }

    pub fn finish(self, sink: &mut dyn Sink) -> Result<()> {
        let mut changed: Vec<&Tracked> = self.keyed.values().filter(|t| t.changed).collect();
        changed.sort_by_key(|t| t.index);
        for tracked in changed {
            sink.run_updated(tracked.index, &tracked.run)?;
        }
        Ok(())
    }
}

/// Fills what `into` does not know from `from` and widens its times; says whether anything changed.
fn merge(into: &mut Run, from: Run) -> bool {
    let before = into.clone();
    into.agent = into.agent.take().or(from.agent);
    into.workflow = into.workflow.take().or(from.workflow);
    into.model = into.model.take().or(from.model);
    into.started_at = earliest(into.started_at, from.started_at);
    into.ended_at = latest(into.ended_at, from.ended_at);
    *into != before
}

pub(super) fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

pub(super) fn latest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// A run's times from its steps: first start to last end (or last start, for steps without an end).
pub(super) fn times_of<'a>(
    steps: impl IntoIterator<Item = &'a Step>,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    steps
        .into_iter()
        .fold((None, None), |(start, end), s| (earliest(start, s.at), latest(end, latest(s.at, s.ended_at))))
}

/// Hands a line's steps to the sink, all under one run.
pub(super) fn emit(steps: Vec<Step>, run: usize, sink: &mut dyn Sink, summary: &mut Summary) -> Result<()> {
    for mut step in steps {
        step.run = run;
        sink.step(step)?;
        summary.steps += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_seen_again_keeps_what_it_knew_and_widens_its_times() {
        let t = |s| DateTime::from_timestamp(s, 0);
        let mut run = Run { source_id: "t".into(), model: Some("a".into()), started_at: t(10), ..Run::default() };
        let later = Run {
            source_id: "t".into(),
            model: Some("b".into()),
            agent: Some("x".into()),
            started_at: t(5),
            ended_at: t(20),
            ..Run::default()
        };
        assert!(merge(&mut run, later.clone()));
        assert_eq!((run.model.as_deref(), run.agent.as_deref()), (Some("a"), Some("x")));
        assert_eq!((run.started_at, run.ended_at), (t(5), t(20)));
        assert!(!merge(&mut run, later), "nothing new, no update");
    }
}
