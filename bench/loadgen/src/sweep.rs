//! The section "## Scale sweep" of RESULTS.md (bench/sweep.sh): the closed loop's page
//! scenarios at several dataset sizes, one `bench/run.sh` run per size whose files
//! (closed.tsv, floors.tsv, facts.txt) bench/sweep.sh keeps in `<dir>/<identities>/`. Only
//! that section of `--out` changes.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::report::{Row, number, percent, read_tsv, show, splice};
use crate::{SCENARIOS, median};

#[derive(clap::Args)]
pub struct SweepArgs {
    /// The directory with one subdirectory per size (`<identities>/closed.tsv`, …).
    #[arg(long)]
    dir: PathBuf,
    /// The sizes this sweep was asked for (comma-separated): those without figures are
    /// listed as missing, with the command that runs them.
    #[arg(long, value_delimiter = ',')]
    sizes: Vec<u64>,
    /// RESULTS.md: its section "## Scale sweep" is replaced (or appended).
    #[arg(long)]
    out: PathBuf,
}

pub const HEADING: &str = "## Scale sweep";

/// One size's run.
struct Size {
    identities: u64,
    dir: PathBuf,
    facts: HashMap<String, String>,
    closed: Vec<Row>,
    floors: Vec<Row>,
}

fn read_facts(path: &Path) -> Result<HashMap<String, String>> {
    Ok(std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect())
}

/// Every size with a facts.txt under `dir` (a finished run), ascending.
fn kept_sizes(dir: &Path) -> Result<Vec<Size>> {
    let mut sizes = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(sizes);
    };
    for entry in entries {
        let path = entry?.path();
        let Some(identities) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u64>().ok())
        else {
            continue;
        };
        if !path.join("facts.txt").exists() {
            continue;
        }
        sizes.push(Size {
            identities,
            dir: path.clone(),
            facts: read_facts(&path.join("facts.txt"))?,
            closed: read_tsv(&path.join("closed.tsv"))?,
            floors: read_tsv(&path.join("floors.tsv"))?,
        });
    }
    sizes.sort_by_key(|s| s.identities);
    Ok(sizes)
}

/// 100 k, 1 M, 10 M, or the plain number.
pub fn short(identities: u64) -> String {
    match identities {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{} M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{} k", n / 1_000),
        n => n.to_string(),
    }
}

/// The scenario's figures at one size: app requests/s, p50, p99 (medians over the rounds),
/// floor /s, floor's average latency (medians), ratios per round.
struct Figures {
    rps: Option<f64>,
    p50: Option<f64>,
    p99: Option<f64>,
    floor: Option<f64>,
    floor_latency: Option<f64>,
    ratios: Vec<f64>,
    errors: f64,
}

