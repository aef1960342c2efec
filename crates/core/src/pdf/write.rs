//! Serialisation: the laid-out pages go through printpdf into a lopdf document, which then gets what printpdf
//! does not do the way a signed report needs: subset fonts with fixed names, the Info dictionary (UTF-16 where
//! needed, dates from `Meta.created`), a two-level outline in document order, and a trailer /ID that is a hash of
//! the file, so the same `Document` always gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{Op, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextItem};
use sha2::{Digest, Sha256};

use super::clean::{at_most, clean_line};
use super::draw::{Footer, Running};
use super::flow::{layout, Mark};
use super::fonts::{self, FontData, FACES};
use super::subset::subset;
use super::{Document, Face, Meta, Rendered};
use crate::{Error, Result};

fn failed(what: impl std::fmt::Display) -> Error {
    Error::Io { message: format!("The PDF could not be produced: {what}. Nothing was written.") }
}

/// Lays out and serialises `doc`.
pub fn render(doc: &Document) -> Result<Rendered> {
    match catch_unwind(AssertUnwindSafe(|| render_document(doc))) {
        Ok(result) => result,
        Err(_) => Err(failed("the layout engine stopped on an unexpected condition")),
    }
}

fn render_document(doc: &Document) -> Result<Rendered> {
    let all_fonts = fonts::fonts().map_err(failed)?;
    let g = doc.page.geometry();
    let running = Running::new(&doc.furniture, &g);
    let laid = layout(doc, g, &running);
    let total = laid.pages.len();
    let footer = Footer::new(&doc.furniture, &g, total);
    let pages: Vec<Vec<Op>> = laid
        .pages
        .into_iter()
        .enumerate()
        .map(|(i, mut canvas)| {
            footer.draw(&mut canvas, &g, i + 1);
            canvas.finish()
        })
        .collect();

    let mut pdf = PdfDocument::new("");
    for (face, chars) in used_chars(&pages, all_fonts) {
        let font = &all_fonts[face.index()];
        let parsed = subset_font(face, font, &chars).map_err(failed)?;
        pdf.resources.fonts.map.insert(face.font_id(), PdfFont::new(parsed));
    }
    let media = Rect::from_wh(Pt(g.page_w), Pt(g.page_h));
    pdf.pages = pages
        .into_iter()
        .map(|ops| PdfPage { media_box: media.clone(), trim_box: media.clone(), crop_box: media.clone(), ops })
        .collect();
    let opts = PdfSaveOptions { optimize: false, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    drop(pdf);

    lo.version = "1.7".to_string();
    set_info(&mut lo, &doc.meta)?;
    let outline = outline(&mut lo, &laid.marks, g.page_h);
    let catalog = lo.catalog_mut().map_err(failed)?;
    if let Some(root) = outline {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    catalog.set("ViewerPreferences", Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]));
    // A placeholder /ID, replaced by a hash of the file once it is written.
    let placeholder = Object::String(vec![0u8; 16], StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(failed)?;
    stamp_id(&mut bytes)?;
    Ok(Rendered { bytes, pages: total })
}

/// Compresses every stream at zlib's default level. (lopdf's own `compress` uses the best level, which took
/// most of the time on large reports for a few percent of size.)
fn compress(lo: &mut lopdf::Document) {
    use flate2::{write::ZlibEncoder, Compression};
    use std::io::Write;
    for object in lo.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder = ZlibEncoder::new(Vec::with_capacity(stream.content.len() / 4), Compression::new(6));
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        if let Ok(compressed) = encoder.finish() {
            if compressed.len() < stream.content.len() {
                stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(compressed);
            }
        }
    }
}

