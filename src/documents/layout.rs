//! The GB/T 9704 page (rules.md §4.5): blocks of text set on a grid of 22 lines of 28 characters,
//! broken by the rules of Chinese typesetting, justified, and numbered page by page.
//!
//! Pure: widths come from a [`Measure`], and the result is positions, not PDF.

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// Closing punctuation: never the first character of a line.
const NO_START: &str = "，。、；：？！）》」』】〕”’…—%‰,.;:?!)]}·";
/// Opening punctuation: never the last character of a line.
const NO_END: &str = "（《「『【〔“‘([{";
/// Full-width marks whose ink sits in the left half of their cell (the simplified-Chinese forms).
const INK_LEFT: &str = "，。、；：）》」』】〕”’";
/// Full-width marks whose ink sits in the right half.
const INK_RIGHT: &str = "（《「『【〔“‘";
/// The share of its cell a compressed mark keeps.
const COMPRESSED: f32 = 0.55;
/// The fewest characters a paragraph's last line may hold (no widow of one or two).
const MIN_LAST_LINE: usize = 3;

/// The page and its grid.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub page_width: f32,
    pub page_height: f32,
    pub left: f32,
    pub top: f32,
    pub text_width: f32,
    pub text_height: f32,
    pub lines: u32,
    pub chars: u32,
    pub body_size: f32,
    pub title_size: f32,
    pub page_number_size: f32,
    pub header_size: f32,
}

impl Geometry {
    /// A4; margins 37 (top), 28 (left), 35 (bottom), 26 (right) mm; 22 lines of 28 characters;
    /// body 16 pt (3号), title 22 pt (2号), page numbers 14 pt (4号).
    pub fn gbt9704() -> Self {
        Geometry {
            page_width: 210.0 * MM,
            page_height: 297.0 * MM,
            left: 28.0 * MM,
            top: 37.0 * MM,
            text_width: 156.0 * MM,
            text_height: 225.0 * MM,
            lines: 22,
            chars: 28,
            body_size: 16.0,
            title_size: 22.0,
            page_number_size: 14.0,
            header_size: 12.0,
        }
    }

    /// The distance between two lines' baselines.
    pub fn pitch(&self) -> f32 {
        self.text_height / self.lines as f32
    }

    /// The width of one character cell of body text.
    pub fn cell(&self) -> f32 {
        self.text_width / self.chars as f32
    }

    /// The top edge of the text block, from the bottom of the page (PDF coordinates).
    fn block_top(&self) -> f32 {
        self.page_height - self.top
    }

    /// The baseline of grid line `k` (0 = first), for text of `size`: its em box centred in the line.
    fn baseline(&self, k: u32, size: f32) -> f32 {
        self.block_top() - k as f32 * self.pitch() - self.pitch() / 2.0 - 0.38 * size
    }
}

/// The typefaces of an official document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    /// 仿宋: body text.
    Body,
    /// 小标宋 or the nearest free face: the title.
    Title,
    /// 黑体: first-level headings (一、).
    Heading,
    /// 楷体: second-level headings (（一）).
    Kai,
    /// 宋体: page numbers.
    Song,
}

/// Which font of a face draws a character: the face's common core (subset once per process, so
/// that each document's subset is cut from a small font), the whole face, or the fallback font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Core,
    Whole,
    /// Behind the face: a light Ming face matched in weight to 仿宋 (AR PL UMing).
    Light,
    Fallback,
    /// Behind the fallback: CJK Extension B and beyond (HanaMinB).
    Rare,
}

/// Character widths, by face.
pub trait Measure {
    /// The advance of `c` in em and the font that draws it; `None` when no configured font has it.
    fn advance(&self, face: Face, c: char) -> Option<(f32, Source)>;
}

/// One block of a document, as the templates write it.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Centred, in the title face and size.
    Title(String),
    /// Centred body text.
    Center(String),
    /// Right-aligned, `indent` characters in from the right edge (a date: 4).
    Right { text: String, indent: u32 },
    /// A paragraph, its first line indented by `indent` characters.
    Paragraph { face: Face, text: String, indent: u32 },
    /// An empty grid line.
    Blank,
    /// The rest of the page stays empty.
    PageBreak,
    /// An outline entry pointing at the next line (the combined case file's bookmarks).
    Bookmark(String),
    /// Left-aligned body text, not indented (the copy mark 本件与原本核对无异).
    Left(String),
    /// The commission's seal goes over the next right-aligned line (the date); takes no line.
    Seal,
    /// A ruled table: column widths in characters (summing to the line's 28), the rows, the first
    /// of them the header. Each cell wraps in its column; a row never splits across pages.
    Table { widths: Vec<u32>, rows: Vec<Vec<String>> },
}

