//! Staff accounts, roles, login and tokens.

use serde::{Deserialize, Serialize};
use std::net::IpAddr;

use super::secrets::{hash_password, new_token, sha256_hex, verify_password};
use super::throttle;
use super::{App, AppError};
use crate::store::{accounts as store, is_unique_violation, resources};

/// What a member of staff may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 立案庭书记员: accepts and rejects cases, plans hearings.
    Clerk,
    /// 仲裁员: hears cases and issues awards.
    Arbitrator,
    /// 法院联络员: finds cases and retrieves documents.
    Liaison,
    /// 管理员: accounts, arbitrators, rooms, the calendar.
    Admin,
    /// 仲裁委员会主任: reads the figures and the deadline board, not the cases' files.
    Director,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Clerk, Role::Arbitrator, Role::Liaison, Role::Admin, Role::Director];

    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Arbitrator => "arbitrator",
            Role::Liaison => "liaison",
            Role::Admin => "admin",
            Role::Director => "director",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "立案书记员",
            Role::Arbitrator => "仲裁员",
            Role::Liaison => "法院联络员",
            Role::Admin => "管理员",
            Role::Director => "主任",
        }
    }
}

/// A signed-in member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub arbitrator_id: Option<i64>,
}

impl Staff {
    /// Refuses unless the staff member has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

/// Where a token is used: the API (bearer header) or pages (session cookie).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Api,
    Session,
}

impl TokenKind {
    fn code(self) -> &'static str {
        match self {
            TokenKind::Api => "api",
            TokenKind::Session => "session",
        }
    }
}

/// Creates an account (`greenlane user add`).
/// A staff member's name as documents print it: 1 to 20 characters, trimmed.
pub fn check_full_name(full_name: &str) -> Result<&str, AppError> {
    let full_name = full_name.trim();
    if full_name.is_empty() || full_name.chars().count() > 20 || full_name.chars().any(char::is_control) {
        return Err(AppError::field("full_name", "format", "姓名应为1到20个字"));
    }
    Ok(full_name)
}

/// Sets the name documents print for a staff member (1 to 20 characters).
pub async fn set_full_name(app: &App, username: &str, full_name: &str) -> Result<(), AppError> {
    let full_name = check_full_name(full_name)?;
    let mut conn = app.db.writer.acquire().await?;
    if !store::set_full_name(&mut conn, username, full_name).await? {
        return Err(AppError::NotFound("账号不存在"));
    }
    Ok(())
}

pub async fn add_user(app: &App, username: &str, role: Role, password: &str, arbitrator_id: Option<i64>) -> Result<i64, AppError> {
    let mut errs = Vec::new();
    let username = username.trim();
    if !(2..=32).contains(&username.len()) || !username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)) {
        errs.push(("username", "format", "用户名应为2到32位小写字母、数字或 . _ -"));
    }
    if password.chars().count() < 8 {
        errs.push(("password", "too_short", "密码至少8位"));
    }
    if arbitrator_id.is_some() && role != Role::Arbitrator {
        errs.push(("arbitrator", "not_allowed", "只有仲裁员账号可以关联仲裁员"));
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(
            errs.into_iter().map(|(f, c, m)| crate::law::FieldError::new(f, crate::law::Violation::new(c, m))).collect(),
        ));
    }
    let password = password.to_string();
    let hash = app.passwords.run(move || hash_password(&password)).await??;
    let mut tx = app.db.begin().await?;
    if let Some(id) = arbitrator_id
        && !resources::arbitrator_exists(&mut tx, id).await?
    {
        return Err(AppError::field("arbitrator", "unknown", format!("没有编号为{id}的仲裁员")));
    }
    let id = match store::insert_user(&mut tx, username, role.code(), &hash, arbitrator_id, &app.time.now_text()).await {
        Err(e) if is_unique_violation(&e) => return Err(AppError::Conflict(format!("用户名“{username}”已存在"))),
        other => other?,
    };
    tx.commit().await?;
    Ok(id)
}

