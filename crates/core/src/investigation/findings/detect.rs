//! The findings, computed in one pass over an incident's steps in file order: failed tool calls, retry loops, token
//! and cost spikes against the run's own median, destinations outside the allowlist, calls made without an approval
//! before them, and admin tools. Pure: the store side feeds it [`Fact`]s.

use super::names::{allowed, destinations, http_failure, name_matches};
use super::{Finding, FindingKind, FindingRules, MAX_FINDINGS, MAX_FINDING_STEPS};
use crate::text::one_line;
use crate::trace::StepKind;
use crate::vocabulary::IncidentType;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A run: its import's place among the incident's imports, and its index in that import.
pub(crate) type RunRef = (usize, i64);
/// Calls of one tool with one set of arguments in one run: the run, the tool (its place in `Detector::names`) and
/// the arguments' digest.
type SameCall = (RunRef, u32, [u8; 16]);

/// What the rules make of one tool or step name, worked out once per distinct name: a trace repeats a few names
/// a million times.
#[derive(Clone, Copy)]
struct Class {
    /// The name's place in `Detector::names`.
    id: u32,
    admin: bool,
    gated: bool,
    approval: bool,
}

/// What the findings read of one step. Long texts come cut: arguments to [`ARGUMENT_CHARS`], results to
/// [`RESULT_CHARS`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Fact {
    pub id: i64,
    pub run: RunRef,
    pub kind: Option<StepKind>,
    pub name: Option<String>,
    pub tool: Option<String>,
    /// Nanoseconds since 1970, as stored.
    pub at: Option<i64>,
    pub is_error: bool,
    pub error: Option<String>,
    pub arguments: Option<String>,
    pub result: Option<String>,
    pub tokens: Option<u64>,
    pub cost: Option<f64>,
    pub call_id: Option<String>,
}

/// How much of a call's arguments is read for destinations and retries, and of a result for an HTTP status.
pub(crate) const ARGUMENT_CHARS: u64 = 65_536;
pub(crate) const RESULT_CHARS: u64 = 600;
/// A spike needs a baseline: runs with fewer priced or counted steps than this are not judged.
const MIN_BASELINE: usize = 5;
/// Distinct destinations followed; a trace naming more is reported as far as this.
const MAX_DESTINATIONS: usize = 10_000;
/// Argument keys that change on every retry of the same call, left out when comparing arguments.
const VOLATILE_KEYS: &[&str] = &[
    "id",
    "request_id",
    "requestid",
    "idempotency_key",
    "idempotencykey",
    "nonce",
    "timestamp",
    "ts",
    "time",
    "trace_id",
    "span_id",
    "attempt",
    "retry",
    "retry_count",
];

/// Steps behind a finding: the first few by ID, how many in all, and when.
#[derive(Default)]
struct Behind {
    steps: Vec<i64>,
    count: u64,
    first_at: Option<i64>,
    last_at: Option<i64>,
}

impl Behind {
    fn add(&mut self, id: i64, at: Option<i64>) {
        if self.steps.len() < MAX_FINDING_STEPS {
            self.steps.push(id);
        }
        self.count += 1;
        if let Some(at) = at {
            self.first_at = Some(self.first_at.map_or(at, |f| f.min(at)));
            self.last_at = Some(self.last_at.map_or(at, |l| l.max(at)));
        }
    }
}

#[derive(Default)]
struct Failures {
    behind: Behind,
    statuses: BTreeMap<u16, u64>,
    first_error: Option<String>,
}

#[derive(Default)]
struct Reached {
    behind: Behind,
    written: String,
    tools: Vec<String>,
}

/// The findings of one incident, fed its steps in file order (`feed`), then read whole (`finish`).
pub(crate) struct Detector<'a> {
    rules: &'a FindingRules,
    classes: HashMap<String, Class>,
    names: Vec<String>,
    failures: BTreeMap<String, Failures>,
    failed_calls: HashSet<(usize, String)>,
    calls: HashMap<SameCall, Vec<(Option<i64>, i64)>>,
    tokens: BTreeMap<RunRef, Vec<(i64, f64, Option<i64>)>>,
    costs: BTreeMap<RunRef, Vec<(i64, f64, Option<i64>)>>,
    reached: BTreeMap<String, Reached>,
    destinations_dropped: u64,
    approved: HashMap<RunRef, bool>,
    unapproved: BTreeMap<String, Behind>,
    admin: BTreeMap<String, Behind>,
}

