//! The binary runs alone: copied into an empty directory it serves complete pages, with the
//! stylesheet embedded and cacheable; and it holds no path of the machine it was built on.

use std::time::Duration;

use reqwest::StatusCode;

use crate::common::app::browser;
use crate::common::fresh_database;
use crate::running::{TempDir, binary, serve};

const STYLESHEET: &str = include_str!("../../static/app.css");

/// `href` of the page's stylesheet link.
fn stylesheet_href(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("link[rel=stylesheet]").unwrap();
    document
        .select(&selector)
        .next()
        .and_then(|link| link.value().attr("href"))
        .expect("the page links a stylesheet")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_binary_copied_alone_into_an_empty_directory_serves_pages_with_their_stylesheet() {
    let db = fresh_database();
    let dir = TempDir::new("alone");
    let copy = dir.path().join("backbone-admin");
    std::fs::copy(binary(), &copy).expect("copy the binary");
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "the directory holds only the binary");

    let mut app = serve(&copy, dir.path(), &[("DATABASE_URL", &db.url)]);
    let client = browser();
    let page = app.get(&client, "/admin/login").await;
    assert_eq!(page.status(), StatusCode::OK);
    let href = stylesheet_href(&page.text().await.unwrap());
    assert!(
        href.starts_with("/static/app.") && href.ends_with(".css") && href != "/static/app.css",
        "the page links the stylesheet by its content hash: {href}"
    );

    let css = app.get(&client, &href).await;
    assert_eq!(css.status(), StatusCode::OK);
    let header = |name: &str| {
        css.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("text/css"));
    assert!(
        header("cache-control").contains("immutable"),
        "hashed URL is immutable"
    );
    assert!(header("cache-control").contains("max-age=31536000"));
    let etag = header("etag");
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "strong ETag: {etag}"
    );
    assert_eq!(
        css.text().await.unwrap(),
        STYLESHEET,
        "the CSS is the one in static/"
    );

    // The plain name revalidates: 304 with the same ETag, no body.
    let plain = app.get(&client, "/static/app.css").await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(
        plain.headers()["cache-control"].to_str().unwrap(),
        "public, no-cache"
    );
    assert_eq!(plain.headers()["etag"].to_str().unwrap(), etag);
    for path in ["/static/app.css", href.as_str()] {
        let again = client
            .get(app.url(path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.bytes().await.unwrap().is_empty());
    }
    // A stale hash (a page of an older version) gets today's file, but not for a year.
    let stale = app.get(&client, "/static/app.0000000000000000.css").await;
    assert_eq!(stale.status(), StatusCode::OK);
    assert_eq!(
        stale.headers()["cache-control"].to_str().unwrap(),
        "public, no-cache"
    );
    assert_eq!(
        app.get(&client, "/static/missing.css").await.status(),
        StatusCode::NOT_FOUND
    );

    app.stop(Duration::from_secs(30));
    // The only things it wrote in its working directory: its two keys under `.data`.
    let mut written: Vec<String> = walk(dir.path());
    written.sort();
    assert_eq!(
        written,
        [
            ".data/receipt-signing-key",
            ".data/session-key",
            "backbone-admin"
        ]
    );
    use std::os::unix::fs::PermissionsExt;
    for key in [".data/receipt-signing-key", ".data/session-key"] {
        let mode = std::fs::metadata(dir.path().join(key))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{key} is readable by its owner only");
    }
}

fn walk(root: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found
}

/// What counts as a path of the build machine: where the sources are (and the target
/// directory under them), and where Cargo keeps the dependencies' sources, whose file names
/// rustc writes into panic messages and debug information. `.cargo/config.toml` runs rustc
/// through `.cargo/remap-paths`, which rewrites all of them.
#[test]
fn the_binary_holds_no_path_of_the_build_machine() {
    let bytes = std::fs::read(binary()).expect("read the binary");
    let contains = |needle: &str| memchr::memmem::find(&bytes, needle.as_bytes()).is_some();

    let sources = env!("CARGO_MANIFEST_DIR");
    assert!(
        !contains(sources),
        "the binary names the source directory {sources}"
    );
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_string_lossy()
        .into_owned();
    assert!(
        !contains(&target),
        "the binary names the target directory {target}"
    );

    let cargo_home = std::env::var("CARGO_HOME")
        .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
    let registry = format!("{cargo_home}/registry");
    if contains(&registry) {
        // Only a target directory whose dependencies were compiled before the remapping
        // was set up; a fresh build (CI clones afresh) must not contain any.
        assert!(
            !crate::in_ci(),
            "the binary names Cargo's registry {registry} (RUSTC_WRAPPER set in the \
             environment overrides .cargo/config.toml)"
        );
        eprintln!(
            "note: the binary names {registry}: the dependencies in this target directory \
             were compiled before .cargo/config.toml remapped paths; `cargo clean` rebuilds them"
        );
    }
}
