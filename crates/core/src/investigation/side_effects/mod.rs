//! Side effects drafted from the agent's own write calls. Each tool call is classed read or write (the person's
//! remembered choice for the tool, then its arguments, then its name: see [`classify`]); each write call becomes a
//! proposed affected object naming the system, the object's type and ID and the action, with the step as its
//! evidence (see [`object`]). The person accepts all or some: an accepted call enters the side-effect audit as an
//! affected object, or is linked to the object already there when the audit holds the same one, and the link from
//! object to step is an audited row. Proposals are computed whenever they are read, like the findings, so a new
//! choice of class shows at once.

mod classify;
mod object;
pub(crate) mod timeline;

use super::instant_of;
use super::steps::imports_of;
use crate::audit::{Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::affected::{self, AffectedObject, AgentAction, NewAffectedObject};
use crate::record::{self, Table};
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use classify::Judgement;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use ts_rs::TS;

crate::choices!(
    /// Whether a tool call only looked or changed something.
    CallClass, "CallClass.ts" {
        Read => ("read", "Read"),
        Write => ("write", "Write"),
    }
);

crate::choices!(
    /// Where a proposal stands against the side-effect audit.
    ProposalState, "ProposalState.ts" {
        New => ("new", "New"),
        Repeat => ("repeat", "Same object as an earlier call"),
        Recorded => ("recorded", "Already in the side-effect audit"),
        Accepted => ("accepted", "Accepted"),
    }
);

pub(crate) const SCHEMA_V9: &str = "
CREATE TABLE tool_classes (
    uuid TEXT PRIMARY KEY,
    tool TEXT NOT NULL UNIQUE,
    class TEXT,
    action TEXT,
    set_by TEXT,
    set_at TEXT
);
CREATE TABLE side_effect_links (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    object TEXT,
    import TEXT,
    seq TEXT,
    linked_by TEXT,
    linked_at TEXT
);
CREATE INDEX side_effect_links_incident ON side_effect_links (incident);
";

/// The person's class for a tool, remembered for every incident (a tool keeps its nature across traces).
pub(crate) const TOOL_CLASSES: Table =
    Table { entity: Entity::ToolClass, name: "tool_classes", fields: &["tool", "class", "action", "set_by", "set_at"] };

pub(crate) const LINKS: Table = Table {
    entity: Entity::SideEffectLink,
    name: "side_effect_links",
    fields: &["incident", "object", "import", "seq", "linked_by", "linked_at"],
};

/// A person's class for a tool; `class` is `None` once it was given back to the automatic judgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ToolClass.ts")]
pub struct ToolClass {
    pub id: String,
    pub tool: String,
    pub class: Option<CallClass>,
    /// For a write: what its calls do to their object (`None`: read from the name, else "triggered").
    pub action: Option<AgentAction>,
    pub set_by: String,
    pub set_at: DateTime<Utc>,
}

/// An accepted write call: the affected object it entered the audit as, and the step (by import and place).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SideEffectLink.ts")]
pub struct SideEffectLink {
    pub id: String,
    pub incident: String,
    pub object: String,
    pub import: String,
    #[ts(type = "number")]
    pub seq: u64,
    pub linked_by: String,
    pub linked_at: DateTime<Utc>,
}

/// One write call proposed as an affected object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SideEffectProposal.ts")]
pub struct SideEffectProposal {
    /// The step's number.
    #[ts(type = "number")]
    pub step: i64,
    pub at: Option<DateTime<Utc>>,
    pub run_id: String,
    pub tool: String,
    pub system: String,
    pub object_type: String,
    pub object_id: String,
    /// Where the ID was read ("the argument “invoice_id”", "the call's own ID (the call names no object)").
    pub id_from: String,
    pub action: AgentAction,
    /// Why the call counts as a write ("its name says “send”").
    pub basis: String,
    /// The call reported an error: the change may not have happened. "Accept all" leaves these out.
    pub failed: bool,
    pub error: Option<String>,
    pub state: ProposalState,
    /// The affected object it is (accepted) or matches (recorded).
    pub object: Option<String>,
    /// For a repeat: the earlier call's step.
    #[ts(type = "number | null")]
    pub same_as: Option<i64>,
    #[serde(skip)]
    import: String,
    #[serde(skip)]
    seq: u64,
    #[serde(skip)]
    line: u64,
}

/// How the incident's tools were classed: one line per tool name its traces call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ToolJudgement.ts")]
pub struct ToolJudgement {
    pub tool: String,
    #[ts(type = "number")]
    pub calls: u64,
    /// Calls judged writes (arguments can make some calls of a tool writes and others reads).
    #[ts(type = "number")]
    pub writes: u64,
    /// The class by the person's choice or, without one, by the name.
    pub class: CallClass,
    pub basis: String,
    /// The person's choice, when there is one.
    pub chosen: Option<ToolClass>,
}

/// The incident's proposals and how its tools were classed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SideEffectProposals.ts")]
pub struct SideEffectProposals {
    /// The first [`MAX_LISTED`] proposals in time order.
    pub proposals: Vec<SideEffectProposal>,
    /// All proposals, and how many of them are in each state and failed.
    #[ts(type = "number")]
    pub total: u64,
    #[ts(as = "BTreeMap<ProposalState, u32>")]
    pub counts: BTreeMap<ProposalState, u64>,
    #[ts(type = "number")]
    pub failed: u64,
    pub tools: Vec<ToolJudgement>,
    /// Tool calls read.
    #[ts(type = "number")]
    pub calls: u64,
}

/// Which proposals to accept: every one that is not accepted and did not fail, or the steps named.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Acceptance.ts")]
pub struct Acceptance {
    pub all: bool,
    #[ts(type = "Array<number>")]
    pub steps: Vec<i64>,
}

/// What an acceptance did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "AcceptedSideEffects.ts")]
pub struct AcceptedSideEffects {
    /// Affected objects created.
    #[ts(type = "number")]
    pub created: u64,
    /// Calls linked to an object the audit already held (entered by hand, imported, or created for an earlier
    /// call to the same object).
    #[ts(type = "number")]
    pub linked: u64,
    /// Chosen calls that were accepted before.
    #[ts(type = "number")]
    pub already: u64,
    /// Failed calls "accept all" left out.
    #[ts(type = "number")]
    pub failed_left: u64,
    /// The first [`MAX_LISTED`] objects created.
    pub objects: Vec<AffectedObject>,
}

/// The most proposals one read lists, and the most objects one acceptance reports back.
pub const MAX_LISTED: usize = 2_000;
/// How much of a call's arguments and of a result is read to name the object.
const ARGUMENT_CHARS: u64 = 65_536;
const RESULT_CHARS: u64 = 16_384;
const MAX_TOOL_NAME: usize = 500;
/// Clocks of different machines disagree a little; a step later than this after now gets no time in the audit.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// The incident's write calls as proposed affected objects, and how each tool was classed.
pub fn proposals(store: &Store, key: &str) -> Result<SideEffectProposals> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let mut all = compute(&conn, &incident)?;
    let mut listed = std::mem::take(&mut all.proposals);
    let total = listed.len() as u64;
    let mut counts = BTreeMap::new();
    for p in &listed {
        *counts.entry(p.state).or_insert(0) += 1;
    }
    let failed = listed.iter().filter(|p| p.failed).count() as u64;
    listed.truncate(MAX_LISTED);
    Ok(SideEffectProposals { proposals: listed, total, counts, failed, tools: all.tools, calls: all.calls })
}

