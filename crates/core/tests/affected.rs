//! Side-effect audit and recovery: the affected-object table, its imports, paging, the audit questions and the
//! recovery log.

mod common;

use common::*;
use firebreak_core::incident::Incident;
use firebreak_core::phases::affected::{
    self, recovery, AgentAction, AuditQuestion, NewAffectedObject, ObjectChanges, ObjectQuery, ObjectSort,
    ObjectStatus, RecoveryAction, SortDirection,
};
use firebreak_core::{verify, ErrorCode};

fn intact(db: &Db) {
    let report = verify::verify(&db.store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

fn count(db: &Db, inc: &Incident) -> u64 {
    affected::counts(&db.store, &inc.id).unwrap().total
}

fn all(db: &Db, inc: &Incident) -> Vec<affected::AffectedObject> {
    affected::list(&db.store, &inc.id, &ObjectQuery::default()).unwrap().rows
}

const GOOD: &str = "\
System,Object Type,object_id,ACTION,occurred_at,evidence,recovery_action,recovery_owner,status
Salesforce,contact,003A1,changed,2026-03-01T10:00:00Z,run-7 line 12,roll_back,Priya,in_progress
Gmail,email,msg-9,sent,2026-03-01T10:05:00+01:00,,,,
\"NetSuite, EU\",invoice,INV-1042,Created,,\"note, with comma\",Mark invalid,,
";

#[test]
fn a_good_csv_is_imported_with_every_column() {
    let db = db();
    let inc = open_incident(&db, "Invoice agent");
    let report = affected::import_csv(&db.store, &dana(), &inc.id, GOOD.as_bytes()).unwrap();
    assert_eq!(report.added, 3);
    let rows = all(&db, &inc);
    let sf = rows.iter().find(|r| r.object_id == "003A1").unwrap();
    assert_eq!(
        (sf.system.as_str(), sf.object_type.as_str(), sf.action),
        ("Salesforce", "contact", AgentAction::Changed)
    );
    assert_eq!(sf.recovery_action, Some(RecoveryAction::RollBack));
    assert_eq!((sf.recovery_owner.as_str(), sf.status), ("Priya", ObjectStatus::InProgress));
    assert_eq!(sf.evidence, "run-7 line 12");
    let mail = rows.iter().find(|r| r.object_id == "msg-9").unwrap();
    assert_eq!(mail.occurred_at.unwrap().to_rfc3339(), "2026-03-01T09:05:00+00:00");
    assert_eq!((mail.status, mail.recovery_action), (ObjectStatus::Open, None));
    let inv = rows.iter().find(|r| r.object_id == "INV-1042").unwrap();
    assert_eq!((inv.system.as_str(), inv.evidence.as_str()), ("NetSuite, EU", "note, with comma"));
    assert_eq!((inv.action, inv.recovery_action), (AgentAction::Created, Some(RecoveryAction::MarkInvalid)));
    intact(&db);
}

#[test]
fn a_bad_row_rejects_the_whole_import_with_its_line_number() {
    let header = "system,object_type,object_id,action,occurred_at,recovery_action,status\n";
    let good = "Jira,ticket,T-1,read,,,\n";
    let cases: &[(&str, String, &str)] = &[
        (
            "unknown action",
            format!("{header}{good}{good}Jira,ticket,T-2,edited,,,\n"),
            "line 4: action \"edited\" is not one of: read, created",
        ),
        ("missing system", format!("{header}{good},ticket,T-2,read,,,\n"), "line 3: system is empty"),
        ("missing action", format!("{header}{good}Jira,ticket,T-2,,,,\n"), "line 3: action is empty"),
        (
            "bad time",
            format!("{header}Jira,ticket,T-2,read,yesterday,,\n{good}"),
            "line 2: occurred_at \"yesterday\" is not an RFC 3339 time",
        ),
        (
            "future time",
            format!("{header}Jira,ticket,T-2,read,2999-01-01T00:00:00Z,,\n"),
            "line 2: occurred_at 2999-01-01",
        ),
        (
            "bad recovery action",
            format!("{header}{good}Jira,ticket,T-2,read,,undo,\n"),
            "line 3: recovery_action \"undo\" is not one of",
        ),
        (
            "bad status",
            format!("{header}{good}Jira,ticket,T-2,read,,,done\n"),
            "line 3: status \"done\" is not one of: open",
        ),
        (
            "recovered without action",
            format!("{header}Jira,ticket,T-2,read,,,recovered\n"),
            "line 2: status recovered needs a recovery action",
        ),
        (
            "too few fields",
            format!("{header}{good}Jira,ticket,T-2,read\n"),
            "line 3: 4 values, but the header has 7 columns",
        ),
        (
            "too many fields",
            format!("{header}Jira,ticket,T-2,read,,,,extra\n"),
            "line 2: 8 values, but the header has 7 columns",
        ),
        (
            "unknown column",
            "system,object_type,object_id,action,colour\nJira,ticket,T-1,read,red\n".into(),
            "Unknown column \"colour\"",
        ),
        ("missing column", "system,object_id,action\nJira,T-1,read\n".into(), "lacks the required column object_type"),
        (
            "duplicate column",
            "system,object_type,object_id,action,System\nJira,ticket,T-1,read,Jira\n".into(),
            "column system twice",
        ),
        ("empty file", String::new(), "The file is empty"),
        ("header only", header.into(), "no rows"),
    ];
    for (name, csv, expected) in cases {
        let db = db();
        let inc = open_incident(&db, "Invoice agent");
        let err = affected::import_csv(&db.store, &dana(), &inc.id, csv.as_bytes()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{name}: {err}");
        assert!(err.to_string().contains(expected), "{name}: {err}");
        assert_eq!(count(&db, &inc), 0, "{name}: nothing is added");
        intact(&db);
    }
}

#[test]
fn several_bad_rows_are_listed_together() {
    let db = db();
    let inc = open_incident(&db, "Invoice agent");
    let mut csv = String::from("system,object_type,object_id,action\n");
    for i in 0..6 {
        csv.push_str(&format!("Jira,ticket,T-{i},{}\n", if i % 2 == 0 { "read" } else { "poked" }));
    }
    let err = affected::import_csv(&db.store, &dana(), &inc.id, csv.as_bytes()).unwrap_err().to_string();
    assert!(err.starts_with("line 3: action \"poked\""), "{err}");
    assert!(err.contains("line 5:") && err.contains("line 7:") && err.contains("Nothing was imported"), "{err}");
    assert_eq!(count(&db, &inc), 0);
}

#[test]
fn tab_separated_text_pasted_from_a_spreadsheet_imports_the_same_way() {
    let db = db();
    let inc = open_incident(&db, "Invoice agent");
    let pasted = "system\tobject_type\tobject_id\taction\tstatus\n\
                  Workday\temployee record\tE-17\tchanged\t\n\
                  Workday\temployee record\tE-18\tapproved\tnot needed\n\
                  \t\t\t\t\n";
    let report = affected::import_tsv(&db.store, &dana(), &inc.id, pasted.as_bytes()).unwrap();
    assert_eq!(report.added, 2, "trailing empty rows of a spreadsheet are skipped");
    let rows = all(&db, &inc);
    assert_eq!(rows[1].status, ObjectStatus::NotNeeded);
    assert_eq!(rows[0].object_type, "employee record");

    let bad = "system\tobject_type\tobject_id\taction\nWorkday\temployee record\tE-19\n";
    let err = affected::import_tsv(&db.store, &dana(), &inc.id, bad.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("line 2: 3 values"), "{err}");
    assert_eq!(count(&db, &inc), 2);
    intact(&db);
}

fn seed(db: &Db, inc: &Incident) {
    let mut csv = String::from("system,object_type,object_id,action,occurred_at,status,recovery_action\n");
    let systems = ["Salesforce", "Gmail", "Jira"];
    let actions = ["read", "changed", "sent"];
    for i in 0..30 {
        csv.push_str(&format!(
            "{},{},OBJ-{i:03},{},2026-03-01T10:{:02}:00Z,{},{}\n",
            systems[i % 3],
            if i % 5 == 0 { "invoice" } else { "record" },
            actions[(i / 3) % 3],
            59 - i,
            if i % 4 == 0 { "recovered" } else { "open" },
            if i % 4 == 0 { "correct" } else { "" },
        ));
    }
    affected::import_csv(&db.store, &dana(), &inc.id, csv.as_bytes()).unwrap();
}

#[test]
fn the_table_filters_sorts_pages_and_counts() {
    let db = db();
    let inc = open_incident(&db, "Invoice agent");
    seed(&db, &inc);
    let other = open_incident(&db, "Other");
    affected::add(&db.store, &dana(), &other.id, NewAffectedObject::new("Gmail", "email", "X", AgentAction::Sent))
        .unwrap();

    let query = ObjectQuery { system: Some("Gmail".into()), limit: Some(4), ..Default::default() };
    let page = affected::list(&db.store, &inc.id, &query).unwrap();
    assert_eq!(page.total_matching, 10, "only this incident's Gmail objects");
    let ids: Vec<&str> = page.rows.iter().map(|r| r.object_id.as_str()).collect();
    assert_eq!(ids, ["OBJ-028", "OBJ-025", "OBJ-022", "OBJ-019"], "oldest first");
    let next = affected::list(&db.store, &inc.id, &ObjectQuery { offset: 8, ..query.clone() }).unwrap();
    assert_eq!(next.rows.iter().map(|r| r.object_id.as_str()).collect::<Vec<_>>(), ["OBJ-004", "OBJ-001"]);

    let query = ObjectQuery {
        action: Some(AgentAction::Sent),
        status: Some(ObjectStatus::Open),
        sort: ObjectSort::ObjectId,
        direction: SortDirection::Desc,
        ..Default::default()
    };
    let page = affected::list(&db.store, &inc.id, &query).unwrap();
    assert!(page.rows.iter().all(|r| r.action == AgentAction::Sent && r.status == ObjectStatus::Open));
    assert_eq!(page.rows.len() as u64, page.total_matching);
    assert!(page.rows.windows(2).all(|w| w[0].object_id > w[1].object_id));

    let recovered = ObjectQuery { recovery_action: Some(RecoveryAction::Correct), ..Default::default() };
    assert_eq!(affected::list(&db.store, &inc.id, &recovered).unwrap().total_matching, 8);
    let undecided = ObjectQuery { undecided: true, ..Default::default() };
    assert_eq!(affected::list(&db.store, &inc.id, &undecided).unwrap().total_matching, 22);

    for (text, expected) in [("obj-01", 10), ("INVOICE", 6), ("mail", 10), ("%", 0), ("_", 0)] {
        let query = ObjectQuery { text: text.into(), ..Default::default() };
        assert_eq!(affected::list(&db.store, &inc.id, &query).unwrap().total_matching, expected, "search {text:?}");
    }

    let counts = affected::counts(&db.store, &inc.id).unwrap();
    assert_eq!(counts.total, 30);
    assert_eq!(counts.by_system.len(), 3);
    assert!(counts.by_system.iter().all(|(_, n)| *n == 10));
    assert_eq!(counts.by_status, [("open".to_string(), 22), ("recovered".to_string(), 8)]);
    assert_eq!(counts.by_action.iter().map(|(_, n)| n).sum::<u64>(), 30);
    assert_eq!(counts.undecided, 22);
}

#[test]
fn objects_are_added_and_changed_by_hand_with_clear_refusals() {
    let db = db();
    let inc = open_incident(&db, "Invoice agent");
    let err = affected::add(&db.store, &dana(), &inc.id, NewAffectedObject::new("Jira", " ", "T-1", AgentAction::Read))
        .unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("object_type")));
    assert_eq!(err.to_string(), "Object type is empty; give what kind of object it is (e.g. invoice).");
    assert_eq!(count(&db, &inc), 0);

    let object = affected::add(
        &db.store,
        &dana(),
        &inc.id,
        NewAffectedObject::new("Jira", "ticket", "T-1", AgentAction::Changed),
    )
    .unwrap();
    assert_eq!(object.status, ObjectStatus::Open);

    let err = affected::update(
        &db.store,
        &dana(),
        &inc.id,
        "T-1",
        &ObjectChanges { status: Some(ObjectStatus::Recovered), ..Default::default() },
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("recovery_action"));
    assert_eq!(all(&db, &inc)[0], object, "nothing changed on refusal");

    let changed = affected::update(
        &db.store,
        &dana(),
        &inc.id,
        "T-1",
        &ObjectChanges {
            recovery_action: Some(RecoveryAction::RollBack),
            recovery_owner: Some("Priya".into()),
            status: Some(ObjectStatus::Recovered),
            verified: Some(true),
        },
    )
    .unwrap();
    assert_eq!(changed.verified_by.as_deref(), Some("Dana Reyes"));
    assert!(changed.verified_at.is_some());
    assert_eq!(all(&db, &inc)[0], changed);
    let unverified = affected::update(
        &db.store,
        &dana(),
        &inc.id,
        &object.id,
        &ObjectChanges { verified: Some(false), ..Default::default() },
    )
    .unwrap();
    assert_eq!((unverified.verified_by, unverified.verified_at), (None, None));

    // An object ID shared by two objects must be named by row ID.
    affected::add(&db.store, &dana(), &inc.id, NewAffectedObject::new("Gmail", "email", "T-1", AgentAction::Sent))
        .unwrap();
    let err = affected::update(&db.store, &dana(), &inc.id, "T-1", &ObjectChanges::default()).unwrap_err();
    assert!(err.to_string().contains("2 affected objects have the ID T-1"), "{err}");
    let err = affected::update(&db.store, &dana(), &inc.id, "nope", &ObjectChanges::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    intact(&db);
}

#[test]
fn recovery_is_logged_per_object_and_undecided_objects_are_counted() {
    let db = db();
    let inc = open_incident(&db, "Invoice agent");
    let conn = || db.store.connect().unwrap();
    assert!(recovery::progress(&conn(), &inc).unwrap().complete, "nothing to recover yet");
    for id in ["A", "B", "C"] {
        affected::add(&db.store, &dana(), &inc.id, NewAffectedObject::new("ERP", "invoice", id, AgentAction::Changed))
            .unwrap();
    }
    assert_eq!(affected::undecided_objects(&conn(), &inc).unwrap(), 3);
    let progress = recovery::progress(&conn(), &inc).unwrap();
    assert_eq!(progress.missing, ["3 objects have no recovery action decided"]);

    let set = |id: &str, changes: ObjectChanges| affected::update(&db.store, &dana(), &inc.id, id, &changes).unwrap();
    set("A", ObjectChanges { recovery_action: Some(RecoveryAction::Correct), ..Default::default() });
    set("B", ObjectChanges { recovery_action: Some(RecoveryAction::NoAction), ..Default::default() });
    assert_eq!(affected::undecided_objects(&conn(), &inc).unwrap(), 1);
    let progress = recovery::progress(&conn(), &inc).unwrap();
    assert_eq!(progress.missing, ["1 object has no recovery action decided", "1 object is not recovered yet"]);

    let err = affected::log_recovery(&db.store, &dana(), &inc.id, "A", "  ").unwrap_err();
    assert_eq!(err.field(), Some("note"));
    let entry = affected::log_recovery(&db.store, &dana(), &inc.id, "A", "Corrected the amount in the ERP").unwrap();
    affected::log_recovery(&db.store, &dana(), &inc.id, "A", "Customer confirmed").unwrap();
    let log = affected::recovery_log(&db.store, &inc.id, "A").unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].clone(), log[1].note.as_str()), (entry, "Customer confirmed"));
    assert!(affected::recovery_log(&db.store, &inc.id, "B").unwrap().is_empty());

    set("A", ObjectChanges { status: Some(ObjectStatus::Recovered), ..Default::default() });
    set(
        "C",
        ObjectChanges {
            recovery_action: Some(RecoveryAction::Notify),
            status: Some(ObjectStatus::NotNeeded),
            ..Default::default()
        },
    );
    let progress = recovery::progress(&conn(), &inc).unwrap();
    assert!(progress.complete, "{:?}", progress.missing);
    assert_eq!(affected::undecided_objects(&conn(), &inc).unwrap(), 0);
    intact(&db);
}

