//! Reading a request body: at most `BODY_LIMIT` bytes (413) within the body-read deadline
//! (`BODY_READ_TIMEOUT_SECONDS`, 408). actix-web's `client_request_timeout` covers only the
//! request head, so without this a body that trickles in would keep its request waiting.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderMap};
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};

use super::error::WebError;
use super::i18n::key;

/// Default of `BODY_READ_TIMEOUT_SECONDS`.
pub const DEFAULT_READ_TIMEOUT_SECONDS: u64 = 10;

/// How long reading a request body may take, from the first poll (app data).
#[derive(Debug, Clone, Copy)]
pub struct ReadTimeout(pub Duration);

impl Default for ReadTimeout {
    fn default() -> Self {
        Self(Duration::from_secs(DEFAULT_READ_TIMEOUT_SECONDS))
    }
}

/// A body read, which holds the connection's payload.
type Read = Pin<Box<<Bytes as FromRequest>::Future>>;

/// A body that could not be read: 408, 413 or 400.
pub struct Refused {
    error: WebError,
    /// Cut off at the deadline.
    unfinished: Option<Read>,
}

impl Refused {
    /// The error page. A read cut off at the deadline goes out with it: while the request's
    /// payload is alive when the response is done, actix closes the connection instead of
    /// draining (waiting for) a body that may never end.
    pub fn into_response(self) -> HttpResponse {
        let response = self.error.error_response();
        self.holding_the_read(response)
    }

    /// The same refusal as an API's error body: a 400 that says what was wrong.
    pub fn into_api_response(self) -> HttpResponse {
        let response = super::api::ApiError::cannot_be_parsed(&self.error).error_response();
        self.holding_the_read(response)
    }

    fn holding_the_read(self, response: HttpResponse) -> HttpResponse {
        match self.unfinished {
            None => response,
            Some(read) => {
                response.map_body(|_, page| BoxBody::new(PageHolding { page, _held: read }))
            }
        }
    }
}

/// A page that keeps something alive until it is sent: an unfinished read (see
/// [`Refused::into_response`]), or the body it replaced (`error::style_plain_errors`).
pub struct PageHolding<T> {
    pub page: BoxBody,
    pub _held: T,
}

impl<T: Unpin> MessageBody for PageHolding<T> {
    type Error = <BoxBody as MessageBody>::Error;

    fn size(&self) -> BodySize {
        self.page.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().page).poll_next(cx)
    }
}

impl From<Refused> for WebError {
    fn from(refused: Refused) -> Self {
        refused.error
    }
}

/// Reads the whole body. The future owns what it needs, so extractors can box it.
pub fn read(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<Bytes, Refused>> + 'static {
    let deadline = req.app_data::<ReadTimeout>().copied().unwrap_or_default().0;
    let mut body = Box::pin(Bytes::from_request(req, payload));
    async move {
        let error = match tokio::time::timeout(deadline, &mut body).await {
            Ok(Ok(body)) => return Ok(body),
            Err(_elapsed) => {
                return Err(Refused {
                    error: WebError::RequestTimeout,
                    unfinished: Some(body),
                });
            }
            Ok(Err(e)) if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE => {
                WebError::PayloadTooLarge
            }
            Ok(Err(_)) => WebError::Invalid {
                key: key("error-form-unreadable"),
                args: Vec::new(),
            },
        };
        Err(Refused {
            error,
            unfinished: None,
        })
    }
}

/// Whether the body is declared as a URL-encoded form (parameters such as `charset` are
/// allowed); the only kind of body the pages accept.
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn with_type(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_url_encoded_forms_are_forms() {
        for form in [
            "application/x-www-form-urlencoded",
            "Application/X-WWW-Form-URLEncoded",
            "application/x-www-form-urlencoded; charset=UTF-8",
            " application/x-www-form-urlencoded ;charset=utf-8",
        ] {
            assert!(is_form(&with_type(form)), "{form}");
        }
        for other in [
            "text/plain",
            "application/json",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencodedx",
            "",
        ] {
            assert!(!is_form(&with_type(other)), "{other}");
        }
        assert!(!is_form(&HeaderMap::new()), "no Content-Type");
    }
}
