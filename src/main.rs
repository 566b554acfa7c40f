//! `backbone-admin`: serve the pages, run migrations and jobs, manage accounts.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;

use backbone_admin::bootstrap::{self, Database};
use backbone_admin::clock::{ManualClock, SharedClock};
use backbone_admin::config::{ServeSettings, Settings};
use backbone_admin::db::BoxError;
use backbone_admin::domain::accounts::{ApiKeyLifetime, ApiKeyName};
use backbone_admin::domain::{AdminUsername, DeviceUsername};
use backbone_admin::facade::Core;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "backbone-admin",
    version,
    about = "Back office for IdentityDeletionProcesses"
)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate, then serve the pages and run the lifecycle jobs on an interval.
    Serve(ServeSettings),
    /// Apply pending migrations and exit.
    Migrate,
    /// Run every lifecycle job once and print what it did.
    Jobs {
        /// Run the jobs as of this instant (RFC 3339), e.g. to catch up or to test.
        #[arg(long, value_parser = parse_instant)]
        now: Option<DateTime<Utc>>,
    },
    /// Create an admin account. The password must pass the admin policy (12+ characters,
    /// not containing the username, not easy to guess).
    CreateAdmin {
        #[arg(long, value_parser = AdminUsername::parse)]
        username: AdminUsername,
        /// auditor (reads), support (+ start/cancel deletions), administrator (+ accounts).
        #[arg(long, default_value = "administrator")]
        role: backbone_admin::domain::accounts::Role,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Create an Admin API key for an enabled admin account and print it (shown this once;
    /// only its hash is kept). The key acts with the account's role.
    CreateApiKey {
        #[arg(long, value_parser = AdminUsername::parse)]
        username: AdminUsername,
        /// What the key is for, e.g. "ticket import".
        #[arg(long)]
        name: String,
        /// Days until the key expires (1 to 365).
        #[arg(long, default_value_t = ApiKeyLifetime::DEFAULT_DAYS,
              value_parser = clap::value_parser!(u16).range(1..=i64::from(ApiKeyLifetime::MAX_DAYS)))]
        expires_days: u16,
    },
    /// Create an identity with one device signing in as USERNAME.
    CreateIdentity {
        #[arg(long, value_parser = DeviceUsername::parse)]
        username: DeviceUsername,
        /// Read the password from the first line of standard input instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Create an OAuth client of the Consumer API (apps register identities and get tokens
    /// with it). The secret (32+ characters of a random string) is read from standard input.
    CreateClient {
        #[arg(long)]
        client_id: String,
        /// Read the secret from the first line of standard input (required: a secret is
        /// never a command-line argument, which other users of the machine can see).
        #[arg(long, required = true)]
        client_secret_stdin: bool,
        /// The tier, by name, of the identities this client creates.
        #[arg(long, default_value = backbone_admin::facade::clients::DEFAULT_TIER_NAME)]
        default_tier: String,
        /// How many identities this client may create (no limit without it).
        #[arg(long, value_parser = clap::value_parser!(i32).range(0..))]
        max_identities: Option<i32>,
    },
    /// Create the demo admin and demo identities (idempotent) and print their sign-in details.
    DemoSeed,
    /// Print the tables of docs/domain.md that are generated from the code (no database).
    #[command(hide = true)]
    DocsTables {
        /// Rewrite the generated sections of this file instead of printing them.
        #[arg(long, num_args = 0..=1, default_missing_value = backbone_admin::docs_tables::DOCUMENT)]
        write: Option<std::path::PathBuf>,
    },
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("expected an RFC 3339 instant such as 2026-12-24T18:00:00Z ({e})"))
}

fn main() -> ExitCode {
    keep_large_allocations_out_of_the_heap();
    let cli = Cli::parse();
    backbone_admin::telemetry::init(cli.settings.log_format);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), BoxError> {
    if let Command::DocsTables { write } = &cli.command {
        return docs_tables(write.as_deref());
    }
    let settings = cli.settings;
    let database = Database::open(&settings)?;
    let migrated = database.migrate()?;
    if migrated > 0 {
        tracing::info!(migrated, "applied migrations");
    }
    // The one-off commands need one connection and the real clock.
    let core = || bootstrap::core(database.pool(1), bootstrap::system_clock(), &settings);
    match cli.command {
        Command::Migrate => {
            println!("{migrated} migration(s) applied; the database is up to date.")
        }
        Command::Serve(serve) => run_serve(&database, &settings, serve)?,
        Command::Jobs { now } => run_jobs(&database, &settings, now)?,
        Command::CreateAdmin {
            username,
            role,
            password_stdin,
        } => {
            let password = read_password(password_stdin)?;
            core()
                .accounts()
                .create_admin_with_role(&username, role, &password)?;
            println!("Admin '{username}' created (role {role}).");
        }
        Command::CreateApiKey {
            username,
            name,
            expires_days,
        } => {
            create_api_key(&core(), &username, &name, expires_days)?;
        }
        Command::CreateIdentity {
            username,
            password_stdin,
        } => {
            let password = read_password(password_stdin)?;
            let created = core()
                .identities()
                .create_identity(&username, &password, "cli")?;
            println!(
                "Identity created.\naddress:   {}\ndevice ID: {}\nusername:  {username}",
                created.address, created.device_id
            );
        }
        client @ Command::CreateClient { .. } => create_client(&database, &settings, client)?,
        Command::DemoSeed => {
            let seeded = bootstrap::demo_seed(&core(), &settings.data_dir)?;
            print_demo_accounts(&seeded, "127.0.0.1:8080");
        }
        Command::DocsTables { .. } => unreachable!("handled before the database is opened"),
    }
    Ok(())
}

