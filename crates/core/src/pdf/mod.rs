//! Firebreak's PDF layout engine on printpdf: a document is a list of blocks (headings, paragraphs, fields,
//! tables, figures, notes) that the engine flows onto pages with running header and footer, a bookmark outline,
//! contents with page numbers and document metadata. Everything is drawn as real text in the embedded DejaVu
//! family, so `pdftotext` reads back exactly what people, agents and traces wrote; nothing is ever interpreted as
//! markup. The same document gives the same bytes (no random IDs, no clock reads).
//!
//! Units: points (1/72 inch). Figures use their own coordinates: x to the right and y downwards from the
//! figure's top-left corner, width = [`PageSetup::content_width`].
//!
//! `fonts` (the embedded faces), `clean` (what text looks like on the page), `measure` (widths, wrapping,
//! [`fit`]), `page` (geometry), `flow` (pagination, headings, contents), `table`, `draw` (the page canvas,
//! figures, header and footer), `subset` (font subsetting) and `write` (serialisation) hold the implementation.

mod clean;
mod draw;
mod flow;
mod fonts;
mod measure;
mod page;
mod subset;
mod table;
#[cfg(test)]
mod tests;
mod write;

pub use measure::{fit, line_height, text_width};
pub use write::render;

/// An sRGB colour, each channel 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
    pub const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);
    /// Body text grey for secondary information.
    pub const MUTED: Rgb = Rgb(0.38, 0.38, 0.40);
    pub const RULE: Rgb = Rgb(0.78, 0.78, 0.80);
    pub const SHADE: Rgb = Rgb(0.94, 0.94, 0.95);
    pub const GREEN: Rgb = Rgb(0.13, 0.55, 0.27);
    pub const AMBER: Rgb = Rgb(0.85, 0.55, 0.05);
    pub const RED: Rgb = Rgb(0.78, 0.13, 0.13);
    pub const BLUE: Rgb = Rgb(0.16, 0.36, 0.70);
}

/// The four embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Face {
    #[default]
    Regular,
    Bold,
    Italic,
    /// For IDs, hashes and other text read character by character.
    Mono,
}

/// A run of text in one face and colour. Text is shown literally: `<b>` prints as `<b>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub face: Face,
    pub color: Option<Rgb>,
}

impl Span {
    pub fn new(text: impl Into<String>, face: Face) -> Span {
        Span { text: text.into(), face, color: None }
    }
    pub fn plain(text: impl Into<String>) -> Span {
        Span::new(text, Face::Regular)
    }
    pub fn bold(text: impl Into<String>) -> Span {
        Span::new(text, Face::Bold)
    }
    pub fn italic(text: impl Into<String>) -> Span {
        Span::new(text, Face::Italic)
    }
    pub fn mono(text: impl Into<String>) -> Span {
        Span::new(text, Face::Mono)
    }
    pub fn colored(mut self, color: Rgb) -> Span {
        self.color = Some(color);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// Page size (A4), margins and the body type size; every other size is derived from `body_size`.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSetup {
    pub orientation: Orientation,
    /// Margin on every side, in points.
    pub margin: f32,
    /// Body text size in points (9.5 for reports; the postmortem pack uses much larger type).
    pub body_size: f32,
}

impl Default for PageSetup {
    fn default() -> Self {
        PageSetup { orientation: Orientation::Portrait, margin: 50.0, body_size: 9.5 }
    }
}

/// Document metadata (the PDF Info dictionary).
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// The generation instant; also the creation and modification dates.
    pub created: chrono::DateTime<chrono::Utc>,
    /// The producing program, e.g. "Firebreak 0.1.0".
    pub creator: String,
}

