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
    Fallback,
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
            out.push(Unit { text: c.to_string(), width, advance: em * size, source });
        }
        latin = is_latin(c);
    }
    Ok(out)
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
    ends
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
        Block::Blank | Block::PageBreak | Block::Bookmark(_) => return Ok(None),
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
        while j < blocks.len() && matches!(blocks[j], Block::Right { .. } | Block::Blank) {
            lines += measured[j].as_ref().map_or(1, |ms| ms.ends.len() as u32);
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
                Align::Right(_) => (g.left + width - natural, 0.0),
                Align::Justify if last || line_units.len() < 2 => (g.left + indent, 0.0),
                Align::Justify => (g.left + indent, ((width - indent - natural) / (line_units.len() - 1) as f32).max(0.0)),
            };
            for u in line_units {
                let piece = Piece { x, width: u.width, advance: u.advance, text: u.text.clone() };
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

#[derive(Clone, Copy)]
enum Align {
    Center,
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
}
