//! Drawing on a page: the `Canvas` that turns text lines, rules, boxes and figure shapes into printpdf operations
//! (layout coordinates run downwards from the top of the page; PDF coordinates run upwards, and the canvas turns
//! one into the other), figures, and the page furniture (running header, footer, watermark).

use printpdf::{
    Actions, BorderArray, Color, ColorArray, Destination, HighlightingMode, Line as PdfLine, LineCapStyle,
    LineDashPattern, LinePoint, LinkAnnotation, Op, PaintMode, PdfFontHandle, Point, Polygon, PolygonRing, Pt, Rect,
    TextItem, TextMatrix, WindingOrder,
};

use super::clean::{clean, clean_line};
use super::fonts;
use super::measure::{points, safe_size, units, Frag};
use super::page::Geometry;
use super::{Anchor, Face, Figure, Furniture, Rgb, Shape};

/// Coordinates are written with two decimals (a hundredth of a point is far below what any device shows).
#[inline]
fn r2(v: f32) -> f32 {
    if v.is_finite() {
        (v.clamp(-100_000.0, 100_000.0) * 100.0).round() / 100.0
    } else {
        0.0
    }
}

#[inline]
fn r3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

fn pdf_color(c: Rgb) -> Color {
    let ch = |v: f32| if v.is_finite() { r3(v.clamp(0.0, 1.0)) } else { 0.0 };
    Color::Rgb(printpdf::Rgb { r: ch(c.0), g: ch(c.1), b: ch(c.2), icc_profile: None })
}

/// Mixes `c` with white: `amount` 0 is `c`, 1 is white.
pub(crate) fn tint(c: Rgb, amount: f32) -> Rgb {
    let m = |v: f32| v + (1.0 - v) * amount;
    Rgb(m(c.0), m(c.1), m(c.2))
}

/// A stroke: colour, width and whether it is dashed (or dotted).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stroke {
    pub color: Rgb,
    pub width: f32,
    pub dash: Dash,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dash {
    Solid,
    Dashed,
    Dotted,
}

impl Stroke {
    pub fn solid(color: Rgb, width: f32) -> Stroke {
        Stroke { color, width, dash: Dash::Solid }
    }
}

/// Face, size and colour of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
}

/// One page being drawn.
pub(crate) struct Canvas {
    ops: Vec<Op>,
    /// A measuring pass: nothing is recorded.
    dry: bool,
    height: f32,
    in_text: bool,
    font: Option<(Face, u32)>,
    fill: Option<Rgb>,
    stroke: Option<Rgb>,
    line_width: Option<f32>,
    dash: Option<Dash>,
}

impl Canvas {
    pub fn new(height: f32, dry: bool) -> Canvas {
        Canvas {
            ops: Vec::new(),
            dry,
            height,
            in_text: false,
            font: None,
            fill: None,
            stroke: None,
            line_width: None,
            dash: None,
        }
    }

    pub fn finish(mut self) -> Vec<Op> {
        self.end_text();
        self.ops
    }

    fn y(&self, top_down: f32) -> f32 {
        r2(self.height - top_down)
    }

