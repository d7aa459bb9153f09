//! Typesetting one award of three pages: time to generate and size with subset fonts (issue 6's
//! targets: at most 10 ms and 250 KB). `cargo bench --bench documents`; in the test suite it runs once.

use std::time::Instant;

use greenlane::documents::fonts::FontPlan;
use greenlane::documents::kinds::Kind;
use greenlane::documents::layout::{Geometry, layout};
use greenlane::documents::templates::{Templates, samples};
use greenlane::documents::{markup, pdf};

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let started = Instant::now();
    let fonts = FontPlan::resolve(None, None).expect("fonts installed (scripts/fonts.sh)").load().expect("fonts load");
    println!("documents: fonts loaded and cut to their cores once in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
    // The built-in award template filled with the sample award: three pages.
    let templates = Templates::load(None).expect("built-in templates");
    let filled = templates.fill(Kind::AwardFinal, &samples::award()).expect("sample award fills");
    let text = filled.as_str();
    let g = Geometry::gbt9704();
    let render = || {
        let blocks = markup::parse(text).expect("markup");
        let pages = layout(&blocks, &g, &fonts, Some("中劳人仲案字〔2026〕第128号")).expect("layout");
        let bytes = pdf::render(
            &pages,
            &g,
            &fonts,
            &pdf::Meta {
                title: "仲裁裁决书", author: "中山市劳动人事争议仲裁委员会", issued_at: 1_795_000_000, seal: None
            },
        );
        (pages.len(), bytes)
    };
    let (pages, bytes) = render();
    let blocks = markup::parse(text).expect("markup");
    let laid = layout(&blocks, &g, &fonts, Some("中劳人仲案字〔2026〕第128号")).expect("layout");
    let sources: std::collections::BTreeSet<String> =
        laid.iter().flat_map(|p| p.runs.iter().map(|r| format!("{:?}/{:?}", r.face, r.source))).collect();
    println!("documents: fonts used {sources:?}");
    // GREENLANE_BENCH_OUT=DIR writes every kind, filled with its sample, for a look with pdftoppm.
    if let Ok(dir) = std::env::var("GREENLANE_BENCH_OUT") {
        std::fs::write(format!("{dir}/award.pdf"), &bytes).expect("write");
        for (kind, sample) in samples::all() {
            let source = templates.fill(kind, &sample).expect("sample fills");
            let pages = layout(&markup::parse(&source).expect("markup"), &g, &fonts, Some("中劳人仲案字〔2026〕第128号")).expect("layout");
            let pdf = pdf::render(
                &pages,
                &g,
                &fonts,
                &pdf::Meta {
                    title: kind.title(), author: "中山市劳动人事争议仲裁委员会", issued_at: 1_795_000_000, seal: None
                },
            );
            std::fs::write(format!("{dir}/{}.pdf", kind.code()), pdf).expect("write");
        }
    }
    let rounds = if measuring { 200 } else { 3 };
    let started = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(render());
    }
    let each = started.elapsed().as_secs_f64() * 1000.0 / rounds as f64;
    let started = Instant::now();
    for _ in 0..rounds {
        let blocks = markup::parse(text).expect("markup");
        std::hint::black_box(layout(&blocks, &g, &fonts, Some("中劳人仲案字〔2026〕第128号")).expect("layout"));
    }
    let layout_ms = started.elapsed().as_secs_f64() * 1000.0 / rounds as f64;
    println!("documents: of which layout {layout_ms:.2} ms");
    let distinct: std::collections::BTreeSet<char> = text.chars().filter(|c| !c.is_ascii()).collect();
    println!(
        "documents: award of {pages} pages, {} distinct characters: {:.2} ms each ({rounds} rounds), {:.1} KB",
        distinct.len(),
        each,
        bytes.len() as f64 / 1024.0
    );
}
