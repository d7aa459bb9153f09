//! The journeys greenlane exists for, in Debian's Chromium against the real binary on a fresh
//! database: a worker registers a claim on a phone (with one mistake to fix); a clerk accepts it
//! (and cannot accept it twice) and is shown the employer's sign-in code; on its phone the employer
//! signs in with the 案号 and that code, takes service on the platform, opens its notice, answers,
//! waives the defence period and uploads a PDF and a photo; the clerk plans, and the employer sees
//! the hearing brought forward; the worker signs in with the 案号, sees the hearing with the
//! commission's address and opens its notice (which serves it); on the hearing's day the
//! arbitrator records it and issues the award; the worker opens the award and reads the last day
//! to sue; a court liaison officer finds the case, downloads its bundle, and is refused the
//! arbitrator's page. The desk journeys then take four more cases through the staff's pages:
//! planning with a batch print of the run's notices, a postponement granted from the list of
//! requests, a re-planning after leave confirmed, a mediation statement and an element-style award
//! each issued after a preview, and a split award's final part found by “2026第n-1号”.
//! Every page on the way passes the accessibility checks and fits a 390 px
//! screen (the parties' pages are opened at 390 × 844). Screenshots go to
//! `artifacts/browser/<backend>/`.
//!
//! Skipped only with `GREENLANE_SKIP_BROWSER=1`; without Chromium the test fails.

mod e2e;

use e2e::{Browser, Driver, Screen, World};
use std::io::Read;

/// Monday: the worker applies, the clerk accepts and plans.
const FILING_DAY: &str = "2026-11-16";
const APPLICANT: &str = "韦晓燕";
const ID_NUMBER: &str = "11010519491231002X";
/// The same number with two digits of the birth date swapped: the check digit no longer matches.
const MISTYPED_ID: &str = "11010519491213002X";

/// The browser tests run one at a time: two Chromiums on two cores only slow each other down.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// This test's turn at the browser, or `None` when the browser tests are skipped by their flag.
async fn turn() -> Option<tokio::sync::MutexGuard<'static, ()>> {
    if e2e::wanted() { Some(ONE_AT_A_TIME.lock().await) } else { None }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journeys_sqlite() {
    let Some(_turn) = turn().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("journeys.db").display());
    journeys(World::new(url, artifacts("sqlite"), dir)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journeys_postgres() {
    let Some(_turn) = turn().await else { return };
    let (world, dropped) = postgres_world("postgres").await;
    journeys(world).await;
    dropped.await;
}

/// A world on a fresh database of the tests' PostgreSQL, and what drops that database after.
async fn postgres_world(backend: &str) -> (World, impl std::future::Future<Output = ()>) {
    let base = std::env::var("GREENLANE_TEST_POSTGRES_URL")
        .expect("GREENLANE_TEST_POSTGRES_URL is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL");
    let name = format!("gl_browser_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    let world = World::new(format!("{prefix}/{name}"), artifacts(backend), tempfile::tempdir().unwrap());
    let dropped = async move {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).execute(&admin).await.ok();
    };
    (world, dropped)
}

/// The page checks are not vacuous: a page with each fault is reported for each of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_checks_report_each_fault() {
    let Some(_turn) = turn().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let world = World::new(String::new(), artifacts("checks"), dir);
    let driver = Driver::start(&world.artifacts.join("chromedriver.log")).await;
    let faulty = "<!doctype html><html><head><meta charset=utf-8><meta name=viewport content='width=device-width'><title>坏页面</title></head>\
        <body><main><p style='color:#bbb;background:#fff'>浅灰色的正文</p><input type=text name=unlabelled><img src='/x.png'>\
        <div style='width:700px'>比手机屏幕宽的内容</div></main></body></html>";
    let url = format!("data:text/html;charset=utf-8,{}", faulty.replace('#', "%23"));
    let mut b = Browser::open(&driver, &world, "", "faulty", Screen::Desk).await;
    b.c.goto(&url).await.unwrap();
    let problems = b.problems("faulty").await.join("\n");
    for fault in ["language", "color-contrast", "label", "image-alt", "scrolls sideways"] {
        assert!(problems.contains(fault), "the checks report {fault}:\n{problems}");
    }
    b.close().await;
}

fn artifacts(backend: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts/browser").join(backend)
}

async fn journeys(world: World) {
    let driver = Driver::start(&world.artifacts.join("chromedriver.log")).await;
    for (name, role) in [("admin", "admin"), ("clerk", "clerk"), ("liaison", "liaison")] {
        world.add_user(name, role, None);
    }
    let server = world.serve(FILING_DAY).await;
    let arbitrator_id = commission_sets_up(&driver, &world, &server).await;
    world.add_user("arbitrator", "arbitrator", Some(arbitrator_id));

    let (case_id, access_code) = applicant_registers(&driver, &world, &server).await;
    let (case_no, respondent_code) = clerk_accepts(&driver, &world, &server, &case_id).await;
    let defence_by = respondent_answers_online(&driver, &world, &server, &case_no, &respondent_code).await;
    let hearing_day = clerk_plans(&driver, &world, &server, &case_id).await;
    respondent_sees_the_hearing_brought_forward(&driver, &world, &server, &case_no, &respondent_code, &hearing_day, &defence_by).await;
    applicant_follows(&driver, &world, &server, &case_no, &access_code, &hearing_day).await;
    drop(server);

    // The hearing's day: the same commission and database, the clock moved on.
    let server = world.serve(&hearing_day).await;
    arbitrator_hears_and_awards(&driver, &world, &server, &case_id, &hearing_day).await;
    applicant_reads_the_award(&driver, &world, &server, &case_no, &access_code).await;
    liaison_finds_and_downloads(&driver, &world, &server, &case_id).await;
    pages_not_on_the_journeys(&driver, &world, &server, &case_id).await;
}

