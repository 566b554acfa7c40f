//! RESULTS.md from the run: the machine, the dataset, every scenario's figures next to the
//! pgbench floor of its own SQL, the ratios, and which targets were met.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::SCENARIOS;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Rows written by `loadgen run`.
    #[arg(long)]
    app: PathBuf,
    /// pgbench floors: scenario, tps, units per pgbench transaction, clients, mode.
    #[arg(long)]
    floors: PathBuf,
    /// `key=value` facts about the machine and the dataset (bench/run.sh writes them).
    #[arg(long)]
    facts: PathBuf,
    /// Markdown appended as "What was fixed" (kept by hand in bench/fixes.md).
    #[arg(long)]
    notes: Option<PathBuf>,
    #[arg(long)]
    out: PathBuf,
}

/// Targets of issue 5 §2.
const PAGE_RATIO: f64 = 0.5;
const PAGE_P99_MS: f64 = 25.0;
const SEARCH_P99_MS: f64 = 20.0;
const TRANSITION_RATIO: f64 = 0.5;
const PEAK_RSS_MIB: f64 = 100.0;

type Row = HashMap<String, String>;

/// A TSV file with a header line; lines starting with `#` are `#key<TAB>value` extras.
fn read_tsv(path: &PathBuf) -> Result<(Vec<Row>, HashMap<String, String>)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let (mut rows, mut extras) = (Vec::new(), HashMap::new());
    for line in lines.filter(|l| !l.trim().is_empty()) {
        if let Some(extra) = line.strip_prefix('#') {
            let (key, value) = extra.split_once('\t').unwrap_or((extra, ""));
            extras.insert(key.to_owned(), value.to_owned());
            continue;
        }
        let row = header
            .iter()
            .zip(line.split('\t'))
            .map(|(k, v)| ((*k).to_owned(), v.to_owned()))
            .collect();
        rows.push(row);
    }
    Ok((rows, extras))
}

fn number(row: &Row, key: &str) -> Option<f64> {
    row.get(key).and_then(|v| v.parse().ok())
}

fn by_scenario(rows: Vec<Row>) -> HashMap<String, Row> {
    rows.into_iter()
        .filter_map(|row| Some((row.get("scenario")?.clone(), row)))
        .collect()
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

fn is_transition(scenario: &str) -> bool {
    matches!(scenario, "initiate_cancel" | "admin_cycle")
}

fn describe(scenario: &str) -> &'static str {
    match scenario {
        "healthz" => "`GET /healthz` (HTTP ceiling, no database)",
        "search" => {
            "admin identity search by username prefix (`/admin/identities?q=user#####`, 100 matches, 50 shown)"
        }
        "identity" => "admin identity page (`/admin/identities/{address}`, random identity)",
        "me" => "owner `/me` (64 signed-in owners)",
        "initiate_cancel" => {
            "owner initiate → cancel, each connection on its own identity (POST, follow 303 to `/me`)"
        }
        "admin_cycle" => {
            "admin start → owner approve → owner cancel (POST, follow 303, owner reads `/me`)"
        }
        _ => "",
    }
}

