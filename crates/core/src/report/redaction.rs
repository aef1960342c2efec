//! The external copy: what a document says of people and affected objects when it leaves the organisation.
//! People's names become their roles (from the people directory), their emails and phone numbers are removed, and
//! affected object IDs become stable pseudonyms. An internal document passes everything through unchanged.

use crate::people::Person;
use regex::Regex;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// What free text says in place of an email address or phone number nobody in the directory owns.
pub const EMAIL_REMOVED: &str = "[email removed]";
pub const PHONE_REMOVED: &str = "[phone removed]";

#[derive(Debug, Clone, Default)]
pub struct Redaction {
    external: Option<External>,
}

#[derive(Debug, Clone)]
struct External {
    /// Lower-cased name → what the external copy calls that person.
    roles: BTreeMap<String, String>,
    /// Names of more than one word, found anywhere in free text (whole words, any case).
    full_names: Vec<(Regex, String)>,
    /// One-word names (often login names such as "root"), replaced only where the text says "by NAME", so that
    /// ordinary words are left alone.
    single_names: Vec<(Regex, String)>,
    /// Directory emails and phone numbers → role.
    contacts: Vec<(String, String)>,
    /// Keeps pseudonyms of one incident apart from another's.
    salt: String,
}

impl Redaction {
    /// The internal document: names, contacts and IDs as recorded.
    pub fn internal() -> Redaction {
        Redaction { external: None }
    }

    /// The external copy. `names` are every person's name the document will print (actors, approvers, owners);
    /// those not in the directory are called "Team member A", "Team member B", … in sorted order.
    pub fn external(people: &[Person], names: &BTreeSet<String>, salt: &str) -> Redaction {
        let mut role_count: BTreeMap<String, usize> = BTreeMap::new();
        for p in people {
            *role_count.entry(role_of(p)).or_default() += 1;
        }
        let mut role_seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut roles = BTreeMap::new();
        let mut contacts = Vec::new();
        for p in people {
            let role = role_of(p);
            let label = if role_count[&role] > 1 {
                let n = role_seen.entry(role.clone()).or_default();
                *n += 1;
                format!("{role} {n}")
            } else {
                role
            };
            for contact in [&p.details.email, &p.details.phone] {
                if !contact.trim().is_empty() {
                    contacts.push((contact.trim().to_string(), label.clone()));
                }
            }
            roles.insert(p.details.name.trim().to_lowercase(), label);
        }
        let mut letter = 0;
        for name in names {
            let key = name.trim().to_lowercase();
            if key.is_empty() || roles.contains_key(&key) {
                continue;
            }
            roles.insert(key, format!("Team member {}", column_letters(letter)));
            letter += 1;
        }
        // Longest first, so "Sam Ortiz-Lee" is replaced before "Sam Ortiz".
        let mut ordered: Vec<(&String, &String)> = roles.iter().collect();
        ordered.sort_by_key(|(name, _)| std::cmp::Reverse(name.chars().count()));
        let mut full_names = Vec::new();
        let mut single_names = Vec::new();
        for (name, label) in ordered {
            let escaped = regex::escape(name);
            if name.split_whitespace().count() > 1 {
                let pattern = format!(r"(?i)\b{}\b", escaped.replace(r"\ ", r"\s+"));
                if let Ok(re) = Regex::new(&pattern) {
                    full_names.push((re, label.clone()));
                }
            } else if let Ok(re) = Regex::new(&format!(r"(?i)\bby\s+{escaped}\b")) {
                single_names.push((re, format!("by {label}")));
            }
        }
        contacts.sort_by_key(|(c, _)| std::cmp::Reverse(c.len()));
        Redaction { external: Some(External { roles, full_names, single_names, contacts, salt: salt.to_string() }) }
    }

    pub fn is_external(&self) -> bool {
        self.external.is_some()
    }

    /// A person named in a field of the record (owner, approver, actor).
    pub fn person(&self, name: &str) -> String {
        let Some(ext) = &self.external else { return name.to_string() };
        if name.trim().is_empty() {
            return String::new();
        }
        ext.roles.get(&name.trim().to_lowercase()).cloned().unwrap_or_else(|| "Team member".into())
    }