/// Signs `user` in from the login page.
async fn sign_in(b: &mut Browser, user: &str) {
    b.goto("/login").await;
    b.check_page("login").await;
    b.fill("#username", user).await;
    b.fill("#password", e2e::PASSWORD).await;
    b.click("#login").await;
    assert!(b.path().await.starts_with("/staff"), "{user} is signed in: {}", b.path().await);
}

/// The administrator enters the commission's arbitrator and hearing room; returns the arbitrator's id.
async fn commission_sets_up(driver: &Driver, world: &World, server: &e2e::Server) -> i64 {
    let mut b = Browser::open(driver, world, &server.base, "0-admin", Screen::Desk).await;
    sign_in(&mut b, "admin").await;
    b.goto("/staff/tribunal").await;
    b.el("details:has(#ar_name) summary").await.click().await.unwrap();
    b.fill("#ar_name", "欧阳明").await;
    b.el("form[action='/staff/tribunal/arbitrator'] input[name=presides]").await.click().await.unwrap();
    b.click("form[action='/staff/tribunal/arbitrator'] button").await;
    assert!(b.body().await.contains("欧阳明"), "the arbitrator is listed");
    b.el("details:has(#rm_name) summary").await.click().await.unwrap();
    b.fill("#rm_name", "第一审理庭").await;
    b.fill("#rm_seats", "12").await;
    b.click("form[action='/staff/tribunal/room'] button").await;
    assert!(b.body().await.contains("第一审理庭"), "the room is listed");
    b.check_page("tribunal").await;
    b.shot("tribunal").await;
    let id = b.text("table tbody tr td").await;
    b.close().await;
    id.trim().parse().expect("the arbitrator's number in the first column")
}

