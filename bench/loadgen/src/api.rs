//! The `api` phase (only with `BENCH_PHASES=api`): the Consumer API and the Admin API in
//! closed loops, each scenario in rounds that alternate the app's turn with the pgbench floor
//! of the SQL its handlers send (`bench/pgbench/api/`, written by hand from the statements
//! PostgreSQL logged for one unit; see bench/README.md):
//!
//! - `api_register`: an app registers an identity, as `@nmshd/transport` does: a challenge
//!   (`POST /api/v1/Challenges`), the identity with a new Ed25519 key that signs the challenge
//!   text (`POST /api/v1/Identities`), then the device's first token (`POST /connect/token`).
//!   One unit = one registration (three requests; one argon2id hash, one argon2id check).
//! - `api_initiate_cancel`: an owner's app starts a deletion of its own identity
//!   (`POST /api/v1/Identities/Self/DeletionProcesses`, approved at once) and cancels it
//!   (`PUT …/{id}/Cancel`), with a bearer token obtained before the turn.
//! - `api_admin_cycle`: a support script starts a deletion through the Admin API
//!   (`POST /admin/api/v1/Identities/{address}/DeletionProcesses`, `X-API-KEY`) and reads it
//!   (`GET …/{id}`); the owner's app approves it (`PUT /api/v1/…/{id}/Approve`: support may
//!   only cancel an approved process); the script cancels it (`PUT …/{id}/Cancel`).
//!
//! It writes api.tsv, api_floors.tsv and api.md, the body of RESULTS.md's `## API` section.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer as _, SigningKey};
use hyper::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::browser::Browser;
use crate::data;
use crate::floor::FloorArgs;
use crate::stats::{Recorder, Window, quantile_ms};
use crate::{Run, median};

#[derive(clap::Args, Clone)]
pub struct ApiArgs {
    /// The OAuth client that registers identities and asks for tokens (`create-client`).
    #[arg(long, default_value = "bench-api")]
    pub api_client_id: String,
    /// Its secret.
    #[arg(long, default_value = "")]
    pub api_client_secret: String,
    /// A file of Admin API keys (`create-api-key`), one a line; connection k uses key k
    /// (modulo their number).
    #[arg(long)]
    pub api_keys: Option<PathBuf>,
    /// The admin account the keys belong to (for the report).
    #[arg(long, default_value = "bench-api-admin")]
    pub api_admin: String,
    /// The app's `API_KEY_REQUESTS_PER_MINUTE` (for the report).
    #[arg(long, default_value_t = 300)]
    pub api_key_limit: u32,
    /// Where the floors' scripts are (`bench/pgbench/api`).
    #[arg(long)]
    pub api_scripts: Option<PathBuf>,
    /// Connections of the registration scenario (and of its floor).
    #[arg(long, default_value_t = 16)]
    pub api_register_connections: usize,
}

/// The phase's scenarios, in the order they run.
pub const API_SCENARIOS: [&str; 3] = ["api_register", "api_initiate_cancel", "api_admin_cycle"];

const COLUMNS: &str = "round\tscenario\tconnections\tseconds\tunits\tunits_per_s\tp50_ms\tp99_ms\trequests\trps\treq_p99_ms\terrors\tlimited\tpeak_rss_kib";

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
/// The device password of every identity the registration scenario creates.
const DEVICE_PASSWORD: &str = "bench-device-password-1";
/// Token requests at a time before a turn (each is an argon2id check).
const TOKEN_CONCURRENCY: usize = 2;

/// The OAuth client of the registrations and tokens.
struct Client {
    id: String,
    secret: String,
}

/// At most 200 characters of an answer, for an error sample.
fn snippet(body: &str) -> String {
    body.chars().take(200).collect()
}

