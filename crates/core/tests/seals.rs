//! Sealed heads: a rewrite of the history that recomputes every hash passes the chain check, but not a seal made
//! before it — kept in the database, in a seal file or printed on a document as an anchor. Seals from another key
//! and forged signatures are refused.

mod common;

use common::*;
use firebreak_core::audit::AuditEntry;
use firebreak_core::incident::FieldChange;
use firebreak_core::phases::guidance;
use firebreak_core::report::{self, DocumentKind, ReportRequest};
use firebreak_core::seal::{self, Seal};
use firebreak_core::verify::{verify, verify_against, Outside, ProblemKind};
use serde_json::json;

/// What someone who can write the file, but has no seal key, can do: change an old entry and the column it set,
/// then recompute every hash after it and the recorded head, so the chain checks out again.
fn rewrite_history(db: &Db, field: &str, forged: &str) {
    let conn = outsider(db);
    let quoted = serde_json::to_string(forged).unwrap();
    let seq: i64 = conn
        .query_row("SELECT min(seq) FROM audit_log WHERE entity = 'incident' AND field = ?1", [field], |r| r.get(0))
        .unwrap();
    conn.execute("UPDATE audit_log SET new_value = ?1 WHERE seq = ?2", rusqlite::params![quoted, seq]).unwrap();
    conn.execute(&format!("UPDATE incidents SET {field} = ?1"), [forged]).unwrap();
    let mut entries: Vec<AuditEntry> = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT seq, at, actor, actor_role, entity, entity_id, field, old_value, new_value, reason FROM audit_log ORDER BY seq")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                let at: String = r.get(1)?;
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: chrono::DateTime::parse_from_rfc3339(&at).unwrap().with_timezone(&chrono::Utc),
                    actor: r.get(2)?,
                    actor_role: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                    field: r.get(6)?,
                    old_value: r.get(7)?,
                    new_value: r.get(8)?,
                    reason: r.get(9)?,
                    prev_hash: String::new(),
                    hash: String::new(),
                })
            })
            .unwrap();
        entries.extend(rows.map(Result::unwrap));
    }
    let mut prev = firebreak_core::audit::GENESIS_HASH.to_string();
    for mut e in entries {
        e.prev_hash = prev.clone();
        e.hash = e.compute_hash();
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![e.prev_hash, e.hash, e.seq],
        )
        .unwrap();
        prev = e.hash;
    }
    conn.execute("UPDATE audit_head SET hash = ?1", [prev]).unwrap();
}

fn sealed_incident() -> (Db, String, Seal) {
    let db = db();
    let inc = open_incident(&db, "Refund bot emailed wrong amounts");
    guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[FieldChange::new("summary", json!("40 wrong refunds"))],
        false,
    )
    .unwrap();
    let seal = seal::seal_now(&db.store, "manual").unwrap();
    // Work goes on after the seal.
    guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new("workflow", json!("Refunds"))], false)
        .unwrap();
    let report = verify(&db.store).unwrap();
    assert!(report.intact && report.seals == 1, "{:?}", report.problems);
    assert_eq!(report.latest_seal.as_ref(), Some(&seal));
    (db, inc.id, seal)
}

#[test]
fn a_rewritten_history_with_recomputed_hashes_is_caught_by_the_seal_kept_in_the_database() {
    let (db, _, seal) = sealed_incident();
    rewrite_history(&db, "title", "Routine maintenance");
    let report = verify(&db.store).unwrap();
    assert!(!report.intact, "the seal catches the rewrite");
    let problem = report.problems.iter().find(|p| p.kind == ProblemKind::SealBroken).expect("a broken seal");
    assert_eq!(problem.seq, Some(seal.seq));
    assert!(
        problem.message.contains(&format!("entry #{} is the first sealed entry that no longer matches", seal.seq)),
        "{}",
        problem.message
    );
    // Without the seal (deleted too) the chain alone would pass: that is the attack seals are for.
    outsider(&db).execute("DELETE FROM seals", []).unwrap();
    assert!(verify(&db.store).unwrap().intact, "the unkeyed chain cannot tell");
    // A seal kept outside the database, or the anchor a document printed, still can.
    for outside in [Outside::Seal(seal.clone()), Outside::Anchor { seq: seal.seq, hash: seal.head_hash.clone() }] {
        let report = verify_against(&db.store, &[outside], &mut |_| {}).unwrap();
        assert!(report.problems.iter().any(|p| p.kind == ProblemKind::SealBroken), "{:?}", report.problems);
    }
}