/// On a phone: the worker fills in the claim, mistypes the ID number, sees the error beside it,
/// fixes it, and gets the case reference and the access code.
async fn applicant_registers(driver: &Driver, world: &World, server: &e2e::Server) -> (String, String) {
    let mut b = Browser::open(driver, world, &server.base, "1-applicant", Screen::Phone).await;
    b.goto("/").await;
    b.check_page("home").await;
    b.click_link("申请仲裁").await;
    b.check_page("apply").await;
    b.shot("form").await;
    b.fill("#applicant_name", APPLICANT).await;
    b.fill("#applicant_id_number", MISTYPED_ID).await;
    b.fill("#applicant_phone", "13800138000").await;
    b.fill("#applicant_address", "中山市石岐区民生路1号").await;
    b.fill("#respondent_name", "中山市某某电器有限公司").await;
    b.fill("#respondent_credit_code", "91350100M000100Y43").await;
    b.fill("#respondent_address", "中山市火炬开发区").await;
    b.select("#claim0_kind", "unpaid_wages").await;
    b.fill("#claim0_amount", "8600").await;
    b.fill("#claim0_description", "2026年8—9月工资").await;
    b.set_date("#employment_start", "2024-03-01").await;
    b.set_date("#employment_end", "2026-09-30").await;
    b.fill("#monthly_wage", "4300").await;
    b.fill("#facts", "被申请人拖欠申请人2026年8月至9月工资共8600元，经多次催要未付。").await;
    b.el("#consent_simplified").await.click().await.unwrap();
    b.el("#consent_informal_service").await.click().await.unwrap();
    b.el("#consent_electronic_service").await.click().await.unwrap();
    b.el("#consent_electronic_awards").await.click().await.unwrap();
    b.el("#consent_personal_data").await.click().await.unwrap();
    b.click("#submit").await;

    // The mistake is named beside its field, and nothing typed is lost.
    let summary = b.text("#error-summary").await;
    assert!(summary.contains("1处"), "one thing to fix: {summary}");
    let error = b.text("#applicant_id_number-error").await;
    assert!(error.contains("校验位"), "the ID number's error names the check digit: {error}");
    let field = b.el("#applicant_id_number").await;
    assert_eq!(field.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert_eq!(field.attr("aria-describedby").await.unwrap().as_deref(), Some("applicant_id_number-error"));
    assert_eq!(b.el("#applicant_name").await.prop("value").await.unwrap().as_deref(), Some(APPLICANT));
    assert_eq!(b.el("#claim0_amount").await.prop("value").await.unwrap().as_deref(), Some("8600"));
    assert_eq!(b.el("#employment_start").await.prop("value").await.unwrap().as_deref(), Some("2024-03-01"));
    b.check_page("apply-error").await;
    b.scroll_to("label[for=applicant_id_number]").await;
    b.shot("id-number-error").await;

    b.fill("#applicant_id_number", ID_NUMBER).await;
    b.click("#submit").await;
    assert_eq!(b.path().await, "/apply/registered", "post/redirect/get: a reload files nothing");
    let case_id = b.text("#case-id").await;
    let access_code = b.text("#access-code").await;
    assert!(!case_id.is_empty() && !access_code.is_empty());
    let track = b.text("#track").await;
    assert!(track.contains("小额速裁"), "a small wage claim goes down the green channel: {track}");
    b.check_page("registered").await;
    b.shot("registered").await;
    b.close().await;
    (case_id, access_code)
}

/// At a desk: the clerk accepts the case from the inbox (a second acceptance from another tab is
/// refused with a clear message). Returns the case number and the respondent's sign-in code, which
/// the clerk is shown once and which is printed on the respondent's notice.
async fn clerk_accepts(driver: &Driver, world: &World, server: &e2e::Server, case_id: &str) -> (String, String) {
    let mut b = Browser::open(driver, world, &server.base, "2-clerk", Screen::Desk).await;
    sign_in(&mut b, "clerk").await;
    b.check_page("inbox").await;
    b.shot("inbox").await;
    b.click(&format!("a[href='/staff/cases/{case_id}']")).await;
    b.check_page("case").await;

    // The same case open in a second tab, as when a clerk double-checks before deciding.
    let first = b.c.window().await.unwrap();
    let second = b.c.new_window(true).await.unwrap().handle;
    b.c.switch_to_window(second.clone()).await.unwrap();
    b.goto(&format!("/staff/cases/{case_id}")).await;
    b.c.switch_to_window(first).await.unwrap();

    b.click("#accept").await;
    let banner = b.body().await;
    assert!(banner.contains("已受理，案号已生成"), "accepted");
    let code =
        banner.split("网上登录码：").nth(1).and_then(|t| t.split('（').next()).expect("the respondent's code is shown once").to_string();
    let case_no = b.text("h1").await;
    assert!(case_no.contains("中劳人仲案字"), "the case number heads the page: {case_no}");
    b.shot("accepted").await;

    b.c.switch_to_window(second).await.unwrap();
    b.click("#accept").await;
    let refusal = b.body().await;
    assert!(refusal.contains("已受理"), "the second acceptance says why it is refused: {refusal}");
    b.check_page("accept-twice").await;
    b.shot("accept-twice-refused").await;
    b.c.close_window().await.unwrap();
    let tabs = b.c.windows().await.unwrap();
    b.c.switch_to_window(tabs[0].clone()).await.unwrap();
    b.goto(&format!("/staff/cases/{case_id}")).await;
    assert_eq!(b.text("h1").await, case_no, "no second case number");
    b.goto("/staff?status=accepted").await;
    assert_eq!(b.c.find_all(fantoccini::Locator::Css(&format!("a[href='/staff/cases/{case_id}']"))).await.unwrap().len(), 1);
    b.close().await;
    (case_no, code)
}

/// The clerk plans the hearings and sees this one. Returns the hearing's day.
async fn clerk_plans(driver: &Driver, world: &World, server: &e2e::Server, case_id: &str) -> String {
    let mut b = Browser::open(driver, world, &server.base, "4-clerk-plans", Screen::Desk).await;
    sign_in(&mut b, "clerk").await;
    b.goto("/staff/schedule").await;
    b.check_page("schedule").await;
    b.click("#plan").await;
    let planned = b.text("main").await;
    assert!(planned.contains("已排期：1 件"), "the one accepted case is planned: {planned}");
    b.check_page("planned").await;
    b.shot("planned").await;
    b.click(&format!("a[href='/staff/cases/{case_id}/hearing']")).await;
    let hearing = b.el(".card strong time").await.attr("datetime").await.unwrap().expect("the hearing's day as a date");
    b.check_page("hearing").await;
    b.shot("hearing").await;
    b.close().await;
    hearing
}

/// 2026-11-24 → 2026年11月24日, as the party pages write a day.
fn chinese(day: &str) -> String {
    let mut parts = day.split('-').map(|p| p.parse::<u32>().unwrap());
    let (y, m, d) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    format!("{y}年{m}月{d}日")
}

/// 2026年11月26日 → 2026-11-26.
fn iso(chinese: &str) -> String {
    let (y, rest) = chinese.split_once('年').unwrap();
    let (m, rest) = rest.split_once('月').unwrap();
    let d = rest.split('日').next().unwrap();
    format!("{y}-{:02}-{:02}", m.parse::<u32>().unwrap(), d.parse::<u32>().unwrap())
}

/// A party signs in from the home page with the case's reference and its code.
async fn party_sign_in(b: &mut Browser, case: &str, code: &str) {
    b.goto("/").await;
    b.click_link("当事人登录").await;
    b.check_page("party-sign-in").await;
    b.fill("#case", case).await;
    b.fill("#code", code).await;
    b.click("#lookup").await;
    assert_eq!(b.path().await, "/status/case", "signed in: {}", b.body().await);
}

/// The statuses of the services of a document kind to one side, oldest first (what the clerk's
/// ledger shows), read from the journeys' database.
async fn services_of(world: &World, kind: &str, role: &str) -> Vec<(String, String)> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&world.database_url).await.unwrap();
    let rows = sqlx::query_as(
        "SELECT s.channel, s.status FROM services s JOIN documents d ON d.id = s.document_id JOIN parties p ON p.id = s.party_id \
         WHERE d.kind = $1 AND p.role = $2 ORDER BY s.id",
    )
    .bind(kind)
    .bind(role)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

