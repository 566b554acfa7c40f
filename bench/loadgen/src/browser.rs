//! One simulated browser: its own connection, cookie jar and source address, signing in
//! through the real forms and posting forms with the page's CSRF token.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::StatusCode;
use reqwest::header::{LOCATION, RETRY_AFTER};
use reqwest::redirect::Policy;

/// What one request returned.
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    /// The `Retry-After` header of a 503 or 429.
    pub retry_after: Option<String>,
    pub body: String,
    pub elapsed: Duration,
}

pub struct Browser {
    client: reqwest::Client,
    base: String,
    csrf_token: Option<String>,
}

/// The n-th browser's source address on the loopback network (127.77.x.y). The app limits
/// sign-ins per client address, as it should; real users come from many addresses.
fn source_address(n: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 77, (n / 250) as u8, (n % 250 + 1) as u8))
}

impl Browser {
    pub fn new(base: &str, n: u32) -> Result<Self> {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            // Redirects are followed by hand, so that every request is timed on its own.
            .redirect(Policy::none())
            .local_address(source_address(n))
            .pool_max_idle_per_host(1)
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            csrf_token: None,
        })
    }

    pub async fn get(&self, path: &str) -> Result<Reply> {
        let started = Instant::now();
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await?;
        Self::reply(response, started).await
    }

    /// Posts a form with the session's CSRF token, as the page's form would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Result<Reply> {
        let token = self
            .csrf_token
            .as_deref()
            .context("no CSRF token read yet")?;
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", token)];
        form.extend_from_slice(fields);
        let started = Instant::now();
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            // What a browser sends for a same-origin form post.
            .header("Origin", &self.base)
            .form(&form)
            .send()
            .await?;
        Self::reply(response, started).await
    }

    async fn reply(response: reqwest::Response, started: Instant) -> Result<Reply> {
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.text().await?;
        Ok(Reply {
            status,
            location,
            retry_after,
            body,
            elapsed: started.elapsed(),
        })
    }

    /// Remembers the CSRF token of a page (every signed-in page has the sign-out form).
    pub fn read_csrf_token(&mut self, html: &str) -> Result<()> {
        self.csrf_token = Some(csrf_token(html).context("page without a csrf_token field")?);
        Ok(())
    }

    /// Signs in through `login_path` (GET the form, POST it) and reads the new token from
    /// the page the sign-in redirects to.
    pub async fn sign_in(
        &mut self,
        login_path: &str,
        username: &str,
        password: &str,
    ) -> Result<()> {
        let reply = self.post_sign_in(login_path, username, password).await?;
        let Some(target) = reply
            .location
            .filter(|_| reply.status == StatusCode::SEE_OTHER)
        else {
            bail!("sign-in of {username} answered {}", reply.status);
        };
        if target.contains("login") {
            bail!("sign-in of {username} refused (redirected to {target})");
        }
        let page = self.get(&target).await?;
        if page.status != StatusCode::OK {
            bail!("GET {target} after sign-in: {}", page.status);
        }
        // The session was renewed on sign-in and carries a new token.
        self.read_csrf_token(&page.body)
    }

    /// GETs the sign-in form and POSTs it; returns the answer to the POST, whatever it is.
    pub async fn post_sign_in(
        &mut self,
        login_path: &str,
        username: &str,
        password: &str,
    ) -> Result<Reply> {
        let form = self.get(login_path).await?;
        if form.status != StatusCode::OK {
            bail!("GET {login_path}: {}", form.status);
        }
        self.read_csrf_token(&form.body)?;
        self.post(
            login_path,
            &[("username", username), ("password", password)],
        )
        .await
    }
}

/// The value of the first `name="csrf_token"` field.
pub fn csrf_token(html: &str) -> Option<String> {
    let at = html.find(r#"name="csrf_token""#)?;
    let rest = &html[at..];
    let value = rest.find(r#"value=""#)? + r#"value=""#.len();
    let end = rest[value..].find('"')?;
    Some(rest[value..value + end].to_owned())
}

/// The ID in the first link `/me/deletion-processes/<ID>/<action>` on a page.
pub fn process_link(html: &str, action: &str) -> Option<String> {
    const PREFIX: &str = "/me/deletion-processes/";
    let suffix = format!("/{action}\"");
    html.match_indices(PREFIX).find_map(|(at, _)| {
        let rest = &html[at + PREFIX.len()..];
        let id = rest.get(..20)?;
        (id.starts_with("IDP") && rest[20..].starts_with(&suffix)).then(|| id.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_and_the_process_links() {
        let html = r#"<form><input type="hidden" name="csrf_token" value="abc123"></form>
            <a href="/me/deletion-processes/IDPabcdefghij0123456">Details</a>
            <a class="button" href="/me/deletion-processes/IDPabcdefghij0123456/cancel">Cancel</a>"#;
        assert_eq!(csrf_token(html).as_deref(), Some("abc123"));
        assert_eq!(
            process_link(html, "cancel").as_deref(),
            Some("IDPabcdefghij0123456")
        );
        assert_eq!(process_link(html, "approve"), None);
    }

    #[test]
    fn source_addresses_differ() {
        assert_ne!(source_address(0), source_address(1));
        assert_ne!(source_address(0), source_address(250));
    }
}