/// `create-client`: the secret comes from standard input, never from the command line.
fn create_client(
    database: &Database,
    settings: &Settings,
    command: Command,
) -> Result<(), BoxError> {
    use backbone_admin::domain::consumer::{ClientId, ClientSecret};
    use backbone_admin::facade::clients::{Clients, NewClient};
    let Command::CreateClient {
        client_id,
        default_tier,
        max_identities,
        ..
    } = command
    else {
        unreachable!("called for create-client only")
    };
    let secret = read_password(true)?;
    let core = bootstrap::core(database.pool(1), bootstrap::system_clock(), settings);
    Clients::new(core).create(NewClient {
        client_id: ClientId::parse(&client_id)?,
        secret: ClientSecret::parse(&secret)?,
        default_tier,
        max_identities,
    })?;
    println!("Client '{client_id}' created.");
    Ok(())
}

/// `create-api-key`: the new key alone on standard output (for `KEY=$(…)`), the rest on
/// standard error.
fn create_api_key(
    core: &Core,
    username: &AdminUsername,
    name: &str,
    expires_days: u16,
) -> Result<(), BoxError> {
    let name = ApiKeyName::parse(name)?;
    let lifetime = ApiKeyLifetime::days(expires_days.into())?;
    let created = core
        .api_keys()
        .create_from_command_line(username, &name, lifetime)?;
    eprintln!(
        "API key '{}' for '{username}' created; it expires {}. It is shown only now:",
        name.as_str(),
        created.key.expires_at.format("%Y-%m-%d %H:%M UTC")
    );
    println!("{}", created.secret.expose());
    Ok(())
}

/// Prints the generated tables, or rewrites their sections in `file`.
fn docs_tables(write: Option<&std::path::Path>) -> Result<(), BoxError> {
    use backbone_admin::docs_tables;
    let Some(file) = write else {
        print!("{}", docs_tables::render_all());
        return Ok(());
    };
    let old = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let new = docs_tables::update(&old)?;
    if new == old {
        println!("{} is up to date.", file.display());
    } else {
        std::fs::write(file, new)?;
        println!("{} rewritten.", file.display());
    }
    Ok(())
}

/// `serve`: the pages, the metrics and the jobs, until a signal ends them.
fn run_serve(
    database: &Database,
    settings: &Settings,
    serve: ServeSettings,
) -> Result<(), BoxError> {
    backbone_admin::passwords::set_queue_limit(serve.hash_queue_limit.into());
    let pool = database.pool(settings.pool_size);
    let signer =
        bootstrap::receipt_signer(serve.receipt_signing_key.as_deref(), &settings.data_dir)?;
    let core = bootstrap::core(pool.clone(), bootstrap::system_clock(), settings)
        .with_receipt_signer(signer);
    announce_demo_accounts(database, &core, settings, &serve.bind)?;
    let key = backbone_admin::web::session_key(serve.session_key.as_deref(), &settings.data_dir)?;
    actix_web::rt::System::new().block_on(backbone_admin::serve::serve(core, pool, serve, key))
}

/// On a project-local database: seeds the demo and shows its accounts when the database
/// is new (this once), else says where their sign-in details are kept.
fn announce_demo_accounts(
    database: &Database,
    core: &Core,
    settings: &Settings,
    bind: &str,
) -> Result<(), BoxError> {
    let kept = bootstrap::demo_credentials_path(&settings.data_dir);
    if database.created_now() {
        print_demo_accounts(&bootstrap::demo_seed(core, &settings.data_dir)?, bind);
        println!(
            "These passwords are shown only now; they are kept in {} (readable only by \
             you), and `demo-seed` prints them again.\n",
            kept.display()
        );
    } else if database.is_project_local() && kept.exists() {
        println!(
            "Demo accounts: their sign-in details are kept in {} (`demo-seed` prints them).",
            kept.display()
        );
    }
    Ok(())
}

/// `jobs`: every lifecycle job once, as of `now` (default: the system clock's now).
fn run_jobs(
    database: &Database,
    settings: &Settings,
    now: Option<DateTime<Utc>>,
) -> Result<(), BoxError> {
    let clock: SharedClock = match now {
        Some(at) => Arc::new(ManualClock::new(at)),
        None => bootstrap::system_clock(),
    };
    let core = bootstrap::core(database.pool(2), clock, settings);
    let report = core.jobs().run_jobs()?;
    println!("Jobs as of {}: {report}", core.now().to_rfc3339());
    Ok(())
}

/// Each argon2id check allocates 19 MiB. glibc raises its mmap threshold after the first such
/// block is freed, so later ones come from the heap arenas and stay there: 64 concurrent
/// sign-ins left the server at 229 MiB RSS. A fixed threshold keeps blocks of 1 MiB and
/// more in their own mappings, returned on free: 54 MiB at the peak, 15 MiB after.
fn keep_large_allocations_out_of_the_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; it is called once, before any thread
    // is started, with a valid parameter and value.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

fn read_password(from_stdin: bool) -> Result<String, BoxError> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let password = rpassword::prompt_password("Password: ")?;
    if password != rpassword::prompt_password("Repeat password: ")? {
        return Err("the passwords differ".into());
    }
    Ok(password)
}

fn print_demo_accounts(accounts: &[bootstrap::DemoAccount], bind: &str) {
    println!("\nBackbone Admin demo accounts (open http://{bind}):");
    for account in accounts {
        println!(
            "  {:<6} {:<14} password {:<18} {}",
            account.role, account.username, account.password, account.note
        );
    }
    println!();
}