/// What a character no font has is printed as: the geta mark, the typesetter's sign for a missing
/// character, to be written in by hand (issue 23: a rare character never blocks work).
pub const PLACEHOLDER: char = '〓';

/// Text that is not on the page because no font has one of its characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("字体中没有字符“{ch}”（U+{code:04X}），请配置包含该字的后备字体")]
pub struct MissingGlyph {
    pub ch: char,
    pub code: u32,
}

/// A run of text in one font on one baseline; each piece sits at its own x.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: Face,
    pub source: Source,
    pub size: f32,
    pub y: f32,
    pub pieces: Vec<Piece>,
}

/// An unbreakable piece of text: one Chinese character, or a run of Latin letters and digits.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub x: f32,
    /// Its width on the grid, before justification (a full-width character takes one cell).
    pub width: f32,
    /// The font's own advance for the piece, which the PDF corrects to `width`.
    pub advance: f32,
    pub text: String,
}

/// One laid-out page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub runs: Vec<Run>,
    /// Outline entries: title and the y of the line they point at.
    pub bookmarks: Vec<(String, f32)>,
    /// Where the seal goes: the centre of the line it is set over.
    pub seals: Vec<(f32, f32)>,
    /// Ruled lines (a table's): from (x, y) to (x, y).
    pub rules: Vec<[f32; 4]>,
}

impl Page {
    /// The page's text, line by line, as a reader would copy it.
    pub fn text(&self) -> String {
        let mut lines: Vec<(f32, f32, String)> = Vec::new();
        for run in &self.runs {
            for p in &run.pieces {
                lines.push((-run.y, p.x, p.text.clone()));
            }
        }
        lines.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut out = String::new();
        let mut last_y = None;
        for (y, _, t) in lines {
            if last_y.is_some_and(|l: f32| (l - y).abs() > 0.5) {
                out.push('\n');
            }
            last_y = Some(y);
            out.push_str(&t);
        }
        out
    }
}

/// A unit of line breaking.
#[derive(Debug, Clone)]
struct Unit {
    text: String,
    width: f32,
    advance: f32,
    source: Source,
    /// Where the glyph is drawn relative to its cell: a compressed opening mark moves left.
    shift: f32,
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '%' | '-' | '/' | ':' | '+' | '\'' | '_' | '#' | '@' | '&')
}

/// Cuts text into units: Latin letters and digits stay together (`1204室` never breaks inside
/// `1204`, nor `12,000.00`), everything else is one unit per character.
fn units(text: &str, face: Face, size: f32, g: &Geometry, m: &dyn Measure) -> Result<Vec<Unit>, MissingGlyph> {
    let full_width = size * g.cell() / g.body_size;
    let mut out: Vec<Unit> = Vec::new();
    let mut latin = false;
    for c in text.chars() {
        let (c, (em, source)) = match m.advance(face, c) {
            Some(found) => (c, found),
            None => (PLACEHOLDER, m.advance(face, PLACEHOLDER).ok_or(MissingGlyph { ch: c, code: c as u32 })?),
        };
        // Full-width characters sit on the grid; Latin text takes its real advance widths.
        let width = if em >= 0.9 { full_width } else { em * size };
        let joins = is_latin(c) && latin && out.last().is_some_and(|u| u.source == source);
        if joins {
            let last = out.last_mut().expect("a unit to join");
            last.text.push(c);
            last.width += width;
            last.advance += em * size;
        } else {
            out.push(Unit { text: c.to_string(), width, advance: em * size, source, shift: 0.0 });
        }
        latin = is_latin(c);
    }
    compress_punctuation(&mut out, full_width);
    Ok(out)
}

/// Of two full-width marks side by side, the first is set in about half a cell (GB/T 15834
/// practice: "），" "（《" "。”"): a mark inked on the left keeps its left part, one inked on the
/// right is drawn that much further left.
fn compress_punctuation(units: &mut [Unit], full_width: f32) {
    let mark =
        |u: &Unit| u.text.chars().next().filter(|c| u.text.chars().count() == 1 && (INK_LEFT.contains(*c) || INK_RIGHT.contains(*c)));
    for i in 1..units.len() {
        let (Some(first), Some(_)) = (mark(&units[i - 1]), mark(&units[i])) else { continue };
        let u = &mut units[i - 1];
        if (u.width - full_width).abs() > 0.01 {
            continue;
        }
        // Not quite half: a reader's text extraction (poppler) takes a glyph that overlaps the one
        // before by half an em or more for the start of another line.
        u.width = full_width * COMPRESSED;
        if INK_RIGHT.contains(first) {
            u.shift = -full_width * (1.0 - COMPRESSED);
        }
    }
}

