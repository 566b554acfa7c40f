//! Load generator of the Backbone Admin benchmark (bench/run.sh calls each subcommand):
//! - `capture` drives each scenario once per unit while PostgreSQL logs every statement, and
//!   generates the pgbench floor scripts from that log;
//! - `run` drives a running server with browser-like clients: closed-loop rounds that
//!   alternate each scenario with its pgbench floor, the low-concurrency pass, the open-loop
//!   pass, the sign-in burst, the sign-in flood and the API scenarios; it writes TSV files
//!   (and flood.md, api.md) into `--out-dir`;
//! - `bare` serves a bare actix-web `/healthz`, the ceiling the app's is compared with;
//! - `report` turns the TSV files, the machine facts and the SQL check into RESULTS.md;
//! - `sweep` writes RESULTS.md's section "Scale sweep" from bench/sweep.sh's runs, one per size.

mod api;
mod bare;
mod browser;
mod burst;
mod capture;
mod data;
mod flood;
mod floor;
mod report;
mod scenarios;
mod stats;
mod sweep;

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use browser::Browser;
use scenarios::{
    ADMIN_LOGIN, Clients, OWNER_LOGIN, Starter, cycles, drive, open_loop, pages, plain_owners,
};
use stats::{Recorder, Window, peak_rss_kib, quantile_ms, reset_peak_rss};

#[derive(Parser)]
#[command(about = "Backbone Admin load generator (see bench/README.md)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Drive a running server through every scenario, alternating with the pgbench floors.
    Run(Box<RunArgs>),
    /// Capture the statements each scenario sends and generate the pgbench floor scripts.
    Capture(capture::CaptureArgs),
    /// Serve a bare actix-web /healthz (the comparison for the app's).
    Bare(bare::BareArgs),
    /// Write RESULTS.md from the TSV files of `run`, the machine facts and the SQL check.
    Report(report::ReportArgs),
    /// Write the section "Scale sweep" of RESULTS.md from bench/sweep.sh's runs, one per size.
    Sweep(sweep::SweepArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    #[arg(long, default_value = "http://127.0.0.1:18080")]
    base_url: String,
    /// The server's process ID, for its peak RSS.
    #[arg(long)]
    server_pid: u32,
    /// The bare actix-web server (`loadgen bare`), measured after each healthz round.
    #[arg(long)]
    bare_url: Option<String>,
    /// Identities in the seeded database (bench/sql/seed.sql).
    #[arg(long, default_value_t = 1_000_000)]
    identities: u64,
    /// Password of every seeded device and bench admin.
    #[arg(long)]
    password: String,
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Measured seconds per scenario (and per floor).
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// Unmeasured seconds before each scenario's window (and before each floor).
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Rounds of app scenario → its floor, scenario by scenario.
    #[arg(long, default_value_t = 5)]
    rounds: u32,
    /// Only these scenarios (comma-separated); all by default.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Phases to run (comma-separated): closed, low, open, burst, flood, api.
    #[arg(long, value_delimiter = ',', default_value = "closed,low,open,burst")]
    phases: Vec<String>,
    /// Connections of the low-concurrency pass.
    #[arg(long, default_value_t = 4)]
    low_connections: usize,
    /// Concurrent sign-ins of the burst.
    #[arg(long, default_value_t = 60)]
    burst_concurrency: usize,
    /// Connections of the sign-in flood (issue 17).
    #[arg(long, default_value_t = 64)]
    flood_connections: usize,
    #[command(flatten)]
    floor: floor::FloorArgs,
    /// The `api` phase's client, keys and floor scripts.
    #[command(flatten)]
    api: api::ApiArgs,
    /// Where the TSV files go.
    #[arg(long)]
    out_dir: PathBuf,
}

/// Scenario names, in the order they run (and RESULTS.md lists them).
pub const SCENARIOS: [&str; 6] = [
    "healthz",
    "search",
    "identity",
    "me",
    "initiate_cancel",
    "admin_cycle",
];

