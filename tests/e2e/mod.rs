//! The browser tests' harness: the real `greenlane` binary on 127.0.0.1 over a fresh database,
//! Debian's Chromium driven through chromedriver, screenshots of each step, and the checks every
//! page must pass (axe-core's WCAG A/AA rules, `lang="zh-CN"`, no horizontal scrolling at 390 px).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

pub const PASSWORD: &str = "journey-password-1";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Set to `1` to skip the browser tests; without it a missing Chromium fails the run.
pub const SKIP_FLAG: &str = "GREENLANE_SKIP_BROWSER";

/// Whether the browser tests run: yes unless skipped by the explicit flag. A machine without
/// Chromium or chromedriver fails here with what to install, never silently.
pub fn wanted() -> bool {
    if std::env::var(SKIP_FLAG).is_ok_and(|v| v == "1") {
        eprintln!("browser journeys skipped: {SKIP_FLAG}=1");
        return false;
    }
    for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
        assert!(
            Path::new(path).exists(),
            "{path} is missing: install Debian's {package} (scripts/browser.sh does), or set {SKIP_FLAG}=1 to skip the browser tests"
        );
    }
    assert!(axe_path().exists(), "{} is missing: run scripts/browser.sh (npm ci in tests/e2e)", axe_path().display());
    true
}

fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/node_modules/axe-core/axe.min.js")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_for_port(port: u16, what: &str, child: &mut Child) {
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("{what} exited before listening on {port}: {status}");
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{what} did not listen on {port} within 30 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A child process that is killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The database a run uses, and where its files go.
pub struct World {
    pub database_url: String,
    /// Screenshots, downloads and the service's log.
    pub artifacts: PathBuf,
    _dir: tempfile::TempDir,
}

impl World {
    pub fn new(database_url: String, artifacts: PathBuf, dir: tempfile::TempDir) -> Self {
        let _ = std::fs::remove_dir_all(&artifacts);
        std::fs::create_dir_all(&artifacts).unwrap();
        Self { database_url, artifacts, _dir: dir }
    }

    pub fn temp(&self) -> &Path {
        self._dir.path()
    }