impl<'a> Detector<'a> {
    pub fn new(rules: &'a FindingRules) -> Detector<'a> {
        Detector {
            rules,
            classes: HashMap::new(),
            names: Vec::new(),
            failures: BTreeMap::new(),
            failed_calls: HashSet::new(),
            calls: HashMap::new(),
            tokens: BTreeMap::new(),
            costs: BTreeMap::new(),
            reached: BTreeMap::new(),
            destinations_dropped: 0,
            approved: HashMap::new(),
            unapproved: BTreeMap::new(),
            admin: BTreeMap::new(),
        }
    }

    fn class(&mut self, name: &str) -> Class {
        if let Some(class) = self.classes.get(name) {
            return *class;
        }
        let matches = |patterns: &[String]| patterns.iter().any(|p| name_matches(name, p));
        let class = Class {
            id: self.names.len() as u32,
            admin: matches(&self.rules.admin_tools),
            gated: matches(&self.rules.approval_tools),
            approval: matches(&self.rules.approval_steps),
        };
        self.names.push(name.to_string());
        self.classes.insert(name.to_string(), class);
        class
    }

    pub fn feed(&mut self, fact: Fact) {
        let is_call = fact.kind == Some(StepKind::ToolCall);
        if let Some(tokens) = fact.tokens.filter(|t| *t > 0) {
            self.tokens.entry(fact.run).or_default().push((fact.id, tokens as f64, fact.at));
        }
        if let Some(cost) = fact.cost.filter(|c| c.is_finite() && *c > 0.0) {
            self.costs.entry(fact.run).or_default().push((fact.id, cost, fact.at));
        }
        let Some(tool) = fact.tool.as_deref().filter(|t| !t.is_empty()) else {
            self.note_approval(&fact);
            return;
        };
        if matches!(fact.kind, Some(StepKind::ToolCall | StepKind::ToolResult | StepKind::Error)) {
            let status = fact.result.as_deref().and_then(http_failure);
            if fact.is_error || status.is_some() {
                // A call and its result may both be marked failed: one failure per call.
                let first_of_call = match &fact.call_id {
                    Some(call) => self.failed_calls.insert((fact.run.0, call.clone())),
                    None => true,
                };
                if first_of_call {
                    let entry = self.failures.entry(tool.to_string()).or_default();
                    entry.behind.add(fact.id, fact.at);
                    if let Some(code) = status {
                        *entry.statuses.entry(code).or_default() += 1;
                    }
                    if entry.first_error.is_none() {
                        let text = fact.error.as_deref().or(fact.result.as_deref()).unwrap_or_default();
                        let text: String = one_line(text.trim()).chars().take(200).collect();
                        entry.first_error = (!text.is_empty()).then_some(text);
                    }
                }
            }
        }
        if !is_call {
            self.note_approval(&fact);
            return;
        }
        let class = self.class(tool);
        let arguments = fact.arguments.as_deref().unwrap_or_default();
        self.calls.entry((fact.run, class.id, arguments_digest(arguments))).or_default().push((fact.at, fact.id));
        for destination in destinations(arguments) {
            if allowed(&destination.host, &self.rules.allowed_destinations) {
                continue;
            }
            if !self.reached.contains_key(&destination.host) && self.reached.len() >= MAX_DESTINATIONS {
                self.destinations_dropped += 1;
                continue;
            }
            let entry = self.reached.entry(destination.host).or_default();
            if entry.written.is_empty() {
                entry.written = destination.written;
            }
            if entry.tools.len() < 5 && !entry.tools.iter().any(|t| t == tool) {
                entry.tools.push(tool.to_string());
            }
            entry.behind.add(fact.id, fact.at);
        }
        if class.admin {
            behind(&mut self.admin, tool).add(fact.id, fact.at);
        }
        if class.gated {
            // One approval covers the one call after it.
            if !std::mem::take(self.approved.entry(fact.run).or_default()) {
                behind(&mut self.unapproved, tool).add(fact.id, fact.at);
            }
        } else {
            self.note_approval(&fact);
        }
    }

    /// A step that is an approval (its tool or name matches the rules' approval steps) lets the next gated call of
    /// its run through.
    fn note_approval(&mut self, fact: &Fact) {
        let approval =
            [fact.tool.as_deref(), fact.name.as_deref()].into_iter().flatten().any(|n| self.class(n).approval);
        if approval {
            self.approved.insert(fact.run, true);
        }
    }

    /// The findings, most telling kinds first and, within a kind, most steps first; at most [`MAX_FINDINGS`], with
    /// how many more there were. `run_name` names a run as its file does; `import_key` an import in finding keys.
    pub fn finish(
        self,
        run_name: &dyn Fn(RunRef) -> String,
        import_key: &dyn Fn(usize) -> String,
    ) -> (Vec<Finding>, u64) {
        let rules = self.rules;
        let mut out = Vec::new();
        for (host, r) in self.reached {
            let tools = r.tools.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
            let list = if rules.allowed_destinations.is_empty() {
                "No allowlist is set for this incident, so every destination is listed; add the expected ones to the rules.".to_string()
            } else {
                format!("It is not on the allowlist ({}).", rules.allowed_destinations.join(", "))
            };
            out.push(finding(
                FindingKind::OffAllowlist,
                host.clone(),
                format!("{} reached {host}", calls(r.behind.count)),
                format!("Arguments of {tools} name {} ({}). {list}", host, r.written),
                vec![IncidentType::ExternalSend, IncidentType::SensitiveDataExposure],
                r.behind,
            ));
        }
        if self.destinations_dropped > 0 {
            more_destinations(&mut out, self.destinations_dropped);
        }
        for (tool, behind) in self.unapproved {
            out.push(finding(
                FindingKind::MissingApproval,
                tool.clone(),
                format!("`{tool}` ran {} with no approval before", times(behind.count)),
                format!(
                    "`{tool}` matches the tools that need a human approval ({}), and no approval step ({}) came \
                     before {} in its run.",
                    rules.approval_tools.join(", "),
                    rules.approval_steps.join(", "),
                    if behind.count == 1 { "it" } else { "these calls" }
                ),
                vec![IncidentType::ApprovalBypass],
                behind,
            ));
        }
        for (tool, behind) in self.admin {
            out.push(finding(
                FindingKind::AdminTool,
                tool.clone(),
                format!("Admin tool `{tool}` ran {}", times(behind.count)),
                format!("`{tool}` matches the admin tools of the rules ({}).", rules.admin_tools.join(", ")),
                vec![IncidentType::ToolMisuse],
                behind,
            ));
        }
        for (tool, f) in self.failures {
            let statuses = f.statuses.iter().map(|(c, n)| format!("HTTP {c} × {n}")).collect::<Vec<_>>().join(", ");
            let mut detail = format!("{} of `{tool}` failed", calls(f.behind.count));
            if !statuses.is_empty() {
                detail.push_str(&format!(" ({statuses})"));
            }
            detail.push('.');
            if let Some(first) = &f.first_error {
                detail.push_str(&format!(" The first said: {first}"));
            }
            out.push(finding(
                FindingKind::FailedToolCalls,
                tool.clone(),
                format!("`{tool}` failed {}", times(f.behind.count)),
                detail,
                Vec::new(),
                f.behind,
            ));
        }
        let mut loops: Vec<(SameCall, Behind, Option<i64>)> = Vec::new();
        for (same, mut occurrences) in self.calls {
            if occurrences.len() < rules.retry_calls as usize {
                continue;
            }
            if let Some((behind, span)) = in_loop(&mut occurrences, rules.retry_calls as usize, rules.retry_minutes) {
                loops.push((same, behind, span));
            }
        }
        loops.sort_by_key(|l| l.0);
        for ((run, tool, digest), behind, span) in loops {
            let tool = &self.names[tool as usize];
            let within = match span {
                Some(ns) => format!(" within {}", minutes(ns)),
                None => String::new(),
            };
            out.push(finding(
                FindingKind::RetryLoop,
                format!("{}:{}:{tool}:{}", import_key(run.0), run.1, hex(&digest[..6])),
                format!("`{tool}` called {} with the same arguments{within}", times(behind.count)),
                format!(
                    "In run {}, `{tool}` was called {} with the same or nearly the same arguments{within}: the \
                     rules call {} calls within {} minutes a retry loop.",
                    run_name(run),
                    times(behind.count),
                    rules.retry_calls,
                    rules.retry_minutes
                ),
                vec![IncidentType::DuplicateWork, IncidentType::CostRunaway],
                behind,
            ));
        }
        for (run, values) in self.costs {
            spikes(&mut out, FindingKind::CostSpike, run, &values, rules.spike_factor, run_name, import_key, |c| {
                format!("{c:.4}")
            });
        }
        for (run, values) in self.tokens {
            spikes(&mut out, FindingKind::TokenSpike, run, &values, rules.spike_factor, run_name, import_key, |t| {
                thousands(t as u64)
            });
        }
        out.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.step_count.cmp(&a.step_count)).then(a.key.cmp(&b.key)));
        let more = out.len().saturating_sub(MAX_FINDINGS) as u64;
        out.truncate(MAX_FINDINGS);
        (out, more)
    }
}

