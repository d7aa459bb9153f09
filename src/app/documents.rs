//! Issuing documents and handing them out: the wording from the templates, typeset and stored once
//! with its SHA-256 in the issuing transaction; a case's documents, their downloads and the bundle
//! for the courts, every view and download written to the access log.

use std::io::Write;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::accounts::{Role, Staff};
use super::{App, AppError};
use crate::config::Config;
use crate::documents::fonts::{FontPlan, Fonts};
use crate::documents::kinds::{Employer, Head, Kind, Person, chinese_date};
use crate::documents::layout::{Block, Geometry, layout};
use crate::documents::templates::Templates;
use crate::documents::{markup, pdf};
use crate::law::identity::ResidentId;
use crate::store::cases::{CaseRow, PartyRow};
use crate::store::documents::{self as store, DocumentRow, NewDocument};
use crate::store::{Tx, cases};

/// What issuing needs: the compiled templates, the fonts (loaded on first use) and the page.
pub struct Kit {
    templates: Templates,
    plan: FontPlan,
    fonts: OnceLock<Result<Fonts, String>>,
    geometry: Geometry,
}

impl Kit {
    /// Compiles the templates and finds the fonts; either failing is a configuration error.
    pub fn new(config: &Config) -> Result<Kit, String> {
        let templates = Templates::load(config.documents_dir.as_deref()).map_err(|e| e.to_string())?;
        let plan = FontPlan::resolve(config.font_dir.as_deref(), config.fallback_font.as_deref()).map_err(|e| e.to_string())?;
        Ok(Kit { templates, plan, fonts: OnceLock::new(), geometry: Geometry::gbt9704() })
    }

    /// Whether a font for CJK Extension B and beyond is configured (checked at start).
    pub fn covers_rare_characters(&self) -> bool {
        self.plan.rare.is_some()
    }

    /// The fonts, read from disk the first time.
    pub fn fonts(&self) -> Result<&Fonts, AppError> {
        self.fonts.get_or_init(|| self.plan.load().map_err(|e| e.to_string())).as_ref().map_err(|e| AppError::Conflict(e.clone()))
    }

    /// The wording of `kind` for `data`.
    pub fn fill(&self, kind: Kind, data: &impl Serialize) -> Result<String, AppError> {
        self.templates.fill(kind, data).map_err(|e| AppError::Conflict(e.to_string()))
    }

    /// The wording of a service paper (送达回证, 送达地址确认书) for `data`.
    pub fn fill_paper(&self, paper: crate::documents::templates::Paper, data: &impl Serialize) -> Result<String, AppError> {
        self.templates.fill_paper(paper, data).map_err(|e| AppError::Conflict(e.to_string()))
    }

    /// Lays the wording out: an unknown directive is refused here, before anything is stored; a
    /// character no font has prints as 〓 (refused only if no font has even that).
    pub fn lay_out(&self, source: &str, number: Option<&str>) -> Result<Vec<crate::documents::layout::Page>, AppError> {
        let blocks = markup::parse(source).map_err(|e| AppError::Conflict(e.to_string()))?;
        self.lay_out_blocks(&blocks, number)
    }

    pub(crate) fn lay_out_blocks(&self, blocks: &[Block], number: Option<&str>) -> Result<Vec<crate::documents::layout::Page>, AppError> {
        let fonts = self.fonts()?;
        layout(blocks, &self.geometry, fonts, number).map_err(|e| AppError::field("text", "missing_glyph", e.to_string()))
    }

    /// The characters of `text` no configured font has (they print as [`PLACEHOLDER`]).
    ///
    /// [`PLACEHOLDER`]: crate::documents::layout::PLACEHOLDER
    pub fn missing(&self, text: &str) -> Result<Vec<char>, AppError> {
        use crate::documents::layout::{Face, Measure};
        let fonts = self.fonts()?;
        let mut out: Vec<char> = Vec::new();
        for c in text.chars().filter(|c| !c.is_control() && fonts.advance(Face::Body, *c).is_none()) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The PDF of laid-out pages.
    pub fn render(
        &self,
        pages: &[crate::documents::layout::Page],
        title: &str,
        author: &str,
        issued_at: i64,
        seal: Option<&crate::documents::seal::SealImage>,
    ) -> Result<Vec<u8>, AppError> {
        Ok(pdf::render(pages, &self.geometry, self.fonts()?, &pdf::Meta { title, author, issued_at, seal }))
    }
}

/// A document as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub kind: String,
    /// The number printed on it (`…-1号` for one part of a split award).
    pub case_no: String,
    pub title: String,
    pub version: i64,
    /// The document this one corrects.
    pub corrects: Option<i64>,
    pub sha256: String,
    pub pages: i64,
    pub issued_on: String,
    pub issued_at: String,
}

