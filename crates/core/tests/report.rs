//! The PDF documents, read back as a reader would: `pdftotext -layout` for what they say (every section in order,
//! every affected object, names intact, page numbers, repeated table headers), `pdfinfo` for pages and metadata,
//! `qpdf --check` for structure; and the ledger that lets anyone check a file against the database.

mod common;

use chrono::{TimeZone, Utc};
use common::rich::*;
use common::*;
use firebreak_core::phases::guidance;
use firebreak_core::report::{self, DocumentKind, ReportRequest};
use firebreak_core::vocabulary::Classification;
use firebreak_core::{verify, ErrorCode, Store};
use std::path::Path;
use std::process::Command;

fn request(kind: DocumentKind, id: &str) -> ReportRequest {
    ReportRequest::new(kind, Some(id))
}

fn at() -> chrono::DateTime<Utc> {
    Utc::now()
}

fn render(db: &Db, r: &ReportRequest) -> Vec<u8> {
    report::render(&db.store, &dana(), r, at()).unwrap().bytes
}

fn tool(bytes: &[u8], program: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new(program)
        .args(args)
        .arg(&path)
        .args(if program == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap();
    assert!(out.status.success() || program == "qpdf", "{program} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of each page (pdftotext separates pages with a form feed).
fn pages(bytes: &[u8]) -> Vec<String> {
    let text = tool(bytes, "pdftotext", &["-layout"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn info(bytes: &[u8]) -> String {
    tool(bytes, "pdfinfo", &[])
}

fn info_field(info: &str, name: &str) -> String {
    info.lines().find_map(|l| l.strip_prefix(&format!("{name}:"))).unwrap_or_default().trim().to_string()
}

fn page_count(bytes: &[u8]) -> usize {
    info(bytes).lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

fn qpdf_clean(bytes: &[u8]) {
    let out = tool(bytes, "qpdf", &["--check"]);
    assert!(out.contains("No syntax or stream encoding errors found"), "qpdf --check: {out}");
}

/// Position of each needle in the text, in order; fails naming the first missing or out of order.
fn in_order(text: &str, needles: &[&str]) {
    let mut from = 0;
    for n in needles {
        match text[from..].find(n) {
            Some(i) => from += i + n.len(),
            None => panic!("\"{n}\" missing or out of order (after byte {from})"),
        }
    }
}

fn page_numbers_right(pages: &[String]) {
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let expected = format!("Page {} of {total}", i + 1);
        assert!(page.contains(&expected), "page {} lacks \"{expected}\"", i + 1);
    }
}

#[test]
fn the_full_report_has_every_section_in_order_every_object_and_every_page_numbered() {
    let db = db();
    let rich = rich(&db);
    let bytes = render(&db, &request(DocumentKind::Full, &rich.id));
    qpdf_clean(&bytes);
    let pages = pages(&bytes);
    let all = pages.join("\n");
    in_order(
        &all,
        &[
            "Full incident report",
            "Contents",
            "Executive summary",
            "The record",
            "Severity",
            "Overrides",
            "Timeline",
            "Pause and containment",
            "Containment checklist",
            "Playbook steps",
            "Evidence register",
            "Chain of custody",
            "Side-effect audit",
            "Affected objects",
            "Audit questions",
            "Recovery",
            "Communication log",
            "Regulatory notifications",
            "GDPR Art. 33",
            "Postmortem",
            "Five whys",
            "Remediation items",
            "Re-enable",
            "Stages and sign-offs",
            "Integrity",
        ],
    );
    for n in 0..OBJECTS {
        assert!(all.contains(&object_id(n)), "object {} is missing", object_id(n));
    }
    for name in [ZOE, ELENI, LENA] {
        assert!(all.contains(name), "{name} is not intact");
    }
    assert!(all.contains(HOSTILE_TITLE), "the title prints literally");
    assert!(all.contains("<script>alert(1)</script>"), "markup in the summary prints literally");
    assert!(all.contains("\\x1B[31m"), "the escape character is shown, not sent to the viewer");
    assert!(all.contains("BN-2026-0042"), "the authority's reference");
    assert!(all.contains("Amounts were small and are being corrected"), "the override's reason");
    page_numbers_right(&pages);

    // The affected-object table runs over several pages, each starting with its header row.
    // (Other pages name an object or two: the timeline's first and last side effect, the recovery log.)
    let table_pages: Vec<&String> = pages.iter().filter(|p| p.matches("INV-0").count() >= 5).collect();
    assert!(table_pages.len() >= 3, "300 objects take several pages ({})", table_pages.len());
    for page in &table_pages {
        let header = page.find("Object ID").expect("header row on every page of the table");
        let first_row = page.find("INV-0").unwrap();
        assert!(header < first_row, "the header comes before the rows:\n{page}");
    }

    let info = info(&bytes);
    assert!(info_field(&info, "Title").starts_with(&format!("{} — {HOSTILE_TITLE}", rich.id)), "{info}");
    assert_eq!(info_field(&info, "Author"), "Dana Reyes (Incident commander)");
    assert!(info_field(&info, "Subject").starts_with("Full incident report"), "{info}");
    assert!(!info_field(&info, "CreationDate").is_empty(), "{info}");
    let summary = verify::verify(&db.store).unwrap();
    let joined: String = all.split_whitespace().collect();
    assert!(joined.contains(&summary.head_hash), "the integrity section quotes the audit head");
    assert!(pages.iter().all(|p| p.contains(&format!("Audit head {}", &summary.head_hash[..12]))));
    assert!(pages.iter().all(|p| p.contains(Classification::Confidential.label())), "the default label on every page");
}

#[test]
fn the_same_record_and_instant_give_the_same_bytes() {
    let db = db();
    let rich = rich(&db);
    let instant = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    for kind in [DocumentKind::Full, DocumentKind::Summary, DocumentKind::Postmortem] {
        let r = request(kind, &rich.id);
        let a = report::render(&db.store, &dana(), &r, instant).unwrap().bytes;
        let b = report::render(&db.store, &dana(), &r, instant).unwrap().bytes;
        assert!(a == b, "{kind:?} differs between two renders");
    }
    let later = report::render(
        &db.store,
        &dana(),
        &request(DocumentKind::Full, &rich.id),
        instant + chrono::Duration::minutes(1),
    );
    assert_ne!(
        later.unwrap().bytes,
        report::render(&db.store, &dana(), &request(DocumentKind::Full, &rich.id), instant).unwrap().bytes
    );
}

#[test]
fn the_one_page_summary_is_one_page_however_full_the_record_is() {
    let db = db();
    let rich = rich(&db);
    let bytes = render(&db, &request(DocumentKind::Summary, &rich.id));
    assert_eq!(page_count(&bytes), 1);
    let text = pages(&bytes).join("\n");
    for label in [
        "Workflow",
        "Agent / runtime",
        "Owners",
        "Agent paused?",
        "Tools disabled",
        "Credentials rotated?",
        "Evidence preserved",
        "Side effects found",
        "Required fixes",
        "First monitored run",
    ] {
        assert!(text.contains(label), "{label} missing");
    }
    assert!(text.contains("Partial") || text.contains("Yes — the whole workflow"), "{text}");
    qpdf_clean(&bytes);

    // The longest text the record takes, in every long field: cut with the marker, still one page.
    let long = "word ".repeat(3_999) + "end";
    let changes: Vec<_> = ["customer_impact", "vendor_impact", "employee_impact", "summary", "workflow"]
        .iter()
        .map(|f| {
            firebreak_core::incident::FieldChange::new(
                *f,
                serde_json::json!(if *f == "workflow" { "w".repeat(200) } else { long.clone() }),
            )
        })
        .collect();
    guidance::update_incident(&db.store, &dana(), &rich.id, &changes, false).unwrap();
    let bytes = render(&db, &request(DocumentKind::Summary, &rich.id));
    assert_eq!(page_count(&bytes), 1);
    let text = tool(&bytes, "pdftotext", &[]);
    assert!(text.contains("continued in the full report"), "{text}");
}

#[test]
fn a_regulator_notification_prints_its_text_clock_checklist_and_hash() {
    let db = db();
    let rich = rich(&db);
    let mut r = request(DocumentKind::Notification, &rich.id);
    r.regime = Some("gdpr-art33".into());
    r.stage = Some("notification".into());
    let bytes = render(&db, &r);
    qpdf_clean(&bytes);
    let text = pages(&bytes).join("\n");
    in_order(
        &text,
        &[
            "Regulator notification",
            "The clock",
            "Due (your zone)",
            "Due (authority's zone)",
            "Required content",
            "The submitted text",
            "SHA-256 of the text",
            "Integrity",
        ],
    );
    assert!(text.contains("On time (") && text.contains("before the due time"), "{text}");
    assert!(text.contains("it is the text that was submitted"), "{text}");
    let raw = tool(&bytes, "pdftotext", &["-raw"]);
    assert!(
        !raw.split_whitespace().collect::<String>().contains("DRAFT"),
        "a submitted notification carries no draft mark"
    );
    let hash = firebreak_core::phases::notification::clocks(&db.store, &rich.id, Utc::now())
        .unwrap()
        .regimes
        .into_iter()
        .find(|x| x.regime == "gdpr-art33")
        .unwrap()
        .stages[0]
        .notifications[0]
        .text_hash
        .clone()
        .unwrap();
    assert!(text.contains(&hash));
}

#[test]
fn a_draft_nobody_approved_is_watermarked_on_every_page() {
    let db = db();
    let rich = rich(&db);
    // A supplement is a new draft of the same stage.
    firebreak_core::phases::notification::start(&db.store, &dana(), &rich.id, "gdpr-art33", "notification").unwrap();
    let mut r = request(DocumentKind::Notification, &rich.id);
    r.regime = Some("gdpr-art33".into());
    r.stage = Some("notification".into());
    let bytes = render(&db, &r);
    // The mark is drawn diagonally, so text extraction gives it a letter per line.
    let raw = tool(&bytes, "pdftotext", &["-raw"]);
    let marked: Vec<bool> = raw
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.split_whitespace().collect::<String>().contains("DRAFT"))
        .collect();
    assert_eq!(marked.len(), page_count(&bytes));
    assert!(marked.iter().all(|m| *m), "every page is marked: {marked:?}");
    assert!(pages(&bytes)[0].contains("supplement 1"));
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let db = db();
    let rich = rich(&db);
    let refused = |r: ReportRequest, code: ErrorCode, says: &str| {
        let out = db.dir.path().join("refused.pdf");
        let before = verify::verify(&db.store).unwrap().entries;
        let err = report::generate(&db.store, &dana(), &r, &out, &mut |_| {}).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(err.to_string().contains(says), "{err}");
        assert!(!out.exists(), "no file left behind");
        assert_eq!(verify::verify(&db.store).unwrap().entries, before, "nothing in the audit trail");
        assert_eq!(
            std::fs::read_dir(db.dir.path())
                .unwrap()
                .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(".tmp"))
                .count(),
            0
        );
    };
    let mut no_stage = request(DocumentKind::Notification, &rich.id);
    no_stage.regime = Some("gdpr-art33".into());
    refused(no_stage, ErrorCode::InvalidInput, "regime and stage");
    let mut not_applicable = request(DocumentKind::Notification, &rich.id);
    not_applicable.regime = Some("gdpr-art34".into());
    not_applicable.stage = Some("communication".into());
    refused(not_applicable, ErrorCode::InvalidInput, "does not apply");
    let mut nis2 = request(DocumentKind::Notification, &rich.id);
    nis2.regime = Some("nis2".into());
    nis2.stage = Some("early-warning".into());
    refused(nis2, ErrorCode::InvalidInput, "does not apply");
    refused(request(DocumentKind::Full, "AI-INC-2020-0101-999"), ErrorCode::NotFound, "No incident");
    let mut register = ReportRequest::new(DocumentKind::Register, None);
    register.from = Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    register.to = Some(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    refused(register, ErrorCode::InvalidInput, "starts");

    // The database, its WAL and the evidence store are never overwritten by a document.
    let evidence = db.dir.path().join("evidence");
    let stored = std::fs::read_dir(&evidence).unwrap().next().unwrap().unwrap().path();
    let db_bytes = std::fs::read(db.store.path()).unwrap().len();
    for own in [db.store.path().to_path_buf(), db.dir.path().join("firebreak.db-wal"), stored.clone()] {
        let before = verify::verify(&db.store).unwrap().entries;
        let err = report::generate(&db.store, &dana(), &request(DocumentKind::Summary, &rich.id), &own, &mut |_| {})
            .unwrap_err();
        assert!(err.to_string().contains("Choose another file name or folder"), "{err}");
        assert_eq!(verify::verify(&db.store).unwrap().entries, before);
    }
    assert!(verify::verify(&db.store).unwrap().intact);
    assert!(std::fs::read(db.store.path()).unwrap().len() >= db_bytes);
    assert!(firebreak_core::phases::evidence::reverify(&db.store, &dana(), &rich.id)
        .unwrap()
        .iter()
        .all(|c| c.status == firebreak_core::phases::evidence::FileCheckStatus::Unchanged));

    let missing_folder = db.dir.path().join("no-such-folder").join("r.pdf");
    let before = verify::verify(&db.store).unwrap().entries;
    let err =
        report::generate(&db.store, &dana(), &request(DocumentKind::Full, &rich.id), &missing_folder, &mut |_| {})
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Io);
    assert!(err.to_string().contains("Cannot write"), "{err}");
    assert_eq!(verify::verify(&db.store).unwrap().entries, before);
}

#[test]
fn the_external_copy_names_roles_and_hides_contacts_and_object_ids() {
    let db = db();
    let rich = rich(&db);
    let mut r = request(DocumentKind::Full, &rich.id);
    r.external = true;
    let bytes = render(&db, &r);
    let text = pages(&bytes).join("\n");
    assert!(text.contains("External copy"), "the cover says so");
    for secret in
        [ZOE, ELENI, LENA, "Dana Reyes", ZOE_EMAIL, ELENI_PHONE, "lena.vogel@example.de", "Łukasiewicz", "Παπαδοπούλου"]
    {
        assert!(!text.contains(secret), "{secret} leaked into the external copy");
    }
    assert!(
        text.contains("Business owner") && text.contains("Technical owner") && text.contains("Data protection officer")
    );
    assert!(!text.contains("INV-00042"), "object IDs are pseudonymised");
    assert!(text.contains("OBJ-"), "pseudonyms instead");
    // Stable: the same pseudonyms every time.
    assert_eq!(pages(&render(&db, &r)).join("\n").matches("OBJ-").count(), text.matches("OBJ-").count());
    let info = info(&bytes);
    assert!(!info.contains("Dana Reyes"), "the metadata names a role too: {info}");
}

#[test]
fn the_postmortem_pack_is_landscape_and_large() {
    let db = db();
    let rich = rich(&db);
    let bytes = render(&db, &request(DocumentKind::Postmortem, &rich.id));
    qpdf_clean(&bytes);
    assert!(info(&bytes).contains("841.89 x 595.276"), "A4 landscape");
    let text = pages(&bytes).join("\n");
    in_order(
        &text,
        &[
            "Postmortem",
            "Timeline",
            "Impact",
            "Five whys",
            "Why 1?",
            "It had no owner",
            "Root-cause layers",
            "Remediation",
            "Human approval on refunds",
        ],
    );
    assert!(text.contains("2026-12-15"), "remediation due date");
    page_numbers_right(&pages(&bytes));
}

#[test]
fn the_breach_register_extract_covers_its_period() {
    let db = db();
    let rich = rich(&db);
    let today = Utc::now().date_naive();
    let mut r = ReportRequest::new(DocumentKind::Register, None);
    r.from = Some(today - chrono::Duration::days(7));
    r.to = Some(today + chrono::Duration::days(1));
    let bytes = render(&db, &r);
    qpdf_clean(&bytes);
    let text = pages(&bytes).join("\n");
    in_order(
        &text,
        &[
            "Breach register",
            "Art. 33(5)",
            &rich.id,
            "Facts",
            "Effects",
            "Remedial action",
            "Regimes",
            "GDPR Art. 33",
            "GDPR Art. 34",
            "No high risk",
            "Integrity",
        ],
    );
    r.from = Some(today - chrono::Duration::days(400));
    r.to = Some(today - chrono::Duration::days(300));
    let text = pages(&render(&db, &r)).join("\n");
    assert!(!text.contains(&rich.id) && text.contains("No personal-data incident in this period"));
}

#[test]
fn a_generated_file_is_recorded_and_checked_byte_for_byte() {
    let db = db();
    let rich = rich(&db);
    let out = db.dir.path().join("report.pdf");
    let before = verify::verify(&db.store).unwrap();
    let mut steps = Vec::new();
    let g =
        report::generate(&db.store, &dana(), &request(DocumentKind::Summary, &rich.id), &out, &mut |s| steps.push(s))
            .unwrap();
    assert_eq!(steps.last(), Some(&report::ReportStep::Done));
    assert_eq!((g.pages, g.kind, g.incident.as_deref()), (1, DocumentKind::Summary, Some(rich.id.as_str())));
    let after = verify::verify(&db.store).unwrap();
    assert!(after.intact && after.entries > before.entries, "the document is in the trail");

    let check = report::check(&db.store, &out).unwrap();
    assert!(check.known, "{}", check.message);
    let doc = check.document.as_ref().unwrap();
    assert_eq!(doc.head_hash, before.head_hash, "generated from the head before its own entry");
    assert_eq!((doc.generated_by.as_str(), doc.sha256.as_str()), ("Dana Reyes", g.sha256.as_str()));
    assert_eq!((check.entries_since, check.head_in_trail), (0, true));
    assert!(check.message.contains("has not changed since"), "{}", check.message);

    // Another document generated later does not count as a change of the record; an edit does.
    report::generate(
        &db.store,
        &dana(),
        &request(DocumentKind::Full, &rich.id),
        &db.dir.path().join("full.pdf"),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(report::check(&db.store, &out).unwrap().entries_since, 0);
    guidance::update_incident(
        &db.store,
        &dana(),
        &rich.id,
        &[firebreak_core::incident::FieldChange::new("vendor_impact", serde_json::json!("One vendor informed"))],
        false,
    )
    .unwrap();
    let changed = report::check(&db.store, &out).unwrap();
    assert_eq!(changed.entries_since, 1);
    assert!(changed.message.contains("may have changed"), "{}", changed.message);

    // One altered byte makes it unknown; so does a file from elsewhere.
    let mut bytes = std::fs::read(&out).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    let altered = db.dir.path().join("altered.pdf");
    std::fs::write(&altered, &bytes).unwrap();
    assert!(!report::check(&db.store, &altered).unwrap().known);
    let other = Store::create(db.dir.path().join("other.db")).unwrap();
    assert!(!report::check(&other, &out).unwrap().known, "another database did not generate it");
}

#[test]
fn check_refuses_what_is_not_a_regular_file() {
    let db = db();
    for path in [Path::new("/dev/zero"), Path::new("/dev/null"), db.dir.path()] {
        let err = report::check(&db.store, path).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
    let fifo = db.dir.path().join("fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let err = report::check(&db.store, &fifo).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn the_default_classification_is_a_setting_printed_on_every_page() {
    let db = db();
    let rich = rich(&db);
    assert_eq!(report::default_classification(&db.store).unwrap(), Classification::Confidential);
    report::set_default_classification(&db.store, &dana(), Classification::Privileged).unwrap();
    let pages = pages(&render(&db, &request(DocumentKind::Full, &rich.id)));
    assert!(pages.iter().all(|p| p.contains("Privileged & Confidential")), "the label on every page");
    let mut r = request(DocumentKind::Summary, &rich.id);
    r.classification = Some(Classification::Internal);
    assert!(pages_text(&render(&db, &r)).contains("Internal"));
    assert!(verify::verify(&db.store).unwrap().intact, "the setting is audited");
}

fn pages_text(bytes: &[u8]) -> String {
    pages(bytes).join("\n")
}
