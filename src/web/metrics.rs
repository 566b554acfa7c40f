//! `GET /metrics` in the Prometheus text format, served on a listener of its own
//! (`METRICS_BIND`): a route like the others, in a server that has only it. What a scrape
//! shows that is not recorded as it happens (the pool's state, the hash queue) is read
//! just before rendering.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, get, web};
use metrics_exporter_prometheus::PrometheusHandle;

use crate::db::{DbPool, record_pool_state};

/// What a scrape reads.
struct Scrape {
    handle: PrometheusHandle,
    pool: DbPool,
}

#[get("/metrics")]
async fn metrics(scrape: web::Data<Scrape>) -> HttpResponse {
    record_pool_state(&scrape.pool);
    ::metrics::gauge!("password_hash_queue_depth").set(crate::passwords::queue_depth() as f64);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(scrape.handle.render())
}

/// Builds the metrics server on an already bound listener; `pool` is the one whose state
/// the scrape reports.
pub fn build_metrics_server(
    listener: TcpListener,
    handle: PrometheusHandle,
    pool: DbPool,
) -> std::io::Result<Server> {
    let scrape = web::Data::new(Scrape { handle, pool });
    Ok(
        HttpServer::new(move || App::new().app_data(scrape.clone()).service(metrics))
            .workers(1)
            // `serve` stops it after the web server (crate::serve).
            .disable_signals()
            .shutdown_timeout(1)
            .listen(listener)?
            .run(),
    )
}