/// The steps behind a tool's finding, its name copied only the first time.
fn behind<'m>(map: &'m mut BTreeMap<String, Behind>, tool: &str) -> &'m mut Behind {
    if !map.contains_key(tool) {
        map.insert(tool.to_string(), Behind::default());
    }
    map.get_mut(tool).expect("inserted above")
}

/// Destinations past [`MAX_DESTINATIONS`] are not followed one by one; one finding says how many calls were left out.
fn more_destinations(out: &mut Vec<Finding>, dropped: u64) {
    out.push(Finding {
        key: "off_allowlist:*more".into(),
        kind: FindingKind::OffAllowlist,
        title: format!("{} reached still more destinations", calls(dropped)),
        detail: format!(
            "The trace names more than {MAX_DESTINATIONS} destinations outside the allowlist; {} naming others are \
             not listed one by one. Add the expected domains to the allowlist to see the rest.",
            calls(dropped)
        ),
        suggests: vec![IncidentType::ExternalSend],
        steps: Vec::new(),
        step_count: dropped,
        first_at: None,
        last_at: None,
        dismissal: None,
    });
}

fn finding(
    kind: FindingKind,
    what: String,
    title: String,
    detail: String,
    suggests: Vec<IncidentType>,
    b: Behind,
) -> Finding {
    Finding {
        key: format!("{}:{what}", kind.key()),
        kind,
        title,
        detail,
        suggests,
        steps: b.steps,
        step_count: b.count,
        first_at: b.first_at.map(chrono::DateTime::from_timestamp_nanos),
        last_at: b.last_at.map(chrono::DateTime::from_timestamp_nanos),
        dismissal: None,
    }
}

