//! The case file (卷宗) for the courts, as one PDF: a cover, an index giving the page each part
//! starts on, the application as registered (仲裁申请书), the tribunal's record of each hearing
//! (庭审笔录), every document issued, the service receipts (送达回证), and the list of the
//! evidence accepted into the file (the files themselves travel beside it in the bundle).

use crate::documents::kinds::{ClaimLine, Kind, chinese_date_text, chinese_time};
use crate::documents::layout::{Block, Face, Page};
use crate::documents::markup;
use crate::documents::templates::Paper;
use crate::law::money::Amount;
use crate::store::{cases, documents as store, hearings, resources};

use super::{App, AppError};

/// One part of the case file: the title it has in the index and its wording.
pub struct Part {
    pub label: String,
    pub source: String,
}

/// What the cover says.
pub struct Cover {
    pub commission: String,
    pub number: String,
    pub lines: Vec<String>,
}

/// The parts of a case's file, in the order of the file: the application, the hearing records,
/// the documents issued, the service receipts.
pub async fn parts(app: &App, case_id: &str) -> Result<(Cover, Vec<Part>), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let case = cases::get(&mut conn, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let parties = cases::parties(&mut conn, case_id).await?;
    let claims = cases::claims(&mut conn, case_id).await?;
    let number = case.case_no.clone().unwrap_or_else(|| case.id.clone());
    let address = crate::store::settings::get(&mut conn).await?.address.unwrap_or_else(|| app.config.commission_address.clone());
    let kit = app.documents()?;
    let filed_on = case.filed_on.parse().map_err(anyhow::Error::from)?;
    let mut head = super::documents::head(app, Kind::AcceptanceNotice, &number, filed_on, &parties);
    head.title = Paper::Application.title().into();
    let claim_lines: Vec<ClaimLine> = claims
        .iter()
        .map(|c| ClaimLine { text: c.description.clone(), amount: c.amount_fen.map(|f| Amount::from_fen(f).into()) })
        .collect();
    let facts: Vec<&str> = case.facts.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let application = serde_json::json!({
        "head": head, "claims": claim_lines, "facts": facts, "filed_on": chinese_date_text(&case.filed_on),
    });
    let mut out = vec![Part { label: "仲裁申请书".into(), source: kit.fill_paper(Paper::Application, &application)? }];
    for h in hearings::held_records(&mut conn, case_id).await? {
        let panel = hearings::get(&mut conn, h.id).await?.map(|row| row.arbitrator_ids).unwrap_or_default();
        let names = resources::arbitrator_names(&mut conn, &panel).await?;
        let tribunal = match names.as_slice() {
            [one] => format!("仲裁员{one}（独任）"),
            [first, rest @ ..] => format!("首席仲裁员{first}，仲裁员{}", rest.join("、")),
            [] => String::new(),
        };
        let attended = |a: Option<i64>, who: &str| match a {
            Some(1) => format!("{who}到庭"),
            Some(_) => format!("{who}未到庭"),
            None => format!("{who}（未记录）"),
        };
        let record = serde_json::json!({
            "commission": app.config.commission_name, "case_no": number,
            "held_on": chinese_date_text(&h.held_on), "start": chinese_time(&h.start_time),
            "place": format!("{address}{}", h.room), "tribunal": tribunal,
            "applicant": attended(h.applicant_attended, ""), "respondent": attended(h.respondent_attended, ""),
            "record": h.record.as_deref().unwrap_or("").lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>(),
        });
        let label = format!("庭审笔录（{}）", chinese_date_text(&h.held_on));
        out.push(Part { label, source: kit.fill_paper(Paper::HearingRecord, &record)? });
    }
    for d in store::of_case(&mut conn, case_id).await? {
        let source = store::source(&mut conn, d.id).await?.unwrap_or_default();
        // The file is the case's: a document says its own number only when it differs (…-1号).
        let part = if d.number == number {
            String::new()
        } else {
            d.number.rsplit('〕').next().map(|n| format!("（{n}）")).unwrap_or_default()
        };
        let version = if d.version > 1 { format!("（第{}版）", d.version) } else { String::new() };
        out.push(Part { label: format!("{}{part}{version}", d.title), source });
    }
    drop(conn);
    for (label, source) in super::service_papers::receipt_sources_of_case(app, case_id).await? {
        out.push(Part { label, source });
    }
    let names = |role: &str| parties.iter().filter(|p| p.role == role).map(|p| p.name.as_str()).collect::<Vec<_>>().join("、");
    let mut lines = vec![
        "案由：劳动争议".to_string(),
        format!("申请人：{}", names("applicant")),
        format!("被申请人：{}", names("respondent")),
        format!("申请日期：{}", chinese_date_text(&case.filed_on)),
    ];
    if let Some(d) = &case.accepted_on {
        lines.push(format!("受理日期：{}", chinese_date_text(d)));
    }
    if let Some(o) = case.outcome {
        lines.push(format!("结案方式：{}", o.label()));
    }
    Ok((Cover { commission: app.config.commission_name.clone(), number, lines }, out))
}

