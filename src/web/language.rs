//! `POST /language`: the header's language switch. The choice is kept in its own cookie
//! (not the session), so that it outlives signing out and applies before signing in.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpResponse, http::header, web};
use serde::Deserialize;

use super::AppState;
use super::csrf::CsrfForm;
use super::i18n::{LANG_COOKIE, Lang};

pub const PATH: &str = "/language";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::post().to(switch));
}

#[derive(Deserialize)]
pub struct Choice {
    lang: String,
    /// The page to go back to.
    back: Option<String>,
}

async fn switch(state: web::Data<AppState>, form: CsrfForm<Choice>) -> HttpResponse {
    let CsrfForm(choice) = form;
    let back = choice
        .back
        .filter(|back| is_local(back))
        .unwrap_or_else(|| "/".to_owned());
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, back));
    if let Some(lang) = Lang::parse(&choice.lang) {
        response.cookie(
            Cookie::build(LANG_COOKIE, lang.code())
                .path("/")
                .http_only(true)
                .secure(state.cookie_secure)
                .same_site(SameSite::Lax)
                .max_age(Duration::days(365))
                .finish(),
        );
    }
    response.finish()
}

/// A path on this site: never `//host` or `/\host`, which browsers take for another site,
/// and only the printable ASCII a `Location` header may carry.
fn is_local(back: &str) -> bool {
    back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && back.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    #[test]
    fn goes_back_only_to_this_site() {
        assert!(super::is_local("/admin/identities?page=2"));
        assert!(!super::is_local("//evil.example/"));
        assert!(!super::is_local("/\\evil.example"));
        assert!(!super::is_local("https://evil.example/"));
        assert!(!super::is_local("/a\r\nSet-Cookie: x"));
    }
}
