//! `create-api-key --username U --name N [--expires-days D]` prints a new key once (on
//! standard output, alone, for scripts), and the key works.

use std::process::{Command, Output};

use backbone_admin::domain::accounts::{KeyRefusal, Role};
use backbone_admin::facade::accounts::ClientInfo;
use backbone_admin::facade::api_keys::KeyCheck;

use crate::common::admin_name;
use crate::common::app::*;
use crate::create_account;

fn create_api_key(app: &TestApp, args: &[&str]) -> Output {
    let data = std::env::temp_dir().join(format!("bb-api-key-cli-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_backbone-admin"))
        .arg("create-api-key")
        .args(args)
        .env("DATABASE_URL", &app.db.url)
        .env("DATA_DIR", &data)
        .env("RUST_LOG", "warn")
        .output()
        .expect("binary runs")
}

#[test]
fn the_command_line_prints_a_working_key_once() {
    let app = spawn_app();
    create_account(&app, "robot", Role::Auditor);
    let output = create_api_key(
        &app,
        &[
            "--username",
            "robot",
            "--name",
            "ticket sync",
            "--expires-days",
            "365",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let key = String::from_utf8(output.stdout).unwrap();
    let key = key.trim_end();
    assert!(
        key.starts_with("bba_") && key.len() == 44 && !key.contains('\n'),
        "{key}"
    );
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("ticket sync") && said.contains("shown only now"),
        "{said}"
    );

    let checked = app
        .core
        .api_keys()
        .check(Some(key), &ClientInfo::default())
        .unwrap();
    let KeyCheck::Accepted(caller) = checked else {
        panic!("{checked:?}")
    };
    assert_eq!(
        (caller.username.as_str(), caller.role),
        ("robot", Role::Auditor)
    );
    let listed = app
        .core
        .api_keys()
        .list(&admin_name("robot"), &admin_name("robot"))
        .unwrap();
    assert_eq!(listed.len(), 1);
    let days = (listed[0].expires_at - listed[0].created_at).num_days();
    assert_eq!((listed[0].name.as_str(), days), ("ticket sync", 365));
    let created = app
        .core
        .security_events()
        .own_security_events(&admin_name("robot"), 5)
        .unwrap();
    assert!(
        created
            .iter()
            .any(|e| e.kind.as_str() == "ApiKeyCreated" && e.details["via"] == "command line")
    );
}

#[test]
fn the_command_line_refuses_what_the_page_refuses() {
    let app = spawn_app();
    create_account(&app, "gone", Role::Support);
    app.core
        .accounts()
        .set_admin_enabled(
            &admin_name(ADMIN),
            &admin_name("gone"),
            false,
            &Default::default(),
        )
        .unwrap();
    for (args, said) in [
        (vec!["--username", "nobody", "--name", "x"], "not found"),
        (vec!["--username", "gone", "--name", "x"], "not found"),
        (vec!["--username", ADMIN, "--name", " "], "name"),
        (
            vec!["--username", ADMIN, "--name", "x", "--expires-days", "366"],
            "366",
        ),
        (
            vec!["--username", ADMIN, "--name", "x", "--expires-days", "0"],
            "0",
        ),
    ] {
        let output = create_api_key(&app, &args);
        assert!(!output.status.success(), "{args:?}");
        assert!(output.stdout.is_empty(), "no key printed for {args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
    assert!(
        app.core
            .api_keys()
            .list(&admin_name(ADMIN), &admin_name(ADMIN))
            .unwrap()
            .is_empty()
    );
    // A key of an account disabled later stops working.
    create_account(&app, "later", Role::Support);
    let key = crate::key_of(&app, "later", "k");
    app.core
        .accounts()
        .set_admin_enabled(
            &admin_name(ADMIN),
            &admin_name("later"),
            false,
            &Default::default(),
        )
        .unwrap();
    let checked = app
        .core
        .api_keys()
        .check(Some(&key), &ClientInfo::default())
        .unwrap();
    assert_eq!(checked, KeyCheck::Refused(KeyRefusal::AccountDisabled));
}
