//! A project-local PostgreSQL cluster, used by the CLI when no `DATABASE_URL` is given and by
//! the test harness.
//!
//! The cluster lives entirely in one directory: `initdb` creates it there, the server listens
//! only on a unix socket inside that same directory (`listen_addresses = ''`, no TCP, so it
//! never clashes with another server on the machine) and logs to `server.log` in it.
//!
//! PostgreSQL refuses to run as root. When this process runs as root, `initdb`, `pg_ctl` and
//! the server are run through `runuser -u postgres --`, and the directory is handed to the
//! `postgres` OS user.
//!
//! Server binaries are looked up in this order: `$BACKBONE_PG_BINDIR`, `pg_config --bindir`,
//! the newest `/usr/lib/postgresql/<version>/bin`, then `PATH`.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// Port number of the server. With no TCP listener it only names the socket file
/// (`.s.PGSQL.5432`); clusters in different directories never clash.
pub const PORT: u16 = 5432;

/// Unix socket paths are limited (`sun_path` is 108 bytes on Linux, 104 on macOS).
pub const MAX_SOCKET_PATH: usize = 100;

/// The OS user PostgreSQL runs as when this process is root.
const SERVICE_USER: &str = "postgres";
/// Settings file this module owns, included from `postgresql.conf`; rewritten on each start.
const LOCAL_CONF: &str = "pg_local.conf";
const LOG_FILE: &str = "server.log";

/// Errors from managing the local cluster. Messages say what to do about them.
#[derive(Debug, thiserror::Error)]
pub enum PgLocalError {
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl) not found (looked in: {searched}); \
         install the `postgresql` package (Debian/Ubuntu: `apt-get install postgresql`), \
         set BACKBONE_PG_BINDIR to the directory holding them, or set DATABASE_URL to use an \
         existing server"
    )]
    BinariesNotFound { searched: String },
    #[error(
        "the unix socket path {path} would be {len} bytes, more than the {max} allowed; \
         use a shorter data directory path",
        max = MAX_SOCKET_PATH
    )]
    SocketPathTooLong { path: PathBuf, len: usize },
    #[error(
        "{dir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); \
         remove it or choose another directory"
    )]
    NotACluster { dir: PathBuf },
    #[error("running as root: {0}")]
    Root(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
    #[error("`{command}` failed ({status}): {output}")]
    Command {
        command: String,
        status: String,
        output: String,
    },
    #[error("could not connect to the local cluster ({url}): {source}")]
    Connect {
        url: String,
        #[source]
        source: diesel::ConnectionError,
    },
    #[error("query on the local cluster failed: {0}")]
    Query(#[from] diesel::result::Error),
}

type Result<T> = std::result::Result<T, PgLocalError>;

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> PgLocalError {
    let context = context.into();
    move |source| PgLocalError::Io { context, source }
}

/// How the cluster is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterOptions {
    /// `false` turns off fsync (initdb `--no-sync`, server `fsync=off`, …): much faster, but a
    /// machine crash can corrupt the cluster. Only for throwaway test clusters.
    pub durable: bool,
    /// Stop the server and delete the whole directory when this process exits, however it
    /// exits (even `SIGKILL`). Armed before `initdb` runs. Only for throwaway clusters.
    pub dispose_on_exit: bool,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        Self {
            durable: true,
            dispose_on_exit: false,
        }
    }
}

/// A PostgreSQL cluster in a local directory, listening only on a unix socket inside it.
#[derive(Debug)]
pub struct LocalCluster {
    dir: PathBuf,
    bindir: PathBuf,
    /// `Some("postgres")` when we are root and run the tools through `runuser`.
    run_as: Option<String>,
    options: ClusterOptions,
    started_here: bool,
}

impl LocalCluster {
    /// Creates the cluster in `data_dir` if the directory holds none yet (the directory may be
    /// missing or empty), and starts it unless it is already running.
    pub fn ensure_running(data_dir: &Path) -> Result<LocalCluster> {
        Self::ensure_running_with(data_dir, ClusterOptions::default())
    }

    /// [`ensure_running`](Self::ensure_running) with explicit options.
    pub fn ensure_running_with(data_dir: &Path, options: ClusterOptions) -> Result<LocalCluster> {
        let bindir = find_bindir()?;
        let run_as = if running_as_root() {
            Some(SERVICE_USER.to_owned())
        } else {
            None
        };
        fs::create_dir_all(data_dir)
            .map_err(io_err(format!("cannot create {}", data_dir.display())))?;
        let dir = data_dir
            .canonicalize()
            .map_err(io_err(format!("cannot resolve {}", data_dir.display())))?;
        check_socket_path(&dir)?;
        let mut cluster = LocalCluster {
            dir,
            bindir,
            run_as,
            options,
            started_here: false,
        };
        if options.dispose_on_exit {
            cluster.arm_watchdog()?;
        }
        cluster.init_if_needed()?;
        if !cluster.is_running()? {
            cluster.start()?;
            cluster.started_here = true;
        }
        Ok(cluster)
    }

