//! Schemathesis (pinned in `tests/schemathesis/requirements.txt`) against the Admin API of
//! a server on real PostgreSQL, from the served OpenAPI document: every check, every phase
//! (examples, coverage, fuzzing, and the stateful phase that follows the document's links
//! from the identity list to starting, reading and cancelling a process), a fixed seed, once
//! with an administrator's key and once with an auditor's. It must find nothing.
//!
//! `tests/schemathesis/schemathesis.toml` says why one check also expects 400 from two
//! operations (a domain rule's refusal is a 400 on the API, for the platform's client).
//!
//! Without `schemathesis` on the PATH (or in `SCHEMATHESIS`) the test is skipped with a
//! note, except in CI (`CI` set), where `.ci/run` installs it and a skip would hide a gap.

mod common;

use std::path::PathBuf;
use std::process::Command;

use crate::common::admin_name;
use backbone_admin::domain::accounts::{ApiKeyLifetime, ApiKeyLimit, ApiKeyName, Role};
use common::app::*;

/// The schemathesis program, if there is one.
fn schemathesis() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SCHEMATHESIS") {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("schemathesis"))
            .find(|candidate| candidate.is_file())
    })
}

fn key(app: &TestApp, username: &str) -> String {
    app.core
        .api_keys()
        .create_from_command_line(
            &admin_name(username),
            &ApiKeyName::parse("schemathesis").unwrap(),
            ApiKeyLifetime::default(),
        )
        .unwrap()
        .secret
        .expose()
        .to_owned()
}

/// Identities for the stateful phase to find: some without a process, some with an
/// approved one (so that a cancel can succeed), one with a waiting one.
fn seed(app: &TestApp) {
    for i in 0..6 {
        let owner = app.create_owner(&format!("fuzz-owner-{i}"));
        if i % 3 == 1 {
            let process = app
                .core
                .processes()
                .start_as_support(&owner.address, &admin_username())
                .unwrap();
            if i == 1 {
                app.core
                    .processes()
                    .approve(&owner.owner(), &process.id)
                    .unwrap();
            }
        }
    }
}

/// Runs schemathesis with `key`; returns whether it passed, and its output.
fn run(program: &PathBuf, app: &TestApp, key: &str, name: &str) -> (bool, String) {
    let reports = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("schemathesis-{name}"));
    std::fs::create_dir_all(&reports).expect("report dir");
    let output = Command::new(program)
        // Its caches go there too, not into the source tree.
        .current_dir(&reports)
        // Global options first.
        .arg("--config-file")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/schemathesis/schemathesis.toml"
        ))
        .arg("run")
        .arg(app.url("/docs/v1/openapi.json"))
        .args(["--url", &app.address])
        .args(["--header", &format!("X-API-KEY: {key}")])
        .args(["--include-path-regex", "^/admin/api/v1/"])
        .args(["--checks", "all"])
        .args(["--phases", "examples,coverage,fuzzing,stateful"])
        .args(["--seed", "20261206"])
        .args(["--max-examples", "25"])
        .args(["--workers", "1"])
        .args(["--generation-database", "none"])
        .arg("--no-color")
        .arg("--report-dir")
        .arg(&reports)
        .output()
        .expect("schemathesis runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn schemathesis_finds_nothing_with_an_administrator_key_and_an_auditor_key() {
    let Some(program) = schemathesis() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "schemathesis is not installed; .ci/run installs tests/schemathesis/requirements.txt"
        );
        eprintln!(
            "note: schemathesis not found; skipped (pip install -r tests/schemathesis/requirements.txt)"
        );
        return;
    };
    // The per-key limit would answer 429 to the fuzzer's bursts; it has its own test.
    let app = spawn_app_adjusted(|core| core.with_api_key_limit(ApiKeyLimit::new(1_000_000)));
    seed(&app);
    app.core
        .accounts()
        .create_admin_with_role(
            &admin_name("fuzz-auditor"),
            Role::Auditor,
            "plinth gravel otter saxophone",
        )
        .unwrap();
    let processes = |app: &TestApp| {
        app.core
            .processes()
            .list_processes(None, None, 500)
            .unwrap()
            .items
            .len()
    };
    let seeded = processes(&app);
    for (name, username) in [("administrator", ADMIN), ("auditor", "fuzz-auditor")] {
        let (passed, output) = run(&program, &app, &key(&app, username), name);
        assert!(passed, "schemathesis with the {name} key:\n{output}");
        assert!(!output.contains("FAILURES"), "{name}:\n{output}");
        // Every phase ran and passed; the stateful one is the start -> get -> cancel chain.
        for phase in ["Coverage", "Fuzzing", "Stateful"] {
            assert!(
                output.contains(&format!("✅ {phase}")),
                "{phase} ({name}):\n{output}"
            );
        }
        let summary = output.split("SUMMARY").nth(1).unwrap_or(&output);
        eprintln!("schemathesis ({name}):{summary}");
        if name == "administrator" {
            // The stateful phase followed the links from the list to starting processes.
            assert!(processes(&app) > seeded, "no process was started");
        }
    }
}
