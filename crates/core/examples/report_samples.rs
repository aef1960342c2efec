//! Writes every document for the test suite's rich incident into a folder, to look at them (and for the README's
//! page images): `cargo run -p firebreak-core --example report_samples -- /tmp/samples`.

#[path = "../tests/common/mod.rs"]
mod common;

use chrono::{Duration, Utc};
use firebreak_core::report::{self, DocumentKind, ReportRequest};
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "report-samples".into()));
    std::fs::create_dir_all(&out).expect("the output folder can be created");
    let db = common::db();
    let rich = common::rich::rich(&db);
    let actor = common::dana();
    let notification = |regime: &str, stage: &str| {
        let mut r = ReportRequest::new(DocumentKind::Notification, Some(&rich.id));
        r.regime = Some(regime.into());
        r.stage = Some(stage.into());
        r
    };
    let mut register = ReportRequest::new(DocumentKind::Register, None);
    register.from = Some((Utc::now() - Duration::days(30)).date_naive());
    register.to = Some(Utc::now().date_naive());
    let mut external = ReportRequest::new(DocumentKind::Full, Some(&rich.id));
    external.external = true;
    let documents = [
        ("full.pdf", ReportRequest::new(DocumentKind::Full, Some(&rich.id))),
        ("summary.pdf", ReportRequest::new(DocumentKind::Summary, Some(&rich.id))),
        ("notification.pdf", notification("gdpr-art33", "notification")),
        ("postmortem.pdf", ReportRequest::new(DocumentKind::Postmortem, Some(&rich.id))),
        ("register.pdf", register),
        ("external.pdf", external),
    ];
    for (name, request) in documents {
        let path = out.join(name);
        match report::generate(&db.store, &actor, &request, &path, &mut |_| {}) {
            Ok(g) => println!("{} ({} pages)", g.path, g.pages),
            Err(e) => eprintln!("{name}: {e}"),
        }
    }
    // A draft supplement, to see the DRAFT mark.
    firebreak_core::phases::notification::start(&db.store, &actor, &rich.id, "gdpr-art33", "notification")
        .expect("a supplement can be drafted");
    let path = out.join("notification-draft.pdf");
    match report::generate(&db.store, &actor, &notification("gdpr-art33", "notification"), &path, &mut |_| {}) {
        Ok(g) => println!("{} ({} pages)", g.path, g.pages),
        Err(e) => eprintln!("notification-draft.pdf: {e}"),
    }
}