struct Computed {
    proposals: Vec<SideEffectProposal>,
    tools: Vec<ToolJudgement>,
    calls: u64,
}

/// One pass over the incident's tool calls and results in file order, then the proposals in time order with
/// their states.
fn compute(conn: &Connection, incident: &Incident) -> Result<Computed> {
    let chosen = chosen_classes(conn)?;
    let runs = run_names(conn, incident)?;
    let mut judge = Judge { chosen: &chosen, by_name: HashMap::new() };
    let mut tools: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut proposals: Vec<SideEffectProposal> = Vec::new();
    // Each proposal's arguments, result and call ID, kept until the pass is over (a result comes on a later line).
    let mut texts: Vec<(Option<String>, Option<String>, Option<String>)> = Vec::new();
    let mut pending: HashMap<(String, String), usize> = HashMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT id, import, seq, run, kind, tool, at, is_error, substr(error, 1, 400), \
                CASE WHEN kind = 'tool_call' THEN substr(arguments, 1, {ARGUMENT_CHARS}) END, \
                substr(result, 1, {RESULT_CHARS}), call_id, line \
         FROM trace_steps WHERE incident = ?1 AND kind IN ('tool_call', 'tool_result') ORDER BY import, seq"
    ))?;
    let mut rows = stmt.query([&incident.uuid])?;
    let mut calls = 0u64;
    while let Some(r) = rows.next()? {
        let import: String = r.get(1)?;
        let kind: String = r.get(4)?;
        let is_error: bool = r.get(7)?;
        let error: Option<String> = r.get(8)?;
        let result: Option<String> = r.get(10)?;
        let call_id: Option<String> = r.get(11)?;
        if kind == "tool_result" {
            // A result of its own (chat formats) completes the call it answers.
            if let Some(&i) = call_id.as_ref().and_then(|c| pending.get(&(import.clone(), c.clone()))) {
                if is_error {
                    proposals[i].failed = true;
                    proposals[i].error = proposals[i].error.take().or(error);
                }
                if texts[i].1.is_none() {
                    texts[i].1 = result;
                }
            }
            continue;
        }
        let Some(tool) = r.get::<_, Option<String>>(5)? else { continue };
        calls += 1;
        let arguments: Option<String> = r.get(9)?;
        let judgement = judge.call(&tool, arguments.as_deref());
        let counts = tools.entry(limited_name(&tool)).or_default();
        counts.0 += 1;
        let Some(action) = judgement.action else { continue };
        counts.1 += 1;
        let step: i64 = r.get(0)?;
        let index = proposals.len();
        if let Some(c) = &call_id {
            pending.insert((import.clone(), c.clone()), index);
        }
        let run: i64 = r.get(3)?;
        proposals.push(SideEffectProposal {
            step,
            at: instant_of(r.get(6)?),
            run_id: runs.get(&(import.clone(), run)).cloned().unwrap_or_default(),
            tool: limited_name(&tool),
            // Named once the result is known.
            system: String::new(),
            object_type: String::new(),
            object_id: String::new(),
            id_from: String::new(),
            action,
            basis: judgement.basis,
            failed: is_error,
            error,
            state: ProposalState::New,
            object: None,
            same_as: None,
            import,
            seq: r.get::<_, i64>(2)? as u64,
            line: r.get::<_, i64>(12)? as u64,
        });
        texts.push((arguments, result, call_id));
    }
    for (p, (arguments, result, call_id)) in proposals.iter_mut().zip(texts) {
        // Arguments cut at ARGUMENT_CHARS are no JSON any more; their first pairs still name the object.
        let parsed_args = arguments.as_deref().and_then(|a| parse_object(a).or_else(|| object::scalar_pairs(a)));
        let parsed_result = result.as_deref().and_then(parse_object);
        if result.as_deref().and_then(super::findings::names::http_failure).is_some() {
            p.failed = true;
        }
        let named = object::name_object(&object::Call {
            tool: &p.tool,
            action: p.action,
            arguments: parsed_args.as_ref(),
            arguments_text: arguments.as_deref(),
            result: parsed_result.as_ref(),
            call_id: call_id.as_deref(),
            step: p.step,
        });
        p.system = named.system;
        p.object_type = named.object_type;
        p.object_id = named.object_id;
        p.id_from = named.id_from;
    }
    proposals.sort_by(|a, b| (a.at.is_none(), a.at, &a.import, a.seq).cmp(&(b.at.is_none(), b.at, &b.import, b.seq)));
    let state = States::read(conn, incident)?;
    state.apply(&mut proposals);
    let tools = tools
        .into_iter()
        .map(|(tool, (calls, writes))| {
            let by_name = judge.name(&tool);
            let chosen = chosen.get(&tool).cloned();
            ToolJudgement {
                class: if by_name.is_write() { CallClass::Write } else { CallClass::Read },
                basis: by_name.basis,
                tool,
                calls,
                writes,
                chosen,
            }
        })
        .collect();
    Ok(Computed { proposals, tools, calls })
}

