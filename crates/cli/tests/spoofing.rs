//! Text output cannot be spoofed: line feeds, ANSI escapes and other control characters in what people, agents and
//! files typed are shown escaped (`\x1B[2J`), never sent raw to the terminal; `--json` keeps the exact values.

mod common;

use common::Cli;
use serde_json::Value;
use std::path::PathBuf;

/// The actor's name is stamped on every change, so it shows up in histories and custody logs.
const CLI: Cli = Cli { actor: "Eve\x1b[31m Ops" };

/// A title that, printed raw, clears the screen, turns it red and adds a fake `Status closed` line.
const TITLE: &str = "Refund bot\nStatus   closed\x1b[2J\x1b[31m";
const TITLE_ESCAPED: &str = "Refund bot\\x0AStatus   closed\\x1B[2J\\x1B[31m";
const OWNER: &str = "Mal\x1b[2Jlory\nStatus closed";
const PERSON: &str = "Zoë\x1b[2J\nStatus closed";
const ROLE: &str = "Le\x1b[31mgal";
const OBJECT: &str = "MSG\x1b[2J-1\nStatus closed";
const SHORT_SYSTEM: &str = "Gm\x1b[31mail";
const SHORT_OBJECT: &str = "A\x1b[2JB";
const TARGET: &str = "refund\x1b[2J-sender\nStatus closed";
const NOTE: &str = "Rolled\x1b[2J back\nStatus closed";
const WHEN: &str = "now\x1b[2J\nStatus closed";
const FILE_NAME: &str = "run\x1b[2J\nStatus closed.log";

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
    id: String,
}

/// An incident whose title, owner, affected objects, pause, recovery note, evidence file and people directory all
/// hold line feeds and ANSI escapes.
fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db").join("spoof.db");
    let id = CLI
        .ok(&db, &["incident", "new", "--title", TITLE, "--business-owner", OWNER, "--summary", "two\nlines\x1b[31m"])
        .trim()
        .to_string();
    CLI.ok(&db, &["people", "add", "--name", PERSON, "--role", ROLE, "--email", "zoe@example.com"]);
    let csv = dir.path().join("objects.csv");
    std::fs::write(&csv, format!("system,object_type,object_id,action\nGmail,email,\"{OBJECT}\",sent\n")).unwrap();
    CLI.ok(&db, &["affected", "import", &id, csv.to_str().unwrap()]);
    CLI.ok(
        &db,
        &[
            "affected",
            "add",
            &id,
            "--system",
            SHORT_SYSTEM,
            "--type",
            "email",
            "--object-id",
            SHORT_OBJECT,
            "--action",
            "sent",
        ],
    );
    CLI.ok(&db, &["affected", "log", &id, OBJECT, "--note", NOTE]);
    CLI.ok(&db, &["pause", "add", &id, "--scope", "tool", "--target", TARGET, "--approved-by", OWNER]);
    CLI.ok(&db, &["comms", "set", &id, "technical_owner", "--when", WHEN]);
    let file = dir.path().join(FILE_NAME);
    std::fs::write(&file, "run 42").unwrap();
    CLI.ok(&db, &["evidence", "attach", &id, "run_record", file.to_str().unwrap(), "--note", NOTE]);
    Env { dir, db, id }
}

/// No ESC byte reaches the terminal, and the escape is shown instead.
fn assert_escaped(what: &str, out: &str) {
    assert!(!out.contains('\x1b'), "{what}: a raw ESC reached the terminal: {out:?}");
    assert!(out.contains("\\x1B[2J"), "{what}: the escape is not shown: {out:?}");
}

/// No line poses as a status line.
fn assert_no_fake_status(what: &str, out: &str) {
    let fake: Vec<&str> = out.lines().filter(|l| l.starts_with("Status")).collect();
    assert!(fake.is_empty(), "{what}: a line poses as a status: {fake:?}");
}

/// The column of `header`'s `name`, in characters (headers are ASCII).
fn column(header: &str, name: &str) -> usize {
    header.find(name).unwrap()
}

fn from_column(line: &str, col: usize) -> String {
    line.chars().skip(col).collect()
}

