//! The fonts of the documents, found on the system or configured by path, loaded once per process.
//!
//! House style (rules.md §4.5): 仿宋 body, 小标宋 title, 黑体 and 楷体 headings, 宋体 page numbers.
//! The free faces that match are Fandol's (TeX Live). The characters Fandol lacks (many used in
//! personal names: 堃喆昇玥珺…) come first from AR PL UMing, whose thin strokes sit with 仿宋,
//! then from Noto Serif CJK SC (heavier, wider coverage; everything when Fandol is not installed),
//! then from HanaMinB for CJK Extension B and beyond.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::layout::{Face, Measure, Source};

/// Where Fandol is looked for when no directory is configured.
pub const FANDOL_DIRS: [&str; 3] =
    ["/usr/local/share/fonts/fandol", "/usr/share/fonts/opentype/fandol", "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"];
/// The fallback when none is configured: Noto Serif CJK, face 2 (SC) of the collection.
pub const NOTO_SERIF_CJK: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc#2";

/// The light fallback, matched in weight to the 仿宋 body: AR PL UMing CN, face 0 of Debian's
/// fonts-arphic-uming collection.
pub const UMING: &str = "/usr/share/fonts/truetype/arphic/uming.ttc#0";

/// The font for the rarest characters (CJK Extension B to F, often in personal names), behind the
/// fallback: HanaMinB from Debian's fonts-hanazono.
pub const HANAZONO_B: &str = "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf";

/// A font file and the face inside it (`path#index` for a collection).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FontRef {
    pub path: PathBuf,
    pub index: u32,
}

impl FontRef {
    /// Parses `path` or `path#index`.
    pub fn parse(spec: &str) -> FontRef {
        match spec.rsplit_once('#') {
            Some((p, i)) if i.parse::<u32>().is_ok() => FontRef { path: p.into(), index: i.parse().unwrap_or(0) },
            _ => FontRef { path: spec.into(), index: 0 },
        }
    }
}

/// The faces a document uses, resolved to files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontPlan {
    pub faces: Vec<(Face, FontRef)>,
    /// In front of the fallback: a face matched in weight to the body.
    pub light: Option<FontRef>,
    pub fallback: Option<FontRef>,
    /// Behind the fallback: the characters of CJK Extension B and beyond.
    pub rare: Option<FontRef>,
}

/// No usable font was found or one cannot be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FontError {
    #[error("找不到中文字体：请运行 scripts/fonts.sh 安装字体，或用 font_dir / fallback_font 配置字体路径")]
    NoneFound,
    #[error("字体文件“{0}”不存在或无法读取：{1}")]
    Unreadable(String, String),
    #[error("字体文件“{0}”不是可用的 OpenType/TrueType 字体（或没有第 {1} 个字形集）")]
    Invalid(String, u32),
}

impl FontPlan {
    /// Fandol from `font_dir` (or the usual places) with `fallback` behind it; Noto Serif CJK for
    /// every face when Fandol is missing. Only checks that the files exist.
    pub fn resolve(font_dir: Option<&Path>, fallback: Option<&str>) -> Result<FontPlan, FontError> {
        let fallback = match fallback {
            Some(spec) => {
                let f = FontRef::parse(spec);
                if !f.path.is_file() {
                    return Err(FontError::Unreadable(f.path.display().to_string(), "文件不存在".into()));
                }
                Some(f)
            }
            None => Some(FontRef::parse(NOTO_SERIF_CJK)).filter(|f| f.path.is_file()),
        };
        let dir = match font_dir {
            Some(d) => {
                if !d.join("FandolFang-Regular.otf").is_file() {
                    return Err(FontError::Unreadable(d.join("FandolFang-Regular.otf").display().to_string(), "文件不存在".into()));
                }
                Some(d.to_path_buf())
            }
            None => FANDOL_DIRS.iter().map(PathBuf::from).find(|d| d.join("FandolFang-Regular.otf").is_file()),
        };
        let file = |name: &str, dir: &Path| {
            let p = dir.join(name);
            p.is_file().then_some(FontRef { path: p, index: 0 })
        };
        let faces = match (&dir, &fallback) {
            (Some(d), _) => [
                (Face::Body, "FandolFang-Regular.otf"),
                (Face::Title, "FandolSong-Bold.otf"),
                (Face::Heading, "FandolHei-Regular.otf"),
                (Face::Kai, "FandolKai-Regular.otf"),
                (Face::Song, "FandolSong-Regular.otf"),
            ]
            .into_iter()
            // A face that is missing falls back to the body face.
            .map(|(face, name)| (face, file(name, d).unwrap_or(FontRef { path: d.join("FandolFang-Regular.otf"), index: 0 })))
            .collect(),
            (None, Some(f)) => {
                [Face::Body, Face::Title, Face::Heading, Face::Kai, Face::Song].into_iter().map(|face| (face, f.clone())).collect()
            }
            (None, None) => return Err(FontError::NoneFound),
        };
        let rare = Some(FontRef::parse(HANAZONO_B)).filter(|f| f.path.is_file());
        // Only behind Fandol: with Noto standing in for every face, Noto's own weight is the body's.
        let light = dir.as_ref().and(Some(FontRef::parse(UMING))).filter(|f| f.path.is_file());
        Ok(FontPlan { faces, light, fallback, rare })
    }

