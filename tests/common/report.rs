//! Figures a test wants seen (requests tried, faults injected): printed, and kept in
//! `target/test-reports/` so that CI can show them even though passing tests' output is
//! captured.

use std::path::PathBuf;

pub fn report(name: &str, text: &str) {
    println!("{name}: {text}");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-reports");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join(format!("{name}.txt")), format!("{text}\n"));
    }
}
