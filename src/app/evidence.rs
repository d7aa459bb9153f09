//! Evidence from the parties (证据, issue 22 §4): a party uploads PDF, JPEG or PNG files, each with
//! a name and its purpose (证明目的), known by their content and kept in the database with their
//! SHA-256, within a size and a count per side. Staff see every file; a party sees its own side's
//! and the other side's once the clerk has accepted them.

use serde::Serialize;

use super::parties::Party;
use super::uploads::kind_of;
use super::{App, AppError};
use crate::law::{FieldError, Violation};
use crate::store::evidence::{self as store, NewEvidence};

/// One upload as received.
pub struct Upload<'a> {
    pub name: Option<&'a str>,
    pub purpose: Option<&'a str>,
    pub bytes: &'a [u8],
}

/// A file stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Stored {
    pub id: i64,
    pub sha256: String,
    pub size: i64,
}

/// A party uploads a file. Refused whole, with nothing stored, when a field is missing, the file
/// is not a PDF, JPEG or PNG by its content, too large, or one more than the side may upload.
pub async fn upload(app: &App, party: &Party, case_id: &str, u: &Upload<'_>) -> Result<Stored, AppError> {
    // A party writes to its own case only: another case's gets 403.
    if party.case_id != case_id {
        return Err(AppError::Forbidden);
    }
    let mut errs = Vec::new();
    let name = super::input::required_text(u.name, "name", "证据名称", 100, &mut errs);
    let purpose = super::input::required_text(u.purpose, "purpose", "证明目的", 500, &mut errs);
    let max = app.config.evidence_max_mb * 1024 * 1024;
    let kind = kind_of(u.bytes);
    if u.bytes.is_empty() {
        errs.push(FieldError::new("file", Violation::new("required", "请选择要上传的证据文件")));
    } else if u.bytes.len() > max {
        let msg = format!("每个文件不能超过 {} MB，请压缩或分成几份上传", app.config.evidence_max_mb);
        errs.push(FieldError::new("file", Violation::new("too_large", msg)));
    } else if kind.is_none() {
        errs.push(FieldError::new(
            "file",
            Violation::new("unsupported_type", "证据文件应为 PDF、JPEG 或 PNG（按文件内容识别，改扩展名无效）"),
        ));
    }
    let (Some(name), Some(purpose), Some((content_type, _))) = (name, purpose, kind.filter(|_| errs.is_empty())) else {
        return Err(AppError::Validation(errs));
    };
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    // Uploads of one case wait for each other here, so a side never passes its limit.
    let status = crate::store::cases::lock(&mut tx, case_id).await?.ok_or(AppError::NotFound("案件不存在"))?;
    if status.is_final() {
        return Err(AppError::Conflict("该案件已结束，不能再提交证据".into()));
    }
    let one = (party.role == "respondent").then_some(party.party_id);
    let n = store::count(&mut tx, case_id, &party.role, one).await?;
    if n >= app.config.evidence_max_files {
        let msg = format!("每方最多上传 {} 份证据，已达上限；如需补充，请联系本委工作人员", app.config.evidence_max_files);
        return Err(AppError::field("file", "too_many", msg));
    }
    let sha256 = super::secrets::sha256_hex(u.bytes);
    let e = NewEvidence {
        case_id,
        party_id: party.party_id,
        role: &party.role,
        name: &name,
        purpose: &purpose,
        content_type,
        bytes: u.bytes,
        sha256: &sha256,
        at: &now,
        on: &app.time.today().to_string(),
    };
    let id = store::insert(&mut tx, &e).await?;
    tx.commit().await?;
    Ok(Stored { id, sha256, size: u.bytes.len() as i64 })
}

/// One file as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvidenceView {
    pub id: i64,
    /// `applicant` or `respondent`.
    pub role: String,
    pub name: String,
    pub purpose: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub submitted_at: String,
    /// `pending`, `accepted` or `returned` (the clerk's review).
    pub review: String,
    pub review_reason: Option<String>,
    /// The last day for the clerk's review: 5 working days after the day it came (issue 22 §4, a
    /// commission's practice rather than a statute; `evidence_review_days`).
    pub review_by: Option<chrono::NaiveDate>,
}

fn view(app: &App, r: store::EvidenceRow) -> EvidenceView {
    let came = r.submitted_on.as_deref().and_then(|d| d.parse().ok()).or_else(|| crate::time::local_day(&r.submitted_at));
    let review_by = came.map(|d| app.calendar().add_working_days(d, app.config.evidence_review_days).date);
    EvidenceView {
        review_by,
        id: r.id,
        role: r.role,
        name: r.name,
        purpose: r.purpose,
        content_type: r.content_type,
        sha256: r.sha256,
        size: r.size,
        submitted_at: r.submitted_at,
        review: r.review,
        review_reason: r.review_reason,
    }
}

/// The case an evidence file belongs to.
pub async fn case_of(app: &App, id: i64) -> Result<String, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    store::case_of(&mut conn, id).await?.ok_or(AppError::NotFound("证据不存在"))
}

