//! The pgbench floors, generated from what the app really sends.
//!
//! `loadgen capture` drives each database scenario through one browser (one request at a
//! time) while PostgreSQL logs every statement (`log_statement = 'all'`, bench/run.sh turns
//! it on and off). Before every unit (a page, or one cycle of transitions) and every request
//! it appends a marker line to the server's log, so the log splits into units and requests.
//! From one unit it writes `bench/pgbench`-style scripts: the app's statements verbatim, with
//! each bound parameter replaced by what it stands for (see [`Generator::expression`]):
//! the identity's address or device from the pgbench variable `n`, a new process ID from
//! `p`, the current time, a per-client session, or the captured value itself as a `-D`
//! variable (written to `<scenario>.vars`). `setup.sql` makes each pgbench client its own
//! copy of the captured sessions.
//!
//! bench/run.sh compares the generated scripts with the committed ones: any difference is
//! drift between the app's SQL and its floor.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use hyper::StatusCode;
use sha2::{Digest, Sha256};

use crate::browser::{Browser, process_link};
use crate::data::{self, Rng};
use crate::scenarios::{ADMIN_LOGIN, Clients, OWNER_LOGIN};

/// Scenarios whose SQL has a floor, in order.
pub const DB_SCENARIOS: [&str; 5] = ["search", "identity", "me", "initiate_cancel", "admin_cycle"];

/// Marker prefix in the server log.
const MARK: &str = "BENCH-CAPTURE";
/// Per-client copies of each captured session (pgbench clients 0…CLONES-1).
const CLONES: u32 = 256;

#[derive(clap::Args)]
pub struct CaptureArgs {
    #[arg(long, default_value = "http://127.0.0.1:18080")]
    base_url: String,
    #[arg(long, default_value_t = 1_000_000)]
    identities: u64,
    #[arg(long)]
    password: String,
    /// PostgreSQL's log file (the one `pg_ctl -l` writes), logging every statement with
    /// `log_line_prefix = '%n [%p] '`.
    #[arg(long)]
    log: PathBuf,
    /// Units captured per scenario; the script is made from the most common statement sequence.
    #[arg(long, default_value_t = 3)]
    units: usize,
    /// Only these scenarios (comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Directory for the scripts, their variables and setup.sql.
    #[arg(long)]
    out: PathBuf,
}

// ----- driving ------------------------------------------------------------------------------

/// Appends marker lines to the server's log (opened for appending, as PostgreSQL's own
/// writes are, so lines never overwrite each other).
struct Marker {
    file: std::fs::File,
}

impl Marker {
    async fn mark(&mut self, line: &str) -> Result<()> {
        // Anything the previous request left running reaches the log first.
        tokio::time::sleep(Duration::from_millis(30)).await;
        self.file.write_all(format!("{MARK} {line}\n").as_bytes())?;
        Ok(())
    }
}

/// The request's path with its variable parts named, for the script's comments.
fn label(method: &str, path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix("did:e:localhost:dids:") {
            out.push_str("{address}");
            rest = tail.trim_start_matches(|c: char| c.is_ascii_hexdigit());
        } else if rest.starts_with("IDP") && rest.len() >= 20 {
            out.push_str("{id}");
            rest = &rest[20..];
        } else if let Some(tail) = rest.strip_prefix("q=user") {
            out.push_str("q=user{prefix}");
            rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    format!("{method} {out}")
}

/// One browser, marking each request in the log.
struct Traced<'a> {
    marker: &'a mut Marker,
}

impl Traced<'_> {
    async fn get(&mut self, browser: &Browser, path: &str) -> Result<String> {
        self.marker
            .mark(&format!("request {}", label("GET", path)))
            .await?;
        let reply = browser.get(path).await?;
        if reply.status != StatusCode::OK {
            bail!("GET {path}: {}", reply.status);
        }
        Ok(reply.body)
    }

    /// POST, then GET the page it redirects to (which must show the success message).
    async fn post(&mut self, browser: &Browser, path: &str) -> Result<String> {
        self.marker
            .mark(&format!("request {}", label("POST", path)))
            .await?;
        let reply = browser.post(path, &[]).await?;
        let location = reply
            .location
            .filter(|_| reply.status == StatusCode::SEE_OTHER)
            .with_context(|| format!("POST {path}: {}", reply.status))?;
        let page = self.get(browser, &location).await?;
        if !page.contains("flash-success") {
            bail!("POST {path}: no success message on {location}");
        }
        Ok(page)
    }
}

/// Brings an owner's identity back to "no open process" (outside any unit).
async fn settle(owner: &Browser) -> Result<()> {
    for _ in 0..3 {
        let me = owner.get("/me").await?.body;
        let Some(id) = process_link(&me, "cancel").or_else(|| process_link(&me, "approve")) else {
            return Ok(());
        };
        let path = if process_link(&me, "cancel").is_some() {
            format!("/me/deletion-processes/{id}/cancel")
        } else {
            format!("/me/deletion-processes/{id}/approve")
        };
        owner.post(&path, &[]).await?;
    }
    bail!("could not bring the capture owner's identity back to no open process")
}