/// Whether a call's arguments have a key that can decide its class (see `classify::by_arguments`).
fn may_decide(arguments: &str) -> bool {
    [
        "\"method\"",
        "\"http_method\"",
        "\"httpMethod\"",
        "\"verb\"",
        "\"sql\"",
        "\"query\"",
        "\"statement\"",
        "\"mutation\"",
    ]
    .iter()
    .any(|k| arguments.contains(k))
}

/// A JSON object from a call's arguments or result, or `None` (not JSON, cut, or not an object).
fn parse_object(text: &str) -> Option<Value> {
    let text = text.trim_start();
    if !text.starts_with('{') {
        return None;
    }
    serde_json::from_str::<Value>(text).ok().filter(Value::is_object)
}

fn limited_name(tool: &str) -> String {
    tool.chars().take(MAX_TOOL_NAME).collect()
}

/// The judgement of calls, with each tool name's judgement worked out once.
struct Judge<'a> {
    chosen: &'a HashMap<String, ToolClass>,
    by_name: HashMap<String, Judgement>,
}

impl Judge<'_> {
    fn name(&mut self, tool: &str) -> Judgement {
        if let Some(j) = self.by_name.get(tool) {
            return j.clone();
        }
        let j = match self.chosen.get(tool).and_then(|c| c.class.map(|class| (class, c))) {
            Some((CallClass::Read, c)) => {
                Judgement { action: None, basis: format!("{} classed it as a read", c.set_by) }
            }
            Some((CallClass::Write, c)) => Judgement {
                action: Some(c.action.or(classify::by_name(tool).action).unwrap_or(AgentAction::Triggered)),
                basis: format!("{} classed it as a write", c.set_by),
            },
            None => classify::by_name(tool),
        };
        self.by_name.insert(tool.to_string(), j.clone());
        j
    }

    /// A person's choice decides; then what the arguments say; then the name. The arguments are parsed only when
    /// they have a key that can decide: this runs for every tool call of the incident.
    fn call(&mut self, tool: &str, arguments: Option<&str>) -> Judgement {
        let by_name = self.name(tool);
        if self.chosen.get(tool).is_some_and(|c| c.class.is_some()) {
            return by_name;
        }
        let parsed = arguments.filter(|a| may_decide(a)).and_then(parse_object);
        parsed.as_ref().and_then(classify::by_arguments).unwrap_or(by_name)
    }
}

