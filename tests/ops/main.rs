//! Operations (issue 9): the binary on its own, demo credentials, metrics scraped by a real
//! Prometheus, alert rules, failing deletions backing off, request IDs and JSON logs,
//! graceful shutdown and the deployment files. Most tests start the real binary as an
//! operator would.

#[path = "../common/mod.rs"]
mod common;
mod running;

mod assets;
mod backoff;
mod demo;
mod deploy;
mod logs;
mod metrics;
mod shutdown;

/// Whether this is a CI run, where tools that are skipped locally when missing must be there.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// `Some(path)` of a program on PATH; `None` with a note locally; a failure in CI.
pub fn required_tool(name: &str, package: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert!(
            !in_ci(),
            "`{name}` is missing in CI: .ci/run installs the `{package}` package"
        );
        eprintln!("note: skipping: `{name}` is not installed (Debian: apt-get install {package})");
    }
    found
}
