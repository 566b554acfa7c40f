//! The two message files stay complete: every key a template or Rust code uses exists in
//! English and German, both languages hold the same keys with the same arguments, and
//! every file parses. No database needed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use backbone_admin::domain::DomainError;
use backbone_admin::domain::accounts::AccountError;
use backbone_admin::domain::error::ErrorReport;
use backbone_admin::facade::error::{
    busy_report, throttled_report, unavailable_report, unexpected_report,
};
use backbone_admin::web::i18n::{Lang, computed_keys};
use fluent_templates::fluent_bundle::FluentResource;
use regex::Regex;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("directory is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            found.extend(files_under(&path, extension));
        } else if path.extension().is_some_and(|e| e == extension) {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Every key named at a call site (`t("…")`, `t1(…)`, `tn(…)`, `success_t(…)`, `key("…")`
/// and the rest), with the file that names it.
fn used_keys() -> BTreeMap<String, String> {
    let call = Regex::new(
        r#"\b(?:t|t1|tn|t_args|count|success_t|error_t|info_t|key|Key|titled|said)\(\s*"([a-z][a-z0-9-]*)""#,
    )
    .unwrap();
    let mut used = BTreeMap::new();
    let sources = files_under(&root().join("templates"), "html")
        .into_iter()
        .chain(files_under(&root().join("src"), "rs"));
    for path in sources {
        // Comments show calls as examples; they name no key.
        let text: String = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for capture in call.captures_iter(&text) {
            used.entry(capture[1].to_owned())
                .or_insert_with(|| path.strip_prefix(root()).unwrap().display().to_string());
        }
    }
    for key in computed_keys() {
        used.entry(key.to_owned())
            .or_insert_with(|| "src/web/i18n.rs".to_owned());
    }
    for report in error_reports() {
        used.entry(report.message_key())
            .or_insert_with(|| format!("the report of {}", report.code));
    }
    used
}

/// The refusals of values people type into forms, whose reasons pages translate.
fn refused_values() -> Vec<ErrorReport> {
    use backbone_admin::domain::accounts::check_admin_password;
    use backbone_admin::domain::{AdminUsername, GraceLength, IdentityAddress};
    let mut reports: Vec<ErrorReport> = [
        "x",
        "did:e:localhost",
        "did:e:bad domain:dids:0000000000000000000000",
        "did:e:localhost:dids:zz",
    ]
    .iter()
    .map(|value| IdentityAddress::parse(value).unwrap_err().report())
    .collect();
    reports.push(AdminUsername::parse("no spaces").unwrap_err().report());
    reports.push(GraceLength::parse("900").unwrap_err().report());
    for password in ["short", "alice-in-wonderland-1", "passwordpassword"] {
        let reason = check_admin_password("alice", password).unwrap_err();
        reports.push(AccountError::WeakPassword(reason).report());
    }
    reports
}

/// One report of each refusal and failure the pages can show.
fn error_reports() -> Vec<ErrorReport> {
    DomainError::examples()
        .into_iter()
        .map(|error| error.report())
        .chain(
            AccountError::examples()
                .into_iter()
                .map(|error| error.report()),
        )
        .chain([1, 40, 200].map(throttled_report))
        .chain(refused_values())
        .chain([DomainError::TooManyTransitions {
            limit: 1,
            retry_at: chrono::DateTime::from_timestamp(1_796_000_400, 0).expect("a time"),
            wait_seconds: 60,
        }
        .report()])
        .chain([busy_report(), unavailable_report(), unexpected_report()])
        .collect()
}

/// Each language's messages, with the arguments each one takes.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let start = Regex::new(r"^([a-zA-Z][a-zA-Z0-9_-]*)\s*=").unwrap();
    let argument = Regex::new(r"\$([a-zA-Z][a-zA-Z0-9_-]*)").unwrap();
    let mut all = BTreeMap::new();
    for path in files_under(&root().join("locales").join(lang.code()), "ftl") {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err((_, errors)) = FluentResource::try_new(text.clone()) {
            panic!("{} does not parse: {errors:?}", path.display());
        }
        let mut current: Option<String> = None;
        for line in text.lines() {
            if let Some(found) = start.captures(line) {
                let key = found[1].to_owned();
                assert!(
                    all.insert(key.clone(), BTreeSet::new()).is_none(),
                    "{key} is defined twice in {}",
                    lang.code()
                );
                current = Some(key);
            }
            if let Some(key) = &current {
                let args = all.get_mut(key).unwrap();
                args.extend(argument.captures_iter(line).map(|c| c[1].to_owned()));
            }
        }
    }
    all
}

#[test]
fn every_used_key_exists_in_both_languages() {
    let used = used_keys();
    assert!(used.len() > 50, "the scan found only {} keys", used.len());
    for lang in Lang::ALL {
        let defined = messages(lang);
        let missing: Vec<String> = used
            .iter()
            .filter(|(key, _)| !defined.contains_key(*key))
            .map(|(key, file)| format!("{key} (used in {file})"))
            .collect();
        assert!(
            missing.is_empty(),
            "missing from locales/{}: {missing:#?}",
            lang.code()
        );
    }
}

#[test]
fn both_languages_hold_the_same_keys_with_the_same_arguments() {
    let english = messages(Lang::En);
    let german = messages(Lang::De);
    let only_english: Vec<_> = english
        .keys()
        .filter(|k| !german.contains_key(*k))
        .collect();
    let only_german: Vec<_> = german
        .keys()
        .filter(|k| !english.contains_key(*k))
        .collect();
    assert!(only_english.is_empty(), "only in English: {only_english:?}");
    assert!(only_german.is_empty(), "only in German: {only_german:?}");
    for (key, args) in &english {
        // A plural may leave `$n` out of its `one` form, but never use another argument.
        let german_args = &german[key];
        assert!(
            german_args.is_subset(args) || args.is_subset(german_args),
            "{key} takes {args:?} in English but {german_args:?} in German"
        );
    }
}

#[test]
fn no_message_is_left_unused() {
    let used = used_keys();
    let unused: Vec<_> = messages(Lang::En)
        .into_keys()
        .filter(|key| !used.contains_key(key))
        .collect();
    assert!(unused.is_empty(), "defined but never used: {unused:?}");
}

#[test]
fn the_languages_really_differ() {
    assert_eq!(Lang::En.t("nav-dashboard"), "Dashboard");
    assert_eq!(Lang::De.t("nav-dashboard"), "Übersicht");
}

/// Every refusal reads the same on an English page as in the JSON APIs' error bodies, and
/// every one has German words.
#[test]
fn every_error_code_has_its_words_in_both_languages() {
    for report in error_reports() {
        let english = Lang::En.t_args(&report.message_key(), &report.args);
        assert_eq!(english, report.message, "{}", report.code);
        let german = Lang::De.t_args(&report.message_key(), &report.args);
        assert_ne!(
            german, report.message,
            "{} has no German words",
            report.code
        );
    }
}
