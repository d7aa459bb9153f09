//! The deadline board: open cases whose next deadline falls within N working days, most urgent first.

use crate::law::case::Status;
use chrono::NaiveDate;
use serde::Serialize;

use super::accounts::Staff;
use super::deadlines::{CaseDates, open_case_clocks};
use super::{App, AppError};
use crate::law::clock::DeadlineKind;
use crate::law::routing::Track;

/// The widest window the board shows, in working days.
pub const MAX_WITHIN: i64 = 60;
/// Red: overdue, or this many working days left or fewer.
pub const RED_DAYS: i64 = 2;
/// Amber: this many working days left or fewer.
pub const AMBER_DAYS: i64 = 5;

/// How urgent a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Red,
    Amber,
    Normal,
}

/// One case on the board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardItem {
    pub case_id: String,
    pub case_no: Option<String>,
    pub status: Status,
    pub track: Track,
    pub applicant: Option<String>,
    pub respondent: Option<String>,
    pub deadline: DeadlineKind,
    pub deadline_label: String,
    pub due_on: NaiveDate,
    /// Working days from today to the deadline; negative when overdue.
    pub working_days_left: i64,
    pub urgency: Urgency,
    /// The date rests on a year whose holiday arrangement is not loaded yet.
    pub provisional: bool,
    /// What the case waits on service for: each document not yet served on a party (its deadlines
    /// run from service), e.g. `应诉通知书 → 某某公司（邮寄送达，已发出）`.
    pub waiting_on_service: Vec<String>,
}

/// The board for a window.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub today: NaiveDate,
    pub within: i64,
    pub items: Vec<BoardItem>,
    /// Open cases whose clock is stopped by a suspension.
    pub suspended: i64,
}

/// Parses the `within` parameter: 0 to 60 working days, 5 when absent.
pub fn parse_within(raw: Option<&str>) -> Result<i64, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(5),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (0..=MAX_WITHIN).contains(&n) => Ok(n),
            _ => Err(AppError::field("within", "out_of_range", format!("within 应为0至{MAX_WITHIN}之间的工作日数"))),
        },
    }
}

/// Every open case whose next deadline is overdue or falls within `within` working days.
pub async fn board(app: &App, viewer: &Staff, within: i64) -> Result<Board, AppError> {
    let today = app.time.today();
    let calendar = app.calendar();
    let mut conn = app.db.reader.acquire().await?;
    let mut open = open_case_clocks(&mut conn, true).await?;
    // An arbitrator's board holds its own tribunals' cases (the board names the parties).
    if let Some(a) = super::access::tribunal_of(viewer)? {
        let own = crate::store::hearings::cases_of_arbitrator(&mut conn, a).await?;
        open.retain(|(c, _)| own.contains(&c.id));
    }
    let mut waiting: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    for s in crate::store::services::unserved(&mut conn, 5000).await? {
        let line = format!("{} → {}（{}，{}）", s.document_title, s.name, s.channel()?.label(), s.status()?.label());
        waiting.entry(s.case_id.clone()).or_default().push(line);
    }
    drop(conn);
    let mut items = Vec::new();
    let mut suspended = 0;
    for (c, entries) in open {
        if c.status == Status::Suspended {
            suspended += 1;
        }
        let dates = CaseDates::parse(c.status, &c.filed_on, c.accepted_on.as_deref())?;
        let Some((kind, due, provisional)) = app.next_deadline_of(&dates, &entries) else { continue };
        let left = calendar.working_days_left(today, due);
        if left > within {
            continue;
        }
        let urgency = if left <= RED_DAYS {
            Urgency::Red
        } else if left <= AMBER_DAYS {
            Urgency::Amber
        } else {
            Urgency::Normal
        };
        items.push(BoardItem {
            waiting_on_service: waiting.remove(&c.id).unwrap_or_default(),
            track: c.track,
            case_id: c.id,
            case_no: c.case_no,
            status: c.status,
            applicant: c.applicant,
            respondent: c.respondent,
            deadline: kind,
            deadline_label: kind.label().to_string(),
            due_on: due,
            working_days_left: left,
            urgency,
            provisional,
        });
    }
    items.sort_by(|a, b| (a.due_on, &a.case_no, &a.case_id).cmp(&(b.due_on, &b.case_no, &b.case_id)));
    Ok(Board { today, within, items, suspended })
}
