//! Headless Chromium over WebDriver (Debian's `chromium` and `chromium-driver`): one
//! chromedriver per test binary, one browser (own profile, own cookies) per session.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

pub const DESKTOP: (u32, u32) = (1280, 900);
pub const NARROW: (u32, u32) = (390, 844);

struct Driver {
    port: u16,
    _child: Child,
}

/// Where screenshots go: `target/e2e/`.
pub fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e")
}

/// Whether the browser tests can run here; in CI they must.
pub fn available() -> bool {
    let found = std::path::Path::new("/usr/bin/chromedriver").exists()
        && std::path::Path::new("/usr/bin/chromium").exists();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and chromium-driver (.ci/run does)"
        );
        eprintln!("note: chromium/chromedriver not installed; skipping the browser tests");
    }
    found
}

fn driver() -> &'static Driver {
    static DRIVER: OnceLock<Driver> = OnceLock::new();
    DRIVER.get_or_init(|| {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        // chromedriver stays until the test binary exits; kill it then (by its PID).
        let pid = child.id();
        watch_and_kill(pid);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            port,
            _child: child,
        }
    })
}

/// A detached watcher that kills chromedriver (and its browsers) when this process is gone.
fn watch_and_kill(pid: u32) {
    let me = std::process::id();
    let script = format!(
        "while kill -0 {me} 2>/dev/null; do sleep 1; done; pkill -P {pid}; kill {pid} 2>/dev/null"
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

/// A new headless browser with its own empty profile (so cookies are never shared).
pub async fn open(size: (u32, u32)) -> Client {
    let profile = std::env::temp_dir().join(format!(
        "bb-e2e-{}-{}",
        std::process::id(),
        rand::random::<u64>()
    ));
    let args = [
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--hide-scrollbars".to_owned(),
        format!("--window-size={},{}", size.0, size.1),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }),
    );
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver().port))
        .await
        .expect("a browser session");
    client
        .set_window_size(size.0, size.1)
        .await
        .expect("window size");
    client
}

/// Saves a screenshot at both widths and checks that the main content never scrolls
/// sideways at either, that axe-core finds no WCAG 2.1 AA violation and that the markup
/// is valid.
pub async fn capture(client: &Client, name: &str) {
    std::fs::create_dir_all(screenshot_dir()).expect("screenshot dir");
    for (label, (width, height)) in [("desktop", DESKTOP), ("narrow", NARROW)] {
        client.set_window_size(width, height).await.expect("resize");
        let overflow = client
            .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
            .await
            .expect("measure");
        assert!(
            overflow.as_i64().unwrap_or(0) <= 0,
            "{name}: page scrolls sideways at {width}px by {overflow}px"
        );
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(screenshot_dir().join(format!("{name}-{label}.png")), png)
            .expect("write screenshot");
    }
    client
        .set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .expect("resize back");
    super::page_checks::assert_accessible(client, name).await;
    super::page_checks::assert_valid_html(client, name, &screenshot_dir()).await;
}

pub async fn fill(client: &Client, css: &str, text: &str) {
    let field = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

/// Clicks what leads to another page and waits until that page has loaded (a slow sign-in
/// on a busy machine must not be mistaken for a refused one).
pub async fn click(client: &Client, css: &str) {
    let element = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    navigate_by(client, element).await;
}

async fn navigate_by(client: &Client, element: fantoccini::elements::Element) {
    client
        .execute("window.__bbOldPage = true;", vec![])
        .await
        .expect("mark the page");
    element.click().await.expect("click");
    for _ in 0..300 {
        let loaded = client
            .execute(
                "return !window.__bbOldPage && document.readyState === 'complete';",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if loaded {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the click did not lead to a new page within 30 s");
}

/// Clicks the first button or link whose text contains `text`.
pub async fn click_text(client: &Client, text: &str) {
    let xpath = format!(
        "//*[self::button or self::a or self::input[@type='submit']][contains(normalize-space(.), '{text}') or contains(@value, '{text}')]"
    );
    let element = client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no button or link '{text}': {e}"));
    navigate_by(client, element).await;
}

pub async fn body_text(client: &Client) -> String {
    client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text")
}
