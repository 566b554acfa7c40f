//! What every subcommand starts from: find or start the database, migrate, build the
//! core of the facade, seed the demo. The web server itself is built by `application`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::{self, BoxError, DbPool};
use crate::domain::receipt::ReceiptSigner;
use crate::domain::{AdminUsername, DeviceUsername};
use crate::facade::Core;
#[cfg(feature = "local-postgres")]
use crate::pg_local::LocalCluster;
#[cfg(not(feature = "local-postgres"))]
use no_local_postgres::LocalCluster;

#[cfg(not(feature = "local-postgres"))]
mod no_local_postgres;

/// Name of the database in the project-local cluster.
const LOCAL_DATABASE: &str = "backbone_admin";
/// Advisory lock key held while migrating ("bbadmin" in ASCII).
const MIGRATION_LOCK: i64 = 0x0062_6261_646d_696e;
/// How long a request waits for a pooled connection before it gets a 503.
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(3);

/// The database the app uses; a project-local cluster this process started is stopped
/// again when this is dropped.
pub struct Database {
    pub url: String,
    cluster: Option<LocalCluster>,
    /// The project-local database was created by this process (its first start).
    created: bool,
}

impl Database {
    pub fn open(settings: &Settings) -> Result<Self, BoxError> {
        if let Some(url) = &settings.database_url {
            return Ok(Self {
                url: url.clone(),
                cluster: None,
                created: false,
            });
        }
        let cluster = LocalCluster::ensure_running(&settings.data_dir.join("postgres"))?;
        let created = cluster.ensure_database(LOCAL_DATABASE)?;
        let url = cluster.database_url(LOCAL_DATABASE);
        Ok(Self {
            url,
            cluster: Some(cluster),
            created,
        })
    }

    pub fn is_project_local(&self) -> bool {
        self.cluster.is_some()
    }

    /// Whether this process created the project-local database (the first start on a
    /// fresh data directory).
    pub fn created_now(&self) -> bool {
        self.created
    }

    /// Applies pending migrations. Instances starting at once (a rolling upgrade) take
    /// turns: the others wait for the first, then find nothing left to do.
    pub fn migrate(&self) -> Result<usize, BoxError> {
        use diesel::{Connection, RunQueryDsl};
        let mut conn = diesel::PgConnection::establish(&self.url)?;
        // Released with the session at the latest.
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
            .execute(&mut conn)?;
        let applied = db::run_migrations(&mut conn);
        let _ = diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
            .execute(&mut conn);
        applied
    }

    pub fn pool(&self, size: u32) -> DbPool {
        db::build_pool(&self.url, size, CHECKOUT_TIMEOUT)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(cluster) = self.cluster.as_ref().filter(|c| c.started_here()) {
            match cluster.stop() {
                Ok(()) => tracing::info!("stopped the project-local PostgreSQL"),
                Err(error) => {
                    eprintln!("warning: could not stop the project-local PostgreSQL: {error}")
                }
            }
        }
    }
}

pub fn core(pool: DbPool, clock: SharedClock, settings: &Settings) -> Core {
    Core::new(pool, clock, settings.periods())
        .with_owner_limit(settings.owner_limit())
        .with_api_key_limit(settings.api_key_limit())
}

/// The deletion receipts' signing key: `RECEIPT_SIGNING_KEY` (64 hex digits), or generated
/// once into the data directory. Every instance of a deployment must use the same key.
pub fn receipt_signer(
    configured: Option<&str>,
    data_dir: &Path,
) -> Result<ReceiptSigner, BoxError> {
    crate::key_files::configured_or_kept(
        configured,
        "RECEIPT_SIGNING_KEY (64 hex digits)",
        data_dir,
        "receipt-signing-key",
        |text| ReceiptSigner::from_hex(text).ok(),
        || {
            let signer = ReceiptSigner::generate();
            let text = signer.to_hex();
            (signer, text)
        },
    )
}

pub fn system_clock() -> SharedClock {
    Arc::new(crate::clock::SystemClock)
}

