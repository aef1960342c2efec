//! What a text looks like before it is measured and drawn. People, agents and traces write anything, so:
//! `\r\n` and `\r` become `\n`; a tab becomes four spaces; control characters (U+0000–U+001F except `\n`,
//! U+007F–U+009F) are shown as `\x1B`-style escapes and bidirectional overrides and isolates (U+202A–U+202E,
//! U+2066–U+2069) as `\u{202E}`-style escapes, so nothing invisible reorders or hides text; a character the face
//! has no glyph for (emoji, CJK) becomes U+FFFD. The result is idempotent: cleaning it again changes nothing.

use std::borrow::Cow;

use super::fonts::{self, REPLACEMENT};
use super::Face;

const TAB: &str = "    ";

/// How one character is shown.
enum Shown {
    Itself,
    Newline,
    Tab,
    Escape,
    Replacement,
}

#[inline]
fn classify(c: char, face: Option<Face>) -> Shown {
    match c {
        '\n' => Shown::Itself,
        '\r' | '\u{2028}' | '\u{2029}' => Shown::Newline,
        '\t' => Shown::Tab,
        c if crate::text::is_hidden_control(c) => Shown::Escape,
        _ => match face {
            Some(face) if !fonts::has_glyph(face, c) => Shown::Replacement,
            _ => Shown::Itself,
        },
    }
}

/// `text` as it is drawn in `face`.
pub(crate) fn clean(text: &str, face: Face) -> Cow<'_, str> {
    clean_for(text, Some(face), false)
}

/// `text` as one line for the document outline and metadata: like [`clean`], with line breaks as spaces and no
/// glyph substitution (the viewer draws these in its own font).
pub(crate) fn clean_line(text: &str) -> String {
    let cleaned = clean_for(text, None, true);
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clean_for(text: &str, face: Option<Face>, one_line: bool) -> Cow<'_, str> {
    let first =
        text.char_indices().find(|&(_, c)| !matches!(classify(c, face), Shown::Itself) || (one_line && c == '\n'));
    let Some((start, _)) = first else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..start]);
    let mut chars = text[start..].chars().peekable();
    while let Some(c) = chars.next() {
        match classify(c, face) {
            Shown::Itself if one_line && c == '\n' => out.push(' '),
            Shown::Itself => out.push(c),
            Shown::Newline => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if one_line { ' ' } else { '\n' });
            }
            Shown::Tab => out.push_str(TAB),
            Shown::Escape => crate::text::push_escape(&mut out, c),
            Shown::Replacement => out.push(REPLACEMENT),
        }
    }
    Cow::Owned(out)
}

/// Cuts `text` to at most `max` characters, ending with "…" when it had to cut (outline titles, metadata).
pub(crate) fn at_most(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => {
            let mut cut = text[..end].trim_end().to_string();
            cut.push('…');
            cut
        }
    }
}
