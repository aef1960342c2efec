//! `make bench`: a trace of 1,000,000 steps of realistic sizes (about 1 GB of OpenTelemetry JSON Lines with GenAI
//! attributes, 2% failed tool calls; `shared/trace_file.rs`) imported into a fresh database. Printed, each beside a
//! baseline measured in the same run:
//! - the import's MB/s and peak memory, beside parsing the file with serde_json and storing nothing, and beside a
//!   minimal program bulk-inserting the same rows into SQLite with FTS5 (`shared/bulk_insert.rs`; the ratio of the
//!   import's speed to it, goal ≥ 0.8), and the database's size per GB of trace;
//! - search p50 / p95 over the 1,000,000 steps (goal p95 < 30 ms), beside `rg` looking for the same words in the
//!   raw file;
//! - the Investigation tab's reads (pages at the start, middle and end, the failed-only and tool filters, the
//!   filters' value lists, one step whole, the findings, `verify`), beside one full scan of the steps table.
//!
//! Figures only; the tests never time anything.

use firebreak_core::investigation::{self, findings, ImportOptions, StepFilter};
use firebreak_core::search::{self, SearchRequest};
use firebreak_core::verify;
use std::io::BufRead;
use std::time::{Duration, Instant};

#[path = "shared/bulk_insert.rs"]
mod bulk_insert;
#[path = "shared/scratch.rs"]
mod scratch;
#[path = "shared/trace_file.rs"]
mod trace_file;

/// One timed read: what it found, in words.
type Read<'a> = dyn Fn() -> Result<String, Box<dyn std::error::Error>> + 'a;