    /// Free text: summaries, messages, notes, timeline lines.
    pub fn text(&self, text: &str) -> String {
        let Some(ext) = &self.external else { return text.to_string() };
        let mut out = text.to_string();
        for (contact, label) in &ext.contacts {
            out = out.replace(contact.as_str(), label);
        }
        out = email_pattern().replace_all(&out, EMAIL_REMOVED).into_owned();
        for re in phone_patterns() {
            out = re.replace_all(&out, PHONE_REMOVED).into_owned();
        }
        for (re, label) in ext.full_names.iter().chain(&ext.single_names) {
            out = re.replace_all(&out, regex::NoExpand(label)).into_owned();
        }
        out
    }

    /// An affected object's ID: a pseudonym in the external copy, the same for the same object every time.
    pub fn object(&self, system: &str, object_id: &str) -> String {
        let Some(ext) = &self.external else { return object_id.to_string() };
        let digest = Sha256::digest(format!("{}\u{0}{system}\u{0}{object_id}", ext.salt).as_bytes());
        let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
        format!("OBJ-{hex}")
    }
}

fn role_of(p: &Person) -> String {
    let role = p.details.role.trim();
    if role.is_empty() {
        "Team member".into()
    } else {
        role.to_string()
    }
}

/// A, B, …, Z, AA, AB, …
fn column_letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push((b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.iter().rev().collect()
}

fn email_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}").expect("valid"))
}

/// Phone numbers written the way people write them: with a leading `+` or an area code in parentheses. Bare digit
/// runs are left alone, since dates, amounts and IDs look the same.
fn phone_patterns() -> &'static [Regex] {
    static RE: OnceLock<Vec<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        vec![
            Regex::new(r"\+\d[\d ().\-]{5,}\d").expect("valid"),
            Regex::new(r"\(\d{2,5}\)[ ]?\d[\d .\-]{3,}\d").expect("valid"),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::PersonDetails;

    fn person(name: &str, role: &str, email: &str, phone: &str) -> Person {
        Person {
            id: name.into(),
            details: PersonDetails { name: name.into(), role: role.into(), email: email.into(), phone: phone.into() },
        }
    }

    #[test]
    fn names_become_roles_and_contacts_disappear() {
        let people = vec![
            person("Zoë Łukasiewicz-Øster", "Business owner", "zoe@example.com", "+49 30 1234567"),
            person("Lee Chen", "Engineer", "lee@example.com", ""),
            person("Ana Ruiz", "Engineer", "", ""),
        ];
        let names: BTreeSet<String> = ["root".to_string(), "Lee Chen".into()].into();
        let r = Redaction::external(&people, &names, "salt");
        assert_eq!(r.person("Zoë Łukasiewicz-Øster"), "Business owner");
        assert_eq!(r.person("lee chen"), "Engineer 1");
        assert_eq!(r.person("Ana Ruiz"), "Engineer 2");
        assert_eq!(r.person("root"), "Team member A");
        let text = r.text(
            "ZOË ŁUKASIEWICZ-ØSTER called +49 30 1234567 and wrote to zoe@example.com and x.y@corp.example.org; \
             fixed by root at the root cause; (030) 555-1234",
        );
        assert_eq!(
            text,
            "Business owner called Business owner and wrote to Business owner and [email removed]; \
             fixed by Team member A at the root cause; [phone removed]"
        );
    }

    #[test]
    fn pseudonyms_are_stable_and_distinct() {
        let r = Redaction::external(&[], &BTreeSet::new(), "incident-1");
        let a = r.object("crm", "cust-42");
        assert_eq!(a, r.object("crm", "cust-42"));
        assert_ne!(a, r.object("crm", "cust-43"));
        assert_ne!(a, Redaction::external(&[], &BTreeSet::new(), "incident-2").object("crm", "cust-42"));
        assert!(a.starts_with("OBJ-") && a.len() == 14, "{a}");
        assert_eq!(Redaction::internal().object("crm", "cust-42"), "cust-42");
    }

    #[test]
    fn dates_and_amounts_are_not_phone_numbers() {
        let r = Redaction::external(&[], &BTreeSet::new(), "s");
        let text = "On 2026-11-20 09:00 the agent refunded 1,234.56 EUR to invoice 2026-000123.";
        assert_eq!(r.text(text), text);
    }
}