    /// Loads (once per process) every face of the plan, each with its core.
    pub fn load(&self) -> Result<Fonts, FontError> {
        let faces = self
            .faces
            .iter()
            .map(|(face, r)| {
                let whole = loaded(r)?;
                Ok((*face, FaceFonts { core: core_of(r, &whole), whole }))
            })
            .collect::<Result<HashMap<_, _>, FontError>>()?;
        let light = self.light.as_ref().map(loaded).transpose()?;
        let fallback = self.fallback.as_ref().map(loaded).transpose()?;
        let rare = self.rare.as_ref().map(loaded).transpose()?;
        Ok(Fonts { faces, light, fallback, rare })
    }
}

/// The characters of GB 2312 (its 682 symbols and 6,763 hanzi) and printable ASCII: what
/// nearly every document is written in.
fn common_repertoire() -> Vec<char> {
    let mut out: Vec<char> = (' '..='~').collect();
    for lead in (0xA1u8..=0xA9).chain(0xB0..=0xF7) {
        for trail in 0xA1u8..=0xFE {
            let pair = [lead, trail];
            let (text, _, bad) = encoding_rs::GBK.decode(&pair);
            if !bad {
                out.extend(text.chars().filter(|c| !c.is_control() && *c != '\u{FFFD}'));
            }
        }
    }
    out
}

/// The face cut down once to the common repertoire. printpdf subsets every document from the font
/// it is given, and much of the time goes in scanning that font's whole character map; cut from
/// the core, a three-page award takes about a fifth less time. `None` when the face is barely
/// larger than its core, when it cannot be cut, or when the cut would draw or measure any
/// character differently.
fn core_of(r: &FontRef, whole: &LoadedFont) -> Option<Arc<LoadedFont>> {
    static CACHE: OnceLock<Mutex<HashMap<FontRef, Option<Arc<LoadedFont>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(c) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(r) {
        return c.clone();
    }
    let mut glyphs = std::collections::BTreeMap::new();
    for c in common_repertoire() {
        if let Some(g) = whole.face.glyph_index(c).filter(|g| g.0 != 0) {
            glyphs.entry(g.0).or_insert_with(|| c.to_string());
        }
    }
    let core = (whole.face.number_of_glyphs() as usize > glyphs.len() + 1000)
        .then(|| printpdf::subset_font(&whole.pdf, &glyphs).ok())
        .flatten()
        .and_then(|sub| {
            let bytes: &'static [u8] = Box::leak(sub.bytes.into_boxed_slice());
            let face = ttf_parser::Face::parse(bytes, 0).ok()?;
            let pdf = printpdf::ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
            // The core must draw what the whole face draws, with the same advances.
            let same = glyphs.values().filter_map(|t| t.chars().next()).all(|c| {
                face.glyph_index(c).filter(|g| g.0 != 0).and_then(|g| face.glyph_hor_advance(g))
                    == whole.face.glyph_index(c).and_then(|g| whole.face.glyph_hor_advance(g))
            });
            same.then(|| {
                Arc::new(LoadedFont { name: format!("{}-core", whole.name), units_per_em: f32::from(face.units_per_em()), face, pdf })
            })
        });
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(r.clone(), core.clone());
    core
}

/// One face, parsed for measuring (ttf-parser) and for embedding (printpdf).
pub struct LoadedFont {
    pub name: String,
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    pub pdf: printpdf::ParsedFont,
}

impl LoadedFont {
    /// The advance of `c` in em, if the face has it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let g = self.face.glyph_index(c).filter(|g| g.0 != 0)?;
        Some(f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) / self.units_per_em)
    }
}