fn starts_with_any(u: &Unit, set: &str) -> bool {
    u.text.chars().next().is_some_and(|c| set.contains(c))
}

/// Breaks units into lines: greedy filling, then the line-breaking rules — a line never starts
/// with closing punctuation nor ends with opening punctuation; the character before is pulled
/// down instead. Returns the end index of each line.
fn break_lines(units: &[Unit], first_width: f32, width: f32) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut start = 0;
    while start < units.len() {
        let avail = if ends.is_empty() { first_width } else { width };
        let mut end = start;
        let mut used = 0.0;
        while end < units.len() && used + units[end].width <= avail + 0.01 {
            used += units[end].width;
            end += 1;
        }
        if end == start {
            end = start + 1;
        }
        if end < units.len() {
            let mut e = end;
            loop {
                let stranded = starts_with_any(&units[e], NO_START) || starts_with_any(&units[e - 1], NO_END);
                if e > start + 1 && stranded {
                    e -= 1;
                } else {
                    break;
                }
            }
            end = e;
        }
        ends.push(end);
        start = end;
    }
    avoid_widow(units, &mut ends);
    ends
}

/// A last line of one or two characters takes characters from the line above, as long as the
/// break stays lawful and the line above keeps most of its text.
fn avoid_widow(units: &[Unit], ends: &mut [usize]) {
    let n = ends.len();
    if n < 2 || units.len() <= MIN_LAST_LINE || units.len() - ends[n - 2] >= MIN_LAST_LINE {
        return;
    }
    let above_start = if n >= 3 { ends[n - 3] } else { 0 };
    let mut e = units.len() - MIN_LAST_LINE;
    while e > above_start + 1 && (starts_with_any(&units[e], NO_START) || starts_with_any(&units[e - 1], NO_END)) {
        e -= 1;
    }
    if e < ends[n - 2] && e > above_start + (ends[n - 2] - above_start) / 2 {
        ends[n - 2] = e;
    }
}

/// A text block measured and broken into lines, before it is placed.
struct Measured {
    face: Face,
    size: f32,
    units: Vec<Unit>,
    /// The end index of each line in `units`.
    ends: Vec<usize>,
    first_indent: u32,
    align: Align,
    width: f32,
}

fn measure(block: &Block, g: &Geometry, m: &dyn Measure) -> Result<Option<Measured>, MissingGlyph> {
    let (face, size, text, first_indent, align) = match block {
        Block::Title(t) => (Face::Title, g.title_size, t, 0, Align::Center),
        Block::Center(t) => (Face::Body, g.body_size, t, 0, Align::Center),
        Block::Right { text, indent } => (Face::Body, g.body_size, text, 0, Align::Right(*indent)),
        Block::Paragraph { face, text, indent } => (*face, g.body_size, text, *indent, Align::Justify),
        Block::Left(t) => (Face::Body, g.body_size, t, 0, Align::Left),
        Block::Blank | Block::PageBreak | Block::Bookmark(_) | Block::Seal | Block::Table { .. } => return Ok(None),
    };
    let units = units(text, face, size, g, m)?;
    let cell = size * g.cell() / g.body_size;
    let width = match align {
        Align::Right(indent) => g.text_width - indent as f32 * cell,
        _ => g.text_width,
    };
    let ends = break_lines(&units, width - first_indent as f32 * cell, width);
    Ok(Some(Measured { face, size, units, ends, first_indent, align, width }))
}

/// For each block that ends a document's body, the lines of the signature after it: the run of
/// right-aligned lines and blanks (the signatures and the date) up to a page break or the end.
fn signature_lines(blocks: &[Block], measured: &[Option<Measured>]) -> Vec<Option<u32>> {
    let mut out = vec![None; blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        let mut j = i;
        let mut lines = 0u32;
        let mut rights = 0;
        while j < blocks.len() && matches!(blocks[j], Block::Right { .. } | Block::Blank | Block::Seal | Block::Left(_)) {
            let own = if blocks[j] == Block::Seal { 0 } else { 1 };
            lines += measured[j].as_ref().map_or(own, |ms| ms.ends.len() as u32);
            rights += usize::from(matches!(blocks[j], Block::Right { .. }));
            j += 1;
        }
        let ends_document = j == blocks.len() || matches!(blocks[j], Block::PageBreak);
        if j > i && rights > 0 && ends_document && i > 0 && matches!(blocks[i - 1], Block::Paragraph { .. }) {
            out[i - 1] = Some(lines);
        }
        i = j.max(i + 1);
    }
    out
}