fn chosen_classes(conn: &Connection) -> Result<HashMap<String, ToolClass>> {
    let all: Vec<ToolClass> = TOOL_CLASSES.select(conn, "1", &[])?;
    Ok(all.into_iter().map(|c| (c.tool.clone(), c)).collect())
}

fn run_names(conn: &Connection, incident: &Incident) -> Result<HashMap<(String, i64), String>> {
    let mut stmt = conn.prepare(
        "SELECT r.import, r.idx, r.source_id FROM trace_runs r JOIN trace_imports i ON i.uuid = r.import \
         WHERE i.incident = ?1",
    )?;
    let rows = stmt.query_map([incident.row_key()], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the audit holds now: the links from steps to objects, and the objects by what they are.
struct States {
    links: HashMap<(String, u64), String>,
    objects: HashMap<ObjectKey, String>,
}

/// An object as duplicates are recognised: system, type, ID and action, spaces and case aside.
type ObjectKey = (String, String, String, AgentAction);

fn key_of(system: &str, object_type: &str, object_id: &str, action: AgentAction) -> ObjectKey {
    let norm = |s: &str| s.trim().to_lowercase();
    (norm(system), norm(object_type), norm(object_id), action)
}

impl States {
    fn read(conn: &Connection, incident: &Incident) -> Result<States> {
        let links: Vec<SideEffectLink> = LINKS.select(conn, "incident = ?1", &[&incident.row_key()])?;
        let objects: Vec<AffectedObject> = affected::OBJECTS.select(conn, "incident = ?1", &[&incident.row_key()])?;
        Ok(States {
            links: links.into_iter().map(|l| ((l.import, l.seq), l.object)).collect(),
            objects: objects
                .into_iter()
                .rev()
                .map(|o| (key_of(&o.system, &o.object_type, &o.object_id, o.action), o.id))
                .collect(),
        })
    }

    /// Sets each proposal's state, in time order: accepted, recorded, a repeat of an earlier call, or new.
    fn apply(&self, proposals: &mut [SideEffectProposal]) {
        let mut first: HashMap<ObjectKey, i64> = HashMap::new();
        for p in proposals.iter_mut() {
            let key = key_of(&p.system, &p.object_type, &p.object_id, p.action);
            (p.state, p.object, p.same_as) = if let Some(o) = self.links.get(&(p.import.clone(), p.seq)) {
                (ProposalState::Accepted, Some(o.clone()), None)
            } else if let Some(o) = self.objects.get(&key) {
                (ProposalState::Recorded, Some(o.clone()), None)
            } else if let Some(&s) = first.get(&key) {
                (ProposalState::Repeat, None, Some(s))
            } else {
                (ProposalState::New, None, None)
            };
            first.entry(key).or_insert(p.step);
        }
    }
}

/// Accepts proposals into the side-effect audit, all or nothing: a new object for each object the audit does not
/// hold yet, a link from each accepted call to its object.
pub fn accept(store: &Store, actor: &Actor, key: &str, choice: &Acceptance) -> Result<AcceptedSideEffects> {
    if !choice.all && choice.steps.is_empty() {
        return Err(Error::invalid(
            "steps",
            "Say which proposals to accept: all of them, or the steps' numbers as the proposals list shows them.",
        ));
    }
    // The pass over the steps is made before the write, so the write lock is held only for the rows.
    let (proposals, files) = {
        let conn = store.connect()?;
        let incident = incident::find(&conn, key)?;
        let files = file_names(&conn, &incident)?;
        (compute(&conn, &incident)?.proposals, files)
    };
    let mut failed_left = 0u64;
    let chosen: Vec<SideEffectProposal> = if choice.all {
        proposals
            .into_iter()
            .filter(|p| {
                failed_left += u64::from(p.failed && p.state != ProposalState::Accepted);
                !p.failed
            })
            .collect()
    } else {
        let proposed: HashSet<i64> = proposals.iter().map(|p| p.step).collect();
        if let Some(s) = choice.steps.iter().find(|s| !proposed.contains(s)) {
            return Err(Error::invalid(
                "steps",
                format!(
                    "Step {s} is not a write call of {key}, so there is nothing to accept. \
                     `firebreak trace side-effects {key}` lists the proposals with their steps."
                ),
            ));
        }
        // In time order, each once, however the steps were given.
        let wanted: HashSet<i64> = choice.steps.iter().copied().collect();
        proposals.into_iter().filter(|p| wanted.contains(&p.step)).collect()
    };
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let mut state = States::read(tx, &incident)?;
        let mut done = AcceptedSideEffects { created: 0, linked: 0, already: 0, failed_left, objects: Vec::new() };
        let now = tx.at();
        for p in &chosen {
            if state.links.contains_key(&(p.import.clone(), p.seq)) {
                done.already += 1;
                continue;
            }
            let object_key = key_of(&p.system, &p.object_type, &p.object_id, p.action);
            let object = match state.objects.get(&object_key) {
                Some(id) => {
                    done.linked += 1;
                    id.clone()
                }
                None => {
                    let file = files.get(&p.import).map(String::as_str).unwrap_or("its trace file");
                    let evidence = format!("Trace step {}: {} at line {} of {}", p.step, p.tool, p.line, file);
                    let new = NewAffectedObject {
                        occurred_at: p.at.filter(|t| *t <= now + CLOCK_SKEW),
                        evidence: evidence.chars().take(4_000).collect(),
                        ..NewAffectedObject::new(&p.system, &p.object_type, &p.object_id, p.action)
                    };
                    let made = affected::insert_new(tx, &incident, new)?;
                    done.created += 1;
                    let id = made.id.clone();
                    if done.objects.len() < MAX_LISTED {
                        done.objects.push(made);
                    }
                    state.objects.insert(object_key, id.clone());
                    id
                }
            };
            let link = SideEffectLink {
                id: record::new_id(),
                incident: incident.uuid.clone(),
                object,
                import: p.import.clone(),
                seq: p.seq,
                linked_by: tx.actor().name.clone(),
                linked_at: now,
            };
            LINKS.insert(tx, &link)?;
            state.links.insert((link.import, link.seq), link.object);
        }
        Ok(done)
    })
}

