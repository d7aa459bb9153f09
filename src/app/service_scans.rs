//! The scanned proof of a paper service (issue 21 §3): the signed 送达回证 of a service in person
//! or left at the address, or the EMS return receipt, uploaded by the clerk and kept with its
//! digest. The scan is evidence beside the date and signer recorded, not a replacement for them.

use serde::Serialize;

use super::accounts::{Role, Staff};
use super::documents::Download;
use super::uploads::kind_of;
use super::{App, AppError};
use crate::law::service::Channel;
use crate::store::services as store;

/// The largest scan accepted (a few pages at 300 dpi).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// A scan stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScanView {
    pub service_id: i64,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub uploaded_at: String,
    pub uploaded_by: String,
}

impl From<store::ScanRow> for ScanView {
    fn from(r: store::ScanRow) -> Self {
        ScanView {
            service_id: r.service_id,
            content_type: r.content_type,
            sha256: r.sha256,
            size: r.size,
            uploaded_at: r.uploaded_at,
            uploaded_by: r.uploaded_by,
        }
    }
}

/// `PUT /api/v1/services/{id}/scan`: the clerk uploads the signed proof of a paper service.
pub async fn upload(app: &App, actor: &Staff, service_id: i64, bytes: &[u8]) -> Result<ScanView, AppError> {
    actor.require(&[Role::Clerk])?;
    if bytes.is_empty() {
        return Err(AppError::field("file", "required", "请选择送达回证或回执的扫描件（PDF、JPEG 或 PNG）"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(AppError::field("file", "too_large", "扫描件不能超过 10 MB，请降低分辨率后重新扫描"));
    }
    let Some((content_type, _)) = kind_of(bytes) else {
        return Err(AppError::field("file", "unsupported_type", "扫描件应为 PDF、JPEG 或 PNG 文件"));
    };
    let mut tx = app.db.begin().await?;
    let svc = store::get(&mut tx, service_id).await?.ok_or(AppError::NotFound("送达记录不存在"))?;
    let channel = svc.channel()?;
    if !matches!(channel, Channel::Post | Channel::InPerson | Channel::LeftAtAddress) {
        return Err(AppError::Conflict(format!("{}不需要上传纸质回证", channel.label())));
    }
    let sha256 = super::secrets::sha256_hex(bytes);
    let now = app.time.now_text();
    store::insert_scan(&mut tx, service_id, content_type, bytes, &sha256, &now, &actor.username).await?;
    let detail = format!("上传回证扫描件（{} KB，SHA-256 {}…）", bytes.len().div_ceil(1024), &sha256[..16]);
    store::append_step(&mut tx, service_id, &now, "scan", &actor.username, &detail).await?;
    tx.commit().await?;
    let row = {
        let mut conn = app.db.reader.acquire().await?;
        store::scans_of_case(&mut conn, &svc.case_id).await?.into_iter().find(|s| s.service_id == service_id)
    };
    row.map(ScanView::from).ok_or_else(|| anyhow::anyhow!("scan of service {service_id} just stored").into())
}

/// `GET /api/v1/services/{id}/scan`: the latest scan of a service (staff who may read the case; logged).
pub async fn download(app: &App, actor: &Staff, service_id: i64) -> Result<(Download, &'static str), AppError> {
    let (svc, scan) = {
        let mut conn = app.db.reader.acquire().await?;
        let svc = store::get(&mut conn, service_id).await?.ok_or(AppError::NotFound("送达记录不存在"))?;
        (svc, store::latest_scan(&mut conn, service_id).await?)
    };
    super::access::read_case(app, actor, &svc.case_id, "download", None, &format!("回证扫描件 {service_id}")).await?;
    let (_, bytes) = scan.ok_or(AppError::NotFound("该送达没有上传回证扫描件"))?;
    let (mime, ext) = kind_of(&bytes).ok_or_else(|| anyhow::anyhow!("a stored scan of an unknown kind"))?;
    Ok((Download { file_name: format!("送达回证扫描件-{}-{service_id}.{ext}", svc.name), bytes }, mime))
}

/// The latest scan of every service of a case, for the bundle: `(file name, bytes)`.
pub async fn of_case(app: &App, case_id: &str) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let mut out = Vec::new();
    for s in store::scans_of_case(&mut conn, case_id).await? {
        if let Some((_, bytes)) = store::latest_scan(&mut conn, s.service_id).await?
            && let Some((_, ext)) = kind_of(&bytes)
        {
            out.push((format!("送达回证扫描件-{}.{ext}", s.service_id), bytes));
        }
    }
    Ok(out)
}