#[test]
fn incident_show_prints_one_status_line_and_escapes_the_title() {
    let e = env();
    let out = CLI.ok(&e.db, &["incident", "show", &e.id]);
    assert_escaped("incident show", &out);
    let status: Vec<&str> = out.lines().filter(|l| l.starts_with("Status")).collect();
    assert_eq!(status, vec![format!("{:<22} investigating", "Status")], "{out}");
    assert!(out.lines().any(|l| l == format!("{:<22} {TITLE_ESCAPED}", "Title")), "{out}");
    assert!(out.contains("Mal\\x1B[2Jlory\\x0AStatus closed"), "{out}");
    assert!(out.contains("two\\x0Alines\\x1B[31m"), "{out}");

    let json = CLI.json(&e.db, &["incident", "show", &e.id]);
    assert_eq!(json["title"], TITLE);
    assert_eq!(json["business_owner"], OWNER);
    assert_eq!(json["summary"], "two\nlines\x1b[31m");
}

#[test]
fn incident_list_escapes_before_clipping_so_columns_line_up() {
    let e = env();
    let out = CLI.ok(&e.db, &["incident", "list"]);
    assert_escaped("incident list", &out);
    assert_no_fake_status("incident list", &out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "one header and one row: {out}");
    assert_eq!(from_column(lines[1], column(lines[0], "TITLE")), TITLE_ESCAPED, "{out}");
    // The owner is escaped, then clipped to its 20 columns.
    assert_eq!(
        from_column(lines[1], column(lines[0], "OWNER")).chars().take(20).collect::<String>(),
        "Mal\\x1B[2Jlory\\x0AS…"
    );

    let json = CLI.json(&e.db, &["incident", "list"]);
    assert_eq!(json[0]["title"], TITLE);
    assert_eq!(json[0]["business_owner"], OWNER);
}

#[test]
fn incident_history_escapes_titles_actors_and_values() {
    let e = env();
    let out = CLI.ok(&e.db, &["incident", "history", &e.id]);
    assert_escaped("incident history", &out);
    assert_no_fake_status("incident history", &out);
    assert!(out.starts_with(&format!("History of {} — {TITLE_ESCAPED}\n", e.id)), "{out}");
    assert!(out.contains("Eve\\x1B[31m Ops"), "{out}");
    assert!(out.contains(&format!("title: (empty) → {TITLE_ESCAPED}\n")), "{out}");

    let json = CLI.json(&e.db, &["incident", "history", &e.id]);
    let title = json.as_array().unwrap().iter().find(|h| h["field"] == "title").unwrap();
    assert_eq!(title["new_value"], serde_json::to_string(TITLE).unwrap());
    assert_eq!(title["actor"], CLI.actor);
}

#[test]
fn affected_list_escapes_object_ids_and_systems_and_keeps_its_columns() {
    let e = env();
    let out = CLI.ok(&e.db, &["affected", "list", &e.id]);
    assert_escaped("affected list", &out);
    assert_no_fake_status("affected list", &out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "one header and two rows: {out}");
    assert!(out.contains("MSG\\x1B[2J-1\\x0AStatus closed"), "{out}");
    let row = lines.iter().find(|l| l.starts_with("Gm\\x1B[31mail")).unwrap_or_else(|| panic!("{out}"));
    assert!(from_column(row, column(lines[0], "OBJECT")).starts_with("A\\x1B[2JB "), "{out}");
    assert!(from_column(row, column(lines[0], "ACTION")).starts_with("sent "), "{out}");

    let json = CLI.json(&e.db, &["affected", "list", &e.id]);
    let ids: Vec<&str> = json.as_array().unwrap().iter().map(|r| r["object_id"].as_str().unwrap()).collect();
    assert!(ids.contains(&OBJECT) && ids.contains(&SHORT_OBJECT), "{ids:?}");
    assert!(json.as_array().unwrap().iter().any(|r| r["system"] == SHORT_SYSTEM));
}

