//! Who may read which case: clerks, administrators and court liaison read every case; an
//! arbitrator reads the cases of the tribunals it sits on. Every read of a case's personal data by
//! staff goes through here and into the access log.

use sqlx::AnyConnection;

use super::accounts::{Role, Staff};
use super::{App, AppError};
use crate::store::hearings;

/// Whether `staff` may read case `case_id` (a case that does not exist is for the caller to say).
pub async fn may_read_case(conn: &mut AnyConnection, staff: &Staff, case_id: &str) -> Result<(), AppError> {
    match staff.role {
        Role::Clerk | Role::Admin | Role::Liaison => Ok(()),
        // The director oversees by the figures and the deadline board, not by reading the files.
        Role::Director => Err(AppError::Forbidden),
        Role::Arbitrator => match staff.arbitrator_id {
            Some(a) if hearings::sits_on(conn, a, case_id).await? => Ok(()),
            _ => Err(AppError::Forbidden),
        },
    }
}

/// The arbitrator whose tribunals bound a list of cases, for an arbitrator account (`None`:
/// every case). An arbitrator account not linked to an arbitrator sees none.
pub fn tribunal_of(staff: &Staff) -> Result<Option<i64>, AppError> {
    match staff.role {
        Role::Arbitrator => staff.arbitrator_id.map(Some).ok_or(AppError::Forbidden),
        _ => Ok(None),
    }
}

/// Checks that `staff` may read the case, then records the read (`action`) in the access log.
pub async fn read_case(
    app: &App,
    staff: &Staff,
    case_id: &str,
    action: &str,
    document_id: Option<i64>,
    detail: &str,
) -> Result<(), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    may_read_case(&mut conn, staff, case_id).await?;
    drop(conn);
    super::documents::log(app, staff, action, Some(case_id), document_id, detail).await
}

/// For an arbitrator's act on a case (an award, a mediation statement): it sits on the case's
/// tribunal, or the act is refused before anything it sent is looked at.
pub async fn sits_on_case(app: &App, staff: &Staff, case_id: &str) -> Result<(), AppError> {
    let mut conn = app.db.reader.acquire().await?;
    may_read_case(&mut conn, staff, case_id).await
}