/// On the employer's phone: it signs in with the 案号 and the code from its notice, confirms its
/// address and takes service on the platform, opens the notice (which serves it), answers, waives
/// the defence period, and uploads a PDF and a photo. Returns the defence period's last day as
/// it stood before the waiver.
async fn respondent_answers_online(driver: &Driver, world: &World, server: &e2e::Server, case_no: &str, code: &str) -> String {
    let mut b = Browser::open(driver, world, &server.base, "3-respondent", Screen::Phone).await;
    party_sign_in(&mut b, case_no, code).await;
    assert!(b.body().await.contains("（被申请人）"), "signed in as the respondent");
    b.check_page("respondent-case").await;
    b.shot("case").await;

    b.el("#platform").await.click().await.unwrap();
    b.el("#simplified").await.click().await.unwrap();
    b.el("#mediation").await.click().await.unwrap();
    b.click("#submit-answers").await;
    assert!(b.text("#notice").await.contains("已确认"), "the confirmation is recorded");
    b.click_download("#documents a").await;
    let (name, pdf) = b.downloaded(".pdf").await;
    assert!(pdf.starts_with(b"%PDF-") && name.contains("应诉通知书"), "{name}");
    assert_eq!(services_of(world, "respondent_notice", "respondent").await.last().unwrap(), &("platform".into(), "delivered".into()));

    b.goto("/status/case").await;
    let period = b.text("#defence-form .hint").await;
    let defence_by = iso(period.split("答辩期至").nth(1).expect("the defence period's last day"));
    b.fill("#defence-text", "一、被申请人确认拖欠申请人2026年8—9月工资。\n二、因资金周转困难未能按时支付，愿意调解。").await;
    b.el("#waive").await.click().await.unwrap();
    b.click("#submit-defence").await;
    assert!(b.text("#notice").await.contains("已放弃答辩期"), "the waiver is recorded");
    b.check_page("defence-done").await;

    let dir = world.temp().join("evidence");
    std::fs::create_dir_all(&dir).unwrap();
    let pdf_path = dir.join("工资发放记录.pdf");
    std::fs::write(&pdf_path, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").unwrap();
    let png_path = dir.join("转账截图.png");
    std::fs::write(&png_path, PNG).unwrap();
    for (name, purpose, path) in [("工资发放记录", "证明已发放7月前工资", &pdf_path), ("转账截图", "证明已部分支付8月工资", &png_path)]
    {
        b.fill("#evidence-name", name).await;
        b.fill("#evidence-purpose", purpose).await;
        b.el("#evidence-file").await.send_keys(&path.display().to_string()).await.unwrap();
        b.click("#submit-evidence").await;
        assert!(b.text("#notice").await.contains("证据已上传"), "{name} is uploaded");
    }
    let list = b.text("#evidence + .scroll tbody").await;
    assert!(list.contains("工资发放记录") && list.contains("转账截图") && list.contains("待审查"), "{list}");
    b.check_page("evidence").await;
    b.scroll_to("#evidence").await;
    b.shot("evidence").await;
    b.close().await;
    defence_by
}

/// A 1×1 PNG, as a phone's photo would be one.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
    0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44,
    0xAE, 0x42, 0x60, 0x82,
];

/// Back on the employer's phone after planning: the hearing comes before the defence period
/// would have ended, which only the waiver allows, with the commission's address.
async fn respondent_sees_the_hearing_brought_forward(
    driver: &Driver,
    world: &World,
    server: &e2e::Server,
    case_no: &str,
    code: &str,
    hearing_day: &str,
    defence_by: &str,
) {
    let mut b = Browser::open(driver, world, &server.base, "5-respondent-hearing", Screen::Phone).await;
    party_sign_in(&mut b, case_no, code).await;
    let hearing = b.text("#hearing").await;
    assert!(hearing.contains(&chinese(hearing_day)), "the hearing's day {hearing_day}: {hearing}");
    assert!(hearing_day < defence_by, "the waiver brought the hearing ({hearing_day}) before the defence period's end ({defence_by})");
    assert!(b.text("#hearing-place").await.contains("中山市东区中山五路"), "the commission's address");
    b.check_page("respondent-hearing").await;
    b.scroll_to("#hearing").await;
    b.shot("hearing").await;
    b.close().await;
}

/// Back on the worker's phone: it signs in with the 案号, sees the hearing with the address and
/// what to bring, and downloads the hearing notice, which serves it.
async fn applicant_follows(driver: &Driver, world: &World, server: &e2e::Server, case_no: &str, code: &str, hearing_day: &str) {
    let mut b = Browser::open(driver, world, &server.base, "6-applicant-hearing", Screen::Phone).await;
    party_sign_in(&mut b, case_no, code).await;
    assert_eq!(b.text("#status").await, "已安排开庭", "the worker sees the case scheduled");
    let hearing = b.text("#hearing").await;
    assert!(hearing.contains(&chinese(hearing_day)) && hearing.contains("请带齐"), "the worker sees the hearing: {hearing}");
    assert!(b.text("#hearing-place").await.contains("中山市东区中山五路"), "the commission's address");
    b.check_page("applicant-case").await;
    b.shot("case").await;
    let started = std::time::Instant::now();
    while !b.body().await.contains("开庭通知书") {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the hearing notice reaches the worker's page");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        b.goto("/status/case").await;
    }
    b.c.find(fantoccini::Locator::XPath("//ul[@id='documents']//a[contains(., '开庭通知书')]")).await.unwrap().click().await.unwrap();
    let (name, pdf) = b.downloaded(".pdf").await;
    assert!(pdf.starts_with(b"%PDF-") && name.contains("开庭通知书"), "{name}");
    let served = services_of(world, "hearing_notice", "applicant").await;
    assert_eq!(served.last().unwrap(), &("platform".into(), "delivered".into()), "opening it served it: {served:?}");
    b.close().await;
}

/// After the award: the worker sees the outcome, downloads the award (which serves it), and then
/// reads the last day to sue.
async fn applicant_reads_the_award(driver: &Driver, world: &World, server: &e2e::Server, case_no: &str, code: &str) {
    let mut b = Browser::open(driver, world, &server.base, "8-applicant-award", Screen::Phone).await;
    party_sign_in(&mut b, case_no, code).await;
    assert!(b.text("#status").await.contains("已结案（裁决）"), "the outcome");
    b.c.find(fantoccini::Locator::XPath("//ul[@id='documents']//a[contains(., '裁决书')]")).await.unwrap().click().await.unwrap();
    let (name, pdf) = b.downloaded(".pdf").await;
    assert!(pdf.starts_with(b"%PDF-") && name.contains("裁决书"), "{name}");
    b.goto("/status/case").await;
    let rights = b.text("#rights").await;
    assert!(rights.contains("前（含当日）向人民法院起诉"), "the last day to sue, once served: {rights}");
    b.check_page("applicant-award").await;
    b.scroll_to("#rights").await;
    b.shot("award").await;
    b.close().await;
}