async fn drive(args: &CaptureArgs, marker: &mut Marker) -> Result<()> {
    let n_max = args.identities;
    // Source addresses far from those `run` uses, so that no sign-in limit carries over.
    let mut clients = Clients::new(&args.base_url, &args.password).starting_at(60_000);
    let wants = |s: &str| args.only.is_empty() || args.only.iter().any(|o| o == s);
    let admin = clients
        .signed_in(ADMIN_LOGIN, vec![data::admin_username(0)])
        .await?
        .remove(0);
    let mut rng = Rng::new(4242);
    let mut t = Traced { marker };

    if wants("search") {
        for k in 0..args.units {
            let q = rng.between(0, n_max / 100 - 1);
            t.marker.mark(&format!("unit search {k} q={q:05}")).await?;
            t.get(&admin, &format!("/admin/identities?q=user{q:05}"))
                .await?;
            t.marker.mark("end").await?;
        }
    }
    if wants("identity") {
        for k in 0..args.units {
            let n = rng.between(1, n_max);
            t.marker.mark(&format!("unit identity {k} n={n}")).await?;
            t.get(&admin, &format!("/admin/identities/{}", data::address(n)))
                .await?;
            t.marker.mark("end").await?;
        }
    }
    if wants("me") {
        let names = crate::scenarios::plain_owners(n_max, args.units, 4243);
        let owners = clients.signed_in(OWNER_LOGIN, names.clone()).await?;
        for (k, (owner, name)) in owners.iter().zip(&names).enumerate() {
            let n: u64 = name.trim_start_matches("user").parse()?;
            // The page once before, as the scenario's owners have seen it many times.
            owner.get("/me").await?;
            t.marker.mark(&format!("unit me {k} n={n}")).await?;
            t.get(owner, "/me").await?;
            t.marker.mark("end").await?;
        }
    }
    if wants("initiate_cancel") {
        let n = data::initiate_identity(0);
        let owner = clients
            .signed_in(OWNER_LOGIN, vec![data::username(n)])
            .await?
            .remove(0);
        settle(&owner).await?;
        for k in 0..args.units {
            t.marker
                .mark(&format!("unit initiate_cancel {k} n={n}"))
                .await?;
            let me = t.post(&owner, "/me/deletion-processes").await?;
            let id = process_link(&me, "cancel").context("no cancel link after initiating")?;
            t.post(&owner, &format!("/me/deletion-processes/{id}/cancel"))
                .await?;
            t.marker.mark("end").await?;
        }
    }
    if wants("admin_cycle") {
        let n = data::admin_cycle_identity(0);
        let owner = clients
            .signed_in(OWNER_LOGIN, vec![data::username(n)])
            .await?
            .remove(0);
        settle(&owner).await?;
        let address = data::address(n);
        for k in 0..args.units {
            t.marker
                .mark(&format!("unit admin_cycle {k} n={n}"))
                .await?;
            t.post(
                &admin,
                &format!("/admin/identities/{address}/deletion-processes"),
            )
            .await?;
            let me = t.get(&owner, "/me").await?;
            let id = process_link(&me, "approve").context("no approve link for the owner")?;
            let me = t
                .post(&owner, &format!("/me/deletion-processes/{id}/approve"))
                .await?;
            let id = process_link(&me, "cancel").context("no cancel link after approving")?;
            t.post(&owner, &format!("/me/deletion-processes/{id}/cancel"))
                .await?;
            t.marker.mark("end").await?;
        }
    }
    Ok(())
}

pub async fn capture(mut args: CaptureArgs) -> Result<()> {
    args.only.retain(|s| !s.is_empty());
    for name in &args.only {
        if !DB_SCENARIOS.contains(&name.as_str()) {
            bail!(
                "unknown scenario {name}; known: {}",
                DB_SCENARIOS.join(", ")
            );
        }
    }
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&args.log)
        .with_context(|| format!("cannot append to {}", args.log.display()))?;
    let start = file.metadata()?.len();
    let mut marker = Marker { file };
    drive(&args, &mut marker).await?;

    let mut text = String::new();
    let mut log = std::fs::File::open(&args.log)?;
    log.seek(SeekFrom::Start(start))?;
    log.read_to_string(&mut text)?;
    let units = parse_log(&text)?;
    std::fs::create_dir_all(&args.out)?;
    let mut setup = String::from(
        "-- Generated by `loadgen capture`: per-client copies of the sessions the captured\n\
         -- requests used, for the pgbench floors (bench/run.sh runs it before them).\n",
    );
    let mut summary = String::new();
    for scenario in DB_SCENARIOS {
        let mine: Vec<&Unit> = units.iter().filter(|u| u.scenario == scenario).collect();
        if mine.is_empty() {
            continue;
        }
        let (chosen, same) = most_common(&mine);
        let generated = Generator::new(scenario, chosen).script()?;
        std::fs::write(args.out.join(format!("{scenario}.sql")), &generated.script)?;
        std::fs::write(args.out.join(format!("{scenario}.vars")), &generated.vars)?;
        setup.push_str(&generated.setup);
        writeln!(
            summary,
            "{scenario}\t{} statements in {} requests\t{same} of {} units alike",
            chosen.statements(),
            chosen.requests.len(),
            mine.len()
        )?;
        println!(
            "{scenario:<16} {} statements in {} requests per unit ({same} of {} captured units alike)",
            chosen.statements(),
            chosen.requests.len(),
            mine.len()
        );
    }
    std::fs::write(args.out.join("setup.sql"), setup)?;
    std::fs::write(args.out.join("capture.tsv"), summary)?;
    Ok(())
}

