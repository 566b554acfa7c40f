//! The deployment files: the alert rules load and fire on the series they are meant for,
//! and the systemd unit verifies.

use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn the_alert_rules_are_valid_and_the_failing_deletion_rule_fires() {
    let Some(promtool) = crate::required_tool("promtool", "prometheus") else {
        return;
    };
    let check = Command::new(&promtool)
        .args(["check", "rules", "deploy/alerts.yml"])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // deploy/alerts.test.yml feeds BackboneDeletionKeepsFailing three failures and expects
    // it to fire (and the other rules their series).
    let test = Command::new(&promtool)
        .args(["test", "rules", "deploy/alerts.test.yml"])
        .current_dir(ROOT)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&test.stderr)
    );
    let tests = std::fs::read_to_string(format!("{ROOT}/deploy/alerts.test.yml")).unwrap();
    assert!(tests.contains("alertname: BackboneDeletionKeepsFailing"));
}

#[test]
fn the_systemd_unit_verifies() {
    let Some(analyze) = crate::required_tool("systemd-analyze", "systemd") else {
        return;
    };
    // `verify` wants the ExecStart program to exist: point it at the binary under test.
    let unit = std::fs::read_to_string(format!("{ROOT}/deploy/backbone-admin.service")).unwrap();
    assert!(unit.contains("ExecStart=/usr/local/bin/backbone-admin serve"));
    for hardening in [
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "NoNewPrivileges=yes",
    ] {
        assert!(unit.contains(hardening), "{hardening}");
    }
    let dir = crate::running::TempDir::new("unit");
    let copy = dir.path().join("backbone-admin.service");
    std::fs::write(
        &copy,
        unit.replace(
            "/usr/local/bin/backbone-admin",
            &crate::running::binary().to_string_lossy(),
        ),
    )
    .unwrap();
    let verify = Command::new(analyze)
        .arg("verify")
        .arg(&copy)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success(), "{stderr}");
    assert!(
        !stderr.contains("backbone-admin.service:"),
        "warnings about the unit: {stderr}"
    );
}
