//! Times the PDF engine on a large report: a 10,000-row × 7-column table, a 2,000-row table and a 200-row table
//! (about 350 pages). Run with `/usr/bin/time -v cargo run --release -p firebreak-core --example pdf_layout_speed`
//! to see the peak memory too; figures only, nothing is asserted.

use std::time::Instant;

use chrono::TimeZone;
use firebreak_core::pdf::{render, Align, Block, Cell, Column, Document, Furniture, Meta, PageSetup, Row, Span, Table};

fn table(rows: usize, seed: usize) -> Table {
    let columns = vec![
        Column::new("Object", 2.3).mono(),
        Column::new("Kind", 1.4),
        Column::new("Owner", 2.1),
        Column::new("Class", 1.2),
        Column::new("Records", 1.3).right(),
        Column::new("Changed (UTC)", 2.3),
        Column::new("Action taken", 2.2),
    ];
    let owners = ["Zoë Łukasiewicz", "Ελένη Παππά", "Мария Иванова", "Jean-Luc Dupont"];
    let kinds = ["Mailbox", "Document", "Table row", "Object"];
    let rows = (0..rows)
        .map(|i| {
            let n = i + seed;
            let action = if n % 9 == 0 {
                "Recalled; deletion confirmed in writing.".to_string()
            } else {
                "Access revoked".to_string()
            };
            Row {
                cells: vec![
                    Cell::text(format!("{n:06}-{:08x}", n.wrapping_mul(2654435761) as u32)),
                    Cell::text(kinds[n % 4]),
                    Cell::text(owners[n % 4]),
                    Cell::text(if n % 3 == 0 { "Internal" } else { "Secret" }),
                    Cell::text(format!("{}", (n * 37) % 100_000)),
                    Cell::text(format!("2026-12-{:02} {:02}:{:02}", 1 + n % 28, n % 24, n % 60)),
                    Cell::text(action),
                ],
                fill: None,
            }
        })
        .collect();
    Table { columns, rows, size: None }
}

fn main() {
    let started = Instant::now();
    // With contents, so the two-pass layout is part of the figure.
    let mut blocks = vec![
        Block::Title { text: "Affected objects".into(), subtitle: Some("Layout speed check".into()) },
        Block::Contents,
    ];
    for (n, rows) in [(1, 10_000), (2, 2_000), (3, 200)] {
        blocks.push(Block::Heading { level: 1, text: format!("Table {n}"), new_page: true });
        blocks.push(Block::Paragraph {
            spans: vec![Span::plain(format!("{rows} rows."))],
            size: None,
            align: Align::Left,
        });
        blocks.push(Block::Table(table(rows, n * 100_000)));
    }
    let doc = Document {
        meta: Meta {
            title: "Layout speed".into(),
            author: "Firebreak".into(),
            subject: "Speed".into(),
            keywords: vec![],
            created: chrono::Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap(),
            creator: "Firebreak".into(),
        },
        page: PageSetup::default(),
        furniture: Furniture {
            header_left: "AI-INC-2026-1201-001".into(),
            header_right: "CONFIDENTIAL".into(),
            footer_left: "Generated 2026-12-01 10:00 UTC".into(),
            footer_right: "Audit head 3f9a…".into(),
            watermark: None,
        },
        blocks,
    };
    let built = started.elapsed();
    let t = Instant::now();
    let rendered = render(&doc).expect("renders");
    let took = t.elapsed();
    std::fs::write("/tmp/pdf_layout_speed.pdf", &rendered.bytes).expect("writes");
    println!(
        "document built in {:.3} s; rendered {} pages, {} bytes in {:.3} s",
        built.as_secs_f64(),
        rendered.pages,
        rendered.bytes.len(),
        took.as_secs_f64()
    );
}