// ----- the log ------------------------------------------------------------------------------

/// One statement as the server logged it.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Seconds since the epoch when the server logged it.
    pub at: f64,
    pub sql: String,
    /// `$1`, `$2`, … (`None`: NULL).
    pub params: Vec<Option<String>>,
}

#[derive(Debug)]
pub struct Request {
    pub label: String,
    pub statements: Vec<Statement>,
}

/// One unit of a scenario: its requests and what the unit's marker said (`n=…`, `q=…`).
#[derive(Debug)]
pub struct Unit {
    pub scenario: String,
    pub context: HashMap<String, String>,
    pub requests: Vec<Request>,
}

impl Unit {
    fn statements(&self) -> usize {
        self.requests.iter().map(|r| r.statements.len()).sum()
    }

    /// What must be equal between units: the requests and their statements' text.
    fn shape(&self) -> Vec<(&str, Vec<&str>)> {
        self.requests
            .iter()
            .map(|r| {
                (
                    r.label.as_str(),
                    r.statements.iter().map(|s| s.sql.as_str()).collect(),
                )
            })
            .collect()
    }
}

/// The unit whose shape most units share, and how many share it.
fn most_common<'a>(units: &[&'a Unit]) -> (&'a Unit, usize) {
    let mut best = (units[0], 0);
    for unit in units {
        let same = units.iter().filter(|u| u.shape() == unit.shape()).count();
        if same > best.1 {
            best = (unit, same);
        }
    }
    best
}

/// Left out of the floors: connection set-up and the pool's liveness check.
fn is_overhead(sql: &str) -> bool {
    let s = sql.trim().to_ascii_uppercase();
    s.starts_with("SET ") || s == "SELECT 1" || s.starts_with("SHOW ")
}

/// `%n [%p] LOG:  …` → (time, pid, rest).
fn prefix(line: &str) -> Option<(f64, &str, &str)> {
    let (at, rest) = line.split_once(' ')?;
    let at: f64 = at.parse().ok()?;
    let rest = rest.strip_prefix('[')?;
    let (pid, rest) = rest.split_once("] ")?;
    Some((at, pid, rest))
}

/// The values of `parameters: $1 = 'a', $2 = NULL, …`.
fn parse_params(text: &str) -> Result<Vec<Option<String>>> {
    let mut values = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let eq = rest.find(" = ").context("parameter without ' = '")?;
        let index: usize = rest[..eq].trim_start_matches('$').parse()?;
        if index != values.len() + 1 {
            bail!("parameters out of order near {rest}");
        }
        rest = &rest[eq + 3..];
        if let Some(tail) = rest.strip_prefix("NULL") {
            values.push(None);
            rest = tail;
        } else {
            let mut chars = rest.char_indices().skip(1).peekable();
            let mut value = String::new();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if matches!(chars.peek(), Some((_, '\''))) {
                        value.push('\'');
                        chars.next();
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            let end = end.context("unterminated parameter value")?;
            values.push(Some(value));
            rest = &rest[end..];
        }
        rest = rest.strip_prefix(", ").unwrap_or(rest);
    }
    Ok(values)
}