/// Pages (no transitions): the open-loop pass drives these.
pub const PAGES: [&str; 4] = ["healthz", "search", "identity", "me"];

/// Pages of the low-concurrency pass: what one person waits for. The dashboard is measured
/// only here (issue 21: its chart renders in under 20 ms at 1 M identities); it has no
/// pgbench floor, since most of what it shows comes from a 30-second cache.
pub const LOW_PAGES: [&str; 4] = ["search", "identity", "me", "dashboard"];

/// The header of closed.tsv and low.tsv.
pub const COLUMNS: &str = "round\tside\tscenario\tseconds\trequests\trps\tp50_ms\tp99_ms\ttransitions\ttps\tt_p50_ms\tt_p99_ms\terrors\tpeak_rss_kib\tlimited";
pub const FLOOR_COLUMNS: &str = "round\tscenario\ttps\tunits\tclients\tprotocol\tlatency_ms\terror";
pub const OPEN_COLUMNS: &str =
    "scenario\trate\tclosed_rps\tseconds\trequests\trps\tp50_ms\tp99_ms\terrors";

/// The signed-in browsers, made once and used by every round.
struct Browsers {
    admins: Vec<Arc<Browser>>,
    me: Vec<Arc<Browser>>,
    initiate: Vec<Arc<Browser>>,
    cycle_owners: Vec<Arc<Browser>>,
    anonymous: Vec<Arc<Browser>>,
}

struct Run {
    args: RunArgs,
    clients: Clients,
    browsers: Browsers,
    closed: std::fs::File,
    floors: std::fs::File,
    /// The highest VmHWM seen, sign-ins between the windows included.
    overall_peak_kib: u64,
    /// Closed-loop requests/s of each page, per round (for the open-loop rates).
    page_rps: Vec<(String, f64)>,
}

fn tsv(dir: &std::path::Path, name: &str, header: &str) -> Result<std::fs::File> {
    let path = dir.join(name);
    let mut file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    writeln!(file, "{header}")?;
    Ok(file)
}

/// One TSV row and one console line of a closed-loop measurement.
fn row(
    prefix: &str,
    name: &str,
    seconds: f64,
    rec: &Recorder,
    peak: Option<u64>,
) -> (String, String) {
    let (requests, transitions) = (rec.requests.len(), rec.transitions.len());
    let (rps, tps) = (requests as f64 / seconds, transitions as f64 / seconds);
    let (p50, p99) = (
        quantile_ms(&rec.requests, 0.5),
        quantile_ms(&rec.requests, 0.99),
    );
    let tsv = format!(
        "{prefix}\t{name}\t{seconds:.1}\t{requests}\t{rps:.1}\t{p50:.2}\t{p99:.2}\t{transitions}\t{tps:.1}\t{:.2}\t{:.2}\t{}\t{}\t{}",
        quantile_ms(&rec.transitions, 0.5),
        quantile_ms(&rec.transitions, 0.99),
        rec.errors,
        peak.map_or_else(|| "-".to_owned(), |kib| kib.to_string()),
        rec.limited,
    );
    let rss = peak.map_or_else(
        || "?".to_owned(),
        |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
    );
    let mut line = format!(
        "{name:<16} {rps:>9.1} req/s  p50 {p50:>7.2} ms  p99 {p99:>7.2} ms  errors {:>4}  peak RSS {rss}",
        rec.errors,
    );
    if rec.limited > 0 {
        line.push_str(&format!(
            "\n{:<16} {} transitions refused with 429 (owners' hourly limit)",
            "", rec.limited
        ));
    }
    if transitions > 0 {
        line.push_str(&format!(
            "\n{:<16} {tps:>9.1} transitions/s  (POST p50 {:.2} ms, p99 {:.2} ms)",
            "",
            quantile_ms(&rec.transitions, 0.5),
            quantile_ms(&rec.transitions, 0.99),
        ));
    }
    for sample in &rec.error_samples {
        line.push_str(&format!("\n{:<16} error: {sample}", ""));
    }
    (tsv, line)
}

