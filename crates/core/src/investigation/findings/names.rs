//! What the findings read out of names and arguments: whether a tool's name matches one of the rules' patterns, the
//! destinations (hosts and e-mail domains) a call's arguments reach, and whether a result reports an HTTP failure.

/// Whether a tool or step name matches a rule's pattern. A pattern of letters and digits only (`pay`) matches a
/// word of the name that starts with it (`refund_payment`, `PayInvoice`, `billing.pay`); any other pattern is the
/// whole name, where `*` stands for any characters (`email.send`, `stripe.*`). Case is ignored.
pub(crate) fn name_matches(name: &str, pattern: &str) -> bool {
    let pattern = pattern.to_lowercase();
    if pattern.chars().all(|c| c.is_alphanumeric()) {
        words(name).iter().any(|w| w.starts_with(&pattern))
    } else {
        glob(&name.to_lowercase(), &pattern)
    }
}

/// The words of a name, lower-cased: split at anything not a letter or digit and where a lower-case letter meets
/// an upper-case one (`sendEmail` is `send`, `email`).
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut last_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            last_lower = false;
            continue;
        }
        if c.is_uppercase() && last_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        last_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(text: &str, pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return text == pattern;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// A place a call's arguments reach: the host of a URL or the domain of an e-mail address, lower-cased, with an
/// example of how the arguments wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Destination {
    pub host: String,
    pub written: String,
}

/// The most destinations read from one call's arguments.
const MAX_PER_CALL: usize = 20;