    fn begin_text(&mut self) {
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
        }
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
        }
    }

    fn set_font(&mut self, face: Face, size: f32) {
        let key = (face, size.to_bits());
        if self.font != Some(key) {
            self.ops.push(Op::SetFont { font: PdfFontHandle::External(face.font_id()), size: Pt(size) });
            self.font = Some(key);
        }
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.ops.push(Op::SetFillColor { col: pdf_color(c) });
            self.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, s: Stroke) {
        if self.stroke != Some(s.color) {
            self.ops.push(Op::SetOutlineColor { col: pdf_color(s.color) });
            self.stroke = Some(s.color);
        }
        let width = if s.width.is_finite() { r2(s.width.clamp(0.05, 50.0)) } else { 0.5 };
        if self.line_width != Some(width) {
            self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            self.line_width = Some(width);
        }
        if self.dash != Some(s.dash) {
            let (pattern, cap): (&[f32], LineCapStyle) = match s.dash {
                Dash::Solid => (&[], LineCapStyle::Butt),
                Dash::Dashed => (&[3.0, 2.0], LineCapStyle::Butt),
                Dash::Dotted => (&[0.01, 2.5], LineCapStyle::Round),
            };
            self.ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, pattern) });
            self.ops.push(Op::SetLineCapStyle { cap });
            self.dash = Some(s.dash);
        }
    }

    fn save(&mut self) {
        self.end_text();
        self.ops.push(Op::SaveGraphicsState);
    }

    fn restore(&mut self) {
        self.end_text();
        self.ops.push(Op::RestoreGraphicsState);
        self.font = None;
        self.fill = None;
        self.stroke = None;
        self.line_width = None;
        self.dash = None;
    }

    /// One line of text whose baseline is `baseline` points from the top, starting at `x`.
    pub fn text(&mut self, x: f32, baseline: f32, size: f32, frags: &[Frag], default: Rgb) {
        if self.dry {
            return;
        }
        if frags.iter().all(|f| f.text.is_empty()) {
            return;
        }
        self.begin_text();
        let y = self.y(baseline);
        self.ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(r2(x)), Pt(y)) });
        for f in frags.iter().filter(|f| !f.text.is_empty()) {
            self.set_font(f.face, size);
            self.set_fill(f.color.unwrap_or(default));
            self.ops.push(Op::ShowText { items: vec![TextItem::Text(f.text.clone())] });
        }
    }

    /// One run of cleaned text starting at `at` (x, baseline), turned `angle` degrees counter-clockwise about it.
    pub fn text_turned(&mut self, at: (f32, f32), angle: f32, style: Style, text: &str) {
        if self.dry {
            return;
        }
        if text.is_empty() {
            return;
        }
        self.begin_text();
        let (sin, cos) = angle.to_radians().sin_cos();
        let m = [r3(cos), r3(sin), r3(-sin), r3(cos), r2(at.0), self.y(at.1)];
        self.ops.push(Op::SetTextMatrix { matrix: TextMatrix::Raw(m) });
        self.set_font(style.face, style.size);
        self.set_fill(style.color);
        self.ops.push(Op::ShowText { items: vec![TextItem::Text(text.to_string())] });
    }

    fn rect_op(&mut self, x: f32, top: f32, w: f32, h: f32, mode: PaintMode) {
        let (x, w) = if w < 0.0 { (x + w, -w) } else { (x, w) };
        let (top, h) = if h < 0.0 { (top + h, -h) } else { (top, h) };
        let rectangle = Rect {
            x: Pt(r2(x)),
            y: Pt(self.y(top + h)),
            width: Pt(r2(w)),
            height: Pt(r2(h)),
            mode: Some(mode),
            winding_order: if mode == PaintMode::Clip { Some(WindingOrder::NonZero) } else { None },
        };
        self.ops.push(Op::DrawRectangle { rectangle });
    }

    /// A rectangle whose top-left corner is `top` points from the top of the page.
    pub fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<Stroke>) {
        if self.dry {
            return;
        }
        let Some(mode) = paint_mode(fill, stroke) else { return };
        self.end_text();
        if let Some(c) = fill {
            self.set_fill(c);
        }
        if let Some(s) = stroke {
            self.set_stroke(s);
        }
        self.rect_op(x, top, w, h, mode);
    }

    /// A straight line between two points (top-down coordinates).
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, stroke: Stroke) {
        if self.dry {
            return;
        }
        self.end_text();
        self.set_stroke(stroke);
        let points = vec![self.point(x1, y1, false), self.point(x2, y2, false)];
        self.ops.push(Op::DrawLine { line: PdfLine { points, is_closed: false } });
    }

    /// A horizontal rule.
    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, stroke: Stroke) {
        self.line(x1, y, x2, y, stroke);
    }

    fn point(&self, x: f32, y: f32, bezier: bool) -> LinePoint {
        LinePoint { p: Point { x: Pt(r2(x)), y: Pt(self.y(y)) }, bezier }
    }

    /// A closed path through `points` (x, y top-down, and whether the point is a Bézier control point).
    pub fn path(&mut self, points: &[(f32, f32, bool)], fill: Option<Rgb>, stroke: Option<Stroke>) {
        if self.dry {
            return;
        }
        let Some(mode) = paint_mode(fill, stroke) else { return };
        if points.len() < 2 {
            return;
        }
        self.end_text();
        if let Some(c) = fill {
            self.set_fill(c);
        }
        if let Some(s) = stroke {
            self.set_stroke(s);
        }
        let ring = PolygonRing { points: points.iter().map(|&(x, y, b)| self.point(x, y, b)).collect() };
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon { rings: vec![ring], mode, winding_order: WindingOrder::NonZero },
        });
    }

    /// A link over the rectangle (top-down) to `page` (1-based), showing it from `dest_top` (top-down).
    pub fn link(&mut self, x: f32, top: f32, w: f32, h: f32, page: usize, dest_top: f32) {
        if self.dry {
            return;
        }
        let rect = Rect {
            x: Pt(r2(x)),
            y: Pt(self.y(top + h)),
            width: Pt(r2(w)),
            height: Pt(r2(h)),
            mode: None,
            winding_order: None,
        };
        let dest = Destination::Xyz { page, left: None, top: Some(self.y(dest_top)), zoom: None };
        let link = LinkAnnotation::new(
            rect,
            Actions::go_to(dest),
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            Some(ColorArray::Transparent),
            Some(HighlightingMode::Invert),
        );
        self.ops.push(Op::LinkAnnotation { link });
    }

    /// Restricts what follows (until [`Canvas::unclip`]) to the rectangle.
    pub fn clip(&mut self, x: f32, top: f32, w: f32, h: f32) {
        if self.dry {
            return;
        }
        self.save();
        self.rect_op(x, top, w, h, PaintMode::Clip);
    }

    pub fn unclip(&mut self) {
        if self.dry {
            return;
        }
        self.restore();
    }
}

