//! Widths and line breaking. A width is the sum of the glyph advances the PDF's `/W` array holds (1/1000 em
//! each, see `fonts`), so a line measured here is exactly as wide as the viewer draws it: right-aligned text ends
//! on its edge and a wrapped cell never overflows its column.
//!
//! Lines break at spaces (the spaces at a break are dropped) and after a hyphen inside a word; a word longer than
//! the line breaks between characters; `\n` is a hard break. Widths are kept as integers of 1/1000 em until they
//! are turned into points, so sums are exact.

use std::borrow::Cow;

use super::clean::clean;
use super::fonts::{self, FontData};
use super::{Face, Rgb, Span};

/// Leading as a multiple of the type size.
const LEADING: f32 = 1.35;

/// A type size made safe: NaN, infinite, zero or negative sizes become `fallback`; the rest is kept in 1–500 pt.
pub(crate) fn safe_size(size: f32, fallback: f32) -> f32 {
    if size.is_finite() && size > 0.0 {
        size.clamp(1.0, 500.0)
    } else {
        fallback
    }
}

/// The leading (baseline-to-baseline distance) used for type of `size` points.
pub fn line_height(size: f32) -> f32 {
    safe_size(size, 0.0) * LEADING
}

/// Points for `units` (1/1000 em) at `size`.
#[inline]
pub(crate) fn points(units: u64, size: f32) -> f32 {
    (units as f64 * size as f64 / 1000.0) as f32
}

/// The advance width, in points, of `text` in `face` at `size`, exactly as the PDF draws it (after the same
/// cleaning as drawn text: escapes, tabs, U+FFFD for missing glyphs). A text with line breaks measures as its
/// widest line.
pub fn text_width(text: &str, face: Face, size: f32) -> f32 {
    let size = safe_size(size, 0.0);
    let cleaned = clean(text, face);
    let widest = cleaned.split('\n').map(|line| units(line, face)).max().unwrap_or(0);
    points(widest, size)
}

/// The advance of a cleaned single-line text, in 1/1000 em.
pub(crate) fn units(text: &str, face: Face) -> u64 {
    match fonts::font(face) {
        Some(f) => text.chars().map(|c| f.advance(c) as u64).sum(),
        None => text.chars().map(|c| fonts::advance(face, c) as u64).sum(),
    }
}

/// A run of cleaned text in one face and colour: the input of [`wrap`].
pub(crate) struct Run<'a> {
    pub text: Cow<'a, str>,
    pub face: Face,
    pub color: Option<Rgb>,
}

impl<'a> Run<'a> {
    pub fn new(text: &'a str, face: Face, color: Option<Rgb>) -> Run<'a> {
        Run { text: clean(text, face), face, color }
    }
}

/// The runs of `spans`; `regular` is the face a span in [`Face::Regular`] takes (a table column's face).
pub(crate) fn runs(spans: &[Span], regular: Face) -> Vec<Run<'_>> {
    spans
        .iter()
        .map(|s| {
            let face = if s.face == Face::Regular { regular } else { s.face };
            Run::new(&s.text, face, s.color)
        })
        .collect()
}

/// A piece of a line in one face and colour.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Frag {
    pub text: String,
    pub face: Face,
    pub color: Option<Rgb>,
    pub units: u64,
}

/// One wrapped line.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Line {
    pub frags: Vec<Frag>,
    /// Width in 1/1000 em (all frags share the paragraph's size).
    pub units: u64,
    /// Where the line's text ends: (run, byte offset in the run's cleaned text).
    pub end: (usize, usize),
}

impl Line {
    pub fn width(&self, size: f32) -> f32 {
        points(self.units, size)
    }
}

/// A stretch of one run's text.
#[derive(Debug, Clone, Copy)]
struct Piece {
    run: usize,
    start: usize,
    end: usize,
    units: u64,
}

fn push_piece(pieces: &mut Vec<Piece>, p: Piece) {
    if let Some(last) = pieces.last_mut() {
        if last.run == p.run && last.end == p.start {
            last.end = p.end;
            last.units += p.units;
            return;
        }
    }
    pieces.push(p);
}

struct Wrapper<'r, 'a> {
    runs: &'r [Run<'a>],
    fonts: Vec<Option<&'static FontData>>,
    max: u64,
    limit: usize,
    lines: Vec<Line>,
    line: Vec<Piece>,
    line_units: u64,
    spaces: Vec<Piece>,
    space_units: u64,
    word: Vec<Piece>,
    word_units: u64,
    stopped: bool,
    /// The character being read: (run, byte offset).
    pos: (usize, usize),
}

impl Wrapper<'_, '_> {
    fn advance(&self, run: usize, c: char) -> u64 {
        match self.fonts[run] {
            Some(f) => f.advance(c) as u64,
            None => fonts::advance(self.runs[run].face, c) as u64,
        }
    }

