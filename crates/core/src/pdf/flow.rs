//! Pagination: the blocks flow top to bottom within the margins. Space between blocks collapses (the larger of
//! the space after one and before the next, none at the top of a page). Text splits between lines, with no lone
//! first or last line of a paragraph at a page edge; boxes (notes, field rows, table rows, contents entries) move
//! to the next page whole when they fit there; a heading is never the last thing on its page. Levels 1 and 2 are
//! recorded for the outline and the contents, whose page numbers come from a first layout pass.

use std::ops::Range;

use super::clean::{at_most, clean_line};
use super::draw::{self, tint, Canvas, Dash, Running, Stroke};
use super::fonts;
use super::measure::{line_height, points, runs, safe_size, units, wrap, wrap_limited, wrap_text, Frag, Line, Run};
use super::page::Geometry;
use super::{Align, Block, Document, Face, Fields, Figure, Rgb, Span, Tone};

/// A level-1 or level-2 heading where it landed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mark {
    pub level: u8,
    pub title: String,
    /// 0-based page index and the top of the heading (from the top of the page).
    pub page: usize,
    pub top: f32,
}

/// The laid-out document.
pub(crate) struct Laid {
    pub pages: Vec<Canvas>,
    pub marks: Vec<Mark>,
    /// Where each heading block landed (page, top), by block index.
    pub landed: Vec<Option<(usize, f32)>>,
}

/// A stretch of lines placed on one page.
#[derive(Debug, Clone)]
pub(crate) struct Chunk {
    pub page: usize,
    /// Top of the chunk's box (padding included).
    pub top: f32,
    pub lines: Range<usize>,
    pub height: f32,
}

/// Whether a box of lines moves to the next page whole when it does not fit on this one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Keep {
    /// Split between lines as needed (paragraphs), keeping two lines together at each page edge.
    Lines,
    /// Move whole if it fits on a fresh page with `f32` points of it available.
    Whole(f32),
}

pub(crate) struct Flow<'a> {
    pub g: Geometry,
    running: &'a Running,
    pub pages: Vec<Canvas>,
    /// Cursor: top of the free space on the current page.
    pub y: f32,
    /// Nothing has been placed on the current page yet.
    pub fresh: bool,
    /// Space owed after the last block.
    pub pending: f32,
    /// Where each block that is a heading landed (by block index): page and top.
    headings: Vec<Option<(usize, f32)>>,
    /// Where they landed in the previous pass, for the contents' page numbers (none in the first pass).
    known: Option<&'a [Option<(usize, f32)>]>,
    /// A measuring pass: pages are counted, nothing is drawn.
    dry: bool,
}

/// What a layout pass is for.
#[derive(Clone, Copy)]
enum Pass<'a> {
    /// Only to find where the headings land.
    Measure,
    /// To draw, with the contents' page numbers from an earlier pass if there was one.
    Draw(Option<&'a [Option<(usize, f32)>]>),
}

/// Distance from the top of a line box to the baseline: half the leading above the ascender.
pub(crate) fn baseline(size: f32) -> f32 {
    let (ascent, descent) = fonts::font(Face::Regular).map_or((0.93, 0.24), |f| (f.ascent, f.descent));
    let lh = line_height(size);
    (lh - (ascent + descent) * size) / 2.0 + ascent * size
}

/// Left edge of a line of `width` in a box from `x` of `room` points.
pub(crate) fn aligned(x: f32, room: f32, width: f32, align: Align) -> f32 {
    match align {
        Align::Left => x,
        Align::Center => x + ((room - width) / 2.0).max(0.0),
        Align::Right => x + (room - width).max(0.0),
    }
}

fn heading_level(level: u8) -> u8 {
    level.clamp(1, 3)
}

fn heading_size(body: f32, level: u8) -> f32 {
    body * match heading_level(level) {
        1 => 1.8,
        2 => 1.35,
        _ => 1.1,
    }
}

fn tone_color(tone: Tone) -> Rgb {
    match tone {
        Tone::Info => Rgb::BLUE,
        Tone::Warning => Rgb::AMBER,
        Tone::Danger => Rgb::RED,
        Tone::Success => Rgb::GREEN,
    }
}

