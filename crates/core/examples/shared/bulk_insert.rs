//! The import's baseline: the least a program can do to make the same trace searchable in SQLite — read each line
//! with serde_json, take the same fields out of each span, insert one row per span into a table with the steps'
//! columns and an FTS5 index over the same texts (same tokenizer), all in one transaction. No evidence copy, no
//! hashing, no run merging, no secondary indexes, no digest, no audit entry: what Firebreak's import adds is what
//! the ratio measures.

use rusqlite::{params, Connection};
use serde_json::Value;
use std::io::BufRead;

const SCHEMA: &str = "
CREATE TABLE steps (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT, at INTEGER, ended_at INTEGER, agent TEXT, model TEXT,
    tool TEXT, arguments TEXT, result TEXT, is_error INTEGER NOT NULL, error TEXT, input_tokens INTEGER,
    output_tokens INTEGER, source_id TEXT, parent_source_id TEXT, call_id TEXT, line INTEGER NOT NULL
);
CREATE VIRTUAL TABLE steps_search USING fts5(
    tool, name, arguments, result, error, content = 'steps', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER steps_searched AFTER INSERT ON steps BEGIN
    INSERT INTO steps_search (rowid, tool, name, arguments, result, error)
    VALUES (NEW.id, NEW.tool, NEW.name, NEW.arguments, NEW.result, NEW.error);
END;
";

/// Inserts every span of the OTLP JSON Lines file at `trace` into a new database at `db`; returns the rows written.
pub fn run(trace: &std::path::Path, db: &std::path::Path) -> Result<u64, Box<dyn std::error::Error>> {
    let mut conn = Connection::open(db)?;
    conn.execute_batch(SCHEMA)?;
    let tx = conn.transaction()?;
    let mut rows = 0u64;
    {
        let mut insert = tx.prepare(
            "INSERT INTO steps (kind, name, at, ended_at, agent, model, tool, arguments, result, is_error, error, \
             input_tokens, output_tokens, source_id, parent_source_id, call_id, line) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?;
        let mut input = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(trace)?);
        let (mut text, mut line) = (String::new(), 0i64);
        while input.read_line(&mut text)? > 0 {
            line += 1;
            let doc: Value = serde_json::from_str(&text)?;
            text.clear();
            for resource in doc["resourceSpans"].as_array().into_iter().flatten() {
                let agent = attribute(&resource["resource"], "service.name");
                for scope in resource["scopeSpans"].as_array().into_iter().flatten() {
                    for span in scope["spans"].as_array().into_iter().flatten() {
                        let tool = attribute(span, "gen_ai.tool.name");
                        let failed = span["status"]["code"].as_i64() == Some(2);
                        insert.execute(params![
                            if tool.is_some() { "tool_call" } else { "model_call" },
                            span["name"].as_str(),
                            nanos(&span["startTimeUnixNano"]),
                            nanos(&span["endTimeUnixNano"]),
                            agent,
                            attribute(span, "gen_ai.request.model"),
                            tool,
                            attribute(span, "gen_ai.tool.call.arguments")
                                .or_else(|| attribute(span, "gen_ai.input.messages")),
                            attribute(span, "gen_ai.tool.call.result")
                                .or_else(|| attribute(span, "gen_ai.output.messages")),
                            failed,
                            if failed { span["status"]["message"].as_str() } else { None },
                            attribute(span, "gen_ai.usage.input_tokens").and_then(|t| t.parse::<i64>().ok()),
                            attribute(span, "gen_ai.usage.output_tokens").and_then(|t| t.parse::<i64>().ok()),
                            span["spanId"].as_str(),
                            span["parentSpanId"].as_str(),
                            attribute(span, "gen_ai.tool.call.id"),
                            line,
                        ])?;
                        rows += 1;
                    }
                }
            }
        }
    }
    tx.commit()?;
    Ok(rows)
}

/// An attribute's string or integer value, as text.
fn attribute(owner: &Value, key: &str) -> Option<String> {
    let found = owner["attributes"].as_array()?.iter().find(|a| a["key"] == key)?;
    let value = &found["value"];
    value["stringValue"].as_str().or_else(|| value["intValue"].as_str()).map(str::to_string)
}

fn nanos(value: &Value) -> Option<i64> {
    value.as_str().and_then(|t| t.parse().ok())
}
