//! What the CLI prints: JSON for scripts (`--json`), short aligned text for people.
//!
//! Text from people, agents, files and the database goes through `firebreak_core::text::one_line` (`visible` for a
//! message printed as a block of lines), so a line feed or an ANSI escape in a title can neither fake a line nor
//! drive the terminal. Escape before padding or clipping, so the columns count what is shown. JSON needs none of
//! this: it escapes control characters itself and keeps the exact values.

use chrono::{DateTime, Utc};
use firebreak_core::audit::{self, AuditEntry};
use firebreak_core::incident::{Incident, FIELDS};
use firebreak_core::people::Person;
use firebreak_core::phases::guidance::Guidance;
use firebreak_core::text::one_line;
use firebreak_core::verify::VerifyReport;
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

pub struct Output {
    pub json: bool,
}

impl Output {
    pub(crate) fn print_json(&self, value: &impl Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("firebreak: could not format JSON output: {e}"),
        }
    }

    pub fn path(&self, path: &Path) {
        if self.json {
            self.print_json(&serde_json::json!({ "db": path.display().to_string() }));
        } else {
            println!("{}", path_line(path));
        }
    }

    pub fn created(&self, incident: &Incident) {
        if self.json {
            self.print_json(incident);
        } else {
            println!("{}", incident.id);
        }
    }

    pub fn incidents(&self, incidents: &[Incident]) {
        if self.json {
            return self.print_json(&incidents);
        }
        if incidents.is_empty() {
            println!("No incidents.");
            return;
        }
        let now = Utc::now();
        println!("{:<22} {:<5} {:<13} {:<20} {:>5}  TITLE", "ID", "SEV", "STATUS", "OWNER", "AGE");
        for i in incidents {
            let f = &i.fields;
            let owner = if f.business_owner.is_empty() { &f.commander } else { &f.business_owner };
            println!(
                "{:<22} {:<5} {:<13} {:<20} {:>5}  {}",
                i.id,
                f.severity.map(|s| s.key()).unwrap_or("-"),
                f.status.key(),
                clip(&one_line(owner), 20),
                age(f.detected_at.unwrap_or(i.created_at), now),
                one_line(&f.title)
            );
        }
    }

    pub fn incident(&self, incident: &Incident) {
        if self.json {
            return self.print_json(incident);
        }
        let value = serde_json::to_value(incident).unwrap_or(Value::Null);
        println!("{:<22} {}", "ID", incident.id);
        println!("{:<22} {}", "Opened", audit::format_instant(incident.created_at));
        for spec in FIELDS {
            println!("{:<22} {}", spec.label, one_line(&shown(value.get(spec.name).unwrap_or(&Value::Null))));
        }
    }

    pub fn updated(&self, before: &Incident, after: &Incident) {
        if self.json {
            return self.print_json(after);
        }
        let (b, a) =
            (serde_json::to_value(before).unwrap_or_default(), serde_json::to_value(after).unwrap_or_default());
        let changed: Vec<&str> = FIELDS.iter().map(|f| f.name).filter(|n| b.get(n) != a.get(n)).collect();
        if changed.is_empty() {
            println!("{}: no change (the values were already set).", after.id);
        } else {
            println!("{}: changed {}.", after.id, changed.join(", "));
        }
    }

    pub fn status_changed(&self, incident: &Incident, overridden: bool) {
        if self.json {
            return self.print_json(incident);
        }
        let how = if overridden { " (gate overridden; logged as an override)" } else { "" };
        println!("{} is now {}{how}.", incident.id, incident.fields.status.label());
    }

    pub fn guidance(&self, incident: &Incident, guidance: &Guidance) {
        if self.json {
            return self.print_json(guidance);
        }
        println!("{} — {}", incident.id, one_line(&incident.fields.title));
        for warning in &guidance.warnings {
            println!("! {}", one_line(warning));
        }
        for phase in &guidance.phases {
            let mark = if phase.complete { "done" } else { "open" };
            println!("[{mark}] {}", phase.label);
            for item in &phase.missing {
                println!("       - {}", one_line(item));
            }
        }
        if let Some(next) = &guidance.next {
            println!("Next: {}", one_line(next));
        }
    }

    pub fn history(&self, incident: &Incident, entries: &[AuditEntry]) {
        if self.json {
            return self.print_json(&entries);
        }
        println!("History of {} — {}", incident.id, one_line(&incident.fields.title));
        for e in entries {
            let who = match &e.actor_role {
                Some(role) => format!("{} ({role})", e.actor),
                None => e.actor.clone(),
            };
            let what = if e.field == audit::CREATED {
                "opened the incident".to_string()
            } else {
                format!("{}: {} → {}", e.field, raw(&e.old_value), raw(&e.new_value))
            };
            let why = e.reason.as_deref().map(|r| format!("  [{r}]")).unwrap_or_default();
            let (who, what, why) = (one_line(&who), one_line(&what), one_line(&why));
            println!("#{:<6} {}  {who}  {what}{why}", e.seq, audit::format_instant(e.at));
        }
    }

    pub fn people(&self, people: &[Person]) {
        if self.json {
            return self.print_json(&people);
        }
        for p in people {
            let d = &p.details;
            println!(
                "{:<28} {:<24} {:<30} {}",
                one_line(&d.name),
                one_line(&d.role),
                one_line(&d.email),
                one_line(&d.phone)
            );
        }
    }

    pub fn person(&self, person: &Person) {
        if self.json {
            return self.print_json(person);
        }
        println!("Added {} to the people directory.", one_line(&person.details.name));
    }

    pub fn seal(&self, seal: &firebreak_core::seal::Seal, home: &firebreak_core::seal::KeyHome) {
        if self.json {
            return self.print_json(seal);
        }
        println!(
            "Sealed entry #{} ({}) at {} with key {}…",
            seal.seq,
            seal.head_hash,
            audit::format_instant(seal.at),
            seal.key_fingerprint()
        );
        println!("Anchor {}", seal.anchor());
        println!("The key is kept in {}.", one_line(&home.to_string()));
    }

    pub fn verify(&self, report: &VerifyReport) {
        if self.json {
            return self.print_json(report);
        }
        if report.intact {
            println!("{}", one_line(&report.summary()));
        } else {
            eprintln!("{}", one_line(&report.summary()));
            for p in report.problems.iter().skip(1) {
                eprintln!("  also: {}", one_line(&p.message));
            }
        }
    }
}

/// A path the user typed (or derived from one), as one line.
pub(crate) fn path_line(path: &Path) -> String {
    one_line(&path.display().to_string()).into_owned()
}

fn shown(value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "—".into(),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Object(o) => {
                    let mut parts = vec![o.get("kind").and_then(Value::as_str).unwrap_or_default().to_string()];
                    parts.extend(
                        ["owasp_llm", "owasp_agentic"].iter().filter_map(|k| o.get(*k)?.as_str().map(str::to_string)),
                    );
                    parts.join(":")
                }
                other => shown(other),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn raw(value: &Option<String>) -> String {
    match value {
        None => "(empty)".into(),
        Some(v) => match serde_json::from_str::<Value>(v) {
            Ok(parsed) => shown(&parsed),
            Err(_) => v.clone(),
        },
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - since).num_minutes().max(0);
    match minutes {
        m if m < 60 => format!("{m}m"),
        m if m < 48 * 60 => format!("{}h", m / 60),
        m => format!("{}d", m / (24 * 60)),
    }
}
