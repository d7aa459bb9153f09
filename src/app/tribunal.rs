//! The commission's arbitrators and hearing rooms, arbitrators' leave and recusal entries.

use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::docket::feed_path;
use super::input::{required_date, required_text};
use super::{App, AppError, secrets};
use crate::law::{FieldError, Violation};
use crate::store::feeds::Resource;
use crate::store::hearings::{self as store, RecusalRow};
use crate::store::resources;

/// `POST /api/v1/arbitrators`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ArbitratorInput {
    pub name: Option<String>,
    /// May preside over a tribunal (首席仲裁员).
    pub presides: Option<bool>,
    /// Hearings a day at most, 1–20 (default 4).
    pub max_per_day: Option<i64>,
}

/// `POST /api/v1/rooms`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RoomInput {
    pub name: Option<String>,
    pub seats: Option<i64>,
}

/// `PUT /api/v1/arbitrators/{id}`: the arbitrator as it now is (every field given).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ArbitratorEdit {
    pub name: Option<String>,
    pub presides: Option<bool>,
    /// Hearings a day at most, 1–20.
    pub max_per_day: Option<i64>,
    /// False: takes no new hearings (those already planned stay; the tribunal page lists them
    /// when they no longer fit).
    pub active: Option<bool>,
}

/// `PUT /api/v1/rooms/{id}`: the room as it now is (every field given).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RoomEdit {
    pub name: Option<String>,
    pub seats: Option<i64>,
    /// False: out of use; refused while hearings are still planned in it.
    pub active: Option<bool>,
}

/// An arbitrator or room just created, with the address of its calendar feed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
    pub name: String,
    /// Path of the RFC 5545 feed, with its secret token.
    pub calendar_url: String,
}

/// `POST /api/v1/arbitrators/{id}/leave`: both days included.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct LeaveInput {
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: Option<String>,
}

/// `POST /api/v1/arbitrators/{id}/recusals`: a party (by name, ID number or credit code) the
/// arbitrator stands aside from (Law Art. 33).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RecusalInput {
    pub party_name: Option<String>,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
    pub reason: Option<String>,
}

/// An entry just stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Recorded {
    pub id: i64,
}

/// Leave just stored, with the hearings it falls on and a proposal to re-plan exactly those, for
/// the clerk to confirm with `POST /api/v1/hearings/replan`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LeaveRecorded {
    pub id: i64,
    pub affected_hearing_ids: Vec<i64>,
    pub proposal: Option<super::schedule::ScheduleOutcome>,
}

/// Adds an arbitrator (admin or clerk).
pub async fn add_arbitrator(app: &App, actor: &Staff, input: &ArbitratorInput) -> Result<Created, AppError> {
    actor.require(&[Role::Admin, Role::Clerk])?;
    let mut errs = Vec::new();
    let name = required_text(input.name.as_deref(), "name", "仲裁员姓名", 50, &mut errs);
    let max = input.max_per_day.unwrap_or(4);
    if !(1..=20).contains(&max) {
        errs.push(FieldError::new("max_per_day", Violation::new("out_of_range", "每日开庭上限应在 1 到 20 之间")));
    }
    let Some(name) = name.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let now = app.time.now_text();
    let token = secrets::new_token();
    let mut tx = app.db.begin().await?;
    let id = resources::insert_arbitrator(&mut tx, &name, input.presides.unwrap_or(false), max, &now).await?;
    crate::store::feeds::set_token_digest(&mut tx, Resource::Arbitrator, id, &super::docket::feed_digest(&token)).await?;
    tx.commit().await?;
    Ok(Created { id, name, calendar_url: feed_path(Resource::Arbitrator, id, &token) })
}

/// Adds a hearing room (admin or clerk).
pub async fn add_room(app: &App, actor: &Staff, input: &RoomInput) -> Result<Created, AppError> {
    actor.require(&[Role::Admin, Role::Clerk])?;
    let mut errs = Vec::new();
    let name = required_text(input.name.as_deref(), "name", "审理庭名称", 50, &mut errs);
    match input.seats {
        Some(n) if (1..=500).contains(&n) => {}
        Some(_) => errs.push(FieldError::new("seats", Violation::new("out_of_range", "座位数应在 1 到 500 之间"))),
        None => errs.push(FieldError::new("seats", Violation::new("required", "请填写座位数"))),
    }
    let (Some(name), Some(seats)) = (name.filter(|_| errs.is_empty()), input.seats) else { return Err(AppError::Validation(errs)) };
    let now = app.time.now_text();
    let token = secrets::new_token();
    let mut tx = app.db.begin().await?;
    let id = match resources::insert_room(&mut tx, &name, seats, &now).await {
        Ok(id) => id,
        Err(e) if store::is_unique_violation(&e) => return Err(AppError::field("name", "duplicate", format!("已有名为“{name}”的审理庭"))),
        Err(e) => return Err(e.into()),
    };
    crate::store::feeds::set_token_digest(&mut tx, Resource::Room, id, &super::docket::feed_digest(&token)).await?;
    tx.commit().await?;
    Ok(Created { id, name, calendar_url: feed_path(Resource::Room, id, &token) })
}

