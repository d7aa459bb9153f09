//! Every kind of document typeset from its sample data, rendered to PNG with pdftoppm for a look
//! (`artifacts/documents/`), and read back with pdftotext: the judicial signature block with its
//! Chinese-numeral date and seal position, the refusal's basis, the 独任 wording, the changed
//! hearing, and no line that begins with closing punctuation.

use std::process::Command;

use greenlane::app::documents::Kit;
use greenlane::config::{Config, RawConfig};
use greenlane::documents::kinds::Kind;
use greenlane::documents::templates::samples;

use crate::documents::{flat, tool};

/// Marks that never begin a line (the layout's own list, as a reader checks it).
const CLOSING: &str = "，。、；：？！）》」』】〕”’…%‰,.;:?!)]}";

fn kit() -> Kit {
    let config = Config::from_raw(RawConfig::default()).expect("the default configuration is valid");
    Kit::new(&config).expect("templates and fonts (scripts/fonts.sh)")
}

/// Typesets `data` as `kind`, writes the PDF's pages as PNGs under `artifacts/documents/NAME-N.png`
/// and returns the text as pdftotext lays it out.
fn typeset(kit: &Kit, kind: Kind, data: &serde_json::Value, name: &str) -> String {
    let source = kit.fill(kind, data).expect("the sample fills its template");
    let pages = kit.lay_out(&source, Some("中劳人仲案字〔2026〕第128号")).expect("lays out");
    let pdf = kit.render(&pages, kind.title(), "中山市劳动人事争议仲裁委员会", 1_790_000_000, None).expect("renders");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/documents");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, &pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&file)
        .arg(dir.join(name))
        .status()
        .expect("pdftoppm (poppler-utils, installed by scripts/fonts.sh)");
    assert!(status.success(), "pdftoppm renders {name}");
    assert!(dir.join(format!("{name}-1.png")).is_file() || dir.join(format!("{name}-01.png")).is_file(), "{name}: a PNG of page 1");
    tool("pdftotext", &["-enc", "UTF-8", "-layout"], &pdf)
}

fn flat_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn no_line_begins_with_closing_punctuation(name: &str, text: &str) {
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("— ")) {
        let first = line.chars().next().unwrap();
        assert!(!CLOSING.contains(first), "{name}: a line begins with “{first}”: {line}");
    }
}

#[test]
fn every_kind_renders_to_png_and_reads_like_the_commissions_own() {
    let kit = kit();
    for (kind, data) in samples::all() {
        let element_style = data["elements"].as_array().is_some_and(|e| !e.is_empty());
        let name = if element_style { "award_elements" } else { kind.code() };
        let text = typeset(&kit, kind, &data, name);
        no_line_begins_with_closing_punctuation(name, &text);
        let flat = flat(&text);
        assert!(flat.contains("（印章）"), "{name}: the seal's place is marked: {flat}");
        if matches!(kind, Kind::AwardFinal | Kind::AwardNonfinal | Kind::Mediation) {
            for part in ["独任仲裁员王立明", "二〇二六年十月十六日", "本件与原本核对无异", "书记员李书雅"]
            {
                assert!(flat.contains(part), "{name}: the signature block has {part}: {flat}");
            }
            // The seal goes over the date: the mark's line comes right before it.
            let (seal, date) = (flat.find("（印章）").unwrap(), flat.find("二〇二六年十月十六日").unwrap());
            assert!(seal < date && !flat[seal..date].contains("仲裁员"), "{name}: the seal is over the date");
            assert!(!flat.contains("2026年10月16日"), "{name}: a judicial document is dated in Chinese numerals");
        } else {
            assert!(flat.contains("2026年10月16日"), "{name}: a notice is dated in Arabic numerals (GB/T 9704): {flat}");
        }
    }
}

#[test]
fn an_element_style_award_sets_its_elements_in_ruled_tables() {
    let kit = kit();
    let (kind, data) = samples::all().into_iter().find(|(_, d)| d["elements"].as_array().is_some_and(|e| !e.is_empty())).unwrap();
    let text = typeset(&kit, kind, &data, "award_elements_table");
    let flat = flat(&text);
    for part in [
        "二、无争议的事实",
        "要素双方确认的内容",
        "入职时间2023年5月8日",
        "三、争议的事实及认定",
        "要素申请人主张被申请人意见仲裁庭认定",
        "五、裁决结果",
    ] {
        assert!(flat.contains(part), "{part}: {flat}");
    }
    assert!(!flat.contains("经审理查明"), "the elements state the facts: {flat}");
    // Cells wrap in their columns: the disputed row's finding starts in its own.
    assert!(flat.contains("欠付工资") && flat.contains("被申请人未举证证"), "{flat}");
    // The header of a table never stands alone at the foot of a page.
    for page in text.split('\u{c}') {
        let rows: Vec<&str> =
            page.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("— ") && !l.starts_with('—')).collect();
        if let Some(last) = rows.last() {
            assert!(!flat_line(last).starts_with("要素"), "a header ends the page: {page}");
        }
    }
}

#[test]
fn the_refusal_states_its_ground_and_its_articles() {
    let kit = kit();
    let (_, data) = samples::all().into_iter().find(|(k, _)| *k == Kind::RejectionNotice).unwrap();
    let text = flat(&typeset(&kit, Kind::RejectionNotice, &data, "rejection_basis"));
    assert!(text.contains("中劳人仲案字〔2026〕第128号"), "its number: {text}");
    assert!(text.contains("陈晓燕：你于2026年9月10日提交"), "你, not 你（们）: {text}");
    assert!(
        text.contains("根据《中华人民共和国劳动争议调解仲裁法》第二十九条、《劳动人事争议仲裁办案规则》第二条的规定，本委决定不予受理。"),
        "{text}"
    );
}

#[test]
fn a_sole_arbitrator_hears_alone_and_a_moved_hearing_says_so() {
    let kit = kit();
    let (_, mut data) = samples::all().into_iter().find(|(k, _)| *k == Kind::HearingNotice).unwrap();
    let text = flat(&typeset(&kit, Kind::HearingNotice, &data, "hearing_notice_sole"));
    assert!(text.contains("由仲裁员王立明独任审理"), "{text}");
    assert!(text.contains("上午9时在中山市东区中山五路（演示地址）第一审理庭开庭审理"), "time and address: {text}");
    data["before"] = serde_json::json!("2026年10月8日下午2时在中山市东区中山五路（演示地址）第二审理庭");
    let text = flat(&typeset(&kit, Kind::HearingNotice, &data, "hearing_notice_changed"));
    assert!(text.contains("变更开庭通知书"), "{text}");
    assert!(
        text.contains("原定于2026年10月8日下午2时在中山市东区中山五路（演示地址）第二审理庭开庭审理，现变更为2026年10月9日上午9时"),
        "{text}"
    );
}