/// Each search is run this many times (after one unmeasured run) for its share of the percentiles.
const SEARCH_ROUNDS: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scratch::Scratch { dir, store, actor, incident } = scratch::scratch("Benchmark: a trace of 1,000,000 steps")?;
    let path = dir.path().join("trace.jsonl");
    let started = Instant::now();
    trace_file::write(&path)?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "generated {} spans ({:.0} MB of OTLP JSON Lines, {:.0} bytes a step) in {}",
        trace_file::LINES * trace_file::SPANS_PER_LINE,
        mb(size),
        size as f64 / (trace_file::LINES * trace_file::SPANS_PER_LINE) as f64,
        ms(started.elapsed())
    );

    let parse = time(|| {
        let mut spans = 0usize;
        for line in std::io::BufReader::new(std::fs::File::open(&path)?).lines() {
            let doc: serde_json::Value = serde_json::from_str(&line?)?;
            spans += doc["resourceSpans"][0]["scopeSpans"][0]["spans"].as_array().map_or(0, Vec::len);
        }
        Ok(format!("{spans} spans"))
    })?;
    println!("baseline, parse the file with serde_json and keep nothing: {} ({})", speed(size, parse.0), parse.1);

    let baseline_db = dir.path().join("baseline.db");
    reset_peak();
    let bulk = time(|| Ok(format!("{} rows", bulk_insert::run(&path, &baseline_db)?)))?;
    let bulk_peak = peak();
    println!(
        "baseline, a minimal program bulk-inserting the same rows into SQLite with FTS5: {} ({}), peak memory {}, \
         database {:.2} GB per GB of trace",
        speed(size, bulk.0),
        bulk.1,
        bulk_peak,
        database_bytes(&baseline_db) as f64 / size as f64
    );
    std::fs::remove_file(&baseline_db)?;

    let options = ImportOptions::default();
    reset_peak();
    let import = time(|| {
        let i = investigation::import_file(&store, &actor, &incident.id, &path, &options)?;
        Ok(format!("{} steps, {} tool calls, {} failed", i.steps, i.tool_calls, i.failed_tool_calls))
    })?;
    let import_peak = peak();
    println!(
        "import (copy into evidence, hash, parse, write, index, digest, one transaction): {} ({}), peak memory {} \
         = {:.2}x the bulk insert's speed (goal ≥ 0.8), {:.2}x the parse alone's",
        speed(size, import.0),
        import.1,
        import_peak,
        ratio(bulk.0, import.0),
        ratio(parse.0, import.0)
    );
    store.connect()?.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    println!(
        "database size: {:.0} MB = {:.2} GB per GB of trace (steps, their indexes and the full-text index), beside \
         it the evidence copy of the file ({:.0} MB)",
        mb(database_bytes(store.path())),
        database_bytes(store.path()) as f64 / size as f64,
        mb(size)
    );

    search_figures(&store, &incident.id, &path)?;

    let scan = time(|| {
        let n: i64 = store.connect()?.query_row("SELECT count(*) FROM trace_steps", [], |r| r.get(0))?;
        Ok(format!("{n} rows"))
    })?;
    println!("baseline, one full scan of the steps (SELECT count(*)): {} ({})", ms(scan.0), scan.1);
    // The findings read more than a count: the same columns, read and dropped, are their own baseline.
    let columns = time(|| {
        let conn = store.connect()?;
        let mut stmt = conn.prepare(
            "SELECT id, import, run, kind, name, tool, at, is_error, substr(error, 1, 400), \
             CASE WHEN kind = 'tool_call' THEN substr(arguments, 1, 65536) END, \
             CASE WHEN tool IS NOT NULL THEN substr(result, 1, 600) END, input_tokens, output_tokens, cost, call_id \
             FROM trace_steps WHERE incident = ?1 ORDER BY import, seq",
        )?;
        let mut rows = stmt.query([&incident.uuid])?;
        let (mut n, mut bytes) = (0u64, 0usize);
        while let Some(r) = rows.next()? {
            n += 1;
            bytes += r.get::<_, Option<String>>(9)?.map_or(0, |a| a.len());
        }
        Ok(format!("{n} rows, {:.0} MB of arguments", mb(bytes as u64)))
    })?;
    println!(
        "baseline for the findings, read the columns they read and keep nothing: {} ({})",
        ms(columns.0),
        columns.1
    );
    let (store, key) = (&store, incident.id.as_str());
    let page = |filter: StepFilter| {
        move || -> Result<String, Box<dyn std::error::Error>> {
            let p = investigation::steps(store, key, &filter)?;
            Ok(format!("{} rows of {}", p.rows.len(), p.total_matching))
        }
    };
    let all = StepFilter { limit: Some(200), ..Default::default() };
    let failed = StepFilter { errors_only: true, ..all.clone() };
    let tool = StepFilter { tool: Some("send_email".into()), ..all.clone() };
    let reads: Vec<(&str, Box<Read<'_>>)> = vec![
        ("first page of 200", Box::new(page(all.clone()))),
        ("page at offset 500,000", Box::new(page(StepFilter { offset: 500_000, ..all.clone() }))),
        ("last page", Box::new(page(StepFilter { offset: 999_800, ..all.clone() }))),
        ("failed only, first page", Box::new(page(failed.clone()))),
        ("failed only, page at offset 10,000", Box::new(page(StepFilter { offset: 10_000, ..failed }))),
        ("tool send_email, first page", Box::new(page(tool.clone()))),
        ("tool send_email, page at offset 100,000", Box::new(page(StepFilter { offset: 100_000, ..tool }))),
        (
            "tools and agents for the filters",
            Box::new(|| {
                let f = investigation::facets(store, key)?;
                Ok(format!("{} tools, {} agents", f.tools.len(), f.agents.len()))
            }),
        ),
        (
            "the imports and their runs with each run's counts (trace list)",
            Box::new(|| {
                let o = investigation::overview(store, key)?;
                Ok(format!("{} runs", o.runs.len()))
            }),
        ),
        (
            "one step whole",
            Box::new(|| {
                let s = investigation::step(store, key, 654_321)?;
                Ok(format!("step {}", s.id))
            }),
        ),
        (
            "findings (every step read once, all kinds judged)",
            Box::new(|| {
                let f = findings::findings(store, key)?;
                Ok(format!("{} findings over {} steps", f.findings.len(), f.steps))
            }),
        ),
        (
            "verify (the chain, every record, the import's digest over all rows)",
            Box::new(|| {
                let r = verify::verify(store)?;
                Ok(format!("intact: {}", r.intact))
            }),
        ),
    ];
    for (what, read) in &reads {
        let (took, said) = time(read)?;
        print!("{what}: {} ({said}) = {:.2}x the full scan", ms(took), ratio(took, scan.0));
        if what.starts_with("findings") {
            print!(", {:.2}x reading their columns", ratio(took, columns.0));
        }
        println!();
    }
    Ok(())
}

