//! The page a notification e-mail's opt-out link opens: it names the party and asks to confirm,
//! so a link previewed by a mail scanner changes nothing.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::{no_store, page_error, render};
use crate::app::notify;
use crate::http::AppState;

#[derive(Template)]
#[template(path = "opt_out.html")]
struct OptOutPage<'a> {
    commission: &'a str,
    name: String,
    token: String,
    done: bool,
}

/// `GET /notifications/opt-out/{token}`: who the link is for, and a button to confirm.
pub async fn opt_out_form(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match notify::opt_out_party(&state.app, &token).await {
        Ok(name) => no_store(render(OptOutPage { commission: &state.app.config.commission_name, name, token, done: false })),
        Err(e) => page_error(&state, e).into_response(),
    }
}

/// `POST /notifications/opt-out/{token}`: the party confirms (the token is the credential).
pub async fn opt_out_submit(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match notify::opt_out_by_link(&state.app, &token).await {
        Ok(name) => no_store(render(OptOutPage { commission: &state.app.config.commission_name, name, token: String::new(), done: true })),
        Err(e) => page_error(&state, e).into_response(),
    }
}
