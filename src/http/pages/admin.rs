//! The administrator's page: accounts, the holiday calendar, leave and recusal entries, and the
//! settings that drive the documents (address, telephone, seal image).

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
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
    /// The address, telephone and whether a seal image is set, as printed now.
    contact: crate::app::settings::Contact,
    notice: String,
    error: String,
    form: AdminForm,
}

impl AdminPage<'_> {
    fn day(&self, d: &str) -> String {
        crate::documents::kinds::chinese_date_text(d)
    }
    fn roles(&self) -> [(&'static str, &'static str); 5] {
        Role::ALL.map(|r| (r.code(), r.label()))
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
    address: String,
    phone: String,
    remove_seal: String,
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
        let contact = crate::app::settings::contact(app).await?;
        Ok::<_, AppError>((accounts, arbitrators, leave, recusals, nav, contact))
    }
    .await;
    let (accounts, arbitrators, leave, recusals, nav, contact) = match loaded {
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
        contact,
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
        "contact" => "地址和电话已保存，此后制作的文书和页面按新的填写。",
        "seal" => "印章图片已保存，此后制作的文书在日期处加盖该印章。",
        "seal-removed" => "印章图片已删除，此后制作的文书在日期处标出盖章位置。",
        _ => "",
    };
    admin_view(&state, jar, &staff, notice.into(), String::new(), AdminForm::default(), StatusCode::OK).await
}

/// `POST /staff/admin/{action}`: `account`, `disable`, `password`, `calendar` or `contact`.
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
        "contact" => {
            let input = crate::app::settings::ContactInput { address: Some(f.address.clone()), phone: Some(f.phone.clone()) };
            crate::app::settings::set_contact(app, &staff, &input).await.map(|_| None)
        }
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

/// `POST /staff/admin/seal` (multipart: `csrf`, `seal` a PNG, or `remove` to take it away): the
/// seal image placed over the dates of documents issued from now on.
pub async fn seal_submit(State(state): State<AppState>, PageStaff(staff): PageStaff, jar: CookieJar, mut form: Multipart) -> Response {
    // Who may set the seal is settled before a byte of the upload is read.
    if let Err(e) = staff.require(&[Role::Admin]) {
        return page_error(&state, e).into_response();
    }
    let (mut token, mut bytes, mut remove) = (String::new(), Vec::new(), false);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => token = field.text().await.unwrap_or_default(),
                Some("remove") => remove = !field.text().await.unwrap_or_default().is_empty(),
                Some("seal") => match field.bytes().await {
                    Ok(b) => bytes = b.to_vec(),
                    Err(_) => return page_error(&state, AppError::field("seal", "too_large", "印章图片不能超过 2 MB")).into_response(),
                },
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return page_error(&state, AppError::field("seal", "unreadable", "上传没有完成，请重新选择图片上传")).into_response(),
        }
    }
    if let Err(e) = check_csrf(&state, &jar, &token) {
        return e.into_response();
    }
    let png = (!remove).then_some(bytes.as_slice());
    if png.is_some_and(<[u8]>::is_empty) {
        let e = AppError::field("seal", "required", "请选择印章图片（PNG）");
        return admin_view(&state, jar, &staff, String::new(), form_message(e), AdminForm::default(), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    match crate::app::settings::set_seal(&state.app, &staff, png).await {
        Ok(()) => Redirect::to(if remove { "/staff/admin?done=seal-removed" } else { "/staff/admin?done=seal" }).into_response(),
        Err(e) => match form_error(e) {
            Ok((status, m)) => admin_view(&state, jar, &staff, String::new(), m, AdminForm::default(), status).await,
            Err(e) => page_error(&state, e).into_response(),
        },
    }
}

fn form_message(e: AppError) -> String {
    form_error(e).map(|(_, m)| m).unwrap_or_default()
}

/// `GET /staff/admin/seal.png`: the seal image as set, for the administrator to see.
pub async fn seal_image(State(state): State<AppState>, PageStaff(staff): PageStaff) -> Response {
    match crate::app::settings::seal_png(&state.app, &staff).await {
        Ok(Some(png)) => no_store(([(axum::http::header::CONTENT_TYPE, "image/png")], png).into_response()),
        Ok(None) => page_error(&state, AppError::NotFound("尚未设置印章图片")).into_response(),
        Err(e) => page_error(&state, e).into_response(),
    }
}