#[test]
fn a_seal_from_another_key_or_with_a_forged_signature_is_refused() {
    let (db, _, seal) = sealed_incident();
    use ed25519_dalek::{Signer, SigningKey};
    let other = SigningKey::from_bytes(&[7u8; 32]);
    let message = format!(
        "{}\n{}\n{}\n{}\n{}",
        seal::FORMAT,
        seal.seq,
        seal.head_hash,
        firebreak_core::audit::format_instant(seal.at),
        seal.reason
    );
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let foreign = Seal {
        public_key: hex(&other.verifying_key().to_bytes()),
        signature: hex(&other.sign(message.as_bytes()).to_bytes()),
        ..seal.clone()
    };
    assert!(foreign.signature_holds(), "a valid signature, by someone else");
    let report = verify_against(&db.store, &[Outside::Seal(foreign)], &mut |_| {}).unwrap();
    assert!(report.problems.iter().any(|p| p.kind == ProblemKind::SealForeign), "{:?}", report.problems);

    let mut forged = seal.clone();
    forged.signature.replace_range(0..2, if forged.signature.starts_with("00") { "11" } else { "00" });
    let report = verify_against(&db.store, &[Outside::Seal(forged)], &mut |_| {}).unwrap();
    assert!(report.problems.iter().any(|p| p.kind == ProblemKind::SealInvalid), "{:?}", report.problems);
    // Moving a kept seal to a later head breaks its signature too.
    outsider(&db).execute("UPDATE seals SET seq = seq + 1", []).unwrap();
    let report = verify(&db.store).unwrap();
    assert!(report.problems.iter().any(|p| p.kind == ProblemKind::SealInvalid), "{:?}", report.problems);
}

#[test]
fn every_document_carries_and_keeps_the_seal_of_its_head() {
    let (db, id, _) = sealed_incident();
    let out = db.dir.path().join("report.pdf");
    let generated =
        report::generate(&db.store, &dana(), &ReportRequest::new(DocumentKind::Summary, Some(&id)), &out, &mut |_| {})
            .unwrap();
    let check = report::check(&db.store, &out).unwrap();
    let kept = check.seal.expect("the document's seal is kept");
    assert!(kept.signature_holds() && kept.reason == "report");
    assert_eq!(
        (kept.seq, kept.head_hash.as_str()),
        (check.document.as_ref().unwrap().head_seq, check.document.unwrap().head_hash.as_str())
    );
    assert!(check.message.contains("Sealed with key"), "{}", check.message);
    let text = std::process::Command::new("pdftotext").arg(&out).arg("-").output().unwrap();
    let text: String = String::from_utf8_lossy(&text.stdout).split_whitespace().collect();
    // The one-page summary names its head; the full report prints the seal and the anchor to verify with.
    assert!(text.contains(&format!("#{}", kept.seq)), "{text}");
    let full = db.dir.path().join("full.pdf");
    report::generate(&db.store, &dana(), &ReportRequest::new(DocumentKind::Full, Some(&id)), &full, &mut |_| {})
        .unwrap();
    let text = std::process::Command::new("pdftotext").arg(&full).arg("-").output().unwrap();
    let text: String = String::from_utf8_lossy(&text.stdout).split_whitespace().collect();
    let full_seal = report::check(&db.store, &full).unwrap().seal.unwrap();
    assert!(text.contains(&full_seal.signature) && text.contains(&full_seal.public_key), "the seal is printed");
    let near = text.find("--anchor").map(|i| &text[i..(i + 120).min(text.len())]).unwrap_or("no --anchor");
    assert!(
        text.contains(&format!("--anchor{}", full_seal.anchor())),
        "and the command to check it: {near} (wanted {})",
        full_seal.anchor()
    );
    assert!(verify(&db.store).unwrap().intact);
    let _ = generated;
}
