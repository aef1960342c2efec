//! Tables: proportional column widths, padded cells that wrap, a bold header row on a shaded band that is drawn
//! again at the top of every page the table continues on, thin rules between rows, optional row fills and
//! right-aligned columns. A row that does not fit moves to the next page whole; a row taller than a page is split
//! between its lines and continues after the repeated header. Rows are wrapped one at a time, so a table of tens
//! of thousands of rows never holds more than one row's lines.

use super::draw::{tint, Stroke};
use super::flow::{clip_range, Flow, Keep};
use super::measure::{line_height, runs, safe_size, wrap, wrap_limited, wrap_text, Line};
use super::{Align, Block, Face, Rgb, Table};

/// A column as laid out.
struct Col {
    x: f32,
    w: f32,
    face: Face,
    align: Align,
}

struct Grid {
    cols: Vec<Col>,
    size: f32,
    lh: f32,
    pad_x: f32,
    pad_y: f32,
    /// Header lines per column; empty when no column has a title.
    header: Vec<Vec<Line>>,
    header_h: f32,
}

impl Grid {
    fn inner(&self, c: &Col) -> f32 {
        (c.w - 2.0 * self.pad_x).max(0.0)
    }

    /// The wrapped cells of a row (at most `limit` lines each).
    fn cells(&self, row: &super::Row, limit: usize) -> Vec<Vec<Line>> {
        self.cols
            .iter()
            .enumerate()
            .map(|(i, col)| match row.cells.get(i) {
                Some(cell) if limit == usize::MAX => wrap(&runs(&cell.spans, col.face), self.size, self.inner(col)),
                Some(cell) => wrap_limited(&runs(&cell.spans, col.face), self.size, self.inner(col), limit).lines,
                None => Vec::new(),
            })
            .collect()
    }
}

/// Column widths from the weights: NaN, infinite, zero and negative weights count as a small share (a fifth of
/// the average), so every column keeps some room; all-zero weights share the width equally.
fn widths(weights: &[f32], total: f32) -> Vec<f32> {
    let clean: Vec<f64> = weights.iter().map(|&w| if w.is_finite() && w > 0.0 { w as f64 } else { 0.0 }).collect();
    let sum: f64 = clean.iter().sum();
    let n = clean.len().max(1) as f64;
    let eff: Vec<f64> = if sum > 0.0 && sum.is_finite() {
        let floor = sum / n * 0.2;
        clean.iter().map(|&w| w.max(floor)).collect()
    } else {
        vec![1.0; clean.len()]
    };
    let eff_sum: f64 = eff.iter().sum();
    eff.iter().map(|&w| (w / eff_sum * total as f64) as f32).collect()
}

impl<'a> Flow<'a> {
    fn grid(&self, t: &Table) -> Grid {
        let size = self.bounded(t.size.map_or(self.g.body * 0.9, |s| safe_size(s, self.g.body * 0.9)));
        let ncols = t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0).max(t.columns.len());
        let mean = if t.columns.is_empty() {
            1.0
        } else {
            let s: f32 =
                t.columns.iter().map(|c| if c.weight.is_finite() && c.weight > 0.0 { c.weight } else { 0.0 }).sum();
            if s > 0.0 && s.is_finite() {
                s / t.columns.len() as f32
            } else {
                1.0
            }
        };
        let weights: Vec<f32> = (0..ncols).map(|i| t.columns.get(i).map_or(mean, |c| c.weight)).collect();
        let mut x = self.g.left;
        let cols: Vec<Col> = widths(&weights, self.g.width)
            .into_iter()
            .enumerate()
            .map(|(i, w)| {
                let (face, align) = t.columns.get(i).map_or((Face::Regular, Align::Left), |c| (c.face, c.align));
                let col = Col { x, w, face, align };
                x += w;
                col
            })
            .collect();
        let pad_x = 0.45 * size;
        let pad_y = 0.3 * size;
        let lh = line_height(size);
        let mut grid = Grid { cols, size, lh, pad_x, pad_y, header: Vec::new(), header_h: 0.0 };
        if t.columns.iter().any(|c| !c.title.trim().is_empty()) {
            grid.header = grid
                .cols
                .iter()
                .enumerate()
                .map(|(i, col)| {
                    let title = t.columns.get(i).map_or("", |c| c.title.as_str());
                    wrap_text(title, Face::Bold, None, size, grid.inner(col))
                })
                .collect();
            let n = grid.header.iter().map(Vec::len).max().unwrap_or(0).max(1);
            grid.header_h = 2.0 * pad_y + n as f32 * lh;
        }
        grid
    }

    /// The header row and the first lines of the first row: what must fit where the table starts.
    pub(super) fn table_first_unit(&self, t: &Table) -> f32 {
        let grid = self.grid(t);
        let first = t.rows.first().map_or(0.0, |row| {
            let n = grid.cells(row, 2).iter().map(Vec::len).max().unwrap_or(0).max(1);
            2.0 * grid.pad_y + n as f32 * grid.lh
        });
        grid.header_h + first
    }

    fn table_header(&mut self, grid: &Grid) {
        if grid.header.is_empty() {
            return;
        }
        let (left, width, top) = (self.g.left, self.g.width, self.y);
        let canvas = self.canvas();
        canvas.rect(left, top, width, grid.header_h, Some(Rgb::SHADE), None);
        canvas.hline(left, left + width, top + grid.header_h, Stroke::solid(Rgb::RULE, 0.8));
        let page = self.page_index();
        for (col, lines) in grid.cols.iter().zip(&grid.header) {
            let x = col.x + grid.pad_x;
            self.draw_lines(page, lines, top + grid.pad_y, x, grid.inner(col), grid.size, col.align, Rgb::BLACK);
        }
        self.y += grid.header_h;
        self.fresh = false;
    }

    pub(super) fn table(&mut self, t: &Table, block: &Block) {
        if t.columns.is_empty() && t.rows.iter().all(|r| r.cells.is_empty()) {
            return;
        }
        let (before, after) = self.spacing(block);
        let grid = self.grid(t);
        let gap = self.gap(before);
        if gap + self.table_first_unit(t) > self.remaining() && !self.fresh {
            self.new_page();
        }
        self.y += self.gap(before);
        self.table_header(&grid);
        let capacity = self.g.height() - grid.header_h;
        let rule = Stroke::solid(tint(Rgb::RULE, 0.3), 0.4);
        for row in &t.rows {
            let cells = grid.cells(row, usize::MAX);
            let n = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            self.pending = 0.0;
            let chunks = self.chunks(n, grid.lh, grid.pad_y, 0.0, Keep::Whole(capacity), &mut |flow| {
                flow.table_header(&grid);
            });
            for c in chunks {
                let (left, width) = (self.g.left, self.g.width);
                if let Some(fill) = row.fill {
                    self.pages[c.page].rect(left, c.top, width, c.height, Some(fill), None);
                }
                for (col, lines) in grid.cols.iter().zip(&cells) {
                    let shown = clip_range(&c.lines, lines.len());
                    let x = col.x + grid.pad_x;
                    let top = c.top + grid.pad_y;
                    let room = grid.inner(col);
                    self.draw_lines(c.page, &lines[shown], top, x, room, grid.size, col.align, Rgb::BLACK);
                }
                self.pages[c.page].hline(left, left + width, c.top + c.height, rule);
            }
        }
        self.pending = after;
    }
}