    fn emit_line(&mut self) {
        let end = self.line.last().map_or(self.pos, |p| (p.run, p.end));
        let mut line = Line { frags: Vec::with_capacity(1), units: self.line_units, end };
        for p in self.line.drain(..) {
            let run = &self.runs[p.run];
            let text = &run.text[p.start..p.end];
            match line.frags.last_mut() {
                Some(f) if f.face == run.face && f.color == run.color => {
                    f.text.push_str(text);
                    f.units += p.units;
                }
                _ => line.frags.push(Frag { text: text.to_string(), face: run.face, color: run.color, units: p.units }),
            }
        }
        self.lines.push(line);
        self.line_units = 0;
        if self.lines.len() >= self.limit {
            self.stopped = true;
        }
    }

    fn take_spaces(&mut self) {
        for p in std::mem::take(&mut self.spaces) {
            push_piece(&mut self.line, p);
        }
        self.line_units += self.space_units;
        self.space_units = 0;
    }

    fn drop_spaces(&mut self) {
        self.spaces.clear();
        self.space_units = 0;
    }

    fn take_word(&mut self) {
        for p in std::mem::take(&mut self.word) {
            push_piece(&mut self.line, p);
        }
        self.line_units += self.word_units;
        self.word_units = 0;
    }

    /// Places the word just read: on this line if it fits with the spaces before it, else on a new line, broken
    /// between characters if it is longer than a whole line.
    fn place_word(&mut self) {
        if self.word.is_empty() || self.stopped {
            return;
        }
        if self.line_units + self.space_units + self.word_units <= self.max {
            self.take_spaces();
            self.take_word();
            return;
        }
        self.drop_spaces();
        if !self.line.is_empty() {
            self.emit_line();
            if self.stopped {
                return;
            }
        }
        if self.word_units <= self.max {
            self.take_word();
        } else {
            self.break_word();
        }
    }

    fn break_word(&mut self) {
        let word = std::mem::take(&mut self.word);
        self.word_units = 0;
        for p in word {
            let text = &self.runs[p.run].text[p.start..p.end];
            for (i, c) in text.char_indices() {
                let cu = self.advance(p.run, c);
                if self.line_units + cu > self.max && !self.line.is_empty() {
                    self.emit_line();
                    if self.stopped {
                        return;
                    }
                }
                let start = p.start + i;
                push_piece(&mut self.line, Piece { run: p.run, start, end: start + c.len_utf8(), units: cu });
                self.line_units += cu;
            }
        }
    }

    fn hard_break(&mut self) {
        self.place_word();
        if self.stopped {
            return;
        }
        self.drop_spaces();
        self.emit_line();
    }

    fn run(mut self) -> Wrapped {
        let mut after_letter = false;
        'runs: for (ri, run) in self.runs.iter().enumerate() {
            for (i, c) in run.text.char_indices() {
                if self.stopped {
                    break 'runs;
                }
                self.pos = (ri, i);
                match c {
                    '\n' => {
                        self.hard_break();
                        after_letter = false;
                        continue;
                    }
                    ' ' => {
                        self.place_word();
                        let units = self.advance(ri, c);
                        push_piece(&mut self.spaces, Piece { run: ri, start: i, end: i + 1, units });
                        self.space_units += units;
                        after_letter = false;
                        continue;
                    }
                    _ => {}
                }
                let units = self.advance(ri, c);
                push_piece(&mut self.word, Piece { run: ri, start: i, end: i + c.len_utf8(), units });
                self.word_units += units;
                if c == '-' && after_letter {
                    // A break opportunity after a hyphen inside a word ("Łukasiewicz-|Øster").
                    self.place_word();
                }
                after_letter = c.is_alphabetic();
            }
        }
        if !self.stopped {
            self.place_word();
            if !self.stopped && !self.line.is_empty() {
                self.emit_line();
            }
        }
        Wrapped { complete: !self.stopped || self.at_end(), lines: self.lines }
    }

    /// Whether the text after the last line is nothing but spaces and line breaks.
    fn at_end(&self) -> bool {
        let Some(last) = self.lines.last() else { return true };
        let (run, end) = last.end;
        if run >= self.runs.len() {
            return true;
        }
        self.runs[run].text[end..].chars().all(|c| c == ' ' || c == '\n')
            && self.runs[run + 1..].iter().all(|r| r.text.chars().all(|c| c == ' ' || c == '\n'))
    }
}

/// The result of [`wrap`].
pub(crate) struct Wrapped {
    pub lines: Vec<Line>,
    /// False when the line limit stopped the wrap before the end of the text.
    pub complete: bool,
}

