//! The administrator's page: accounts, the holiday calendar, leave and recusal entries.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{PageStaff, check_csrf, csrf, form_error, no_store, page_error, render};
use crate::app::accounts::{Account, Role, Staff};
use crate::app::admin::{self, NewAccount};
use crate::app::calendar::{self, Loader};
use crate::app::{AppError, tribunal};
use crate::http::AppState;
use crate::store::resources::{LeaveLine, RecusalLine};

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage<'a> {
    commission: &'a str,
    csrf: String,
    user: String,
    nav: Vec<super::nav::NavLink>,
    accounts: Vec<Account>,
    arbitrators: Vec<tribunal::RosterLine>,
    leave: Vec<LeaveLine>,
    recusals: Vec<RecusalLine>,
    notice: String,
    error: String,
    form: AdminForm,
}

impl AdminPage<'_> {
    fn day(&self, d: &str) -> String {
        crate::documents::kinds::chinese_date_text(d)
    }
    fn roles(&self) -> [(&'static str, &'static str); 4] {
        [Role::Clerk, Role::Arbitrator, Role::Liaison, Role::Admin].map(|r| (r.code(), r.label()))
    }
}

/// What the admin page posts.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AdminForm {
    csrf: String,
    username: String,
    role: String,
    password: String,
    full_name: String,
    arbitrator_id: String,
    calendar: String,
}

/// Which action just succeeded (`?done=`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

async fn admin_view(
    state: &AppState,
    jar: CookieJar,
    staff: &Staff,
    notice: String,
    error: String,
    form: AdminForm,
    status: StatusCode,
) -> Response {
    let app = &state.app;
    let loaded = async {
        let accounts = admin::accounts(app, staff).await?;
        let arbitrators = tribunal::roster(app, staff).await?.arbitrators;
        let (leave, recusals) = admin::leave_and_recusals(app, staff).await?;
        let nav = super::nav::of(app, staff).await?;
        Ok::<_, AppError>((accounts, arbitrators, leave, recusals, nav))
    }
    .await;
    let (accounts, arbitrators, leave, recusals, nav) = match loaded {
        Ok(x) => x,
        Err(e) => return page_error(state, e).into_response(),
    };
    let (jar, token) = csrf(jar);
    let user = staff.username.clone();
    let page = AdminPage {
        commission: &app.config.commission_name,
        csrf: token,
        user,
        nav,
        accounts,
        arbitrators,
        leave,
        recusals,
        notice,
        error,
        form,
    };
    let mut res = (jar, no_store(render(page))).into_response();
    *res.status_mut() = status;
    res
}

/// `GET /staff/admin` (admin).
pub async fn admin_page(State(state): State<AppState>, PageStaff(staff): PageStaff, jar: CookieJar, Query(q): Query<Done>) -> Response {
    let notice = match q.done.as_str() {
        "account" => "账号已创建。",
        "disable" => "账号已停用，其登录状态已全部失效。",
        "password" => "新密码已设置，该账号需重新登录。",
        _ => "",
    };
    admin_view(&state, jar, &staff, notice.into(), String::new(), AdminForm::default(), StatusCode::OK).await
}

/// `POST /staff/admin/{action}`: `account`, `disable`, `password` or `calendar`.
pub async fn admin_submit(
    State(state): State<AppState>,
    PageStaff(staff): PageStaff,
    jar: CookieJar,
    Path(action): Path<String>,
    Form(f): Form<AdminForm>,
) -> Response {
    if let Err(e) = check_csrf(&state, &jar, &f.csrf) {
        return e.into_response();
    }
    let app = &state.app;
    let result = match action.as_str() {
        "account" => {
            let a = NewAccount {
                username: f.username.clone(),
                role: f.role.clone(),
                password: f.password.clone(),
                full_name: f.full_name.clone(),
                arbitrator_id: f.arbitrator_id.clone(),
            };
            admin::add_account(app, &staff, &a).await.map(|_| None)
        }
        "disable" => admin::disable_account(app, &staff, &f.username).await.map(|_| None),
        "password" => admin::reset_password(app, &staff, &f.username, &f.password).await.map(|_| None),
        "calendar" => match staff.require(&[Role::Admin]) {
            Ok(()) => calendar::load(app, Loader::Admin(&staff), &f.calendar).await.map(|l| {
                let years: Vec<String> = l.years.iter().map(|y| format!("{y}年")).collect();
                Some(format!("已载入{}的放假安排，{}件在办案件的期限随之重新计算。", years.join("、"), l.recomputed_cases))
            }),
            Err(e) => Err(e),
        },
        _ => Err(AppError::NotFound("没有这个操作")),
    };
    match result {
        Ok(None) => Redirect::to(&format!("/staff/admin?done={action}")).into_response(),
        Ok(Some(notice)) => admin_view(&state, jar, &staff, notice, String::new(), AdminForm::default(), StatusCode::OK).await,
        // The form comes back as typed, but never with a password in it.
        Err(e) => match form_error(e) {
            Ok((status, m)) => {
                admin_view(&state, jar, &staff, String::new(), m, AdminForm { password: String::new(), csrf: String::new(), ..f }, status)
                    .await
            }
            Err(e) => page_error(&state, e).into_response(),
        },
    }
}