/// The steps of a loop: every call that falls in some window of `minutes` holding at least `calls` of them, and
/// the span from the first to the last. Calls without a time are a loop when there are enough of them.
fn in_loop(occurrences: &mut [(Option<i64>, i64)], calls: usize, minutes: u32) -> Option<(Behind, Option<i64>)> {
    occurrences.sort();
    let window = i64::from(minutes) * 60_000_000_000;
    let untimed: Vec<i64> = occurrences.iter().filter(|(at, _)| at.is_none()).map(|(_, id)| *id).collect();
    let timed: Vec<(i64, i64)> = occurrences.iter().filter_map(|(at, id)| at.map(|a| (a, *id))).collect();
    let mut member = vec![false; timed.len()];
    let mut start = 0;
    for end in 0..timed.len() {
        while timed[end].0 - timed[start].0 > window {
            start += 1;
        }
        if end + 1 - start >= calls {
            member[start..=end].iter_mut().for_each(|m| *m = true);
        }
    }
    let mut behind = Behind::default();
    for ((at, id), _) in timed.iter().zip(&member).filter(|(_, m)| **m) {
        behind.add(*id, Some(*at));
    }
    if untimed.len() >= calls {
        untimed.iter().for_each(|id| behind.add(*id, None));
    }
    if behind.count == 0 {
        return None;
    }
    let span = behind.first_at.zip(behind.last_at).map(|(f, l)| l - f);
    Some((behind, span))
}

