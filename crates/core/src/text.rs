//! Free text typed by people: trimmed, and refused with the field's name when too long for a record; and text from
//! people, agents and traces made safe to show where it could pose as something else (a terminal, a PDF line).

use crate::error::{Error, Result};
use std::borrow::Cow;
use std::fmt::Write;

/// Trimmed text, refused with the field's name when longer than `max` characters.
pub(crate) fn limited(field: &str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(Error::invalid(field, format!("The {field} is too long; keep it under {max} characters.")));
    }
    Ok(text.to_string())
}

/// Control characters (other than line feed), bidirectional marks, overrides and isolates, and the invisible
/// characters that can hide text in plain sight (zero-width space, soft hyphen, byte-order mark, line and paragraph
/// separators, Unicode tag characters that smuggle invisible ASCII): what can hide text, move the cursor of a
/// terminal or reorder what a reader sees. The zero-width joiners stay: emoji and scripts need them.
pub fn is_hidden_control(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{9}'
            | '\u{B}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{AD}'
            | '\u{61C}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Appends `c` as a visible escape: `\x1B` for C0/C1 controls, `\u{202E}` for the others.
pub fn push_escape(out: &mut String, c: char) {
    let cp = c as u32;
    if cp <= 0x9F {
        let _ = write!(out, "\\x{cp:02X}");
    } else {
        let _ = write!(out, "\\u{{{cp:04X}}}");
    }
}

/// `text` with every hidden control character shown as an escape; line feeds stay (use [`one_line`] for a single
/// line).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden_control(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as one line: hidden controls and line feeds shown as escapes.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\n' || is_hidden_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\n' || is_hidden_control(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hidden_controls_are_shown_and_nothing_else_changes() {
        assert_eq!(super::visible("plain Zoë\nnext"), "plain Zoë\nnext");
        assert_eq!(super::visible("a\u{1b}[2J\u{202E}b\rc\u{0}"), "a\\x1B[2J\\u{202E}b\\x0Dc\\x00");
        assert_eq!(super::one_line("Status\nclosed\t!"), "Status\\x0Aclosed\\x09!");
    }

    #[test]
    fn invisible_text_is_shown_and_joiners_stay() {
        // A zero-width space, a byte-order mark and Unicode tags spelling "hi" (invisible "ASCII smuggling").
        assert_eq!(super::visible("a\u{200B}b\u{FEFF}\u{E0068}\u{E0069}"), "a\\u{200B}b\\u{FEFF}\\u{E0068}\\u{E0069}");
        assert_eq!(super::visible("\u{200E}\u{2028}\u{AD}"), "\\u{200E}\\u{2028}\\u{00AD}");
        assert_eq!(super::visible("👩\u{200D}💻"), "👩\u{200D}💻");
    }
}