/// What is printed on every page around the body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Furniture {
    /// Running header, left (e.g. the incident ID) and right (the classification label).
    pub header_left: String,
    pub header_right: String,
    /// Footer left (e.g. "Generated 2026-12-01 10:00 UTC") and right (e.g. "Audit head 3f9a…"); the centre holds
    /// "Page N of M".
    pub footer_left: String,
    pub footer_right: String,
    /// A large diagonal mark behind the body of every page (e.g. "DRAFT").
    pub watermark: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Info,
    Warning,
    Danger,
    Success,
}

/// A table column: its header, its share of the width (proportional to the other columns' weights) and its face.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    pub weight: f32,
    pub face: Face,
    pub align: Align,
}

impl Column {
    pub fn new(title: impl Into<String>, weight: f32) -> Column {
        Column { title: title.into(), weight, face: Face::Regular, align: Align::Left }
    }
    pub fn mono(mut self) -> Column {
        self.face = Face::Mono;
        self
    }
    pub fn right(mut self) -> Column {
        self.align = Align::Right;
        self
    }
}

/// A cell: its spans (usually one). An empty cell prints nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    pub spans: Vec<Span>,
}

impl Cell {
    /// A cell in the column's face.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { spans: vec![Span { text: text.into(), face: Face::Regular, color: None }] }
    }
    pub fn spans(spans: Vec<Span>) -> Cell {
        Cell { spans }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A background for the whole row (e.g. a late notification).
    pub fill: Option<Rgb>,
}

/// A table that may run over many pages: the header row is repeated at the top of each page, rows that do not fit
/// move to the next page whole, and a row taller than a page is split between its lines, never losing text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Type size for the table; `None` is a little smaller than the body.
    pub size: Option<f32>,
}

/// A label/value list (the record's fields, a notification's clock). Values wrap; a long value is never cut.
#[derive(Debug, Clone, PartialEq)]
pub struct Fields {
    pub rows: Vec<(String, Vec<Span>)>,
    /// The label column's share of the content width (0.0–1.0), e.g. 0.3.
    pub label_width: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anchor {
    #[default]
    Start,
    Middle,
    End,
}

/// A vector drawing primitive in figure coordinates (points; x right, y down from the figure's top-left).
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
        width: f32,
        dashed: bool,
    },
    /// A closed polygon (markers such as diamonds and triangles).
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    /// One line of text whose baseline is at `y`; `anchor` says whether `x` is its start, middle or end.
    /// `rotate` is in degrees, counter-clockwise.
    Text {
        x: f32,
        y: f32,
        text: String,
        face: Face,
        size: f32,
        color: Rgb,
        anchor: Anchor,
        rotate: f32,
    },
}

/// A drawing of a fixed height, the full content width. It is never split: if it does not fit on the rest of the
/// page it starts the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub height: f32,
    pub shapes: Vec<Shape>,
    /// Said under the figure in small italic type, e.g. "Figure 1. Timeline".
    pub caption: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A cover title: very large bold text, then an optional subtitle.
    Title {
        text: String,
        subtitle: Option<String>,
    },
    /// A section heading (level 1, 2 or 3). Levels 1 and 2 enter the bookmark outline and the contents. A heading
    /// is kept with what follows it (never alone at the bottom of a page); `new_page` starts it on a fresh page.
    Heading {
        level: u8,
        text: String,
        new_page: bool,
    },
    /// Wrapped text; a `\n` in a span is a line break. `size` overrides the body size.
    Paragraph {
        spans: Vec<Span>,
        size: Option<f32>,
        align: Align,
    },
    Fields(Fields),
    Table(Table),
    Figure(Figure),
    /// A boxed, tinted paragraph (warnings, "continued in the full report", a late notification).
    Note {
        spans: Vec<Span>,
        tone: Tone,
    },
    /// The contents: every level-1 and level-2 heading after it with its page number, filled in after layout.
    Contents,
    Spacer(f32),
    PageBreak,
}

/// A document ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub page: PageSetup,
    pub furniture: Furniture,
    pub blocks: Vec<Block>,
}

/// A rendered PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
}