/// One finding for a run whose steps include some at least `factor` times the run's median.
#[allow(clippy::too_many_arguments)]
fn spikes(
    out: &mut Vec<Finding>,
    kind: FindingKind,
    run: RunRef,
    values: &[(i64, f64, Option<i64>)],
    factor: f64,
    run_name: &dyn Fn(RunRef) -> String,
    import_key: &dyn Fn(usize) -> String,
    show: impl Fn(f64) -> String,
) {
    if values.len() < MIN_BASELINE {
        return;
    }
    let mut sorted: Vec<f64> = values.iter().map(|v| v.1).collect();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let threshold = median * factor;
    let mut behind = Behind::default();
    let mut largest = median;
    for (id, value, at) in values {
        if *value >= threshold && *value > median {
            behind.add(*id, *at);
            if *value > largest {
                largest = *value;
            }
        }
    }
    if behind.count == 0 {
        return;
    }
    let measure = if kind == FindingKind::CostSpike { "cost" } else { "tokens" };
    out.push(finding(
        kind,
        format!("{}:{}", import_key(run.0), run.1),
        format!("{} in run {} at {factor}× its median {measure} or more", steps_text(behind.count), run_name(run)),
        format!(
            "The run's median is {} {measure} per step; {} reached at least {factor} times that, the largest {}.",
            show(median),
            steps_text(behind.count),
            show(largest)
        ),
        vec![IncidentType::CostRunaway],
        behind,
    ));
}

/// A digest of a call's arguments with what changes on every retry left out: JSON is compared as values (key order
/// and spacing ignored, volatile keys dropped), anything else with its spacing collapsed.
fn arguments_digest(arguments: &str) -> [u8; 16] {
    let mut hasher = Sha256::new();
    match serde_json::from_str::<serde_json::Value>(arguments) {
        Ok(value) => feed_value(&mut hasher, &value),
        Err(_) => {
            for word in arguments.split_whitespace() {
                hasher.update(word.as_bytes());
                hasher.update(b" ");
            }
        }
    }
    let digest = hasher.finalize();
    let mut out = [0; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

fn feed_value(hasher: &mut Sha256, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> =
                map.keys().filter(|k| !VOLATILE_KEYS.contains(&k.to_ascii_lowercase().as_str())).collect();
            keys.sort();
            hasher.update(b"{");
            for key in keys {
                hasher.update(key.as_bytes());
                hasher.update(b":");
                feed_value(hasher, &map[key]);
                hasher.update(b",");
            }
            hasher.update(b"}");
        }
        Value::Array(items) => {
            hasher.update(b"[");
            items.iter().for_each(|v| {
                feed_value(hasher, v);
                hasher.update(b",");
            });
            hasher.update(b"]");
        }
        Value::String(s) => {
            hasher.update(b"\"");
            hasher.update(s.trim().as_bytes());
            hasher.update(b"\"");
        }
        other => hasher.update(other.to_string().as_bytes()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn times(n: u64) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{} times", thousands(n))
    }
}

fn calls(n: u64) -> String {
    if n == 1 {
        "1 call".into()
    } else {
        format!("{} calls", thousands(n))
    }
}

fn steps_text(n: u64) -> String {
    if n == 1 {
        "1 step".into()
    } else {
        format!("{} steps", thousands(n))
    }
}

fn minutes(ns: i64) -> String {
    let seconds = ns / 1_000_000_000;
    if seconds < 120 {
        format!("{seconds} s")
    } else {
        format!("{} min", seconds / 60)
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