/// The evidence of a case for staff who may read it.
pub async fn for_staff(app: &App, actor: &super::accounts::Staff, case_id: &str) -> Result<Vec<EvidenceView>, AppError> {
    super::access::read_case(app, actor, case_id, "view_case", None, "证据清单").await?;
    let mut conn = app.db.reader.acquire().await?;
    Ok(store::of_case(&mut conn, case_id).await?.into_iter().map(|r| view(app, r)).collect())
}

/// The evidence a party sees: its own side's, and the other side's the clerk has accepted.
pub async fn for_party(app: &App, party: &Party, case_id: &str) -> Result<Vec<EvidenceView>, AppError> {
    if party.case_id != case_id {
        return Err(AppError::NotFound("案件不存在"));
    }
    let mut conn = app.db.reader.acquire().await?;
    Ok(store::of_case(&mut conn, case_id)
        .await?
        .into_iter()
        .filter(|r| r.role == party.role || r.review == "accepted")
        .map(|r| view(app, r))
        .collect())
}

/// `POST /api/v1/evidence/{id}/review`: the clerk accepts a file into the case file, or returns it
/// with a reason (issue 22 §4).
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ReviewInput {
    /// `accepted` or `returned`.
    #[schema(required = true)]
    pub decision: Option<String>,
    /// Why it is returned (required then).
    pub reason: Option<String>,
}

/// The clerk reviews a pending file; a file reviewed already is a 409.
pub async fn review(app: &App, actor: &super::accounts::Staff, id: i64, input: &ReviewInput) -> Result<EvidenceView, AppError> {
    actor.require(&[super::accounts::Role::Clerk])?;
    let mut errs = Vec::new();
    let decision = match input.decision.as_deref().map(str::trim) {
        Some(d @ ("accepted" | "returned")) => Some(d),
        Some(_) => {
            errs.push(FieldError::new("decision", Violation::new("unknown_decision", "审查结果应为 accepted（采纳）或 returned（退回）")));
            None
        }
        None => {
            errs.push(FieldError::new("decision", Violation::new("required", "请选择审查结果")));
            None
        }
    };
    let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if decision == Some("returned") && reason.is_none() {
        errs.push(FieldError::new("reason", Violation::new("required", "退回证据应写明理由，当事人会看到")));
    }
    let Some(decision) = decision.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let mut tx = app.db.begin().await?;
    let (case_id, _, _) = store::file(&mut tx, id).await?.ok_or(AppError::NotFound("证据不存在"))?;
    if !store::review(&mut tx, id, decision, reason, &app.time.now_text(), &actor.username).await? {
        return Err(AppError::Conflict("该证据已经审查过".into()));
    }
    tx.commit().await?;
    let mut conn = app.db.reader.acquire().await?;
    let row = store::of_case(&mut conn, &case_id).await?.into_iter().find(|r| r.id == id).ok_or(AppError::NotFound("证据不存在"))?;
    Ok(view(app, row))
}

/// `GET /api/v1/evidence/{id}`: one file, for staff who may read the case (logged) or a party who may see it.
pub async fn download(app: &App, viewer: Viewer<'_>, id: i64) -> Result<(super::documents::Download, &'static str), AppError> {
    let (case_id, row, bytes) = {
        let mut conn = app.db.reader.acquire().await?;
        store::file(&mut conn, id).await?.ok_or(AppError::NotFound("证据不存在"))?
    };
    match viewer {
        Viewer::Staff(s) => super::access::read_case(app, s, &case_id, "download", None, &format!("证据 {id}")).await?,
        Viewer::Party(p) if p.case_id == case_id && (p.role == row.role || row.review == "accepted") => {}
        Viewer::Party(_) => return Err(AppError::NotFound("证据不存在")),
    }
    let (mime, ext) = kind_of(&bytes).ok_or_else(|| anyhow::anyhow!("evidence {id} of an unknown kind"))?;
    Ok((super::documents::Download { file_name: format!("证据{id}-{}.{ext}", safe_name(&row.name)), bytes }, mime))
}

/// A party's name for its file, safe as a file name in a ZIP or a download (no path, no control
/// characters, at most 40 characters).
fn safe_name(name: &str) -> String {
    name.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).take(40).collect::<String>().replace("..", "_")
}

/// Who asks for a file.
pub enum Viewer<'a> {
    Staff(&'a super::accounts::Staff),
    Party(&'a Party),
}

/// The evidence accepted into the case file, for the bundle: `(file name, bytes, name, purpose)`.
pub async fn accepted_of_case(app: &App, case_id: &str) -> Result<Vec<(String, Vec<u8>, String, String)>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let mut out = Vec::new();
    for r in store::of_case(&mut conn, case_id).await?.into_iter().filter(|r| r.review == "accepted") {
        if let Some((_, row, bytes)) = store::file(&mut conn, r.id).await?
            && let Some((_, ext)) = kind_of(&bytes)
        {
            out.push((format!("证据{}-{}.{ext}", row.id, safe_name(&row.name)), bytes, row.name, row.purpose));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_party_s_file_name_cannot_leave_the_bundle_s_folder() {
        assert_eq!(super::safe_name("../../etc/passwd"), "____etc_passwd");
        assert_eq!(super::safe_name("工资条 2026"), "工资条 2026");
    }
}