/// A number made safe for drawing: NaN becomes 0 and magnitudes stay within a page's reach.
fn coord(v: f32) -> f32 {
    if v.is_finite() {
        v.clamp(-20_000.0, 20_000.0)
    } else {
        0.0
    }
}

/// Draws `figure` with its top-left corner at (`x0`, `top`), scaled by `scale`, clipped to its box of
/// `width` × height.
pub(crate) fn figure(canvas: &mut Canvas, figure: &Figure, x0: f32, top: f32, width: f32, height: f32, scale: f32) {
    if height <= 0.0 || width <= 0.0 {
        return;
    }
    canvas.clip(x0, top, width * scale, height * scale);
    let at = |x: f32, y: f32| (x0 + coord(x) * scale, top + coord(y) * scale);
    let stroke_of = |s: &Option<(Rgb, f32)>| s.map(|(c, w)| Stroke::solid(c, coord(w).abs() * scale));
    for shape in &figure.shapes {
        match shape {
            Shape::Rect { x, y, w, h, fill, stroke } => {
                let (px, py) = at(*x, *y);
                canvas.rect(px, py, coord(*w) * scale, coord(*h) * scale, *fill, stroke_of(stroke));
            }
            Shape::Line { x1, y1, x2, y2, color, width, dashed } => {
                let (ax, ay) = at(*x1, *y1);
                let (bx, by) = at(*x2, *y2);
                let dash = if *dashed { Dash::Dashed } else { Dash::Solid };
                canvas.line(ax, ay, bx, by, Stroke { color: *color, width: coord(*width).abs() * scale, dash });
            }
            Shape::Polygon { points, fill, stroke } => {
                let pts: Vec<(f32, f32, bool)> = points
                    .iter()
                    .take(100_000)
                    .map(|&(x, y)| {
                        let (px, py) = at(x, y);
                        (px, py, false)
                    })
                    .collect();
                canvas.path(&pts, *fill, stroke_of(stroke));
            }
            Shape::Circle { cx, cy, r, fill, stroke } => {
                let r = coord(*r) * scale;
                if r <= 0.0 {
                    continue;
                }
                let (cx, cy) = at(*cx, *cy);
                // Four cubic Béziers; 0.5523 is the usual control-point distance for a quarter circle.
                let k = 0.552_284_8 * r;
                let pts = [
                    (cx + r, cy, false),
                    (cx + r, cy + k, true),
                    (cx + k, cy + r, true),
                    (cx, cy + r, false),
                    (cx - k, cy + r, true),
                    (cx - r, cy + k, true),
                    (cx - r, cy, false),
                    (cx - r, cy - k, true),
                    (cx - k, cy - r, true),
                    (cx, cy - r, false),
                    (cx + k, cy - r, true),
                    (cx + r, cy - k, true),
                    (cx + r, cy, false),
                ];
                canvas.path(&pts, *fill, stroke_of(stroke));
            }
            Shape::Text { x, y, text, face, size, color, anchor, rotate } => {
                let size = safe_size(*size, 8.0).min(200.0) * scale;
                let text = clean(&clean_line(text), *face).into_owned();
                let w = points(units(&text, *face), size);
                let shift = match anchor {
                    Anchor::Start => 0.0,
                    Anchor::Middle => w / 2.0,
                    Anchor::End => w,
                };
                let angle = if rotate.is_finite() { *rotate } else { 0.0 };
                let (px, py) = at(*x, *y);
                let (sin, cos) = angle.to_radians().sin_cos();
                // Top-down coordinates: counter-clockwise on the page moves the baseline up, i.e. y decreases.
                let style = Style { face: *face, size, color: *color };
                canvas.text_turned((px - shift * cos, py + shift * sin), angle, style, &text);
            }
        }
    }
    canvas.unclip();
}

