//! The one way to start the web app: `serve` (and so the benchmark, which runs the binary)
//! and every test build it here, so what they run is the same server on the same core.

use std::net::{SocketAddr, TcpListener};

use actix_web::dev::Server;

use crate::facade::Core;
use crate::web::{WebOptions, build_server};

/// What the web app needs besides its core: where to listen and the web options.
pub struct ApplicationSettings {
    /// `host:port`; port 0 picks a free one (tests).
    pub bind: String,
    pub web: WebOptions,
}

/// The web app bound to its port, not yet running: await [`Application::run_until_stopped`]
/// or spawn [`Application::into_server`].
pub struct Application {
    address: SocketAddr,
    server: Server,
}

impl Application {
    /// Binds `settings.bind` and builds the server on `core`.
    pub fn build(core: Core, settings: ApplicationSettings) -> std::io::Result<Self> {
        let listener = TcpListener::bind(&settings.bind).map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot listen on {}: {e}", settings.bind))
        })?;
        let address = listener.local_addr()?;
        let server = build_server(listener, core, settings.web)?;
        Ok(Self { address, server })
    }

    /// The address it listens on (with the chosen port when `bind` asked for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The server, to spawn or stop by its handle.
    pub fn into_server(self) -> Server {
        self.server
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