impl DocumentView {
    pub fn of(r: DocumentRow) -> Self {
        DocumentView {
            id: r.id,
            kind: r.kind,
            case_no: r.number,
            title: r.title,
            version: r.version,
            corrects: r.corrects,
            sha256: r.sha256.unwrap_or_default(),
            pages: r.pages.unwrap_or(0),
            issued_on: r.issued_on,
            issued_at: r.issued_at,
        }
    }
}

/// One document to issue in the caller's transaction.
pub struct Issue<'a> {
    pub case_id: &'a str,
    pub kind: Kind,
    pub number: &'a str,
    pub source: String,
    pub corrects: Option<i64>,
    pub by: &'a str,
}

/// A document typeset and hashed, not yet stored.
pub struct Typeset {
    pub kind: Kind,
    pub number: String,
    pub source: String,
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub sha256: String,
}

/// Typesets `source` as a document of `kind` numbered `number`, outside any transaction (it
/// takes milliseconds to a second; SQLite's one writer is not held meanwhile).
pub async fn typeset(app: &App, kind: Kind, number: &str, source: String) -> Result<Typeset, AppError> {
    let kit = app.documents()?;
    if !app.config.typeset {
        // The simulator without typesetting: the document's text is kept and hashed, no PDF is made.
        let sha256 = super::secrets::hex(&Sha256::digest(source.as_bytes()));
        return Ok(Typeset { kind, number: number.to_string(), source, pdf: Vec::new(), pages: 0, sha256 });
    }
    let title = kind.title();
    let author = app.config.commission_name.clone();
    let issued_at = app.time.now();
    let seal = super::settings::seal(app).await?;
    let (pdf, pages, source) = {
        let number = number.to_string();
        super::blocking(move || -> Result<(Vec<u8>, usize, String), AppError> {
            let pages = kit.lay_out(&source, Some(&number))?;
            Ok((kit.render(&pages, title, &author, issued_at.timestamp(), seal.as_ref())?, pages.len(), source))
        })
        .await??
    };
    let sha256 = super::secrets::hex(&Sha256::digest(&pdf));
    Ok(Typeset { kind, number: number.to_string(), source, pdf, pages, sha256 })
}

/// Stores a typeset document in the caller's transaction, with its audit event.
pub async fn store_typeset(
    app: &App,
    tx: &mut Tx,
    case_id: &str,
    t: &Typeset,
    corrects: Option<i64>,
    by: &str,
) -> Result<DocumentView, AppError> {
    store_typeset_on(app, tx, case_id, t, corrects, by, app.time.today()).await
}

/// [`store_typeset`] of a document dated `issued_on` (a notice issued for the day of its event).
async fn store_typeset_on(
    app: &App,
    tx: &mut Tx,
    case_id: &str,
    t: &Typeset,
    corrects: Option<i64>,
    by: &str,
    issued_on: NaiveDate,
) -> Result<DocumentView, AppError> {
    let now = app.time.now_text();
    let issued_on = issued_on.to_string();
    let title = t.kind.title();
    let id = store::insert(
        tx,
        &NewDocument {
            case_id,
            kind: t.kind.code(),
            number: &t.number,
            title,
            corrects,
            source: &t.source,
            pdf: &t.pdf,
            sha256: &t.sha256,
            pages: t.pages as i64,
            issued_on: &issued_on,
            issued_at: &now,
            issued_by: by,
        },
    )
    .await?;
    let row = store::get(tx, id).await?.ok_or_else(|| anyhow::anyhow!("document {id} just stored"))?;
    super::services::open_for_document(app, tx, case_id, id, t.kind, by).await?;
    crate::store::events::append(
        tx,
        &crate::store::events::NewEvent {
            case_id,
            at: &now,
            actor: by,
            action: "document_issued",
            before: None,
            after: None,
            note: Some(&format!("{} {} sha256={}", title, t.number, t.sha256)),
        },
    )
    .await?;
    // A character no font has is printed as 〓 for the clerk to write in: said once, in the record.
    let missing = app.documents()?.missing(&t.source)?;
    if !missing.is_empty() {
        let chars: Vec<String> = missing.iter().map(|c| format!("“{c}”（U+{:04X}）", *c as u32)).collect();
        let note = format!("{}{}中的{}字库中没有，已以〓代替，请在打印件上手写补正", title, t.number, chars.join("、"));
        let e = crate::store::events::NewEvent {
            case_id,
            at: &now,
            actor: by,
            action: "document_placeholder",
            before: None,
            after: None,
            note: Some(&note),
        };
        crate::store::events::append(tx, &e).await?;
    }
    Ok(DocumentView::of(row))
}

