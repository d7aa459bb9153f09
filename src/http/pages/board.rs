//! The deadline board page: red, amber and days left.

use crate::http::pages::PageStaff;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{no_store, page_error, render};
use crate::app::AppError;
use crate::app::board::{self, Board, BoardItem, Urgency};
use crate::http::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BoardQuery {
    within: String,
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct BoardPage<'a> {
    commission: &'a str,
    user: String,
    board: Board,
    provisional_years: bool,
    error: String,
}

impl BoardPage<'_> {
    fn urgency_class(&self, i: &BoardItem) -> &'static str {
        match i.urgency {
            Urgency::Red => "red",
            Urgency::Amber => "amber",
            Urgency::Normal => "normal",
        }
    }

    fn left_text(&self, i: &BoardItem) -> String {
        match i.working_days_left {
            n if n < 0 => format!("超期{}个工作日", -n),
            0 => "今天到期".into(),
            n => format!("剩{n}个工作日"),
        }
    }
}

/// The deadline board: red, amber and days left for every open case due soon.
pub async fn deadline_board(State(state): State<AppState>, PageStaff(staff): PageStaff, Query(q): Query<BoardQuery>) -> Response {
    let (within, error) = match board::parse_within(Some(&q.within)) {
        Ok(n) => (n, String::new()),
        Err(AppError::Validation(f)) => (5, f.into_iter().map(|x| x.message).collect::<Vec<_>>().join("；")),
        Err(e) => return page_error(&state, e).into_response(),
    };
    match board::board(&state.app, &staff, within).await {
        Ok(board) => no_store(render(BoardPage {
            commission: &state.app.config.commission_name,
            user: staff.username.clone(),
            provisional_years: board.items.iter().any(|i| i.provisional),
            board,
            error,
        })),
        Err(e) => page_error(&state, e).into_response(),
    }
}
