//! The external copy: what a document says of people and affected objects when it leaves the organisation.
//! People's names become their roles (from the people directory), their emails and phone numbers are removed, and
//! affected object IDs become stable pseudonyms. An internal document passes everything through unchanged.

use crate::people::Person;
use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Captures, Regex};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// What free text says in place of an email address or phone number nobody in the directory owns.
pub const EMAIL_REMOVED: &str = "[email removed]";
pub const PHONE_REMOVED: &str = "[phone removed]";

/// Object IDs shorter than this are not looked for in free text (too many ordinary words and numbers match).
const MIN_ID_IN_TEXT: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct Redaction {
    external: Option<External>,
}

#[derive(Debug, Clone)]
struct External {
    /// Lower-cased name → what the external copy calls that person.
    roles: BTreeMap<String, String>,
    /// Name patterns in free text, most specific first, each with its replacement.
    names: Vec<(Regex, String)>,
    /// Directory emails and phone numbers → role.
    contacts: Vec<(String, String)>,
    /// Object IDs found in free text (timeline lines, notes), each with its pseudonym.
    objects: Option<(AhoCorasick, Vec<String>)>,
    /// Keeps pseudonyms of one incident apart from another's.
    salt: String,
}

impl Redaction {
    /// The internal document: names, contacts and IDs as recorded.
    pub fn internal() -> Redaction {
        Redaction { external: None }
    }

    /// The external copy. `names` are every person's name the document will print (actors, approvers, owners);
    /// those not in the directory are called "Team member A", "Team member B", … in sorted order. `objects` are
    /// the affected objects' (system, ID), whose IDs are also replaced where free text mentions them.
    pub fn external(people: &[Person], names: &BTreeSet<String>, objects: &[(&str, &str)], salt: &str) -> Redaction {
        let mut role_count: BTreeMap<String, usize> = BTreeMap::new();
        for p in people {
            *role_count.entry(role_of(p)).or_default() += 1;
        }
        let mut role_seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut roles = BTreeMap::new();
        let mut contacts = Vec::new();
        let mut directory = BTreeSet::new();
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
            let key = p.details.name.trim().to_lowercase();
            directory.insert(key.clone());
            roles.insert(key, label);
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
        contacts.sort_by_key(|(c, _)| std::cmp::Reverse(c.len()));
        let salt = salt.to_string();
        let mut ext =
            External { names: name_patterns(people, &roles, &directory), roles, contacts, objects: None, salt };
        ext.objects = object_matcher(&ext, objects);
        Redaction { external: Some(ext) }
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

    /// Free text: summaries, messages, notes, timeline lines, file and system names.
    pub fn text(&self, text: &str) -> String {
        let Some(ext) = &self.external else { return text.to_string() };
        let mut out = text.to_string();
        for (contact, label) in &ext.contacts {
            out = out.replace(contact.as_str(), label);
        }
        out = email_pattern().replace_all(&out, EMAIL_REMOVED).into_owned();
        for re in phone_patterns() {
            out = re.replace_all(&out, |c: &Captures| phone_or_not(&c[0])).into_owned();
        }
        for (re, label) in &ext.names {
            out = re.replace_all(&out, regex::NoExpand(label)).into_owned();
        }
        if let Some((matcher, pseudonyms)) = &ext.objects {
            out = replace_ids(&out, matcher, pseudonyms);
        }
        out
    }

    /// An affected object's ID: a pseudonym in the external copy, the same for the same object every time.
    pub fn object(&self, system: &str, object_id: &str) -> String {
        match &self.external {
            Some(ext) => pseudonym(&ext.salt, system, object_id),
            None => object_id.to_string(),
        }
    }
}

fn pseudonym(salt: &str, system: &str, object_id: &str) -> String {
    let digest = Sha256::digest(format!("{salt}\u{0}{system}\u{0}{object_id}").as_bytes());
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("OBJ-{hex}")
}

/// The patterns that find a person's name in free text, longest first:
/// - every name of two or more words, whatever the spacing between them, in any case, with or without its
///   accents, and also as "Surname, First";
/// - each word of three letters or more of a directory name on its own (a surname, a first name), and a one-word
///   directory name, wherever it stands as a word with its capital as written;
/// - a one-word name that is not in the directory (usually a login such as "root") only after "by", so that
///   ordinary words are left alone.
fn name_patterns(
    people: &[Person],
    roles: &BTreeMap<String, String>,
    directory: &BTreeSet<String>,
) -> Vec<(Regex, String)> {
    let mut patterns: Vec<(usize, String, String)> = Vec::new();
    for (key, label) in roles {
        let words: Vec<&str> = key.split_whitespace().collect();
        if words.len() > 1 {
            let forward: Vec<String> = words.iter().map(|w| word_pattern(w)).collect();
            patterns.push((key.len() + 2, format!(r"(?i)\b{}\b", forward.join(r"\s+")), label.clone()));
            let (last, first) = (forward[forward.len() - 1].clone(), forward[..forward.len() - 1].join(r"\s+"));
            patterns.push((key.len() + 1, format!(r"(?i)\b{last},\s*{first}\b"), label.clone()));
        } else if !directory.contains(key) {
            patterns.push((key.len(), format!(r"(?i)\bby\s+{}\b", word_pattern(key)), format!("by {label}")));
        }
    }
    for p in people {
        let label = &roles[&p.details.name.trim().to_lowercase()];
        for word in p.details.name.split_whitespace().filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3) {
            patterns.push((word.len(), format!(r"\b{}\b", word_pattern(word)), label.clone()));
        }
    }
    patterns.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    patterns.dedup_by(|a, b| a.1 == b.1);
    patterns.into_iter().filter_map(|(_, p, label)| Regex::new(&p).ok().map(|re| (re, label))).collect()
}