#[test]
fn affected_add_and_log_echo_escaped_values() {
    let e = env();
    let out = CLI.ok(
        &e.db,
        &[
            "affected",
            "add",
            &e.id,
            "--system",
            SHORT_SYSTEM,
            "--type",
            "ema\nil",
            "--object-id",
            "MSG\x1b[2J-2\nStatus closed",
            "--action",
            "read",
        ],
    );
    assert_escaped("affected add", &out);
    assert!(out.starts_with("Added Gm\\x1B[31mail ema\\x0Ail MSG\\x1B[2J-2\\x0AStatus closed (row ID "), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let out = CLI.ok(&e.db, &["affected", "log", &e.id, OBJECT, "--note", NOTE]);
    assert_escaped("affected log", &out);
    assert_no_fake_status("affected log", &out);
    assert!(out.trim_end().ends_with(": Rolled\\x1B[2J back\\x0AStatus closed"), "{out}");

    let logged = CLI.json(&e.db, &["affected", "log", &e.id, OBJECT, "--note", NOTE]);
    assert_eq!(logged["note"], NOTE);
    let rows = CLI.json(&e.db, &["affected", "list", &e.id, "--action", "read"]);
    assert_eq!(rows[0]["object_id"], "MSG\x1b[2J-2\nStatus closed");
    assert_eq!(rows[0]["object_type"], "ema\nil");
}

#[test]
fn pause_add_and_list_escape_the_target_and_approver() {
    let e = env();
    let out = CLI.ok(&e.db, &["pause", "add", &e.id, "--scope", "sends", "--target", TARGET, "--approved-by", OWNER]);
    assert_escaped("pause add", &out);
    assert_eq!(out.lines().count(), 1, "{out}");
    let out = CLI.ok(&e.db, &["pause", "list", &e.id]);
    assert_escaped("pause list", &out);
    assert_no_fake_status("pause list", &out);
    assert_eq!(out.lines().count(), 2, "one line per pause: {out}");
    assert!(
        out.contains("refund\\x1B[2J-sender\\x0AStatus closed  approved by Mal\\x1B[2Jlory\\x0AStatus closed"),
        "{out}"
    );

    let json = CLI.json(&e.db, &["pause", "list", &e.id]);
    assert_eq!(json[0]["target"], TARGET);
    assert_eq!(json[0]["approved_by"], OWNER);
}

#[test]
fn people_list_escapes_names_and_roles_and_keeps_its_columns() {
    let e = env();
    let out = CLI.ok(&e.db, &["people", "list"]);
    assert_escaped("people list", &out);
    assert_no_fake_status("people list", &out);
    let row = out.lines().find(|l| l.starts_with("Zoë")).unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        row.trim_end(),
        format!("{:<28} {:<24} zoe@example.com", "Zoë\\x1B[2J\\x0AStatus closed", "Le\\x1B[31mgal")
    );

    let json = CLI.json(&e.db, &["people", "list"]);
    let person = json.as_array().unwrap().iter().find(|p| p["name"] == PERSON).unwrap_or_else(|| panic!("{json}"));
    assert_eq!(person["role"], ROLE);
}

#[test]
fn people_add_echoes_the_name_escaped() {
    let e = env();
    let out = CLI.ok(&e.db, &["people", "add", "--name", "Ann\x1b[2J\nStatus closed"]);
    assert_escaped("people add", &out);
    assert_eq!(out.trim_end(), "Added Ann\\x1B[2J\\x0AStatus closed to the people directory.");
}

#[test]
fn gates_escape_the_title_and_the_missing_items() {
    let e = env();
    let out = CLI.ok(&e.db, &["gates", &e.id]);
    assert_escaped("gates", &out);
    assert_no_fake_status("gates", &out);
    assert!(out.starts_with(&format!("{} — {TITLE_ESCAPED}\n", e.id)), "{out}");
    assert!(out.contains("now\\x1B[2J\\x0AStatus closed"), "the communication item quotes --when: {out}");

    let json = CLI.json(&e.db, &["gates", &e.id]);
    let missing = json["phases"].as_array().unwrap().iter().flat_map(|p| p["missing"].as_array().unwrap());
    assert!(missing.filter_map(Value::as_str).any(|m| m.contains(WHEN)), "{json}");
}

