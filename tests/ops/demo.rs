//! Without `DATABASE_URL`, the first `serve` creates the project-local cluster, seeds the
//! demo accounts and prints their passwords; later starts only say where they are kept.
//! The app stops the cluster it started when it shuts down.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::Duration;

use backbone_admin::pg_local::LocalCluster;

use crate::common::app::browser;
use crate::running::{TempDir, binary, serve};

/// `(username, password)` of each line `  role  username  password XYZ  note`.
fn printed_credentials(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words.iter().position(|w| *w == "password")?;
            Some((
                words.get(at - 1)?.to_string(),
                words.get(at + 1)?.to_string(),
            ))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_passwords_are_printed_once_when_the_local_cluster_is_created() {
    let dir = TempDir::new("demo");
    let data = dir.path().join(".data");

    // First start: the cluster is created, the demo seeded and its passwords printed.
    let mut first = serve(&binary(), dir.path(), &[]);
    let stdout = first.stdout();
    let printed = printed_credentials(&stdout);
    let names: Vec<&str> = printed.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        names,
        [
            "admin",
            "demo-owner-1",
            "demo-owner-2",
            "demo-owner-3",
            "demo-app"
        ],
        "{stdout}"
    );
    assert!(stdout.contains("shown only now"), "{stdout}");
    // The printed passwords work.
    let (_, owner_password) = &printed[2];
    first
        .sign_in(&browser(), "/login", "demo-owner-2", owner_password)
        .await;
    let (_, admin_password) = &printed[0];
    first
        .sign_in(&browser(), "/admin/login", "admin", admin_password)
        .await;

    let kept = data.join("demo-credentials.txt");
    let mode = std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "only the owner may read the kept passwords");
    first.stop(Duration::from_secs(30));

    // The app started the cluster, so it stopped it: starting it now is a fresh start.
    let cluster = LocalCluster::ensure_running(&data.join("postgres")).expect("cluster");
    assert!(cluster.started_here(), "the app left the cluster running");
    cluster.stop().unwrap();

    // Second start: only where the passwords are kept, never the passwords.
    let mut second = serve(&binary(), dir.path(), &[]);
    let stdout = second.stdout();
    assert!(stdout.contains("kept in"), "{stdout}");
    assert!(stdout.contains("demo-credentials.txt"), "{stdout}");
    for (_, password) in &printed {
        assert!(
            !stdout.contains(password.as_str()),
            "a password was printed again"
        );
    }
    for line in second.stderr_lines() {
        for (_, password) in &printed {
            assert!(!line.contains(password.as_str()), "a password in the logs");
        }
    }
    second.stop(Duration::from_secs(30));

    // `demo-seed` prints them on request.
    let output = Command::new(binary())
        .arg("demo-seed")
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("DATA_DIR")
        .env("RUST_LOG", "warn")
        .output()
        .expect("demo-seed");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        printed_credentials(&String::from_utf8_lossy(&output.stdout)),
        printed
    );
}