/// Space before and after each kind of block, as multiples of the body size.
fn spacing(block: &Block) -> (f32, f32) {
    match block {
        Block::Title { .. } => (0.0, 1.6),
        Block::Heading { level, .. } => match heading_level(*level) {
            1 => (1.6, 0.6),
            2 => (1.2, 0.45),
            _ => (1.0, 0.35),
        },
        Block::Paragraph { .. } => (0.0, 0.65),
        Block::Fields(_) => (0.3, 1.0),
        Block::Table(_) => (0.4, 1.1),
        Block::Figure(_) => (0.6, 1.1),
        Block::Note { .. } => (0.5, 1.0),
        Block::Contents => (0.3, 1.2),
        Block::Spacer(_) | Block::PageBreak => (0.0, 0.0),
    }
}

/// Width of the coloured bar on the left of a note.
const NOTE_BAR: f32 = 3.0;

impl<'a> Flow<'a> {
    fn new(g: Geometry, running: &'a Running, blocks: usize, pass: Pass<'a>) -> Flow<'a> {
        let (known, dry) = match pass {
            Pass::Measure => (None, true),
            Pass::Draw(known) => (known, false),
        };
        let mut flow = Flow {
            g,
            running,
            pages: Vec::new(),
            y: g.top,
            fresh: true,
            pending: 0.0,
            headings: vec![None; blocks],
            known,
            dry,
        };
        flow.new_page();
        flow
    }

    pub fn new_page(&mut self) {
        let mut canvas = Canvas::new(self.g.page_h, self.dry);
        self.running.under(&mut canvas, &self.g);
        self.pages.push(canvas);
        self.y = self.g.top;
        self.fresh = true;
        self.pending = 0.0;
    }

    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn canvas(&mut self) -> &mut Canvas {
        self.pages.last_mut().expect("a flow always has a page")
    }

    pub fn remaining(&self) -> f32 {
        self.g.bottom - self.y
    }

    /// The space before a block: collapsed with what the last block left, none at the top of a page.
    pub fn gap(&self, before: f32) -> f32 {
        if self.fresh {
            0.0
        } else {
            self.pending.max(before)
        }
    }

    /// Places a box of `n` lines of `lh` points plus `pad` above and below, splitting it between pages as `keep`
    /// says; `restart` runs on every page the box continues on (a table draws its header there). Advances the
    /// cursor and returns where each piece went; the caller draws them.
    pub fn chunks(
        &mut self,
        n: usize,
        lh: f32,
        pad: f32,
        before: f32,
        keep: Keep,
        restart: &mut dyn FnMut(&mut Flow<'a>),
    ) -> Vec<Chunk> {
        let lh = lh.max(0.01);
        let total = 2.0 * pad + n as f32 * lh;
        let mut gap = self.gap(before);
        let mut out = Vec::new();
        // Whether the box starts at the top of a page (after a repeated header, say): it cannot do better by moving.
        let mut started_here = self.fresh;
        if let Keep::Whole(capacity) = keep {
            if gap + total > self.remaining() && total <= capacity + 0.01 && !self.fresh {
                self.new_page();
                restart(self);
                started_here = true;
                gap = 0.0;
            }
        }
        let mut idx = 0;
        loop {
            let avail = self.remaining() - gap - 2.0 * pad;
            let fit = if avail > 0.0 { ((avail + 0.01) / lh).floor() as usize } else { 0 };
            let left = n - idx;
            let mut take = fit.min(left);
            if take < left {
                let lone_first = idx == 0 && keep == Keep::Lines && take < left.min(2);
                if lone_first && !started_here {
                    self.new_page();
                    restart(self);
                    started_here = true;
                    gap = 0.0;
                    continue;
                }
                if keep == Keep::Lines && left - take == 1 && take >= 3 {
                    take -= 1;
                }
            }
            if take == 0 && left > 0 {
                if started_here {
                    take = 1;
                } else {
                    self.new_page();
                    restart(self);
                    started_here = true;
                    gap = 0.0;
                    continue;
                }
            }
            let height = 2.0 * pad + take as f32 * lh;
            out.push(Chunk { page: self.page_index(), top: self.y + gap, lines: idx..idx + take, height });
            self.y += gap + height;
            self.fresh = false;
            idx += take;
            if idx >= n {
                break;
            }
            self.new_page();
            restart(self);
            started_here = true;
            gap = 0.0;
        }
        out
    }

    /// Draws `lines` of a chunk, the first at `top`, in a box from `x` of `room` points.
    #[allow(clippy::too_many_arguments)]
    pub fn draw_lines(
        &mut self,
        page: usize,
        lines: &[Line],
        top: f32,
        x: f32,
        room: f32,
        size: f32,
        align: Align,
        color: Rgb,
    ) {
        let lh = line_height(size);
        let base = baseline(size);
        let canvas = &mut self.pages[page];
        for (i, line) in lines.iter().enumerate() {
            let lx = aligned(x, room, line.width(size), align);
            canvas.text(lx, top + i as f32 * lh + base, size, &line.frags, color);
        }
    }

    /// A paragraph-like stretch of lines at the flow's full width.
    fn text_block(&mut self, lines: &[Line], size: f32, before: f32, after: f32, align: Align, color: Rgb) {
        if lines.is_empty() {
            return;
        }
        let lh = line_height(size);
        for c in self.chunks(lines.len(), lh, 0.0, before, Keep::Lines, &mut |_| {}) {
            let (x, w) = (self.g.left, self.g.width);
            self.draw_lines(c.page, &lines[c.lines.clone()], c.top, x, w, size, align, color);
        }
        self.pending = after;
    }

    fn paragraph(&mut self, spans: &[Span], size: Option<f32>, align: Align, block: &Block) {
        let size = self.paragraph_size(size);
        let lines = wrap(&runs(spans, Face::Regular), size, self.g.width);
        let (before, after) = self.spacing(block);
        self.text_block(&lines, size, before, after, align, Rgb::BLACK);
    }

    /// A paragraph's type size: the body size unless given, and never so large that two lines do not fit a page.
    fn paragraph_size(&self, size: Option<f32>) -> f32 {
        self.bounded(size.map_or(self.g.body, |s| safe_size(s, self.g.body)))
    }

    pub(super) fn bounded(&self, size: f32) -> f32 {
        size.min(self.g.height() / line_height(1.0) / 2.0)
    }

    pub(super) fn spacing(&self, block: &Block) -> (f32, f32) {
        let (b, a) = spacing(block);
        (b * self.g.body, a * self.g.body)
    }

    fn title(&mut self, text: &str, subtitle: Option<&str>, block: &Block) {
        let size = self.g.body * 2.6;
        let (before, after) = self.spacing(block);
        let lines = wrap_text(text, Face::Bold, None, size, self.g.width);
        let sub_size = self.g.body * 1.35;
        let sub = subtitle.map(|s| wrap_text(s, Face::Regular, None, sub_size, self.g.width)).unwrap_or_default();
        // Keep the title with its subtitle's first lines.
        let need = self.gap(before)
            + lines.len() as f32 * line_height(size)
            + sub.len().min(2) as f32 * line_height(sub_size)
            + 0.5 * self.g.body;
        if need > self.remaining() && !self.fresh {
            self.new_page();
        }
        // An accent rule above the title.
        let gap = self.gap(before);
        let top = self.y + gap;
        let (left, bar) = (self.g.left, self.g.body * 4.0);
        self.canvas().rect(left, top, bar, 2.5, Some(Rgb::BLUE), None);
        self.y = top + 2.5 + 0.9 * self.g.body;
        self.fresh = false;
        self.pending = 0.0;
        self.text_block(&lines, size, 0.0, 0.35 * self.g.body, Align::Left, Rgb::BLACK);
        self.text_block(&sub, sub_size, 0.0, after, Align::Left, Rgb::MUTED);
        self.pending = after;
    }

    fn heading(&mut self, blocks: &[Block], i: usize, level: u8, text: &str, new_page: bool) {
        let block = &blocks[i];
        let level = heading_level(level);
        if new_page && !self.fresh {
            self.new_page();
        }
        let size = heading_size(self.g.body, level);
        let lines = wrap_text(text, Face::Bold, None, size, self.g.width);
        let lh = line_height(size);
        let (before, after) = self.spacing(block);
        let own = lines.len().max(1) as f32 * lh + self.rule_space(level);
        let need = self.gap(before) + own + after + self.lead_after(blocks, i);
        if need > self.remaining() && !self.fresh {
            self.new_page();
        }
        let top = self.y + self.gap(before);
        self.headings[i] = Some((self.page_index(), top));
        if lines.is_empty() {
            self.y = top + lh;
            self.fresh = false;
        } else {
            self.text_block(&lines, size, before, 0.0, Align::Left, Rgb::BLACK);
        }
        if level == 1 {
            let y = self.y + 0.25 * self.g.body;
            let (l, r) = (self.g.left, self.g.left + self.g.width);
            self.canvas().hline(l, r, y, Stroke::solid(Rgb::RULE, 0.6));
            self.y += self.rule_space(level);
        }
        self.pending = after;
    }

    fn rule_space(&self, level: u8) -> f32 {
        if level == 1 {
            0.45 * self.g.body
        } else {
            0.0
        }
    }

    /// The height that must follow heading `i` on its page: the headings right after it and the first line (or
    /// row, or the whole figure) of the block after those.
    fn lead_after(&self, blocks: &[Block], i: usize) -> f32 {
        let mut total = 0.0;
        let mut after = self.spacing(&blocks[i]).1;
        for block in &blocks[i + 1..] {
            if total > self.g.height() {
                break;
            }
            let (before, next_after) = self.spacing(block);
            let gap = after.max(before);
            match block {
                Block::PageBreak | Block::Heading { new_page: true, .. } => return total,
                Block::Spacer(h) => {
                    total += safe_spacer(*h);
                    after = 0.0;
                }
                Block::Heading { level, text, .. } => {
                    let size = heading_size(self.g.body, *level);
                    let n = wrap_limited(&[Run::new(text, Face::Bold, None)], size, self.g.width, 3).lines.len();
                    total += gap + n.max(1) as f32 * line_height(size) + self.rule_space(heading_level(*level));
                    after = next_after;
                }
                other => return total + gap + self.first_unit(other),
            }
        }
        total
    }

    /// The height of the first thing a block puts on a page (what a heading before it must be kept with).
    fn first_unit(&self, block: &Block) -> f32 {
        let g = &self.g;
        let first_lines = |runs: &[Run<'_>], size: f32, width: f32| -> f32 {
            let n = wrap_limited(runs, size, width, 2).lines.len();
            n as f32 * line_height(size)
        };
        let unit = match block {
            Block::Title { .. } => 4.0 * line_height(g.body * 2.6),
            Block::Paragraph { spans, size, .. } => {
                let size = self.paragraph_size(*size);
                first_lines(&runs(spans, Face::Regular), size, g.width)
            }
            Block::Note { spans, .. } => {
                let (pad, width) = self.note_box();
                2.0 * pad + first_lines(&runs(spans, Face::Regular), g.body, width)
            }
            Block::Fields(f) => match f.rows.first() {
                None => 0.0,
                Some((label, value)) => {
                    let (lw, vw, pad) = self.fields_columns(f);
                    let l = first_lines(&[Run::new(label, Face::Bold, None)], g.body, lw);
                    let v = first_lines(&runs(value, Face::Regular), g.body, vw);
                    2.0 * pad + l.max(v)
                }
            },
            Block::Table(t) => self.table_first_unit(t),
            Block::Figure(f) => self.figure_size(f).2,
            Block::Contents => line_height(g.body) * 2.0,
            Block::Heading { .. } | Block::Spacer(_) | Block::PageBreak => 0.0,
        };
        unit.min(g.height())
    }

    fn note_box(&self) -> (f32, f32) {
        let pad = 0.7 * self.g.body;
        (pad, self.g.width - NOTE_BAR - 2.0 * 1.1 * self.g.body)
    }

    fn note(&mut self, spans: &[Span], tone: Tone, block: &Block) {
        let (pad, width) = self.note_box();
        let size = self.g.body;
        let lines = wrap(&runs(spans, Face::Regular), size, width);
        if lines.is_empty() {
            return;
        }
        let (before, after) = self.spacing(block);
        let lh = line_height(size);
        let color = tone_color(tone);
        let capacity = self.g.height();
        for c in self.chunks(lines.len(), lh, pad, before, Keep::Whole(capacity), &mut |_| {}) {
            let (x, w) = (self.g.left, self.g.width);
            let canvas = &mut self.pages[c.page];
            canvas.rect(x, c.top, w, c.height, Some(tint(color, 0.9)), None);
            canvas.rect(x, c.top, NOTE_BAR, c.height, Some(color), None);
            let text_x = x + NOTE_BAR + 1.1 * size;
            self.draw_lines(c.page, &lines[c.lines.clone()], c.top + pad, text_x, width, size, Align::Left, Rgb::BLACK);
        }
        self.pending = after;
    }

    /// Label width, value width and the row padding of a fields list.
    fn fields_columns(&self, f: &Fields) -> (f32, f32, f32) {
        let share = if f.label_width.is_finite() { f.label_width.clamp(0.08, 0.8) } else { 0.3 };
        let gutter = self.g.body * 1.2;
        let label = self.g.width * share - gutter / 2.0;
        (label, self.g.width - label - gutter, 0.3 * self.g.body)
    }

    fn fields(&mut self, f: &Fields, block: &Block) {
        let (lw, vw, pad) = self.fields_columns(f);
        let size = self.g.body;
        let lh = line_height(size);
        let (mut before, after) = self.spacing(block);
        let value_x = self.g.left + self.g.width - vw;
        let capacity = self.g.height();
        for (label, value) in &f.rows {
            let label_lines = wrap_text(label, Face::Bold, Some(Rgb::MUTED), size, lw);
            let value_lines = wrap(&runs(value, Face::Regular), size, vw);
            let n = label_lines.len().max(value_lines.len()).max(1);
            let chunks = self.chunks(n, lh, pad, before, Keep::Whole(capacity), &mut |_| {});
            let last = chunks.len().saturating_sub(1);
            for (k, c) in chunks.into_iter().enumerate() {
                let top = c.top + pad;
                let l = clip_range(&c.lines, label_lines.len());
                let v = clip_range(&c.lines, value_lines.len());
                let left = self.g.left;
                self.draw_lines(c.page, &label_lines[l], top, left, lw, size, Align::Left, Rgb::MUTED);
                self.draw_lines(c.page, &value_lines[v], top, value_x, vw, size, Align::Left, Rgb::BLACK);
                if k == last {
                    let (x1, x2) = (self.g.left, self.g.left + self.g.width);
                    let y = c.top + c.height;
                    self.pages[c.page].hline(x1, x2, y, Stroke::solid(tint(Rgb::RULE, 0.45), 0.4));
                }
            }
            before = 0.0;
            self.pending = 0.0;
        }
        self.pending = after;
    }

    /// Scale, caption lines and total height of a figure (at most a page).
    fn figure_size(&self, f: &Figure) -> (f32, Vec<Line>, f32) {
        let g = &self.g;
        let height = if f.height.is_finite() { f.height.clamp(0.0, 100_000.0) } else { 0.0 };
        let caption = f
            .caption
            .as_deref()
            .map(|c| wrap_text(c, Face::Italic, Some(Rgb::MUTED), g.small, g.width))
            .unwrap_or_default();
        let cap_gap = if caption.is_empty() { 0.0 } else { 0.5 * g.body };
        let cap_first = caption.len().min(2) as f32 * line_height(g.small);
        let room = g.height() - cap_gap - cap_first;
        let scale = if height > room && height > 0.0 { (room / height).max(0.05) } else { 1.0 };
        let total = height * scale + cap_gap + cap_first;
        (scale, caption, total)
    }

    fn figure(&mut self, f: &Figure, block: &Block) {
        let (before, after) = self.spacing(block);
        let (scale, caption, unit) = self.figure_size(f);
        let height = if f.height.is_finite() { f.height.clamp(0.0, 100_000.0) } else { 0.0 };
        if self.gap(before) + unit > self.remaining() && !self.fresh {
            self.new_page();
        }
        let top = self.y + self.gap(before);
        let width = self.g.width;
        let x0 = self.g.left + (width - width * scale) / 2.0;
        draw::figure(self.canvas(), f, x0, top, width, height, scale);
        self.y = top + height * scale;
        self.fresh = false;
        self.pending = 0.0;
        let g = self.g;
        self.text_block(&caption, g.small, 0.5 * g.body, after, Align::Center, Rgb::MUTED);
        self.pending = after;
    }

    fn spacer(&mut self, h: f32) {
        let h = safe_spacer(h);
        if h <= 0.0 {
            return;
        }
        if h >= self.remaining() {
            if !self.fresh {
                self.new_page();
            }
            return;
        }
        self.y += h;
        self.fresh = false;
        self.pending = 0.0;
    }

    /// The contents: every level-1 and level-2 heading after block `i`, each with a dotted leader to its page
    /// number and a link to its page. The numbers come from the previous pass; in the first pass their room is
    /// kept empty (as wide as five digits, so the entries wrap the same in both passes).
    fn contents(&mut self, blocks: &[Block], i: usize) {
        let block = &blocks[i];
        let (mut before, after) = self.spacing(block);
        let size = self.g.body;
        let lh = line_height(size);
        let number_w = points(units("00000", Face::Bold), size);
        let leader_min = 2.0 * size;
        let capacity = self.g.height();
        for (j, b) in blocks.iter().enumerate().skip(i + 1) {
            let Block::Heading { level, text, .. } = b else { continue };
            let level = heading_level(*level);
            if level > 2 {
                continue;
            }
            let (face, indent, extra) =
                if level == 1 { (Face::Bold, 0.0, 0.35 * size) } else { (Face::Regular, 1.6 * size, 0.0) };
            let room = self.g.width - indent - number_w - leader_min;
            let lines = wrap_text(text, face, None, size, room);
            let n = lines.len().max(1);
            let chunks = self.chunks(n, lh, 0.0, before.max(extra), Keep::Whole(capacity), &mut |_| {});
            before = 0.0;
            self.pending = 0.0;
            let x = self.g.left + indent;
            let last = chunks.len().saturating_sub(1);
            for (k, c) in chunks.into_iter().enumerate() {
                let shown = clip_range(&c.lines, lines.len());
                self.draw_lines(c.page, &lines[shown.clone()], c.top, x, room, size, Align::Left, Rgb::BLACK);
                let target = self.known.and_then(|known| known.get(j).copied().flatten());
                let (Some((page, top)), true) = (target, k == last) else { continue };
                let end = shown.end.checked_sub(1).map_or(0.0, |l| lines[l].width(size));
                let base = c.top + (c.lines.len().max(1) - 1) as f32 * lh + baseline(size);
                let number = (page + 1).to_string();
                let w = points(units(&number, face), size);
                let right = self.g.left + self.g.width;
                let (from, to) = (x + end + 0.5 * size, right - w - 0.5 * size);
                let (left, width) = (self.g.left, self.g.width);
                let canvas = &mut self.pages[c.page];
                if to > from {
                    canvas.line(from, base, to, base, Stroke { color: Rgb::MUTED, width: 0.8, dash: Dash::Dotted });
                }
                let frag = Frag { text: number, face, color: None, units: 0 };
                canvas.text(right - w, base, size, &[frag], Rgb::BLACK);
                canvas.link(left, c.top, width, c.height, page + 1, top - 4.0);
            }
        }
        self.pending = after;
    }
}