/// Lays blocks out on pages. `header` (the case number) is printed above the text on every page
/// after the first; every page is numbered "— N —", odd pages on the right, even on the left.
/// The signature never stands alone on a page: when it would, the last two lines of the body
/// go over with it (the house style after GB/T 9704-2012: no date without text above it).
pub fn layout(blocks: &[Block], g: &Geometry, m: &dyn Measure, header: Option<&str>) -> Result<Vec<Page>, MissingGlyph> {
    let measured = blocks.iter().map(|b| measure(b, g, m)).collect::<Result<Vec<_>, _>>()?;
    let signatures = signature_lines(blocks, &measured);
    let mut pages = vec![Page::default()];
    let mut line = 0u32;
    let mut pending_bookmarks: Vec<String> = Vec::new();
    let mut pending_seal = false;
    let new_page = |pages: &mut Vec<Page>, line: &mut u32| {
        pages.push(Page::default());
        *line = 0;
    };
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::PageBreak => {
                if line > 0 {
                    new_page(&mut pages, &mut line);
                }
                continue;
            }
            Block::Bookmark(title) => {
                pending_bookmarks.push(title.clone());
                continue;
            }
            Block::Seal => {
                pending_seal = true;
                continue;
            }
            Block::Table { widths, rows } => {
                table(&mut pages, &mut line, widths, rows, g, m)?;
                continue;
            }
            Block::Blank => {
                if line > 0 {
                    line += 1;
                    if line >= g.lines {
                        new_page(&mut pages, &mut line);
                    }
                }
                continue;
            }
            _ => {}
        }
        let Some(Measured { face, size, units: us, ends, first_indent, align, width, .. }) = &measured[i] else { continue };
        let (face, size, align, width) = (*face, *size, *align, *width);
        let cell = size * g.cell() / g.body_size;
        // Where this block's last line falls decides whether the signature after it still fits.
        let break_before = signatures[i].and_then(|sig| {
            let last_line = (0..ends.len()).fold(line, |l, _| if l >= g.lines { 1 } else { l + 1 });
            let carry = ends.len().min(2);
            (last_line + sig > g.lines && carry as u32 + sig <= g.lines).then_some(ends.len() - carry)
        });
        // A heading never ends a page: it goes over with the first lines of what it heads.
        let heading = matches!(face, Face::Heading | Face::Kai) && ends.len() == 1;
        let next = if heading { lead_lines(blocks.get(i + 1), measured.get(i + 1).and_then(Option::as_ref), g, m)? } else { 0 };
        let break_before = if heading && line + 1 + next > g.lines && line > 0 { Some(0) } else { break_before };
        let mut start = 0;
        for (n, &end) in ends.iter().enumerate() {
            if line >= g.lines || (Some(n) == break_before && line > 0) {
                new_page(&mut pages, &mut line);
            }
            let y = g.baseline(line, size);
            let page = pages.last_mut().expect("a page");
            for title in pending_bookmarks.drain(..) {
                page.bookmarks.push((title, y + size));
            }
            let line_units = &us[start..end];
            let natural: f32 = line_units.iter().map(|u| u.width).sum();
            let indent = if n == 0 { *first_indent as f32 * cell } else { 0.0 };
            let last = n + 1 == ends.len();
            let (mut x, gap) = match align {
                Align::Center => (g.left + (g.text_width - natural) / 2.0, 0.0),
                Align::Left => (g.left, 0.0),
                Align::Right(_) => (g.left + width - natural, 0.0),
                Align::Justify if last || line_units.len() < 2 => (g.left + indent, 0.0),
                Align::Justify => (g.left + indent, ((width - indent - natural) / (line_units.len() - 1) as f32).max(0.0)),
            };
            if pending_seal && matches!(align, Align::Right(_)) {
                page.seals.push((x + natural / 2.0, y + 0.35 * size));
                pending_seal = false;
            }
            for u in line_units {
                let piece = Piece { x: x + u.shift, width: u.width, advance: u.advance, text: u.text.clone() };
                match page.runs.last_mut() {
                    Some(r) if r.face == face && r.source == u.source && r.y == y && r.size == size => r.pieces.push(piece),
                    _ => page.runs.push(Run { face, source: u.source, size, y, pieces: vec![piece] }),
                }
                x += u.width + gap;
            }
            line += 1;
            start = end;
        }
    }
    if pages.len() > 1 && pages.last().is_some_and(|p| p.runs.is_empty()) {
        pages.pop();
    }
    for (i, page) in pages.iter_mut().enumerate() {
        furnish(page, i + 1, g, m, header)?;
    }
    Ok(pages)
}