/// Splits the log (from where the capture began) into units.
pub fn parse_log(text: &str) -> Result<Vec<Unit>> {
    // Entries first: a logged line plus its tab-indented continuation lines.
    let mut entries: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(more) = line.strip_prefix('\t')
            && let Some(last) = entries.last_mut()
        {
            last.push('\n');
            last.push_str(more);
        } else {
            entries.push(line.to_owned());
        }
    }
    let mut units: Vec<Unit> = Vec::new();
    let mut last_by_pid: HashMap<String, (usize, usize, usize)> = HashMap::new();
    let mut in_unit = false;
    for entry in &entries {
        if let Some(marker) = entry.strip_prefix(MARK) {
            let mut words = marker.split_whitespace();
            match words.next() {
                Some("unit") => {
                    let scenario = words.next().context("unit marker without scenario")?;
                    let _index = words.next();
                    let context = words
                        .filter_map(|w| w.split_once('='))
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect();
                    units.push(Unit {
                        scenario: scenario.to_owned(),
                        context,
                        requests: Vec::new(),
                    });
                    in_unit = true;
                }
                Some("request") => {
                    if let Some(unit) = units.last_mut().filter(|_| in_unit) {
                        let label = marker.trim_start().trim_start_matches("request").trim();
                        unit.requests.push(Request {
                            label: label.to_owned(),
                            statements: Vec::new(),
                        });
                    }
                }
                _ => in_unit = false,
            }
            continue;
        }
        let Some((at, pid, rest)) = prefix(entry) else {
            continue;
        };
        if let Some(detail) = rest.strip_prefix("DETAIL:  parameters: ") {
            if let Some(&(u, r, s)) = last_by_pid.get(pid) {
                units[u].requests[r].statements[s].params = parse_params(detail)?;
            }
            continue;
        }
        let Some(message) = rest.strip_prefix("LOG:  ") else {
            continue;
        };
        let sql = if let Some(simple) = message.strip_prefix("statement: ") {
            simple
        } else if let Some(execute) = message.strip_prefix("execute ") {
            match execute.split_once(": ") {
                Some((_, sql)) => sql,
                None => continue,
            }
        } else {
            continue;
        };
        if !in_unit || is_overhead(sql) {
            last_by_pid.remove(pid);
            continue;
        }
        let u = units.len() - 1;
        let Some(r) = units[u].requests.len().checked_sub(1) else {
            continue;
        };
        let statements = &mut units[u].requests[r].statements;
        statements.push(Statement {
            at,
            sql: sql.to_owned(),
            params: Vec::new(),
        });
        last_by_pid.insert(pid.to_owned(), (u, r, statements.len() - 1));
    }
    Ok(units)
}

// ----- the scripts --------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the epoch of `YYYY-MM-DD hh:mm:ss[.ffffff][+hh[:mm]]`.
fn timestamp(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm) = (num(11..13)?, num(14..16)?);
    let mut rest = &text[17..];
    let secs_end = rest.find(['+', '-']).unwrap_or(rest.len());
    let seconds: f64 = rest[..secs_end].parse().ok()?;
    rest = &rest[secs_end..];
    let mut offset = 0;
    if !rest.is_empty() {
        let sign = if rest.starts_with('-') { -1 } else { 1 };
        let (h, min) = rest[1..].split_once(':').unwrap_or((&rest[1..], "0"));
        offset = sign * (h.parse::<i64>().ok()? * 3600 + min.parse::<i64>().ok()? * 60);
    }
    // Days from the civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hh * 3600 + mm * 60 - offset) as f64 + seconds)
}

/// `now()`, or `now()` ± an interval, for a time `offset` seconds from when the statement ran,
/// if it is one: a period from now is a whole number of minutes (a multiple of five); a time
/// read from the data (a seeded `created_at`) rarely lands within a second of one.
fn from_now(offset: f64) -> Option<String> {
    if offset.abs() < 5.0 {
        return Some("now()".to_owned());
    }
    let minutes = (offset / 60.0).round();
    ((offset - minutes * 60.0).abs() < 1.0 && minutes % 5.0 == 0.0).then(|| {
        let sign = if minutes < 0.0 { '-' } else { '+' };
        format!("(now() {sign} interval '{} minutes')", minutes.abs())
    })
}

/// The column an UPDATE sets to parameter `k` (`UPDATE … SET "c" = $k, …`), if it does.
fn set_column(sql: &str, k: usize) -> Option<String> {
    let upper = sql.trim_start().to_ascii_uppercase();
    if !upper.starts_with("UPDATE") {
        return None;
    }
    let set_end = sql.find(" WHERE ").unwrap_or(sql.len());
    let token = format!("${k}");
    let at = sql[..set_end].match_indices(&token).find_map(|(i, _)| {
        let next = sql[i + token.len()..].chars().next();
        (!next.is_some_and(|c| c.is_ascii_digit())).then_some(i)
    })?;
    let before = sql[..at]
        .trim_end()
        .strip_suffix('=')?
        .trim_end()
        .strip_suffix('"')?;
    let column = &before[before.rfind('"')? + 1..];
    Some(column.to_owned())
}

