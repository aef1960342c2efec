//! `make bench`: a trace of 1,000,000 steps (OpenTelemetry JSON Lines with GenAI attributes, 2% failed tool calls)
//! imported into a fresh database, then the Investigation tab's reads timed: pages at the start, middle and end,
//! the failed-only and tool filters, the filters' value lists, one step whole, the findings (one pass over every
//! step) and `verify` (which recomputes the import's digest). Each figure is printed beside a baseline measured in the same run: for the import, parsing the
//! same file with serde_json and storing nothing; for the reads, one full scan of the steps table
//! (`SELECT count(*)`). Figures only; the tests never time anything.

use firebreak_core::investigation::{self, findings, ImportOptions, StepFilter};
use firebreak_core::verify;
use std::io::{BufRead, BufWriter, Write};
use std::time::{Duration, Instant};

#[path = "shared/scratch.rs"]
mod scratch;

/// One timed read: what it found, in words.
type Read<'a> = dyn Fn() -> Result<String, Box<dyn std::error::Error>> + 'a;

const LINES: usize = 1_000;
const SPANS_PER_LINE: usize = 1_000;
const TOOLS: [&str; 8] =
    ["issue_refund", "send_email", "lookup_order", "update_crm", "search_kb", "create_ticket", "charge_card", "bash"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scratch::Scratch { dir, store, actor, incident } = scratch::scratch("Benchmark: a trace of 1,000,000 steps")?;
    let path = dir.path().join("trace.jsonl");
    let started = Instant::now();
    write_trace(&path)?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "generated {} spans ({:.0} MB of OTLP JSON Lines) in {}",
        LINES * SPANS_PER_LINE,
        mb(size),
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
    println!("baseline, parse the file with serde_json and keep nothing: {} ({})", ms(parse.0), parse.1);
    let options = ImportOptions::default();
    let import = time(|| {
        let i = investigation::import_file(&store, &actor, &incident.id, &path, &options)?;
        Ok(format!("{} steps, {} tool calls, {} failed", i.steps, i.tool_calls, i.failed_tool_calls))
    })?;
    println!(
        "import (copy into evidence, parse, write, digest, one transaction): {} ({}) = {:.1}x the parse alone",
        ms(import.0),
        import.1,
        ratio(import.0, parse.0)
    );

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
    println!(
        "database size: {:.0} MB; peak memory of this process: {}",
        mb(std::fs::metadata(store.path())?.len()),
        peak()
    );
    Ok(())
}

/// OTLP JSON Lines: each line one export of 1,000 spans of one trace (an agent turn, a model call, a tool call…),
/// a millisecond apart; every 50th tool call fails.
fn write_trace(path: &std::path::Path) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let start: u64 = 1_767_261_600_000_000_000;
    for line in 0..LINES {
        write!(
            out,
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"agent-{}"}}}}]}},"scopeSpans":[{{"scope":{{"name":"bench"}},"spans":["#,
            line % 7
        )?;
        for s in 0..SPANS_PER_LINE {
            let n = line * SPANS_PER_LINE + s;
            let at = start + n as u64 * 1_000_000;
            if s > 0 {
                out.write_all(b",")?;
            }
            let (op, extra) = if n % 3 == 0 {
                (
                    "chat",
                    format!(
                        r#",{{"key":"gen_ai.request.model","value":{{"stringValue":"gpt-4o"}}}},{{"key":"gen_ai.usage.input_tokens","value":{{"intValue":"{}"}}}}"#,
                        200 + n % 500
                    ),
                )
            } else {
                let tool = TOOLS[n % TOOLS.len()];
                (
                    "execute_tool",
                    format!(
                        r#",{{"key":"gen_ai.tool.name","value":{{"stringValue":"{tool}"}}}},{{"key":"gen_ai.tool.call.id","value":{{"stringValue":"call_{n}"}}}},{{"key":"gen_ai.tool.call.arguments","value":{{"stringValue":"{{\"order_id\":\"A-{n}\",\"amount\":{}.5}}"}}}}"#,
                        n % 900
                    ),
                )
            };
            let status =
                if n % 3 != 0 && n % 50 == 1 { r#","status":{"code":2,"message":"Gateway timeout"}"# } else { "" };
            write!(
                out,
                r#"{{"traceId":"{:032x}","spanId":"{:016x}","name":"{op}","kind":1,"startTimeUnixNano":"{at}","endTimeUnixNano":"{}","attributes":[{{"key":"gen_ai.operation.name","value":{{"stringValue":"{op}"}}}}{extra}]{status}}}"#,
                line + 1,
                n + 1,
                at + 500_000
            )?;
        }
        out.write_all(b"]}]}]}\n")?;
    }
    out.flush()
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
