//! The span every request is logged in: its ID, method, route pattern and status, never the
//! raw path or query, which hold addresses and usernames (personal data stays out of logs).

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

pub struct RouteOnly;

impl RootSpanBuilder for RouteOnly {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = super::request_id::assign(request);
        tracing::info_span!(
            "request",
            request_id = %id.0,
            method = %request.method(),
            route = tracing::field::Empty,
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        match outcome {
            Ok(response) => {
                let route = response.request().match_pattern();
                span.record("route", route.as_deref().unwrap_or("unmatched"));
                span.record("status", response.status().as_u16());
                if response.status().is_server_error() {
                    tracing::warn!(parent: &span, status = response.status().as_u16(), "server error");
                }
            }
            Err(error) => {
                span.record("status", error.as_response_error().status_code().as_u16());
            }
        }
    }
}