/// On the hearing's day: the arbitrator opens the docket, the case, records the hearing, issues
/// the award and downloads its PDF.
async fn arbitrator_hears_and_awards(driver: &Driver, world: &World, server: &e2e::Server, case_id: &str, day: &str) {
    let mut b = Browser::open(driver, world, &server.base, "7-arbitrator", Screen::Desk).await;
    sign_in(&mut b, "arbitrator").await;
    assert_eq!(b.path().await, "/staff/docket", "an arbitrator lands on its docket");
    assert!(b.text("table.board tbody").await.contains("今天"), "today's hearing is marked on the docket");
    b.check_page("docket").await;
    b.shot("docket").await;
    b.click(&format!("a[href='/staff/cases/{case_id}/hearing']")).await;
    b.check_page("hearing").await;
    assert_eq!(b.el("#hd_day").await.prop("value").await.unwrap().as_deref(), Some(day));
    b.fill("#hd_record", "双方到庭。申请人陈述被申请人拖欠2026年8—9月工资；被申请人确认欠薪事实，称资金周转困难。").await;
    b.click("#record-held").await;
    assert!(b.body().await.contains("已记录开庭"), "the hearing is recorded");
    b.shot("held").await;

    b.click("#to-award").await;
    b.check_page("award-form").await;
    b.fill(
        "#findings",
        "申请人于2024年3月1日入职被申请人处，月工资4300元，2026年9月30日离职。\n被申请人未支付申请人2026年8月至9月工资共8600元。",
    )
    .await;
    b.fill("#reasoning", "用人单位应当按时足额支付劳动者工资。被申请人拖欠申请人工资8600元，应予支付。").await;
    b.fill("#awarded_0", "8600").await;
    b.fill("#text_0", "被申请人于本裁决生效之日起五日内支付申请人2026年8月至9月工资8600元").await;
    assert_eq!(b.text("#finality_0").await, "终局", "the item is tagged as it will be classified");
    b.shot("award-form").await;
    // The preview opens the award as it would be issued (downloaded here), and issues nothing.
    b.el("#preview").await.click().await.unwrap();
    let (name, pdf) = b.take_download("未作出）.pdf").await;
    assert!(pdf.starts_with(b"%PDF-"), "{name} is a PDF");
    b.click("#issue").await;
    assert!(b.body().await.contains("裁决书已制作"), "the award is issued: {}", b.body().await);
    b.check_page("awarded").await;
    b.scroll_to("#documents").await;
    b.shot("awarded").await;
    b.c.find(fantoccini::Locator::XPath("//table//a[contains(., '裁决书')]"))
        .await
        .expect("the award in the case's documents")
        .click()
        .await
        .unwrap();
    let (name, pdf) = b.downloaded(".pdf").await;
    assert!(pdf.starts_with(b"%PDF-"), "{name} is a PDF");
    assert!(name.contains("award") && name.contains("中劳人仲案字"), "the file names the award and its case number: {name}");
    b.close().await;
}

/// The court liaison officer finds the case by the worker's name, downloads the bundle, and is
/// refused the arbitrator's award page.
/// The 卷宗's index (page 2) names, for its first part, the page on which the 仲裁申请书 stands.
fn case_file_pages_match_its_index(b: &Browser, pdf: &[u8]) {
    let path = b.downloads.join("case-file.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = |first: &str| {
        let out =
            std::process::Command::new("pdftotext").args(["-enc", "UTF-8", "-f", first, "-l", first]).arg(&path).arg("-").output().unwrap();
        String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect::<String>()
    };
    let index = text("2");
    let page = index.split("1．仲裁申请书……第").nth(1).and_then(|r| r.split('页').next()).expect("the index's first entry");
    assert!(text(page).contains("劳动人事争议仲裁申请书"), "page {page} holds the application: {index}");
}

async fn liaison_finds_and_downloads(driver: &Driver, world: &World, server: &e2e::Server, case_id: &str) {
    let mut b = Browser::open(driver, world, &server.base, "9-liaison", Screen::Desk).await;
    sign_in(&mut b, "liaison").await;
    b.goto("/staff/liaison").await;
    b.check_page("liaison").await;
    b.fill("#q", APPLICANT).await;
    b.click("form[action='/staff/liaison'] button").await;
    let results = b.text("#results tbody").await;
    assert!(results.contains(APPLICANT), "the case is found by the worker's name: {results}");
    assert_eq!(b.c.find_all(fantoccini::Locator::Css("#results tbody tr")).await.unwrap().len(), 1);
    b.check_page("liaison-results").await;
    b.shot("found").await;
    b.click_download(&format!("#results a[href='/staff/cases/{case_id}/bundle']")).await;
    let (name, zip) = b.downloaded(".zip").await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap_or_else(|e| panic!("{name} is a ZIP: {e}"));
    let mut manifest = String::new();
    archive.by_name("manifest.json").expect("the bundle's manifest").read_to_string(&mut manifest).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let kinds: Vec<&str> = manifest["documents"].as_array().unwrap().iter().filter_map(|d| d["kind"].as_str()).collect();
    assert!(kinds.contains(&"award_final"), "the award is in the bundle: {kinds:?}");
    let mut case_file = Vec::new();
    archive.by_name("case-file.pdf").expect("the combined case file is in the bundle").read_to_end(&mut case_file).unwrap();
    case_file_pages_match_its_index(&b, &case_file);

    // The same case found by its number as people type it: year and number, no prefix or brackets.
    let no = b.text("#results tbody tr td a").await;
    let digits: Vec<String> = no.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).map(str::to_string).collect();
    let typed = format!("{}第{}号", digits[0], digits[1]);
    b.goto("/staff/liaison").await;
    b.fill("#q", &typed).await;
    b.click("form[action='/staff/liaison'] button").await;
    assert_eq!(b.text("#results tbody tr td a").await, no, "{typed} finds {no}");

    b.goto(&format!("/staff/cases/{case_id}/award")).await;
    let refused = b.body().await;
    assert!(refused.contains("没有权限"), "the arbitrator's page is refused to liaison staff: {refused}");
    assert!(!b.has("form[action$='/award']").await, "no award form for liaison staff");
    b.check_page("refused").await;
    b.shot("arbitrator-page-refused").await;
    b.close().await;
}