fn time(
    run: impl FnOnce() -> Result<String, Box<dyn std::error::Error>>,
) -> Result<(Duration, String), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let said = run()?;
    Ok((started.elapsed(), said))
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// VmHWM from /proc: the most resident memory the process has held.
fn peak() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l["VmHWM:".len()..].trim().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// Searches of the kinds an investigator types, each beside `rg` looking for the same words in the raw file
/// (`None` for a search by filters alone, which has no words to look for).
fn search_figures(
    store: &firebreak_core::Store,
    incident: &str,
    trace: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let order = (654_321..).find(|n| trace_file::names_order(*n)).unwrap_or(654_321);
    let order = format!("A-{order}");
    let searches: Vec<(String, Option<String>)> = vec![
        (order.clone(), Some(order)),
        ("customer4242@example2.com".into(), Some("customer4242@example2.com".into())),
        ("\"gateway timeout\"".into(), Some("Gateway timeout".into())),
        ("goodwill voucher".into(), Some("goodwill voucher".into())),
        ("terminat*".into(), Some("terminat".into())),
        ("duplicate AND charge NOT refund".into(), Some("duplicate charge".into())),
        ("tool:send_email waive".into(), Some("waive".into())),
        ("tool:send_email error:yes".into(), None),
    ];
    let mut took = Vec::new();
    let mut rg_took = Vec::new();
    for (query, words) in &searches {
        let request = SearchRequest { query: query.clone(), incident: Some(incident.into()), limit: None };
        let hits = search::search(store, &request)?;
        let mut times = Vec::new();
        for _ in 0..SEARCH_ROUNDS {
            let started = Instant::now();
            search::search(store, &request)?;
            times.push(started.elapsed());
        }
        times.sort();
        print!(
            "search {query:?}: median {} ({} hits{})",
            ms(times[times.len() / 2]),
            hits.hits.len(),
            if hits.more { ", more" } else { "" }
        );
        took.extend(times);
        if let Some(words) = words {
            let started = Instant::now();
            let out = std::process::Command::new("rg").args(["-F", "-i", "-o", "-c", words]).arg(trace).output();
            let rg = started.elapsed();
            match out {
                Ok(out) if out.status.success() || out.status.code() == Some(1) => {
                    print!("; rg for {words:?}: {}", ms(rg));
                    rg_took.push(rg);
                }
                _ => print!("; rg not available (make bench installs ripgrep)"),
            }
        }
        println!();
    }
    took.sort();
    rg_took.sort();
    let at = |times: &[Duration], p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    print!(
        "search over 1,000,000 steps, {} searches: p50 {}, p95 {} (goal p95 < 30 ms)",
        took.len(),
        ms(at(&took, 0.5)),
        ms(at(&took, 0.95))
    );
    if !rg_took.is_empty() {
        print!(
            "; rg over the raw file: p50 {} = the search takes {:.4}x rg's time",
            ms(at(&rg_took, 0.5)),
            ratio(at(&took, 0.5), at(&rg_took, 0.5))
        );
    }
    println!();
    Ok(())
}

fn speed(bytes: u64, took: Duration) -> String {
    format!("{} = {:.0} MB/s", ms(took), mb(bytes) / took.as_secs_f64().max(1e-9))
}

/// The database file and its write-ahead log.
fn database_bytes(db: &std::path::Path) -> u64 {
    let wal = db.with_extension("db-wal");
    [db, wal.as_path()].iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
}

/// Starts the peak-memory count afresh (Linux: writing 5 to clear_refs resets VmHWM), so each phase's peak is its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