/// The name of each import's evidence file, for the evidence reference of an accepted object.
fn file_names(conn: &Connection, incident: &Incident) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for import in imports_of(conn, incident)? {
        let file = crate::phases::evidence::file_of(conn, incident, &import.file)?;
        out.insert(import.id, file.original_name);
    }
    Ok(out)
}

/// The classes people chose for tools, remembered for every incident.
pub fn tool_classes(store: &Store) -> Result<Vec<ToolClass>> {
    let conn = store.connect()?;
    TOOL_CLASSES.select(&conn, "1", &[])
}

/// Classes a tool for every incident: `Some(class)` (with, for a write, what its calls do) or `None` to give it
/// back to the automatic judgement.
pub fn set_tool_class(
    store: &Store,
    actor: &Actor,
    tool: &str,
    class: Option<CallClass>,
    action: Option<AgentAction>,
) -> Result<ToolClass> {
    if tool.trim().is_empty() || tool.chars().count() > MAX_TOOL_NAME {
        return Err(Error::invalid(
            "tool",
            format!("Give the tool's name as the trace writes it (1 to {MAX_TOOL_NAME} characters)."),
        ));
    }
    if action.is_some() && class != Some(CallClass::Write) {
        return Err(Error::invalid("action", "Only a write has an action; class the tool as a write to give one."));
    }
    if action == Some(AgentAction::Read) {
        return Err(Error::invalid("action", "“Read” is not a change: class the tool as a read instead."));
    }
    store.write(actor, |tx| {
        let existing: Option<ToolClass> = TOOL_CLASSES.select(tx, "tool = ?1", &[&serde_json::to_string(tool)?])?.pop();
        let row = |id: String| ToolClass {
            id,
            tool: tool.to_string(),
            class,
            action,
            set_by: tx.actor().name.clone(),
            set_at: tx.at(),
        };
        match existing {
            Some(before) => {
                let after = row(before.id.clone());
                TOOL_CLASSES.update(tx, &before, &after, None)?;
                Ok(after)
            }
            None => {
                let after = row(record::new_id());
                TOOL_CLASSES.insert(tx, &after)?;
                Ok(after)
            }
        }
    })
}