/// Sign-in details of the demo accounts.
pub struct DemoAccount {
    pub role: &'static str,
    pub username: String,
    pub password: String,
    pub note: String,
}

/// Where [`demo_seed`] keeps the demo passwords (mode 0600).
pub fn demo_credentials_path(data_dir: &Path) -> PathBuf {
    data_dir.join("demo-credentials.txt")
}

/// Creates the demo admin and identities once; their random passwords are kept in the
/// data directory (readable by the owner only) so that `demo-seed` can print them again.
pub fn demo_seed(core: &Core, data_dir: &Path) -> Result<Vec<DemoAccount>, BoxError> {
    let store = demo_credentials_path(data_dir);
    let mut known = read_credentials(&store);
    let mut secret_for = |name: &str, chars: usize| -> String {
        if let Some((_, p)) = known.iter().find(|(u, _)| u == name) {
            return p.clone();
        }
        let secret = crate::domain::ids::random_alphanumeric(chars);
        known.push((name.to_owned(), secret.clone()));
        secret
    };
    let mut password_for = |username: &str| secret_for(username, 16);

    let mut accounts = Vec::new();
    let admin_password = password_for("admin");
    let admin = AdminUsername::parse("admin")?;
    if !core.accounts().admin_exists(&admin)? {
        core.accounts().create_admin(&admin, &admin_password)?;
    }
    accounts.push(DemoAccount {
        role: "admin",
        username: "admin".into(),
        password: admin_password,
        note: "sign in at /admin/login".into(),
    });
    let owners = [
        ("demo-owner-1", "no deletion process"),
        ("demo-owner-2", "support asked for approval of a deletion"),
        ("demo-owner-3", "no deletion process"),
    ];
    for (username, note) in owners {
        let password = password_for(username);
        let device = DeviceUsername::parse(username)?;
        if !core.identities().device_username_exists(&device)? {
            let created = core
                .identities()
                .create_identity(&device, &password, "demo")?;
            if username == "demo-owner-2" {
                core.processes()
                    .start_as_support(&created.address, &admin)?;
            }
        }
        accounts.push(DemoAccount {
            role: "owner",
            username: username.into(),
            password,
            note: format!("{note}; sign in at /login"),
        });
    }

    accounts.push(seed_demo_client(core, secret_for(DEMO_CLIENT, 40))?);

    std::fs::create_dir_all(data_dir)?;
    write_credentials(&store, &known)?;
    Ok(accounts)
}

/// The client ID of the demo's OAuth client.
pub const DEMO_CLIENT: &str = "demo-app";

fn seed_demo_client(core: &Core, secret: String) -> Result<DemoAccount, BoxError> {
    use crate::domain::consumer::{ClientId, ClientSecret};
    use crate::facade::clients::{Clients, DEFAULT_TIER_NAME, NewClient};
    let clients = Clients::new(core.clone());
    let client_id = ClientId::parse(DEMO_CLIENT)?;
    if !clients.exists(&client_id)? {
        clients.create(NewClient {
            client_id,
            secret: ClientSecret::parse(&secret)?,
            default_tier: DEFAULT_TIER_NAME.to_owned(),
            max_identities: None,
        })?;
    }
    Ok(DemoAccount {
        role: "client",
        username: DEMO_CLIENT.into(),
        password: secret,
        note: "OAuth client of the Consumer API (/api/v1, /connect/token)".into(),
    })
}

/// The usernames and passwords kept in `store` (none when it cannot be read).
fn read_credentials(store: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(store)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            line.split_once(' ')
                .map(|(u, p)| (u.to_owned(), p.to_owned()))
        })
        .collect()
}

/// Keeps the usernames and passwords in `store`, readable by the owner only.
fn write_credentials(store: &Path, known: &[(String, String)]) -> std::io::Result<()> {
    let mut file = private_file(store)?;
    for (u, p) in known {
        writeln!(file, "{u} {p}")?;
    }
    Ok(())
}

fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // Also when the file existed with a wider mode.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}
