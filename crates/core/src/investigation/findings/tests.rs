//! The findings on constructed steps: each kind found where it should be, and not where it should not.

use super::detect::{Detector, Fact};
use super::{Finding, FindingKind, FindingRules};
use crate::trace::StepKind;

const MINUTE: i64 = 60_000_000_000;

fn call(id: i64, run: i64, tool: &str, arguments: &str, at: i64) -> Fact {
    Fact {
        id,
        run: (0, run),
        kind: Some(StepKind::ToolCall),
        tool: Some(tool.into()),
        arguments: Some(arguments.into()),
        at: Some(at),
        ..Fact::default()
    }
}

fn run(rules: &FindingRules, facts: Vec<Fact>) -> Vec<Finding> {
    let mut detector = Detector::new(rules);
    facts.into_iter().for_each(|f| detector.feed(f));
    detector.finish(&|r| format!("run-{}", r.1), &|_| "imp".into()).0
}

fn of(findings: &[Finding], kind: FindingKind) -> Vec<&Finding> {
    findings.iter().filter(|f| f.kind == kind).collect()
}

#[test]
fn failed_calls_are_counted_once_per_call_per_tool_with_their_http_statuses() {
    let mut facts = Vec::new();
    for i in 0..3 {
        let mut c = call(i * 2, 0, "crm.update", "{}", i * MINUTE);
        c.call_id = Some(format!("c{i}"));
        c.is_error = true;
        c.error = Some("\u{1b}[31mtimeout\nafter 30 s".into());
        let mut r = c.clone();
        r.id = i * 2 + 1;
        r.kind = Some(StepKind::ToolResult);
        facts.push(c);
        facts.push(r);
    }
    facts.push(Fact {
        id: 10,
        kind: Some(StepKind::ToolResult),
        tool: Some("http.get".into()),
        result: Some(r#"{"status": 503}"#.into()),
        ..Fact::default()
    });
    facts.push(Fact {
        id: 11,
        kind: Some(StepKind::ToolResult),
        tool: Some("http.get".into()),
        result: Some(r#"{"status": 200}"#.into()),
        ..Fact::default()
    });
    let found = run(&FindingRules::default(), facts);
    let failed = of(&found, FindingKind::FailedToolCalls);
    assert_eq!(failed.len(), 2);
    assert_eq!((failed[0].key.as_str(), failed[0].step_count), ("failed_tool_calls:crm.update", 3));
    assert_eq!(failed[0].steps, [0, 2, 4]);
    // The trace's error is shown on one line, its control characters visible, not acted on.
    assert!(
        failed[0].detail.contains("timeout")
            && !failed[0].detail.contains('\u{1b}')
            && !failed[0].detail.contains('\n')
    );
    assert_eq!(failed[1].step_count, 1);
    assert!(failed[1].detail.contains("HTTP 503 × 1"), "{}", failed[1].detail);
}

#[test]
fn a_retry_loop_is_enough_same_calls_within_the_window_and_not_fewer_or_slower() {
    let rules = FindingRules::default();
    let mut facts = Vec::new();
    // Five sends with the same arguments but a fresh request ID and other key order, two minutes apart.
    for i in 0..5 {
        let args = if i % 2 == 0 {
            format!(r#"{{"to":"a@corp.example","body":"hi","request_id":"r{i}"}}"#)
        } else {
            format!(r#"{{ "body": "hi", "to": "a@corp.example", "request_id": "r{i}" }}"#)
        };
        facts.push(call(i, 0, "send_email", &args, i * 2 * MINUTE));
    }
    // Five of another tool, but an hour apart; and four quick ones of a third.
    for i in 0..5 {
        facts.push(call(100 + i, 0, "lookup", r#"{"q":"x"}"#, i * 60 * MINUTE));
    }
    for i in 0..4 {
        facts.push(call(200 + i, 0, "search", r#"{"q":"y"}"#, i * MINUTE));
    }
    // The same five sends in another run are another loop; different bodies are no loop.
    for i in 0..5 {
        facts.push(call(300 + i, 1, "send_email", &format!(r#"{{"body":"hi {i}"}}"#), i * MINUTE));
    }
    let found = run(&rules, facts);
    let loops = of(&found, FindingKind::RetryLoop);
    assert_eq!(loops.len(), 1, "{loops:#?}");
    assert_eq!(loops[0].steps, [0, 1, 2, 3, 4]);
    assert!(loops[0].title.contains("5 times") && loops[0].title.contains("within 8 min"), "{}", loops[0].title);
    assert!(loops[0].detail.contains("run-0"));

    let strict = FindingRules { retry_calls: 4, ..FindingRules::default() };
    let found = run(&strict, (0..4).map(|i| call(i, 0, "search", "{}", i * MINUTE)).collect());
    assert_eq!(of(&found, FindingKind::RetryLoop).len(), 1, "the rules' count is used");
}

#[test]
fn spikes_are_steps_far_above_their_runs_median_and_need_a_baseline() {
    let model = |id: i64, run: i64, tokens: u64| Fact {
        id,
        run: (0, run),
        kind: Some(StepKind::ModelCall),
        tokens: Some(tokens),
        cost: Some(tokens as f64 / 1000.0),
        ..Fact::default()
    };
    let mut facts: Vec<Fact> = (0..6).map(|i| model(i, 0, 1000 + i as u64)).collect();
    facts.push(model(6, 0, 60_000));
    // A run of four steps has no baseline to judge by.
    facts.extend((0..3).map(|i| model(10 + i, 1, 100)));
    facts.push(model(13, 1, 90_000));
    let found = run(&FindingRules::default(), facts);
    let tokens = of(&found, FindingKind::TokenSpike);
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].steps, [6]);
    assert!(tokens[0].detail.contains("1,003") && tokens[0].detail.contains("60,000"), "{}", tokens[0].detail);
    assert_eq!(of(&found, FindingKind::CostSpike).len(), 1);
}

#[test]
fn destinations_outside_the_allowlist_are_found_per_host_and_allowed_ones_are_not() {
    let facts = vec![
        call(1, 0, "send_email", r#"{"to":"ceo@corp.example"}"#, 0),
        call(2, 0, "send_email", r#"{"to":"drop@evil.example"}"#, MINUTE),
        call(3, 0, "http.post", r#"{"url":"https://upload.evil.example/x"}"#, 2 * MINUTE),
        call(4, 0, "http.post", r#"{"url":"https://api.corp.example/v1"}"#, 3 * MINUTE),
    ];
    let open = run(&FindingRules::default(), facts.clone());
    assert_eq!(of(&open, FindingKind::OffAllowlist).len(), 4, "without an allowlist every destination is listed");
    assert!(of(&open, FindingKind::OffAllowlist)[0].detail.contains("No allowlist"));
    let rules = FindingRules { allowed_destinations: vec!["corp.example".into()], ..FindingRules::default() };
    let found = run(&rules, facts);
    let off: Vec<&str> = of(&found, FindingKind::OffAllowlist).iter().map(|f| f.key.as_str()).collect();
    assert_eq!(off, ["off_allowlist:evil.example", "off_allowlist:upload.evil.example"]);
    assert!(found[0].suggests.contains(&crate::vocabulary::IncidentType::ExternalSend));
}

#[test]
fn a_gated_call_needs_an_approval_in_its_run_before_it_and_each_approval_covers_one_call() {
    let approval = |id: i64, run: i64| Fact {
        id,
        run: (0, run),
        kind: Some(StepKind::ToolCall),
        tool: Some("request_approval".into()),
        ..Fact::default()
    };
    let facts = vec![
        approval(1, 0),
        call(2, 0, "refund_payment", "{}", 0),
        call(3, 0, "refund_payment", "{}", 0),
        // An approval in another run does not count.
        approval(4, 1),
        call(5, 0, "issueRefund", "{}", 0),
        call(6, 0, "lookup_order", "{}", 0),
        call(7, 0, "grant_role", "{}", 0),
    ];
    let found = run(&FindingRules::default(), facts);
    let missing = of(&found, FindingKind::MissingApproval);
    let keys: Vec<(&str, &[i64])> = missing.iter().map(|f| (f.key.as_str(), f.steps.as_slice())).collect();
    assert_eq!(keys, [("missing_approval:issueRefund", &[5][..]), ("missing_approval:refund_payment", &[3][..])]);
    let admin = of(&found, FindingKind::AdminTool);
    assert_eq!(admin.len(), 1);
    assert_eq!(admin[0].key, "admin_tool:grant_role");
}

#[test]
fn findings_come_most_telling_kind_first() {
    let mut facts = vec![call(1, 0, "shell", "{}", 0)];
    let mut failed = call(2, 0, "lookup", "{}", 0);
    failed.is_error = true;
    facts.push(failed);
    facts.push(call(3, 0, "send", r#"{"to":"x@evil.example"}"#, 0));
    let kinds: Vec<FindingKind> = run(&FindingRules::default(), facts).iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FindingKind::OffAllowlist, FindingKind::AdminTool, FindingKind::FailedToolCalls]);
}
