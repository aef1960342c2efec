//! `firebreak trace …` through the built binary: importing a trace file, refusing a malformed one whole, and
//! reading the failed steps and one step's whole text back.

mod common;

use common::Cli;
use std::path::PathBuf;

const CLI: Cli = Cli { actor: "Dana Reyes" };
const OTLP_GENAI: &str = include_str!("../../core/tests/data/traces/otlp_genai.jsonl");

fn setup() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db").join("cli.db");
    let id = CLI.ok(&db, &["incident", "new", "--title", "Refund bot refunded twice"]).trim().to_string();
    (dir, db, id)
}

fn write(dir: &tempfile::TempDir, name: &str, content: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

#[test]
fn a_trace_is_imported_and_its_failed_tool_call_read_back_whole() {
    let (dir, db, id) = setup();
    let file = write(&dir, "refunds.jsonl", OTLP_GENAI);

    let text = CLI.ok(&db, &["trace", "import", &id, &file]);
    assert!(text.starts_with("Imported 2 run(s) and 6 step(s) (2 tool call(s), 1 failed) as OpenTelemetry"), "{text}");
    let again = CLI.fails(&db, &["trace", "import", &id, &file]);
    assert!(again.contains("already"), "{again}");

    let listed = CLI.json(&db, &["trace", "list", &id]);
    assert_eq!(listed["imports"].as_array().unwrap().len(), 1);
    assert_eq!(listed["runs"].as_array().unwrap().len(), 2);

    let failed = CLI.json(&db, &["trace", "steps", &id, "--failed"]);
    let rows = failed["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{failed}");
    assert_eq!(rows[0]["step"]["tool"], "issue_refund");
    let step = rows[0]["id"].as_i64().unwrap().to_string();

    let original = CLI.ok(&db, &["trace", "original", &id, &step]);
    assert!(original.starts_with("refunds.jsonl, line 1 (byte 0):\n{\"resourceSpans\""), "{original}");

    let shown = CLI.ok(&db, &["trace", "step", &id, &step]);
    assert!(shown.contains("Tool         issue_refund"), "{shown}");
    assert!(shown.contains("card processor timed out"), "{shown}");
    // The arguments as the agent sent them, key order and all.
    assert!(shown.contains(r#"{"order_id":"A-1009","amount":120.5,"note":"Rückerstattung 🎉 مرحبا 退款"}"#), "{shown}");

    let listing = CLI.ok(&db, &["trace", "steps", &id, "--tool", "issue_refund"]);
    assert!(listing.contains("issue_refund"), "{listing}");
    let none = CLI.ok(&db, &["trace", "steps", &id, "--tool", "no_such_tool"]);
    assert!(none.contains("No steps match."), "{none}");
    CLI.ok(&db, &["audit", "verify"]);
}

#[test]
fn a_malformed_trace_is_refused_whole_unless_skipping_is_asked_for() {
    let (dir, db, id) = setup();
    let first = OTLP_GENAI.lines().next().unwrap();
    let file = write(&dir, "broken.jsonl", &format!("{first}\n{{\"resourceSpans\": [truncated\n"));

    let err = CLI.fails(&db, &["trace", "import", &id, &file, "--format", "otlp_json"]);
    assert!(err.contains("line 2"), "names the bad line: {err}");
    let listed = CLI.json(&db, &["trace", "list", &id]);
    assert!(listed["imports"].as_array().unwrap().is_empty(), "nothing imported: {listed}");
    let files = CLI.json(&db, &["evidence", "list", &id]);
    assert!(files["files"].as_array().unwrap().is_empty(), "no evidence file left behind: {files}");

    let imported = CLI.json(&db, &["trace", "import", &id, &file, "--format", "otlp_json", "--skip-invalid"]);
    assert_eq!(imported["skipped_total"], 1);
    assert_eq!(imported["skipped"][0]["line"], 2);
    assert!(imported["steps"].as_u64().unwrap() > 0);

    let err = CLI.fails(&db, &["trace", "import", &id, &file, "--format", "jsonish"]);
    assert!(err.contains("is not a trace format") && err.contains("otlp_json"), "{err}");
    let err = CLI.fails(&db, &["trace", "steps", &id, "--kind", "thinking"]);
    assert!(err.contains("is not a step kind"), "{err}");
    let err = CLI.fails(&db, &["trace", "steps", &id, "--from", "yesterday"]);
    assert!(err.contains("\"yesterday\" is not a time"), "{err}");
}

#[test]
fn search_finds_a_step_and_the_record_and_prints_hostile_text_escaped() {
    let (dir, db, id) = setup();
    let hostile = OTLP_GENAI.replace("card processor timed out", "card processor timed out \\u001b[2J\\u000aFAKE LINE");
    CLI.ok(&db, &["trace", "import", &id, &write(&dir, "refunds.jsonl", &hostile)]);
    let other = CLI.ok(&db, &["incident", "new", "--title", "Processor outage last month"]).trim().to_string();

    let found = CLI.json(&db, &["search", "processor", "--incident", &id]);
    let hits = found["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{found}");
    assert!(hits.iter().all(|h| h["incident"] == id.as_str()), "within the one incident: {found}");
    let step = hits.iter().find(|h| h["step"].is_i64()).expect("a step hit");
    assert_eq!(step["is_error"], true);
    assert!(step["snippet"].as_array().unwrap().iter().any(|p| p["hit"] == true && p["text"] == "processor"));

    // From the register: both incidents, the record's title among them.
    let everywhere = CLI.json(&db, &["search", "processor"]);
    let incidents: Vec<&str> =
        everywhere["hits"].as_array().unwrap().iter().map(|h| h["incident"].as_str().unwrap()).collect();
    assert!(incidents.contains(&id.as_str()) && incidents.contains(&other.as_str()), "{everywhere}");

    let text = CLI.ok(&db, &["search", "timed", "out", "error:yes", "--incident", &id]);
    assert!(text.contains("(step ") && text.contains(", failed)"), "{text}");
    assert!(text.contains("«timed»") && text.contains("\\x1B[2J"), "hits marked, escapes shown: {text}");
    assert!(!text.contains('\u{1b}') && !text.lines().any(|l| l.starts_with("FAKE")), "{text}");

    assert!(CLI.ok(&db, &["search", "nowhere-to-be-found"]).contains("Nothing found."));
    let refused = CLI.fails(&db, &["search", "NOT", "processor"]);
    assert!(refused.contains("NOT needs words on both sides"), "{refused}");
}

#[test]
fn findings_are_listed_dismissed_with_a_reason_restored_and_judged_by_the_rules_set() {
    let (dir, db, id) = setup();
    let file = write(&dir, "refunds.jsonl", OTLP_GENAI);
    CLI.ok(&db, &["trace", "import", &id, &file]);

    let found = CLI.json(&db, &["trace", "findings", &id]);
    let keys: Vec<&str> = found["findings"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"failed_tool_calls:issue_refund"), "{keys:?}");
    let text = CLI.ok(&db, &["trace", "findings", &id]);
    assert!(text.contains("Failed tool calls  `issue_refund` failed once"), "{text}");
    let behind = CLI.ok(&db, &["trace", "finding-steps", &id, "failed_tool_calls:issue_refund"]);
    assert!(behind.contains("issue_refund") && behind.contains("yes"), "{behind}");

    let refused = CLI.fails(&db, &["trace", "dismiss", &id, "failed_tool_calls:issue_refund", "--reason", " "]);
    assert!(refused.contains("Say why"), "{refused}");
    CLI.ok(
        &db,
        &["trace", "dismiss", &id, "failed_tool_calls:issue_refund", "--reason", "Gateway outage, refunded by hand"],
    );
    let text = CLI.ok(&db, &["trace", "findings", &id]);
    assert!(text.contains("(dismissed)") && text.contains("by Dana Reyes"), "{text}");
    CLI.ok(&db, &["trace", "restore", &id, "failed_tool_calls:issue_refund"]);
    assert!(!CLI.ok(&db, &["trace", "findings", &id]).contains("(dismissed)"));

    let rules = CLI.json(&db, &["trace", "rules", &id]);
    assert_eq!(rules["set"], false);
    let refused = CLI.fails(&db, &["trace", "rules", &id, "--retry-calls", "1"]);
    assert!(refused.contains("2 to 1000"), "{refused}");
    let rules = CLI.json(&db, &["trace", "rules", &id, "--approval-tool", "", "--allow", "https://api.example.com/x"]);
    assert_eq!(rules["set"], true);
    assert_eq!(rules["rules"]["approval_tools"], serde_json::json!([]));
    assert_eq!(rules["rules"]["allowed_destinations"], serde_json::json!(["api.example.com"]));
    assert_eq!(rules["rules"]["retry_calls"], 5, "what was not given is kept");
    let found = CLI.json(&db, &["trace", "findings", &id]);
    assert!(found["findings"].as_array().unwrap().iter().all(|f| f["kind"] != "missing_approval"), "{found}");
    CLI.ok(&db, &["audit", "verify"]);
}

#[test]
fn a_repro_bundle_is_written_with_the_steps_context_and_an_unknown_step_writes_nothing() {
    let (dir, db, id) = setup();
    let file = write(&dir, "refunds.jsonl", OTLP_GENAI);
    CLI.ok(&db, &["trace", "import", &id, &file]);
    let failed = CLI.json(&db, &["trace", "steps", &id, "--failed"]);
    let step = failed["rows"][0]["id"].as_i64().unwrap().to_string();
    let out = dir.path().join("repro.json").display().to_string();

    let written = CLI.json(&db, &["trace", "repro", &id, &step, "--out", &out]);
    assert_eq!(written["chosen"], 1);
    assert!(written["steps"].as_u64().unwrap() >= 1, "{written}");
    let bundle: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(bundle["format"], "firebreak-repro/1");
    let steps = bundle["runs"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.last().unwrap()["tool"], "issue_refund");
    assert_eq!(steps.last().unwrap()["chosen"], true);

    let other = dir.path().join("other.json");
    let refused = CLI.fails(&db, &["trace", "repro", &id, "99999", "--out", &other.display().to_string()]);
    assert!(refused.contains("No step 99999"), "{refused}");
    assert!(!other.exists());
    CLI.ok(&db, &["audit", "verify"]);
}

#[test]
fn write_calls_are_proposed_accepted_into_the_side_effect_audit_and_tools_classed() {
    let (dir, db, id) = setup();
    CLI.ok(&db, &["trace", "import", &id, &write(&dir, "refunds.jsonl", OTLP_GENAI)]);
    let found = CLI.json(&db, &["trace", "side-effects", &id]);
    let proposal = &found["proposals"][0];
    assert_eq!(found["total"], 1);
    assert_eq!(proposal["tool"], "issue_refund");
    assert_eq!(proposal["object_id"], "A-1009");
    assert_eq!(proposal["failed"], true);
    let step = proposal["step"].as_i64().unwrap().to_string();
    let text = CLI.ok(&db, &["trace", "side-effects", &id]);
    assert!(text.contains(&format!("step {step}")) && text.contains("FAILED"), "{text}");
    assert!(text.contains("a write because its name says “issue”"), "{text}");

    // "All" leaves the failed call out; naming its step accepts it.
    let all = CLI.json(&db, &["trace", "side-effects", &id, "--accept", "all"]);
    assert_eq!((all["created"].as_u64(), all["failed_left"].as_u64()), (Some(0), Some(1)));
    let one = CLI.ok(&db, &["trace", "side-effects", &id, "--accept", &step]);
    assert!(one.contains("1 new affected object(s)"), "{one}");
    let objects = CLI.json(&db, &["affected", "list", &id]);
    assert_eq!(objects[0]["object_id"], "A-1009");
    assert!(objects[0]["evidence"].as_str().unwrap().contains("refunds.jsonl"));
    let again = CLI.json(&db, &["trace", "side-effects", &id]);
    assert_eq!(again["proposals"][0]["state"], "accepted");

    let err = CLI.fails(&db, &["trace", "side-effects", &id, "--accept", "first"]);
    assert!(err.contains("\"first\" is not a step number"), "{err}");
    let err = CLI.fails(&db, &["trace", "tool-class", "issue_refund", "sometimes"]);
    assert!(err.contains("give read, write or auto"), "{err}");
    let classed = CLI.ok(&db, &["trace", "tool-class", "issue_refund", "read"]);
    assert!(classed.contains("issue_refund is classed as a read in every incident"), "{classed}");
    let none = CLI.json(&db, &["trace", "side-effects", &id]);
    assert_eq!(none["total"], 0);
    assert_eq!(none["tools"][0]["basis"], "Dana Reyes classed it as a read");
    assert!(CLI.ok(&db, &["audit", "verify"]).contains("intact"));
}
