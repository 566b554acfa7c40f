//! One simulated browser: its own connection, cookie jar and source address, signing in
//! through the real forms and posting forms with the page's CSRF token.
//!
//! HTTP/1.1 straight on hyper's connection API: one keep-alive connection per browser
//! (reopened when the server has closed it), the cookies the app sets kept by name and
//! path. A general-purpose client (a pool, URL parsing and a cookie store per request) cost
//! more CPU per request than pgbench does per script, on the cores the app shares with it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpSocket;
use tokio::sync::Mutex;

/// A request that gets no answer within this is an error.
const TIMEOUT: Duration = Duration::from_secs(30);

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
    /// `http://host:port`, as the `Origin` of a form post.
    base: String,
    /// `host:port`, the `Host` header.
    authority: HeaderValue,
    server: SocketAddr,
    source: IpAddr,
    link: Mutex<Link>,
    csrf_token: Option<String>,
    /// The client address a trusted reverse proxy would name (`X-Forwarded-For`).
    forwarded_for: Option<HeaderValue>,
}

/// A request body: a browser's form post (with `Origin`) or an API call's JSON or form.
struct Body {
    content_type: &'static str,
    text: String,
    origin: bool,
}

/// The connection and the cookies, used by one request at a time.
#[derive(Default)]
struct Link {
    sender: Option<SendRequest<Full<Bytes>>>,
    cookies: Vec<Cookie>,
}

struct Cookie {
    name: String,
    value: String,
    path: String,
}

/// The n-th browser's source address on the loopback network (127.77.x.y). The app limits
/// sign-ins per client address, as it should; real users come from many addresses.
fn source_address(n: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 77, (n / 250) as u8, (n % 250 + 1) as u8))
}

impl Browser {
    /// A browser for `base` (`http://IP:port`: the benchmark's servers are on loopback).
    pub fn new(base: &str, n: u32) -> Result<Self> {
        let base = base.trim_end_matches('/').to_owned();
        let authority = base
            .strip_prefix("http://")
            .with_context(|| format!("{base}: only http://IP:port is supported"))?;
        let server: SocketAddr = authority
            .parse()
            .with_context(|| format!("{base}: only http://IP:port is supported"))?;
        Ok(Self {
            authority: HeaderValue::from_str(authority)?,
            base,
            server,
            source: source_address(n),
            link: Mutex::new(Link::default()),
            csrf_token: None,
            forwarded_for: None,
        })
    }

    /// A browser at `client`, reaching the app through the reverse proxy it trusts
    /// (`TRUSTED_PROXIES=127.0.0.1/32`): it connects from 127.0.0.1 and names `client` in
    /// `X-Forwarded-For`, so that the app counts it as that client network.
    pub fn behind_proxy(base: &str, client: Ipv4Addr) -> Result<Self> {
        let mut browser = Self::new(base, 0)?;
        browser.source = IpAddr::V4(Ipv4Addr::LOCALHOST);
        browser.forwarded_for = Some(HeaderValue::from_str(&client.to_string())?);
        Ok(browser)
    }

    /// Drops every cookie whose name `keep` refuses, as closing the browser drops its
    /// session cookie but keeps the persistent ones.
    pub fn forget_cookies(&mut self, keep: impl Fn(&str) -> bool) {
        self.link.get_mut().cookies.retain(|c| keep(&c.name));
    }

    pub async fn get(&self, path: &str) -> Result<Reply> {
        self.send(Method::GET, path, None).await
    }