#[test]
fn audit_questions_are_a_checklist_and_drive_the_phase_progress() {
    let db = db();
    let inc = open_incident(&db, "Invoice agent");
    let answers = affected::answers(&db.store, &inc.id).unwrap();
    assert_eq!(answers.len(), 11);
    assert!(answers.iter().all(|a| a.answer.is_empty()));
    let progress = affected::progress(&db.store.connect().unwrap(), &inc).unwrap();
    assert_eq!(progress.missing.len(), 12, "no objects, and eleven questions");

    for q in AuditQuestion::ALL {
        affected::answer(&db.store, &dana(), &inc.id, *q, "Checked in the run record").unwrap();
    }
    let progress = affected::progress(&db.store.connect().unwrap(), &inc).unwrap();
    assert!(!progress.complete);
    assert!(progress.missing[0].starts_with("No affected objects recorded"), "{:?}", progress.missing);

    // Saying that nothing was written or sent completes an audit that found no objects.
    affected::answer(&db.store, &dana(), &inc.id, AuditQuestion::Writes, "Nothing: the write tool failed").unwrap();
    affected::answer(&db.store, &dana(), &inc.id, AuditQuestion::Sends, "none").unwrap();
    assert!(affected::progress(&db.store.connect().unwrap(), &inc).unwrap().complete);

    // Clearing an answer makes it missing again; the same row is updated, not duplicated.
    affected::answer(&db.store, &dana(), &inc.id, AuditQuestion::Retries, "").unwrap();
    let progress = affected::progress(&db.store.connect().unwrap(), &inc).unwrap();
    assert_eq!(progress.missing, ["Audit question not answered: Which retries happened?"]);
    affected::add(&db.store, &dana(), &inc.id, NewAffectedObject::new("ERP", "invoice", "A", AgentAction::Read))
        .unwrap();
    affected::answer(&db.store, &dana(), &inc.id, AuditQuestion::Retries, "Three retries at 10:02").unwrap();
    let answers = affected::answers(&db.store, &inc.id).unwrap();
    assert_eq!(answers.iter().find(|a| a.question == AuditQuestion::Retries).unwrap().answer, "Three retries at 10:02");
    assert!(affected::progress(&db.store.connect().unwrap(), &inc).unwrap().complete);
    intact(&db);
}

