//! The four embedded DejaVu faces: their bytes (`include_bytes!`), parsed once per process, with flat tables for
//! the character → glyph lookups and the advance widths that measuring and drawing share. An advance is kept in
//! the unit the PDF's `/W` array uses (1/1000 em, computed exactly as printpdf writes it), so a measured width is
//! the width the viewer draws.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use printpdf::{FontId, ParsedFont};

use super::Face;

const SANS: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");
const SANS_OBLIQUE: &[u8] = include_bytes!("../../fonts/DejaVuSans-Oblique.ttf");
const SANS_MONO: &[u8] = include_bytes!("../../fonts/DejaVuSansMono.ttf");

/// The replacement character every face has; drawn for characters a face lacks.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// Advance used for every character when the fonts could not be read (render then fails with an error, but the
/// public measuring functions still answer).
const FALLBACK_ADVANCE: u16 = 600;

pub(crate) const FACES: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::Mono];

impl Face {
    pub(crate) fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::Mono => 3,
        }
    }

    /// The PDF resource name. Fixed (printpdf's own ids come from a process-wide counter) and clear of the names
    /// F1..F14 that printpdf keeps for the standard fonts.
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Face::Regular => "FbSans",
            Face::Bold => "FbSansBold",
            Face::Italic => "FbSansOblique",
            Face::Mono => "FbSansMono",
        }
    }

    pub(crate) fn font_id(self) -> FontId {
        FontId(self.resource().to_string())
    }

    pub(crate) fn from_resource(name: &str) -> Option<Face> {
        FACES.into_iter().find(|f| f.resource() == name)
    }

    /// The PostScript name of the face (the subset's /BaseFont after its tag).
    pub(crate) fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSans",
            Face::Bold => "DejaVuSans-Bold",
            Face::Italic => "DejaVuSans-Oblique",
            Face::Mono => "DejaVuSansMono",
        }
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => SANS,
            Face::Bold => SANS_BOLD,
            Face::Italic => SANS_OBLIQUE,
            Face::Mono => SANS_MONO,
        }
    }
}

/// One parsed face.
pub(crate) struct FontData {
    pub bytes: &'static [u8],
    pub parsed: ParsedFont,
    /// Glyph id per BMP code point; 0 where the face has no glyph.
    bmp_gid: Vec<u16>,
    /// PDF advance (1/1000 em) per BMP code point.
    bmp_advance: Vec<u16>,
    /// Code points beyond the BMP: glyph id and advance.
    astral: BTreeMap<u32, (u16, u16)>,
    /// hhea ascender and descender in em (descender positive, below the baseline).
    pub ascent: f32,
    pub descent: f32,
}

impl FontData {
    fn parse(face: Face) -> Result<FontData, String> {
        let bytes = face.bytes();
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| format!("the embedded font {} could not be read", face.postscript_name()))?;
        let upm = parsed.pdf_font_metrics.units_per_em as f32;
        if upm <= 0.0 {
            return Err(format!("the embedded font {} has no units per em", face.postscript_name()));
        }
        let num_glyphs = parsed.glyph_widths.keys().next_back().map_or(0, |g| g + 1);
        // Exactly printpdf's `get_scaled_glyph_width`: (w as f32 * 1000.0 / units_per_em) as i64.
        let scaled = |w: u16| -> u16 { ((w as f32 * 1000.0 / upm) as i64).clamp(0, u16::MAX as i64) as u16 };
        let mut glyph_advance = vec![0u16; num_glyphs as usize];
        for (&gid, &w) in &parsed.glyph_widths {
            glyph_advance[gid as usize] = scaled(w);
        }
        let mut bmp_gid = vec![0u16; 0x10000];
        let mut bmp_advance = vec![0u16; 0x10000];
        let mut astral = BTreeMap::new();
        for (&cp, &gid) in &parsed.codepoint_to_glyph {
            if gid == 0 || gid >= num_glyphs {
                continue;
            }
            let adv = glyph_advance[gid as usize];
            if cp < 0x10000 {
                bmp_gid[cp as usize] = gid;
                bmp_advance[cp as usize] = adv;
            } else {
                astral.insert(cp, (gid, adv));
            }
        }
        if bmp_gid[REPLACEMENT as usize] == 0 || bmp_gid[' ' as usize] == 0 {
            return Err(format!("the embedded font {} lacks U+FFFD or the space", face.postscript_name()));
        }
        Ok(FontData {
            bytes,
            ascent: parsed.font_metrics.ascent as f32 / upm,
            descent: -(parsed.font_metrics.descent as f32) / upm,
            parsed,
            bmp_gid,
            bmp_advance,
            astral,
        })
    }

    /// The glyph for `c`, if the face has one.
    #[inline]
    pub fn glyph(&self, c: char) -> Option<u16> {
        let cp = c as u32;
        let gid = if cp < 0x10000 { self.bmp_gid[cp as usize] } else { self.astral.get(&cp).map_or(0, |g| g.0) };
        (gid != 0).then_some(gid)
    }

    #[inline]
    pub fn has(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// The PDF advance of `c` (1/1000 em); a character the face lacks measures as U+FFFD, which is what is drawn.
    #[inline]
    pub fn advance(&self, c: char) -> u16 {
        let cp = c as u32;
        if cp < 0x10000 {
            let gid = self.bmp_gid[cp as usize];
            if gid != 0 {
                return self.bmp_advance[cp as usize];
            }
        } else if let Some(&(_, adv)) = self.astral.get(&cp) {
            return adv;
        }
        self.bmp_advance[REPLACEMENT as usize]
    }
}

static FONTS: OnceLock<Result<[FontData; 4], String>> = OnceLock::new();

/// The four faces, parsed on first use.
pub(crate) fn fonts() -> Result<&'static [FontData; 4], &'static str> {
    FONTS
        .get_or_init(|| {
            let [a, b, c, d] = FACES.map(FontData::parse);
            Ok([a?, b?, c?, d?])
        })
        .as_ref()
        .map_err(|e| e.as_str())
}

pub(crate) fn font(face: Face) -> Option<&'static FontData> {
    fonts().ok().map(|f| &f[face.index()])
}

/// Advance of `c` in `face` (1/1000 em).
#[inline]
pub(crate) fn advance(face: Face, c: char) -> u16 {
    match font(face) {
        Some(f) => f.advance(c),
        None => FALLBACK_ADVANCE,
    }
}

/// Whether `face` can draw `c` (without the fonts nothing is drawn, so everything "can").
#[inline]
pub(crate) fn has_glyph(face: Face, c: char) -> bool {
    font(face).is_none_or(|f| f.has(c))
}