#[test]
fn evidence_attach_list_and_custody_escape_file_names_and_actors() {
    let e = env();
    let file = e.dir.path().join(FILE_NAME);
    let out = CLI.ok(&e.db, &["evidence", "attach", &e.id, "model_version", file.to_str().unwrap()]);
    assert_escaped("evidence attach", &out);
    assert!(out.starts_with("Attached run\\x1B[2J\\x0AStatus closed.log ("), "{out}");
    for command in ["list", "custody"] {
        let out = CLI.ok(&e.db, &["evidence", command, &e.id]);
        assert_escaped(&format!("evidence {command}"), &out);
        assert_no_fake_status(&format!("evidence {command}"), &out);
        assert!(out.contains("run\\x1B[2J\\x0AStatus closed.log"), "{out}");
    }
    assert!(CLI.ok(&e.db, &["evidence", "custody", &e.id]).contains("Eve\\x1B[31m Ops"));

    let list = CLI.json(&e.db, &["evidence", "list", &e.id]);
    assert_eq!(list["files"][0]["original_name"], FILE_NAME);
    let custody = CLI.json(&e.db, &["evidence", "custody", &e.id]);
    assert_eq!(custody[0]["by"], CLI.actor);
}

#[test]
fn deadlines_escape_the_title() {
    let e = env();
    CLI.ok(&e.db, &["notify", "decide", &e.id, "gdpr-art33", "applies", "--by", PERSON]);
    let out = CLI.ok(&e.db, &["deadlines", &e.id]);
    assert_escaped("deadlines", &out);
    assert_no_fake_status("deadlines", &out);
    assert!(out.starts_with(&format!("{} — {TITLE_ESCAPED}\n", e.id)), "{out}");

    let json = CLI.json(&e.db, &["deadlines", &e.id]);
    assert_eq!(json["incident"], Value::String(e.id.clone()));
}

#[test]
fn drafted_messages_keep_their_line_feeds_but_show_other_controls() {
    let e = env();
    let out = CLI.ok(&e.db, &["comms", "draft", &e.id, "business_owner"]);
    assert_escaped("comms draft", &out);
    assert!(out.lines().count() > 5, "the message stays a block of lines: {out}");
    let json = CLI.json(&e.db, &["comms", "draft", &e.id, "business_owner"]);
    assert!(json["message"].as_str().unwrap().contains(TITLE), "{json}");

    CLI.ok(&e.db, &["notify", "decide", &e.id, "gdpr-art33", "applies", "--by", PERSON]);
    let out = CLI.ok(&e.db, &["notify", "draft", &e.id, "gdpr-art33"]);
    assert!(!out.contains('\x1b'), "notify draft: {out:?}");
    assert!(out.contains("\\x1B["), "{out}");
    assert!(out.lines().count() > 5, "the notification stays a block of lines: {out}");
    let json = CLI.json(&e.db, &["notify", "draft", &e.id, "gdpr-art33"]);
    assert!(json["text"].as_str().unwrap().contains('\x1b'), "the stored text is not escaped: {json}");
}

#[test]
fn the_register_printed_as_csv_shows_controls_but_keeps_its_rows() {
    let e = env();
    CLI.ok(&e.db, &["incident", "set", &e.id, "data_classes=personal_data"]);
    let out = CLI.ok(&e.db, &["register", "export"]);
    assert_escaped("register export", &out);
    // The cell's line feed is CSV's own (quoted); the ANSI escapes are shown.
    assert!(out.contains(&format!("{},\"Refund bot\nStatus   closed\\x1B[2J\\x1B[31m\",", e.id)), "{out}");
    assert_eq!(out.matches("\r\n").count(), 2, "a header and one row, each ending in CRLF: {out:?}");

    let csv = e.dir.path().join("register.csv");
    CLI.ok(&e.db, &["register", "export", "--csv", csv.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&csv).unwrap().contains(TITLE), "the file keeps the exact title");
    assert_eq!(CLI.json(&e.db, &["register", "export"])[0]["title"], TITLE);
}

#[test]
fn errors_quoting_input_stay_one_escaped_line() {
    let e = env();
    let err = CLI.fails(&e.db, &["incident", "show", "AI-INC-\x1b[2J\nfirebreak: all clear"]);
    assert_escaped("incident show error", &err);
    assert_eq!(err.lines().count(), 1, "{err}");
    let err = CLI.fails(&e.db, &["people", "add", "--name", "Bob", "--email", "bob\x1b[2J@\nexample"]);
    assert_escaped("people add error", &err);
    assert_eq!(err.lines().count(), 1, "{err}");
}
