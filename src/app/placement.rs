//! One hearing by hand: the solver's best free slots for a case, with the cheaper slots it refused
//! and why, and a clerk's placement or move checked against the same hard rules and the window.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::accounts::{Role, Staff};
use super::input::{required_date, required_text};
use super::schedule::{Notice, PlannedView, Snapshot, Stamp, store_move, store_new, times};
use super::{App, AppError};
use crate::law::{FieldError, Violation};
use crate::scheduling::{HardRule, Placement, Problem, Resource, explain};
use crate::store::hearings as store;

/// A free slot the solver suggests.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestionView {
    pub day: NaiveDate,
    pub start: String,
    pub end: String,
    pub room_id: i64,
    pub room: String,
    /// The presiding arbitrator first.
    pub arbitrator_ids: Vec<i64>,
    /// The solver's cost: working days after the first lawful day, times the case's weight.
    pub cost: u64,
}

/// A slot earlier than the best free one, and the hard rule that refused it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RefusedView {
    pub day: NaiveDate,
    pub start: String,
    pub end: String,
    /// The rule's number in `schedule-problem.md` (3 seats, 4 tribunal, 5 taken, 6 daily limit).
    pub rule: u8,
    /// The rule by name: `seats`, `tribunal`, `taken`, `daily_limit`.
    pub rule_code: &'static str,
    pub reason: String,
}

/// `GET /api/v1/cases/{id}/suggestions`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestionsView {
    pub case_id: String,
    /// The lawful window: the notice served on the next working day, and the award deadline less
    /// the drafting buffer.
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    pub suggestions: Vec<SuggestionView>,
    pub refused: Vec<RefusedView>,
    /// When no slot is free: a stable code and the reason.
    pub code: Option<&'static str>,
    pub reason: Option<String>,
}

/// A case prepared for placing by hand: its problem (the case alone, every other planned hearing
/// booked) and the hearing it has now.
struct Single {
    snap: Snapshot,
    problem: Problem,
    current: Option<store::HearingRow>,
}

async fn single(app: &App, case_id: &str, notice: Notice) -> Result<Single, AppError> {
    let mut conn = app.db.reader.acquire().await?;
    let current = store::planned_of_case(&mut conn, case_id).await?;
    drop(conn);
    let snap = Snapshot::read(app).await?;
    if !snap.open.iter().any(|(r, _)| r.id == case_id) {
        let mut conn = app.db.reader.acquire().await?;
        return Err(match crate::store::cases::get(&mut conn, case_id).await? {
            None => AppError::NotFound("案件不存在"),
            Some(_) => AppError::Conflict("案件当前状态不能安排开庭".into()),
        });
    }
    let case = snap.case_to_plan(app, case_id, notice, None).map_err(|u| AppError::Conflict(u.reason))?;
    let freed: Vec<i64> = current.iter().map(|h| h.id).collect();
    let problem = snap.problem(app, &[case], &freed)?;
    Ok(Single { snap, problem, current })
}

/// The `top` best free slots for a case (staff), and up to `top` earlier slots refused with the rule.
pub async fn suggestions(app: &App, actor: &Staff, case_id: &str, top: usize) -> Result<SuggestionsView, AppError> {
    actor.require(&[Role::Clerk, Role::Arbitrator, Role::Admin])?;
    let mut conn = app.db.reader.acquire().await?;
    super::access::may_read_case(&mut conn, actor, case_id).await?;
    drop(conn);
    let one = single(app, case_id, Notice::Full).await?;
    let (p, snap) = (&one.problem, &one.snap);
    let settings = &app.config.hearings;
    let slots = p.cases[0].slots;
    let s = explain::suggest(p, None, 0, top);
    let suggestions = s
        .feasible
        .iter()
        .map(|f| {
            let room = &snap.rooms[p.room(&f.room).expect("a room of the problem")];
            let (start, end) = times(settings, f.session, f.slot, slots);
            SuggestionView {
                day: f.day,
                start,
                end,
                room_id: room.id,
                room: room.name.clone(),
                arbitrator_ids: f.arbitrators.iter().filter_map(|a| p.arbitrator(a)).map(|a| snap.arbitrators[a].id).collect(),
                cost: f.cost,
            }
        })
        .collect();
    let refused = s
        .refused
        .iter()
        .map(|r| {
            let (start, end) = times(settings, r.session, r.slot, slots);
            RefusedView {
                day: r.day,
                start,
                end,
                rule: r.refusal.rule.number(),
                rule_code: r.refusal.rule.code(),
                reason: r.refusal.why.clone(),
            }
        })
        .collect();
    let case = &p.cases[0];
    let (earliest, latest) = (p.workdays.get(case.lo).copied(), p.workdays.get(case.hi).copied());
    Ok(SuggestionsView {
        case_id: case_id.to_string(),
        earliest: earliest.unwrap_or(snap.start),
        latest: latest.unwrap_or(snap.start),
        suggestions,
        refused,
        code: s.reason.as_ref().map(|r| r.code()),
        reason: s.reason.as_ref().map(|r| r.message()),
    })
}

