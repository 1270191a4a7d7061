//! The end-to-end test's machinery: `dengbao serve` on a fresh data dir, chromedriver on a
//! free port, headless Chromium sessions (one per user, each with its own fresh profile) and
//! the few browser actions the flow uses. Every process started here is killed by a `Drop`
//! guard, also when an assertion fails half way.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long any one wait (a process's line, an element, a text) may take.
const WAIT: Duration = Duration::from_secs(20);

/// The browser and its driver, found on PATH.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Chromium and chromedriver, or `None` (with the reason) when either is missing.
pub fn tools() -> Result<Tools, String> {
    let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"])
        .ok_or("no chromium on PATH (Debian: apt-get install chromium)")?;
    let chromedriver = on_path(&["chromedriver"])
        .ok_or("no chromedriver on PATH (Debian: apt-get install chromium-driver)")?;
    Ok(Tools {
        chromium,
        chromedriver,
    })
}

/// A child killed (with its whole process group, so chromedriver's browsers go too) and
/// reaped on drop.
struct Guarded(Child);

impl Drop for Guarded {
    fn drop(&mut self) {
        // The child leads its own process group (`process_group(0)` at spawn).
        let pgid = self.0.id() as i32;
        // SAFETY: kill(2) on the group this test created; no memory is involved.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Lines from a child's pipe, as they come (the pipe is drained until it closes).
fn lines(pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// The first line on `rx` that `pick` accepts, within [`WAIT`].
fn first_line<T>(rx: &mpsc::Receiver<String>, what: &str, pick: impl Fn(&str) -> Option<T>) -> T {
    let end = Instant::now() + WAIT;
    loop {
        let left = end.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some(v) = pick(&line) {
                    return v;
                }
            }
            Err(e) => panic!("no {what} within {WAIT:?}: {e}"),
        }
    }
}

/// `dengbao serve` on an empty data dir and a free port.
pub struct Server {
    _child: Guarded,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The one-time setup token printed on stderr.
    pub setup_token: String,
    _data_dir: tempfile::TempDir,
}

impl Server {
    pub fn start() -> Server {
        let data_dir = tempfile::tempdir().expect("a temp dir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_dengbao"))
            .arg("--data-dir")
            .arg(data_dir.path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("DENGBAO_DATABASE_URL")
            .env_remove("DENGBAO_DATA")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .expect("dengbao serve starts");
        let out = lines(child.stdout.take().expect("stdout piped"));
        let err = lines(child.stderr.take().expect("stderr piped"));
        let child = Guarded(child);
        let setup_token = first_line(&err, "setup token on stderr", |l| {
            let t = l.trim();
            (t.starts_with("dbs_") && !t.contains(' ')).then(|| t.to_string())
        });
        // The API line, in either language: `… http://127.0.0.1:PORT/api/`.
        let base = first_line(&out, "the API address on stdout", |l| {
            l.split_once("http://")
                .filter(|_| l.trim_end().ends_with("/api/"))
                .map(|(_, rest)| {
                    format!(
                        "http://{}",
                        rest.trim().trim_end_matches('/').trim_end_matches("/api")
                    )
                })
        });
        Server {
            _child: child,
            base,
            setup_token,
            _data_dir: data_dir,
        }
    }
}

/// chromedriver on a free port.
pub struct Driver {
    _child: Guarded,
    url: String,
    chromium: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Driver {
    pub fn start(tools: &Tools) -> Driver {
        let port = free_port();
        let mut child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let out = lines(child.stdout.take().expect("stdout piped"));
        let child = Guarded(child);
        first_line(&out, "chromedriver's start line", |l| {
            l.contains("started successfully").then_some(())
        });
        Driver {
            _child: child,
            url: format!("http://127.0.0.1:{port}"),
            chromium: tools.chromium.clone(),
        }
    }
}

/// Where screenshots go: `docs/screenshots/` with DENGBAO_SCREENSHOTS=1, else a temp dir.
pub struct Shots {
    pub dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Shots {
    pub fn new() -> Shots {
        if std::env::var("DENGBAO_SCREENSHOTS").as_deref() == Ok("1") {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
            std::fs::create_dir_all(&dir).expect("docs/screenshots");
            Shots { dir, _tmp: None }
        } else {
            let tmp = tempfile::tempdir().expect("a temp dir");
            Shots {
                dir: tmp.path().to_path_buf(),
                _tmp: Some(tmp),
            }
        }
    }
}

/// The window every screenshot is taken at.
pub const WINDOW: (u32, u32) = (1280, 900);

/// One person's browser: a WebDriver session on a fresh Chromium profile.
pub struct Browser {
    pub c: Client,
    base: String,
    shots: PathBuf,
    _profile: tempfile::TempDir,
}

/// Text a failure shows: the URL and the visible text of the page.
async fn page_dump(c: &Client) -> String {
    let url = c
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let body = match c.find(Locator::Css("body")).await {
        Ok(b) => b.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    format!("at {url}:\n{body}")
}

impl Browser {
    pub async fn open(driver: &Driver, server: &Server, shots: &Shots) -> Browser {
        let profile = tempfile::tempdir().expect("a profile dir");
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": driver.chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    format!("--window-size={},{}", WINDOW.0, WINDOW.1),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        });
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => unreachable!(),
        };
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a Chromium session from chromedriver");
        // The window includes the browser's own frame: grow it so the page gets exactly WINDOW.
        let inner = c
            .execute("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];", vec![])
            .await
            .expect("the window's frame");
        let frame = |i: usize| inner.get(i).and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        c.set_window_size(WINDOW.0 + frame(0), WINDOW.1 + frame(1))
            .await
            .expect("size the window");
        Browser {
            c,
            base: server.base.clone(),
            shots: shots.dir.clone(),
            _profile: profile,
        }
    }

    pub async fn fail(&self, what: &str) -> ! {
        panic!("{what}\n{}", page_dump(&self.c).await)
    }

    /// Opens a console path (`/networks`).
    pub async fn go(&self, path: &str) {
        if let Err(e) = self.c.goto(&format!("{}{path}", self.base)).await {
            self.fail(&format!("cannot open {path}: {e}")).await
        }
    }

    /// The element, waiting for it to appear.
    pub async fn el(&self, loc: Locator<'_>) -> fantoccini::elements::Element {
        match self.c.wait().at_most(WAIT).for_element(loc).await {
            Ok(e) => e,
            Err(e) => self.fail(&format!("no element {loc:?}: {e}")).await,
        }
    }

    /// Types `text` into the field with this id (cleared first).
    pub async fn fill(&self, id: &str, text: &str) {
        let e = self.el(Locator::Id(id)).await;
        e.clear().await.expect("clear a field");
        e.send_keys(text).await.expect("type into a field");
    }

    pub async fn click(&self, loc: Locator<'_>) {
        let e = self.el(loc).await;
        if let Err(err) = e.click().await {
            self.fail(&format!("cannot click {loc:?}: {err}")).await
        }
    }

    /// Picks the option with this value in the `<select>` with this id.
    pub async fn select(&self, id: &str, value: &str) {
        let e = self.el(Locator::Id(id)).await;
        if let Err(err) = e.select_by_value(value).await {
            self.fail(&format!("no option {value:?} in #{id}: {err}"))
                .await
        }
    }

    /// The element's visible text, once it contains `needle` (waits for it).
    pub async fn see(&self, loc: Locator<'_>, needle: &str) -> String {
        let end = Instant::now() + WAIT;
        let mut last = String::new();
        while Instant::now() < end {
            if let Ok(e) = self.c.find(loc).await {
                last = e.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.fail(&format!("{loc:?} never showed {needle:?} (last: {last:?})"))
            .await
    }

    /// The page's visible text now.
    pub async fn body_text(&self) -> String {
        match self.c.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// The path of the current page (`/networks/…`).
    pub async fn path(&self) -> String {
        self.c
            .current_url()
            .await
            .map(|u| u.path().to_string())
            .unwrap_or_default()
    }

    /// Saves a PNG of the window as `<name>.png`.
    pub async fn shot(&self, name: &str) {
        let png = self.c.screenshot().await.expect("a screenshot");
        let (w, h) = png_size(&png);
        assert_eq!((w, h), WINDOW, "screenshot {name} is {w}×{h}");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("write the screenshot");
    }

    pub async fn close(self) {
        let _ = self.c.close().await;
    }
}

/// A PNG's width and height (IHDR, bytes 16..24).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.len() > 24 && png.starts_with(b"\x89PNG"), "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

/// Chromium and its driver, or `None` after saying why the test is skipped (a failure when
/// `DENGBAO_TEST_REQUIRE_TOOLS=1`, as in CI).
pub fn tools_or_skip() -> Option<Tools> {
    match tools() {
        Ok(t) => Some(t),
        Err(why) => {
            if std::env::var("DENGBAO_TEST_REQUIRE_TOOLS").as_deref() == Ok("1") {
                panic!("DENGBAO_TEST_REQUIRE_TOOLS=1 but {why}");
            }
            eprintln!("SKIP e2e_console: {why}");
            None
        }
    }
}
