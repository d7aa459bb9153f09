//! Failure throttles on logins and access codes, and the allowance of public registrations per
//! client address: counted in the database, so every instance on one PostgreSQL holds the same line.

use std::net::IpAddr;

use chrono::{DateTime, Duration, SecondsFormat, Utc};

use super::{App, AppError};
use crate::store::throttle as store;

/// A run of failures under one key: free attempts, then waits that double up to a ceiling.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failures before any wait.
    pub free: i64,
}

/// Failures older than this start a new run.
const FRESH_FOR: Duration = Duration::minutes(15);
/// The longest wait one key is held back.
const LONGEST_WAIT_SECONDS: i64 = 15 * 60;

/// One account's wrong passwords.
pub const ACCOUNT: Policy = Policy { free: 5 };
/// Wrong passwords from one address, over every account (a shared office may mistype a lot).
pub const LOGIN_ADDRESS: Policy = Policy { free: 20 };
/// Wrong access codes for one case.
pub const CASE_CODE: Policy = Policy { free: 5 };
/// Wrong access codes (or unknown cases) from one address.
pub const CODE_ADDRESS: Policy = Policy { free: 10 };

impl Policy {
    /// How long to wait after the `failures`-th failure of a run: nothing while attempts are
    /// free, then 1 s, 2 s, 4 s, … up to 15 minutes.
    pub fn wait_after(self, failures: i64) -> Option<Duration> {
        let over = failures - self.free;
        (over >= 0).then(|| Duration::seconds((1i64 << over.min(20)).min(LONGEST_WAIT_SECONDS)))
    }
}

/// A key of the throttle and the policy it follows.
#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub policy: Policy,
}

impl Key {
    pub fn account(username: &str) -> Key {
        Key { name: format!("login:user:{}", username.trim().to_lowercase()), policy: ACCOUNT }
    }
    pub fn login_address(from: IpAddr) -> Key {
        Key { name: format!("login:addr:{from}"), policy: LOGIN_ADDRESS }
    }
    pub fn case_code(case_id: &str) -> Key {
        Key { name: format!("code:case:{case_id}"), policy: CASE_CODE }
    }
    pub fn code_address(from: IpAddr) -> Key {
        Key { name: format!("code:addr:{from}"), policy: CODE_ADDRESS }
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Refuses (429 with the seconds to wait) while any of `keys` is held back.
pub async fn check(app: &App, keys: &[Key]) -> Result<(), AppError> {
    let now = app.time.now();
    let names: Vec<String> = keys.iter().map(|k| k.name.clone()).collect();
    let mut conn = app.db.reader.acquire().await?;
    let Some(until) = store::blocked_until(&mut conn, &names, &stamp(now)).await? else { return Ok(()) };
    let until = DateTime::parse_from_rfc3339(&until).map_err(anyhow::Error::from)?.with_timezone(&Utc);
    Err(AppError::TooMany(((until - now).num_milliseconds() + 999).max(1000) as u64 / 1000))
}

/// Counts a failure under each key and holds back those whose run has used its free attempts.
pub async fn failed(app: &App, keys: &[Key]) -> Result<(), AppError> {
    let now = app.time.now();
    let mut tx = app.db.begin().await?;
    for k in keys {
        let run = store::fail(&mut tx, &k.name, &stamp(now), &stamp(now - FRESH_FOR)).await?;
        if let Some(wait) = k.policy.wait_after(run) {
            store::block(&mut tx, &k.name, &stamp(now + wait)).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Forgets the failures under `key` (the account signed in).
pub async fn succeeded(app: &App, key: &Key) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    store::clear(&mut tx, &key.name).await?;
    tx.commit().await?;
    Ok(())
}

/// Counts one public registration from `from` in the current minute; past `per_minute` it is
/// refused (429) until the minute ends.
pub async fn allow_registration(app: &App, from: IpAddr, per_minute: u32) -> Result<(), AppError> {
    let now = app.time.now();
    let key = format!("register:{from}:{}", now.format("%Y%m%d%H%M"));
    let mut tx = app.db.begin().await?;
    let count = store::bump(&mut tx, &key, &stamp(now)).await?;
    tx.commit().await?;
    if count > i64::from(per_minute) {
        return Err(AppError::TooMany(60 - u64::from(chrono::Timelike::second(&now)).min(59)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_waits_only_after_its_free_attempts_and_never_longer_than_fifteen_minutes() {
        assert_eq!(ACCOUNT.wait_after(4), None);
        assert_eq!(ACCOUNT.wait_after(5), Some(Duration::seconds(1)));
        assert_eq!(ACCOUNT.wait_after(7), Some(Duration::seconds(4)));
        assert_eq!(ACCOUNT.wait_after(500), Some(Duration::minutes(15)));
    }
}