/// A word as a pattern that also matches it written without accents or with another apostrophe.
fn word_pattern(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        match c {
            '\'' | '’' | '‘' | 'ʼ' => out.push_str("['’‘ʼ]"),
            _ => match fold(c) {
                Some(base) => out.push_str(&format!("(?:{}|{})", regex::escape(&c.to_string()), regex::escape(base))),
                None => out.push_str(&regex::escape(&c.to_string())),
            },
        }
    }
    out
}

/// The plain Latin spelling of a letter with a diacritic, as people type a name on a keyboard without it.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' => "d",
        'Ď' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ł' => "l",
        'Ł' => "L",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ř' => "r",
        'Ř' => "R",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

fn object_matcher(ext: &External, objects: &[(&str, &str)]) -> Option<(AhoCorasick, Vec<String>)> {
    let mut by_id: BTreeMap<&str, String> = BTreeMap::new();
    for (system, id) in objects {
        if id.trim().chars().count() >= MIN_ID_IN_TEXT {
            by_id.entry(id.trim()).or_insert_with(|| pseudonym(&ext.salt, system, id));
        }
    }
    if by_id.is_empty() {
        return None;
    }
    let (ids, pseudonyms): (Vec<&str>, Vec<String>) = by_id.into_iter().unzip();
    let matcher = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&ids).ok()?;
    Some((matcher, pseudonyms))
}

/// Replaces each object ID that stands on its own (not inside a longer word or number) by its pseudonym.
fn replace_ids(text: &str, matcher: &AhoCorasick, pseudonyms: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in matcher.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let inside_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        if inside_word(before) || inside_word(after) {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.push_str(&pseudonyms[m.pattern().as_usize()]);
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
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

/// Email addresses as people write them, including international letters, `localhost`-style and bracketed IP
/// domains, a full-width `＠`, `%40`, and "(at)" obfuscations.
fn email_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"[\w.%+\-]+(?:@|＠|%40|\s?[\(\[]at[\)\]]\s?)(?:\[[0-9A-Fa-f:.]+\]|[\w\-]+(?:\.[\w\-]+)*)")
            .expect("valid")
    })
}

/// Candidates for phone numbers: with a leading `+` or `00`, an area code in parentheses, a national number
/// starting with 0, or the North American 3-3-4 form. [`phone_or_not`] keeps dates and short numbers.
fn phone_patterns() -> &'static [Regex] {
    static RE: OnceLock<Vec<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        vec![
            Regex::new(r"\+\d[\d ()./\-]{5,}\d").expect("valid"),
            Regex::new(r"\(\d{2,5}\)[ ]?\d[\d .\-]{3,}\d").expect("valid"),
            Regex::new(r"\b0\d{1,4}(?:[ ./\-]\d{2,})+\b|\b0\d{7,14}\b").expect("valid"),
            Regex::new(r"\b\d{3}[.\-]\d{3}[.\-]\d{4}\b").expect("valid"),
        ]
    })
}

