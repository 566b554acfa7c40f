//! Control characters never reach a handler or the database: a request whose path segment,
//! query parameter or URL-encoded form field holds NUL or another control character (tab,
//! CR and LF excepted), after percent-decoding, is answered 400 with the styled error page.
//! It is the client's mistake, so nothing is logged at ERROR.
//!
//! Form bodies (at most `BODY_LIMIT`) are read here and put back as the payload for the
//! handler's extractor.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::web::Bytes;

use super::error::error_page;

const MESSAGE: &str = "The request contains a control character (such as a NUL byte), which \
                       this site does not accept. Go back and check what you entered.";

/// The middleware: `.wrap(from_fn(input_hygiene::reject_control_characters))`.
pub async fn reject_control_characters(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let uri = req.uri();
    let mut clean = path_is_clean(uri.path()) && uri.query().is_none_or(urlencoded_is_clean);
    if clean && is_urlencoded_form(&req) {
        let body = match req.extract::<Bytes>().await {
            Ok(body) => body,
            // Too large (413) or broken: answered as a plain error response, which the
            // error-page middleware around this one styles.
            Err(error) => {
                let response = error.error_response();
                return Ok(req.into_response(response).map_into_right_body());
            }
        };
        clean = urlencoded_is_clean(&String::from_utf8_lossy(&body));
        req.set_payload(Payload::from(body));
    }
    if !clean {
        tracing::debug!("refused a request with a control character");
        let page = error_page(StatusCode::BAD_REQUEST, MESSAGE.to_owned(), None);
        return Ok(req.into_response(page).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn is_urlencoded_form(req: &ServiceRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
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
}