pub fn write(args: &ReportArgs) -> Result<()> {
    let (app_rows, app_extras) = read_tsv(&args.app)?;
    let app = by_scenario(app_rows);
    let floors = by_scenario(read_tsv(&args.floors)?.0);
    let facts: HashMap<String, String> = std::fs::read_to_string(&args.facts)
        .with_context(|| format!("cannot read {}", args.facts.display()))?
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let fact = |key: &str| facts.get(key).map_or("?", String::as_str);

    let mut md = String::new();
    writeln!(md, "# Benchmark results\n")?;
    writeln!(
        md,
        "Written by `bash bench/run.sh` on {} (app commit `{}`). Every figure below comes from \
         that one run: the app and the pgbench floors ran on the same machine, against the same \
         data, one after the other.\n",
        fact("date"),
        fact("commit")
    )?;
    writeln!(md, "## Machine\n")?;
    writeln!(md, "| | |\n|---|---|")?;
    for (label, key) in [
        ("CPU", "cpu"),
        ("cores (nproc)", "nproc"),
        ("memory", "memory"),
        ("PostgreSQL", "postgres"),
        ("kernel", "kernel"),
        ("app settings", "app_settings"),
        ("PostgreSQL settings", "pg_settings"),
        ("load", "load"),
    ] {
        writeln!(md, "| {label} | {} |", fact(key))?;
    }
    writeln!(md, "\n## Dataset\n")?;
    writeln!(md, "| table | rows |\n|---|---:|")?;
    let mut sizes: Vec<(&String, &String)> = facts
        .iter()
        .filter(|(k, _)| k.starts_with("rows."))
        .collect();
    sizes.sort();
    for (key, value) in sizes {
        writeln!(md, "| {} | {value} |", key.trim_start_matches("rows."))?;
    }
    writeln!(
        md,
        "\nSeeded in {} s with bulk SQL (`bench/sql/seed.sql`).\n",
        fact("seed_seconds")
    )?;

    writeln!(md, "## Figures\n")?;
    writeln!(
        md,
        "Pages: requests/s. Transition scenarios: transitions/s (each counted only when the page \
         after the 303 shows the success message); their latencies are those of the POSTs, \
         and the redirect GETs are in \"all req/s\". Floors: `pgbench` with the same SQL the \
         scenario's requests run (`bench/pgbench/`), at the same number of connections.\n"
    )?;
    writeln!(
        md,
        "| scenario | app /s | p50 ms | p99 ms | all req/s | errors | peak RSS MiB | pgbench floor /s | app ÷ floor |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    let mut targets = Vec::new();
    let mut worst_rss: f64 = 0.0;
    for scenario in SCENARIOS {
        let Some(row) = app.get(scenario) else {
            continue;
        };
        let transition = is_transition(scenario);
        let (rate, p50, p99) = if transition {
            (
                number(row, "tps"),
                number(row, "t_p50_ms"),
                number(row, "t_p99_ms"),
            )
        } else {
            (
                number(row, "rps"),
                number(row, "p50_ms"),
                number(row, "p99_ms"),
            )
        };
        let rss = number(row, "peak_rss_kib").map(|kib| kib / 1024.0);
        worst_rss = worst_rss.max(rss.unwrap_or(0.0));
        let floor = floors
            .get(scenario)
            .and_then(|f| Some(number(f, "tps")? * number(f, "units")?));
        let ratio = rate.zip(floor).map(|(r, f)| r / f);
        let show =
            |v: Option<f64>, digits: usize| v.map_or("–".to_owned(), |v| format!("{v:.digits$}"));
        writeln!(
            md,
            "| {scenario} | {} | {} | {} | {} | {} | {} | {} | {} |",
            show(rate, 1),
            show(p50, 2),
            show(p99, 2),
            show(number(row, "rps"), 1),
            row.get("errors").map_or("?", String::as_str),
            show(rss, 1),
            show(floor, 1),
            ratio.map_or("–".to_owned(), |r| format!("{:.0} %", r * 100.0)),
        )?;
        let ratio_met = ratio.is_some_and(|r| {
            r >= if transition {
                TRANSITION_RATIO
            } else {
                PAGE_RATIO
            }
        });
        match scenario {
            "healthz" => targets.push(format!(
                "- healthz: reported as the HTTP ceiling ({} req/s).",
                show(rate, 0)
            )),
            _ if transition => targets.push(format!(
                "- {scenario}: ≥ 50 % of the floor → {} ({}).",
                verdict(ratio_met),
                ratio.map_or("no floor".to_owned(), |r| format!("{:.0} %", r * 100.0))
            )),
            _ => {
                let p99_met = p99.is_some_and(|p| p < PAGE_P99_MS);
                targets.push(format!(
                    "- {scenario}: ≥ 50 % of the floor → {} ({}); p99 < 25 ms → {} ({} ms).",
                    verdict(ratio_met),
                    ratio.map_or("no floor".to_owned(), |r| format!("{:.0} %", r * 100.0)),
                    verdict(p99_met),
                    show(p99, 2)
                ));
                if scenario == "search" {
                    targets.push(format!(
                        "- search at {} identities: p99 < 20 ms → {} ({} ms).",
                        fact("rows.identities"),
                        verdict(p99.is_some_and(|p| p < SEARCH_P99_MS)),
                        show(p99, 2)
                    ));
                }
            }
        }
    }
    targets.push(format!(
        "- peak RSS < 100 MiB in every scenario → {} (highest: {worst_rss:.1} MiB).",
        verdict(worst_rss > 0.0 && worst_rss < PEAK_RSS_MIB)
    ));
    if let Some(overall) = app_extras
        .get("overall_peak_rss_kib")
        .and_then(|v| v.parse::<f64>().ok())
    {
        targets.push(format!(
            "- peak RSS over the whole run, the sign-ins between scenarios included (argon2id \
             takes 19 MiB per concurrent hash): {:.1} MiB.",
            overall / 1024.0
        ));
    }
    writeln!(md, "\nScenarios:\n")?;
    for scenario in SCENARIOS.iter().filter(|s| app.contains_key(**s)) {
        writeln!(md, "- **{scenario}**: {}", describe(scenario))?;
    }
    writeln!(md, "\n## Floors (pgbench)\n")?;
    writeln!(
        md,
        "| scenario | script | pgbench tps | units per script run | clients | protocol |"
    )?;
    writeln!(md, "|---|---|---:|---:|---:|---|")?;
    for scenario in SCENARIOS {
        if let Some(f) = floors.get(scenario) {
            let get = |k: &str| f.get(k).map_or("?", String::as_str);
            writeln!(
                md,
                "| {scenario} | `bench/pgbench/{scenario}.sql` | {} | {} | {} | {} |",
                get("tps"),
                get("units"),
                get("clients"),
                get("mode")
            )?;
        }
    }
    writeln!(md, "\n## Targets\n")?;
    for line in targets {
        writeln!(md, "{line}")?;
    }
    if let Some(notes) = &args.notes {
        let text = std::fs::read_to_string(notes)
            .with_context(|| format!("cannot read {}", notes.display()))?;
        writeln!(md, "\n{}", text.trim_end())?;
    }
    std::fs::write(&args.out, md)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(())
}
