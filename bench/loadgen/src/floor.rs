//! The pgbench floor of a scenario: the scenario's SQL alone (the script `loadgen capture`
//! generated), at the same number of connections, run right after the app's turn.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::capture::pgbench_vars;

#[derive(clap::Args, Clone)]
pub struct FloorArgs {
    /// The pgbench binary; without it no floors are measured.
    #[arg(long)]
    pub pgbench: Option<PathBuf>,
    /// PostgreSQL's socket directory (or host).
    #[arg(long, default_value = "")]
    pub pg_host: String,
    #[arg(long, default_value = "bench")]
    pub pg_database: String,
    /// Where the scripts and their `.vars` are (`loadgen capture --out`).
    #[arg(long)]
    pub scripts: Option<PathBuf>,
}

pub struct Floor {
    /// pgbench transactions per second.
    pub tps: f64,
    /// What one script run stands for (pages, or the transitions of a cycle).
    pub units: f64,
    pub latency_ms: f64,
    pub protocol: String,
}

impl FloorArgs {
    pub fn enabled(&self) -> bool {
        self.pgbench.is_some() && self.scripts.is_some()
    }

    /// One pgbench run of `seconds` with `clients` connections.
    pub fn measure(
        &self,
        scenario: &str,
        clients: usize,
        seconds: u64,
        identities: u64,
    ) -> Result<Floor> {
        let (pgbench, dir) = (
            self.pgbench.as_ref().context("no --pgbench")?,
            self.scripts.as_ref().context("no --scripts")?,
        );
        let script = dir.join(format!("{scenario}.sql"));
        let text = std::fs::read_to_string(&script)
            .with_context(|| format!("cannot read {}", script.display()))?;
        let header = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("-- {key}: ")))
                .map(str::trim)
                .map(str::to_owned)
        };
        let units: f64 = header("units")
            .context("script without `-- units:`")?
            .parse()?;
        let protocol = header("protocol").unwrap_or_else(|| "prepared".to_owned());
        // The `api` phase's hand-written scripts (`-- vars: none`) use no captured values.
        let vars = if header("vars").as_deref() == Some("none") {
            Vec::new()
        } else {
            pgbench_vars(dir, scenario)?
        };
        let output = Command::new(pgbench)
            .args(["-h", &self.pg_host, "-U", "postgres", "-n", "-M", &protocol])
            .args([
                "-c",
                &clients.to_string(),
                "-j",
                "2",
                "-T",
                &seconds.to_string(),
            ])
            .args(["-D", &format!("identities={identities}")])
            .args(vars)
            .arg("-f")
            .arg(&script)
            .arg(&self.pg_database)
            .output()
            .with_context(|| format!("cannot run {}", pgbench.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
            bail!(
                "pgbench {scenario} failed ({}): {}",
                output.status,
                tail.join(" | ")
            );
        }
        let find = |prefix: &str| {
            stdout.lines().find_map(|l| {
                l.strip_prefix(prefix)?
                    .split_whitespace()
                    .next()?
                    .parse::<f64>()
                    .ok()
            })
        };
        if let Some(failed) = find("number of failed transactions: ")
            && failed > 0.0
        {
            bail!("pgbench {scenario}: {failed} failed transactions");
        }
        Ok(Floor {
            tps: find("tps = ").context("no tps in pgbench's output")?,
            units,
            latency_ms: find("latency average = ").unwrap_or(0.0),
            protocol,
        })
    }
}
