//! The containment checklist: nine areas, each not needed / to do / done with who, when and a note.

mod common;

use common::*;
use firebreak_core::phases::containment::{self, ContainmentArea as Area, ContainmentStatus as Status};
use firebreak_core::{verify, Actor, ErrorCode};

fn rows(db: &Db) -> i64 {
    db.store.connect().unwrap().query_row("SELECT count(*) FROM containment_items", [], |r| r.get(0)).unwrap()
}

#[test]
fn every_area_is_listed_as_to_do_without_writing_anything() {
    let db = db();
    let inc = open_incident(&db, "Leak");
    let lines = containment::list(&db.store, &inc.id).unwrap();
    assert_eq!(lines.iter().map(|l| l.area).collect::<Vec<_>>(), Area::ALL.to_vec());
    assert!(lines.iter().all(|l| l.status == Status::ToDo && l.item_id.is_none() && l.done_by.is_none()));
    assert_eq!(lines[0].label, "Tokens and secrets");
    assert_eq!(rows(&db), 0);
}

#[test]
fn done_records_who_and_when_and_leaving_done_clears_them() {
    let db = db();
    let inc = open_incident(&db, "Leak");
    let item =
        containment::set(&db.store, &dana(), &inc.id, Area::TokensSecrets, Status::Done, Some(" Rotated CRM key "))
            .unwrap();
    assert_eq!(
        (item.status, item.done_by.as_deref(), item.note.as_str()),
        (Status::Done, Some("Dana Reyes"), "Rotated CRM key")
    );
    assert!(item.done_at.is_some());
    let lee = Actor::new("Lee Chen", None);
    let again = containment::set(&db.store, &lee, &inc.id, Area::TokensSecrets, Status::Done, None).unwrap();
    assert_eq!(again, item, "marking done again keeps who did it and the note");

    let reopened = containment::set(&db.store, &lee, &inc.id, Area::TokensSecrets, Status::ToDo, Some("")).unwrap();
    assert_eq!((reopened.done_by, reopened.done_at, reopened.note.as_str()), (None, None, ""));
    assert_eq!(reopened.id, item.id, "one row per area");
    let done_by_lee = containment::set(&db.store, &lee, &inc.id, Area::TokensSecrets, Status::Done, None).unwrap();
    assert_eq!(done_by_lee.done_by.as_deref(), Some("Lee Chen"));
    let not_needed = containment::set(&db.store, &lee, &inc.id, Area::TokensSecrets, Status::NotNeeded, None).unwrap();
    assert_eq!((not_needed.done_by, not_needed.done_at), (None, None));

    let lines = containment::list(&db.store, &inc.id).unwrap();
    assert_eq!(lines[0].status, Status::NotNeeded);
    assert_eq!(lines[0].item_id.as_deref(), Some(item.id.as_str()));
    assert_eq!(rows(&db), 1);
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn areas_are_per_incident_and_an_unknown_incident_is_refused() {
    let db = db();
    let a = open_incident(&db, "A");
    let b = open_incident(&db, "B");
    containment::set(&db.store, &dana(), &a.id, Area::Webhooks, Status::Done, None).unwrap();
    assert!(containment::list(&db.store, &b.id).unwrap().iter().all(|l| l.status == Status::ToDo));
    let err =
        containment::set(&db.store, &dana(), "AI-INC-1999-0101-001", Area::Webhooks, Status::Done, None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert_eq!(rows(&db), 1);
}

#[test]
fn progress_lists_the_areas_still_to_do() {
    let db = db();
    let inc = open_incident(&db, "Leak");
    let conn = db.store.connect().unwrap();
    let p = containment::progress(&conn, &inc).unwrap();
    assert!(!p.complete);
    assert_eq!(p.missing.len(), 9);
    assert_eq!(p.missing[0], "Tokens and secrets: mark done or not needed");
    for (i, area) in Area::ALL.iter().enumerate() {
        let status = if i % 2 == 0 { Status::Done } else { Status::NotNeeded };
        containment::set(&db.store, &dana(), &inc.id, *area, status, None).unwrap();
    }
    containment::set(&db.store, &dana(), &inc.id, Area::Queues, Status::ToDo, None).unwrap();
    let p = containment::progress(&conn, &inc).unwrap();
    assert_eq!(p.missing, vec!["Queues: mark done or not needed"]);
    assert_eq!(p.next.as_deref(), Some("Queues: contain them, or mark them not needed"));
    containment::set(&db.store, &dana(), &inc.id, Area::Queues, Status::NotNeeded, Some("No queue involved")).unwrap();
    let p = containment::progress(&conn, &inc).unwrap();
    assert!(p.complete && p.missing.is_empty() && p.next.is_none());
}