    fn command(&self, today: &str) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_greenlane"));
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("GREENLANE_DATABASE_URL", &self.database_url)
            .env("GREENLANE_TODAY", today)
            .env("GREENLANE_RATE_LIMIT_PER_MINUTE", "0")
            .env("GREENLANE_SCHEDULE_TIME_LIMIT_SECONDS", "1");
        cmd
    }

    /// `greenlane user add NAME --role ROLE [--arbitrator ID]`, as an administrator would run it.
    pub fn add_user(&self, name: &str, role: &str, arbitrator: Option<i64>) {
        let mut cmd = self.command("2026-01-01");
        cmd.args(["user", "add", name, "--role", role]).env("GREENLANE_PASSWORD", PASSWORD);
        if let Some(a) = arbitrator {
            cmd.args(["--arbitrator", &a.to_string()]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "user add {name}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// `greenlane serve` on a free port with the legal day fixed to `today`.
    pub async fn serve(&self, today: &str) -> Server {
        let port = free_port();
        let log = std::fs::File::create(self.artifacts.join(format!("service-{today}.log"))).unwrap();
        let mut child = self
            .command(today)
            .arg("serve")
            .env("GREENLANE_ADDR", format!("127.0.0.1:{port}"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start greenlane");
        wait_for_port(port, "greenlane serve", &mut child).await;
        Server { base: format!("http://127.0.0.1:{port}"), _child: Killed(child) }
    }
}

/// A running service.
pub struct Server {
    pub base: String,
    _child: Killed,
}

/// A chromedriver process; each browser session gets its own profile.
pub struct Driver {
    url: String,
    _child: Killed,
}

impl Driver {
    pub async fn start(log: &Path) -> Self {
        let port = free_port();
        let mut child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        wait_for_port(port, "chromedriver", &mut child).await;
        Self { url: format!("http://127.0.0.1:{port}"), _child: Killed(child) }
    }
}

/// A phone (390×844, touch, as Chromium's device emulation gives it) or a desk (1280×900).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Phone,
    Desk,
}

/// One person's browser, with the journey's screenshots numbered in order.
pub struct Browser {
    pub c: Client,
    pub base: String,
    pub downloads: PathBuf,
    shots: PathBuf,
    journey: String,
    step: u32,
    screen: Screen,
    axe: String,
}

impl Browser {
    pub async fn open(driver: &Driver, world: &World, base: &str, journey: &str, screen: Screen) -> Self {
        let profile = world.temp().join(format!("profile-{journey}"));
        let downloads = world.artifacts.join(format!("downloads-{journey}"));
        std::fs::create_dir_all(&downloads).unwrap();
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--lang=zh-CN".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut options = json!({
            "binary": CHROMIUM,
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "plugins.always_open_pdf_externally": true,
                "intl.accept_languages": "zh-CN,zh",
            },
        });
        match screen {
            Screen::Phone => {
                options["mobileEmulation"] = json!({"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2, "touch": true}});
            }
            Screen::Desk => args.push("--window-size=1280,900".into()),
        }
        options["args"] = json!(args);
        let caps = json!({"browserName": "chrome", "goog:chromeOptions": options});
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.as_object().unwrap().clone())
            .connect(&driver.url)
            .await
            .expect("a Chromium session through chromedriver");
        let shots = world.artifacts.clone();
        let axe = std::fs::read_to_string(axe_path()).unwrap();
        Self { c, base: base.to_string(), downloads, shots, journey: journey.to_string(), step: 0, screen, axe }
    }

    pub async fn goto(&mut self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    pub async fn path(&self) -> String {
        let url = self.c.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    pub async fn el(&self, css: &str) -> fantoccini::elements::Element {
        self.c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no element {css}: {e}", self.journey))
    }

    pub async fn text(&self, css: &str) -> String {
        self.el(css).await.text().await.unwrap()
    }

    /// The page's visible text.
    pub async fn body(&self) -> String {
        self.text("body").await
    }

    pub async fn has(&self, css: &str) -> bool {
        !self.c.find_all(Locator::Css(css)).await.unwrap().is_empty()
    }

    /// Types into a field as a person would, after clearing it.
    pub async fn fill(&self, css: &str, value: &str) {
        let e = self.el(css).await;
        e.clear().await.unwrap();
        e.send_keys(value).await.unwrap();
    }

    /// Sets a date field. Chromium's date control takes keystrokes in the order of the locale's
    /// format, not ISO dates, so the value is set as the picker would set it.
    pub async fn set_date(&self, css: &str, value: &str) {
        let e = self.el(css).await;
        let arg = serde_json::to_value(&e).unwrap();
        self.c
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                vec![arg, json!(value)],
            )
            .await
            .unwrap();
    }

    /// Scrolls the element to the top of the screen (for the screenshot that follows).
    pub async fn scroll_to(&self, css: &str) {
        let arg = serde_json::to_value(self.el(css).await).unwrap();
        self.c.execute("arguments[0].scrollIntoView()", vec![arg]).await.unwrap();
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.el(css).await.select_by_value(value).await.unwrap();
    }

    /// Clicks what leads to another page, and waits until that page has loaded.
    pub async fn click(&self, css: &str) {
        let e = self.el(css).await;
        self.navigating(e, css).await;
    }

    pub async fn click_link(&self, text: &str) {
        let e = self.link(text).await;
        self.navigating(e, text).await;
    }

    /// Clicks a link that downloads a file (the page stays).
    pub async fn click_download(&self, css: &str) {
        self.el(css).await.click().await.unwrap_or_else(|err| panic!("{}: click {css}: {err}", self.journey));
    }

    async fn link(&self, text: &str) -> fantoccini::elements::Element {
        self.c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("{}: no link “{text}”: {e}", self.journey))
    }

    /// The old page is marked before the click; the wait ends when a page without the mark has loaded.
    async fn navigating(&self, e: fantoccini::elements::Element, what: &str) {
        self.c.execute("window.__greenlaneOld = true", vec![]).await.unwrap();
        e.click().await.unwrap_or_else(|err| panic!("{}: click {what}: {err}", self.journey));
        let started = Instant::now();
        loop {
            let loaded = self.c.execute("return !window.__greenlaneOld && document.readyState === 'complete'", vec![]).await;
            if loaded.is_ok_and(|v| v == Value::Bool(true)) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{}: no new page after clicking {what}", self.journey);
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }

    /// Saves a screenshot of this step as `NN-journey-name.png`.
    pub async fn shot(&mut self, name: &str) {
        self.step += 1;
        let png = self.c.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{}-{:02}-{name}.png", self.journey, self.step)), png).unwrap();
    }

    /// The checks every page passes: axe-core's WCAG 2.1 A and AA rules (labels, image text,
    /// contrast, names of buttons and links, document title, …), `lang="zh-CN"`, and no
    /// horizontal scrolling at 390 px (a desk browser is narrowed to 390 px for that check).
    pub async fn check_page(&mut self, name: &str) {
        let problems = self.problems(name).await;
        assert!(problems.is_empty(), "{}: {}", self.path().await, problems.join("\n"));
    }

    /// What [`Browser::check_page`] finds wrong with the current page, one line each.
    pub async fn problems(&mut self, name: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let lang = self.c.execute("return document.documentElement.lang", vec![]).await.unwrap();
        if lang != "zh-CN" {
            problems.push(format!("the page's language is {lang}, not zh-CN"));
        }
        let script = format!(
            "{}\n;const done = arguments[arguments.length - 1];\
             axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}, resultTypes: ['violations']}})\
               .then(r => done(r.violations.map(v => v.id + ' (' + v.help + '): ' + v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\n/g, ' ')).join(' | '))))\
               .catch(e => done(['axe failed: ' + e]));",
            self.axe
        );
        let violations: Vec<String> = serde_json::from_value(self.c.execute_async(&script, vec![]).await.unwrap()).unwrap();
        problems.extend(violations);
        if self.screen == Screen::Desk {
            self.c.set_window_size(390, 844).await.unwrap();
        }
        // The widths, and the outermost elements that reach past the screen's right edge (with
        // a table's widest cells, which are what usually widen it).
        let widths = self
            .c
            .execute(
                "const w = document.documentElement.clientWidth;\
                 const wide = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > w + 1)\
                   .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= w + 1)\
                   .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().width) + 'px'\
                     + [...e.querySelectorAll('td, th')].filter(c => c.getBoundingClientRect().width > 120).slice(0, 3).map(c => ' [' + Math.round(c.getBoundingClientRect().width) + 'px: ' + c.textContent.trim().slice(0, 40) + ']').join(''));\
                 return [document.documentElement.scrollWidth, w, window.innerWidth, wide]",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, client, inner) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap(), widths[2].as_i64().unwrap());
        if self.screen == Screen::Desk {
            self.step += 1;
            let png = self.c.screenshot().await.unwrap();
            std::fs::write(self.shots.join(format!("{}-{:02}-{name}-390px.png", self.journey, self.step)), png).unwrap();
            self.c.set_window_size(1280, 900).await.unwrap();
        }
        if inner > 400 {
            problems.push(format!("the narrow check ran {inner} px wide, not 390"));
        }
        if scroll > client {
            problems.push(format!("scrolls sideways at 390 px ({scroll} px of content in {client} px): {}", widths[3]));
        }
        problems
    }

    /// Waits for a downloaded file whose name ends with `suffix` to be complete; returns its bytes.
    pub async fn downloaded(&self, suffix: &str) -> (String, Vec<u8>) {
        let started = Instant::now();
        loop {
            let found = std::fs::read_dir(&self.downloads)
                .unwrap()
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().to_string())
                .find(|n| n.ends_with(suffix));
            // Complete when it has bytes and their count held over one more poll (Chrome may show
            // the final name before the last write lands).
            if let Some(name) = found {
                let path = self.downloads.join(&name);
                let before = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                tokio::time::sleep(Duration::from_millis(150)).await;
                let after = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                if before > 0 && before == after {
                    return (name.clone(), std::fs::read(&path).unwrap());
                }
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{}: no {suffix} download in {}", self.journey, self.downloads.display());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// [`Self::downloaded`], then the file is removed, so a later download of the same kind is
    /// not mistaken for it.
    pub async fn take_download(&self, suffix: &str) -> (String, Vec<u8>) {
        let (name, bytes) = self.downloaded(suffix).await;
        std::fs::remove_file(self.downloads.join(&name)).unwrap();
        (name, bytes)
    }

    pub async fn close(self) {
        self.c.close().await.unwrap();
    }
}

/// The service's JSON API over loopback, for the setup a journey does not watch (cases filed and
/// accepted, a party's request), as the parties' and staff's own programs would call it.
pub struct Api {
    base: String,
    client:
        hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, http_body_util::Full<hyper::body::Bytes>>,
}

impl Api {
    pub fn new(base: &str) -> Self {
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
        Api { base: base.to_string(), client }
    }

    /// Calls `method path` with a bearer token and a JSON body; the status and the JSON answer.
    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        use http_body_util::BodyExt;
        let mut req =
            hyper::Request::builder().method(method).uri(format!("{}{path}", self.base)).header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let res = self.client.request(req.body(http_body_util::Full::new(body.into())).unwrap()).await.expect("the service answers");
        let status = res.status().as_u16();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into())))
    }

    /// Like [`Api::call`], and the call must succeed (2xx); the JSON answer.
    pub async fn ok(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Value {
        let (status, answer) = self.call(method, path, token, body).await;
        assert!((200..300).contains(&status), "{method} {path}: {status} {answer}");
        answer
    }

    /// A staff account's bearer token.
    pub async fn login(&self, user: &str) -> String {
        let a = self.ok("POST", "/api/v1/login", None, Some(json!({"username": user, "password": PASSWORD}))).await;
        a["token"].as_str().expect("a token").to_string()
    }
}