/// The pages no journey passes through pass the same checks: the deadline board, the figures,
/// the access log (which now lists the liaison's downloads), the parties' requests, the case page
/// with the employer's evidence, a page that does not exist.
async fn pages_not_on_the_journeys(driver: &Driver, world: &World, server: &e2e::Server, case_id: &str) {
    let mut b = Browser::open(driver, world, &server.base, "10-admin", Screen::Desk).await;
    sign_in(&mut b, "admin").await;
    let case_page = format!("/staff/cases/{case_id}");
    for (path, name) in [
        ("/staff/deadlines", "deadlines"),
        ("/staff/stats", "figures"),
        ("/staff/access-log", "access-log"),
        ("/staff/requests", "party-requests"),
        ("/staff/admin", "admin"),
        (case_page.as_str(), "case-with-evidence"),
        ("/staff/no-such-page", "not-found"),
    ] {
        b.goto(path).await;
        b.check_page(name).await;
        b.shot(name).await;
    }
    b.goto("/staff/access-log").await;
    let log = b.text("main").await;
    assert!(log.contains("liaison"), "the liaison's downloads are in the access log: {log}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desk_journeys_sqlite() {
    let Some(_turn) = turn().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("desk.db").display());
    desk_journeys(World::new(url, artifacts("desk-sqlite"), dir)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desk_journeys_postgres() {
    let Some(_turn) = turn().await else { return };
    let (world, dropped) = postgres_world("desk-postgres").await;
    desk_journeys(world).await;
    dropped.await;
}

/// A resident ID number of a man born on 1 January 1990 with sequence `n`, its check digit
/// computed (GB 11643), so each worker of the desk journeys is a different person.
fn resident_id(n: u32) -> String {
    let body = format!("44200019900101{:03}", 2 * n + 1);
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{body}{}", ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize])
}

/// A worker's application: its name, its own ID number, and its claims (kind, amount, words).
fn desk_application(n: u32, name: &str, claims: &[(&str, &str, &str)]) -> serde_json::Value {
    let claims: Vec<serde_json::Value> =
        claims.iter().map(|(kind, amount, text)| serde_json::json!({"kind": kind, "amount": amount, "description": text})).collect();
    serde_json::json!({
        "applicants": [{"name": name, "id_number": resident_id(n), "phone": "13800138000", "address": "中山市石岐区民生路1号"}],
        "respondents": [{"name": "中山市某某电器有限公司", "credit_code": "91350100M000100Y43", "legal_representative": "李四", "address": "中山市火炬开发区"}],
        "claims": claims,
        "employment": {"start": "2024-03-01", "end": "2026-09-30", "monthly_wage": "4300.00"},
        "facts": "被申请人拖欠申请人工资，并违法解除劳动合同。",
        "consents": {"simplified": true, "informal_service": true}
    })
}

/// The case's hearing still to be held: its id, day and presiding arbitrator.
async fn planned_hearing(api: &e2e::Api, token: &str, case_id: &str) -> (i64, String, i64) {
    let case = api.ok("GET", &format!("/api/v1/cases/{case_id}"), Some(token), None).await;
    let h = case["hearings"].as_array().unwrap().iter().rev().find(|h| h["status"] == "planned").expect("a planned hearing").clone();
    (h["hearing_id"].as_i64().unwrap(), h["day"].as_str().unwrap().to_string(), h["arbitrator_ids"][0].as_i64().unwrap())
}

/// The staff's work beyond the first journey: four accepted cases (filed through the API); the
/// clerk plans them, prints the run's notices as one PDF, grants a worker's postponement from the
/// list of requests and confirms the re-planning after an arbitrator's leave; on the hearing day
/// the arbitrators issue a mediation statement and an element-style award, each after a preview;
/// and the court liaison officer finds the split award's final part by “2026第n-1号”.
async fn desk_journeys(world: World) {
    let driver = Driver::start(&world.artifacts.join("chromedriver.log")).await;
    for (name, role) in [("clerk", "clerk"), ("liaison", "liaison")] {
        world.add_user(name, role, None);
    }
    let server = world.serve(FILING_DAY).await;
    let api = e2e::Api::new(&server.base);
    let clerk = api.login("clerk").await;
    api.ok("POST", "/api/v1/rooms", Some(&clerk), Some(serde_json::json!({"name": "第一审理庭", "seats": 12}))).await;
    for name in ["欧阳明", "李慧珍"] {
        let body = serde_json::json!({"name": name, "presides": true});
        let id = api.ok("POST", "/api/v1/arbitrators", Some(&clerk), Some(body)).await["id"].as_i64().unwrap();
        world.add_user(&format!("arbitrator{id}"), "arbitrator", Some(id));
    }
    let wages = ("unpaid_wages", "8600.00", "被申请人支付2026年8月至9月工资");
    let damages = ("unlawful_termination_damages", "60000.00", "被申请人支付违法解除劳动合同赔偿金");
    let mut cases = Vec::new();
    for (n, (name, claims)) in [("陈海波", vec![wages]), ("刘丽芳", vec![wages]), ("黄志强", vec![wages]), ("梁晓红", vec![wages, damages])]
        .into_iter()
        .enumerate()
    {
        let filed = api.ok("POST", "/api/v1/cases", None, Some(desk_application(n as u32, name, &claims))).await;
        let id = filed["id"].as_str().unwrap().to_string();
        api.ok("POST", &format!("/api/v1/cases/{id}/accept"), Some(&clerk), None).await;
        cases.push((id, filed["access_code"].as_str().unwrap().to_string()));
    }
    clerk_plans_and_prints(&driver, &world, &server, cases.len()).await;
    let (postponed, code) = &cases[0];
    clerk_grants_a_postponement(&driver, &world, &server, &api, &clerk, postponed, code).await;
    clerk_confirms_a_replan_after_leave(&driver, &world, &server, &api, &clerk, postponed).await;

    // The other three are heard; the server moves on to the last of their days.
    let mut heard = Vec::new();
    for (id, _) in &cases[1..] {
        heard.push((id.clone(), planned_hearing(&api, &clerk, id).await));
    }
    let last_day = heard.iter().map(|(_, (_, day, _))| day.clone()).max().unwrap();
    drop(server);
    let server = world.serve(&last_day).await;
    let api = e2e::Api::new(&server.base);
    for (_, (hearing, day, arbitrator)) in &heard {
        let token = api.login(&format!("arbitrator{arbitrator}")).await;
        let held = serde_json::json!({"held_on": day, "record": "双方到庭，陈述意见。", "respondent_attended": true});
        api.ok("POST", &format!("/api/v1/hearings/{hearing}/held"), Some(&token), Some(held)).await;
    }
    let [(mediated, (_, _, a1)), (element, (_, _, a2)), (split, (_, _, a3))] = &heard[..] else { unreachable!() };
    arbitrator_issues_a_mediation_statement(&driver, &world, &server, mediated, *a1).await;
    arbitrator_issues_an_element_style_award(&driver, &world, &server, element, *a2).await;
    let token = api.login(&format!("arbitrator{a3}")).await;
    let award = serde_json::json!({
        "findings": "申请人于2024年3月1日入职被申请人处，月工资4300元，2026年9月30日被解除劳动合同。",
        "reasoning": "被申请人拖欠工资，且未能证明解除劳动合同的合法依据。",
        "items": [
            {"claim": 0, "awarded": "8600.00", "text": "被申请人于本裁决生效之日起五日内支付申请人2026年8月至9月工资8600元"},
            {"claim": 1, "awarded": "43000.00", "text": "被申请人于本裁决生效之日起五日内支付申请人违法解除劳动合同赔偿金43000元"}
        ],
        "dismiss_other_claims": true
    });
    let issued = api.ok("POST", &format!("/api/v1/cases/{split}/award"), Some(&token), Some(award)).await;
    let final_no = issued["documents"][0]["case_no"].as_str().unwrap().to_string();
    liaison_finds_a_split_award_by_its_own_number(&driver, &world, &server, split, &final_no).await;
}

/// The clerk plans every accepted case with one click, reads the result by 案号, and prints the
/// run's notices as one PDF.
async fn clerk_plans_and_prints(driver: &Driver, world: &World, server: &e2e::Server, accepted: usize) {
    let mut b = Browser::open(driver, world, &server.base, "1-clerk-plans", Screen::Desk).await;
    sign_in(&mut b, "clerk").await;
    b.goto("/staff/schedule").await;
    b.click("#plan").await;
    let planned = b.text("main").await;
    assert!(planned.contains(&format!("已排期：{accepted} 件")), "every accepted case is planned: {planned}");
    assert!(planned.contains("中劳人仲案字") && planned.contains("陈海波 诉"), "cases by 案号 and parties: {planned}");
    b.check_page("planned").await;
    b.shot("planned").await;
    b.click_download("#print-all").await;
    let (name, pdf) = b.take_download(".pdf").await;
    let path = b.downloads.join("notices.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
    let text: String = String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(text.matches("开庭通知书").count(), accepted, "{name}: one hearing notice per planned case");
    b.close().await;
}

/// A worker asks to postpone its hearing (from its own program); the clerk grants it from the list
/// of requests, and the hearing moves after its old day.
async fn clerk_grants_a_postponement(
    driver: &Driver,
    world: &World,
    server: &e2e::Server,
    api: &e2e::Api,
    clerk: &str,
    case_id: &str,
    code: &str,
) {
    let (_, old_day, _) = planned_hearing(api, clerk, case_id).await;
    let login = serde_json::json!({"case": case_id, "code": code});
    let party = api.ok("POST", "/api/v1/party/login", None, Some(login)).await["token"].as_str().unwrap().to_string();
    let ask = serde_json::json!({"kind": "postponement", "reason": "开庭当日需住院治疗，附住院通知单"});
    let id = api.ok("POST", &format!("/api/v1/cases/{case_id}/requests"), Some(&party), Some(ask)).await["id"].as_i64().unwrap();

    let mut b = Browser::open(driver, world, &server.base, "2-clerk-postpones", Screen::Desk).await;
    sign_in(&mut b, "clerk").await;
    b.goto("/staff/requests").await;
    let card = b.text(&format!("#postponement-{id}")).await;
    assert!(card.contains("中劳人仲案字") && card.contains("陈海波 诉") && card.contains("住院"), "the request names its case: {card}");
    b.check_page("requests").await;
    b.shot("requests").await;
    b.el(&format!("#pyes-{id}")).await.click().await.unwrap();
    b.fill(&format!("#pnote-{id}"), "已提交住院通知单").await;
    b.click(&format!("#postponement-{id} button")).await;
    assert!(b.body().await.contains("延期申请已决定"), "decided: {}", b.body().await);
    assert!(!b.has(&format!("#postponement-{id}")).await, "off the list once decided");
    b.check_page("postponed").await;
    b.shot("postponed").await;
    let (_, new_day, _) = planned_hearing(api, clerk, case_id).await;
    assert!(new_day > old_day, "the hearing moves after {old_day}: {new_day}");
    b.close().await;
}

/// The presiding arbitrator of a hearing takes leave on its day; the tribunal page proposes a
/// re-planning, the clerk confirms it, and the hearing is no longer with that arbitrator then.
async fn clerk_confirms_a_replan_after_leave(
    driver: &Driver,
    world: &World,
    server: &e2e::Server,
    api: &e2e::Api,
    clerk: &str,
    case_id: &str,
) {
    let (_, day, arbitrator) = planned_hearing(api, clerk, case_id).await;
    let mut b = Browser::open(driver, world, &server.base, "3-clerk-leave", Screen::Desk).await;
    sign_in(&mut b, "clerk").await;
    b.goto("/staff/tribunal").await;
    b.el("details:has(#lv_id) summary").await.click().await.unwrap();
    b.select("#lv_id", &arbitrator.to_string()).await;
    b.set_date("#lv_from", &day).await;
    b.set_date("#lv_to", &day).await;
    b.fill("#lv_reason", "病假").await;
    b.click("form[action='/staff/tribunal/leave'] button").await;
    let proposal = b.text("main").await;
    assert!(proposal.contains("改期方案") && proposal.contains("陈海波 诉"), "the affected hearing gets a proposal: {proposal}");
    b.check_page("leave-proposal").await;
    b.shot("leave-proposal").await;
    b.click("#confirm-replan").await;
    assert!(!b.body().await.contains("受影响的庭审："), "nothing left to re-plan: {}", b.body().await);
    b.check_page("replanned").await;
    b.shot("replanned").await;
    let (_, new_day, presiding) = planned_hearing(api, clerk, case_id).await;
    assert!(new_day != day || presiding != arbitrator, "the hearing left {arbitrator}'s day of leave: {new_day} with {presiding}");
    b.close().await;
}

/// The arbitrator who heard the case writes the mediation agreement, previews the statement and
/// issues it; the case is closed.
async fn arbitrator_issues_a_mediation_statement(driver: &Driver, world: &World, server: &e2e::Server, case_id: &str, arbitrator: i64) {
    let mut b = Browser::open(driver, world, &server.base, "4-arbitrator-mediates", Screen::Desk).await;
    sign_in(&mut b, &format!("arbitrator{arbitrator}")).await;
    b.goto(&format!("/staff/cases/{case_id}/mediation")).await;
    b.check_page("mediation-form").await;
    b.fill("#text_0", "被申请人于2026年12月31日前一次性支付申请人2026年8月至9月工资").await;
    b.fill("#awarded_0", "8000").await;
    b.shot("mediation-form").await;
    b.el("#preview").await.click().await.unwrap();
    let (name, pdf) = b.take_download("未作出）.pdf").await;
    assert!(pdf.starts_with(b"%PDF-") && name.contains("调解书"), "{name} is the statement's preview");
    b.click("#issue").await;
    assert!(b.body().await.contains("调解书已制作，案件已结案"), "issued: {}", b.body().await);
    b.check_page("mediated").await;
    b.shot("mediated").await;
    b.close().await;
}

/// The arbitrator switches the award form to the element style, which comes filled in from the
/// registration, marks the wage element disputed with its finding, previews and issues the award.
async fn arbitrator_issues_an_element_style_award(driver: &Driver, world: &World, server: &e2e::Server, case_id: &str, arbitrator: i64) {
    let mut b = Browser::open(driver, world, &server.base, "5-arbitrator-elements", Screen::Desk).await;
    sign_in(&mut b, &format!("arbitrator{arbitrator}")).await;
    b.goto(&format!("/staff/cases/{case_id}/award")).await;
    b.click("#to-element").await;
    b.check_page("element-form").await;
    let first = b.el("#el_name_0").await.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(first, "入职时间", "the elements come filled in from the registration");
    b.el("#el_disputed_0").await.click().await.unwrap();
    b.fill("#el_respondent_0", "被申请人称已口头告知入职时间为2024年4月。").await;
    b.fill("#el_finding_0", "依据劳动合同，入职时间为2024年3月1日。").await;
    // The claim's own element (after 入职时间, 离职时间 and 月工资标准) comes marked disputed.
    assert_eq!(b.el("#el_name_3").await.prop("value").await.unwrap().as_deref(), Some("拖欠工资"));
    b.fill("#el_respondent_3", "被申请人称资金周转困难，对欠薪数额无异议。").await;
    b.fill("#el_finding_3", "被申请人未支付2026年8月至9月工资共8600元。").await;
    b.fill("#awarded_0", "8600").await;
    b.fill("#text_0", "被申请人于本裁决生效之日起五日内支付申请人2026年8月至9月工资8600元").await;
    b.fill("#reasons_0", "用人单位应当按时足额支付劳动者工资。").await;
    b.shot("element-form").await;
    b.el("#preview").await.click().await.unwrap();
    let (name, pdf) = b.take_download("未作出）.pdf").await;
    assert!(pdf.starts_with(b"%PDF-"), "{name} is a PDF");
    b.click("#issue").await;
    assert!(b.body().await.contains("裁决书已制作"), "issued: {}", b.body().await);
    b.check_page("element-awarded").await;
    b.shot("element-awarded").await;
    b.close().await;
}

/// The court liaison officer types the final part's number as a court clerk would write it,
/// “2026第n-1号”, and finds the case.
async fn liaison_finds_a_split_award_by_its_own_number(
    driver: &Driver,
    world: &World,
    server: &e2e::Server,
    case_id: &str,
    final_no: &str,
) {
    let digits: Vec<&str> = final_no.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).collect();
    let typed = format!("{}第{}-{}号", digits[0], digits[1], digits[2]);
    let mut b = Browser::open(driver, world, &server.base, "6-liaison-split", Screen::Desk).await;
    sign_in(&mut b, "liaison").await;
    b.fill("#q", &typed).await;
    b.click("form[action='/staff/liaison'] button").await;
    assert_eq!(b.c.find_all(fantoccini::Locator::Css("#results tbody tr")).await.unwrap().len(), 1, "{typed}: one case");
    assert!(b.has(&format!("#results a[href='/staff/cases/{case_id}/bundle']")).await, "{typed} finds {final_no}");
    b.check_page("liaison-split").await;
    b.shot("found-by-part-number").await;
    b.close().await;
}
