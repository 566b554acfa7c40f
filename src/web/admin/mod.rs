//! Admin pages (support staff), all behind admin sign-in except the sign-in page.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