/// A candidate is a phone number when it has 8 to 15 digits and is not a date (2026-11-20, 01.12.2026).
fn phone_or_not(candidate: &str) -> String {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let date = DATE.get_or_init(|| {
        Regex::new(r"^(?:\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4})$").expect("valid")
    });
    let digits = candidate.chars().filter(char::is_ascii_digit).count();
    if (8..=15).contains(&digits) && !date.is_match(candidate.trim()) {
        PHONE_REMOVED.to_string()
    } else {
        candidate.to_string()
    }
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

    fn redaction() -> Redaction {
        let people = vec![
            person("Zoë Łukasiewicz-Øster", "Business owner", "zoe@example.com", "+49 30 1234567"),
            person("Lee Chen", "Engineer", "lee@example.com", ""),
            person("Ana Ruiz", "Engineer", "", ""),
            person("José Müller", "Legal", "", ""),
            person("Mark", "Support lead", "", ""),
            person("Seán O'Neil", "Auditor", "", ""),
        ];
        let names: BTreeSet<String> = ["root".to_string(), "Lee Chen".into(), "Kim Lee".into()].into();
        Redaction::external(
            &people,
            &names,
            &[("CRM", "cust-4711"), ("Files", r"C:\Users\sortiz\secret.xlsx"), ("X", "42")],
            "salt",
        )
    }

    #[test]
    fn names_become_roles_and_contacts_disappear() {
        let r = redaction();
        assert_eq!(r.person("Zoë Łukasiewicz-Øster"), "Business owner");
        assert_eq!(r.person("lee chen"), "Engineer 1");
        assert_eq!(r.person("Ana Ruiz"), "Engineer 2");
        assert_eq!(r.person("Kim Lee"), "Team member A");
        assert_eq!(r.person("root"), "Team member B");
        let text = r.text(
            "ZOË ŁUKASIEWICZ-ØSTER called +49 30 1234567 and wrote to zoe@example.com and x.y@corp.example.org; \
             fixed by root at the root cause; (030) 555-1234",
        );
        assert_eq!(
            text,
            "Business owner called Business owner and wrote to Business owner and [email removed]; \
             fixed by Team member B at the root cause; [phone removed]"
        );
    }

    #[test]
    fn names_are_found_however_they_are_written() {
        let r = redaction();
        for (written, role) in [
            ("lee  chen", "Engineer 1"),
            ("Lee\u{a0}Chen", "Engineer 1"),
            ("Lee\nChen", "Engineer 1"),
            ("Chen, Lee", "Engineer 1"),
            ("Jose Muller", "Legal"),
            ("Müller", "Legal"),
            ("Sean O’Neil", "Auditor"),
            ("Mark", "Support lead"),
            ("Status set by Kim Lee", "Team member A"),
        ] {
            let out = r.text(&format!("Call {written} today."));
            assert!(out.contains(role), "{written:?} → {out:?}");
            assert!(!out.contains(written), "{written:?} → {out:?}");
        }
        assert_eq!(r.text("Please mark it as done"), "Please mark it as done", "a capitalised name is not every word");
    }

    #[test]
    fn contacts_in_unusual_forms_disappear() {
        let r = redaction();
        for contact in [
            "josé@exämple.de",
            "sam@localhost",
            "user@[10.0.0.1]",
            "sam.ortiz(at)example.com",
            "sam.ortiz%40example.com",
            "sam＠example.com",
            "sаm@example.com",
            "0049 30 1234567",
            "030 1234567",
            "030/1234567",
            "555-867-5309",
            "555.867.5309",
            "07700 900123",
        ] {
            let out = r.text(&format!("Reach me at {contact}."));
            assert!(!out.contains(contact), "{contact} → {out}");
            assert!(out.contains("removed]"), "{contact} → {out}");
        }
    }

    #[test]
    fn object_ids_in_free_text_become_their_pseudonyms() {
        let r = redaction();
        let crm = r.object("CRM", "cust-4711");
        assert_eq!(r.text("Recovery of customer cust-4711 in CRM"), format!("Recovery of customer {crm} in CRM"));
        let file = r.object("Files", r"C:\Users\sortiz\secret.xlsx");
        assert_eq!(r.text(r"the agent read C:\Users\sortiz\secret.xlsx"), format!("the agent read {file}"));
        assert_eq!(r.text("cust-47110 and 42 stay"), "cust-47110 and 42 stay", "only whole IDs, never short ones");
    }

    #[test]
    fn pseudonyms_are_stable_and_distinct() {
        let r = Redaction::external(&[], &BTreeSet::new(), &[], "incident-1");
        let a = r.object("crm", "cust-42");
        assert_eq!(a, r.object("crm", "cust-42"));
        assert_ne!(a, r.object("crm", "cust-43"));
        assert_ne!(a, Redaction::external(&[], &BTreeSet::new(), &[], "incident-2").object("crm", "cust-42"));
        assert!(a.starts_with("OBJ-") && a.len() == 14, "{a}");
        assert_eq!(Redaction::internal().object("crm", "cust-42"), "cust-42");
    }

    #[test]
    fn dates_and_amounts_are_not_phone_numbers() {
        let r = Redaction::external(&[], &BTreeSet::new(), &[], "s");
        let text = "On 2026-11-20 09:00 (01.12.2026) the agent refunded 1,234.56 EUR to invoice 2026-000123, ref 0042.";
        assert_eq!(r.text(text), text);
    }
}
