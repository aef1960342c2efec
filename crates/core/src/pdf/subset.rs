//! TrueType subsetting that keeps glyph ids: every glyph a document does not use (directly or as a component of a
//! composite glyph) is emptied, and the tables a PDF viewer does not need (layout, kerning, glyph names) are
//! dropped. Because ids do not change, the content streams, the `/W` widths and the ToUnicode map printpdf writes
//! stay valid as they are. The `name` table (with the Bitstream Vera copyright and licence notice) is kept, as
//! the licence asks. A fresh `cmap` maps the characters used, for viewers that look.

use std::collections::{BTreeMap, BTreeSet};

/// Tables copied as they are.
const KEPT: [&[u8; 4]; 7] = [b"OS/2", b"cvt ", b"fpgm", b"gasp", b"hhea", b"maxp", b"prep"];

fn be16(d: &[u8], at: usize) -> Option<u16> {
    d.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn tables(font: &[u8]) -> Option<BTreeMap<[u8; 4], &[u8]>> {
    let n = be16(font, 4)? as usize;
    let mut out = BTreeMap::new();
    for i in 0..n {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let off = be32(font, rec + 8)? as usize;
        let len = be32(font, rec + 12)? as usize;
        out.insert(tag, font.get(off..off.checked_add(len)?)?);
    }
    Some(out)
}

/// Glyph data ranges from `loca`.
fn glyph_ranges(loca: &[u8], long: bool, num_glyphs: usize) -> Option<Vec<(usize, usize)>> {
    let offset = |i: usize| -> Option<usize> {
        if long {
            be32(loca, 4 * i).map(|v| v as usize)
        } else {
            be16(loca, 2 * i).map(|v| v as usize * 2)
        }
    };
    (0..num_glyphs).map(|g| Some((offset(g)?, offset(g + 1)?))).collect()
}

/// The component glyphs of a composite glyph.
fn components(glyph: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    if glyph.len() < 10 || (be16(glyph, 0).unwrap_or(0) as i16) >= 0 {
        return out;
    }
    let mut at = 10;
    while let (Some(flags), Some(gid)) = (be16(glyph, at), be16(glyph, at + 2)) {
        out.push(gid);
        at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        at += if flags & 0x0008 != 0 {
            2
        } else if flags & 0x0040 != 0 {
            4
        } else if flags & 0x0080 != 0 {
            8
        } else {
            0
        };
        if flags & 0x0020 == 0 {
            break;
        }
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// A format 4 `cmap` for the BMP characters used.
fn cmap(chars: &BTreeMap<u32, u16>) -> Vec<u8> {
    let mut segs: Vec<(u16, u16, u16)> = Vec::new(); // start, end, delta
    for (&cp, &gid) in chars.range(..0xFFFF) {
        let cp = cp as u16;
        let delta = gid.wrapping_sub(cp);
        match segs.last_mut() {
            Some((_, end, d)) if *end as u32 + 1 == cp as u32 && *d == delta => *end = cp,
            _ => segs.push((cp, cp, delta)),
        }
    }
    // A format 4 subtable is at most 64 KiB; past that, keep the first segments (viewers do not need it).
    segs.truncate(7999);
    segs.push((0xFFFF, 0xFFFF, 1));
    let n = segs.len();
    let pow = 1usize << (usize::BITS - 1 - n.leading_zeros());
    let mut sub = Vec::new();
    let len = 16 + 8 * n;
    for v in
        [4u16, len as u16, 0, (2 * n) as u16, (2 * pow) as u16, pow.trailing_zeros() as u16, (2 * (n - pow)) as u16]
    {
        sub.extend_from_slice(&v.to_be_bytes());
    }
    segs.iter().for_each(|s| sub.extend_from_slice(&s.1.to_be_bytes()));
    sub.extend_from_slice(&0u16.to_be_bytes());
    segs.iter().for_each(|s| sub.extend_from_slice(&s.0.to_be_bytes()));
    segs.iter().for_each(|s| sub.extend_from_slice(&s.2.to_be_bytes()));
    segs.iter().for_each(|_| sub.extend_from_slice(&0u16.to_be_bytes()));
    let mut out = Vec::new();
    for v in [0u16, 1, 3, 1] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&12u32.to_be_bytes());
    out.extend_from_slice(&sub);
    out
}

/// `font` with only the glyphs in `used` (and their components, and glyph 0) left; `chars` maps the characters
/// used to their glyphs, for the new `cmap`.
pub(crate) fn subset(font: &[u8], used: &BTreeSet<u16>, chars: &BTreeMap<u32, u16>) -> Result<Vec<u8>, String> {
    let bad = |what: &str| format!("the font's {what} could not be read");
    let t = tables(font).ok_or_else(|| bad("table directory"))?;
    let get = |tag: &[u8; 4]| t.get(tag).copied().ok_or_else(|| bad(std::str::from_utf8(tag).unwrap_or("table")));
    let head = get(b"head")?;
    let num_glyphs = be16(get(b"maxp")?, 4).ok_or_else(|| bad("maxp"))? as usize;
    let long = be16(head, 50).ok_or_else(|| bad("head"))? != 0;
    let glyf = get(b"glyf")?;
    let ranges = glyph_ranges(get(b"loca")?, long, num_glyphs).ok_or_else(|| bad("loca"))?;
    let data = |g: usize| -> &[u8] {
        let (a, b) = ranges[g];
        if a < b && b <= glyf.len() {
            &glyf[a..b]
        } else {
            &[]
        }
    };
    // The glyphs to keep: the used ones, .notdef, and every component of a kept composite.
    let mut keep = vec![false; num_glyphs];
    let mut todo: Vec<u16> = used.iter().copied().chain([0]).collect();
    while let Some(g) = todo.pop() {
        let g = g as usize;
        if g >= num_glyphs || keep[g] {
            continue;
        }
        keep[g] = true;
        todo.extend(components(data(g)));
    }
    let mut new_glyf = Vec::new();
    let mut offsets = Vec::with_capacity(num_glyphs + 1);
    for (g, &k) in keep.iter().enumerate() {
        offsets.push(new_glyf.len());
        if k {
            new_glyf.extend_from_slice(data(g));
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    offsets.push(new_glyf.len());
    // Short offsets (halved) when the glyph data is small enough, as it is for any subset of these fonts.
    let short = new_glyf.len() < 0x20000;
    let new_loca: Vec<u8> = if short {
        offsets.iter().flat_map(|&o| ((o / 2) as u16).to_be_bytes()).collect()
    } else {
        offsets.iter().flat_map(|&o| (o as u32).to_be_bytes()).collect()
    };
    // Unused glyphs' metrics become zeros (they compress to nothing); the last full metric stays, since every
    // glyph after it takes its advance.
    let metrics = be16(get(b"hhea")?, 34).ok_or_else(|| bad("hhea"))? as usize;
    let mut hmtx = get(b"hmtx")?.to_vec();
    for (g, &k) in keep.iter().enumerate() {
        if k || g + 1 == metrics {
            continue;
        }
        let (at, len) = if g < metrics { (4 * g, 4) } else { (4 * metrics + 2 * (g - metrics), 2) };
        if let Some(entry) = hmtx.get_mut(at..at + len) {
            entry.fill(0);
        }
    }
    let mut new_head = head.to_vec();
    new_head.get_mut(8..12).ok_or_else(|| bad("head"))?.fill(0);
    new_head.get_mut(50..52).ok_or_else(|| bad("head"))?.copy_from_slice(&u16::from(!short).to_be_bytes());
    let mut post = t.get(b"post").map(|p| p.get(..32).unwrap_or(p).to_vec()).unwrap_or_default();
    if post.len() == 32 {
        post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    }
    let mut out_tables: BTreeMap<[u8; 4], Vec<u8>> = BTreeMap::new();
    for tag in KEPT {
        if let Some(d) = t.get(tag) {
            out_tables.insert(*tag, d.to_vec());
        }
    }
    if let Some(name) = t.get(b"name") {
        out_tables.insert(*b"name", name.to_vec());
    }
    out_tables.insert(*b"hmtx", hmtx);
    out_tables.insert(*b"head", new_head);
    out_tables.insert(*b"glyf", new_glyf);
    out_tables.insert(*b"loca", new_loca);
    out_tables.insert(*b"cmap", cmap(chars));
    if post.len() == 32 {
        out_tables.insert(*b"post", post);
    }
    Ok(assemble(&out_tables))
}

/// An sfnt file from its tables, with checksums and the head's checksum adjustment.
fn assemble(tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let n = tables.len();
    let pow = 1usize << (usize::BITS - 1 - n.max(1).leading_zeros());
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n as u16, (16 * pow) as u16, pow.trailing_zeros() as u16, (16 * (n - pow)) as u16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * n;
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for data in tables.values() {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}