/// One API request that must answer `expected`: recorded, and its JSON returned (`Null` for
/// an empty body). A 429 is counted as limited, anything else as an error.
#[allow(clippy::too_many_arguments)]
async fn call(
    browser: &Browser,
    method: Method,
    path: &str,
    headers: &[(&'static str, &str)],
    body: Option<(&'static str, String)>,
    expected: StatusCode,
    rec: &mut Recorder,
    window: &Window,
) -> Option<Value> {
    let what = format!("{method} {path}");
    let started = Instant::now();
    match browser.call(method, path, headers, body).await {
        Ok(reply) if reply.status == expected => {
            rec.request(window, started, reply.elapsed);
            Some(serde_json::from_str(&reply.body).unwrap_or(Value::Null))
        }
        Ok(reply) if reply.status == StatusCode::TOO_MANY_REQUESTS => {
            rec.limited += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            None
        }
        Ok(reply) => {
            rec.error(format!("{what}: {} {}", reply.status, snippet(&reply.body)));
            None
        }
        Err(error) => {
            rec.error(format!("{what}: {error}"));
            None
        }
    }
}

/// The string at `pointer` in `value`, or an error recorded.
fn text(value: &Value, pointer: &str, rec: &mut Recorder) -> Option<String> {
    let found = value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned);
    if found.is_none() {
        rec.error(format!("no {pointer} in {}", snippet(&value.to_string())));
    }
    found
}

/// base64url (no padding) of a JSON value's text, as the client library wraps keys and
/// signatures.
fn wrapped(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// A new identity key, different for every registration of every turn of every run.
fn identity_key(nonce: u128, round: u32, connection: usize, count: u64) -> SigningKey {
    let seed: [u8; 32] =
        Sha256::digest(format!("bench-api-{nonce}-{round}-{connection}-{count}")).into();
    SigningKey::from_bytes(&seed)
}

/// The body of `POST /api/v1/Identities`: the key and the signed challenge text as the client
/// library sends them (docs/consumer-api.md, "Registration").
fn identity_request(client: &Client, key: &SigningKey, challenge: &str) -> String {
    let public = URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(key.sign(challenge.as_bytes()).to_bytes());
    json!({
        "clientId": client.id,
        "clientSecret": client.secret,
        "identityPublicKey": wrapped(&json!({ "pub": public, "alg": 3 })),
        "devicePassword": DEVICE_PASSWORD,
        "identityVersion": 1,
        "signedChallenge": {
            "challenge": challenge,
            "signature": wrapped(&json!({ "sig": signature, "alg": 2 })),
        },
    })
    .to_string()
}

/// The password grant of `POST /connect/token`.
fn token_form(client: &Client, username: &str, password: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "password")
        .append_pair("client_id", &client.id)
        .append_pair("client_secret", &client.secret)
        .append_pair("username", username)
        .append_pair("password", password)
        .finish()
}

/// One registration: challenge, identity, token.
async fn register_once(
    browser: &Browser,
    client: &Client,
    key: &SigningKey,
    rec: &mut Recorder,
    window: &Window,
) -> Option<()> {
    let body = Some((JSON, "{}".to_owned()));
    let path = "/api/v1/Challenges";
    let answer = call(
        browser,
        Method::POST,
        path,
        &[],
        body,
        StatusCode::CREATED,
        rec,
        window,
    )
    .await?;
    let id = text(&answer, "/result/id", rec)?;
    let expires_at = text(&answer, "/result/expiresAt", rec)?;
    // The library's challenge text: the signature covers these bytes exactly.
    let challenge = format!(r#"{{"id":"{id}","expiresAt":"{expires_at}","type":"Identity"}}"#);
    let body = Some((JSON, identity_request(client, key, &challenge)));
    let path = "/api/v1/Identities";
    let answer = call(
        browser,
        Method::POST,
        path,
        &[],
        body,
        StatusCode::CREATED,
        rec,
        window,
    )
    .await?;
    let username = text(&answer, "/result/device/username", rec)?;
    let body = Some((FORM, token_form(client, &username, DEVICE_PASSWORD)));
    let path = "/connect/token";
    let answer = call(
        browser,
        Method::POST,
        path,
        &[],
        body,
        StatusCode::OK,
        rec,
        window,
    )
    .await?;
    text(&answer, "/access_token", rec).map(|_| ())
}

/// A registration connection: new identities, one after another, until the window closes.
async fn register(
    browser: Arc<Browser>,
    client: Arc<Client>,
    (nonce, round): (u128, u32),
    connection: usize,
    window: Window,
) -> Recorder {
    let mut rec = Recorder::default();
    let mut count = 0;
    while window.is_open() {
        count += 1;
        let key = identity_key(nonce, round, connection, count);
        let started = Instant::now();
        if register_once(&browser, &client, &key, &mut rec, &window)
            .await
            .is_some()
        {
            rec.unit(&window, started, started.elapsed());
        } else {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    rec
}

/// The owner's processes path of the Consumer API.
const SELF_PROCESSES: &str = "/api/v1/Identities/Self/DeletionProcesses";

/// Ends whatever process an earlier run or a failed cycle left open (cancels an approved
/// one, rejects one waiting for approval), so that the next cycle can start. Not measured.
async fn settle(browser: &Browser, bearer: &str) -> Result<()> {
    let headers = [("authorization", bearer)];
    let reply = browser
        .call(Method::GET, SELF_PROCESSES, &headers, None)
        .await?;
    if reply.status != StatusCode::OK {
        bail!(
            "GET {SELF_PROCESSES}: {} {}",
            reply.status,
            snippet(&reply.body)
        );
    }
    let list: Value = serde_json::from_str(&reply.body)?;
    for process in list["result"].as_array().into_iter().flatten() {
        let (Some(id), Some(status)) = (process["id"].as_str(), process["status"].as_str()) else {
            continue;
        };
        let action = match status {
            "Approved" => "Cancel",
            "WaitingForApproval" => "Reject",
            _ => continue,
        };
        let path = format!("{SELF_PROCESSES}/{id}/{action}");
        let body = Some((JSON, "{}".to_owned()));
        let reply = browser.call(Method::PUT, &path, &headers, body).await?;
        if reply.status != StatusCode::OK {
            bail!("PUT {path}: {} {}", reply.status, snippet(&reply.body));
        }
    }
    Ok(())
}

/// An owner's connection: initiate → cancel through the Consumer API, again and again.
async fn initiate_cancel(browser: Arc<Browser>, bearer: String, window: Window) -> Recorder {
    let mut rec = Recorder::default();
    let headers = [("authorization", bearer.as_str())];
    while window.is_open() {
        let started = Instant::now();
        let cycle = async {
            let body = Some((JSON, "{}".to_owned()));
            let answer = call(
                &browser,
                Method::POST,
                SELF_PROCESSES,
                &headers,
                body,
                StatusCode::CREATED,
                &mut rec,
                &window,
            )
            .await?;
            let id = text(&answer, "/result/id", &mut rec)?;
            let path = format!("{SELF_PROCESSES}/{id}/Cancel");
            let body = Some((JSON, "{}".to_owned()));
            call(
                &browser,
                Method::PUT,
                &path,
                &headers,
                body,
                StatusCode::OK,
                &mut rec,
                &window,
            )
            .await
        }
        .await;
        if cycle.is_some() {
            rec.unit(&window, started, started.elapsed());
        } else if let Err(error) = settle(&browser, &bearer).await {
            rec.error(format!("settling: {error}"));
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    rec
}

/// A support script's connection with the identity's owner beside it: start (Admin API) →
/// read it (Admin API) → the owner approves (Consumer API) → cancel (Admin API).
async fn admin_cycle(
    browser: Arc<Browser>,
    bearer: String,
    key: String,
    address: String,
    window: Window,
) -> Recorder {
    let mut rec = Recorder::default();
    let owner = [("authorization", bearer.as_str())];
    let script = [("x-api-key", key.as_str())];
    let processes = format!("/admin/api/v1/Identities/{address}/DeletionProcesses");
    while window.is_open() {
        let started = Instant::now();
        let cycle = async {
            let answer = call(
                &browser,
                Method::POST,
                &processes,
                &script,
                None,
                StatusCode::CREATED,
                &mut rec,
                &window,
            )
            .await?;
            let id = text(&answer, "/result/id", &mut rec)?;
            let process = format!("{processes}/{id}");
            call(
                &browser,
                Method::GET,
                &process,
                &script,
                None,
                StatusCode::OK,
                &mut rec,
                &window,
            )
            .await?;
            let approve = format!("{SELF_PROCESSES}/{id}/Approve");
            let body = Some((JSON, "{}".to_owned()));
            call(
                &browser,
                Method::PUT,
                &approve,
                &owner,
                body,
                StatusCode::OK,
                &mut rec,
                &window,
            )
            .await?;
            let cancel = format!("{process}/Cancel");
            call(
                &browser,
                Method::PUT,
                &cancel,
                &script,
                None,
                StatusCode::OK,
                &mut rec,
                &window,
            )
            .await
        }
        .await;
        if cycle.is_some() {
            rec.unit(&window, started, started.elapsed());
        } else if let Err(error) = settle(&browser, &bearer).await {
            rec.error(format!("settling: {error}"));
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    rec
}

/// A fresh bearer token (`Bearer …`) for each owner, a few at a time, and every open process
/// of theirs ended; before each turn, as tokens live 300 s.
async fn bearers(
    browsers: &[Arc<Browser>],
    usernames: &[String],
    client: &Arc<Client>,
    password: &str,
) -> Result<Vec<String>> {
    let gate = Arc::new(Semaphore::new(TOKEN_CONCURRENCY));
    let mut tasks = JoinSet::new();
    for (index, (browser, username)) in browsers.iter().zip(usernames).enumerate() {
        let (gate, browser, client) = (gate.clone(), browser.clone(), client.clone());
        let form = token_form(&client, username, password);
        let username = username.clone();
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let reply = browser
                .call(Method::POST, "/connect/token", &[], Some((FORM, form)))
                .await?;
            if reply.status != StatusCode::OK {
                bail!(
                    "token for {username}: {} {}",
                    reply.status,
                    snippet(&reply.body)
                );
            }
            let answer: Value = serde_json::from_str(&reply.body)?;
            let token = answer["access_token"]
                .as_str()
                .with_context(|| format!("token for {username}: no access_token"))?;
            let bearer = format!("Bearer {token}");
            settle(&browser, &bearer)
                .await
                .with_context(|| format!("settling {username}'s processes"))?;
            Ok::<_, anyhow::Error>((index, bearer))
        });
    }
    let mut found = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        found.push(joined??);
    }
    found.sort_by_key(|(index, _)| *index);
    Ok(found.into_iter().map(|(_, bearer)| bearer).collect())
}

/// One app turn's figures (a row of api.tsv).
struct AppTurn {
    round: u32,
    scenario: &'static str,
    connections: usize,
    seconds: f64,
    rec: Recorder,
    peak_kib: Option<u64>,
}

impl AppTurn {
    fn rate(&self) -> f64 {
        self.rec.transitions.len() as f64 / self.seconds
    }

    fn tsv(&self) -> String {
        let rec = &self.rec;
        format!(
            "{}\t{}\t{}\t{:.1}\t{}\t{:.1}\t{:.2}\t{:.2}\t{}\t{:.1}\t{:.2}\t{}\t{}\t{}",
            self.round,
            self.scenario,
            self.connections,
            self.seconds,
            rec.transitions.len(),
            self.rate(),
            quantile_ms(&rec.transitions, 0.5),
            quantile_ms(&rec.transitions, 0.99),
            rec.requests.len(),
            rec.requests.len() as f64 / self.seconds,
            quantile_ms(&rec.requests, 0.99),
            rec.errors,
            rec.limited,
            self.peak_kib
                .map_or_else(|| "-".to_owned(), |k| k.to_string()),
        )
    }
}

/// One floor turn: units per second, pgbench tps and latency, or why it failed.
struct FloorTurn {
    round: u32,
    scenario: &'static str,
    clients: usize,
    result: Result<(f64, f64, f64), String>,
}

pub async fn phase(run: &mut Run) -> Result<()> {
    let api = run.args.api.clone();
    let connections = run.args.connections;
    if api.api_client_secret.is_empty() {
        bail!("the api phase needs --api-client-secret (bench/run.sh creates the client)");
    }
    let client = Arc::new(Client {
        id: api.api_client_id.clone(),
        secret: api.api_client_secret.clone(),
    });
    let keys_file = api
        .api_keys
        .clone()
        .context("the api phase needs --api-keys")?;
    let keys: Vec<String> = std::fs::read_to_string(&keys_file)
        .with_context(|| format!("cannot read {}", keys_file.display()))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if keys.is_empty() {
        bail!("no API key in {}", keys_file.display());
    }
    let floor = FloorArgs {
        scripts: api.api_scripts.clone(),
        ..run.args.floor.clone()
    };
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let password = run.args.password.clone();
    let registrars = run.clients.anonymous(api.api_register_connections)?;
    let owners = run.clients.anonymous(connections)?;
    let cyclers = run.clients.anonymous(connections)?;
    // The web phases' reserved identities (classes 10 and 11, bench/loadgen/src/data.rs): the
    // api phase runs after them, never beside them.
    let owner_names: Vec<String> = (0..connections as u64)
        .map(|k| data::username(data::initiate_identity(k)))
        .collect();
    let cycle_names: Vec<String> = (0..connections as u64)
        .map(|k| data::username(data::admin_cycle_identity(k)))
        .collect();
    let cycle_addresses: Vec<String> = (0..connections as u64)
        .map(|k| data::address(data::admin_cycle_identity(k)))
        .collect();
    let dir = run.args.out_dir.clone();
    let mut app_file = crate::tsv(&dir, "api.tsv", COLUMNS)?;
    let mut floor_file = crate::tsv(&dir, "api_floors.tsv", crate::FLOOR_COLUMNS)?;
    let (mut apps, mut floors) = (Vec::new(), Vec::new());
    let rounds = run.args.rounds;
    println!(
        "\n-- API: {} keys of {}, API_KEY_REQUESTS_PER_MINUTE={}; {rounds} rounds of app turn → its floor",
        keys.len(),
        api.api_admin,
        api.api_key_limit
    );
    for round in 1..=rounds {
        println!("\n-- API round {round} of {rounds}");
        for scenario in API_SCENARIOS {
            let (clients, (seconds, rec, peak_kib)) = match scenario {
                "api_register" => {
                    let (browsers, client) = (registrars.clone(), client.clone());
                    let measured = run
                        .measure(move |w| {
                            browsers
                                .into_iter()
                                .enumerate()
                                .map(|(i, b)| register(b, client.clone(), (nonce, round), i, w))
                                .collect()
                        })
                        .await?;
                    (registrars.len(), measured)
                }
                "api_initiate_cancel" => {
                    let bearers = bearers(&owners, &owner_names, &client, &password).await?;
                    let browsers = owners.clone();
                    let measured = run
                        .measure(move |w| {
                            browsers
                                .into_iter()
                                .zip(bearers)
                                .map(|(b, bearer)| initiate_cancel(b, bearer, w))
                                .collect()
                        })
                        .await?;
                    (owners.len(), measured)
                }
                _ => {
                    let bearers = bearers(&cyclers, &cycle_names, &client, &password).await?;
                    let (browsers, keys, addresses) =
                        (cyclers.clone(), keys.clone(), cycle_addresses.clone());
                    let measured = run
                        .measure(move |w| {
                            browsers
                                .into_iter()
                                .zip(bearers)
                                .zip(addresses)
                                .enumerate()
                                .map(|(k, ((b, bearer), address))| {
                                    let key = keys[k % keys.len()].clone();
                                    admin_cycle(b, bearer, key, address, w)
                                })
                                .collect()
                        })
                        .await?;
                    (cyclers.len(), measured)
                }
            };
            let turn = AppTurn {
                round,
                scenario,
                connections: clients,
                seconds,
                rec,
                peak_kib,
            };
            writeln!(app_file, "{}", turn.tsv())?;
            let r = &turn.rec;
            println!(
                "{scenario:<20} {:>8.1} /s  p50 {:>8.2} ms  p99 {:>8.2} ms  ({:.1} requests/s)  errors {}  429 {}",
                turn.rate(),
                quantile_ms(&r.transitions, 0.5),
                quantile_ms(&r.transitions, 0.99),
                r.requests.len() as f64 / seconds,
                r.errors,
                r.limited
            );
            for sample in &r.error_samples {
                println!("{:<20} error: {sample}", "");
            }
            apps.push(turn);
            let turn = measure_floor(run, &floor, round, scenario, clients).await?;
            match &turn.result {
                Ok((rate, tps, latency)) => {
                    writeln!(
                        floor_file,
                        "{round}\t{scenario}\t{tps:.1}\t1\t{clients}\tprepared\t{latency:.3}\t"
                    )?;
                    println!(
                        "{:<20} {rate:>8.1} /s  (pgbench, {clients} clients, average latency {latency:.2} ms)",
                        "  floor"
                    );
                }
                Err(error) => {
                    writeln!(
                        floor_file,
                        "{round}\t{scenario}\t\t\t{clients}\t\t\t{error}"
                    )?;
                    println!("  floor FAILED: {error}");
                }
            }
            floors.push(turn);
        }
    }
    let section = section(&api, keys.len(), run, &apps, &floors)?;
    let out = dir.join("api.md");
    std::fs::write(&out, section).with_context(|| format!("cannot write {}", out.display()))
}

async fn measure_floor(
    run: &Run,
    floor: &FloorArgs,
    round: u32,
    scenario: &'static str,
    clients: usize,
) -> Result<FloorTurn> {
    let (args, warmup, duration, identities) = (
        floor.clone(),
        run.args.warmup,
        run.args.duration,
        run.args.identities,
    );
    let result = tokio::task::spawn_blocking(move || {
        if warmup > 0 {
            args.measure(scenario, clients, warmup, identities)?;
        }
        args.measure(scenario, clients, duration, identities)
    })
    .await?;
    Ok(FloorTurn {
        round,
        scenario,
        clients,
        result: result
            .map(|f| (f.tps * f.units, f.tps, f.latency_ms))
            .map_err(|e| e.to_string().replace(['\t', '\n'], " ")),
    })
}

fn show(v: Option<f64>, digits: usize) -> String {
    v.map_or("–".to_owned(), |v| format!("{v:.digits$}"))
}

fn percent(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), |v| format!("{:.1} %", v * 100.0))
}

fn describe(scenario: &str) -> &'static str {
    match scenario {
        "api_register" => {
            "registrations: `POST /api/v1/Challenges` → `POST /api/v1/Identities` (new Ed25519 key, signed challenge) → `POST /connect/token`"
        }
        "api_initiate_cancel" => {
            "Consumer API cycles: `POST /api/v1/Identities/Self/DeletionProcesses` → `PUT …/{id}/Cancel` (bearer token)"
        }
        _ => {
            "Admin API cycles: `POST /admin/api/v1/Identities/{address}/DeletionProcesses` → `GET …/{id}` → owner `PUT /api/v1/Identities/Self/DeletionProcesses/{id}/Approve` → `PUT …/{id}/Cancel` (`X-API-KEY`)"
        }
    }
}

/// The body of the `## API` section.
fn section(
    api: &ApiArgs,
    key_count: usize,
    run: &Run,
    apps: &[AppTurn],
    floors: &[FloorTurn],
) -> Result<String> {
    let mut md = String::new();
    writeln!(
        md,
        "Closed loops through the two APIs, {} rounds; in each round every scenario's app turn \
         ({} s warm-up, {} s measured) is followed by the pgbench floor of its SQL (the same \
         number of connections, the same warm-up and duration; scripts in \
         `bench/pgbench/api/`, written by hand from the statements PostgreSQL logged for one \
         unit of each scenario, see bench/README.md). A unit is one registration or one whole \
         cycle; its p50/p99 are those of the whole unit (all its requests, one after another). \
         App figures are medians over the rounds, errors summed, peak RSS the highest; each \
         ratio is the median of the rounds' ratios, with their spread.\n",
        run.args.rounds, run.args.warmup, run.args.duration
    )?;
    writeln!(
        md,
        "| scenario | connections | app units/s | unit p50 ms | unit p99 ms | API requests/s | errors | 429 | peak RSS MiB | floor units/s | app ÷ floor (median) | spread |"
    )?;
    writeln!(
        md,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )?;
    let mut rounds_md = String::new();
    for scenario in API_SCENARIOS {
        let mine: Vec<&AppTurn> = apps.iter().filter(|a| a.scenario == scenario).collect();
        let Some(first) = mine.first() else { continue };
        let med = |f: &dyn Fn(&AppTurn) -> f64| median(mine.iter().map(|a| f(a)).collect());
        let mut ratios = Vec::new();
        let mut floor_rates = Vec::new();
        for app in &mine {
            let floor = floors
                .iter()
                .find(|f| f.scenario == scenario && f.round == app.round)
                .and_then(|f| f.result.as_ref().ok().map(|r| r.0));
            let ratio = floor.map(|f| app.rate() / f);
            floor_rates.extend(floor);
            ratios.extend(ratio);
            writeln!(
                rounds_md,
                "| {scenario} | {} | {:.1} | {} | {} |",
                app.round,
                app.rate(),
                show(floor, 1),
                percent(ratio)
            )?;
        }
        let spread = (!ratios.is_empty()).then(|| {
            let lo = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = ratios.iter().copied().fold(0.0, f64::max);
            format!("{:.1}–{:.1} %", lo * 100.0, hi * 100.0)
        });
        let errors: u64 = mine.iter().map(|a| a.rec.errors).sum();
        let limited: u64 = mine.iter().map(|a| a.rec.limited).sum();
        let rss = mine.iter().filter_map(|a| a.peak_kib).max().unwrap_or(0) as f64 / 1024.0;
        writeln!(
            md,
            "| {scenario} | {} | {} | {} | {} | {} | {errors} | {limited} | {rss:.1} | {} | {} | {} |",
            first.connections,
            show(med(&|a| a.rate()), 1),
            show(med(&|a| quantile_ms(&a.rec.transitions, 0.5)), 2),
            show(med(&|a| quantile_ms(&a.rec.transitions, 0.99)), 2),
            show(med(&|a| a.rec.requests.len() as f64 / a.seconds), 1),
            show(median(floor_rates), 1),
            percent(median(ratios)),
            spread.unwrap_or_else(|| "–".to_owned()),
        )?;
    }
    writeln!(md, "\nScenarios:\n")?;
    for scenario in API_SCENARIOS {
        writeln!(md, "- **{scenario}**: {}", describe(scenario))?;
    }
    writeln!(md, "\n### Round by round\n")?;
    writeln!(
        md,
        "| scenario | round | app units/s | floor units/s | app ÷ floor |\n|---|---:|---:|---:|---:|"
    )?;
    md.push_str(&rounds_md);
    let failed: Vec<String> = floors
        .iter()
        .filter_map(|f| {
            f.result
                .as_ref()
                .err()
                .map(|e| format!("- round {} {}: {e}", f.round, f.scenario))
        })
        .collect();
    if !failed.is_empty() {
        writeln!(md, "\n**Floors that failed:**\n\n{}", failed.join("\n"))?;
    }
    writeln!(md, "\n### Floors (pgbench)\n")?;
    writeln!(
        md,
        "| scenario | script | clients | pgbench tps (median) | average latency ms (median) |\n|---|---|---:|---:|---:|"
    )?;
    for scenario in API_SCENARIOS {
        let ok: Vec<&(f64, f64, f64)> = floors
            .iter()
            .filter(|f| f.scenario == scenario)
            .filter_map(|f| f.result.as_ref().ok())
            .collect();
        let clients = floors
            .iter()
            .find(|f| f.scenario == scenario)
            .map_or(0, |f| f.clients);
        writeln!(
            md,
            "| {scenario} | `bench/pgbench/api/{scenario}.sql` | {clients} | {} | {} |",
            show(median(ok.iter().map(|r| r.1).collect()), 1),
            show(median(ok.iter().map(|r| r.2).collect()), 2),
        )?;
    }
    writeln!(
        md,
        "\nSet-up (bench/run.sh): the OAuth client `{}` (`create-client`), the administrator \
         `{}` (`create-admin`) and {key_count} API keys of it (`create-api-key`), one per \
         connection of the Admin API scenario; the app runs with \
         `API_KEY_REQUESTS_PER_MINUTE={}` (default 300 per key and minute, which 64 connections \
         reach within a second), and `OWNER_TRANSITIONS_PER_HOUR` raised as for the web \
         scenarios. The owners' bearer tokens (300 s) are fetched before each turn, outside \
         the measured window. The cycles use the identities the web transition scenarios \
         reserve (n % 20 = 10 and 11); each registration creates a new identity, and so does \
         each run of the registration floor's script (the dataset's identity count after the \
         run includes both).",
        api.api_client_id, api.api_admin, api.api_key_limit
    )?;
    writeln!(
        md,
        "\n**Registration is bound by password hashing, on purpose.** Each registration costs \
         one argon2id hash (the device password, 19 MiB, run on the app's hashing threads: half \
         the cores, so one thread here) and one argon2id check (the token's password grant), \
         plus three PBKDF2-HMAC-SHA256 pseudonyms of 100,000 rounds each (address, device ID, \
         username). The floor is the SQL alone, so the ratio is low by design: it says how far \
         the hashes are from the database's cost, not an overhead to remove. With \
         {} connections no registration waits for a hash-queue place (32, two per client \
         network; each connection has its own address).",
        api.api_register_connections
    )?;
    writeln!(
        md,
        "\n**Admin API cycle.** The Admin API cancels only an approved process (support may \
         cancel a deletion in its grace period, `cancelDeletionProcess` answers 400 \
         `deletionProcessIsNotInRequiredStatus` for one waiting for approval), so between \
         the script's GET and its cancel the owner's app approves the process through the \
         Consumer API: four requests, three transitions per cycle. Every Admin API request \
         checks and counts its key in one `UPDATE … RETURNING` on the key's row."
    )?;
    Ok(md)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_signatures_are_wrapped_as_the_library_sends_them() {
        let key = identity_key(1, 1, 2, 3);
        for other in [identity_key(1, 1, 2, 4), identity_key(1, 2, 2, 3)] {
            assert_ne!(
                key.verifying_key(),
                other.verifying_key(),
                "every registration has its own key"
            );
        }
        let client = Client {
            id: "c".to_owned(),
            secret: "s".to_owned(),
        };
        let challenge = r#"{"id":"CHLabcdefghij0123456","expiresAt":"2026-12-06T01:44:50.016Z","type":"Identity"}"#;
        let body: Value =
            serde_json::from_str(&identity_request(&client, &key, challenge)).unwrap();
        let unwrap = |field: &Value| -> Value {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(field.as_str().unwrap()).unwrap())
                .unwrap()
        };
        let public = unwrap(&body["identityPublicKey"]);
        assert_eq!(public["alg"], 3);
        let public: [u8; 32] = URL_SAFE_NO_PAD
            .decode(public["pub"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let signature = unwrap(&body["signedChallenge"]["signature"]);
        assert_eq!(signature["alg"], 2);
        let signature: [u8; 64] = URL_SAFE_NO_PAD
            .decode(signature["sig"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let verifying = ed25519_dalek::VerifyingKey::from_bytes(&public).unwrap();
        assert!(
            verifying
                .verify_strict(
                    challenge.as_bytes(),
                    &ed25519_dalek::Signature::from_bytes(&signature)
                )
                .is_ok()
        );
        assert_eq!(body["signedChallenge"]["challenge"], challenge);
    }
}