impl Run {
    fn wants(&self, scenario: &str) -> bool {
        self.args.only.is_empty() || self.args.only.iter().any(|s| s == scenario)
    }

    fn phase(&self, phase: &str) -> bool {
        self.args.phases.iter().any(|p| p == phase)
    }

    fn window(&self) -> Window {
        Window::new(
            Duration::from_secs(self.args.warmup),
            Duration::from_secs(self.args.duration),
        )
    }

    /// Resets the server's peak RSS when the window opens; returns the join handle.
    fn watch_rss(&mut self, window: Window) -> tokio::task::JoinHandle<()> {
        let pid = self.args.server_pid;
        self.overall_peak_kib = self.overall_peak_kib.max(peak_rss_kib(pid).unwrap_or(0));
        tokio::spawn(async move {
            tokio::time::sleep_until(window.start.into()).await;
            if !reset_peak_rss(pid) {
                eprintln!(
                    "warning: cannot reset the peak RSS of {pid}; figures include earlier peaks"
                );
            }
        })
    }

    /// Runs the connections `start` builds for one window; returns what they saw and the
    /// server's peak RSS in that window.
    async fn measure<F>(
        &mut self,
        start: impl FnOnce(Window) -> Vec<F>,
    ) -> Result<(f64, Recorder, Option<u64>)>
    where
        F: Future<Output = Recorder> + Send + 'static,
    {
        let window = self.window();
        let rss = self.watch_rss(window);
        let rec = drive(start(window)).await?;
        rss.await?;
        let peak = peak_rss_kib(self.args.server_pid);
        self.overall_peak_kib = self.overall_peak_kib.max(peak.unwrap_or(0));
        Ok((window.seconds(), rec, peak))
    }

    /// The closed-loop connections of a scenario over the first `count` browsers.
    fn connections(
        &self,
        scenario: &str,
        count: usize,
        window: Window,
    ) -> Vec<std::pin::Pin<Box<dyn Future<Output = Recorder> + Send>>> {
        let n = self.args.identities;
        let b = &self.browsers;
        let take = |v: &Vec<Arc<Browser>>| v.iter().take(count).cloned().collect::<Vec<_>>();
        match scenario {
            "healthz" => take(&b.anonymous)
                .into_iter()
                .zip(0..)
                .map(|(br, i)| Box::pin(pages(br, window, i, page_picker("healthz", n))) as _)
                .collect(),
            "search" | "identity" | "dashboard" => take(&b.admins)
                .into_iter()
                .zip(
                    match scenario {
                        "search" => 0,
                        "identity" => 100,
                        _ => 200,
                    }..,
                )
                .map(|(br, i)| Box::pin(pages(br, window, i, page_picker(scenario, n))) as _)
                .collect(),
            "me" => take(&b.me)
                .into_iter()
                .zip(0..)
                .map(|(br, i)| Box::pin(pages(br, window, i, page_picker("me", n))) as _)
                .collect(),
            "initiate_cancel" => take(&b.initiate)
                .into_iter()
                .map(|o| Box::pin(cycles(o, Starter::Owner, window)) as _)
                .collect(),
            _ => take(&b.cycle_owners)
                .into_iter()
                .zip(take(&b.admins))
                .zip(0..)
                .map(|((owner, admin), k)| {
                    let address = data::address(data::admin_cycle_identity(k));
                    Box::pin(cycles(owner, Starter::Admin { admin, address }, window)) as _
                })
                .collect(),
        }
    }

    async fn closed(
        &mut self,
        round: u32,
        side: &str,
        scenario: &str,
        count: usize,
    ) -> Result<Recorder> {
        let (seconds, rec, peak) = {
            let window = self.window();
            let conns = self.connections(scenario, count, window);
            let rss = self.watch_rss(window);
            let rec = drive(conns).await?;
            rss.await?;
            let peak = peak_rss_kib(self.args.server_pid);
            self.overall_peak_kib = self.overall_peak_kib.max(peak.unwrap_or(0));
            (window.seconds(), rec, peak)
        };
        let (tsv, line) = row(&format!("{round}\t{side}"), scenario, seconds, &rec, peak);
        writeln!(self.closed, "{tsv}")?;
        println!("{line}");
        if side == "app" && PAGES.contains(&scenario) && count == self.args.connections {
            self.page_rps
                .push((scenario.to_owned(), rec.requests.len() as f64 / seconds));
        }
        Ok(rec)
    }