/// The `"table"` and `"column"` an INSERT writes parameter `k` into
/// (`INSERT INTO "t" ("a", "b") VALUES ($1, $2)`), if it does.
fn inserted_column(sql: &str, k: usize) -> Option<(String, String)> {
    let rest = sql.trim_start().strip_prefix("INSERT INTO \"")?;
    let table = &rest[..rest.find('"')?];
    let open = rest.find('(')?;
    let close = open + rest[open..].find(')')?;
    let values_at = close + rest[close..].find("VALUES (")? + "VALUES (".len();
    let values_end = values_at + rest[values_at..].find(')')?;
    let token = format!("${k}");
    let position = rest[values_at..values_end]
        .split(',')
        .position(|value| value.trim() == token)?;
    let column = rest[open + 1..close].split(',').nth(position)?;
    Some((table.to_owned(), column.trim().trim_matches('"').to_owned()))
}

/// The `"table"."column"` a parameter is compared with (`… "t"."c" = $k`), if any.
fn compared_column(sql: &str, k: usize) -> Option<(String, String)> {
    let token = format!("${k}");
    let mut search = 0;
    while let Some(at) = sql[search..].find(&token).map(|i| i + search) {
        search = at + token.len();
        if sql[search..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let before = sql[..at].trim_end().strip_suffix('=')?.trim_end();
        let before = before.strip_suffix('"')?;
        let col_start = before.rfind('"')?;
        let column = &before[col_start + 1..];
        let before = before[..col_start].strip_suffix('.')?.strip_suffix('"')?;
        let table = &before[before.rfind('"')? + 1..];
        return Some((table.to_owned(), column.to_owned()));
    }
    None
}

fn is_token(value: &str) -> bool {
    let bytea = value.len() == 66
        && value.starts_with("\\x")
        && value[2..].bytes().all(|b| b.is_ascii_hexdigit());
    let text = value.len() >= 32
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    bytea || text
}

fn is_generated_id(value: &str) -> bool {
    value.len() == 20
        && value[..3].bytes().all(|b| b.is_ascii_uppercase())
        && value[3..].bytes().all(|b| b.is_ascii_alphanumeric())
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// What a scenario's script starts with: the pgbench variables its expressions use.
fn preamble(scenario: &str) -> (&'static str, u32, &'static str) {
    // (description, units per script run, \set lines)
    match scenario {
        "search" => (
            "the admin search by username prefix (GET /admin/identities?q=user#####)",
            1,
            "\\set q random(0, :identities / 100 - 1)\n",
        ),
        "identity" => (
            "the admin identity page (GET /admin/identities/{address}, random identity)",
            1,
            "\\set n random(1, :identities)\n",
        ),
        "me" => (
            "the owner's /me page (one identity per client)",
            1,
            "\\set n 1 + (:client_id * 15485863) % :identities\n",
        ),
        "initiate_cancel" => (
            "one owner initiate → cancel cycle (2 transitions), each client on its own identity \
             (n % 20 = 12, reserved by seed.sql)",
            2,
            "\\set n 20 * :client_id + 12\n\\set p random(1, 99999999999999)\n",
        ),
        _ => (
            "one admin start → owner approve → owner cancel cycle (3 transitions), each client on \
             its own identity (n % 20 = 13, reserved by seed.sql)",
            3,
            "\\set n 20 * :client_id + 13\n\\set p random(1, 99999999999999)\n",
        ),
    }
}

const ADDRESS: &str = "concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22))";
const DEVICE: &str =
    "('DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17))";
const SEEDED_PROCESS: &str =
    "('IDP' || left(encode(sha256(convert_to('p' || :n::text, 'UTF8')), 'hex'), 17))";
const USERNAME: &str = "('user' || lpad(:n::text, 7, '0'))";
const PREFIX: &str = "('user' || lpad(:q::text, 5, '0'))";

pub struct Generated {
    pub script: String,
    pub vars: String,
    pub setup: String,
}

/// Turns one captured unit into a pgbench script.
struct Generator<'a> {
    scenario: &'a str,
    unit: &'a Unit,
    /// value → (expression) for values already seen.
    known: HashMap<String, String>,
    literals: Vec<String>,
    sessions: Vec<(String, String, String, bool)>,
    generated_ids: usize,
    /// The request each value first appeared in, and the request being written.
    first_request: HashMap<String, usize>,
    request: usize,
}

impl<'a> Generator<'a> {
    fn new(scenario: &'a str, unit: &'a Unit) -> Self {
        Self {
            scenario,
            unit,
            known: HashMap::new(),
            literals: Vec::new(),
            sessions: Vec::new(),
            generated_ids: 0,
            first_request: HashMap::new(),
            request: 0,
        }
    }

    /// Values the unit's identity (`n`) or search prefix (`q`) determine.
    fn derived(&self) -> Vec<(String, String)> {
        // The capture's admin is bench-admin-01; each pgbench client acts as its own admin,
        // as each of the scenario's connections does (one admin row share-locked by every
        // client's foreign-key checks would be a contention the app does not have).
        let mut pairs = vec![(
            data::admin_username(0),
            "('bench-admin-' || lpad((:client_id % 64 + 1)::text, 2, '0'))".to_owned(),
        )];
        if let Some(n) = self
            .unit
            .context
            .get("n")
            .and_then(|n| n.parse::<u64>().ok())
        {
            let address = data::address(n);
            let device = format!(
                "DVC{}",
                &hex(&Sha256::digest(format!("d{n}").as_bytes()))[..17]
            );
            let process = format!(
                "IDP{}",
                &hex(&Sha256::digest(format!("p{n}").as_bytes()))[..17]
            );
            let sha = |text: &str| format!("\\x{}", hex(&Sha256::digest(text.as_bytes())));
            pairs.push((
                sha(&address),
                format!("sha256(convert_to({ADDRESS}, 'UTF8'))"),
            ));
            pairs.push((
                sha(&device),
                format!("sha256(convert_to({DEVICE}, 'UTF8'))"),
            ));
            pairs.push((address, ADDRESS.to_owned()));
            pairs.push((device, DEVICE.to_owned()));
            pairs.push((process, SEEDED_PROCESS.to_owned()));
            pairs.push((data::username(n), USERNAME.to_owned()));
        }
        pairs
    }

    /// What stands for the `k`-th parameter (1-based) of `statement` in the script.
    fn expression(
        &mut self,
        statement: &Statement,
        k: usize,
        derived: &[(String, String)],
        first_in_insert: &HashMap<String, bool>,
    ) -> String {
        let Some(value) = &statement.params[k - 1] else {
            return "NULL".to_owned();
        };
        // A time the app read from the row and writes back unchanged (an UPDATE setting every
        // column): the row keeps its own value, as it does in the app. The captured value would
        // give every client's row the same time and crowd the time indexes' entries together.
        // It is one when an earlier request of the unit sent it already, or when it lies in
        // the past (deadlines the app sets lie ahead) and is no period from now.
        if let Some(column) = set_column(&statement.sql, k)
            && let Some(at) = timestamp(value)
            && (self
                .first_request
                .get(value)
                .is_some_and(|r| *r < self.request)
                || at - statement.at < -5.0
                || from_now(at - statement.at).is_none())
        {
            return format!("\"{column}\"");
        }
        // An event's number in its identity's feed (`max + 1` in the app): unique per script
        // run like a generated ID, or the second run would collide with the first's events.
        if inserted_column(&statement.sql, k)
            .is_some_and(|(table, column)| table == "external_events" && column == "event_index")
        {
            self.generated_ids += 1;
            return format!("(:p::bigint * 100 + {})", self.generated_ids);
        }
        if let Some(known) = self.known.get(value) {
            return known.clone();
        }
        let expression = self.classify(statement, k, value, derived, first_in_insert);
        self.known.insert(value.clone(), expression.clone());
        expression
    }

    fn classify(
        &mut self,
        statement: &Statement,
        k: usize,
        value: &str,
        derived: &[(String, String)],
        first_in_insert: &HashMap<String, bool>,
    ) -> String {
        if let Some((_, expression)) = derived.iter().find(|(v, _)| v == value) {
            return expression.clone();
        }
        if let Some(q) = self.unit.context.get("q") {
            let prefix = format!("user{q}");
            if let Some(rest) = value.strip_prefix(&prefix) {
                return if rest.is_empty() {
                    PREFIX.to_owned()
                } else {
                    format!("({PREFIX} || {})", self.literal(rest))
                };
            }
        }
        // A session: a random token looked up in a session table.
        if is_token(value)
            && let Some((table, column)) = compared_column(&statement.sql, k)
            && table.contains("session")
        {
            self.sessions
                .push((table, column, value.to_owned(), value.starts_with("\\x")));
            return self.session_key(self.sessions.len(), ":client_id::text");
        }
        // An ID the unit created (its first use is in an INSERT): a fresh one per script run.
        if is_generated_id(value) && first_in_insert.get(value) == Some(&true) {
            self.generated_ids += 1;
            return format!(
                "('{}' || lpad((:p::bigint * 100 + {})::text, 17, '0'))",
                &value[..3],
                self.generated_ids
            );
        }
        if let Some(at) = timestamp(value)
            && let Some(expression) = from_now(at - statement.at)
        {
            return expression;
        }
        self.literal(value)
    }

    fn literal(&mut self, value: &str) -> String {
        let index = match self.literals.iter().position(|v| v == value) {
            Some(i) => i,
            None => {
                self.literals.push(value.to_owned());
                self.literals.len() - 1
            }
        };
        format!(":v{}", index + 1)
    }

    fn session_key(&self, slot: usize, client: &str) -> String {
        let (_, _, _, bytea) = &self.sessions[slot - 1];
        let key = format!("'bench-floor-{}-{slot}-' || {client}", self.scenario);
        if *bytea {
            format!("sha256(convert_to({key}, 'UTF8'))")
        } else {
            format!("({key})")
        }
    }

    fn script(mut self) -> Result<Generated> {
        let derived = self.derived();
        // Which generated-looking IDs first appear in an INSERT.
        let mut first_in_insert = HashMap::new();
        for (r, request) in self.unit.requests.iter().enumerate() {
            for value in request
                .statements
                .iter()
                .flat_map(|s| s.params.iter().flatten())
            {
                self.first_request.entry(value.clone()).or_insert(r);
            }
        }
        for statement in self.unit.requests.iter().flat_map(|r| &r.statements) {
            let insert = statement
                .sql
                .trim_start()
                .to_ascii_uppercase()
                .starts_with("INSERT");
            for value in statement.params.iter().flatten() {
                first_in_insert.entry(value.clone()).or_insert(insert);
            }
        }
        let (description, units, sets) = preamble(self.scenario);
        let mut body = String::new();
        for (r, request) in self.unit.requests.iter().enumerate() {
            self.request = r;
            writeln!(body, "-- {}", request.label)?;
            for statement in &request.statements {
                let sql = self.substitute(statement, &derived, &first_in_insert)?;
                writeln!(body, "{};", sql.trim_end().trim_end_matches(';'))?;
            }
        }
        let mut script = String::new();
        writeln!(
            script,
            "-- Floor of {description}.\n\
             -- Generated by `loadgen capture` from the statements the app sent for one such unit\n\
             -- (bench/README.md, \"SQL check\"); do not edit, regenerate. Left out: connection\n\
             -- set-up (SET …) and the pool's `SELECT 1` checks.\n\
             -- units: {units}\n\
             -- protocol: prepared"
        )?;
        script.push_str(sets);
        script.push_str(&body);
        let mut vars = String::new();
        for (i, value) in self.literals.iter().enumerate() {
            if value.contains('\n') {
                bail!("{}: a parameter value spans lines: {value}", self.scenario);
            }
            writeln!(vars, "v{}={value}", i + 1)?;
        }
        let mut setup = String::new();
        for (slot, (table, column, value, _)) in self.sessions.iter().enumerate() {
            let key = self.session_key(slot + 1, "c::text");
            let keys = format!("SELECT {key} FROM generate_series(0, {}) AS c", CLONES - 1);
            writeln!(
                setup,
                "DELETE FROM \"{table}\" WHERE \"{column}\" IN ({keys});\n\
                 INSERT INTO \"{table}\"\n\
                 SELECT (jsonb_populate_record(NULL::\"{table}\", to_jsonb(s) || jsonb_build_object(\
                 '{column}', {key}, 'expires_at', now() + interval '1 day', 'last_seen_at', now()))).*\n\
                 FROM \"{table}\" AS s, generate_series(0, {}) AS c WHERE s.\"{column}\" = {};\n\
                 DO $$ BEGIN IF (SELECT count(*) FROM \"{table}\" WHERE \"{column}\" IN ({keys})) <> {CLONES} THEN\n\
                 RAISE EXCEPTION 'the session captured for {} (slot {}) is gone: no floor sessions'; END IF; END $$;",
                CLONES - 1,
                quote(value),
                self.scenario,
                slot + 1
            )?;
        }
        Ok(Generated {
            script,
            vars,
            setup,
        })
    }

    /// The statement with each `$k` replaced by its expression.
    fn substitute(
        &mut self,
        statement: &Statement,
        derived: &[(String, String)],
        first_in_insert: &HashMap<String, bool>,
    ) -> Result<String> {
        let sql = &statement.sql;
        let mut out = String::new();
        let mut rest = sql.as_str();
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let digits = rest[at + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(rest.len() - at - 1, |i| i);
            if digits == 0 {
                out.push('$');
                rest = &rest[at + 1..];
                continue;
            }
            let k: usize = rest[at + 1..at + 1 + digits].parse()?;
            if k == 0 || k > statement.params.len() {
                bail!("{}: ${k} without a logged value in: {sql}", self.scenario);
            }
            out.push_str(&self.expression(statement, k, derived, first_in_insert));
            rest = &rest[at + 1 + digits..];
        }
        out.push_str(rest);
        check_colons(&out).with_context(|| format!("{}: {sql}", self.scenario))?;
        Ok(out)
    }
}

/// pgbench reads `:name` anywhere in a command as a variable, even inside quotes: the SQL
/// may hold only the variables the script defines.
fn check_colons(sql: &str) -> Result<()> {
    let bytes = sql.as_bytes();
    for (i, _) in sql.match_indices(':') {
        let prev_colon = i > 0 && bytes[i - 1] == b':';
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        if prev_colon || next == b':' || !(next.is_ascii_alphanumeric() || next == b'_') {
            continue;
        }
        let name: String = sql[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let ours = matches!(name.as_str(), "n" | "p" | "q" | "client_id" | "identities")
            || (name.starts_with('v') && name[1..].parse::<u32>().is_ok());
        if !ours {
            bail!("the SQL holds ':{name}', which pgbench would take for a variable");
        }
    }
    Ok(())
}

/// Reads `<scenario>.vars` (`name=value` lines) as pgbench `-D` arguments.
pub fn pgbench_vars(dir: &Path, scenario: &str) -> Result<Vec<String>> {
    let path = dir.join(format!("{scenario}.vars"));
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.is_empty())
        .flat_map(|l| ["-D".to_owned(), l.to_owned()])
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parameters_with_quotes_and_nulls() {
        let values = parse_params("$1 = 'a''b, $2 = c', $2 = NULL, $3 = '7'").unwrap();
        assert_eq!(
            values,
            vec![Some("a'b, $2 = c".to_owned()), None, Some("7".to_owned())]
        );
    }

    #[test]
    fn reads_timestamps() {
        assert_eq!(timestamp("1970-01-02 00:00:00+00"), Some(86_400.0));
        assert_eq!(timestamp("1970-01-01 01:00:00.5+01"), Some(0.5));
        assert_eq!(
            timestamp("2026-11-25 14:03:12.25+00"),
            Some(1_795_615_392.25)
        );
        assert_eq!(timestamp("user0001234"), None);
    }

    #[test]
    fn finds_the_compared_column() {
        let sql = r#"SELECT "web_sessions"."state" FROM "web_sessions" WHERE (("web_sessions"."id" = $1) AND ("web_sessions"."expires_at" > $2)) LIMIT $3"#;
        assert_eq!(
            compared_column(sql, 1),
            Some(("web_sessions".to_owned(), "id".to_owned()))
        );
        assert_eq!(compared_column(sql, 2), None, "only equality names a key");
    }

    #[test]
    fn splits_the_log_into_units_and_requests() {
        let log = "\
BENCH-CAPTURE unit identity 0 n=1
BENCH-CAPTURE request GET /admin/identities/{address}
1795615392.100 [42] LOG:  execute __diesel_stmt_1: SELECT 1
1795615392.101 [42] LOG:  execute __diesel_stmt_2: SELECT \"a\" FROM \"t\"
\tWHERE \"t\".\"x\" = $1
1795615392.102 [42] DETAIL:  parameters: $1 = 'did:e:localhost:dids:4cd9b7672d7fbee8fb51fb'
1795615392.103 [43] LOG:  statement: BEGIN
BENCH-CAPTURE end
1795615392.200 [43] LOG:  statement: SELECT 2
";
        let units = parse_log(log).unwrap();
        assert_eq!(units.len(), 1);
        let statements = &units[0].requests[0].statements;
        assert_eq!(statements.len(), 2);
        assert_eq!(
            statements[0].sql,
            "SELECT \"a\" FROM \"t\"\nWHERE \"t\".\"x\" = $1"
        );
        let generated = Generator::new("identity", &units[0]).script().unwrap();
        assert!(
            generated
                .script
                .contains(&format!("\"t\".\"x\" = {ADDRESS};"))
        );
        assert!(generated.script.contains("BEGIN;"));
    }

    #[test]
    fn finds_the_column_an_update_sets() {
        let sql = r#"UPDATE "identities" SET "created_at" = $1, "status" = $12 WHERE ("identities"."address" = $2)"#;
        assert_eq!(set_column(sql, 1).as_deref(), Some("created_at"));
        assert_eq!(set_column(sql, 12).as_deref(), Some("status"));
        assert_eq!(set_column(sql, 2), None, "the WHERE clause sets nothing");
        assert_eq!(from_now(3.0).as_deref(), Some("now()"));
        assert_eq!(
            from_now(12.0 * 3600.0 - 0.2).as_deref(),
            Some("(now() + interval '720 minutes')")
        );
        assert_eq!(
            from_now(-20019.0 * 60.0),
            None,
            "not a multiple of five minutes"
        );
    }

    #[test]
    fn finds_the_column_an_insert_writes() {
        let sql = r#"INSERT INTO "external_events" ("id", "identity_address", "event_type", "event_index", "created_at", "payload", "sync_run_id") VALUES ($1, $2, $3, $4, $5, $6, DEFAULT)"#;
        let column = |k| inserted_column(sql, k).map(|(table, column)| format!("{table}.{column}"));
        assert_eq!(column(4).as_deref(), Some("external_events.event_index"));
        assert_eq!(column(1).as_deref(), Some("external_events.id"));
        assert_eq!(column(7), None, "no seventh parameter");
        assert_eq!(inserted_column(r#"UPDATE "t" SET "a" = $1"#, 1), None);
    }

    #[test]
    fn colons_inside_literals_are_refused() {
        assert!(check_colons("SELECT 'a:b'").is_err());
        assert!(check_colons("SELECT $1::text, :v1, ':'").is_ok());
    }
}