/// Wraps `runs` at `width` points for type of `size`, stopping after `limit` lines.
pub(crate) fn wrap_limited(runs: &[Run<'_>], size: f32, width: f32, limit: usize) -> Wrapped {
    let size = safe_size(size, 1.0);
    if limit == 0 {
        let empty = runs.iter().all(|r| r.text.chars().all(|c| c == ' ' || c == '\n'));
        return Wrapped { lines: Vec::new(), complete: empty };
    }
    let max = if width.is_finite() && width > 0.0 { ((width as f64) * 1000.0 / size as f64 + 1e-6) as u64 } else { 0 };
    let wrapper = Wrapper {
        runs,
        fonts: runs.iter().map(|r| fonts::font(r.face)).collect(),
        max,
        limit,
        lines: Vec::new(),
        line: Vec::new(),
        line_units: 0,
        spaces: Vec::new(),
        space_units: 0,
        word: Vec::new(),
        word_units: 0,
        stopped: false,
        pos: (0, 0),
    };
    wrapper.run()
}

/// Wraps `runs` at `width` points for type of `size`.
pub(crate) fn wrap(runs: &[Run<'_>], size: f32, width: f32) -> Vec<Line> {
    wrap_limited(runs, size, width, usize::MAX).lines
}

/// Wraps one text in one face.
pub(crate) fn wrap_text(text: &str, face: Face, color: Option<Rgb>, size: f32, width: f32) -> Vec<Line> {
    wrap(&[Run::new(text, face, color)], size, width)
}

/// Cuts `text` so that, wrapped at `width`, it takes at most `max_lines` lines; if it had to cut, it cuts at a
/// word boundary and ends with `marker` (e.g. " … continued in the full report"), the marker itself fitting in
/// the lines. Returns the text and whether it was cut.
///
/// An uncut text comes back unchanged. A cut text comes back cleaned (control characters already escaped, tabs
/// as spaces), which draws the same. When not even the first word fits beside the marker, the cut falls inside
/// that word; when the marker alone does not fit, as much of the marker as fits is returned.
pub fn fit(text: &str, face: Face, size: f32, width: f32, max_lines: usize, marker: &str) -> (String, bool) {
    let size = safe_size(size, 1.0);
    let cleaned = clean(text, face);
    let whole = wrap_limited(&[Run { text: Cow::Borrowed(&cleaned), face, color: None }], size, width, max_lines);
    if whole.complete {
        return (text.to_string(), false);
    }
    let marker = clean(marker, face);
    let lines_of = |candidate: &str| -> usize {
        let run = [Run { text: Cow::Borrowed(candidate), face, color: None }];
        let w = wrap_limited(&run, size, width, max_lines + 1);
        if w.complete && w.lines.len() <= max_lines {
            w.lines.len()
        } else {
            usize::MAX
        }
    };
    let with_marker = |prefix: &str| -> String {
        let mut s = prefix.trim_end().to_string();
        s.push_str(&marker);
        s
    };
    // Everything that can possibly remain lies within the lines that fit on their own.
    let bound = whole.lines.last().map_or(0, |l| l.end.1).min(cleaned.len());
    let head = &cleaned[..bound];
    // Word boundaries: the positions of the spaces and line breaks, after a word.
    let mut cuts: Vec<usize> = head
        .char_indices()
        .filter(|&(i, c)| (c == ' ' || c == '\n') && i > 0 && !head[..i].ends_with([' ', '\n']))
        .map(|(i, _)| i)
        .collect();
    if !head.is_empty() && cleaned[bound..].starts_with([' ', '\n']) {
        cuts.push(bound);
    }
    let fits = |cut: usize| lines_of(&with_marker(&head[..cut])) <= max_lines;
    if let Some(best) = last_fitting(&cuts, &fits) {
        return (with_marker(&head[..best]), true);
    }
    // No whole word fits beside the marker: cut inside the first word.
    let chars: Vec<usize> = head.char_indices().map(|(i, _)| i).skip(1).collect();
    if let Some(best) = last_fitting(&chars, &fits) {
        return (with_marker(&head[..best]), true);
    }
    if fits(0) {
        return (marker.trim_start().to_string(), true);
    }
    // Not even the marker fits: as much of it as does.
    let marker = marker.trim_start();
    let ends: Vec<usize> = marker.char_indices().map(|(i, _)| i).skip(1).chain([marker.len()]).collect();
    let fits_marker = |end: usize| lines_of(&marker[..end]) <= max_lines;
    match last_fitting(&ends, &fits_marker) {
        Some(end) => (marker[..end].to_string(), true),
        None => (String::new(), true),
    }
}

/// The last of the ascending `candidates` for which `fits` holds, assuming it holds for a prefix of them.
fn last_fitting(candidates: &[usize], fits: &dyn Fn(usize) -> bool) -> Option<usize> {
    let (mut lo, mut hi) = (0usize, candidates.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fits(candidates[mid]) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    // Greedy wrapping is monotone in practice; step down if it was not here.
    let mut i = lo;
    while i > 0 {
        if fits(candidates[i - 1]) {
            return Some(candidates[i - 1]);
        }
        i -= 1;
        if lo - i > 64 {
            break;
        }
    }
    None
}
