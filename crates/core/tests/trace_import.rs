//! Importing traces into an incident: evidence first, all or nothing, one audit entry whose digest lets `verify`
//! find a step changed, added or deleted outside Firebreak; and reading the steps back by filter and page.

mod common;

use common::*;
use firebreak_core::audit::Entity;
use firebreak_core::investigation::{self, ImportOptions, StepFilter};
use firebreak_core::phases::evidence::{self, CustodyAction, EvidenceKind};
use firebreak_core::trace::{Format, StepKind};
use firebreak_core::verify::{self, ProblemKind};
use firebreak_core::ErrorCode;
use std::path::PathBuf;

const OTLP_GENAI: &str = include_str!("data/traces/otlp_genai.jsonl");
const CLAUDE_CODE: &str = include_str!("data/traces/claude_code_session.jsonl");

fn source(db: &Db, name: &str, content: &[u8]) -> PathBuf {
    db.outside_file(name, content)
}

fn entries(db: &Db) -> i64 {
    db.store.connect().unwrap().query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

fn rows(db: &Db, table: &str) -> i64 {
    db.store.connect().unwrap().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

fn problems(db: &Db) -> Vec<(ProblemKind, String)> {
    verify::verify(&db.store).unwrap().problems.into_iter().map(|p| (p.kind, p.message)).collect()
}

fn all(db: &Db, key: &str, filter: StepFilter) -> Vec<firebreak_core::investigation::StoredStep> {
    investigation::steps(&db.store, key, &filter).unwrap().rows
}

#[test]
fn an_import_attaches_the_file_as_evidence_writes_every_step_and_audits_it_in_one_entry() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let path = source(&db, "refunds.otlp.jsonl", OTLP_GENAI.as_bytes());
    let before = entries(&db);
    let import = investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();

    assert_eq!(import.format, Format::OtlpJson, "detected from the content");
    assert_eq!((import.runs, import.steps, import.tool_calls, import.failed_tool_calls), (2, 6, 2, 1));
    assert_eq!(import.parser, "otlp_json/1");
    assert_eq!(import.imported_by, "Dana Reyes");
    let files = evidence::files(&db.store, &inc.id).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!((files[0].kind, files[0].id.as_str()), (EvidenceKind::ToolCallTrace, import.file.as_str()));
    assert_eq!(files[0].sha256, import.sha256);
    let custody: Vec<CustodyAction> =
        evidence::custody(&db.store, &inc.id).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(custody, [CustodyAction::Attached, CustodyAction::Imported]);

    // The steps themselves are not audited one by one: the import's entry carries their digest.
    let conn = db.store.connect().unwrap();
    let import_entries: i64 = conn
        .query_row("SELECT count(*) FROM audit_log WHERE entity = ?1", [Entity::TraceImport.as_str()], |r| r.get(0))
        .unwrap();
    assert_eq!(import_entries, 1);
    let value: String =
        conn.query_row("SELECT new_value FROM audit_log WHERE entity = 'trace_import'", [], |r| r.get(0)).unwrap();
    for part in [&import.sha256, &import.digest, "\"steps\":6", "otlp_json/1"] {
        assert!(value.contains(part), "{part} in {value}");
    }
    assert!(entries(&db) - before < 10, "a handful of entries, not one per step");
    assert_eq!(rows(&db, "trace_steps"), 6);
    assert!(verify::verify(&db.store).unwrap().intact);

    let steps = all(&db, &inc.id, StepFilter::default());
    assert_eq!(steps.len(), 6);
    let refund = steps.iter().find(|s| s.step.tool.as_deref() == Some("issue_refund")).unwrap();
    assert!(refund.step.is_error);
    assert_eq!(refund.step.error.as_deref(), Some("PaymentGatewayError: card processor timed out"));
    assert_eq!(refund.run_id, "0af7651916cd43dd8448eb211c80319c");
    assert_eq!((refund.step.origin.line, refund.step.origin.offset), (1, 0), "every step points back into its file");
    let times: Vec<_> = steps.iter().filter_map(|s| s.step.at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");

    let runs = investigation::runs(&db.store, &inc.id).unwrap();
    assert_eq!(runs.len(), 2);
    let refund_run = runs.iter().find(|r| r.source_id == "0af7651916cd43dd8448eb211c80319c").unwrap();
    assert_eq!(refund_run.agent.as_deref(), Some("RefundAgent"), "the run's values as the whole file gave them");
    assert_eq!((refund_run.steps, refund_run.errors), (4, 1));
}

#[test]
fn a_malformed_file_is_refused_with_its_line_and_leaves_nothing_behind() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let mut text = CLAUDE_CODE.to_string();
    text.push_str("{\"type\":\"assistant\",\"message\":{\"role\":\"assistant\",\"content\":[\n");
    let path = source(&db, "session.jsonl", text.as_bytes());
    let before = entries(&db);
    let err = investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let message = err.to_string();
    assert!(message.contains("session.jsonl") && message.contains("line 8"), "{message}");
    assert!(message.contains("Nothing was imported") && message.contains("--skip-invalid"), "{message}");
    assert_eq!(entries(&db), before, "no evidence record, no custody event, no import");
    assert!(evidence::files(&db.store, &inc.id).unwrap().is_empty());
    for table in ["trace_imports", "trace_runs", "trace_steps"] {
        assert_eq!(rows(&db, table), 0, "{table}");
    }
    // Not even the copy: the evidence folder holds nothing of the refused file.
    let folder = evidence::stored_path(&db.store, "x").parent().unwrap().to_path_buf();
    let left: Vec<_> = std::fs::read_dir(&folder).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");

    let skip = ImportOptions { skip_invalid: true, ..ImportOptions::default() };
    let import = investigation::import_file(&db.store, &dana(), &inc.id, &path, &skip).unwrap();
    assert_eq!(import.format, Format::AnthropicMessages);
    assert_eq!(import.skipped_total, 1);
    assert_eq!(import.skipped[0].line, 8);
    assert!(import.skipped[0].reason.contains("cut short"), "{:?}", import.skipped);
    assert!(import.steps > 0);
    assert!(verify::verify(&db.store).unwrap().intact);
    // The imported file's copy is in its place, under its hash, and re-verifies.
    let checks = evidence::reverify(&db.store, &dana(), &inc.id).unwrap();
    assert!(checks.iter().all(|c| c.status == evidence::FileCheckStatus::Unchanged), "{checks:?}");
}

#[test]
fn the_same_file_is_imported_once_and_a_file_of_no_known_format_is_refused() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let path = source(&db, "session.jsonl", CLAUDE_CODE.as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    let before = (entries(&db), rows(&db, "trace_steps"));
    let again = investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap_err();
    assert_eq!(again.code(), ErrorCode::Conflict);
    assert!(again.to_string().contains("already imported"), "{again}");
    let file = &evidence::files(&db.store, &inc.id).unwrap()[0];
    let by_id = investigation::import_evidence(&db.store, &dana(), &inc.id, &file.id, &ImportOptions::default());
    assert_eq!(by_id.unwrap_err().code(), ErrorCode::Conflict);
    assert_eq!((entries(&db), rows(&db, "trace_steps")), before);

    let notes = source(&db, "notes.txt", b"The agent went rogue at 10:14.\n");
    let err = investigation::import_file(&db.store, &dana(), &inc.id, &notes, &ImportOptions::default()).unwrap_err();
    assert_eq!(err.field(), Some("format"));
    assert!(err.to_string().contains("cannot tell"), "{err}");
    // A wrong format chosen by hand names the first line that does not fit.
    let wrong = ImportOptions { format: Some(Format::OtlpJson), ..ImportOptions::default() };
    let other = source(&db, "other.jsonl", CLAUDE_CODE.replace("Rotate", "Turn").as_bytes());
    let err = investigation::import_file(&db.store, &dana(), &inc.id, &other, &wrong).unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
    assert_eq!(evidence::files(&db.store, &inc.id).unwrap().len(), 1, "the refused files left no evidence record");
}

#[test]
fn an_attached_file_can_be_imported_later_and_a_changed_copy_is_refused() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let path = source(&db, "session.jsonl", CLAUDE_CODE.as_bytes());
    let file = evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::ToolCallTrace, &path, "").unwrap();

    let stored = evidence::stored_path(&db.store, &file.sha256);
    let mut permissions = std::fs::metadata(&stored).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&stored, permissions).unwrap();
    std::fs::write(&stored, CLAUDE_CODE.replace("staging", "production")).unwrap();
    let err =
        investigation::import_evidence(&db.store, &dana(), &inc.id, &file.id, &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no longer matches"), "{err}");
    assert_eq!(rows(&db, "trace_steps"), 0);

    std::fs::write(&stored, CLAUDE_CODE).unwrap();
    let import =
        investigation::import_evidence(&db.store, &dana(), &inc.id, &file.id, &ImportOptions::default()).unwrap();
    assert_eq!(import.file, file.id);
    assert_eq!(evidence::files(&db.store, &inc.id).unwrap().len(), 1);
}

