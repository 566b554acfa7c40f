//! Control characters never reach a handler or the database: a request whose path segment,
//! query parameter or body holds NUL or another control character (tab, CR and LF
//! excepted) is answered 400 with the styled error page. URL-encoded forms are checked after
//! percent-decoding, bodies of any other type byte for byte. It is the client's mistake, so
//! nothing is logged at ERROR.
//!
//! Every body is read here (at most `BODY_LIMIT`, within the body-read deadline, see
//! `body.rs`) and put back as the payload for the handler's extractor.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_LENGTH, HeaderMap, TRANSFER_ENCODING};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, ResponseError};

use super::api::{self, ApiError};
use super::body;
use super::error::{ErrorText, error_page};
use super::i18n::key;

/// The middleware: `.wrap(from_fn(input_hygiene::reject_control_characters))`.
pub async fn reject_control_characters(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let uri = req.uri();
    let is_api = api::is_api_path(uri.path());
    let mut clean = path_is_clean(uri.path()) && uri.query().is_none_or(urlencoded_is_clean);
    if clean && has_body(req.headers()) {
        let (http_request, payload) = req.parts_mut();
        let body = match body::read(http_request, payload).await {
            Ok(body) => body,
            // Too large (413), too slow (408) or broken (400).
            Err(refused) if is_api => return Ok(answer(req, refused.into_api_response())),
            Err(refused) => return Ok(answer(req, refused.into_response())),
        };
        clean = body_is_clean(&body, body::is_form(req.headers()));
        req.set_payload(Payload::from(body));
    }
    if !clean {
        tracing::debug!("refused a request with a control character");
        let refusal = if is_api {
            ApiError::cannot_be_parsed("it contains a control character").error_response()
        } else {
            error_page(
                StatusCode::BAD_REQUEST,
                ErrorText::key(key("error-control-characters")),
            )
        };
        return Ok(answer(req, refusal));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn answer<B>(
    req: ServiceRequest,
    response: HttpResponse,
) -> ServiceResponse<actix_web::body::EitherBody<B>> {
    req.into_response(response).map_into_right_body()
}

/// Whether HTTP/1.1 framing announces a body (no `Content-Length` nor `Transfer-Encoding`:
/// none), so that requests without one skip the read.
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get(CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
}

fn body_is_clean(body: &Bytes, is_form: bool) -> bool {
    let text = String::from_utf8_lossy(body);
    if is_form {
        urlencoded_is_clean(&text)
    } else {
        !text.chars().any(is_refused)
    }
}

/// A control character other than tab, CR and LF (C0, DEL and C1).
fn is_refused(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\r' | '\n')
}

/// Percent-decodes `text` (and `+` as a space when `plus_is_space`), then checks it.
fn decoded_is_clean(text: &str, plus_is_space: bool) -> bool {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        i += 2;
                        high << 4 | low
                    }
                    _ => b'%',
                }
            }
            b'+' if plus_is_space => b' ',
            other => other,
        };
        decoded.push(byte);
        i += 1;
    }
    !String::from_utf8_lossy(&decoded).chars().any(is_refused)
}

fn hex_value(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|v| v as u8)
}

fn path_is_clean(path: &str) -> bool {
    path.split('/')
        .all(|segment| decoded_is_clean(segment, false))
}

/// Every name and value of `a=1&b=2`.
fn urlencoded_is_clean(text: &str) -> bool {
    text.split('&').all(|pair| decoded_is_clean(pair, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_after_decoding() {
        for bad in ["a%00b", "%01", "x%7F", "%C2%85", "%1b[31m", "%0B", "%0c"] {
            assert!(!urlencoded_is_clean(&format!("q={bad}")), "{bad}");
            assert!(!urlencoded_is_clean(&format!("{bad}=1")), "{bad} as a name");
            assert!(
                !path_is_clean(&format!("/admin/identities/{bad}")),
                "{bad} in a path"
            );
        }
    }

    #[test]
    fn ordinary_input_and_tab_cr_lf_pass() {
        for good in [
            "q=did%3Ae%3Alocalhost",
            "note=line%0D%0Anext%09tab",
            "a=%25&b=100%",
            "x=%zz&y=%4",
            "name=J%C3%BCrgen+M%C3%BCller",
            "",
        ] {
            assert!(urlencoded_is_clean(good), "{good}");
        }
        assert!(path_is_clean(
            "/admin/identities/did:e:localhost%3A8080:dids:0123"
        ));
        assert!(path_is_clean("/"));
    }

    #[test]
    fn bodies_of_other_types_are_checked_byte_for_byte() {
        for bad in ["a\0b", "\u{1}", "x\u{7f}", "\u{85}", "\u{1b}[31m"] {
            assert!(!body_is_clean(&Bytes::from(bad), false), "{bad:?}");
            assert!(
                !body_is_clean(&Bytes::from(format!("csrf_token={bad}")), true),
                "{bad:?} in a form"
            );
        }
        // Percent-escapes are text in a body that is not a form.
        assert!(body_is_clean(&Bytes::from("a%00b\r\n\tc"), false));
        assert!(body_is_clean(
            &Bytes::from_static(b"{\"a\": \"\xff\"}"),
            false
        ));
    }
}