/// The part of `range` that falls within `len` lines.
pub(crate) fn clip_range(range: &Range<usize>, len: usize) -> Range<usize> {
    range.start.min(len)..range.end.min(len)
}

fn safe_spacer(h: f32) -> f32 {
    if h.is_finite() {
        h.clamp(0.0, 1.0e6)
    } else {
        0.0
    }
}

/// Lays out the whole document. With contents, twice: the first pass finds where the headings land, the second
/// writes their page numbers into the contents (whose height does not depend on them, so nothing moves; a third
/// pass would run if something had).
pub(crate) fn layout(doc: &Document, g: Geometry, running: &Running) -> Laid {
    if !doc.blocks.iter().any(|b| matches!(b, Block::Contents)) {
        return layout_pass(doc, g, running, Pass::Draw(None));
    }
    let mut known = layout_pass(doc, g, running, Pass::Measure).landed;
    let mut tries = 0;
    loop {
        let next = layout_pass(doc, g, running, Pass::Draw(Some(&known)));
        tries += 1;
        if next.landed == known || tries == 3 {
            return next;
        }
        known = next.landed;
    }
}

fn layout_pass<'a>(doc: &Document, g: Geometry, running: &'a Running, pass: Pass<'a>) -> Laid {
    let blocks = &doc.blocks;
    let mut flow = Flow::new(g, running, blocks.len(), pass);
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Title { text, subtitle } => flow.title(text, subtitle.as_deref(), block),
            Block::Heading { level, text, new_page } => flow.heading(blocks, i, *level, text, *new_page),
            Block::Paragraph { spans, size, align } => flow.paragraph(spans, *size, *align, block),
            Block::Fields(f) => flow.fields(f, block),
            Block::Table(t) => flow.table(t, block),
            Block::Figure(f) => flow.figure(f, block),
            Block::Note { spans, tone } => flow.note(spans, *tone, block),
            Block::Contents => flow.contents(blocks, i),
            Block::Spacer(h) => flow.spacer(*h),
            Block::PageBreak => {
                if !flow.fresh {
                    flow.new_page();
                }
            }
        }
    }
    let marks = blocks
        .iter()
        .zip(&flow.headings)
        .filter_map(|(b, at)| match (b, at) {
            (Block::Heading { level, text, .. }, Some((page, top))) if heading_level(*level) <= 2 => Some(Mark {
                level: heading_level(*level),
                title: at_most(clean_line(text), 500),
                page: *page,
                top: *top,
            }),
            _ => None,
        })
        .collect();
    Laid { pages: flow.pages, marks, landed: flow.headings }
}
