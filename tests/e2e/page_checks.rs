//! The checks every captured page passes: axe-core finds no WCAG 2.1 A/AA violation, and
//! html-validate finds no problem in its markup. Both come from `tests/e2e/tools`, installed
//! from the committed lockfile once per checkout.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use fantoccini::Client;

fn tools() -> &'static Path {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/tools");
        if !dir.join("node_modules/axe-core/axe.min.js").exists() {
            let status = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir)
                .status()
                .expect("npm runs (CI installs Node)");
            assert!(status.success(), "npm ci in tests/e2e/tools");
        }
        dir
    })
}

/// axe-core's rules for WCAG 2.0 and 2.1, levels A and AA, run in the page as it is now.
pub async fn assert_accessible(client: &Client, name: &str) {
    static AXE: OnceLock<String> = OnceLock::new();
    let axe = AXE.get_or_init(|| {
        std::fs::read_to_string(tools().join("node_modules/axe-core/axe.min.js"))
            .expect("axe-core is installed")
    });
    client.execute(axe, vec![]).await.expect("load axe-core");
    let violations = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
              .then((result) => done(result.violations.map((v) =>
                `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)))
              .catch((error) => done([`axe-core failed: ${error}`]));"#,
            vec![],
        )
        .await
        .expect("run axe-core");
    let violations: Vec<String> = serde_json::from_value(violations).expect("a list");
    assert!(
        violations.is_empty(),
        "{name}: axe-core finds WCAG 2.1 AA violations:\n{}",
        violations.join("\n")
    );
}

/// The page's markup (as the browser holds it) passes html-validate; it is kept next to
/// the screenshots as `<name>.html`.
pub async fn assert_valid_html(client: &Client, name: &str, dir: &Path) {
    let markup = client
        .execute(
            "return '<!doctype html>\\n' + document.documentElement.outerHTML;",
            vec![],
        )
        .await
        .expect("read the page");
    let file = dir.join(format!("{name}.html"));
    std::fs::write(&file, markup.as_str().expect("text")).expect("write the page");
    let output = Command::new("node")
        .arg(tools().join("check-html.js"))
        .arg(&file)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{name}: html-validate finds problems:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
