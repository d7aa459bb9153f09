//! The administrator's desk: accounts (add, disable, set a new password), the holiday calendar
//! loaded as the CLI loads it, and the lists of leave and recusal entries.

use super::accounts::{self, Account, Role, Staff};
use super::{App, AppError};
use crate::store::resources::{self, LeaveLine, RecusalLine};

/// A new account as the admin page sends it.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub role: String,
    pub password: String,
    pub full_name: String,
    pub arbitrator_id: String,
}

/// Every account (admin).
pub async fn accounts(app: &App, actor: &Staff) -> Result<Vec<Account>, AppError> {
    actor.require(&[Role::Admin])?;
    accounts::list(app).await
}

/// Adds an account with the name documents print for it (admin). The same rules as
/// `greenlane user add`: a lower-case username, a password of 8 or more, an arbitrator link only
/// for an arbitrator's account.
pub async fn add_account(app: &App, actor: &Staff, a: &NewAccount) -> Result<(), AppError> {
    actor.require(&[Role::Admin])?;
    let role = Role::parse(a.role.trim())
        .ok_or_else(|| AppError::field("role", "unknown_role", "请选择角色：立案书记员、仲裁员、法院联络员或管理员"))?;
    let arbitrator_id = match a.arbitrator_id.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| AppError::field("arbitrator", "bad_id", "请选择仲裁员"))?),
    };
    if role == Role::Arbitrator && arbitrator_id.is_none() {
        return Err(AppError::field("arbitrator", "required", "仲裁员账号请选择对应的仲裁员"));
    }
    let full_name = accounts::check_full_name(&a.full_name)?;
    accounts::add_user(app, &a.username, role, &a.password, arbitrator_id).await?;
    accounts::set_full_name(app, a.username.trim(), full_name).await
}

/// Disables an account at once (admin); an admin cannot lock itself out.
pub async fn disable_account(app: &App, actor: &Staff, username: &str) -> Result<(), AppError> {
    actor.require(&[Role::Admin])?;
    if username.trim() == actor.username {
        return Err(AppError::Conflict("不能停用自己正在使用的账号".into()));
    }
    accounts::disable(app, username).await
}

/// Sets a new password for an account (admin); its sessions end.
pub async fn reset_password(app: &App, actor: &Staff, username: &str, password: &str) -> Result<(), AppError> {
    actor.require(&[Role::Admin])?;
    accounts::set_password(app, username, password).await
}

/// Leave from today on, and every recusal entry (admin, clerk).
pub async fn leave_and_recusals(app: &App, actor: &Staff) -> Result<(Vec<LeaveLine>, Vec<RecusalLine>), AppError> {
    actor.require(&[Role::Admin, Role::Clerk])?;
    let mut conn = app.db.reader.acquire().await?;
    let leave = resources::leave_from(&mut conn, &app.time.today().to_string()).await?;
    let recusals = resources::recusals(&mut conn).await?;
    Ok((leave, recusals))
}