/// Typesets and stores a document in the caller's transaction: issued means typeset, hashed and
/// kept; a failure anywhere leaves nothing behind. For the documents that are the act itself
/// (awards, mediation statements, corrections); notices that follow an act go through the outbox.
pub async fn issue(app: &App, tx: &mut Tx, d: Issue<'_>) -> Result<DocumentView, AppError> {
    let t = typeset(app, d.kind, d.number, d.source).await?;
    store_typeset(app, tx, d.case_id, &t, d.corrects, d.by).await
}

/// The head every document carries, from the case and its parties.
pub fn head(app: &App, kind: Kind, number: &str, date: NaiveDate, parties: &[PartyRow]) -> Head {
    let today = app.time.today();
    Head {
        commission: app.config.commission_name.clone(),
        title: kind.title().to_string(),
        number: number.to_string(),
        date: chinese_date(date),
        applicants: parties.iter().filter(|p| p.role == "applicant").map(|p| person(p, today)).collect(),
        respondents: parties
            .iter()
            .filter(|p| p.role == "respondent")
            .map(|p| Employer {
                name: p.name.clone(),
                credit_code: p.credit_code.clone(),
                address: p.address.clone(),
                legal_representative: p.legal_representative.clone(),
            })
            .collect(),
    }
}

/// A worker, with the sex and date of birth their identity number encodes (checked when the
/// case was registered).
fn person(p: &PartyRow, today: NaiveDate) -> Person {
    let id = p.id_number.clone().unwrap_or_default();
    let resident = ResidentId::parse(&id, today).ok();
    Person {
        name: p.name.clone(),
        sex: resident.as_ref().map(ResidentId::sex).unwrap_or_default().into(),
        born: resident.as_ref().map(|r| chinese_date(r.birth_date())).unwrap_or_default(),
        id_number: id,
        address: p.address.clone(),
    }
}

/// Puts a notice of `kind` for a case in the outbox, in the caller's transaction (acceptance,
/// refusal, extension, suspension): its wording's data as it stands now, dated today.
pub async fn enqueue_notice<T: Serialize>(
    app: &App,
    tx: &mut Tx,
    case: &CaseRow,
    kind: Kind,
    by: &str,
    body: impl FnOnce(Head) -> T,
) -> Result<(), AppError> {
    let parties = cases::parties(tx, &case.id).await?;
    let number = case.case_no.clone().unwrap_or_default();
    let data = serde_json::to_value(body(head(app, kind, &number, app.time.today(), &parties))).map_err(anyhow::Error::from)?;
    // A template that cannot take the data is refused now, with the event, not later in the outbox.
    app.documents()?.fill(kind, &data)?;
    let on = app.time.today();
    let job = super::jobs::Job::Notice { case_id: case.id.clone(), document: kind.code().to_string(), data, by: by.to_string(), on };
    super::jobs::enqueue(app, tx, &job).await
}

/// The outbox's notice job: fills and typesets the wording, then stores it and finishes the job
/// in one transaction.
pub async fn run_notice_job(
    app: &App,
    done: super::jobs::Done<'_>,
    case_id: &str,
    document: &str,
    data: &serde_json::Value,
    by: &str,
    on: NaiveDate,
) -> Result<(), AppError> {
    let kind = Kind::from_code(document).ok_or_else(|| anyhow::anyhow!("unknown document kind {document}"))?;
    let mut conn = app.db.reader.acquire().await?;
    let case = cases::get(&mut conn, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    drop(conn);
    // The number the notice was drafted with: the case number, or a refusal's own 文号.
    let number = match data.pointer("/head/number").and_then(|v| v.as_str()).filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => case.case_no.clone().unwrap_or_default(),
    };
    let source = app.documents()?.fill(kind, data)?;
    let t = typeset(app, kind, &number, source).await?;
    let mut tx = app.db.begin().await?;
    if !done.finish(&mut tx).await? {
        return Ok(());
    }
    store_typeset_on(app, &mut tx, case_id, &t, None, by, on).await?;
    tx.commit().await?;
    Ok(())
}

/// Who may read a case's documents: staff (liaison read-only).
fn may_read(actor: &Staff) -> Result<(), AppError> {
    actor.require(&[Role::Clerk, Role::Arbitrator, Role::Liaison, Role::Admin])
}

/// Records a view or download in the access log.
pub async fn log(
    app: &App,
    actor: &Staff,
    action: &str,
    case_id: Option<&str>,
    document_id: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    let mut conn = app.db.writer.acquire().await?;
    store::log_access(&mut conn, &app.time.now_text(), &actor.username, actor.role.code(), action, case_id, document_id, detail).await?;
    Ok(())
}

