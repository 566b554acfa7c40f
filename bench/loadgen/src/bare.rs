//! `loadgen bare`: a bare actix-web server whose `/healthz` answers `ok`, with nothing else
//! (no middleware, no state). Started as its own process next to the app, it gives the
//! ceiling the app's `/healthz` is compared with, measured in the same run by the same
//! load generator.

use actix_web::{App, HttpResponse, HttpServer, web};

#[derive(clap::Args)]
pub struct BareArgs {
    #[arg(long, default_value = "127.0.0.1:18081")]
    bind: String,
    /// Worker threads; actix-web's default (one per core), as the app uses, when unset.
    #[arg(long)]
    workers: Option<usize>,
}

pub fn serve(args: BareArgs) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let mut server = HttpServer::new(|| {
            App::new().route(
                "/healthz",
                web::get().to(|| async {
                    HttpResponse::Ok()
                        .content_type("text/plain; charset=utf-8")
                        .body("ok")
                }),
            )
        });
        if let Some(workers) = args.workers {
            server = server.workers(workers);
        }
        server.bind(&args.bind)?.run().await
    })?;
    Ok(())
}
