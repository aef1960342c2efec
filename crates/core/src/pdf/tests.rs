//! What a reader of the PDF relies on, checked through the tools a reader's software uses (`pdftotext`,
//! `pdfinfo`, `qpdf`) and by reading the file back with lopdf.

use std::io::Write as _;
use std::process::Command;

use chrono::TimeZone;

use super::measure::wrap_text;
use super::*;

fn meta() -> Meta {
    Meta {
        title: "Incident report AI-INC-2026-1201-001".into(),
        author: "Zoë Łukasiewicz-Øster".into(),
        subject: "Prompt-injection incident".into(),
        keywords: vec!["incident".into(), "GDPR".into()],
        created: chrono::Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap(),
        creator: "Firebreak 0.1.0".into(),
    }
}

fn furniture() -> Furniture {
    Furniture {
        header_left: "AI-INC-2026-1201-001".into(),
        header_right: "CONFIDENTIAL".into(),
        footer_left: "Generated 2026-12-01 10:00 UTC".into(),
        footer_right: "Audit head 3f9a…".into(),
        watermark: None,
    }
}

fn doc(blocks: Vec<Block>) -> Document {
    Document { meta: meta(), page: PageSetup::default(), furniture: furniture(), blocks }
}

fn para(text: &str) -> Block {
    Block::Paragraph { spans: vec![Span::plain(text)], size: None, align: Align::Left }
}

fn heading(level: u8, text: &str) -> Block {
    Block::Heading { level, text: text.into(), new_page: false }
}

fn render_ok(d: &Document) -> Rendered {
    render(d).expect("the document renders")
}