fn required_flag(v: Option<bool>, field: &str, label: &str, errs: &mut Vec<FieldError>) -> Option<bool> {
    if v.is_none() {
        errs.push(FieldError::new(field, Violation::new("required", format!("请选择{label}"))));
    }
    v
}

/// Changes an arbitrator (admin or clerk): name, presiding, daily limit, in or out of use.
pub async fn edit_arbitrator(app: &App, actor: &Staff, id: i64, input: &ArbitratorEdit) -> Result<(), AppError> {
    actor.require(&[Role::Admin, Role::Clerk])?;
    let mut errs = Vec::new();
    let name = required_text(input.name.as_deref(), "name", "仲裁员姓名", 50, &mut errs);
    let presides = required_flag(input.presides, "presides", "能否担任首席", &mut errs);
    let active = required_flag(input.active, "active", "是否继续排庭", &mut errs);
    match input.max_per_day {
        Some(n) if (1..=20).contains(&n) => {}
        Some(_) => errs.push(FieldError::new("max_per_day", Violation::new("out_of_range", "每日开庭上限应在 1 到 20 之间"))),
        None => errs.push(FieldError::new("max_per_day", Violation::new("required", "请填写每日开庭上限"))),
    }
    let (Some(name), Some(presides), Some(active), Some(max)) = (name.filter(|_| errs.is_empty()), presides, active, input.max_per_day)
    else {
        return Err(AppError::Validation(errs));
    };
    let mut tx = app.db.begin().await?;
    if !resources::update_arbitrator(&mut tx, id, &name, presides, max, active).await? {
        return Err(AppError::NotFound("仲裁员不存在"));
    }
    tx.commit().await?;
    Ok(())
}

/// Changes a hearing room (admin or clerk): name, seats, in or out of use. A room with hearings
/// still planned in it stays in use until they are moved.
pub async fn edit_room(app: &App, actor: &Staff, id: i64, input: &RoomEdit) -> Result<(), AppError> {
    actor.require(&[Role::Admin, Role::Clerk])?;
    let mut errs = Vec::new();
    let name = required_text(input.name.as_deref(), "name", "审理庭名称", 50, &mut errs);
    let active = required_flag(input.active, "active", "是否使用", &mut errs);
    match input.seats {
        Some(n) if (1..=500).contains(&n) => {}
        Some(_) => errs.push(FieldError::new("seats", Violation::new("out_of_range", "座位数应在 1 到 500 之间"))),
        None => errs.push(FieldError::new("seats", Violation::new("required", "请填写座位数"))),
    }
    let (Some(name), Some(active), Some(seats)) = (name.filter(|_| errs.is_empty()), active, input.seats) else {
        return Err(AppError::Validation(errs));
    };
    let today = app.time.today().to_string();
    let mut tx = app.db.begin().await?;
    if !active {
        let planned = resources::planned_in_room(&mut tx, id, &today).await?;
        if planned > 0 {
            return Err(AppError::Conflict(format!("该审理庭还有 {planned} 场待开庭的庭审，请先改到其他审理庭再停用")));
        }
    }
    match resources::update_room(&mut tx, id, &name, seats, active).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound("审理庭不存在")),
        Err(e) if store::is_unique_violation(&e) => return Err(AppError::field("name", "duplicate", format!("已有名为“{name}”的审理庭"))),
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok(())
}