/// The lines a block needs on the page it starts on: a paragraph's first line, a table's header
/// and first row (which never part).
fn lead_lines(block: Option<&Block>, measured: Option<&Measured>, g: &Geometry, m: &dyn Measure) -> Result<u32, MissingGlyph> {
    Ok(match block {
        Some(Block::Table { widths, rows }) => {
            let mut lines = 0;
            for row in rows.iter().take(2) {
                lines += row_height(widths, row, g, m)?;
            }
            lines
        }
        _ => u32::from(measured.is_some()),
    })
}

/// How many lines a table row takes: its tallest cell.
fn row_height(widths: &[u32], row: &[String], g: &Geometry, m: &dyn Measure) -> Result<u32, MissingGlyph> {
    let cell = g.cell();
    let scale = g.text_width / (widths.iter().sum::<u32>().max(1) as f32 * cell);
    let mut height = 1;
    for (i, w) in widths.iter().enumerate() {
        let us = units(row.get(i).map(String::as_str).unwrap_or(""), Face::Body, g.body_size, g, m)?;
        let width = *w as f32 * cell * scale - cell / 2.0;
        if !us.is_empty() {
            height = height.max(break_lines(&us, width, width).len() as u32);
        }
    }
    Ok(height)
}

/// Sets a ruled table from grid line `line` on: each row as tall as its tallest cell, moved to a
/// new page whole when it does not fit; the cells left-aligned half a character in from the rules.
fn table(
    pages: &mut Vec<Page>,
    line: &mut u32,
    widths: &[u32],
    rows: &[Vec<String>],
    g: &Geometry,
    m: &dyn Measure,
) -> Result<(), MissingGlyph> {
    let cell = g.cell();
    let pad = cell / 4.0;
    let total: u32 = widths.iter().sum();
    let scale = g.text_width / (total.max(1) as f32 * cell);
    let edges: Vec<f32> = std::iter::once(0)
        .chain(widths.iter().scan(0, |acc, w| {
            *acc += w;
            Some(*acc)
        }))
        .map(|w| g.left + w as f32 * cell * scale)
        .collect();
    let mut laid = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::with_capacity(widths.len());
        for (i, w) in widths.iter().enumerate() {
            let text = row.get(i).map(String::as_str).unwrap_or("");
            let us = units(text, Face::Body, g.body_size, g, m)?;
            let width = *w as f32 * cell * scale - 2.0 * pad;
            let ends = if us.is_empty() { vec![0] } else { break_lines(&us, width, width) };
            cells.push((us, ends));
        }
        let height = cells.iter().map(|(_, e)| e.len() as u32).max().unwrap_or(1).max(1);
        laid.push((cells, height));
    }
    for (r, (cells, height)) in laid.iter().enumerate() {
        let height = *height;
        // The header row goes over with the first row under it.
        let keep = if r == 0 { laid.get(1).map_or(0, |(_, h)| *h) } else { 0 };
        if *line + height + keep > g.lines && *line > 0 {
            pages.push(Page::default());
            *line = 0;
        }
        let page = pages.last_mut().expect("a page");
        let top = g.block_top() - *line as f32 * g.pitch();
        let bottom = top - height as f32 * g.pitch();
        page.rules.push([edges[0], top, edges[edges.len() - 1], top]);
        page.rules.push([edges[0], bottom, edges[edges.len() - 1], bottom]);
        for x in &edges {
            page.rules.push([*x, top, *x, bottom]);
        }
        for (i, (us, ends)) in cells.iter().enumerate() {
            let mut start = 0;
            let ends: &Vec<usize> = ends;
            for (k, &end) in ends.iter().enumerate() {
                let y = g.baseline(*line + k as u32, g.body_size);
                let mut x = edges[i] + pad;
                for u in &us[start..end] {
                    let piece = Piece { x: x + u.shift, width: u.width, advance: u.advance, text: u.text.clone() };
                    match page.runs.last_mut() {
                        Some(r) if r.face == Face::Body && r.source == u.source && r.y == y && r.size == g.body_size => {
                            r.pieces.push(piece)
                        }
                        _ => page.runs.push(Run { face: Face::Body, source: u.source, size: g.body_size, y, pieces: vec![piece] }),
                    }
                    x += u.width;
                }
                start = end;
            }
        }
        *line += height;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Align {
    Center,
    Left,
    Right(u32),
    Justify,
}

/// The page number and, after the first page, the case number.
fn furnish(page: &mut Page, number: usize, g: &Geometry, m: &dyn Measure, header: Option<&str>) -> Result<(), MissingGlyph> {
    let size = g.page_number_size;
    let label = format!("— {number} —");
    let us = units(&label, Face::Song, size, g, m)?;
    let width: f32 = us.iter().map(|u| u.width).sum();
    // One character's indent from the text block's edge: right on odd pages, left on even ones.
    let mut x = if number % 2 == 1 { g.left + g.text_width - size - width } else { g.left + size };
    let y = g.page_height - g.top - g.text_height - 7.0 * MM - 0.8 * size;
    for u in us {
        page.runs.push(Run {
            face: Face::Song,
            source: u.source,
            size,
            y,
            pieces: vec![Piece { x, width: u.width, advance: u.advance, text: u.text }],
        });
        x += u.width;
    }
    if let (Some(h), true) = (header, number > 1) {
        let size = g.header_size;
        let us = units(h, Face::Body, size, g, m)?;
        let width: f32 = us.iter().map(|u| u.width).sum();
        let mut x = g.left + g.text_width - width;
        let y = g.block_top() + 6.0;
        for u in us {
            page.runs.push(Run {
                face: Face::Body,
                source: u.source,
                size,
                y,
                pieces: vec![Piece { x, width: u.width, advance: u.advance, text: u.text }],
            });
            x += u.width;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Chinese character 1 em, Latin 0.5 em; `𠮷` only in the fallback; `☃` nowhere.
    struct Fixed;
    impl Measure for Fixed {
        fn advance(&self, _: Face, c: char) -> Option<(f32, Source)> {
            match c {
                '☃' => None,
                '𠮷' => Some((1.0, Source::Fallback)),
                c if c.is_ascii() => Some((0.5, Source::Core)),
                _ => Some((1.0, Source::Core)),
            }
        }
    }

    fn para(text: &str) -> Block {
        Block::Paragraph { face: Face::Body, text: text.into(), indent: 2 }
    }

    fn lines_of(pages: &[Page]) -> Vec<String> {
        pages[0].text().lines().map(str::to_string).collect()
    }

    #[test]
    fn a_full_line_holds_twenty_eight_characters_and_the_first_line_is_indented_two() {
        let text: String = "劳".repeat(60);
        let pages = layout(&[para(&text)], &Geometry::gbt9704(), &Fixed, None).unwrap();
        let lines = lines_of(&pages);
        assert_eq!(lines[0].chars().count(), 26);
        assert_eq!(lines[1].chars().count(), 28);
        assert_eq!(lines[2].chars().count(), 6);
    }

    fn signature() -> Vec<Block> {
        vec![
            Block::Blank,
            Block::Right { text: "仲裁员　王立明".into(), indent: 4 },
            Block::Right { text: "2026年12月5日".into(), indent: 4 },
        ]
    }

    #[test]
    fn a_signature_that_would_stand_alone_takes_the_last_two_body_lines_with_it() {
        // 17 one-line paragraphs and a last one of three lines fill the page but two lines; the
        // signature needs three (a blank and two lines).
        let mut blocks: Vec<Block> = (0..17).map(|i| para(&format!("第{i}段"))).collect();
        blocks.push(para(&format!("{}{}{}", "甲".repeat(26), "乙".repeat(28), "丙".repeat(6))));
        blocks.extend(signature());
        let pages = layout(&blocks, &Geometry::gbt9704(), &Fixed, None).unwrap();
        assert_eq!(pages.len(), 2);
        let second: Vec<String> = pages[1].text().lines().map(str::to_string).collect();
        assert_eq!(second[..3], ["乙".repeat(28), "丙".repeat(6), "仲裁员　王立明".to_string()], "{second:?}");
        assert!(pages[0].text().lines().any(|l| l == "甲".repeat(26)));
        assert!(!pages[0].text().contains('乙'));
    }

    #[test]
    fn a_signature_that_fits_stays_under_its_body() {
        let mut blocks: Vec<Block> = (0..19).map(|i| para(&format!("第{i}段"))).collect();
        blocks.extend(signature());
        let pages = layout(&blocks, &Geometry::gbt9704(), &Fixed, None).unwrap();
        assert_eq!(pages.len(), 1, "19 lines, a blank and two signature lines make 22");
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 26 characters then "。": the full stop would start line 2, so "定" comes down with it.
        let text = format!("{}定。其余", "规".repeat(25));
        let pages = layout(&[para(&text)], &Geometry::gbt9704(), &Fixed, None).unwrap();
        let lines = lines_of(&pages);
        assert_eq!(lines[1], "定。其余", "{lines:?}");
        for l in lines.iter().filter(|l| !l.starts_with("— ")) {
            assert!(!NO_START.contains(l.chars().next().unwrap()), "{l}");
        }
    }

    #[test]
    fn no_line_ends_with_opening_punctuation() {
        let text = format!("{}《劳动争议调解仲裁法》", "规".repeat(25));
        let pages = layout(&[para(&text)], &Geometry::gbt9704(), &Fixed, None).unwrap();
        let lines = lines_of(&pages);
        assert!(lines[1].starts_with('《'), "{lines:?}");
        assert!(!lines[0].ends_with('《'));
    }

    #[test]
    fn digits_and_latin_letters_are_never_split() {
        let text = format!("{}12,000.00元", "规".repeat(24));
        let pages = layout(&[para(&text)], &Geometry::gbt9704(), &Fixed, None).unwrap();
        let lines = lines_of(&pages);
        assert!(lines.iter().any(|l| l.contains("12,000.00")), "{lines:?}");
    }

    #[test]
    fn a_justified_line_ends_flush_with_the_text_block() {
        let g = Geometry::gbt9704();
        let text = format!("{}定。{}", "规".repeat(25), "余".repeat(40));
        let pages = layout(&[para(&text)], &g, &Fixed, None).unwrap();
        let first = &pages[0].runs[0];
        let last_on_line = first.pieces.iter().rfind(|p| p.text == "规").unwrap();
        assert!((last_on_line.x + last_on_line.width - (g.left + g.text_width)).abs() < 0.01);
    }

    #[test]
    fn twenty_three_lines_run_onto_a_second_page_with_the_case_number_above() {
        let blocks: Vec<Block> = (0..23).map(|i| para(&format!("第{i}行"))).collect();
        let pages = layout(&blocks, &Geometry::gbt9704(), &Fixed, Some("中劳人仲案字〔2026〕第1号")).unwrap();
        assert_eq!(pages.len(), 2);
        assert!(pages[0].text().contains("— 1 —"));
        assert!(!pages[0].text().contains("中劳人仲案字"));
        assert!(pages[1].text().contains("中劳人仲案字〔2026〕第1号"));
        assert!(pages[1].text().contains("— 2 —"));
    }

    #[test]
    fn page_numbers_sit_right_on_odd_pages_and_left_on_even_ones() {
        let g = Geometry::gbt9704();
        let pages = layout(&[para("一"), Block::PageBreak, para("二")], &g, &Fixed, None).unwrap();
        let number_x = |p: &Page| p.runs.iter().find(|r| r.face == Face::Song).unwrap().pieces[0].x;
        assert!(number_x(&pages[0]) > g.left + g.text_width / 2.0);
        assert!(number_x(&pages[1]) < g.left + g.text_width / 2.0);
    }

    #[test]
    fn a_character_from_the_fallback_font_is_its_own_run_and_a_missing_one_prints_as_the_placeholder() {
        let pages = layout(&[para("吉𠮷祥")], &Geometry::gbt9704(), &Fixed, None).unwrap();
        assert!(pages[0].runs.iter().any(|r| r.source == Source::Fallback && r.pieces[0].text == "𠮷"));
        let pages = layout(&[para("雪☃")], &Geometry::gbt9704(), &Fixed, None).unwrap();
        let text: String =
            pages[0].runs.iter().filter(|r| r.face == Face::Body).flat_map(|r| r.pieces.iter().map(|p| p.text.clone())).collect();
        assert_eq!(text, "雪〓");
    }

    #[test]
    fn of_two_full_width_marks_side_by_side_the_first_takes_half_a_cell() {
        let g = Geometry::gbt9704();
        let pages = layout(&[para("报酬（《法》）。")], &g, &Fixed, None).unwrap();
        let body: Vec<&Piece> = pages[0].runs.iter().filter(|r| r.face == Face::Body).flat_map(|r| r.pieces.iter()).collect();
        let cell = g.cell();
        let width_of = |t: &str| body.iter().find(|p| p.text == t).unwrap().width;
        let half = cell * COMPRESSED;
        assert!((width_of("（") - half).abs() < 0.01, "（ before 《 is compressed");
        assert!((width_of("《") - cell).abs() < 0.01, "《 before 法 keeps its cell");
        assert!((width_of("》") - half).abs() < 0.01 && (width_of("）") - half).abs() < 0.01);
        assert!((width_of("。") - cell).abs() < 0.01, "the last of a run keeps its cell");
        // An opening mark inked on the right is drawn to the left of where it sits.
        let open = body.iter().find(|p| p.text == "（").unwrap();
        let before = body.iter().find(|p| p.text == "酬").unwrap();
        assert!((open.x - (before.x + cell - (cell - half))).abs() < 0.01, "{} {}", open.x, before.x);
    }

    #[test]
    fn a_paragraph_never_ends_on_a_line_of_one_or_two_characters() {
        // 26 + 28 characters fill two lines exactly; two more would be a widow.
        let text = "劳".repeat(56);
        let pages = layout(&[para(&text)], &Geometry::gbt9704(), &Fixed, None).unwrap();
        let lines = lines_of(&pages);
        assert_eq!(lines[2].chars().count(), 3, "{lines:?}");
        assert_eq!(lines[1].chars().count(), 27, "{lines:?}");
    }

    #[test]
    fn the_seal_sits_over_the_line_after_it_and_takes_no_line() {
        let g = Geometry::gbt9704();
        let blocks = vec![para("正文"), Block::Seal, Block::Right { text: "二〇二六年十二月十八日".into(), indent: 4 }];
        let pages = layout(&blocks, &g, &Fixed, None).unwrap();
        assert_eq!(pages[0].seals.len(), 1);
        let (x, y) = pages[0].seals[0];
        let date = pages[0].runs.iter().find(|r| r.pieces.iter().any(|p| p.text == "〇")).unwrap();
        let (first, last) = (date.pieces.first().unwrap(), date.pieces.last().unwrap());
        assert!((x - (first.x + last.x + last.width) / 2.0).abs() < 0.01, "centred over the date");
        assert!(y > date.y && y < date.y + g.pitch() / 2.0);
        assert!((date.y - g.baseline(1, g.body_size)).abs() < 0.01, "the date is on the second line");
    }

    #[test]
    fn a_table_wraps_each_cell_in_its_column_and_rules_every_row() {
        let g = Geometry::gbt9704();
        let rows = vec![
            vec!["要素".to_string(), "申请人主张".to_string(), "仲裁庭认定".to_string()],
            vec!["入职时间".to_string(), "2023年5月8日入职被申请人处从事冲压工作".to_string(), "予以确认".to_string()],
        ];
        let blocks = vec![para("前文"), Block::Table { widths: vec![6, 12, 10], rows }, para("后文")];
        let pages = layout(&blocks, &g, &Fixed, None).unwrap();
        let text = pages[0].text();
        assert!(text.contains("要素申请人主张仲裁庭认定"), "the header on one line: {text}");
        // 2023年5月8日入职被申请人处从事冲压工作 needs two lines of a 12-character column.
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().any(|l| l.starts_with("入职时间") && l.ends_with("予以确认")), "{lines:?}");
        assert_eq!(lines.iter().position(|l| *l == "后文"), Some(4), "the row took two lines: {lines:?}");
        // Two rows: a rule above and below each, and four upright rules per row.
        assert_eq!(pages[0].rules.len(), 2 * (2 + 4));
        let right = g.left + g.text_width;
        assert!(pages[0].rules.iter().all(|r| r[0] >= g.left - 0.01 && r[2] <= right + 0.01));
    }

    #[test]
    fn a_heading_goes_over_with_the_table_it_heads() {
        // 20 lines of text, a heading, then a table whose header and first row need two lines:
        // only the heading would fit, alone, on the page's last free lines.
        let mut blocks: Vec<Block> = (0..20).map(|i| para(&format!("第{i}段"))).collect();
        blocks.push(Block::Paragraph { face: Face::Heading, text: "二、无争议的事实".into(), indent: 2 });
        let rows = vec![vec!["要素".to_string(), "内容".to_string()], vec!["入职时间".to_string(), "2023年5月8日".to_string()]];
        blocks.push(Block::Table { widths: vec![7, 21], rows });
        let pages = layout(&blocks, &Geometry::gbt9704(), &Fixed, None).unwrap();
        assert!(!pages[0].text().contains("无争议"), "{}", pages[0].text());
        assert!(pages[1].text().starts_with("二、无争议的事实"), "{}", pages[1].text());
    }

    #[test]
    fn a_heading_never_ends_a_page() {
        // 21 lines of text leave the last line of the page to the heading: it goes over instead.
        let mut blocks: Vec<Block> = (0..21).map(|i| para(&format!("第{i}段"))).collect();
        blocks.push(Block::Paragraph { face: Face::Heading, text: "二、无争议的事实".into(), indent: 2 });
        blocks.push(para("正文"));
        let pages = layout(&blocks, &Geometry::gbt9704(), &Fixed, None).unwrap();
        assert!(!pages[0].text().contains("无争议"), "{}", pages[0].text());
        assert!(pages[1].text().starts_with("二、无争议的事实"), "{}", pages[1].text());
    }
}