/// The index of a laid-out file: each part's label and the page it starts on.
pub type Index = Vec<(String, usize)>;

/// The file laid out: the cover, the index with each part's first page, the parts each from a
/// new page with a bookmark. `evidence` lists the files that travel beside it.
pub fn assemble(kit: &super::documents::Kit, cover: &Cover, parts: &[Part], evidence: &[String]) -> Result<(Vec<Page>, Index), AppError> {
    let mut parsed = Vec::with_capacity(parts.len());
    for p in parts {
        parsed.push(markup::parse(&p.source).map_err(|e| AppError::Conflict(e.to_string()))?);
    }
    // The index names pages it is itself part of: lay out with the numbers found, until they hold.
    let mut starts = vec![0usize; parts.len()];
    for _ in 0..3 {
        let blocks = file_blocks(cover, parts, &parsed, evidence, &starts);
        let pages = kit.lay_out_blocks(&blocks, Some(&cover.number))?;
        let found: Vec<usize> = (0..parts.len()).map(|i| first_page(&pages, &bookmark(i, &parts[i]))).collect();
        if found == starts {
            let index = parts.iter().map(|p| p.label.clone()).zip(found).collect();
            return Ok((pages, index));
        }
        starts = found;
    }
    Err(anyhow::anyhow!("the case file's index did not settle").into())
}

/// A part's bookmark: numbered as in the index, so two notices of one title stay apart.
fn bookmark(i: usize, p: &Part) -> String {
    format!("{}．{}", i + 1, p.label)
}

/// The 1-based page the bookmark `label` points into.
fn first_page(pages: &[Page], label: &str) -> usize {
    pages.iter().position(|p| p.bookmarks.iter().any(|(t, _)| t == label)).map_or(0, |i| i + 1)
}

fn line(text: String) -> Block {
    Block::Paragraph { face: Face::Body, text, indent: 0 }
}

fn file_blocks(cover: &Cover, parts: &[Part], parsed: &[Vec<Block>], evidence: &[String], starts: &[usize]) -> Vec<Block> {
    let mut blocks =
        vec![Block::Title(cover.commission.clone()), Block::Title("仲 裁 案 卷".into()), Block::Center(cover.number.clone()), Block::Blank];
    blocks.extend(cover.lines.iter().cloned().map(line));
    blocks.push(Block::PageBreak);
    blocks.push(Block::Title("卷 内 目 录".into()));
    for (i, (p, start)) in parts.iter().zip(starts).enumerate() {
        blocks.push(line(format!("{}……第{start}页", bookmark(i, p))));
    }
    if !evidence.is_empty() {
        blocks.push(Block::Blank);
        blocks.push(line("证据材料（电子文件随本卷一并移送，文件名如下）：".into()));
        blocks.extend(evidence.iter().enumerate().map(|(i, e)| line(format!("（{}）{e}", i + 1))));
    }
    for (i, (p, body)) in parts.iter().zip(parsed).enumerate() {
        blocks.push(Block::PageBreak);
        blocks.push(Block::Bookmark(bookmark(i, p)));
        blocks.extend(body.iter().cloned());
    }
    blocks
}