/// Fonts live as long as the process: each file is read and parsed once, whatever the number of
/// apps (tests start many).
fn loaded(r: &FontRef) -> Result<Arc<LoadedFont>, FontError> {
    static CACHE: OnceLock<Mutex<HashMap<FontRef, Arc<LoadedFont>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(f) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(r) {
        return Ok(f.clone());
    }
    let shown = r.path.display().to_string();
    let bytes = std::fs::read(&r.path).map_err(|e| FontError::Unreadable(shown.clone(), e.to_string()))?;
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let face = ttf_parser::Face::parse(bytes, r.index).map_err(|_| FontError::Invalid(shown.clone(), r.index))?;
    let units_per_em = f32::from(face.units_per_em());
    let pdf = printpdf::ParsedFont::from_bytes(bytes, r.index as usize, &mut Vec::new())
        .ok_or_else(|| FontError::Invalid(shown.clone(), r.index))?;
    let name = r.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let font = Arc::new(LoadedFont { name, face, units_per_em, pdf });
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert(r.clone(), font.clone());
    Ok(font)
}

/// A face: its core in front of the whole font.
#[derive(Clone)]
struct FaceFonts {
    core: Option<Arc<LoadedFont>>,
    whole: Arc<LoadedFont>,
}

/// The loaded faces of a document.
#[derive(Clone)]
pub struct Fonts {
    faces: HashMap<Face, FaceFonts>,
    light: Option<Arc<LoadedFont>>,
    fallback: Option<Arc<LoadedFont>>,
    rare: Option<Arc<LoadedFont>>,
}

impl Fonts {
    /// The font a run is drawn in.
    pub fn font(&self, face: Face, source: Source) -> &LoadedFont {
        let f = &self.faces[&face];
        let chosen = match source {
            Source::Core => f.core.as_ref(),
            Source::Light => self.light.as_ref(),
            Source::Fallback => self.fallback.as_ref(),
            Source::Rare => self.rare.as_ref(),
            Source::Whole => None,
        };
        chosen.unwrap_or(&f.whole)
    }
}

impl Measure for Fonts {
    fn advance(&self, face: Face, c: char) -> Option<(f32, Source)> {
        let f = &self.faces[&face];
        if let Some(a) = f.core.as_ref().and_then(|core| core.advance(c)) {
            return Some((a, Source::Core));
        }
        if let Some(a) = f.whole.advance(c) {
            return Some((a, Source::Whole));
        }
        // An ASCII space has no outline in some faces' cmap but always an advance.
        if c == ' ' {
            return Some((0.25, Source::Whole));
        }
        if let Some(a) = self.light.as_ref().and_then(|f| f.advance(c)) {
            return Some((a, Source::Light));
        }
        if let Some(a) = self.fallback.as_ref().and_then(|f| f.advance(c)) {
            return Some((a, Source::Fallback));
        }
        self.rare.as_ref().and_then(|f| f.advance(c)).map(|a| (a, Source::Rare))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_font_directory_without_fandol_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = FontPlan::resolve(Some(dir.path()), None).unwrap_err();
        assert!(matches!(&e, FontError::Unreadable(path, _) if path.ends_with("FandolFang-Regular.otf")), "{e}");
        assert!(e.to_string().contains("FandolFang-Regular.otf"), "{e}");
    }

    #[test]
    fn a_configured_fallback_font_that_is_not_there_is_refused_naming_the_file() {
        let e = FontPlan::resolve(None, Some("/nonexistent/NotoSerifCJK-Regular.ttc#2")).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/NotoSerifCJK-Regular.ttc"), "{e}");
    }

    #[test]
    fn a_file_that_is_not_a_font_is_refused_when_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("fake.otf");
        std::fs::write(&fake, b"not a font").unwrap();
        let plan =
            FontPlan { faces: vec![(Face::Body, FontRef { path: fake.clone(), index: 0 })], light: None, fallback: None, rare: None };
        let e = plan.load().err().expect("not a font");
        assert!(matches!(e, FontError::Invalid(..)), "{e}");
    }

    #[test]
    fn a_font_spec_names_the_face_of_a_collection() {
        assert_eq!(FontRef::parse("/a/b.ttc#2"), FontRef { path: "/a/b.ttc".into(), index: 2 });
        assert_eq!(FontRef::parse("/a/b.otf"), FontRef { path: "/a/b.otf".into(), index: 0 });
    }
}
