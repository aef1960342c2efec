//! `make bench`: imports 100,000 affected objects from a generated CSV into a fresh database and prints how long
//! the import, the table's filters, a text search, the counts and a full `verify` of the resulting trail take.
//! Figures only; the tests stay fast and never time anything.

use firebreak_core::phases::affected::{self, ObjectQuery, ObjectSort, SortDirection};
use firebreak_core::phases::affected::{AgentAction, ObjectStatus};
use firebreak_core::verify;
use std::time::{Duration, Instant};

#[path = "shared/objects.rs"]
mod objects;
#[path = "shared/scratch.rs"]
mod scratch;

const ROWS: usize = 100_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scratch::Scratch { dir, store, actor, incident } = scratch::scratch("Benchmark: 100,000 affected objects")?;

    let started = Instant::now();
    let csv = objects::csv(ROWS, 0);
    let csv_path = dir.path().join("objects.csv");
    std::fs::write(&csv_path, &csv)?;
    println!("generated {ROWS} rows ({:.1} MB of CSV) in {}", csv.len() as f64 / 1e6, ms(started.elapsed()));

    let started = Instant::now();
    let report = affected::import_csv(&store, &actor, &incident.id, std::fs::File::open(&csv_path)?)?;
    let took = started.elapsed();
    println!("import: {} rows in {} ({:.0} rows/s)", report.added, ms(took), report.added as f64 / took.as_secs_f64());

    let filter = ObjectQuery {
        system: Some("Zendesk".into()),
        status: Some(ObjectStatus::Open),
        sort: ObjectSort::OccurredAt,
        limit: Some(100),
        ..Default::default()
    };
    timed("filter system=Zendesk status=open, first 100 by occurred_at", || {
        let page = affected::list(&store, &incident.id, &filter)?;
        Ok(format!("{} rows of {} matching", page.rows.len(), page.total_matching))
    })?;
    let deep = ObjectQuery { offset: 5_000, ..filter.clone() };
    timed("same filter, page at offset 5,000", || {
        let page = affected::list(&store, &incident.id, &deep)?;
        Ok(format!("{} rows of {} matching", page.rows.len(), page.total_matching))
    })?;
    let all_desc = ObjectQuery { direction: SortDirection::Desc, limit: Some(100), ..Default::default() };
    timed("no filter, first 100 newest first", || {
        let page = affected::list(&store, &incident.id, &all_desc)?;
        Ok(format!("{} rows of {} matching", page.rows.len(), page.total_matching))
    })?;
    let by_action = ObjectQuery {
        action: Some(AgentAction::Sent),
        sort: ObjectSort::ObjectId,
        limit: Some(100),
        ..Default::default()
    };
    timed("filter action=sent, first 100 by object_id", || {
        let page = affected::list(&store, &incident.id, &by_action)?;
        Ok(format!("{} rows of {} matching", page.rows.len(), page.total_matching))
    })?;
    let search = ObjectQuery { text: "obj-0042".into(), limit: Some(100), ..Default::default() };
    timed("text search \"obj-0042\", first 100", || {
        let page = affected::list(&store, &incident.id, &search)?;
        Ok(format!("{} rows of {} matching", page.rows.len(), page.total_matching))
    })?;
    timed("counts by system, action and status", || {
        let counts = affected::counts(&store, &incident.id)?;
        Ok(format!("{} objects, {} systems, {} undecided", counts.total, counts.by_system.len(), counts.undecided))
    })?;
    timed("undecided objects (the monitoring gate)", || {
        let conn = store.connect()?;
        Ok(format!("{}", affected::undecided_objects(&conn, &incident)?))
    })?;
    timed("verify the whole audit trail", || {
        let report = verify::verify(&store)?;
        Ok(format!("{} entries, intact: {}", report.entries, report.intact))
    })?;
    let size = std::fs::metadata(store.path())?.len();
    println!("database size: {:.1} MB", size as f64 / 1e6);
    if std::env::var_os("BENCH_KEEP").is_some() {
        println!("kept {}", dir.keep().display());
    }
    Ok(())
}

fn timed(
    what: &str,
    run: impl Fn() -> Result<String, Box<dyn std::error::Error>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let result = run()?;
    println!("{what}: {} ({result})", ms(started.elapsed()));
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
