//! Static files (the stylesheet), compiled into the binary so that it serves complete pages
//! wherever it runs.
//!
//! Every file has two URLs:
//! - `/static/app.<hash>.css`, the one pages link to (see [`url`]): the hash is the first 16
//!   hex digits of the file's SHA-256, so the URL changes whenever the content does and the
//!   response may be cached for a year (`Cache-Control: immutable`);
//! - `/static/app.css`, the plain name, revalidated on every use with its strong `ETag`
//!   (`If-None-Match` → `304 Not Modified`).
//!
//! A hashed URL whose hash is not the current one (a page rendered by an older instance
//! during a rolling upgrade) still gets the current file, but only with the revalidating
//! headers, so no cache keeps the wrong content under that name for long.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::RustEmbed;

use super::error::WebError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Embedded;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "public, no-cache";
/// Hex digits of the content hash put into the URL.
const HASH_DIGITS: usize = 16;

struct Asset {
    bytes: &'static [u8],
    content_type: HeaderValue,
    /// Quoted strong validator: the full SHA-256 in hex.
    etag: HeaderValue,
    hash: String,
    hashed_name: String,
}

struct Assets {
    by_name: HashMap<String, Asset>,
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let by_name = Embedded::iter()
        .filter_map(|name| {
            let file = Embedded::get(&name)?;
            let bytes: &'static [u8] = match file.data {
                std::borrow::Cow::Borrowed(bytes) => bytes,
                // Embedded files are always borrowed from the binary; keep any other for good.
                std::borrow::Cow::Owned(bytes) => Box::leak(bytes.into_boxed_slice()),
            };
            let digest = hex::encode(file.metadata.sha256_hash());
            let hash = digest[..HASH_DIGITS].to_owned();
            let mime = file.metadata.mimetype();
            let content_type = if mime.starts_with("text/") {
                format!("{mime}; charset=utf-8")
            } else {
                mime.to_owned()
            };
            let asset = Asset {
                bytes,
                content_type: HeaderValue::from_str(&content_type).ok()?,
                etag: HeaderValue::from_str(&format!("\"{digest}\"")).ok()?,
                hashed_name: hashed_name(&name, &hash),
                hash,
            };
            Some((name.into_owned(), asset))
        })
        .collect();
    Assets { by_name }
});

/// `app.css` + `0123…` → `app.0123….css`.
fn hashed_name(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// `app.0123….css` → (`app.css`, `0123…`); `None` when the name carries no hash.
fn split_hashed(name: &str) -> Option<(String, &str)> {
    let (rest, ext) = name.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    let is_hash = hash.len() == HASH_DIGITS && hash.bytes().all(|b| b.is_ascii_hexdigit());
    is_hash.then(|| (format!("{stem}.{ext}"), hash))
}

/// The URL pages link to for an embedded file: `/static/<name with its content hash>`.
/// Used by the templates (`base.html`).
pub fn url(name: &str) -> String {
    match ASSETS.by_name.get(name) {
        Some(asset) => format!("/static/{}", asset.hashed_name),
        None => format!("/static/{name}"),
    }
}

/// Registers `GET /static/{name}`.
pub fn routes(config: &mut web::ServiceConfig) {
    config.route("/static/{name}", web::get().to(serve));
}

async fn serve(req: HttpRequest, name: web::Path<String>) -> Result<HttpResponse, WebError> {
    let (asset, immutable) = if let Some(asset) = ASSETS.by_name.get(name.as_str()) {
        (asset, false)
    } else if let Some((plain, hash)) = split_hashed(&name)
        && let Some(asset) = ASSETS.by_name.get(&plain)
    {
        (asset, hash.eq_ignore_ascii_case(&asset.hash))
    } else {
        return Err(WebError::NotFound);
    };
    let cache_control = if immutable { IMMUTABLE } else { REVALIDATE };
    let not_modified = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/").as_bytes() == asset.etag.as_bytes()
        });
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::ETAG, asset.etag.clone()));
    if not_modified {
        return Ok(response.finish());
    }
    Ok(response
        .insert_header((header::CONTENT_TYPE, asset.content_type.clone()))
        .body(asset.bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_is_embedded_with_a_hashed_url() {
        let url = url("app.css");
        let name = url.strip_prefix("/static/").unwrap();
        let (plain, hash) = split_hashed(name).unwrap();
        assert_eq!(plain, "app.css");
        assert_eq!(hash.len(), HASH_DIGITS);
        let asset = &ASSETS.by_name["app.css"];
        assert_eq!(
            asset.bytes,
            include_bytes!("../../static/app.css").as_slice()
        );
        assert_eq!(asset.content_type, "text/css; charset=utf-8");
    }

    #[test]
    fn names_without_a_hash_are_not_split() {
        assert_eq!(split_hashed("app.css"), None);
        assert_eq!(split_hashed("app.notahexhash0000.css"), None);
        assert_eq!(
            split_hashed("app.0123456789abcdef.css"),
            Some(("app.css".to_owned(), "0123456789abcdef"))
        );
        assert_eq!(url("missing.css"), "/static/missing.css");
    }
}
