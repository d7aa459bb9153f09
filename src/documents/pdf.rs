//! Laid-out pages to PDF with printpdf: fonts embedded as subsets with a ToUnicode map, so the
//! text can be copied and searched; dated so that the same document gives the same bytes.

use std::collections::BTreeMap;

use printpdf::{
    Color, Line, LineDashPattern, LinePoint, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

use super::fonts::Fonts;
use super::layout::{Face, Geometry, MM, Measure, Page, Source};
use super::seal::SealImage;

/// The diameter of a commission's seal (公章 of a public body: 42 mm).
const SEAL_DIAMETER: f32 = 42.0 * MM;
/// What the marked seal position says, for the clerk who stamps the printed copy.
pub const SEAL_MARK: &str = "（印章）";

/// What the PDF says about itself.
pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    /// The issue instant, seconds since the Unix epoch: CreationDate and ModDate.
    pub issued_at: i64,
    /// The commission's seal image, placed over the date; without one the place is marked.
    pub seal: Option<&'a SealImage>,
}

/// Writes pages as one PDF. Bookmarks on the pages become the outline.
pub fn render(pages: &[Page], g: &Geometry, fonts: &Fonts, meta: &Meta<'_>) -> Vec<u8> {
    let mut doc = PdfDocument::new(meta.title);
    let when = printpdf::OffsetDateTime::from_unix_timestamp(meta.issued_at)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .expect("the epoch is a valid date");
    doc.metadata.info.creation_date = when;
    doc.metadata.info.modification_date = when;
    doc.metadata.info.metadata_date = when;
    doc.metadata.info.author = meta.author.to_string();
    doc.metadata.info.creator = "greenlane".into();
    doc.metadata.info.producer = "greenlane".into();
    let mut ids: BTreeMap<(Face, Source), printpdf::FontId> = BTreeMap::new();
    let seal = meta.seal.map(|s| {
        let raw = printpdf::RawImage {
            pixels: printpdf::RawImageData::U8(s.rgba.clone()),
            width: s.width as usize,
            height: s.height as usize,
            data_format: printpdf::RawImageFormat::RGBA8,
            tag: Vec::new(),
        };
        (doc.add_image(&raw), s.width.max(s.height))
    });
    let mut out = Vec::with_capacity(pages.len());
    for (n, page) in pages.iter().enumerate() {
        let mut ops = Vec::new();
        for run in &page.runs {
            let id = ids.entry((run.face, run.source)).or_insert_with(|| doc.add_font(&fonts.font(run.face, run.source).pdf)).clone();
            let Some(first) = run.pieces.first() else { continue };
            let mut items = Vec::with_capacity(run.pieces.len() * 2);
            for (i, p) in run.pieces.iter().enumerate() {
                items.push(TextItem::Text(p.text.clone()));
                if let Some(next) = run.pieces.get(i + 1) {
                    // TJ moves the pen left by a/1000 em: close the distance to where the next piece sits.
                    let shift = next.x - p.x - p.advance;
                    if shift.abs() > 0.001 {
                        items.push(TextItem::Offset(-shift * 1000.0 / run.size));
                    }
                }
            }
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont { font: PdfFontHandle::External(id), size: Pt(run.size) });
            ops.push(Op::SetTextCursor { pos: Point { x: Pt(first.x), y: Pt(run.y) } });
            ops.push(Op::ShowText { items });
            ops.push(Op::EndTextSection);
        }
        if !page.rules.is_empty() {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetOutlineColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) });
            ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
            for r in &page.rules {
                let point = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
                ops.push(Op::DrawLine { line: Line { points: vec![point(r[0], r[1]), point(r[2], r[3])], is_closed: false } });
            }
            ops.push(Op::RestoreGraphicsState);
        }
        for &(x, y) in &page.seals {
            match &seal {
                Some((id, side)) => ops.push(seal_image(id, *side, x, y)),
                None => seal_mark(&mut ops, &mut doc, &mut ids, fonts, x, y),
            }
        }
        for (title, _) in &page.bookmarks {
            doc.add_bookmark(title, n + 1);
        }
        out.push(PdfPage::new(Mm(g.page_width / MM), Mm(g.page_height / MM), ops));
    }
    let opts = PdfSaveOptions { image_optimization: None, optimize: false, ..PdfSaveOptions::default() };
    let mut lo = doc.with_pages(out).to_lopdf_document(&opts, &mut Vec::new());
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).expect("writing to memory cannot fail");
    bytes
}

/// The seal image centred on (x, y), its longer side the seal's diameter.
fn seal_image(id: &printpdf::XObjectId, side: u32, x: f32, y: f32) -> Op {
    let r = SEAL_DIAMETER / 2.0;
    // At this resolution one pixel of the longer side is SEAL_DIAMETER / side points.
    let dpi = side as f32 * 72.0 / SEAL_DIAMETER;
    let transform =
        printpdf::XObjectTransform { translate_x: Some(Pt(x - r)), translate_y: Some(Pt(y - r)), dpi: Some(dpi), ..Default::default() };
    Op::UseXobject { id: id.clone(), transform }
}

/// The seal's place over the date, when no seal image is set: a thin red dashed circle of the
/// seal's size and the word 印章 at its top, so the clerk stamps where the seal belongs.
fn seal_mark(
    ops: &mut Vec<Op>,
    doc: &mut PdfDocument,
    ids: &mut BTreeMap<(Face, Source), printpdf::FontId>,
    fonts: &Fonts,
    x: f32,
    y: f32,
) {
    let red = Color::Rgb(Rgb { r: 0.85, g: 0.1, b: 0.1, icc_profile: None });
    let r = SEAL_DIAMETER / 2.0;
    let points = (0..96)
        .map(|i| {
            let a = i as f32 / 96.0 * std::f32::consts::TAU;
            LinePoint { p: Point { x: Pt(x + r * a.cos()), y: Pt(y + r * a.sin()) }, bezier: false }
        })
        .collect();
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor { col: red.clone() });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.8) });
    ops.push(Op::SetLineDashPattern { dash: LineDashPattern::new(0.0, &[4.0, 3.0]) });
    ops.push(Op::DrawLine { line: Line { points, is_closed: true } });
    let size = 12.0;
    let mut cx = x - SEAL_MARK.chars().count() as f32 * size / 2.0;
    let top = y + r - 1.6 * size;
    for c in SEAL_MARK.chars() {
        let Some((em, source)) = fonts.advance(Face::Body, c) else { continue };
        let id = ids.entry((Face::Body, source)).or_insert_with(|| doc.add_font(&fonts.font(Face::Body, source).pdf)).clone();
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFillColor { col: red.clone() });
        ops.push(Op::SetFont { font: PdfFontHandle::External(id), size: Pt(size) });
        ops.push(Op::SetTextCursor { pos: Point { x: Pt(cx), y: Pt(top) } });
        ops.push(Op::ShowText { items: vec![TextItem::Text(c.to_string())] });
        ops.push(Op::EndTextSection);
        cx += em.max(1.0) * size;
    }
    ops.push(Op::RestoreGraphicsState);
}

/// Deflates every stream that allows it, at level 6: the size of printpdf's best-level pass within
/// a few per cent, in a fraction of its time.
fn compress(doc: &mut lopdf::Document) {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else { continue };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::with_capacity(stream.content.len() / 2), flate2::Compression::new(6));
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        if let Ok(packed) = encoder.finish()
            && packed.len() + 19 < stream.content.len()
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}