/// The hosts of the URLs (`https://…`, `http://…`, `ftp://…`, `wss://…`) and the domains of the e-mail addresses
/// in `text`, in order, each once. JSON's escaped slash (`https:\/\/`) is read as a slash.
pub(crate) fn destinations(text: &str) -> Vec<Destination> {
    let text: std::borrow::Cow<str> = if text.contains("\\/") { text.replace("\\/", "/").into() } else { text.into() };
    let mut out: Vec<Destination> = Vec::new();
    let push = |host: &str, written: &str, out: &mut Vec<Destination>| {
        let host = host.trim_end_matches('.').to_lowercase();
        if is_domain(&host) && !out.iter().any(|d| d.host == host) && out.len() < MAX_PER_CALL {
            out.push(Destination { host, written: written.to_string() });
        }
    };
    // URLs: a scheme, `://`, optional user info, then the host.
    let mut from = 0;
    while let Some(i) = text[from..].find("://") {
        let at = from + i;
        let scheme_start = text[..at].rfind(|c: char| !c.is_ascii_alphanumeric()).map_or(0, |p| p + 1);
        let scheme = text[scheme_start..at].to_ascii_lowercase();
        let rest = &text[at + 3..];
        let authority_end =
            rest.find(['/', '?', '#', '"', '\'', ' ', '\\', '<', '>', ')', ',', '\n']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let host_part = authority.rsplit('@').next().unwrap_or(authority);
        let host = host_part.split(':').next().unwrap_or(host_part);
        if matches!(scheme.as_str(), "http" | "https" | "ftp" | "ftps" | "ws" | "wss" | "sftp") {
            push(host, &text[scheme_start..at + 3 + authority_end], &mut out);
        }
        from = at + 3;
    }
    // E-mail addresses: a local part, `@`, a domain.
    for (at, _) in text.match_indices('@') {
        let local_start = text[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')))
            .map_or(0, |p| p + 1);
        if local_start == at {
            continue;
        }
        let domain_end = text[at + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-')))
            .map_or(text.len(), |p| at + 1 + p);
        push(&text[at + 1..domain_end], &text[local_start..domain_end], &mut out);
    }
    out
}

/// A host name with a dot and a top-level label of letters (`example.com`, not `v1.2` or `localhost`), or an IP
/// address (a number dotted four times).
fn is_domain(host: &str) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() == 4
        && labels.iter().all(|l| !l.is_empty() && l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()))
    {
        return true;
    }
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'))
        && labels.last().is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Whether `host` is covered by an allowlist entry: the entry itself or a subdomain of it (`example.com` covers
/// `api.example.com`).
pub(crate) fn allowed(host: &str, allowlist: &[String]) -> bool {
    allowlist.iter().any(|entry| host == entry || host.strip_suffix(entry.as_str()).is_some_and(|p| p.ends_with('.')))
}

/// The HTTP error status (400–599) a tool's result reports in its first characters: a JSON `status`,
/// `status_code`, `statusCode` or `http_status` field, or a status line (`HTTP/1.1 503 …`, `HTTP 404`).
pub(crate) fn http_failure(result: &str) -> Option<u16> {
    let head: String = result.chars().take(600).collect();
    let lower = head.to_ascii_lowercase();
    for key in [
        "\"status\"",
        "\"status_code\"",
        "\"statuscode\"",
        "\"http_status\"",
        "\"httpstatus\"",
        "http/1.1 ",
        "http/1.0 ",
        "http/2 ",
        "http ",
    ] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(key) {
            let after = &lower[from + i + key.len()..];
            let digits: String =
                after.trim_start_matches([' ', ':', '"']).chars().take_while(char::is_ascii_digit).collect();
            if digits.len() == 3 {
                if let Ok(code @ 400..=599) = digits.parse::<u16>() {
                    return Some(code);
                }
            }
            from += i + key.len();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_pattern_matches_the_start_of_a_word_and_any_other_pattern_the_whole_name() {
        assert!(name_matches("refund_payment", "pay"));
        assert!(name_matches("PayInvoice", "pay"));
        assert!(name_matches("sendEmail", "email"));
        assert!(name_matches("billing.pay", "PAY"));
        assert!(!name_matches("display_report", "pay"));
        assert!(!name_matches("repay", "pay"));
        assert!(name_matches("email.send", "email.send"));
        assert!(!name_matches("email.sender", "email.send"));
        assert!(name_matches("Stripe.Refund", "stripe.*"));
        assert!(name_matches("crm.contacts.delete", "crm.*.delete"));
        assert!(!name_matches("crm.delete", "crm.*.delete"));
        assert!(name_matches("a", "*"));
    }

    #[test]
    fn destinations_are_the_hosts_of_urls_and_the_domains_of_addresses_each_once() {
        let args = r#"{"to":"Mallory@Evil.example","cc":"ops@corp.example","url":"https:\/\/user:pw@files.evil.example:8443/x?y=1","again":"http://files.evil.example/z"}"#;
        let found: Vec<String> = destinations(args).into_iter().map(|d| d.host).collect();
        assert_eq!(found, ["files.evil.example", "evil.example", "corp.example"]);
        assert!(destinations("version 1.2.3, see README.md and localhost:8080, v1.2").is_empty());
        assert_eq!(destinations("ftp://10.0.0.7/dump").len(), 1);
        assert!(destinations("javascript://not-a-host").is_empty());
        assert!(destinations("@@@ @.com a@b @x.y").is_empty());
    }

    #[test]
    fn an_allowlist_entry_covers_itself_and_its_subdomains_only() {
        let list = vec!["corp.example".to_string()];
        assert!(allowed("corp.example", &list));
        assert!(allowed("api.corp.example", &list));
        assert!(!allowed("evilcorp.example", &list));
        assert!(!allowed("corp.example.evil", &list));
    }

    #[test]
    fn an_http_failure_is_read_from_a_status_field_or_line() {
        assert_eq!(http_failure(r#"{"status": 503, "body": "down"}"#), Some(503));
        assert_eq!(http_failure(r#"{"statusCode":"404"}"#), Some(404));
        assert_eq!(http_failure("HTTP/1.1 429 Too Many Requests"), Some(429));
        assert_eq!(http_failure(r#"{"status": 200, "note": "4040 items"}"#), None);
        assert_eq!(http_failure(r#"{"status": "ok"}"#), None);
        assert_eq!(http_failure("HTTP 3000"), None);
    }
}