#[test]
fn imports_are_read_within_limits_and_a_huge_field_is_refused_whole() {
    let db = db();
    let inc = open_incident(&db, "Hostile imports");
    // An endless stream without a line break (what /dev/zero gives) stops at the line limit, without using memory.
    let err = affected::import_csv(&db.store, &dana(), &inc.id, std::io::Read::take(std::io::repeat(0), 1 << 40))
        .unwrap_err();
    assert!(err.to_string().contains("line longer than 1 MiB"), "{err}");
    // A 10 MB value on one line.
    let huge = format!("system,object_type,object_id,action\nCRM,contact,{},changed\n", "x".repeat(10_000_000));
    let err = affected::import_csv(&db.store, &dana(), &inc.id, huge.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("line longer than"), "{err}");
    // A long value within the line limit, but longer than a field may be.
    let long = format!("system,object_type,object_id,action\nCRM,contact,{},changed\n", "x".repeat(5_000));
    let err = affected::import_csv(&db.store, &dana(), &inc.id, long.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("object_id is 5000 characters long; at most 1000 fit"), "{err}");
    assert!(err.to_string().contains("line 2"), "{err}");
    assert_eq!(count(&db, &inc), 0, "nothing imported");
    intact(&db);
}

#[test]
fn a_quote_left_open_at_the_end_is_refused_and_a_quote_inside_a_value_is_kept() {
    let db = db();
    let inc = open_incident(&db, "Quotes");
    let open = "system,object_type,object_id,action\nCRM,contact,C-1,changed\nCRM,\"contact,C-2,changed\nCRM,contact,C-3,changed\n";
    let err = affected::import_csv(&db.store, &dana(), &inc.id, open.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("line 3: a quoted value starts there and is never closed"), "{err}");
    assert_eq!(count(&db, &inc), 0);
    let fine =
        "system,object_type,object_id,action\nCRM,\"screen, 24\"\" wide\",C-1,changed\nCRM,24\" monitor,C-2,changed\n";
    assert_eq!(affected::import_csv(&db.store, &dana(), &inc.id, fine.as_bytes()).unwrap().added, 2);
    let types: Vec<String> = all(&db, &inc).into_iter().map(|o| o.object_type).collect();
    assert_eq!(types, ["screen, 24\" wide", "24\" monitor"]);
}