/// Records an arbitrator's leave (admin or clerk). The scheduler keeps the arbitrator off those
/// days; hearings already planned on them are listed with a re-planning proposal (nothing moves
/// until a clerk confirms it).
pub async fn add_leave(app: &App, actor: &Staff, arbitrator_id: i64, input: &LeaveInput) -> Result<LeaveRecorded, AppError> {
    actor.require(&[Role::Admin, Role::Clerk])?;
    let mut errs = Vec::new();
    let from = required_date(input.from.as_deref(), "from", "请假开始日期", &mut errs);
    let to = required_date(input.to.as_deref(), "to", "请假结束日期", &mut errs);
    let reason = required_text(input.reason.as_deref(), "reason", "请假事由", 200, &mut errs);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errs.push(FieldError::new("to", Violation::new("before_from", "请假结束日期不能早于开始日期")));
    }
    // A leave is planned around only inside the years the calendar can date.
    for (field, day) in [("from", from), ("to", to)] {
        if let Some(d) = day
            && let Err(e) = crate::law::calendar::WorkingCalendar::check_supported(d)
        {
            errs.push(FieldError::new(field, Violation::new("out_of_calendar", e.to_string())));
        }
    }
    let (Some(from), Some(to), Some(reason)) = (from, to, reason.filter(|_| errs.is_empty())) else {
        return Err(AppError::Validation(errs));
    };
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    if !resources::arbitrator_exists(&mut tx, arbitrator_id).await? {
        return Err(AppError::NotFound("仲裁员不存在"));
    }
    // Taken before the leave is written: a placement for this arbitrator either committed before
    // (and is listed below as affected) or sees the leave and is refused.
    store::lock_arbitrators(&mut tx, &[arbitrator_id]).await?;
    let id = store::insert_leave(&mut tx, arbitrator_id, &from.to_string(), &to.to_string(), &reason, &now, &actor.username).await?;
    tx.commit().await?;
    let affected = super::replan::touched_by_leave(app, arbitrator_id, from, to).await?;
    let proposal = if affected.is_empty() {
        None
    } else {
        Some(super::replan::prepare(app, &affected, super::schedule::Notice::Full, false, true).await?.outcome)
    };
    Ok(LeaveRecorded { id, affected_hearing_ids: affected.iter().map(|h| h.id).collect(), proposal })
}

/// Records a recusal entry (admin or clerk): the scheduler never puts the arbitrator on a case of
/// a party it matches (Law Art. 33; Rules Art. 11–12).
pub async fn add_recusal(app: &App, actor: &Staff, arbitrator_id: i64, input: &RecusalInput) -> Result<Recorded, AppError> {
    actor.require(&[Role::Admin, Role::Clerk])?;
    let mut errs = Vec::new();
    let keep = |s: &Option<String>| s.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let (party_name, id_number, credit_code) = (keep(&input.party_name), keep(&input.id_number), keep(&input.credit_code));
    if party_name.is_none() && id_number.is_none() && credit_code.is_none() {
        errs.push(FieldError::new("party_name", Violation::new("required", "请至少填写当事人名称、身份证号码或统一社会信用代码之一")));
    }
    let reason = required_text(input.reason.as_deref(), "reason", "回避事由", 500, &mut errs);
    let Some(reason) = reason.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let now = app.time.now_text();
    let mut tx = app.db.begin().await?;
    if !resources::arbitrator_exists(&mut tx, arbitrator_id).await? {
        return Err(AppError::NotFound("仲裁员不存在"));
    }
    let row = RecusalRow { arbitrator_id, party_name, id_number, credit_code };
    let id = store::insert_recusal(&mut tx, &row, &reason, &now, &actor.username).await?;
    tx.commit().await?;
    Ok(Recorded { id })
}

/// An arbitrator or room as the admin page lists it, with its feed's address.
#[derive(Debug, Clone, Serialize)]
pub struct RosterLine {
    pub id: i64,
    pub name: String,
    /// Arbitrators: may preside, hearings a day at most, active. Rooms: seats in `max_per_day`.
    pub presides: bool,
    pub max_per_day: i64,
    pub active: bool,
    /// A feed address exists (admins and clerks see this; the address itself is shown only when
    /// made, since the database keeps its token's digest).
    pub has_feed: bool,
}

/// Everyone and everything hearings are planned with.
#[derive(Debug, Clone, Serialize)]
pub struct Roster {
    pub arbitrators: Vec<RosterLine>,
    pub rooms: Vec<RosterLine>,
}

/// The commission's arbitrators and rooms (staff; feed addresses for admins and clerks only).
pub async fn roster(app: &App, actor: &Staff) -> Result<Roster, AppError> {
    actor.require(&[Role::Admin, Role::Clerk, Role::Arbitrator])?;
    let show_feeds = matches!(actor.role, Role::Admin | Role::Clerk);
    let mut conn = app.db.reader.acquire().await?;
    let mut out = Roster { arbitrators: Vec::new(), rooms: Vec::new() };
    for a in store::arbitrators(&mut conn).await? {
        let has_feed = show_feeds && crate::store::feeds::token_digest(&mut conn, Resource::Arbitrator, a.id).await?.flatten().is_some();
        out.arbitrators.push(RosterLine {
            id: a.id,
            name: a.name,
            presides: a.presides != 0,
            max_per_day: a.max_per_day,
            active: a.active != 0,
            has_feed,
        });
    }
    for r in store::rooms(&mut conn).await? {
        let has_feed = show_feeds && crate::store::feeds::token_digest(&mut conn, Resource::Room, r.id).await?.flatten().is_some();
        out.rooms.push(RosterLine { id: r.id, name: r.name, presides: false, max_per_day: r.seats, active: r.active != 0, has_feed });
    }
    Ok(out)
}