/// The characters each face draws, with their glyphs.
fn used_chars(pages: &[Vec<Op>], all: &[FontData; 4]) -> Vec<(Face, BTreeMap<u32, u16>)> {
    let mut bmp = vec![vec![false; 0x10000]; 4];
    let mut astral: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); 4];
    let mut any = [false; 4];
    for ops in pages {
        let mut face: Option<Face> = None;
        for op in ops {
            match op {
                Op::SetFont { font: PdfFontHandle::External(id), .. } => face = Face::from_resource(&id.0),
                Op::ShowText { items } => {
                    let Some(f) = face else { continue };
                    let i = f.index();
                    for item in items {
                        if let TextItem::Text(s) = item {
                            any[i] = true;
                            for c in s.chars() {
                                let cp = c as u32;
                                if cp < 0x10000 {
                                    bmp[i][cp as usize] = true;
                                } else {
                                    astral[i].insert(cp);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    FACES
        .into_iter()
        .filter(|f| any[f.index()])
        .map(|f| {
            let i = f.index();
            let font = &all[i];
            let seen = bmp[i].iter().enumerate().filter(|(_, &s)| s).map(|(cp, _)| cp as u32);
            let chars = seen
                .chain(astral[i].iter().copied())
                .filter_map(|cp| Some((cp, font.glyph(char::from_u32(cp)?)?)))
                .collect();
            (f, chars)
        })
        .collect()
}

/// The face reduced to `chars`, named with a subset tag derived from the glyphs kept.
fn subset_font(
    face: Face,
    font: &FontData,
    chars: &BTreeMap<u32, u16>,
) -> std::result::Result<printpdf::ParsedFont, String> {
    let gids: BTreeSet<u16> = chars.values().copied().collect();
    let bytes = subset(font.bytes, &gids, chars)?;
    let mut hash = Sha256::new();
    hash.update(face.postscript_name().as_bytes());
    for g in &gids {
        hash.update(g.to_be_bytes());
    }
    let tag: String = hash.finalize().iter().take(6).map(|b| (b'A' + b % 26) as char).collect();
    let mut parsed = font.parsed.clone();
    parsed.original_bytes = bytes;
    parsed.font_name = Some(format!("{tag}+{}", face.postscript_name()));
    Ok(parsed)
}

/// A PDF text string: literal when plain ASCII, UTF-16BE with a byte-order mark otherwise.
fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7F).contains(&b) && b != b'\\' && b != b'(' && b != b')') {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn meta_text(s: &str) -> Object {
    text_string(&at_most(clean_line(s), 2000))
}

fn set_info(lo: &mut lopdf::Document, meta: &Meta) -> Result<()> {
    let date = meta.created.format("D:%Y%m%d%H%M%S+00'00'").to_string();
    let date = Object::String(date.into_bytes(), StringFormat::Literal);
    let keywords: Vec<String> = meta.keywords.iter().map(|k| clean_line(k)).filter(|k| !k.is_empty()).collect();
    let producer = format!("Firebreak PDF engine {} (printpdf, lopdf)", env!("CARGO_PKG_VERSION"));
    let info = Dictionary::from_iter(vec![
        ("Title", meta_text(&meta.title)),
        ("Author", meta_text(&meta.author)),
        ("Subject", meta_text(&meta.subject)),
        ("Keywords", meta_text(&keywords.join(", "))),
        ("Creator", meta_text(&meta.creator)),
        ("Producer", text_string(&producer)),
        ("CreationDate", date.clone()),
        ("ModDate", date),
    ]);
    match lo.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            lo.objects.insert(id, Object::Dictionary(info));
        }
        Err(_) => {
            let id = lo.add_object(info);
            lo.trailer.set("Info", Object::Reference(id));
        }
    }
    Ok(())
}

/// The outline: level-1 headings in order, each level 2 nested under the level 1 before it (or at the top when
/// there is none), each pointing at its page just above the heading.
fn outline(lo: &mut lopdf::Document, marks: &[Mark], page_h: f32) -> Option<ObjectId> {
    if marks.is_empty() {
        return None;
    }
    let pages = lo.get_pages();
    let mut tops: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        match tops.last_mut() {
            Some((_, children)) if m.level == 2 => children.push(i),
            _ => tops.push((i, Vec::new())),
        }
    }
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| lo.new_object_id()).collect();
    let item = |i: usize, parent: ObjectId, prev: Option<usize>, next: Option<usize>| -> Dictionary {
        let m = &marks[i];
        let page = pages.get(&(m.page as u32 + 1)).copied();
        let top = (page_h - m.top + 4.0).clamp(0.0, page_h);
        let mut d =
            Dictionary::from_iter(vec![("Title", text_string(&m.title)), ("Parent", Object::Reference(parent))]);
        if let Some(page) = page {
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real((top * 100.0).round() / 100.0),
                    Object::Null,
                ]),
            );
        }
        if let Some(p) = prev {
            d.set("Prev", Object::Reference(ids[p]));
        }
        if let Some(n) = next {
            d.set("Next", Object::Reference(ids[n]));
        }
        d
    };
    let mut count = 0i64;
    for (t, (i, children)) in tops.iter().enumerate() {
        let prev = t.checked_sub(1).map(|p| tops[p].0);
        let next = tops.get(t + 1).map(|n| n.0);
        let mut d = item(*i, root, prev, next);
        if let (Some(&first), Some(&last)) = (children.first(), children.last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            d.set("Count", Object::Integer(children.len() as i64));
        }
        lo.objects.insert(ids[*i], Object::Dictionary(d));
        for (c, &k) in children.iter().enumerate() {
            let prev = c.checked_sub(1).map(|p| children[p]);
            let next = children.get(c + 1).copied();
            let d = item(k, ids[*i], prev, next);
            lo.objects.insert(ids[k], Object::Dictionary(d));
        }
        count += 1 + children.len() as i64;
    }
    let first = ids[tops[0].0];
    let last = ids[tops[tops.len() - 1].0];
    lo.objects.insert(
        root,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference(first)),
            ("Last", Object::Reference(last)),
            ("Count", Object::Integer(count)),
        ])),
    );
    Some(root)
}

/// Replaces the placeholder trailer /ID with the first 16 bytes of the file's SHA-256.
fn stamp_id(bytes: &mut [u8]) -> Result<()> {
    let zeros = format!("<{}>", "0".repeat(32));
    let tail_from = bytes.len().saturating_sub(4096);
    let id_at = find_last(&bytes[tail_from..], b"/ID").map(|i| i + tail_from).ok_or_else(|| failed("no trailer ID"))?;
    let digest = Sha256::digest(&*bytes);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02X}")).collect();
    let mut at = id_at;
    for _ in 0..2 {
        let rel = find_first(&bytes[at..], zeros.as_bytes()).ok_or_else(|| failed("no trailer ID"))?;
        let start = at + rel + 1;
        bytes[start..start + 32].copy_from_slice(hex.as_bytes());
        at = start + 32;
    }
    Ok(())
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn find_first(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