/// `PUT /api/v1/cases/{id}/hearing`: where and with whom the case is heard.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PlaceInput {
    /// `YYYY-MM-DD`
    pub day: Option<String>,
    /// `HH:MM`, the start of a slot of a session.
    pub start: Option<String>,
    pub room_id: Option<i64>,
    /// The presiding (or sole) arbitrator first.
    pub arbitrator_ids: Option<Vec<i64>>,
    /// The parties agreed to less than 5 working days' notice (green and simple tracks only).
    pub short_notice: Option<bool>,
    /// Why the hearing is moved (recorded in the case's audit trail); required for a move.
    pub reason: Option<String>,
}

/// The session and slot a hearing starting at `start` takes, if it fits inside one session.
fn slot_at(app: &App, start: NaiveTime, slots: u32) -> Option<(usize, u32)> {
    let settings = &app.config.hearings;
    settings.sessions.iter().enumerate().find_map(|(s, (from, n))| {
        let minutes = (start - *from).num_minutes();
        let step = i64::from(settings.slot_minutes);
        (minutes >= 0 && minutes % step == 0 && minutes / step + i64::from(slots) <= i64::from(*n)).then(|| (s, (minutes / step) as u32))
    })
}

/// A clerk places a case's hearing, or moves the one it has, by hand. Every hard rule of the
/// scheduler and the statutory window apply; a failure names each rule broken and stores nothing.
pub async fn place(app: &App, actor: &Staff, case_id: &str, input: &PlaceInput) -> Result<PlannedView, AppError> {
    actor.require(&[Role::Clerk])?;
    let mut errs = Vec::new();
    let day = required_date(input.day.as_deref(), "day", "开庭日期", &mut errs);
    let start = match input.start.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errs.push(FieldError::new("start", Violation::new("required", "请填写开庭时间")));
            None
        }
        Some(s) => NaiveTime::parse_from_str(s, "%H:%M")
            .map_err(|_| errs.push(FieldError::new("start", Violation::new("bad_time", format!("开庭时间“{s}”应为 HH:MM 格式")))))
            .ok(),
    };
    if input.room_id.is_none() {
        errs.push(FieldError::new("room_id", Violation::new("required", "请选择审理庭")));
    }
    let panel = input.arbitrator_ids.clone().unwrap_or_default();
    if panel.is_empty() {
        errs.push(FieldError::new("arbitrator_ids", Violation::new("required", "请选择仲裁员（首席或独任仲裁员在前）")));
    }
    let given = input.reason.as_deref().filter(|r| !r.trim().is_empty());
    let why = match given {
        Some(r) => required_text(Some(r), "reason", "调整原因", 200, &mut errs),
        None => Some("书记员手动安排".to_string()),
    };
    let (Some(day), Some(start), Some(room_id), Some(why)) = (day, start, input.room_id, why.filter(|_| errs.is_empty())) else {
        return Err(AppError::Validation(errs));
    };
    let notice = if input.short_notice == Some(true) { Notice::ShortAgreed } else { Notice::Full };
    let one = single(app, case_id, notice).await?;
    // A move says why: the case's record and the parties' new notice rest on it.
    if given.is_none() && one.current.is_some() {
        return Err(AppError::field("reason", "required", "改期时请写明调整原因"));
    }
    let (p, snap) = (&one.problem, &one.snap);
    let case = &p.cases[0];
    if notice == Notice::ShortAgreed && !matches!(case.track.as_str(), "green" | "simple") {
        return Err(AppError::field(
            "short_notice",
            "short_notice_not_allowed",
            "只有小额速裁和简易处理案件经当事人同意可以缩短开庭通知期",
        ));
    }
    // Rule 1 with the calendar's words: a working day inside the case's lawful window.
    let calendar = app.calendar();
    if !calendar.is_working_day(day).0 {
        return Err(AppError::field("day", "rest_day", format!("{day} 是休息日或法定节假日，不能开庭")));
    }
    let (lo, hi) = (p.workdays.get(case.lo).copied(), p.workdays.get(case.hi).copied());
    let wd = p.workday(day).filter(|w| case.window().contains(w));
    let Some(wd) = wd else {
        let window = match (lo, hi) {
            (Some(lo), Some(hi)) if case.has_window() => format!("{lo} 至 {hi}"),
            _ => "（无可用日期）".to_string(),
        };
        return Err(AppError::field(
            "day",
            "outside_window",
            format!(
                "本案开庭日期应在 {window} 之间：开庭通知须提前 5 个工作日送达（《劳动争议调解仲裁法》第三十五条），并须在审限届满前留出制作裁决书的时间"
            ),
        ));
    };
    // Rule 2: a slot start inside one session, and the hearing ends inside it.
    let Some((session, slot)) = slot_at(app, start, case.slots) else {
        let sessions: Vec<String> = app
            .config
            .hearings
            .sessions
            .iter()
            .map(|(t, n)| {
                let end = *t + chrono::Duration::minutes(i64::from(*n * app.config.hearings.slot_minutes));
                format!("{}–{}", t.format("%H:%M"), end.format("%H:%M"))
            })
            .collect();
        return Err(AppError::field(
            "start",
            "outside_sessions",
            format!(
                "开庭时间须为时段内每 {} 分钟的起点，且 {} 分钟的庭审须在时段内结束（开庭时段：{}）",
                app.config.hearings.slot_minutes,
                case.slots * app.config.hearings.slot_minutes,
                sessions.join("、")
            ),
        ));
    };
    let mut errs = Vec::new();
    let room = snap.rooms.iter().position(|r| r.id == room_id);
    if room.is_none() {
        errs.push(FieldError::new("room_id", Violation::new("unknown_room", format!("审理庭 {room_id} 不存在或已停用"))));
    }
    let arbitrators: Vec<Option<usize>> = panel.iter().map(|id| snap.arbitrators.iter().position(|a| a.id == *id)).collect();
    for (id, _) in panel.iter().zip(&arbitrators).filter(|(_, a)| a.is_none()) {
        errs.push(FieldError::new("arbitrator_ids", Violation::new("unknown_arbitrator", format!("仲裁员 {id} 不存在"))));
    }
    let Some(room) = room.filter(|_| errs.is_empty()) else { return Err(AppError::Validation(errs)) };
    let pl = Placement {
        day: wd as u16,
        session: session as u8,
        slot: slot as u8,
        room: room as u16,
        arbitrators: arbitrators.iter().flatten().map(|&a| a as u16).collect(),
    };
    let refusals = explain::refusals(p, 0, &pl);
    if !refusals.is_empty() {
        return Err(AppError::Validation(
            refusals
                .into_iter()
                .map(|r| {
                    let field = match r.resource {
                        Some(Resource::Room(_)) => "room_id",
                        Some(Resource::Arbitrator(_)) | None => "arbitrator_ids",
                    };
                    let code = match r.rule {
                        HardRule::Seats => "room_too_small",
                        HardRule::Taken => "slot_taken",
                        HardRule::DailyLimit => "daily_limit_reached",
                        _ => "tribunal_not_allowed",
                    };
                    FieldError::new(field, Violation::new(code, r.why))
                })
                .collect(),
        ));
    }
    let mut view = snap.view(app, p, 0, &pl);
    let now = app.time.now_text();
    let at = Stamp { today: snap.today, now: &now, by: &actor.username };
    let mut tx = app.db.begin().await?;
    let id = match &one.current {
        Some(h) => {
            store_move(&mut tx, h.id, &view, &pl, case.slots, at, &why).await?;
            h.id
        }
        None => store_new(&mut tx, &view, &pl, case.slots, at).await?,
    };
    // Law Art. 35: the parties are notified in writing of the hearing fixed (or moved).
    super::documents::enqueue_hearing_notices(app, &mut tx, &actor.username, vec![id]).await?;
    tx.commit().await.map_err(|e| if store::is_unique_violation(&e) { super::schedule::taken() } else { e.into() })?;
    view.hearing_id = Some(id);
    Ok(view)
}
