//! Page geometry: the A4 sheet, the body area inside the margins and the bands the running header and footer use.
//! Margins and sizes from the caller are made safe here (NaN, negative or absurd values), so the rest of the
//! engine works with sane numbers only.

use super::measure::safe_size;
use super::{Orientation, PageSetup};

/// A4 in points (210 × 297 mm).
const A4: (f32, f32) = (595.2756, 841.8898);
const DEFAULT_MARGIN: f32 = 50.0;
const DEFAULT_BODY: f32 = 9.5;

/// The numbers the layout works with, all in points; `top` and `bottom` are measured from the top of the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Geometry {
    pub page_w: f32,
    pub page_h: f32,
    /// Left edge and width of the body.
    pub left: f32,
    pub width: f32,
    /// Top and bottom edges of the body.
    pub top: f32,
    pub bottom: f32,
    /// Body type size.
    pub body: f32,
    /// Type size of the running header and footer, captions and other small print.
    pub small: f32,
}

impl Geometry {
    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }

    /// Baseline of the running header (from the top of the page) and the rule under it.
    pub fn header_baseline(&self) -> f32 {
        (self.top * 0.58).max(self.small * 1.4 + 6.0)
    }

    pub fn header_rule(&self) -> f32 {
        self.header_baseline() + self.small * 0.5
    }

    /// Baseline of the footer (from the top of the page).
    pub fn footer_baseline(&self) -> f32 {
        let band = self.page_h - self.bottom;
        self.page_h - (band * 0.5).max(self.small * 0.6 + 6.0)
    }
}

impl PageSetup {
    /// Width and height of the sheet in points (A4, turned for landscape).
    pub fn page_size(&self) -> (f32, f32) {
        match self.orientation {
            Orientation::Portrait => A4,
            Orientation::Landscape => (A4.1, A4.0),
        }
    }

    /// Width of the body in points: the page less the side margins. Figures are this wide.
    pub fn content_width(&self) -> f32 {
        self.geometry().width
    }

    /// Height of the body in points: the page less the top and bottom margins (each at least as tall as the
    /// running header or footer needs).
    pub fn content_height(&self) -> f32 {
        self.geometry().height()
    }

    pub(crate) fn geometry(&self) -> Geometry {
        let (page_w, page_h) = self.page_size();
        let body = safe_size(self.body_size, DEFAULT_BODY).clamp(4.0, 72.0);
        let small = (body * 0.8).clamp(6.0, 10.0);
        let margin = if self.margin.is_finite() && self.margin >= 0.0 { self.margin } else { DEFAULT_MARGIN };
        let side = margin.clamp(12.0, page_w * 0.3);
        // The header and footer live in the top and bottom margins, which are made tall enough for them.
        let band = small * 3.4 + 8.0;
        let vertical = margin.min(page_h * 0.3).max(band);
        Geometry {
            page_w,
            page_h,
            left: side,
            width: page_w - 2.0 * side,
            top: vertical,
            bottom: page_h - vertical,
            body,
            small,
        }
    }
}