    async fn bare(&mut self, round: u32, url: &str) -> Result<()> {
        let browsers: Vec<Arc<Browser>> = (0..self.args.connections as u32)
            .map(|i| Ok(Arc::new(Browser::new(url, 30_000 + i)?)))
            .collect::<Result<_>>()?;
        let (seconds, rec, _) = self
            .measure(|w| {
                browsers
                    .into_iter()
                    .zip(0..)
                    .map(|(b, i)| pages(b, w, i, page_picker("healthz", 1)))
                    .collect()
            })
            .await?;
        let (tsv, line) = row(&format!("{round}\tbare"), "healthz", seconds, &rec, None);
        writeln!(self.closed, "{tsv}")?;
        println!("{}", line.replacen("healthz ", "bare     ", 1));
        Ok(())
    }

    async fn floor(&mut self, round: u32, scenario: &str) -> Result<()> {
        let (args, clients) = (self.args.floor.clone(), self.args.connections);
        let (warmup, duration, identities) =
            (self.args.warmup, self.args.duration, self.args.identities);
        let scenario_owned = scenario.to_owned();
        let result = tokio::task::spawn_blocking(move || {
            if warmup > 0 {
                args.measure(&scenario_owned, clients, warmup, identities)?;
            }
            args.measure(&scenario_owned, clients, duration, identities)
        })
        .await?;
        match result {
            Ok(f) => {
                writeln!(
                    self.floors,
                    "{round}\t{scenario}\t{:.1}\t{}\t{clients}\t{}\t{:.3}\t",
                    f.tps, f.units, f.protocol, f.latency_ms
                )?;
                println!(
                    "{:<16} {:>9.1} floor/s  (pgbench {:.1} tps × {} units, average latency {:.2} ms)",
                    format!("  floor"),
                    f.tps * f.units,
                    f.tps,
                    f.units,
                    f.latency_ms
                );
            }
            Err(error) => {
                let text = error.to_string().replace(['\t', '\n'], " ");
                writeln!(
                    self.floors,
                    "{round}\t{scenario}\t\t\t{clients}\t\t\t{text}"
                )?;
                println!("  floor FAILED: {text}");
            }
        }
        Ok(())
    }
}

/// What a page scenario's connection fetches next.
fn page_picker(
    scenario: &str,
    n: u64,
) -> impl Fn(&mut data::Rng) -> String + Clone + Send + 'static {
    let scenario = scenario.to_owned();
    move |rng: &mut data::Rng| match scenario.as_str() {
        // `user` and the first five of seven digits: 100 matching usernames, 50 shown.
        "search" => format!("/admin/identities?q=user{:05}", rng.between(0, n / 100 - 1)),
        "identity" => format!("/admin/identities/{}", data::address(rng.between(1, n))),
        "me" => "/me".to_owned(),
        "dashboard" => "/admin".to_owned(),
        _ => "/healthz".to_owned(),
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let len = values.len();
    (len > 0).then(|| {
        if len % 2 == 1 {
            values[len / 2]
        } else {
            (values[len / 2 - 1] + values[len / 2]) / 2.0
        }
    })
}

