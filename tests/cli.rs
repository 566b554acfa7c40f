//! The command line against a real database: accounts, the demo seed and `jobs --now`.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::fresh_database;

fn run(url: &str, data_dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backbone-admin"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("binary finishes")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn accounts_demo_seed_and_jobs_from_the_command_line() {
    let db = fresh_database();
    let data = std::env::temp_dir().join(format!("bb-cli-{}", std::process::id()));

    assert!(stdout(&run(&db.url, &data, &["migrate"], "")).contains("up to date"));
    let create_admin = |password: &str, role: &[&str]| {
        let mut args = vec!["create-admin", "--username", "alice", "--password-stdin"];
        args.extend_from_slice(role);
        run(&db.url, &data, &args, &format!("{password}\n"))
    };
    // Weak passwords are refused with the reason (`docs/security.md`).
    for (weak, reason) in [
        ("password", "at least 12"),
        ("admin-admin-admin", "too easy to guess"),
        ("alice2024202420", "username"),
        ("x7#Lq9!vRt2", "at least 12"),
    ] {
        let refused = create_admin(weak, &[]);
        assert!(!refused.status.success(), "{weak} accepted");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(reason), "{weak}: {stderr}");
    }
    let bad_role = create_admin("velvet tractor anthem glacier", &["--role", "root"]);
    assert!(!bad_role.status.success());
    let created = stdout(&create_admin(
        "velvet tractor anthem glacier",
        &["--role", "support"],
    ));
    assert!(
        created.contains("Admin 'alice' created (role support)"),
        "{created}"
    );
    let duplicate = create_admin("velvet tractor anthem glacier", &[]);
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));

    let identity = stdout(&run(
        &db.url,
        &data,
        &["create-identity", "--username", "bob", "--password-stdin"],
        "bobs-password\n",
    ));
    assert!(identity.contains("did:e:localhost:dids:"), "{identity}");
    assert!(identity.contains("DVC"), "{identity}");

    // OAuth clients of the Consumer API: the secret from standard input, 32+ characters.
    let client = |secret: &str, extra: &[&str]| {
        let mut args = vec![
            "create-client",
            "--client-id",
            "cli-app",
            "--client-secret-stdin",
        ];
        args.extend_from_slice(extra);
        run(&db.url, &data, &args, &format!("{secret}\n"))
    };
    let short = client("too-short", &[]);
    assert!(String::from_utf8_lossy(&short.stderr).contains("32 to 1024"));
    let tier = client(&"s".repeat(40), &["--default-tier", "Gold"]);
    assert!(String::from_utf8_lossy(&tier.stderr).contains("no tier of that name"));
    let made = stdout(&client(&"s".repeat(40), &["--max-identities", "5"]));
    assert!(made.contains("Client 'cli-app' created."), "{made}");
    let no_stdin = run(&db.url, &data, &["create-client", "--client-id", "x"], "");
    assert!(
        !no_stdin.status.success(),
        "the secret is never an argument"
    );

    // The demo seed is idempotent and prints the same credentials each time.
    let first = stdout(&run(&db.url, &data, &["demo-seed"], ""));
    let second = stdout(&run(&db.url, &data, &["demo-seed"], ""));
    assert!(first.contains("demo-owner-2"));
    assert!(first.contains("demo-app"), "the demo client: {first}");
    assert_eq!(first, second);

    // demo-owner-2 has a waiting request: 8 days later it is cancelled automatically.
    let later = (chrono::Utc::now() + chrono::Duration::days(8)).to_rfc3339();
    let jobs = stdout(&run(&db.url, &data, &["jobs", "--now", &later], ""));
    assert!(jobs.contains("stale approvals cancelled: 1"), "{jobs}");
    let again = stdout(&run(&db.url, &data, &["jobs", "--now", &later], ""));
    assert!(again.contains("stale approvals cancelled: 0"), "{again}");

    let bad = run(&db.url, &data, &["jobs", "--now", "yesterday"], "");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("RFC 3339"));
    let _ = std::fs::remove_dir_all(&data);
}