/// `GET /api/v1/cases/{id}/documents`.
pub async fn of_case(app: &App, actor: &Staff, case_id: &str) -> Result<Vec<DocumentView>, AppError> {
    may_read(actor)?;
    let mut conn = app.db.reader.acquire().await?;
    if cases::get(&mut conn, case_id).await?.is_none() {
        return Err(AppError::NotFound("案件不存在"));
    }
    let docs = store::of_case(&mut conn, case_id).await?;
    drop(conn);
    super::access::read_case(app, actor, case_id, "list_documents", None, "").await?;
    Ok(docs.into_iter().map(DocumentView::of).collect())
}

/// A stored PDF and its file name.
pub struct Download {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// `GET /api/v1/documents/{id}`: the stored bytes, the same on every download.
pub async fn download(app: &App, actor: &Staff, id: i64) -> Result<Download, AppError> {
    may_read(actor)?;
    let mut conn = app.db.reader.acquire().await?;
    let row = store::get(&mut conn, id).await?.ok_or(AppError::NotFound("文书不存在"))?;
    let bytes = store::pdf(&mut conn, id).await?.ok_or(AppError::NotFound("文书不存在"))?;
    drop(conn);
    super::access::read_case(app, actor, &row.case_id, "download", Some(id), &row.number).await?;
    Ok(Download { file_name: file_name(&row), bytes })
}

fn file_name(r: &DocumentRow) -> String {
    let version = if r.version > 1 { format!("-v{}", r.version) } else { String::new() };
    format!("{:03}-{}-{}{version}.pdf", r.id, r.kind, r.number)
}

/// One entry of the bundle's manifest.
#[derive(Debug, Clone, Serialize)]
struct ManifestEntry {
    name: String,
    kind: String,
    title: String,
    number: String,
    sha256: String,
    issued_at: String,
}

/// `GET /api/v1/cases/{id}/bundle` (liaison, clerk, admin): a ZIP of every document, its
/// `manifest.json`, and one combined case file (卷宗) with a bookmark per document.
pub async fn bundle(app: &App, actor: &Staff, case_id: &str) -> Result<Download, AppError> {
    actor.require(&[Role::Clerk, Role::Liaison, Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    let case = cases::get(&mut conn, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let docs = store::of_case(&mut conn, case_id).await?;
    let mut files = Vec::with_capacity(docs.len());
    for d in &docs {
        let bytes = store::pdf(&mut conn, d.id).await?.ok_or_else(|| anyhow::anyhow!("document {} has no PDF", d.id))?;
        files.push((file_name(d), bytes));
    }
    drop(conn);
    // service.md "送达回证": the receipts of delivered services belong to the case file.
    let receipts = super::service_papers::receipts_of_case(app, case_id).await?;
    let scans = super::service_scans::of_case(app, case_id).await?;
    // Issue 22 §4: the evidence the clerk accepted into the case file.
    let evidence = super::evidence::accepted_of_case(app, case_id).await?;
    let number = case.case_no.clone().unwrap_or_else(|| case.id.clone());
    let (cover, parts) = super::case_file::parts(app, case_id).await?;
    let listed: Vec<String> = evidence.iter().map(|(name, _, _, purpose)| format!("{name}（证明：{purpose}）")).collect();
    let kit = app.documents()?;
    let author = app.config.commission_name.clone();
    let issued_at = app.time.now().timestamp();
    let seal = super::settings::seal(app).await?;
    let combined = super::blocking(move || -> Result<Vec<u8>, AppError> {
        let (pages, _) = super::case_file::assemble(&kit, &cover, &parts, &listed)?;
        kit.render(&pages, "仲裁案卷", &author, issued_at, seal.as_ref())
    })
    .await??;
    let manifest: Vec<ManifestEntry> = docs
        .iter()
        .zip(&files)
        .map(|(d, (name, _))| ManifestEntry {
            name: name.clone(),
            kind: d.kind.clone(),
            title: d.title.clone(),
            number: d.number.clone(),
            sha256: d.sha256.clone().unwrap_or_default(),
            issued_at: d.issued_at.clone(),
        })
        .collect();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), AppError> {
        zip.start_file(name, opts).map_err(anyhow::Error::from)?;
        zip.write_all(bytes).map_err(anyhow::Error::from)?;
        Ok(())
    };
    let manifest_json =
        serde_json::to_vec_pretty(&serde_json::json!({
            "case_no": number,
            "documents": manifest,
            "service_receipts": receipts.iter().map(|(name, bytes)| serde_json::json!({ "name": name, "sha256": super::secrets::sha256_hex(bytes) })).collect::<Vec<_>>(),
            "service_scans": scans.iter().map(|(name, bytes)| serde_json::json!({ "name": name, "sha256": super::secrets::sha256_hex(bytes) })).collect::<Vec<_>>(),
            "evidence": evidence.iter().map(|(file, bytes, name, purpose)| serde_json::json!({
                "name": file, "title": name, "purpose": purpose, "sha256": super::secrets::sha256_hex(bytes),
            })).collect::<Vec<_>>(),
            "case_file": "case-file.pdf",
        }))
            .map_err(anyhow::Error::from)?;
    put("manifest.json", &manifest_json)?;
    for (name, bytes) in files.iter().chain(&receipts).chain(&scans) {
        put(name, bytes)?;
    }
    for (name, bytes, _, _) in &evidence {
        put(name, bytes)?;
    }
    put("case-file.pdf", &combined)?;
    let bytes = zip.finish().map_err(anyhow::Error::from)?.into_inner();
    log(app, actor, "bundle", Some(case_id), None, &format!("{} 份文书，{} 份送达回证", docs.len(), receipts.len())).await?;
    Ok(Download { file_name: format!("{number}.zip"), bytes })
}

/// `GET /api/v1/access-log` (admin): who looked at what, newest first, the latest 500 of those
/// the filter names.
pub async fn access_log(app: &App, actor: &Staff, filter: &store::AccessFilter) -> Result<Vec<store::AccessRow>, AppError> {
    actor.require(&[Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(store::access_log(&mut conn, filter, 500).await?)
}

/// A case named by its 案号 (or its id), for filtering the access log; `None` when no case has it.
pub async fn case_id_of(app: &App, typed: &str) -> Result<Option<String>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    Ok(cases::id_by_number_or_id(&mut conn, typed.trim()).await?)
}

/// Prints the latest notice of a planned hearing (Law Art. 35; Rules Art. 38): the 开庭通知书,
/// and the 仲裁庭组成通知书 too when the case has none yet (Law Art. 32). Printing the same notice
/// again gives the documents already issued (clerk or admin).
pub async fn print_hearing_notice(app: &App, actor: &Staff, hearing_id: i64) -> Result<Vec<DocumentView>, AppError> {
    actor.require(&[Role::Clerk, Role::Admin])?;
    typeset_hearing_notice(app, &actor.username, hearing_id, None).await
}

/// The latest notices of several hearings (a planning run's) as one PDF to print, each notice
/// numbered from its own first page; notices the outbox has not issued yet are issued now, as
/// printing one from its hearing page would (clerk or admin).
pub async fn print_notices(app: &App, actor: &Staff, hearing_ids: &[i64]) -> Result<Download, AppError> {
    actor.require(&[Role::Clerk, Role::Admin])?;
    if hearing_ids.is_empty() || hearing_ids.len() > 1000 {
        return Err(AppError::field("hearing", "count", "请选择1到1000场庭审的通知"));
    }
    let mut docs = Vec::new();
    for &id in hearing_ids {
        match typeset_hearing_notice(app, &actor.username, id, None).await {
            Ok(issued) => docs.extend(issued),
            // A hearing held or cancelled since has no notice to print.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if docs.is_empty() {
        return Err(AppError::Conflict("这些庭审已开庭或已取消，没有需要打印的通知".into()));
    }
    let mut sources = Vec::with_capacity(docs.len());
    let mut conn = app.db.reader.acquire().await?;
    for d in &docs {
        sources.push((store::source(&mut conn, d.id).await?.unwrap_or_default(), d.case_no.clone()));
    }
    drop(conn);
    let kit = app.documents()?;
    let author = app.config.commission_name.clone();
    let issued_at = app.time.now().timestamp();
    let seal = super::settings::seal(app).await?;
    let bytes = super::blocking(move || -> Result<Vec<u8>, AppError> {
        let mut pages = Vec::new();
        for (source, number) in &sources {
            pages.extend(kit.lay_out(source, Some(number))?);
        }
        kit.render(&pages, "开庭通知（合并打印）", &author, issued_at, seal.as_ref())
    })
    .await??;
    log(app, actor, "download", None, None, &format!("合并打印 {} 份通知", docs.len())).await?;
    Ok(Download { file_name: format!("开庭通知-合并打印-{}.pdf", app.time.today()), bytes })
}

/// Puts the notices of hearings just fixed or moved in the outbox, in the transaction that fixed
/// them (Law Art. 32, 35). Printing one from its hearing page meanwhile issues the same notice.
pub async fn enqueue_hearing_notices(app: &App, tx: &mut Tx, by: &str, hearing_ids: Vec<i64>) -> Result<(), AppError> {
    for hearing_id in hearing_ids {
        super::jobs::enqueue(app, tx, &super::jobs::Job::HearingNotice { hearing_id, by: by.to_string() }).await?;
    }
    Ok(())
}

/// At start: planned hearings whose latest notice has no document (fixed before the outbox
/// existed) get their job; the worker then issues them like any other.
pub async fn enqueue_untypeset_hearing_notices(app: &App) -> Result<usize, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let ids = crate::store::hearings::with_untypeset_notice(&mut conn).await?;
    drop(conn);
    let n = ids.len();
    if n > 0 {
        let mut tx = app.db.begin().await?;
        enqueue_hearing_notices(app, &mut tx, "greenlane", ids).await?;
        tx.commit().await?;
    }
    Ok(n)
}

/// The outbox's hearing-notice job.
pub async fn run_hearing_notice_job(app: &App, done: super::jobs::Done<'_>, hearing_id: i64, by: &str) -> Result<(), AppError> {
    match typeset_hearing_notice(app, by, hearing_id, Some(done)).await {
        // A hearing held or cancelled before its notice went out needs none.
        Err(AppError::Conflict(_)) | Err(AppError::NotFound(_)) => {
            let mut tx = app.db.begin().await?;
            done.finish(&mut tx).await?;
            tx.commit().await?;
            Ok(())
        }
        other => other.map(|_| ()),
    }
}

/// What a hearing's notice needs, read before typesetting.
struct HearingNoticeDraft {
    case_id: String,
    sequence: i64,
    arbitrator_ids: Vec<i64>,
    tribunal_notice: Option<Typeset>,
    hearing_notice: Typeset,
}

/// The document of a hearing's latest notice (and the case's tribunal-composition notice, the
/// first time), or the one already issued for that notice. The wording is read and typeset
/// first; the documents are stored (and the outbox job, if any, finished) in one transaction.
async fn typeset_hearing_notice(
    app: &App,
    by: &str,
    hearing_id: i64,
    done: Option<super::jobs::Done<'_>>,
) -> Result<Vec<DocumentView>, AppError> {
    use crate::store::hearings;
    let mut conn = app.db.reader.acquire().await?;
    if let Some((_, Some(doc))) = hearings::latest_notice(&mut conn, hearing_id).await? {
        let row = store::get(&mut conn, doc).await?.ok_or_else(|| anyhow::anyhow!("document {doc} of a notice"))?;
        drop(conn);
        if let Some(done) = done {
            let mut tx = app.db.begin().await?;
            done.finish(&mut tx).await?;
            tx.commit().await?;
        }
        return Ok(vec![DocumentView::of(row)]);
    }
    let draft = draft_hearing_notice(app, &mut conn, hearing_id).await?;
    drop(conn);
    let mut tx = app.db.begin().await?;
    if let Some(done) = done
        && !done.finish(&mut tx).await?
    {
        return Ok(Vec::new());
    }
    // The notice drafted is still the latest and still unprinted: another print or a move since
    // would have changed that, and the later job or print issues its own.
    match hearings::latest_notice(&mut tx, hearing_id).await? {
        Some((sequence, None)) if sequence == draft.sequence => {}
        Some((_, Some(doc))) => {
            let row = store::get(&mut tx, doc).await?.ok_or_else(|| anyhow::anyhow!("document {doc} of a notice"))?;
            tx.commit().await?;
            return Ok(vec![DocumentView::of(row)]);
        }
        _ => return Err(AppError::Conflict("该庭审的开庭通知刚刚已变更，请刷新".into())),
    }
    let mut out = Vec::new();
    if let Some(t) = &draft.tribunal_notice
        && tribunal_notice_needed(&mut tx, &draft.case_id, &draft.arbitrator_ids).await?.is_some()
    {
        let doc = store_typeset(app, &mut tx, &draft.case_id, t, None, by).await?;
        store::record_tribunal(&mut tx, doc.id, &draft.case_id, &draft.arbitrator_ids).await?;
        out.push(doc);
    }
    let notice = store_typeset(app, &mut tx, &draft.case_id, &draft.hearing_notice, None, by).await?;
    if !hearings::set_notice_document(&mut tx, hearing_id, draft.sequence, notice.id).await? {
        return Err(AppError::Conflict("该开庭通知刚刚已打印，请刷新".into()));
    }
    out.push(notice);
    notify_hearing(app, &mut tx, hearing_id, &draft).await?;
    tx.commit().await?;
    Ok(out)
}

/// Tells the parties a hearing was set, or moved (with the old time and place), as its notice is
/// issued; a notice that changes neither (a new tribunal) tells them nothing more.
async fn notify_hearing(app: &App, tx: &mut Tx, hearing_id: i64, draft: &HearingNoticeDraft) -> Result<(), AppError> {
    use crate::documents::kinds::chinese_time;
    use crate::notifications::{Facts, Occasion};
    let h = crate::store::hearings::get(tx, hearing_id).await?.ok_or(AppError::NotFound("庭审不存在"))?;
    let place = crate::store::hearings::room_name(tx, h.room_id).await?;
    let when_of =
        |day: &str, start: &str| format!("{}{}", day.parse().map(chinese_date).unwrap_or_else(|_| day.to_string()), chinese_time(start));
    let case_no = cases::get(tx, &h.case_id).await?.and_then(|c| c.case_no).unwrap_or_default();
    let facts = Facts { case_no, when: when_of(&h.day, &h.start_time), place: place.clone(), ..Facts::default() };
    let occasion = match crate::store::hearings::previous_notice(tx, hearing_id).await? {
        None => Some((Occasion::HearingSet, facts)),
        Some((Some(day), Some(start), room))
            if (day.as_str(), start.as_str(), room.as_deref()) != (h.day.as_str(), h.start_time.as_str(), Some(place.as_str())) =>
        {
            let before = format!("{}，{}", when_of(&day, &start), room.unwrap_or_default());
            Some((Occasion::HearingChanged, Facts { before, ..facts }))
        }
        _ => None,
    };
    if let Some((occasion, facts)) = occasion {
        let key = format!("hearing-{hearing_id}-{}", draft.sequence);
        super::notify::parties(app, tx, &h.case_id, super::notify::To::Everyone, occasion, &key, &facts).await?;
    }
    Ok(())
}

async fn draft_hearing_notice(app: &App, conn: &mut sqlx::AnyConnection, hearing_id: i64) -> Result<HearingNoticeDraft, AppError> {
    use crate::documents::kinds::{HearingNotice, Member, TribunalNotice, chinese_time};
    use crate::law::clock::HearingFacts;
    use crate::store::{hearings, resources};
    let h = hearings::get(conn, hearing_id).await?.ok_or(AppError::NotFound("庭审不存在"))?;
    let (sequence, _) =
        hearings::latest_notice(conn, hearing_id).await?.ok_or_else(|| AppError::Conflict("该庭审还没有开庭通知".into()))?;
    if h.status != "planned" {
        return Err(AppError::Conflict("庭审已开庭或已取消，不能再打印开庭通知".into()));
    }
    let case = cases::get(conn, &h.case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    let parties = cases::parties(conn, &h.case_id).await?;
    let address = crate::store::settings::get(conn).await?.address.unwrap_or_else(|| app.config.commission_address.clone());
    let tribunal = Member::panel(resources::arbitrator_names(conn, &h.arbitrator_ids).await?);
    let room = hearings::room_name(conn, h.room_id).await?;
    let day: NaiveDate = h.day.parse().map_err(anyhow::Error::from)?;
    let entries = crate::store::clock::entries(conn, &h.case_id).await?;
    let dates = super::deadlines::CaseDates::parse(case.status, &case.filed_on, case.accepted_on.as_deref())?;
    let d = app.deadlines_with_hearing(&dates, &entries, Some(HearingFacts { on: day, notice_served_on: Some(app.time.today()) }));
    let postpone_by = d.postpone_by.map(chinese_date).unwrap_or_default();
    let number = case.case_no.clone().unwrap_or_default();
    let kit = app.documents()?;
    let today = app.time.today();
    let tribunal_source = match tribunal_notice_needed(conn, &h.case_id, &h.arbitrator_ids).await? {
        None => None,
        Some(changed) => {
            let head = head(app, Kind::TribunalNotice, &number, today, &parties);
            Some(kit.fill(Kind::TribunalNotice, &TribunalNotice { head, tribunal: tribunal.clone(), changed })?)
        }
    };
    let before = match hearings::previous_notice(conn, hearing_id).await? {
        Some((Some(d), Some(s), r))
            if (d.as_str(), s.as_str(), r.as_deref()) != (h.day.as_str(), h.start_time.as_str(), Some(room.as_str())) =>
        {
            let d = d.parse().map(chinese_date).unwrap_or(d);
            Some(format!("{d}{}在{address}{}", chinese_time(&s), r.unwrap_or_default()))
        }
        _ => None,
    };
    let (start, day) = (chinese_time(&h.start_time), chinese_date(day));
    let place = format!("{address}{room}");
    let head = head(app, Kind::HearingNotice, &number, today, &parties);
    let hearing_source = kit.fill(Kind::HearingNotice, &HearingNotice { head, day, start, place, tribunal, postpone_by, before })?;
    let tribunal_notice = match tribunal_source {
        Some(s) => Some(typeset(app, Kind::TribunalNotice, &number, s).await?),
        None => None,
    };
    let hearing_notice = typeset(app, Kind::HearingNotice, &number, hearing_source).await?;
    Ok(HearingNoticeDraft { case_id: h.case_id, sequence, arbitrator_ids: h.arbitrator_ids, tribunal_notice, hearing_notice })
}

/// Whether a hearing with this tribunal needs a 仲裁庭组成通知书 (Law Art. 32): `Some(false)` when
/// the case has none, `Some(true)` when the last one named another tribunal, `None` when the last
/// one named this tribunal (or was issued before tribunals were recorded with their notices).
async fn tribunal_notice_needed(conn: &mut sqlx::AnyConnection, case_id: &str, arbitrator_ids: &[i64]) -> Result<Option<bool>, AppError> {
    Ok(match store::notified_tribunal(conn, case_id).await? {
        None => Some(false),
        Some(ids) if ids.is_empty() || ids == arbitrator_ids => None,
        Some(_) => Some(true),
    })
}

/// `POST /api/v1/documents/{id}/corrections`: the corrected wording and why.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct CorrectionInput {
    /// The whole corrected wording, in the template markup (`GET /api/v1/documents/{id}/text`).
    pub text: Option<String>,
    pub reason: Option<String>,
}

/// The wording of a document, for correcting it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentText {
    pub id: i64,
    pub text: String,
}

/// `GET /api/v1/documents/{id}/text` (clerk, arbitrator, admin).
pub async fn text(app: &App, actor: &Staff, id: i64) -> Result<DocumentText, AppError> {
    actor.require(&[Role::Clerk, Role::Arbitrator, Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    let row = store::get(&mut conn, id).await?.ok_or(AppError::NotFound("文书不存在"))?;
    let text = store::source(&mut conn, id).await?.ok_or(AppError::NotFound("文书不存在"))?;
    drop(conn);
    super::access::read_case(app, actor, &row.case_id, "view_case", Some(id), &format!("文书内容 {}", row.number)).await?;
    Ok(DocumentText { id, text })
}

/// Issues a corrected version of a document (补正): the same kind and number, the next version,
/// naming the one it corrects; the original stays as it was. Awards and mediation statements are
/// corrected by an arbitrator of the tribunal, notices by a clerk.
pub async fn correct(app: &App, actor: &Staff, id: i64, input: &CorrectionInput) -> Result<DocumentView, AppError> {
    actor.require(&[Role::Clerk, Role::Arbitrator])?;
    let mut tx = app.db.begin().await?;
    let old = store::get(&mut tx, id).await?.ok_or(AppError::NotFound("文书不存在"))?;
    let kind = Kind::from_code(&old.kind).ok_or_else(|| anyhow::anyhow!("unknown kind {}", old.kind))?;
    match kind {
        Kind::AwardFinal | Kind::AwardNonfinal | Kind::Mediation => {
            actor.require(&[Role::Arbitrator])?;
            let tribunal = crate::store::hearings::of_case(&mut tx, &old.case_id)
                .await?
                .into_iter()
                .find(|h| h.status != "cancelled")
                .map(|h| h.arbitrator_ids)
                .unwrap_or_default();
            if actor.arbitrator_id.is_none_or(|a| !tribunal.contains(&a)) {
                return Err(AppError::Forbidden);
            }
        }
        _ => actor.require(&[Role::Clerk])?,
    }
    // Who may correct is answered first; then what they sent.
    let mut errs = Vec::new();
    let text = super::input::required_text(input.text.as_deref(), "text", "更正后的文书内容", 100_000, &mut errs);
    let reason = super::input::required_text(input.reason.as_deref(), "reason", "更正理由", 500, &mut errs);
    let (Some(text), Some(reason)) = (text, reason) else { return Err(AppError::Validation(errs)) };
    let latest = store::of_case(&mut tx, &old.case_id)
        .await?
        .into_iter()
        .filter(|d| d.kind == old.kind && d.number == old.number)
        .map(|d| d.id)
        .max();
    if latest != Some(id) {
        return Err(AppError::Conflict("该文书已有更新的版本，请更正最新版本".into()));
    }
    let doc = issue(
        app,
        &mut tx,
        Issue { case_id: &old.case_id, kind, number: &old.number, source: text, corrects: Some(id), by: &actor.username },
    )
    .await?;
    let now = app.time.now_text();
    let note = format!("{} {} 第{}版更正为第{}版：{reason}", old.title, old.number, old.version, doc.version);
    crate::store::events::append(
        &mut tx,
        &crate::store::events::NewEvent {
            case_id: &old.case_id,
            at: &now,
            actor: &actor.username,
            action: "document_corrected",
            before: None,
            after: None,
            note: Some(&note),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(doc)
}