fn figures(size: &Size, scenario: &str) -> Option<Figures> {
    let rows: Vec<&Row> = size
        .closed
        .iter()
        .filter(|r| {
            r.get("scenario").is_some_and(|s| s == scenario)
                && r.get("side").is_some_and(|s| s == "app")
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let floor_row = |round: &str| {
        size.floors.iter().find(|f| {
            f.get("scenario").is_some_and(|s| s == scenario)
                && f.get("round").is_some_and(|r| r == round)
        })
    };
    let floor_rate = |f: &Row| Some(number(f, "tps")? * number(f, "units")?);
    let mut ratios = Vec::new();
    let mut floors = Vec::new();
    let mut floor_latencies = Vec::new();
    for row in &rows {
        let Some(f) = floor_row(row.get("round").map_or("", String::as_str)) else {
            continue;
        };
        floor_latencies.extend(number(f, "latency_ms"));
        if let Some(floor) = floor_rate(f) {
            floors.push(floor);
            ratios.extend(number(row, "rps").map(|a| a / floor));
        }
    }
    let med = |key: &str| median(rows.iter().filter_map(|r| number(r, key)).collect());
    Some(Figures {
        rps: med("rps"),
        p50: med("p50_ms"),
        p99: med("p99_ms"),
        floor: median(floors),
        floor_latency: median(floor_latencies),
        ratios,
        errors: rows.iter().filter_map(|r| number(r, "errors")).sum(),
    })
}

fn spread(ratios: &[f64]) -> String {
    if ratios.is_empty() {
        return "–".to_owned();
    }
    let lo = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ratios.iter().copied().fold(0.0, f64::max);
    format!("{:.0}–{:.0} %", lo * 100.0, hi * 100.0)
}

/// The load average part of run.sh's `load` fact.
fn load(facts: &HashMap<String, String>) -> String {
    let load = facts.get("load").map_or("?", String::as_str);
    let text = load
        .split_once("load average before: ")
        .map_or(load, |(_, rest)| rest);
    text.split_once("; run took")
        .map_or(text, |(load, _)| load)
        .replace(", after: ", " → ")
}

fn section(sizes: &[Size], asked: &[u64]) -> Result<String> {
    let mut md = String::new();
    writeln!(md, "{HEADING}\n")?;
    let fact = |size: &Size, key: &str| size.facts.get(key).cloned().unwrap_or("?".to_owned());
    if sizes.is_empty() {
        writeln!(
            md,
            "No size has been run yet: `bash bench/sweep.sh` (bench/README.md, \"Scale sweep\")."
        )?;
        return Ok(md);
    }
    let settings: BTreeSet<String> = sizes
        .iter()
        .map(|s| {
            format!(
                "{} rounds of {} s warm-up + {} s measured, {} connections",
                fact(s, "rounds"),
                fact(s, "warmup"),
                fact(s, "duration"),
                fact(s, "connections")
            )
        })
        .collect();
    writeln!(
        md,
        "Written by `bash bench/sweep.sh`: the closed loop's page scenarios at each dataset size, \
         one `bench/run.sh` run per size (`BENCH_PHASES=closed`, the SQL check included), on one \
         cluster grown from the smallest size to the largest (`BENCH_GROW=1`: \
         `bench/sql/seed.sql` adds only the identities beyond the previous size, with their \
         devices, processes, audit entries and notices). Each size: {} (fewer and shorter than \
         the full run's 5 × 10 s, so each figure is noisier), app turn → pgbench floor of the \
         same SQL, scenario by scenario, as in the full run. p50 and p99 are the app's, medians \
         over the rounds; floor /s and its average latency (pgbench's, connections ÷ its \
         throughput) are medians too; app ÷ floor is the median of the rounds' ratios, with \
         its spread.\n",
        settings.into_iter().collect::<Vec<_>>().join("; "),
    )?;
    writeln!(
        md,
        "| scenario | identities | app req/s | p50 ms | p99 ms | errors | floor /s | floor avg ms | app ÷ floor (median) | spread |"
    )?;
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")?;
    for scenario in SCENARIOS {
        for size in sizes {
            let Some(f) = figures(size, scenario) else {
                continue;
            };
            writeln!(
                md,
                "| {scenario} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                short(size.identities),
                show(f.rps, 1),
                show(f.p50, 2),
                show(f.p99, 2),
                f.errors,
                show(f.floor, 1),
                show(f.floor_latency, 2),
                percent(median(f.ratios.clone())),
                spread(&f.ratios),
            )?;
        }
    }

    writeln!(md, "\nThe runs:\n")?;
    writeln!(
        md,
        "| identities | date | app commit | seeded | identities / devices / processes / audit entries after the run | load average before → after | SQL check |"
    )?;
    writeln!(md, "|---:|---|---|---|---|---|---|")?;
    for size in sizes {
        let count = |prefix: &str| -> u64 {
            size.facts
                .iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .filter_map(|(_, v)| v.parse::<u64>().ok())
                .sum()
        };
        let from: u64 = fact(size, "seed_from").parse().unwrap_or(0);
        let seeded = if from > 0 {
            format!(
                "grown from {} in {} s",
                short(from),
                fact(size, "seed_seconds")
            )
        } else {
            format!("{} s", fact(size, "seed_seconds"))
        };
        writeln!(
            md,
            "| {} | {} | `{}` | {seeded} | {} / {} / {} / {} | {} | {} |",
            short(size.identities),
            fact(size, "date"),
            fact(size, "commit"),
            count("rows.identities"),
            count("rows.devices"),
            count("rows.deletion processes"),
            count("rows.audit entries"),
            load(&size.facts),
            std::fs::read_to_string(size.dir.join("sql-check.txt"))
                .map(|c| if c.trim() == "ok" {
                    "ok".to_owned()
                } else {
                    "**DRIFT**".to_owned()
                })
                .unwrap_or_else(|_| "?".to_owned()),
        )?;
    }
    let have: BTreeSet<u64> = sizes.iter().map(|s| s.identities).collect();
    let missing: Vec<u64> = asked
        .iter()
        .copied()
        .filter(|s| !have.contains(s))
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|&s| short(s)).collect();
        let list: Vec<String> = missing.iter().map(u64::to_string).collect();
        writeln!(
            md,
            "\n**Missing: {} identities** (asked for, not run to the end). To add them to this \
             table (the cluster in `bench/.data/sweep` grows from its largest size; without it \
             the first size is seeded afresh): `BENCH_SWEEP={} bash bench/sweep.sh`.",
            names.join(", "),
            list.join(",")
        )?;
    }
    Ok(md)
}

pub fn write(args: &SweepArgs) -> Result<()> {
    let sizes = kept_sizes(&args.dir)?;
    let md = section(&sizes, &args.sizes)?;
    let old = std::fs::read_to_string(&args.out).unwrap_or_default();
    let text = splice(&old, HEADING, &md);
    std::fs::write(&args.out, text).with_context(|| format!("cannot write {}", args.out.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_sizes() {
        assert_eq!(short(100_000), "100 k");
        assert_eq!(short(1_000_000), "1 M");
        assert_eq!(short(10_000_000), "10 M");
        assert_eq!(short(12_345), "12345");
    }

    #[test]
    fn load_average_from_the_fact() {
        let facts = HashMap::from([(
            "load".to_owned(),
            "loadgen … on the same machine; load average before: 2.1 2.0 1.9, after: 3.0 2.5 2.0; run took 4 min".to_owned(),
        )]);
        assert_eq!(load(&facts), "2.1 2.0 1.9 → 3.0 2.5 2.0");
    }
}