async fn run(args: RunArgs) -> Result<()> {
    for name in &args.only {
        if !SCENARIOS.contains(&name.as_str()) && !LOW_PAGES.contains(&name.as_str()) {
            bail!(
                "unknown scenario {name}; known: {}, {}",
                SCENARIOS.join(", "),
                LOW_PAGES.join(", ")
            );
        }
    }
    if args.identities < 20 * args.connections as u64 + 20 {
        bail!("too few identities for {} connections", args.connections);
    }
    std::fs::create_dir_all(&args.out_dir)?;
    let dir = args.out_dir.clone();
    let (n, connections) = (args.identities, args.connections);
    let mut clients = Clients::new(&args.base_url, &args.password);
    // The scenarios' browsers serve the closed, low and open phases only.
    let pages = ["closed", "low", "open"]
        .iter()
        .any(|p| args.phases.iter().any(|q| q == p));
    let wants = |s: &str| pages && (args.only.is_empty() || args.only.iter().any(|o| o == s));
    println!("signing in the browsers (two sign-ins at a time)");
    let admin_names = (0..connections as u64).map(data::admin_username).collect();
    let needs_admins = ["search", "identity", "admin_cycle", "dashboard"]
        .iter()
        .any(|s| wants(s))
        || args.phases.iter().any(|p| p == "burst");
    let browsers = Browsers {
        admins: if needs_admins {
            clients.signed_in(ADMIN_LOGIN, admin_names).await?
        } else {
            Vec::new()
        },
        me: if wants("me") {
            clients
                .signed_in(OWNER_LOGIN, plain_owners(n, connections, 42))
                .await?
        } else {
            Vec::new()
        },
        initiate: if wants("initiate_cancel") {
            let names = (0..connections as u64)
                .map(|k| data::username(data::initiate_identity(k)))
                .collect();
            clients.signed_in(OWNER_LOGIN, names).await?
        } else {
            Vec::new()
        },
        cycle_owners: if wants("admin_cycle") {
            let names = (0..connections as u64)
                .map(|k| data::username(data::admin_cycle_identity(k)))
                .collect();
            clients.signed_in(OWNER_LOGIN, names).await?
        } else {
            Vec::new()
        },
        anonymous: clients.anonymous(connections)?,
    };
    let mut run = Run {
        clients,
        browsers,
        closed: tsv(&dir, "closed.tsv", COLUMNS)?,
        floors: tsv(&dir, "floors.tsv", FLOOR_COLUMNS)?,
        overall_peak_kib: 0,
        page_rps: Vec::new(),
        args,
    };

    if run.phase("closed") {
        for round in 1..=run.args.rounds {
            println!(
                "\n-- round {round} of {}: app, then its floor, scenario by scenario",
                run.args.rounds
            );
            for scenario in SCENARIOS {
                if !run.wants(scenario) {
                    continue;
                }
                run.closed(round, "app", scenario, connections).await?;
                if scenario == "healthz" {
                    if let Some(url) = run.args.bare_url.clone() {
                        run.bare(round, &url).await?;
                    }
                } else if run.args.floor.enabled() {
                    run.floor(round, scenario).await?;
                }
            }
        }
    }

    if run.phase("low") {
        let low = run.args.low_connections;
        println!("\n-- pages at {low} connections (latency without queueing)");
        let mut file = tsv(&dir, "low.tsv", COLUMNS)?;
        for scenario in LOW_PAGES {
            if run.wants(scenario) {
                let window = run.window();
                let conns = run.connections(scenario, low, window);
                let rec = drive(conns).await?;
                let (tsv, line) = row("1\tapp", scenario, window.seconds(), &rec, None);
                writeln!(file, "{tsv}")?;
                println!("{line}");
            }
        }
    }

    if run.phase("open") {
        println!("\n-- open loop: a fixed rate at half of each page's closed-loop requests/s");
        let mut file = tsv(&dir, "open.tsv", OPEN_COLUMNS)?;
        for scenario in PAGES {
            let closed = median(
                run.page_rps
                    .iter()
                    .filter(|(s, _)| s == scenario)
                    .map(|(_, r)| *r)
                    .collect(),
            );
            let Some(closed) = closed else { continue };
            let rate = closed / 2.0;
            let browsers = match scenario {
                "healthz" => run.browsers.anonymous.clone(),
                "me" => run.browsers.me.clone(),
                _ => run.browsers.admins.clone(),
            };
            let window = run.window();
            let rec = open_loop(browsers, rate, window, page_picker(scenario, n)).await?;
            let seconds = window.seconds();
            let (p50, p99) = (
                quantile_ms(&rec.requests, 0.5),
                quantile_ms(&rec.requests, 0.99),
            );
            let done = rec.requests.len();
            writeln!(
                file,
                "{scenario}\t{rate:.1}\t{closed:.1}\t{seconds:.1}\t{done}\t{:.1}\t{p50:.2}\t{p99:.2}\t{}",
                done as f64 / seconds,
                rec.errors
            )?;
            println!(
                "{scenario:<16} {rate:>9.1} req/s due, {:>9.1} done  p50 {p50:>7.2} ms  p99 {p99:>7.2} ms (from when due)  errors {}",
                done as f64 / seconds,
                rec.errors
            );
            for sample in &rec.error_samples {
                println!("{:<16} error: {sample}", "");
            }
        }
    }

    if run.phase("burst") {
        let concurrency = run.args.burst_concurrency;
        let rounds = run.args.rounds.max(1);
        println!(
            "\n-- sign-in burst: one admin reads identity pages, alone and beside {concurrency} sign-ins, {rounds} rounds"
        );
        let page = run
            .browsers
            .admins
            .first()
            .cloned()
            .context("no admin signed in")?;
        // Each round measures the page alone and then beside the sign-ins, right after each
        // other, so that machine noise lands on both sides of the round's ratio.
        let mut rows: Vec<(f64, f64, f64, burst::BurstResult, u64)> = Vec::new();
        for round in 1..=rounds {
            let first = run.clients.reserve(25_000);
            let rss = run.watch_rss(Window::new(
                Duration::from_secs(run.args.warmup * 2 + run.args.duration),
                Duration::from_secs(run.args.duration),
            ));
            let result = burst::run(
                burst::Burst {
                    base: &run.args.base_url,
                    password: &run.args.password,
                    concurrency,
                    warmup: Duration::from_secs(run.args.warmup),
                    duration: Duration::from_secs(run.args.duration),
                    identities: n,
                    first_address: first,
                },
                page.clone(),
                page_picker("identity", n),
            )
            .await;
            rss.await?;
            let peak = peak_rss_kib(run.args.server_pid).unwrap_or(0);
            run.overall_peak_kib = run.overall_peak_kib.max(peak);
            let (q99, d99) = (
                quantile_ms(&result.quiet.requests, 0.99),
                quantile_ms(&result.during.requests, 0.99),
            );
            let ratio = d99 / q99.max(0.001);
            let s = &result.sign_ins;
            println!(
                "round {round}: identity page p99 alone {q99:.2} ms, during the burst {d99:.2} ms ({ratio:.1}×); sign-ins: {} ok, {} × 503 with Retry-After, {} × 429, {} errors",
                s.ok, s.busy, s.throttled, s.errors
            );
            for sample in s.error_samples.iter().chain(&result.during.error_samples) {
                println!("{:<16} error: {sample}", "");
            }
            rows.push((ratio, q99, d99, result, peak));
        }
        let ratios: Vec<f64> = rows.iter().map(|row| row.0).collect();
        let middle = median(ratios.clone()).unwrap_or(0.0);
        // The round whose ratio is the median stands for the run in the report's table.
        let shown = rows
            .iter()
            .min_by(|a, b| (a.0 - middle).abs().total_cmp(&(b.0 - middle).abs()))
            .context("no burst round")?;
        let (_, q99, d99, result, _) = shown;
        let total = |count: fn(&burst::BurstResult) -> u64| {
            rows.iter()
                .map(|row| count(&row.3))
                .sum::<u64>()
                .to_string()
        };
        let s = &result.sign_ins;
        let mut file = std::fs::File::create(dir.join("burst.tsv"))?;
        let mut pairs = vec![
            ("concurrency".to_owned(), result.concurrency.to_string()),
            ("seconds".to_owned(), run.args.duration.to_string()),
            ("rounds".to_owned(), rounds.to_string()),
            (
                "ratios".to_owned(),
                ratios
                    .iter()
                    .map(|r| format!("{r:.2}"))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            (
                "quiet_requests".to_owned(),
                result.quiet.requests.len().to_string(),
            ),
            (
                "quiet_p50_ms".to_owned(),
                format!("{:.2}", quantile_ms(&result.quiet.requests, 0.5)),
            ),
            ("quiet_p99_ms".to_owned(), format!("{q99:.2}")),
            (
                "during_requests".to_owned(),
                result.during.requests.len().to_string(),
            ),
            (
                "during_p50_ms".to_owned(),
                format!("{:.2}", quantile_ms(&result.during.requests, 0.5)),
            ),
            ("during_p99_ms".to_owned(), format!("{d99:.2}")),
            (
                "page_errors".to_owned(),
                total(|r| r.quiet.errors + r.during.errors),
            ),
            ("sign_ins_ok".to_owned(), total(|r| r.sign_ins.ok)),
            ("sign_ins_busy_503".to_owned(), total(|r| r.sign_ins.busy)),
            (
                "sign_ins_throttled_429".to_owned(),
                total(|r| r.sign_ins.throttled),
            ),
            ("sign_ins_errors".to_owned(), total(|r| r.sign_ins.errors)),
            (
                "sign_in_p50_ms".to_owned(),
                format!("{:.2}", s.latency_ms(0.5)),
            ),
            (
                "sign_in_p99_ms".to_owned(),
                format!("{:.2}", s.latency_ms(0.99)),
            ),
            (
                "peak_rss_kib".to_owned(),
                rows.iter().map(|row| row.4).max().unwrap_or(0).to_string(),
            ),
        ];
        for (index, (ratio, q99, d99, _, _)) in rows.iter().enumerate() {
            pairs.push((
                format!("round{}", index + 1),
                format!("{q99:.2},{d99:.2},{ratio:.2}"),
            ));
        }
        for (key, value) in pairs {
            writeln!(file, "{key}\t{value}")?;
        }
        println!(
            "identity page p99 during ÷ alone: median {middle:.1}× over {rounds} rounds ({})",
            ratios
                .iter()
                .map(|r| format!("{r:.1}×"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    if run.phase("flood") {
        flood_phase(&mut run).await?;
    }

    if run.phase("api") {
        api::phase(&mut run).await?;
    }

    run.overall_peak_kib = run
        .overall_peak_kib
        .max(peak_rss_kib(run.args.server_pid).unwrap_or(0));
    println!(
        "peak RSS over the whole run, sign-ins included: {:.1} MiB",
        run.overall_peak_kib as f64 / 1024.0
    );
    std::fs::write(
        dir.join("extras.tsv"),
        format!("overall_peak_rss_kib\t{}\n", run.overall_peak_kib),
    )?;
    Ok(())
}

/// Issue 17: genuine sign-ins with and without a sign-in flood (see `flood.rs`).
async fn flood_phase(run: &mut Run) -> Result<()> {
    println!(
        "\n-- sign-in flood: genuine sign-ins and an admin page, without and beside {} flooding connections",
        run.args.flood_connections
    );
    // An admin that neither the flood nor the genuine client signs in as.
    let page = run
        .clients
        .signed_in(ADMIN_LOGIN, vec![data::admin_username(1)])
        .await?
        .remove(0);
    let setup = flood::Flood {
        base: &run.args.base_url,
        password: &run.args.password,
        identities: run.args.identities,
        connections: run.args.flood_connections,
        warmup: Duration::from_secs(run.args.warmup),
    };
    let picker = page_picker("identity", run.args.identities);
    flood::phase(setup, &page, picker, &run.args.out_dir.join("flood.md")).await
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let runtime = || {
        // Two workers, like `wrk -t2`: the client shares the machine with the server.
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
    };
    match cli.command {
        Command::Run(args) => runtime()?.block_on(run(*args)),
        Command::Capture(args) => runtime()?.block_on(capture::capture(args)),
        Command::Bare(args) => bare::serve(args),
        Command::Report(args) => report::write(&args),
        Command::Sweep(args) => sweep::write(&args),
    }
}
