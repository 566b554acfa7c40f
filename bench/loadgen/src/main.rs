//! Load generator of the Backbone Admin benchmark. `run` drives a running server with
//! browser-like clients and writes one TSV row per scenario; `report` turns those rows, the
//! pgbench floors and the machine facts into bench/RESULTS.md. bench/run.sh calls both.

mod browser;
mod data;
mod report;
mod scenarios;
mod stats;

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use browser::Browser;
use scenarios::{ADMIN_LOGIN, Clients, OWNER_LOGIN, Starter, cycles, drive, pages, plain_owners};
use stats::{Recorder, Window, peak_rss_kib, quantile_ms, reset_peak_rss};

#[derive(Parser)]
#[command(about = "Backbone Admin load generator (see bench/README.md)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Drive a running server through every scenario.
    Run(RunArgs),
    /// Write RESULTS.md from the scenario rows, the pgbench floors and the machine facts.
    Report(report::ReportArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    #[arg(long, default_value = "http://127.0.0.1:18080")]
    base_url: String,
    /// The server's process ID, for its peak RSS.
    #[arg(long)]
    server_pid: u32,
    /// Identities in the seeded database (bench/sql/seed.sql).
    #[arg(long, default_value_t = 1_000_000)]
    identities: u64,
    /// Password of every seeded device and bench admin.
    #[arg(long)]
    password: String,
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Measured seconds per scenario.
    #[arg(long, default_value_t = 15)]
    duration: u64,
    /// Unmeasured seconds before each scenario's window.
    #[arg(long, default_value_t = 3)]
    warmup: u64,
    /// Only these scenarios (comma-separated); all by default.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Where the TSV rows go.
    #[arg(long)]
    out: PathBuf,
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

/// The TSV header `run` writes and `report` reads.
pub const COLUMNS: &str = "scenario\tseconds\trequests\trps\tp50_ms\tp99_ms\ttransitions\ttps\tt_p50_ms\tt_p99_ms\terrors\tpeak_rss_kib";

struct Run {
    args: RunArgs,
    clients: Clients,
    admins: Vec<Arc<Browser>>,
    out: std::fs::File,
    /// The highest VmHWM seen, sign-ins between the windows included.
    overall_peak_kib: u64,
}

impl Run {
    fn wants(&self, scenario: &str) -> bool {
        self.args.only.is_empty() || self.args.only.iter().any(|s| s == scenario)
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

    async fn admins(&mut self) -> Result<Vec<Arc<Browser>>> {
        if self.admins.is_empty() {
            let names = (0..self.args.connections as u64)
                .map(data::admin_username)
                .collect();
            self.admins = self.clients.signed_in(ADMIN_LOGIN, names).await?;
        }
        Ok(self.admins.clone())
    }

    async fn owners(&mut self, usernames: Vec<String>) -> Result<Vec<Arc<Browser>>> {
        self.clients.signed_in(OWNER_LOGIN, usernames).await
    }

    /// Runs one scenario whose connections `start` builds, and reports it.
    async fn measure<F>(&mut self, name: &str, start: impl FnOnce(Window) -> Vec<F>) -> Result<()>
    where
        F: Future<Output = Recorder> + Send + 'static,
    {
        let window = self.window();
        let rss = self.watch_rss(window);
        let rec = drive(start(window)).await?;
        rss.await?;
        let peak = peak_rss_kib(self.args.server_pid);
        self.overall_peak_kib = self.overall_peak_kib.max(peak.unwrap_or(0));
        self.write(name, window.seconds(), &rec, peak)
    }

    fn write(&mut self, name: &str, seconds: f64, rec: &Recorder, peak: Option<u64>) -> Result<()> {
        let (requests, transitions) = (rec.requests.len(), rec.transitions.len());
        let (rps, tps) = (requests as f64 / seconds, transitions as f64 / seconds);
        let row = format!(
            "{name}\t{seconds:.1}\t{requests}\t{rps:.1}\t{:.2}\t{:.2}\t{transitions}\t{tps:.1}\t{:.2}\t{:.2}\t{}\t{}",
            quantile_ms(&rec.requests, 0.5),
            quantile_ms(&rec.requests, 0.99),
            quantile_ms(&rec.transitions, 0.5),
            quantile_ms(&rec.transitions, 0.99),
            rec.errors,
            peak.map_or_else(|| "-".to_owned(), |kib| kib.to_string()),
        );
        writeln!(self.out, "{row}")?;
        let rss = peak.map_or_else(
            || "?".to_owned(),
            |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
        );
        let mut line = format!(
            "{name:<16} {rps:>9.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {:>4}  peak RSS {rss}",
            quantile_ms(&rec.requests, 0.5),
            quantile_ms(&rec.requests, 0.99),
            rec.errors,
        );
        if transitions > 0 {
            line.push_str(&format!(
                "\n{:<16} {tps:>9.1} transitions/s  (POST p50 {:.2} ms, p99 {:.2} ms)",
                "",
                quantile_ms(&rec.transitions, 0.5),
                quantile_ms(&rec.transitions, 0.99),
            ));
        }
        println!("{line}");
        for sample in &rec.error_samples {
            println!("{:<16} error: {sample}", "");
        }
        Ok(())
    }
}

async fn run(args: RunArgs) -> Result<()> {
    for name in &args.only {
        if !SCENARIOS.contains(&name.as_str()) {
            bail!("unknown scenario {name}; known: {}", SCENARIOS.join(", "));
        }
    }
    if args.identities < 20 * args.connections as u64 + 20 {
        bail!("too few identities for {} connections", args.connections);
    }
    let mut out = std::fs::File::create(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    writeln!(out, "{COLUMNS}")?;
    let mut run = Run {
        clients: Clients::new(&args.base_url, &args.password),
        args,
        admins: Vec::new(),
        out,
        overall_peak_kib: 0,
    };
    let (n, connections) = (run.args.identities, run.args.connections);

    if run.wants("healthz") {
        let browsers = run.clients.anonymous(connections)?;
        run.measure("healthz", |w| {
            let pick = |_: &mut data::Rng| "/healthz".to_owned();
            browsers
                .into_iter()
                .zip(0..)
                .map(|(b, i)| pages(b, w, i, pick))
                .collect()
        })
        .await?;
    }
    if run.wants("search") {
        let admins = run.admins().await?;
        run.measure("search", |w| {
            // `user` and the first five of seven digits: 100 matching usernames, 50 shown.
            let pick = move |rng: &mut data::Rng| {
                format!("/admin/identities?q=user{:05}", rng.between(0, n / 100 - 1))
            };
            admins
                .into_iter()
                .zip(0..)
                .map(|(b, i)| pages(b, w, i, pick))
                .collect()
        })
        .await?;
    }
    if run.wants("identity") {
        let admins = run.admins().await?;
        run.measure("identity", |w| {
            let pick = move |rng: &mut data::Rng| {
                format!("/admin/identities/{}", data::address(rng.between(1, n)))
            };
            admins
                .into_iter()
                .zip(100..)
                .map(|(b, i)| pages(b, w, i, pick))
                .collect()
        })
        .await?;
    }
    if run.wants("me") {
        let owners = run.owners(plain_owners(n, connections, 42)).await?;
        run.measure("me", |w| {
            let pick = |_: &mut data::Rng| "/me".to_owned();
            owners
                .into_iter()
                .zip(0..)
                .map(|(b, i)| pages(b, w, i, pick))
                .collect()
        })
        .await?;
    }
    if run.wants("initiate_cancel") {
        let names = (0..connections as u64)
            .map(|k| data::username(data::initiate_identity(k)))
            .collect();
        let owners = run.owners(names).await?;
        run.measure("initiate_cancel", |w| {
            owners
                .into_iter()
                .map(|o| cycles(o, Starter::Owner, w))
                .collect()
        })
        .await?;
    }
    if run.wants("admin_cycle") {
        let admins = run.admins().await?;
        let names = (0..connections as u64)
            .map(|k| data::username(data::admin_cycle_identity(k)))
            .collect();
        let owners = run.owners(names).await?;
        run.measure("admin_cycle", |w| {
            owners
                .into_iter()
                .zip(admins)
                .zip(0..)
                .map(|((owner, admin), k)| {
                    let address = data::address(data::admin_cycle_identity(k));
                    cycles(owner, Starter::Admin { admin, address }, w)
                })
                .collect()
        })
        .await?;
    }
    run.overall_peak_kib = run
        .overall_peak_kib
        .max(peak_rss_kib(run.args.server_pid).unwrap_or(0));
    println!(
        "peak RSS over the whole run, sign-ins included: {:.1} MiB",
        run.overall_peak_kib as f64 / 1024.0
    );
    writeln!(run.out, "#overall_peak_rss_kib\t{}", run.overall_peak_kib)?;
    Ok(())
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => {
            // Two workers, like `wrk -t2`: the client shares the machine with the server.
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?
                .block_on(run(args))
        }
        Command::Report(args) => report::write(&args),
    }
}