    /// The cluster directory; it is also the socket directory.
    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    /// Whether [`ensure_running`](Self::ensure_running) started the server (rather than
    /// finding it running).
    pub fn started_here(&self) -> bool {
        self.started_here
    }

    /// A libpq URL for database `dbname` as user `postgres`, over the cluster's socket:
    /// `postgres://postgres@/DB?host=/abs/dir&port=5432`.
    pub fn database_url(&self, dbname: &str) -> String {
        format!(
            "postgres://postgres@/{}?host={}&port={PORT}",
            percent_encode(dbname),
            percent_encode(&self.dir.to_string_lossy()),
        )
    }

    /// Creates database `name` unless it exists; returns whether it was created.
    pub fn ensure_database(&self, name: &str) -> Result<bool> {
        let url = self.database_url("postgres");
        let mut conn = PgConnection::establish(&url)
            .map_err(|source| PgLocalError::Connect { url, source })?;
        if database_exists(&mut conn, name)? {
            return Ok(false);
        }
        match diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(name))).execute(&mut conn)
        {
            Ok(_) => Ok(true),
            // Created concurrently by someone else: fine.
            Err(_) if database_exists(&mut conn, name)? => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether the server of this cluster is running (`pg_ctl status`).
    pub fn is_running(&self) -> Result<bool> {
        let mut cmd = self.pg_ctl();
        cmd.arg("status");
        let output = self.run(cmd, "pg_ctl status")?;
        match output.status.code() {
            Some(0) => Ok(true),
            // 3: not running; 4: no accessible data directory.
            Some(3) => Ok(false),
            _ => Err(command_error("pg_ctl status", &output)),
        }
    }

    /// Starts the server (`pg_ctl start -w`) and waits until it accepts connections.
    /// A stale `postmaster.pid` left by a crash is handled by PostgreSQL itself.
    pub fn start(&self) -> Result<()> {
        self.write_local_conf()?;
        let mut cmd = self.pg_ctl();
        cmd.args(["start", "-w", "-t", "60", "-s", "-l"])
            .arg(self.dir.join(LOG_FILE));
        let output = self.run(cmd, "pg_ctl start")?;
        if output.status.success() {
            return Ok(());
        }
        let mut err = command_error("pg_ctl start", &output);
        if let PgLocalError::Command { output, .. } = &mut err {
            let log = fs::read_to_string(self.dir.join(LOG_FILE)).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(15).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            output.push_str(&format!(
                "\nlast lines of {}:\n{}",
                self.dir.join(LOG_FILE).display(),
                tail.join("\n")
            ));
        }
        Err(err)
    }

    /// Stops the server (`pg_ctl stop -m fast`: open sessions are disconnected). Stopping a
    /// server that is not running is not an error.
    pub fn stop(&self) -> Result<()> {
        if !self.is_running()? {
            return Ok(());
        }
        let mut cmd = self.pg_ctl();
        cmd.args(["stop", "-m", "fast", "-w", "-s"]);
        let output = self.run(cmd, "pg_ctl stop")?;
        if output.status.success() || !self.is_running()? {
            Ok(())
        } else {
            Err(command_error("pg_ctl stop", &output))
        }
    }

    /// Arranges for the server to be stopped (`-m immediate`) and the whole cluster directory
    /// to be deleted as soon as this process exits, however it exits (even `SIGKILL`).
    ///
    /// Spawns a small detached `sh` watchdog, in its own process group so that a Ctrl-C
    /// aimed at this process does not kill it first, that blocks reading a pipe whose write
    /// end only this process holds; the kernel closes that pipe when this process ends.
    fn arm_watchdog(&self) -> Result<()> {
        use std::os::unix::process::CommandExt as _;
        // Repeats until the directory stays gone: when the process is killed in the middle of
        // `initdb` or `pg_ctl start`, those keep writing into the directory for a moment.
        const SCRIPT: &str = r#"read -r _ignored || true
i=0
while :; do
  if [ -n "$3" ]; then
    runuser -u "$3" -- "$1" -D "$2" stop -m immediate -w -s >/dev/null 2>&1 || true
  else
    "$1" -D "$2" stop -m immediate -w -s >/dev/null 2>&1 || true
  fi
  rm -rf -- "$2" 2>/dev/null || true
  sleep 1
  i=$((i + 1))
  if [ ! -e "$2" ] || [ "$i" -ge 30 ]; then break; fi
done
"#;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(SCRIPT)
            .arg("pg_local-watchdog")
            .arg(self.bindir.join("pg_ctl"))
            .arg(&self.dir)
            .arg(self.run_as.as_deref().unwrap_or(""))
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(io_err("cannot spawn the cleanup watchdog (sh)"))?;
        // Keep the write end open until this process exits: the watchdog acts on EOF. The
        // descriptor is close-on-exec, so other child processes do not inherit it.
        if let Some(stdin) = child.stdin.take() {
            std::mem::forget(stdin);
        }
        Ok(())
    }

    fn init_if_needed(&self) -> Result<()> {
        if self.dir.join("PG_VERSION").exists() {
            return Ok(());
        }
        let not_empty = fs::read_dir(&self.dir)
            .map_err(io_err(format!("cannot read {}", self.dir.display())))?
            .next()
            .is_some();
        if not_empty {
            return Err(PgLocalError::NotACluster {
                dir: self.dir.clone(),
            });
        }
        if let Some(user) = &self.run_as {
            hand_over_to(user, &self.dir)?;
        }
        let mut cmd = self.tool("initdb");
        cmd.arg("-D").arg(&self.dir).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        ]);
        if !self.options.durable {
            cmd.arg("--no-sync");
        }
        let output = self.run(cmd, "initdb")?;
        if !output.status.success() {
            return Err(command_error("initdb", &output));
        }
        let conf = self.dir.join("postgresql.conf");
        let mut file = fs::OpenOptions::new()
            .append(true)
            .open(&conf)
            .map_err(io_err(format!("cannot open {}", conf.display())))?;
        writeln!(
            file,
            "\n# Added by backbone-admin (pg_local): socket-only settings live in {LOCAL_CONF}.\ninclude_if_exists = '{LOCAL_CONF}'"
        )
        .map_err(io_err(format!("cannot write {}", conf.display())))?;
        Ok(())
    }

    /// Rewrites the settings file on every start, so a moved directory still gets its socket
    /// in the right place.
    fn write_local_conf(&self) -> Result<()> {
        let mut text = format!(
            "# Written by backbone-admin (pg_local) on every start; edits are lost.\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{}'\n\
             port = {PORT}\n",
            self.dir.to_string_lossy().replace('\'', "''"),
        );
        if !self.options.durable {
            text.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
            // A test binary runs its tests in parallel, each app with a pool of its own.
            text.push_str("max_connections = 300\n");
        }
        let path = self.dir.join(LOCAL_CONF);
        fs::write(&path, text).map_err(io_err(format!("cannot write {}", path.display())))?;
        if let Some(user) = &self.run_as {
            chown_to(user, &path)?;
        }
        Ok(())
    }

    fn pg_ctl(&self) -> Command {
        let mut cmd = self.tool("pg_ctl");
        cmd.arg("-D").arg(&self.dir);
        cmd
    }

    /// A command for a PostgreSQL tool, through `runuser` when root, run in the cluster
    /// directory (the service user may not be able to enter our working directory).
    fn tool(&self, name: &str) -> Command {
        let program = self.bindir.join(name);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        };
        cmd.current_dir(&self.dir).stdin(Stdio::null());
        cmd
    }

    fn run(&self, mut cmd: Command, what: &str) -> Result<Output> {
        cmd.output().map_err(io_err(format!("cannot run {what}")))
    }
}