    /// Posts a form with the session's CSRF token, as the page's form would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Result<Reply> {
        let token = self
            .csrf_token
            .as_deref()
            .context("no CSRF token read yet")?;
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("csrf_token", token)
            .extend_pairs(fields)
            .finish();
        self.send(Method::POST, path, Some(form)).await
    }

    async fn send(&self, method: Method, path: &str, form: Option<String>) -> Result<Reply> {
        let body = form.map(|form| Body {
            content_type: "application/x-www-form-urlencoded",
            text: form,
            origin: true,
        });
        self.send_with(method, path, &[], body).await
    }

    /// An API call (the `api` phase): `headers` (a bearer token or an API key) and an
    /// optional body of `content_type`, without the form post's `Origin`; cookies as ever.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        headers: &[(&'static str, &str)],
        body: Option<(&'static str, String)>,
    ) -> Result<Reply> {
        let body = body.map(|(content_type, text)| Body {
            content_type,
            text,
            origin: false,
        });
        self.send_with(method, path, headers, body).await
    }

    async fn send_with(
        &self,
        method: Method,
        path: &str,
        headers: &[(&'static str, &str)],
        body: Option<Body>,
    ) -> Result<Reply> {
        let started = Instant::now();
        let mut link = self.link.lock().await;
        let request = self.request(&link, method, path, headers, body)?;
        let response = tokio::time::timeout(TIMEOUT, self.exchange(&mut link, request))
            .await
            .with_context(|| format!("no answer within {TIMEOUT:?}"))??;
        let (parts, body) = response.into_parts();
        for value in parts.headers.get_all(header::SET_COOKIE) {
            link.set_cookie(value.to_str().unwrap_or_default());
        }
        let body = tokio::time::timeout(TIMEOUT, body.collect())
            .await
            .context("body not complete in time")??
            .to_bytes();
        let text = |name| {
            parts
                .headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(Reply {
            status: parts.status,
            location: text(header::LOCATION),
            retry_after: text(header::RETRY_AFTER),
            body: String::from_utf8(body.to_vec())
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            elapsed: started.elapsed(),
        })
    }

    fn request(
        &self,
        link: &Link,
        method: Method,
        path: &str,
        headers: &[(&'static str, &str)],
        body: Option<Body>,
    ) -> Result<Request<Full<Bytes>>> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.authority);
        if let Some(cookies) = link.cookie_header(path) {
            request = request.header(header::COOKIE, cookies);
        }
        if let Some(client) = &self.forwarded_for {
            request = request.header("x-forwarded-for", client);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(body) => {
                if body.origin {
                    // What a browser sends for a same-origin form post.
                    request = request.header(header::ORIGIN, &self.base);
                }
                request = request.header(header::CONTENT_TYPE, body.content_type);
                Full::new(Bytes::from(body.text))
            }
            None => Full::default(),
        };
        Ok(request.body(body)?)
    }

    /// Sends on the open connection, or on a new one when the server has closed it (idle
    /// keep-alive ends between phases); a request that was never sent goes again.
    async fn exchange(
        &self,
        link: &mut Link,
        request: Request<Full<Bytes>>,
    ) -> Result<hyper::Response<hyper::body::Incoming>> {
        let mut request = request;
        for _ in 0..2 {
            let usable = match link.sender.as_mut() {
                Some(sender) => !sender.is_closed() && sender.ready().await.is_ok(),
                None => false,
            };
            if !usable {
                link.sender = Some(self.connect().await?);
            }
            let sender = link.sender.as_mut().expect("connected above");
            match sender.try_send_request(request).await {
                Ok(response) => return Ok(response),
                Err(mut failed) => match failed.take_message() {
                    Some(unsent) => {
                        link.sender = None;
                        request = unsent;
                    }
                    None => {
                        link.sender = None;
                        return Err(failed.into_error().into());
                    }
                },
            }
        }
        bail!("the server closed two new connections before a request could be sent")
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>> {
        let socket = TcpSocket::new_v4()?;
        socket.bind(SocketAddr::new(self.source, 0))?;
        let stream = socket.connect(self.server).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(sender)
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

impl Link {
    /// Keeps a `Set-Cookie`; one that expires now (`Max-Age=0`) is removed.
    fn set_cookie(&mut self, header: &str) {
        let mut attributes = header.split(';').map(str::trim);
        let Some((name, value)) = attributes.next().and_then(|pair| pair.split_once('=')) else {
            return;
        };
        let mut path = "/".to_owned();
        let mut removed = false;
        for attribute in attributes {
            let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
            if key.eq_ignore_ascii_case("path") && val.starts_with('/') {
                path = val.to_owned();
            } else if key.eq_ignore_ascii_case("max-age")
                && val.trim_start_matches('-').chars().all(|c| c == '0')
            {
                removed = true;
            }
        }
        self.cookies.retain(|c| !(c.name == name && c.path == path));
        if !removed {
            self.cookies.push(Cookie {
                name: name.to_owned(),
                value: value.to_owned(),
                path,
            });
        }
    }

    /// The `Cookie` header for a request to `path`, if any cookie applies.
    fn cookie_header(&self, path: &str) -> Option<String> {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .filter(|c| path.starts_with(&c.path))
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
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
    fn keeps_replaces_and_removes_cookies_by_name_and_path() {
        let mut link = Link::default();
        link.set_cookie("backbone_session=abc; Path=/; HttpOnly; SameSite=Strict");
        link.set_cookie("known=k1; Path=/admin; HttpOnly");
        assert_eq!(
            link.cookie_header("/me").as_deref(),
            Some("backbone_session=abc")
        );
        assert_eq!(
            link.cookie_header("/admin/login").as_deref(),
            Some("backbone_session=abc; known=k1")
        );
        link.set_cookie("backbone_session=def; Path=/");
        assert_eq!(
            link.cookie_header("/me").as_deref(),
            Some("backbone_session=def")
        );
        link.set_cookie(
            "backbone_session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        );
        assert_eq!(link.cookie_header("/me"), None);
    }

    #[test]
    fn source_addresses_differ() {
        assert_ne!(source_address(0), source_address(1));
        assert_ne!(source_address(0), source_address(250));
    }
}