/// Checks a username and password from client address `from` and issues a token of `kind`. After
/// a run of wrong passwords the account and the address wait before the next attempt (429).
pub async fn login(app: &App, from: IpAddr, username: &str, password: &str, kind: TokenKind) -> Result<(String, Staff), AppError> {
    // No account name holds a control character (PostgreSQL cannot even store a NUL): a wrong login.
    if username.chars().any(char::is_control) {
        return Err(AppError::Unauthenticated);
    }
    let keys = [throttle::Key::account(username), throttle::Key::login_address(from)];
    throttle::check(app, &keys).await?;
    let mut conn = app.db.reader.acquire().await?;
    let user = store::by_username(&mut conn, username.trim()).await?;
    drop(conn);
    // A dummy hash keeps the time of an unknown-user attempt like that of a wrong password.
    static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password("no such user").expect("argon2 works"));
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => app.passwords.run(|| DUMMY.clone()).await?,
    };
    let password = password.to_string();
    let ok = app.passwords.run(move || verify_password(&password, &stored)).await?;
    let user = match user {
        Some(u) if ok && u.active == 1 => u,
        _ => {
            throttle::failed(app, &keys).await?;
            return Err(AppError::Unauthenticated);
        }
    };
    throttle::succeeded(app, &keys[0]).await?;
    let token = new_token();
    let now = app.time.now();
    let mut tx = app.db.begin().await?;
    store::purge_expired_tokens(&mut tx, &app.time.now_text()).await?;
    store::insert_token(
        &mut tx,
        &sha256_hex(token.as_bytes()),
        user.id,
        kind.code(),
        &app.time.now_text(),
        &(now + app.config.token_ttl).to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    )
    .await?;
    tx.commit().await?;
    Ok((token, staff(user)?))
}

/// The staff member holding `token`, if it is valid and unexpired.
pub async fn authenticate(app: &App, token: &str, kind: TokenKind) -> Result<Option<Staff>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let user = store::by_token(&mut conn, &sha256_hex(token.as_bytes()), kind.code(), &app.time.now_text()).await?;
    user.map(staff).transpose()
}

/// Ends a session or revokes a token.
pub async fn logout(app: &App, token: &str) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    store::delete_token(&mut tx, &sha256_hex(token.as_bytes())).await?;
    tx.commit().await?;
    Ok(())
}

/// An account as `greenlane user list` shows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    pub role: Role,
    pub arbitrator_id: Option<i64>,
    pub active: bool,
}

/// Every account, by name.
pub async fn list(app: &App) -> Result<Vec<Account>, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let rows = store::all(&mut conn).await?;
    rows.into_iter()
        .map(|u| {
            let active = u.active == 1;
            let s = staff(u)?;
            Ok(Account { username: s.username, role: s.role, arbitrator_id: s.arbitrator_id, active })
        })
        .collect()
}

/// Disables an account: its sessions and tokens stop working at once, and it can no longer sign in.
pub async fn disable(app: &App, username: &str) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    if !store::disable(&mut tx, username.trim()).await? {
        return Err(AppError::NotFound("没有这个账号"));
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password; every session and token of the account ends.
pub async fn set_password(app: &App, username: &str, password: &str) -> Result<(), AppError> {
    if password.chars().count() < 8 {
        return Err(AppError::field("password", "too_short", "密码至少8位"));
    }
    let password = password.to_string();
    let hash = app.passwords.run(move || hash_password(&password)).await??;
    let mut tx = app.db.begin().await?;
    if !store::set_password(&mut tx, username.trim(), &hash).await? {
        return Err(AppError::NotFound("没有这个账号"));
    }
    tx.commit().await?;
    Ok(())
}

fn staff(u: store::UserRow) -> Result<Staff, AppError> {
    let role = Role::parse(&u.role).ok_or_else(|| anyhow::anyhow!("unknown role {} in database", u.role))?;
    Ok(Staff { user_id: u.id, username: u.username, role, arbitrator_id: u.arbitrator_id })
}