/// Finds the directory holding `initdb` and `pg_ctl`.
pub fn find_bindir() -> Result<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let mut searched = Vec::new();

    if let Some(dir) = std::env::var_os("BACKBONE_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        if has_tools(&dir) {
            return Ok(dir);
        }
        searched.push(format!("$BACKBONE_PG_BINDIR={}", dir.display()));
    }
    if let Ok(out) = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_tools(&dir) {
            return Ok(dir);
        }
        searched.push(format!("pg_config --bindir ({})", dir.display()));
    }
    let debian = Path::new("/usr/lib/postgresql");
    if let Some(dir) = newest_versioned_bindir(debian, has_tools) {
        return Ok(dir);
    }
    searched.push(format!("{}/*/bin", debian.display()));
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_tools(&dir) {
                return Ok(dir);
            }
        }
    }
    searched.push("PATH".to_owned());
    Err(PgLocalError::BinariesNotFound {
        searched: searched.join(", "),
    })
}

/// `<root>/<version>/bin` with the highest numeric version that has the tools.
fn newest_versioned_bindir(root: &Path, has_tools: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir(root)
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let key = version_key(&name)?;
            let bin = entry.path().join("bin");
            has_tools(&bin).then_some((key, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}

/// "15" → [15], "9.6" → [9, 6]; anything else is not a version directory.
fn version_key(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

fn check_socket_path(dir: &Path) -> Result<()> {
    let path = dir.join(format!(".s.PGSQL.{PORT}"));
    let len = path.as_os_str().len();
    if len >= MAX_SOCKET_PATH {
        return Err(PgLocalError::SocketPathTooLong { path, len });
    }
    Ok(())
}

fn running_as_root() -> bool {
    static ROOT: OnceLock<bool> = OnceLock::new();
    *ROOT.get_or_init(|| {
        Command::new("id")
            .arg("-u")
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
            .unwrap_or(false)
    })
}

/// Makes `dir` belong to `user` and checks that `user` can reach it (every parent directory
/// must be searchable by that user, which is not the case under `/root`, for example).
fn hand_over_to(user: &str, dir: &Path) -> Result<()> {
    chown_to(user, dir)?;
    let reachable = Command::new("runuser")
        .args(["-u", user, "--", "test", "-w"])
        .arg(dir)
        .current_dir("/")
        .status()
        .map_err(io_err("cannot run runuser (util-linux)"))?;
    if !reachable.success() {
        return Err(PgLocalError::Root(format!(
            "the `{user}` user cannot write to {}; every parent directory must be searchable \
             by it (chmod o+x), or use a data directory elsewhere",
            dir.display()
        )));
    }
    Ok(())
}

fn chown_to(user: &str, path: &Path) -> Result<()> {
    let id = |flag: &str| -> Result<u32> {
        let out = Command::new("id")
            .args([flag, user])
            .output()
            .map_err(io_err("cannot run id"))?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| {
                PgLocalError::Root(format!(
                    "PostgreSQL refuses to run as root and there is no `{user}` OS user to run \
                     it as; create one (e.g. `useradd --system --user-group {user}`, or install \
                     the `postgresql` package) or run as an ordinary user"
                ))
            })
    };
    let (uid, gid) = (id("-u")?, id("-g")?);
    std::os::unix::fs::chown(path, Some(uid), Some(gid))
        .map_err(io_err(format!("cannot chown {} to {user}", path.display())))
}

fn database_exists(conn: &mut PgConnection, name: &str) -> Result<bool> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        #[allow(dead_code)]
        one: i32,
    }
    let rows: Vec<Found> = diesel::sql_query("SELECT 1 AS one FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .load(conn)?;
    Ok(!rows.is_empty())
}

/// Quotes an SQL identifier: `a"b` → `"a""b"`.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Percent-encodes everything but unreserved characters and `/` (for URL paths and values).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn command_error(command: &str, output: &Output) -> PgLocalError {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    PgLocalError::Command {
        command: command.to_owned(),
        status: output.status.to_string(),
        output: text.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster_at(dir: &str) -> LocalCluster {
        LocalCluster {
            dir: PathBuf::from(dir),
            bindir: PathBuf::from("/nonexistent"),
            run_as: None,
            options: ClusterOptions::default(),
            started_here: false,
        }
    }

    #[test]
    fn url_uses_the_socket_directory_and_encodes() {
        let c = cluster_at("/work/target/test-pg/42");
        assert_eq!(
            c.database_url("app"),
            "postgres://postgres@/app?host=/work/target/test-pg/42&port=5432"
        );
        let c = cluster_at("/tmp/my dir&x");
        assert_eq!(
            c.database_url("a b"),
            "postgres://postgres@/a%20b?host=/tmp/my%20dir%26x&port=5432"
        );
    }

    #[test]
    fn socket_path_length_is_checked() {
        assert!(check_socket_path(Path::new("/tmp/short")).is_ok());
        let long = format!("/tmp/{}", "x".repeat(90));
        let err = check_socket_path(Path::new(&long)).unwrap_err();
        assert!(matches!(err, PgLocalError::SocketPathTooLong { .. }));
        assert!(err.to_string().contains("shorter data directory"));
    }

    #[test]
    fn versions_sort_numerically() {
        let root = std::env::temp_dir().join(format!("pg_local_versions_{}", std::process::id()));
        for v in ["9.6", "10", "15", "notaversion"] {
            fs::create_dir_all(root.join(v).join("bin")).unwrap();
        }
        let found = newest_versioned_bindir(&root, |_| true).unwrap();
        assert_eq!(found, root.join("15").join("bin"));
        let none = newest_versioned_bindir(&root, |_| false);
        assert_eq!(none, None);
        fs::remove_dir_all(&root).unwrap();
        assert_eq!(version_key("9.6"), Some(vec![9, 6]));
        assert_eq!(version_key("main"), None);
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("t_1"), "\"t_1\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn a_non_empty_foreign_directory_is_refused() {
        let dir = std::env::temp_dir().join(format!("pg_local_foreign_{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("something"), "x").unwrap();
        let c = cluster_at(dir.to_str().unwrap());
        let err = c.init_if_needed().unwrap_err();
        assert!(matches!(err, PgLocalError::NotACluster { .. }), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_binaries_error_names_the_package() {
        let err = PgLocalError::BinariesNotFound {
            searched: "PATH".into(),
        };
        assert!(err.to_string().contains("`postgresql` package"));
    }
}