/// A single-line text fitted to `max` points, ending with "…" when cut.
fn ellipsize(text: &str, face: Face, size: f32, max: f32) -> (String, f32) {
    let w = points(units(text, face), size);
    if w <= max {
        return (text.to_string(), w);
    }
    let budget = max - points(units("…", face), size);
    let mut out = String::new();
    let mut used = 0u64;
    for c in text.chars() {
        let cu = fonts::advance(face, c) as u64;
        if points(used + cu, size) > budget {
            break;
        }
        used += cu;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    let w = points(units(&out, face), size);
    (out, w)
}

/// The running header and the watermark, prepared once for every page.
pub(crate) struct Running {
    header_left: (String, f32),
    header_right: (String, f32),
    /// Text, size and angle (degrees).
    watermark: Option<(String, f32, f32)>,
}

const FURNITURE_FACE: Face = Face::Regular;
const GAP: f32 = 16.0;

fn furniture_text(text: &str) -> String {
    clean(&clean_line(text), FURNITURE_FACE).into_owned()
}

fn measure(text: &str, size: f32) -> f32 {
    points(units(text, FURNITURE_FACE), size)
}

fn frag(text: &str) -> [Frag; 1] {
    [Frag { text: text.to_string(), face: FURNITURE_FACE, color: None, units: 0 }]
}

impl Running {
    pub fn new(f: &Furniture, g: &Geometry) -> Running {
        let size = g.small;
        // The left text keeps what it needs if it can, the right one gets the rest (and the other way round).
        let (hl, hr) = (furniture_text(&f.header_left), furniture_text(&f.header_right));
        let (hlw, hrw) = (measure(&hl, size), measure(&hr, size));
        let half = (g.width - GAP) / 2.0;
        let (hl_max, hr_max) = if hlw + hrw + GAP <= g.width {
            (hlw, hrw)
        } else if hlw <= half {
            (hlw, g.width - GAP - hlw)
        } else if hrw <= half {
            (g.width - GAP - hrw, hrw)
        } else {
            (half, half)
        };
        let watermark = f.watermark.as_deref().map(furniture_text).filter(|t| !t.trim().is_empty()).map(|t| {
            let t = super::clean::at_most(t, 60);
            let angle = g.page_h.atan2(g.page_w).to_degrees();
            let diagonal = (g.page_w * g.page_w + g.page_h * g.page_h).sqrt();
            let u = units(&t, Face::Bold).max(1);
            let size = (diagonal * 0.62 * 1000.0 / u as f32).clamp(12.0, 150.0);
            (t, size, angle)
        });
        Running {
            header_left: ellipsize(&hl, FURNITURE_FACE, size, hl_max),
            header_right: ellipsize(&hr, FURNITURE_FACE, size, hr_max),
            watermark,
        }
    }

    /// What goes under the body: the watermark, then the header. Drawn when a page is started.
    pub fn under(&self, canvas: &mut Canvas, g: &Geometry) {
        if let Some((text, size, angle)) = &self.watermark {
            let w = points(units(text, Face::Bold), *size);
            let (sin, cos) = angle.to_radians().sin_cos();
            // Centre the text (half its width along the baseline, half the cap height across it) on the page.
            let cap = 0.73 * size;
            let (cx, cy) = (g.page_w / 2.0, g.page_h / 2.0);
            let x = cx - (w / 2.0) * cos + (cap / 2.0) * sin;
            let y = cy + (w / 2.0) * sin + (cap / 2.0) * cos;
            canvas.text_turned((x, y), *angle, Style { face: Face::Bold, size: *size, color: WATERMARK }, text);
        }
        if self.header_left.0.is_empty() && self.header_right.0.is_empty() {
            return;
        }
        let size = g.small;
        let base = g.header_baseline();
        canvas.text(g.left, base, size, &frag(&self.header_left.0), Rgb::MUTED);
        let right = g.left + g.width - self.header_right.1;
        canvas.text(right, base, size, &frag(&self.header_right.0), Rgb::MUTED);
        canvas.hline(g.left, g.left + g.width, g.header_rule(), Stroke::solid(Rgb::RULE, 0.5));
    }
}

const WATERMARK: Rgb = Rgb(0.90, 0.90, 0.91);

/// The footer: left text, "Page N of M" centred, right text.
pub(crate) struct Footer {
    left: (String, f32),
    right: (String, f32),
    pages: usize,
}

impl Footer {
    pub fn new(f: &Furniture, g: &Geometry, pages: usize) -> Footer {
        // Each side gets what is left of its half beside the widest page label.
        let centre = measure(&page_label(pages, pages), g.small);
        let side = ((g.width - centre) / 2.0 - GAP).max(0.0);
        Footer {
            left: ellipsize(&furniture_text(&f.footer_left), FURNITURE_FACE, g.small, side),
            right: ellipsize(&furniture_text(&f.footer_right), FURNITURE_FACE, g.small, side),
            pages,
        }
    }

    /// The footer of page `n` (1-based).
    pub fn draw(&self, canvas: &mut Canvas, g: &Geometry, n: usize) {
        let size = g.small;
        let base = g.footer_baseline();
        canvas.text(g.left, base, size, &frag(&self.left.0), Rgb::MUTED);
        let label = page_label(n, self.pages);
        let w = measure(&label, size);
        canvas.text(g.left + (g.width - w) / 2.0, base, size, &frag(&label), Rgb::MUTED);
        canvas.text(g.left + g.width - self.right.1, base, size, &frag(&self.right.0), Rgb::MUTED);
    }
}

pub(crate) fn page_label(n: usize, pages: usize) -> String {
    format!("Page {n} of {pages}")
}

/// How a shape with this fill and stroke is painted; `None` when it would not show at all.
fn paint_mode(fill: Option<Rgb>, stroke: Option<Stroke>) -> Option<PaintMode> {
    match (fill, stroke) {
        (Some(_), Some(_)) => Some(PaintMode::FillStroke),
        (Some(_), None) => Some(PaintMode::Fill),
        (None, Some(_)) => Some(PaintMode::Stroke),
        (None, None) => None,
    }
}