#[test]
fn verify_finds_a_step_changed_added_or_deleted_outside_firebreak() {
    let tamperings: &[(&str, &str)] = &[
        ("changed", "UPDATE trace_steps SET result = 'all fine' WHERE seq = 1"),
        ("flag cleared", "UPDATE trace_steps SET is_error = 0 WHERE is_error = 1"),
        ("deleted", "DELETE FROM trace_steps WHERE seq = 2"),
        ("renumbered", "UPDATE trace_steps SET id = id + 1000 WHERE seq = 0"),
        (
            "added",
            "INSERT INTO trace_steps (incident, import, seq, run, kind, is_error, line, byte_offset) \
             SELECT incident, import, 99, 0, 'tool_call', 0, 1, 0 FROM trace_steps LIMIT 1",
        ),
        ("run changed", "UPDATE trace_runs SET agent = 'SomeoneElse' WHERE idx = 0"),
    ];
    for (what, sql) in tamperings {
        let db = db();
        let inc = open_incident(&db, "Refund bot");
        let path = source(&db, "refunds.jsonl", OTLP_GENAI.as_bytes());
        investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
        outsider(&db).execute_batch(sql).unwrap();
        let found = problems(&db);
        assert!(
            found.iter().any(|(k, m)| *k == ProblemKind::TraceRowsChanged && m.contains(&inc.id)),
            "{what}: {found:?}"
        );
    }

    // Rows of an import that never was, and an edited digest (the audited value).
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let path = source(&db, "refunds.jsonl", OTLP_GENAI.as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    outsider(&db)
        .execute_batch(
            "INSERT INTO trace_steps (incident, import, seq, run, kind, is_error, line, byte_offset) \
             VALUES ('x', 'made-up', 0, 0, 'tool_call', 0, 1, 0);
             UPDATE trace_imports SET digest = '\"0000\"';",
        )
        .unwrap();
    let found = problems(&db);
    assert!(found.iter().any(|(k, m)| *k == ProblemKind::TraceRowsChanged && m.contains("made-up")), "{found:?}");
    assert!(found.iter().any(|(k, _)| *k == ProblemKind::ValueMismatch), "{found:?}");
}

#[test]
fn steps_are_filtered_and_paged_in_the_database() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let other = open_incident(&db, "Another incident");
    for (key, name) in [(&inc.id, "a.jsonl"), (&other.id, "b.jsonl")] {
        let path = source(&db, name, OTLP_GENAI.as_bytes());
        investigation::import_file(&db.store, &dana(), key, &path, &ImportOptions::default()).unwrap();
    }
    let mine = all(&db, &inc.id, StepFilter::default());
    assert_eq!(mine.len(), 6, "only this incident's steps");

    let tool = all(&db, &inc.id, StepFilter { tool: Some("lookup_order".into()), ..StepFilter::default() });
    assert_eq!(tool.len(), 1);
    assert_eq!(tool[0].step.result.as_deref(), Some(r#"{"status":"shipped"}"#));
    let failed = all(&db, &inc.id, StepFilter { errors_only: true, ..StepFilter::default() });
    assert_eq!(failed.iter().map(|s| s.step.tool.as_deref()).collect::<Vec<_>>(), [Some("issue_refund")]);
    let run =
        all(&db, &inc.id, StepFilter { run: Some("4bf92f3577b34da6a3ce929d0e0e4736".into()), ..Default::default() });
    assert_eq!(run.len(), 2);
    let models = all(&db, &inc.id, StepFilter { kind: Some(StepKind::ModelCall), ..Default::default() });
    assert_eq!(models.len(), 3);

    let page =
        investigation::steps(&db.store, &inc.id, &StepFilter { offset: 4, limit: Some(4), ..Default::default() })
            .unwrap();
    assert_eq!((page.rows.len(), page.total_matching), (2, 6));
    assert_eq!(page.rows[0].id, mine[4].id);

    let first = mine[0].step.at.unwrap();
    let window = StepFilter { from: Some(first), to: Some(first), ..Default::default() };
    assert!(all(&db, &inc.id, window).iter().all(|s| s.step.at == Some(first)));
    let backwards =
        StepFilter { from: Some(first), to: Some(first - chrono::Duration::seconds(1)), ..Default::default() };
    assert_eq!(investigation::steps(&db.store, &inc.id, &backwards).unwrap_err().field(), Some("from"));

    let whole = investigation::step(&db.store, &inc.id, mine[0].id).unwrap();
    assert_eq!(whole.step.arguments, mine[0].step.arguments);
    let elsewhere = all(&db, &other.id, StepFilter::default())[0].id;
    assert_eq!(investigation::step(&db.store, &inc.id, elsewhere).unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn a_long_argument_is_kept_whole_and_cut_only_in_a_page() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let long = "é".repeat(3 * 1024 * 1024);
    let line = serde_json::json!({"messages": [
        {"role": "user", "content": "refund everyone"},
        {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
            "function": {"name": "send_email", "arguments": long}}]},
    ]});
    let path = source(&db, "chat.jsonl", format!("{line}\n").as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    let page = all(&db, &inc.id, StepFilter { tool: Some("send_email".into()), ..Default::default() });
    assert!(page[0].truncated);
    assert_eq!(page[0].step.arguments.as_ref().unwrap().chars().count(), investigation::PREVIEW_CHARS as usize);
    let whole = investigation::step(&db.store, &inc.id, page[0].id).unwrap();
    assert!(!whole.truncated);
    assert_eq!(whole.step.arguments.as_deref(), Some(long.as_str()));
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn a_tool_result_is_found_by_its_calls_tool_and_the_filters_list_tools_and_agents() {
    let db = db();
    let inc = open_incident(&db, "Ops agent deleted backups");
    let messages = include_str!("data/traces/anthropic_messages.jsonl");
    let path = source(&db, "ops.jsonl", messages.as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();

    // Anthropic's tool_result names only its tool_use: both calls and both results are `bash` steps.
    let bash = all(&db, &inc.id, StepFilter { tool: Some("bash".into()), ..Default::default() });
    let kinds: Vec<StepKind> = bash.iter().map(|s| s.step.kind).collect();
    assert_eq!(kinds, [StepKind::ToolCall, StepKind::ToolResult, StepKind::ToolCall, StepKind::ToolResult]);
    assert!(bash[3].step.is_error, "the denied rm is the failed result");

    let facets = investigation::facets(&db.store, &inc.id).unwrap();
    assert_eq!(facets.tools.len(), 1);
    assert_eq!((facets.tools[0].value.as_str(), facets.tools[0].steps, facets.tools[0].failed), ("bash", 4, 1));
    assert!(problems(&db).is_empty(), "the named results are what the digest covers");
}

#[test]
fn a_step_is_shown_in_the_original_from_the_preserved_copy() {
    let db = db();
    let inc = open_incident(&db, "Key rotation");
    let path = source(&db, "session.jsonl", CLAUDE_CODE.as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    // The user's file may change or vanish afterwards: the original is read from the evidence copy.
    std::fs::remove_file(&path).unwrap();
    for s in all(&db, &inc.id, StepFilter::default()) {
        let original = investigation::original(&db.store, &inc.id, s.id).unwrap();
        let line = CLAUDE_CODE.lines().nth(s.step.origin.line as usize - 1).unwrap();
        assert_eq!(original.text, line, "step {} is its line, exactly", s.id);
        assert_eq!((original.file_name.as_str(), original.cut), ("session.jsonl", false));
    }

    // A line longer than the limit is cut, and says so.
    let long = format!("{{\"role\":\"user\",\"content\":\"{}\"}}\n", "x".repeat(investigation::ORIGINAL_BYTES * 2));
    let path = source(&db, "long.jsonl", long.as_bytes());
    let inc2 = open_incident(&db, "Long line");
    let opts = ImportOptions { format: Some(Format::OpenAiChat), ..Default::default() };
    investigation::import_file(&db.store, &dana(), &inc2.id, &path, &opts).unwrap();
    let step = &all(&db, &inc2.id, StepFilter::default())[0];
    let original = investigation::original(&db.store, &inc2.id, step.id).unwrap();
    assert!(original.cut);
    assert_eq!(original.text.len(), investigation::ORIGINAL_BYTES);

    // Another incident's step is not shown.
    let err = investigation::original(&db.store, &inc.id, step.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
}

#[test]
fn call_ids_belong_to_their_run_when_counting_failures_and_naming_results() {
    let db = db();
    let inc = open_incident(&db, "Two conversations");
    let conversation = include_str!("data/traces/anthropic_messages.jsonl").trim_end();
    // The second conversation has a result for `toolu_01B` but no such call of its own.
    let orphan = r#"{"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01B","content":"late","is_error":true}]}]}"#;
    let file = format!("{conversation}\n{conversation}\n{orphan}\n");
    let path = source(&db, "three.jsonl", file.as_bytes());
    let import = investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    assert_eq!((import.runs, import.tool_calls, import.failed_tool_calls), (3, 4, 3), "{import:?}");
    let failed = all(&db, &inc.id, StepFilter { errors_only: true, ..Default::default() });
    let tools: Vec<Option<&str>> = failed.iter().map(|s| s.step.tool.as_deref()).collect();
    assert_eq!(tools, [Some("bash"), Some("bash"), None], "the orphan result takes no other run's tool");
}

#[test]
fn a_window_beyond_what_a_step_time_can_hold_is_refused_not_silently_empty() {
    let db = db();
    let inc = open_incident(&db, "Window");
    let path = source(&db, "session.jsonl", CLAUDE_CODE.as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    let far = chrono::DateTime::parse_from_rfc3339("9000-01-01T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let err =
        investigation::steps(&db.store, &inc.id, &StepFilter { to: Some(far), ..Default::default() }).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("2262-04-11"), "{err}");
}
