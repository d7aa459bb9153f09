//! The staff navigation: for each role only the pages it may open; for clerks and administrators
//! the case lists by stage, each with its count.

use crate::app::accounts::{Role, Staff};
use crate::app::{App, AppError, cases};
use crate::law::case::Status;

/// One link of the navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub count: Option<i64>,
}

/// The stages a clerk works through, as lists of the inbox: the status and the list's name.
const STAGES: [(Status, &str, &str); 7] = [
    (Status::Filed, "/staff", "待受理"),
    (Status::Accepted, "/staff?status=accepted", "已受理未排期"),
    (Status::Scheduled, "/staff?status=scheduled", "已排期"),
    (Status::Heard, "/staff?status=heard", "已开庭"),
    (Status::Suspended, "/staff?status=suspended", "中止审理"),
    (Status::Closed, "/staff?status=closed", "已结案"),
    (Status::Rejected, "/staff?status=rejected", "不予受理"),
];

/// The pages of a role beyond the stage lists: the clerk's desk first.
fn pages_of(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::Clerk => &[
            ("/staff/services", "未送达"),
            ("/staff/requests", "当事人申请"),
            ("/staff/deadlines", "期限看板"),
            ("/staff/schedule", "一键排期"),
            ("/staff/docket", "庭审日程"),
            ("/staff/tribunal", "仲裁员与审理庭"),
            ("/staff/liaison", "法院联络查询"),
            ("/staff/stats", "统计数据"),
        ],
        Role::Admin => &[
            ("/staff/admin", "账号与节假日"),
            ("/staff/requests", "当事人申请"),
            ("/staff/deadlines", "期限看板"),
            ("/staff/tribunal", "仲裁员与审理庭"),
            ("/staff/liaison", "法院联络查询"),
            ("/staff/stats", "统计数据"),
            ("/staff/access-log", "访问日志"),
        ],
        Role::Arbitrator => &[
            ("/staff/docket", "我的庭审日程"),
            ("/staff?status=scheduled", "我的待审案件"),
            ("/staff?status=heard", "待作出裁决"),
            ("/staff/deadlines", "期限看板"),
            ("/staff/stats", "统计数据"),
        ],
        Role::Liaison => &[("/staff/liaison", "法院联络查询"), ("/staff/stats", "统计数据")],
        Role::Director => &[("/staff/stats", "统计数据"), ("/staff/deadlines", "期限看板")],
    }
}

/// The navigation of `staff`: the stage lists with their counts (clerks, administrators), then
/// the role's own pages.
pub async fn of(app: &App, staff: &Staff) -> Result<Vec<NavLink>, AppError> {
    let mut links = Vec::new();
    if matches!(staff.role, Role::Clerk | Role::Admin) {
        let counts = cases::stage_counts(app, staff).await?;
        for (status, href, label) in STAGES {
            let count = counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n);
            links.push(NavLink { href, label, count: Some(count) });
        }
    }
    links.extend(pages_of(staff.role).iter().map(|&(href, label)| NavLink { href, label, count: None }));
    Ok(links)
}

/// Every link of every role, for the test that opens each as its role.
pub fn all_links(role: Role) -> Vec<&'static str> {
    let stages = matches!(role, Role::Clerk | Role::Admin).then_some(STAGES.iter().map(|s| s.1)).into_iter().flatten();
    stages.chain(pages_of(role).iter().map(|p| p.0)).collect()
}