/// Runs `tool` on the PDF with `args` before the file name and `after` after it, returning stdout.
fn tool(bytes: &[u8], tool: &str, args: &[&str], after: &[&str]) -> (bool, String) {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    file.flush().unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(file.path())
        .args(after)
        .output()
        .unwrap_or_else(|e| panic!("{tool} could not run: {e}"));
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

/// `pdftotext -layout`, one string per page.
fn pages_text(bytes: &[u8]) -> Vec<String> {
    let (ok, text) = tool(bytes, "pdftotext", &["-layout", "-enc", "UTF-8"], &["-"]);
    assert!(ok, "pdftotext failed: {text}");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn raw_text(bytes: &[u8]) -> String {
    let (ok, text) = tool(bytes, "pdftotext", &["-raw", "-enc", "UTF-8"], &["-"]);
    assert!(ok, "pdftotext failed: {text}");
    text
}

fn qpdf_ok(bytes: &[u8]) {
    let (ok, out) = tool(bytes, "qpdf", &["--check"], &[]);
    assert!(ok && out.contains("No syntax or stream encoding errors"), "qpdf --check failed:\n{out}");
}

fn table(columns: Vec<Column>, rows: Vec<Vec<&str>>) -> Table {
    Table {
        columns,
        rows: rows.into_iter().map(|r| Row { cells: r.into_iter().map(Cell::text).collect(), fill: None }).collect(),
        size: None,
    }
}

/// A document with a bit of everything, for looking at.
fn sample() -> Document {
    let mut blocks = vec![
        Block::Title { text: "Incident report AI-INC-2026-1201-001".into(), subtitle: Some("Prompt injection through a support ticket, 1 December 2026".into()) },
        Block::Fields(Fields {
            rows: vec![
                ("Reference".into(), vec![Span::mono("AI-INC-2026-1201-001")]),
                ("Owner".into(), vec![Span::plain("Zoë Łukasiewicz-Øster")]),
                ("Reporter".into(), vec![Span::plain("Ελένη Παπαδοπούλου (Мария Иванова in copy)")]),
                ("Status".into(), vec![Span::bold("Contained"), Span::plain(" since 2026-12-01 14:32 UTC")]),
                ("Summary".into(), vec![Span::plain("A customer-support agent followed instructions hidden in a ticket attachment and sent an internal pricing sheet to an external address. The message was recalled within nine minutes; the recipient confirmed deletion in writing.")]),
            ],
            label_width: 0.25,
        }),
        Block::Note { spans: vec![Span::bold("Notification due. "), Span::plain("The GDPR Article 33 notification to the supervisory authority is due by 2026-12-04 10:00 UTC (72 hours after awareness).")], tone: Tone::Warning },
        Block::Contents,
        Block::Heading { level: 1, text: "Timeline".into(), new_page: true },
        para("Times are UTC. Every entry below is taken from the audit trail; the hash of the last entry is printed in the footer of every page."),
        Block::Figure(Figure {
            height: 120.0,
            shapes: vec![
                Shape::Line { x1: 10.0, y1: 60.0, x2: 485.0, y2: 60.0, color: Rgb::MUTED, width: 1.0, dashed: false },
                Shape::Circle { cx: 40.0, cy: 60.0, r: 5.0, fill: Some(Rgb::BLUE), stroke: None },
                Shape::Circle { cx: 200.0, cy: 60.0, r: 5.0, fill: Some(Rgb::AMBER), stroke: Some((Rgb::BLACK, 0.5)) },
                Shape::Polygon { points: vec![(330.0, 52.0), (338.0, 60.0), (330.0, 68.0), (322.0, 60.0)], fill: Some(Rgb::RED), stroke: None },
                Shape::Rect { x: 420.0, y: 52.0, w: 16.0, h: 16.0, fill: Some(Rgb::GREEN), stroke: None },
                Shape::Line { x1: 200.0, y1: 20.0, x2: 200.0, y2: 100.0, color: Rgb::RED, width: 0.8, dashed: true },
                Shape::Text { x: 40.0, y: 85.0, text: "Detected".into(), face: Face::Regular, size: 8.0, color: Rgb::BLACK, anchor: Anchor::Middle, rotate: 0.0 },
                Shape::Text { x: 200.0, y: 85.0, text: "Contained".into(), face: Face::Bold, size: 8.0, color: Rgb::BLACK, anchor: Anchor::Middle, rotate: 0.0 },
                Shape::Text { x: 330.0, y: 85.0, text: "Notified".into(), face: Face::Italic, size: 8.0, color: Rgb::BLACK, anchor: Anchor::Middle, rotate: 0.0 },
                Shape::Text { x: 428.0, y: 40.0, text: "Closed".into(), face: Face::Regular, size: 8.0, color: Rgb::BLACK, anchor: Anchor::Start, rotate: 45.0 },
                Shape::Text { x: 485.0, y: 110.0, text: "end →".into(), face: Face::Mono, size: 7.0, color: Rgb::MUTED, anchor: Anchor::End, rotate: 0.0 },
            ],
            caption: Some("Figure 1. The incident from detection to closure".into()),
        }),
        Block::Heading { level: 2, text: "Detection".into(), new_page: false },
        para("The anomaly detector flagged an outbound e-mail with an attachment classified Internal at 09:12. The on-call analyst opened the incident at 09:20."),
        Block::Heading { level: 2, text: "Containment".into(), new_page: false },
        Block::Paragraph { spans: vec![Span::plain("The agent's e-mail tool was disabled at 09:31 and the message recalled at 09:40. "), Span::italic("No further messages were sent."), Span::plain(" A literal <img src=x onerror=alert(1)> stays text.")], size: None, align: Align::Left },
        Block::Heading { level: 1, text: "Affected objects".into(), new_page: false },
    ];
    let mut t = Table {
        columns: vec![
            Column::new("Object", 2.0).mono(),
            Column::new("Kind", 1.2),
            Column::new("Owner", 2.0),
            Column::new("Records", 1.0).right(),
            Column::new("Action taken", 3.0),
        ],
        rows: Vec::new(),
        size: None,
    };
    for i in 0..60 {
        let cells = vec![
            Cell::text(format!("obj-{i:04}-7f3a")),
            Cell::text(if i % 3 == 0 { "Mailbox" } else { "Document" }),
            Cell::text(if i % 2 == 0 { "Zoë Łukasiewicz-Øster" } else { "Ελένη Παπαδοπούλου" }),
            Cell::text(format!("{}", (i * 37) % 1000)),
            Cell::text(if i % 7 == 0 {
                "Recalled, recipient confirmed deletion in writing; legal informed and the DPO consulted about notification."
            } else {
                "Access revoked"
            }),
        ];
        t.rows.push(Row { cells, fill: if i % 11 == 5 { Some(Rgb(1.0, 0.93, 0.85)) } else { None } });
    }
    blocks.push(Block::Table(t));
    blocks.push(Block::Heading { level: 1, text: "Decisions".into(), new_page: false });
    blocks.push(Block::Heading { level: 2, text: "Notification".into(), new_page: false });
    blocks.push(Block::Note {
        spans: vec![Span::plain("Danger: the supplementary report is late.")],
        tone: Tone::Danger,
    });
    blocks
        .push(Block::Note { spans: vec![Span::plain("Info: the regulator acknowledged receipt.")], tone: Tone::Info });
    blocks.push(Block::Note {
        spans: vec![Span::plain("Success: the affected customer was informed.")],
        tone: Tone::Success,
    });
    blocks.push(Block::Heading { level: 3, text: "Reasoning".into(), new_page: false });
    blocks.push(Block::Paragraph {
        spans: vec![Span::plain("Right-aligned closing remark.")],
        size: None,
        align: Align::Right,
    });
    blocks.push(Block::Paragraph {
        spans: vec![Span::plain("Centred closing remark.")],
        size: None,
        align: Align::Center,
    });
    Document {
        meta: meta(),
        page: PageSetup::default(),
        furniture: Furniture { watermark: Some("DRAFT".into()), ..furniture() },
        blocks,
    }
}

fn filler(words: usize, seed: usize) -> String {
    const W: [&str; 12] = [
        "the",
        "agent",
        "followed",
        "hidden",
        "instructions",
        "and",
        "sent",
        "a",
        "pricing",
        "sheet",
        "outside",
        "today",
    ];
    (0..words).map(|i| W[(i * 7 + seed) % W.len()]).collect::<Vec<_>>().join(" ")
}

fn sha_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn names_with_diacritics_greek_and_cyrillic_come_out_intact() {
    let names = ["Zoë Łukasiewicz-Øster", "Ελένη Παπαδοπούλου", "Мария Иванова", "Ærøskøbing Šťastný Ğüneş"];
    let mut blocks = vec![heading(1, names[0])];
    for n in names {
        blocks.push(para(&format!("Owner: {n}.")));
    }
    blocks
        .push(Block::Fields(Fields { rows: vec![("Reporter".into(), vec![Span::plain(names[1])])], label_width: 0.3 }));
    blocks.push(Block::Table(table(
        vec![Column::new("Name", 1.0), Column::new("Mono", 1.0).mono(), Column::new("Bold", 1.0)],
        names.iter().map(|n| vec![*n, *n, *n]).collect(),
    )));
    let r = render_ok(&doc(blocks));
    let text = pages_text(&r.bytes).join("\n");
    for n in names {
        assert!(text.matches(n).count() >= 4, "{n} is not intact in:\n{text}");
    }
    qpdf_ok(&r.bytes);
}

#[test]
fn every_page_says_page_n_of_m() {
    let blocks: Vec<Block> = (0..60).map(|i| para(&filler(120, i))).collect();
    let r = render_ok(&doc(blocks));
    let pages = pages_text(&r.bytes);
    assert!(r.pages >= 5, "expected several pages, got {}", r.pages);
    assert_eq!(pages.len(), r.pages);
    for (i, p) in pages.iter().enumerate() {
        let label = format!("Page {} of {}", i + 1, r.pages);
        assert!(p.contains(&label), "page {} lacks {label:?}:\n{p}", i + 1);
        assert!(p.contains("AI-INC-2026-1201-001") && p.contains("CONFIDENTIAL"), "page {} lacks the header", i + 1);
        assert!(p.contains("Generated 2026-12-01 10:00 UTC") && p.contains("Audit head 3f9a…"));
    }
}

#[test]
fn a_300_row_table_repeats_its_header_and_shows_every_row_once() {
    let rows: Vec<Vec<String>> =
        (0..300).map(|i| vec![format!("REF-{i:04}-END"), format!("Owner {}", i % 7), format!("{}", i * 13)]).collect();
    let t = Table {
        columns: vec![
            Column::new("Reference", 2.0).mono(),
            Column::new("Responsible", 2.0),
            Column::new("Count", 1.0).right(),
        ],
        rows: rows.iter().map(|r| Row { cells: r.iter().map(Cell::text).collect(), fill: None }).collect(),
        size: None,
    };
    let r = render_ok(&doc(vec![heading(1, "Objects"), para("All affected objects."), Block::Table(t)]));
    let pages = pages_text(&r.bytes);
    let all = pages.join("\n");
    let mut spanned = 0;
    for p in &pages {
        if !p.contains("REF-") {
            continue;
        }
        spanned += 1;
        let header = p.lines().find(|l| l.contains("Reference")).unwrap_or_else(|| panic!("no header on:\n{p}"));
        assert!(header.contains("Responsible") && header.contains("Count"), "header line {header:?}");
        // The header comes before the first row on the page.
        assert!(p.find("Reference").unwrap() < p.find("REF-").unwrap());
    }
    assert!(spanned >= 3, "the table should span several pages, spanned {spanned}");
    let mut last = 0;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(all.matches(&row[0]).count(), 1, "row {i} appears {} times", all.matches(&row[0]).count());
        let at = all.find(&row[0]).unwrap();
        assert!(at > last || i == 0, "row {i} is out of order");
        last = at;
    }
    qpdf_ok(&r.bytes);
}

#[test]
fn a_3000_word_cell_is_never_lost_across_pages() {
    let words: Vec<String> = (0..3000).map(|i| format!("w{i:04}")).collect();
    let t = Table {
        columns: vec![Column::new("Item", 1.0), Column::new("Notes", 2.0), Column::new("Owner", 1.0)],
        rows: vec![
            Row { cells: vec![Cell::text("first"), Cell::text("short"), Cell::text("Zoë")], fill: None },
            Row {
                cells: vec![Cell::text("huge"), Cell::text(words.join(" ")), Cell::text("Ελένη")],
                fill: Some(Rgb::SHADE),
            },
            Row { cells: vec![Cell::text("after"), Cell::text("short too"), Cell::text("Мария")], fill: None },
        ],
        size: None,
    };
    let r = render_ok(&doc(vec![para("Before the table."), Block::Table(t)]));
    let raw = raw_text(&r.bytes);
    let found: Vec<&str> = raw
        .split_whitespace()
        .filter(|w| w.len() == 5 && w.starts_with('w') && w[1..].bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert_eq!(found.len(), 3000, "words lost or doubled");
    assert!(found.iter().zip(&words).all(|(a, b)| a == b), "words out of order");
    let pages = pages_text(&r.bytes);
    let spanned: Vec<&String> = pages.iter().filter(|p| p.contains("w1")).collect();
    assert!(spanned.len() >= 3);
    for p in spanned {
        assert!(
            p.lines().any(|l| l.contains("Item") && l.contains("Notes") && l.contains("Owner")),
            "no header on:\n{p}"
        );
    }
    assert!(raw.contains("after") && raw.contains("short too"));
    qpdf_ok(&r.bytes);
}

#[test]
fn a_word_longer_than_the_line_breaks_and_joins_back_intact() {
    let word: String = (0..60).map(|i| format!("{:02}abcdefgh", i)).collect();
    let narrow = Table {
        columns: vec![Column::new("Hash", 1.0).mono(), Column::new("Wide", 4.0)],
        rows: vec![Row { cells: vec![Cell::text(&word), Cell::text("x")], fill: None }],
        size: None,
    };
    let r = render_ok(&doc(vec![para(&format!("Hash: {word} end.")), Block::Table(narrow)]));
    let raw = raw_text(&r.bytes);
    let joined: String = raw.split_whitespace().collect();
    assert_eq!(joined.matches(&word).count(), 2, "the long word is not intact twice in:\n{raw}");
    // It really was broken: no single line holds it.
    assert!(!raw.lines().any(|l| l.contains(&word)));
    // Every piece of the paragraph line fits within the body.
    for line in wrap_text(&format!("Hash: {word} end."), Face::Regular, None, 9.5, 495.0) {
        assert!(line.width(9.5) <= 495.0 + 1e-3);
    }
}

#[test]
fn markup_prints_literally() {
    let r = render_ok(&doc(vec![
        para("<img src=x onerror=alert(1)>"),
        Block::Table(table(vec![Column::new("<b>Header</b>", 1.0)], vec![vec!["<script>alert('x')</script>"]])),
    ]));
    let text = pages_text(&r.bytes).join("\n");
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    assert!(text.contains("<b>Header</b>") && text.contains("<script>alert('x')</script>"));
}

#[test]
fn control_characters_and_bidi_overrides_come_out_escaped() {
    let r = render_ok(&Document {
        meta: Meta { title: "Title\u{1B}[2J with escape".into(), ..meta() },
        furniture: Furniture { header_left: "head\u{202E}er".into(), ..furniture() },
        ..doc(vec![
            para("bell\u{7}esc\u{1B}[31mred nul\u{0}x rlo\u{202E}txt del\u{7F}y c1\u{85}z lri\u{2066}q"),
            para("tab\there\r\nnext\rline"),
        ])
    });
    let text = pages_text(&r.bytes).join("\n");
    for shown in [
        "bell\\x07esc\\x1B[31mred",
        "nul\\x00x",
        "rlo\\u{202E}txt",
        "del\\x7Fy",
        "c1\\x85z",
        "lri\\u{2066}q",
        "head\\u{202E}er",
    ] {
        assert!(text.contains(shown), "{shown:?} missing in:\n{text}");
    }
    // (pdftotext shows the four spaces of a tab as one.)
    assert!(text.contains("tab here"), "{text}");
    assert_eq!(super::clean::clean("a\tb\r\nc\rd", Face::Regular), "a    b\nc\nd");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert!(lines.contains(&"next") && lines.contains(&"line"), "\\r did not break the line:\n{text}");
    assert!(!text.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{1B}' | '\u{7F}'..='\u{9F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')));
    let (_, info) = tool(&r.bytes, "pdfinfo", &[], &[]);
    assert!(info.contains("Title\\x1B[2J with escape"), "{info}");
}

#[test]
fn characters_the_font_lacks_become_the_replacement_character() {
    let r = render_ok(&doc(vec![para("rocket 🚀 kanji 漢字 ok")]));
    let text = pages_text(&r.bytes).join("\n");
    assert!(text.contains("rocket \u{FFFD} kanji \u{FFFD}\u{FFFD} ok"), "{text}");
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let d = sample();
    let a = render_ok(&d);
    let b = render_ok(&d);
    assert!(a.bytes == b.bytes, "two renders differ");
    // The /ID is a hash of the content, not zeros and not random.
    let tail = String::from_utf8_lossy(&a.bytes[a.bytes.len().saturating_sub(400)..]).into_owned();
    assert!(tail.contains("/ID") && !tail.contains(&"0".repeat(32)), "{tail}");
    let other = render_ok(&Document { meta: Meta { title: "Another".into(), ..meta() }, ..d });
    assert_ne!(sha_hex(&a.bytes), sha_hex(&other.bytes));
}

/// Prints the sample's digest; run by `the_same_document_gives_the_same_bytes_in_another_process`.
#[test]
#[ignore]
fn digest_of_sample() {
    println!("DIGEST={}", sha_hex(&render_ok(&sample()).bytes));
}

#[test]
fn the_same_document_gives_the_same_bytes_in_another_process() {
    let here = sha_hex(&render_ok(&sample()).bytes);
    let exe = std::env::current_exe().unwrap();
    for _ in 0..2 {
        let out = Command::new(&exe)
            .args(["--exact", "pdf::tests::digest_of_sample", "--ignored", "--nocapture", "--test-threads=1"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let there = stdout.split("DIGEST=").nth(1).map(|d| &d[..64.min(d.len())]);
        assert_eq!(there, Some(here.as_str()), "{stdout}");
    }
}

#[test]
fn pdfinfo_shows_the_metadata() {
    let d = Document {
        meta: Meta {
            title: "Rapport d’incident — Ελένη".into(),
            keywords: vec!["GDPR".into(), "NIS2".into()],
            ..meta()
        },
        ..doc(vec![para("Body.")])
    };
    let r = render_ok(&d);
    let (ok, info) = tool(&r.bytes, "pdfinfo", &["-isodates"], &[]);
    assert!(ok, "{info}");
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| panic!("pdfinfo has no {name}:\n{info}"))
    };
    assert_eq!(field("Title"), "Rapport d’incident — Ελένη");
    assert_eq!(field("Author"), "Zoë Łukasiewicz-Øster");
    assert_eq!(field("Subject"), "Prompt-injection incident");
    assert_eq!(field("Keywords"), "GDPR, NIS2");
    assert_eq!(field("Creator"), "Firebreak 0.1.0");
    assert!(field("Producer").starts_with("Firebreak PDF engine"));
    for date in ["CreationDate", "ModDate"] {
        assert!(["2026-12-01T10:00:00Z", "2026-12-01T10:00:00+00"].contains(&field(date).as_str()), "{info}");
    }
    assert_eq!(field("Pages"), "1");
    assert!(!info.contains("PDF/A") && !info.contains("PDF/X"));
}

#[test]
fn fonts_are_embedded_and_subset() {
    let r = render_ok(&sample());
    let (ok, fonts) = tool(&r.bytes, "pdffonts", &[], &[]);
    assert!(ok, "{fonts}");
    let rows: Vec<&str> = fonts.lines().filter(|l| l.contains("DejaVu")).collect();
    assert_eq!(rows.len(), 4, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+', "no subset tag: {row}");
        assert!(row.contains("Identity-H") && row.contains(" yes yes yes "), "not embedded, subset and mapped: {row}");
    }
    assert!(r.bytes.len() < 200_000, "fonts are not subset: {} bytes", r.bytes.len());
}

/// An outline entry read back: title, page number and the children's titles and pages.
type Entry = (String, u32, Vec<(String, u32)>);

/// Reads the outline back, in order.
fn outline_of(bytes: &[u8]) -> Vec<Entry> {
    let pdf = lopdf::Document::load_mem(bytes).expect("lopdf reads the PDF");
    let pages: std::collections::BTreeMap<lopdf::ObjectId, u32> =
        pdf.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let decode = |o: &lopdf::Object| -> String {
        let b = o.as_str().unwrap();
        if b.starts_with(&[0xFE, 0xFF]) {
            let units: Vec<u16> = b[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).unwrap()
        } else {
            String::from_utf8(b.to_vec()).unwrap()
        }
    };
    let dict = |id: lopdf::ObjectId| pdf.get_object(id).unwrap().as_dict().unwrap().clone();
    let page_of = |d: &lopdf::Dictionary| {
        let dest = d.get(b"Dest").unwrap().as_array().unwrap();
        pages[&dest[0].as_reference().unwrap()]
    };
    let siblings = |first: Option<lopdf::ObjectId>| {
        let mut out = Vec::new();
        let mut at = first;
        while let Some(id) = at {
            let d = dict(id);
            out.push(d.clone());
            at = d.get(b"Next").ok().map(|n| n.as_reference().unwrap());
        }
        out
    };
    let catalog = pdf.catalog().unwrap();
    let root = dict(catalog.get(b"Outlines").unwrap().as_reference().unwrap());
    siblings(root.get(b"First").ok().map(|f| f.as_reference().unwrap()))
        .into_iter()
        .map(|d| {
            let kids = siblings(d.get(b"First").ok().map(|f| f.as_reference().unwrap()))
                .into_iter()
                .map(|k| (decode(k.get(b"Title").unwrap()), page_of(&k)))
                .collect();
            (decode(d.get(b"Title").unwrap()), page_of(&d), kids)
        })
        .collect()
}

#[test]
fn the_outline_nests_level_two_under_level_one_in_document_order() {
    let r = render_ok(&sample());
    let outline = outline_of(&r.bytes);
    let shape: Vec<(&str, Vec<&str>)> =
        outline.iter().map(|(t, _, kids)| (t.as_str(), kids.iter().map(|k| k.0.as_str()).collect())).collect();
    assert_eq!(
        shape,
        vec![
            ("Timeline", vec!["Detection", "Containment"]),
            ("Affected objects", vec![]),
            ("Decisions", vec!["Notification"])
        ]
    );
    // Each entry points at the page its heading is on.
    let pages = pages_text(&r.bytes);
    // (The contents on page 1 lists the same titles; the heading itself is the last occurrence.)
    let on_page = |title: &str| -> u32 {
        pages.iter().rposition(|p| p.lines().any(|l| l.trim() == title)).map(|i| i as u32 + 1).unwrap()
    };
    for (title, page, kids) in &outline {
        assert_eq!(*page, on_page(title), "{title}");
        for (k, kp) in kids {
            assert_eq!(*kp, on_page(k), "{k}");
        }
    }
    // A level 2 before any level 1 stands at the top; the order is the document's, not the pages' or names'.
    let r =
        render_ok(&doc(vec![heading(2, "Zulu first"), heading(1, "Bravo"), heading(2, "Alpha"), heading(1, "Able")]));
    let shape: Vec<(String, Vec<String>)> =
        outline_of(&r.bytes).into_iter().map(|(t, _, k)| (t, k.into_iter().map(|k| k.0).collect())).collect();
    assert_eq!(
        shape,
        vec![
            ("Zulu first".to_string(), vec![]),
            ("Bravo".to_string(), vec!["Alpha".to_string()]),
            ("Able".to_string(), vec![])
        ]
    );
}

#[test]
fn contents_page_numbers_match_where_the_headings_land() {
    let mut blocks = vec![Block::Title { text: "Report".into(), subtitle: None }, Block::Contents];
    let titles = ["Section Alpha", "Part Bravo", "Chapter Charlie", "Annex Delta", "Appendix Echo"];
    for (i, t) in titles.iter().enumerate() {
        blocks.push(Block::Heading { level: 1 + (i % 2) as u8, text: (*t).into(), new_page: i == 3 });
        for k in 0..(i * 5 + 3) {
            blocks.push(para(&filler(90, k + i)));
        }
    }
    blocks.push(heading(3, "Level three is not listed"));
    let r = render_ok(&doc(blocks));
    let pages = pages_text(&r.bytes);
    for t in titles {
        let entry =
            pages[0].lines().find(|l| l.trim_start().starts_with(t)).unwrap_or_else(|| panic!("{t} not in contents"));
        let listed: usize = entry.split_whitespace().last().unwrap().parse().unwrap();
        // The heading's own line holds nothing else (the contents line ends with the number).
        let landed = pages.iter().position(|p| p.lines().any(|l| l.trim() == t)).unwrap() + 1;
        assert_eq!(listed, landed, "{t}");
    }
    assert!(!pages[0].contains("Level three"));
    // The entries link to their pages.
    let pdf = lopdf::Document::load_mem(&r.bytes).unwrap();
    let first = pdf.get_pages()[&1];
    let annots = pdf.get_dictionary(first).unwrap().get(b"Annots").unwrap().as_array().unwrap().len();
    assert_eq!(annots, titles.len());
}

#[test]
fn fit_cuts_at_a_word_and_the_marker_fits() {
    let marker = " … continued in the full report";
    let text = filler(300, 3);
    let (cut, was_cut) = fit(&text, Face::Regular, 9.5, 300.0, 3, marker);
    assert!(was_cut);
    let kept = cut.strip_suffix(marker).expect("ends with the marker");
    assert!(text.starts_with(kept) && text[kept.len()..].starts_with(' '), "not cut at a word: {kept:?}");
    let lines = wrap_text(&cut, Face::Regular, None, 9.5, 300.0);
    assert!(lines.len() <= 3, "{} lines", lines.len());
    // As much as possible was kept: one more word would not fit.
    let next = text[kept.len() + 1..].split(' ').next().unwrap();
    let more = format!("{kept} {next}{marker}");
    assert!(wrap_text(&more, Face::Regular, None, 9.5, 300.0).len() > 3);
    // A text that fits comes back whole.
    assert_eq!(fit("Short text.", Face::Bold, 9.5, 300.0, 1, marker), ("Short text.".to_string(), false));
    // Degenerate requests do not panic and keep their promise.
    let (none, cut0) = fit(&text, Face::Regular, 9.5, 300.0, 0, marker);
    assert!(cut0 && none.is_empty());
    let (tiny, _) = fit(&text, Face::Mono, 9.5, 40.0, 2, marker);
    assert!(wrap_text(&tiny, Face::Mono, None, 9.5, 40.0).len() <= 2);
    let (word, _) = fit(&"x".repeat(5000), Face::Regular, 9.5, 300.0, 2, marker);
    assert!(word.ends_with(marker) && word.starts_with('x'));
}

#[test]
fn text_width_is_what_the_pdf_draws() {
    // The widths array of the embedded font gives the same advance as text_width.
    let sample_text = "Zoë Łukasiewicz-Øster Ελένη 0123";
    let r = render_ok(&doc(vec![para(sample_text)]));
    let pdf = lopdf::Document::load_mem(&r.bytes).unwrap();
    let mut widths = std::collections::BTreeMap::new();
    for (_, obj) in pdf.objects.iter() {
        let Ok(font) = obj.as_dict() else { continue };
        if font.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        let d = font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0].as_dict().unwrap();
        if !d.get(b"BaseFont").unwrap().as_name().unwrap().ends_with(b"+DejaVuSans") {
            continue;
        }
        let w = d.get(b"W").unwrap().as_array().unwrap();
        for pair in w.chunks(2) {
            let first = pair[0].as_i64().unwrap();
            for (k, v) in pair[1].as_array().unwrap().iter().enumerate() {
                widths.insert(first + k as i64, v.as_i64().unwrap());
            }
        }
    }
    let font = fonts::font(Face::Regular).unwrap();
    let from_pdf: i64 = sample_text.chars().map(|c| widths[&(font.glyph(c).unwrap() as i64)]).sum();
    let size = 9.5;
    let expected = from_pdf as f32 * size / 1000.0;
    assert!((text_width(sample_text, Face::Regular, size) - expected).abs() < 1e-4);
}

#[test]
fn right_aligned_cells_end_exactly_on_their_edge() {
    let numbers = ["1", "22", "333", "4444", "55555", "1,234,567.89", "ΩΩΩ"];
    let t = table(
        vec![Column::new("Item", 3.0), Column::new("Amount", 1.0).right()],
        numbers.iter().map(|n| vec!["x", *n]).collect(),
    );
    let r = render_ok(&doc(vec![Block::Table(t)]));
    let (ok, html) = tool(&r.bytes, "pdftotext", &["-bbox"], &["-"]);
    assert!(ok);
    let g = PageSetup::default().geometry();
    let size = 9.5 * 0.9;
    let edge = g.left + g.width - 0.45 * size;
    for n in numbers {
        let needle = format!(">{n}</word>");
        let line = html.lines().find(|l| l.contains(&needle)).unwrap_or_else(|| panic!("{n} not found"));
        let x_max: f32 = line.split("xMax=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!((x_max - edge).abs() < 0.02, "{n} ends at {x_max}, the edge is {edge}");
    }
}

#[test]
fn a_heading_is_never_the_last_thing_on_a_page() {
    let mut blocks = Vec::new();
    for s in 0..70 {
        blocks.push(para(&filler(14 * (1 + (s * 5) % 9), s)));
        blocks.push(heading(1 + (s % 3) as u8, &format!("Heading number {s}")));
        if s % 4 == 0 {
            blocks.push(heading(3, &format!("Subheading number {s}")));
        }
        match s % 3 {
            0 => blocks.push(para(&format!("Body after heading {s}: {}", filler(40, s)))),
            1 => blocks.push(Block::Table(table(
                vec![Column::new("Col", 1.0)],
                vec![vec![&format!("Body after heading {s}")]],
            ))),
            _ => blocks
                .push(Block::Note { spans: vec![Span::plain(format!("Body after heading {s}"))], tone: Tone::Info }),
        }
    }
    let r = render_ok(&doc(blocks));
    let pages = pages_text(&r.bytes);
    for s in 0..70 {
        let h = format!("Heading number {s}");
        let p = pages.iter().find(|p| p.lines().any(|l| l.trim() == h)).unwrap_or_else(|| panic!("{h} missing"));
        assert!(p.contains(&format!("Body after heading {s}")), "{h} is stranded at the bottom of its page:\n{p}");
    }
}

#[test]
fn a_figure_moves_whole_to_the_next_page_with_its_caption() {
    let fig = Figure {
        height: 300.0,
        shapes: vec![
            Shape::Rect { x: 0.0, y: 0.0, w: 100.0, h: 300.0, fill: Some(Rgb::SHADE), stroke: Some((Rgb::BLACK, 1.0)) },
            Shape::Text {
                x: 10.0,
                y: 20.0,
                text: "FIGURE-TOP".into(),
                face: Face::Bold,
                size: 9.0,
                color: Rgb::BLACK,
                anchor: Anchor::Start,
                rotate: 0.0,
            },
            Shape::Text {
                x: 10.0,
                y: 290.0,
                text: "FIGURE-BOTTOM".into(),
                face: Face::Bold,
                size: 9.0,
                color: Rgb::BLACK,
                anchor: Anchor::Start,
                rotate: 0.0,
            },
        ],
        caption: Some("Figure 9. A tall one".into()),
    };
    let blocks: Vec<Block> = (0..6).map(|i| para(&filler(110, i))).chain([Block::Figure(fig.clone())]).collect();
    let r = render_ok(&doc(blocks));
    let pages = pages_text(&r.bytes);
    let p = pages.iter().position(|p| p.contains("FIGURE-TOP")).unwrap();
    assert!(pages[p].contains("FIGURE-BOTTOM") && pages[p].contains("Figure 9. A tall one"));
    assert!(p > 0, "the figure should have moved to a fresh page");
    // A figure taller than a page is scaled to fit, not split or cut.
    let giant = Figure { height: 3000.0, ..fig };
    let r = render_ok(&doc(vec![Block::Figure(giant)]));
    let pages = pages_text(&r.bytes);
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contains("FIGURE-TOP") && pages[0].contains("Figure 9. A tall one"));
}

#[test]
fn the_header_and_footer_never_overlap_the_body() {
    for margin in [f32::NAN, -5.0, 0.0, 10.0, 30.0, 50.0, 120.0, 5000.0] {
        for body in [6.0, 9.5, 14.0, 24.0, f32::NAN] {
            let g = PageSetup { margin, body_size: body, ..PageSetup::default() }.geometry();
            assert!(g.header_baseline() - g.small > 0.0, "header off the page for {margin}/{body}");
            assert!(g.header_rule() <= g.top - 4.0, "header over the body for {margin}/{body}: {g:?}");
            assert!(g.footer_baseline() - g.small >= g.bottom + 4.0, "footer over the body for {margin}/{body}: {g:?}");
            assert!(g.footer_baseline() < g.page_h);
            assert!(g.width > 100.0 && g.height() > 100.0, "{g:?}");
        }
    }
    let setup = PageSetup::default();
    assert_eq!(setup.page_size(), (595.2756, 841.8898));
    assert!((setup.content_width() - (595.2756 - 100.0)).abs() < 1e-3);
    assert!((setup.content_height() - (841.8898 - 100.0)).abs() < 1e-3);
    let landscape = PageSetup { orientation: Orientation::Landscape, ..setup };
    assert_eq!(landscape.page_size(), (841.8898, 595.2756));
}

#[test]
fn odd_input_renders_without_panicking_and_passes_qpdf() {
    let nan = f32::NAN;
    let huge_word = "z".repeat(100_000);
    let mut cases: Vec<Document> = vec![
        doc(vec![]),
        doc(vec![Block::Table(Table { columns: vec![], rows: vec![], size: None })]),
        doc(vec![Block::Table(Table { columns: vec![Column::new("Only a header", 1.0)], rows: vec![], size: None })]),
        doc(vec![Block::Table(table(
            vec![Column::new("A", 0.0), Column::new("B", 0.0), Column::new("C", nan)],
            vec![vec!["1", "2", "3", "extra cell"]],
        ))]),
        doc(vec![Block::Table(table(
            vec![Column::new("A", -3.0), Column::new("B", f32::INFINITY), Column::new("C", 1e38)],
            vec![vec!["1", "2", "3"]],
        ))]),
        doc(vec![Block::Table(Table {
            columns: vec![],
            rows: vec![Row { cells: vec![Cell::text("no columns")], fill: None }],
            size: Some(nan),
        })]),
        doc(vec![Block::Table(table(
            (0..200).map(|i| Column::new(format!("c{i}"), 1.0)).collect(),
            vec![vec!["wide"; 200]],
        ))]),
        doc(vec![
            para(&huge_word),
            Block::Table(table(vec![Column::new("A", 1.0), Column::new("B", 0.0)], vec![vec![&huge_word, &huge_word]])),
        ]),
        doc(vec![
            Block::Paragraph { spans: vec![], size: Some(0.0), align: Align::Right },
            Block::Note { spans: vec![], tone: Tone::Danger },
        ]),
        doc(vec![Block::Fields(Fields {
            rows: vec![("".into(), vec![]), (huge_word.clone(), vec![Span::plain("v")])],
            label_width: nan,
        })]),
        doc(vec![
            Block::Spacer(nan),
            Block::Spacer(-10.0),
            Block::Spacer(f32::INFINITY),
            Block::Spacer(1e9),
            Block::PageBreak,
            Block::PageBreak,
        ]),
        doc(vec![
            Block::Heading { level: 0, text: "".into(), new_page: true },
            Block::Heading { level: 200, text: "x".into(), new_page: true },
            Block::Contents,
            Block::Contents,
        ]),
        doc(vec![Block::Figure(Figure {
            height: nan,
            shapes: vec![Shape::Circle { cx: nan, cy: -1.0, r: nan, fill: Some(Rgb(nan, 2.0, -1.0)), stroke: None }],
            caption: Some("\u{0}".into()),
        })]),
        doc(vec![Block::Figure(Figure {
            height: 100.0,
            shapes: vec![
                Shape::Rect {
                    x: nan,
                    y: -50.0,
                    w: -20.0,
                    h: f32::INFINITY,
                    fill: Some(Rgb::RED),
                    stroke: Some((Rgb::BLUE, nan)),
                },
                Shape::Line { x1: -1e30, y1: 1e30, x2: nan, y2: 0.0, color: Rgb::BLACK, width: -1.0, dashed: true },
                Shape::Polygon { points: vec![], fill: Some(Rgb::RED), stroke: None },
                Shape::Polygon {
                    points: vec![(nan, nan), (1.0, 1.0), (f32::INFINITY, 0.0)],
                    fill: None,
                    stroke: Some((Rgb::RED, 1.0)),
                },
                Shape::Circle { cx: 10.0, cy: 10.0, r: -5.0, fill: None, stroke: Some((Rgb::RED, 1.0)) },
                Shape::Text {
                    x: nan,
                    y: nan,
                    text: "\u{202E}rot\u{1B}".into(),
                    face: Face::Mono,
                    size: nan,
                    color: Rgb::BLACK,
                    anchor: Anchor::End,
                    rotate: nan,
                },
                Shape::Text {
                    x: 10.0,
                    y: 10.0,
                    text: "".into(),
                    face: Face::Bold,
                    size: -4.0,
                    color: Rgb::BLACK,
                    anchor: Anchor::Middle,
                    rotate: 1e9,
                },
            ],
            caption: None,
        })]),
        doc(vec![Block::Figure(Figure { height: -5.0, shapes: vec![], caption: Some(filler(3000, 1)) })]),
        Document {
            meta: Meta {
                title: "\u{0}\u{FFFF}".into(),
                author: "".into(),
                subject: huge_word.clone(),
                keywords: vec!["".into(), "\n".into()],
                ..meta()
            },
            page: PageSetup { orientation: Orientation::Landscape, margin: nan, body_size: nan },
            furniture: Furniture {
                header_left: huge_word.clone(),
                header_right: huge_word.clone(),
                footer_left: "\u{202E}".repeat(100),
                footer_right: huge_word.clone(),
                watermark: Some(huge_word.clone()),
            },
            blocks: vec![
                para("body"),
                Block::Paragraph { spans: vec![Span::plain("big")], size: Some(1e9), align: Align::Center },
            ],
        },
        Document { page: PageSetup { margin: 1e9, body_size: 1e9, ..PageSetup::default() }, ..doc(vec![para("x")]) },
        Document { page: PageSetup { margin: 0.0, body_size: 0.0001, ..PageSetup::default() }, ..doc(vec![para("x")]) },
        doc(vec![para("\u{0}\u{1}\u{2}\r\r\n\n\t\u{85}\u{FEFF}\u{200B}\u{2028}\u{2029}\u{E000}\u{10FFFF}")]),
    ];
    cases.push(doc(vec![Block::Note { spans: vec![Span::plain(filler(6000, 2))], tone: Tone::Warning }]));
    for (i, d) in cases.iter().enumerate() {
        let r = render(d).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert!(r.pages >= 1, "case {i}");
        qpdf_ok(&r.bytes);
    }
}

#[test]
fn a_10_megabyte_string_renders() {
    let big = filler(1_800_000, 0);
    assert!(big.len() >= 10_000_000);
    let r = render_ok(&doc(vec![para(&big[..10_000_000])]));
    assert!(r.pages > 1000);
    let (cut, was_cut) = fit(&big, Face::Regular, 9.5, 300.0, 3, " …");
    assert!(was_cut && cut.len() < 1000);
    assert!(text_width(&big[..1_000_000], Face::Regular, 9.5) > 0.0);
}

#[test]
fn field_rows_and_notes_split_across_pages_without_losing_text() {
    let words: Vec<String> = (0..2500).map(|i| format!("v{i:04}")).collect();
    let notes: Vec<String> = (0..2500).map(|i| format!("n{i:04}")).collect();
    let r = render_ok(&doc(vec![
        Block::Fields(Fields {
            rows: vec![
                ("Short".into(), vec![Span::plain("before")]),
                ("Long value".into(), vec![Span::plain(words.join(" "))]),
                ("After".into(), vec![Span::plain("the end")]),
            ],
            label_width: 0.3,
        }),
        Block::Note { spans: vec![Span::plain(notes.join(" "))], tone: Tone::Warning },
    ]));
    let raw = raw_text(&r.bytes);
    for (prefix, expected) in [('v', &words), ('n', &notes)] {
        let found: Vec<&str> = raw
            .split_whitespace()
            .filter(|w| w.len() == 5 && w.starts_with(prefix) && w[1..].bytes().all(|b| b.is_ascii_digit()))
            .collect();
        assert_eq!(found.len(), expected.len(), "{prefix}-words lost or doubled");
        assert!(found.iter().zip(expected.iter()).all(|(a, b)| a == b), "{prefix}-words out of order");
    }
    assert!(raw.contains("the end") && raw.contains("before"));
    assert!(r.pages >= 4);
    qpdf_ok(&r.bytes);
}

#[test]
fn the_watermark_is_behind_the_body_on_every_page() {
    let mut d = sample();
    d.furniture.watermark = Some("DRAFT".into());
    let r = render_ok(&d);
    let pdf = lopdf::Document::load_mem(&r.bytes).unwrap();
    // The diagonal of an A4 page: cos and sin of atan(841.89 / 595.28).
    let turned = "0.577 0.817 -0.817 0.577";
    for (n, id) in pdf.get_pages() {
        let content = String::from_utf8_lossy(&pdf.get_page_content(id)).into_owned();
        let at = content.find(turned).unwrap_or_else(|| panic!("no watermark on page {n}"));
        let first_text = content.find(" Tj").unwrap();
        assert!(at < first_text, "the watermark is not drawn first on page {n}");
    }
    assert_eq!(pdf.get_pages().len(), r.pages);
}

#[test]
fn contents_read_in_order_title_then_number() {
    let raw = raw_text(&render_ok(&sample()).bytes);
    for entry in ["Timeline 2", "Detection 2", "Containment 2", "Affected objects 2", "Decisions 4", "Notification 4"] {
        assert!(raw.lines().any(|l| l.trim() == entry), "{entry:?} is not a line of:\n{raw}");
    }
}
