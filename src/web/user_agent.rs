//! A stored user agent in a few words: "Firefox 133 on Linux" ("Firefox 133 unter Linux").
//!
//! Written here rather than taken from a crate: the parsers that know every device
//! (`uaparser`, `user-agent-parser`) load uap-core's regex file, which would have to be
//! shipped and kept current, and `woothee` has not been released since 2021. The security
//! pages only need the handful of browsers and systems staff and scripts use; anything else
//! shows its first product token ("python-requests 2") or "unknown browser", and the full
//! string stays one hover or click away.

use super::i18n::{Arg, Lang, key};

/// Browsers by the token that names them, the more specific first: Edge and Opera also
/// say "Chrome/", Chrome also says "Safari/".
const BROWSERS: &[(&str, &str)] = &[
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("HeadlessChrome/", "Headless Chrome"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
];

/// Systems by a token of the parenthesised comment, the more specific first: iPhones say
/// "like Mac OS X", Android says "Linux".
const SYSTEMS: &[(&str, &str)] = &[
    ("Windows", "Windows"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
    ("X11", "Linux"),
];

/// The longest product name taken from an unknown client's first token.
const PRODUCT_CHARS: usize = 30;

/// What a user agent says about the browser and the system it runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAgentSummary {
    /// The browser or tool with its major version ("Firefox 133", "curl 8").
    pub browser: Option<String>,
    pub system: Option<&'static str>,
}

impl UserAgentSummary {
    /// Reads a user agent; `None` for an empty one.
    pub fn of(user_agent: &str) -> Option<Self> {
        let user_agent = user_agent.trim();
        (!user_agent.is_empty()).then(|| Self {
            browser: browser(user_agent),
            system: system(user_agent),
        })
    }

    /// In words, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let browser = || match &self.browser {
            Some(name) => Arg::from(name.as_str()),
            None => Arg::Key(key("events-ua-unknown-browser")),
        };
        match (self.system, &self.browser) {
            (Some(system), _) => lang.t_args(
                "events-ua-on",
                &[("browser", browser()), ("system", Arg::from(system))],
            ),
            (None, Some(name)) => name.clone(),
            (None, None) => lang.t("events-ua-unknown-browser"),
        }
    }
}

/// A stored user agent as the pages show it: the summary, and the full string for the
/// tooltip and the disclosure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAgentView {
    pub summary: String,
    pub full: String,
}

impl UserAgentView {
    /// `None` for a missing or empty user agent (the cell stays empty).
    pub fn of(user_agent: Option<&str>, lang: Lang) -> Option<Self> {
        let full = user_agent?.trim();
        UserAgentSummary::of(full).map(|summary| Self {
            summary: summary.text(lang),
            full: full.to_owned(),
        })
    }
}

fn browser(user_agent: &str) -> Option<String> {
    let known = BROWSERS.iter().find_map(|(token, name)| {
        let at = user_agent.find(token)? + token.len();
        Some(named(name, &user_agent[at..]))
    });
    known
        .or_else(|| safari(user_agent))
        .or_else(|| product(user_agent))
}

/// Safari says "Version/18.1 … Safari/605.1.15": its own version is the first.
fn safari(user_agent: &str) -> Option<String> {
    if !user_agent.contains("Safari/") {
        return None;
    }
    let version = user_agent
        .find("Version/")
        .map_or("", |at| &user_agent[at + "Version/".len()..]);
    Some(named("Safari", version))
}

/// An unknown client's first product token ("curl/8.5.0", "python-requests/2.31"), unless
/// it is the "Mozilla/5.0" every browser starts with.
fn product(user_agent: &str) -> Option<String> {
    let token = user_agent.split_whitespace().next()?;
    let (name, version) = token.split_once('/').unwrap_or((token, ""));
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (plain && !name.is_empty() && name.len() <= PRODUCT_CHARS && name != "Mozilla")
        .then(|| named(name, version))
}

/// "Name 133" from a name and the text after its slash ("133.0 (X11)…"); the name alone
/// when no version follows. A no-break space keeps the version with its name in a narrow
/// table cell.
fn named(name: &str, after_slash: &str) -> String {
    let major: String = after_slash
        .chars()
        .take_while(char::is_ascii_digit)
        .take(6)
        .collect();
    if major.is_empty() {
        name.to_owned()
    } else {
        format!("{name}\u{a0}{major}")
    }
}

fn system(user_agent: &str) -> Option<&'static str> {
    SYSTEMS
        .iter()
        .find(|(token, _)| user_agent.contains(token))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary, with its no-break spaces as plain ones.
    fn said(user_agent: &str, lang: Lang) -> String {
        UserAgentSummary::of(user_agent)
            .map(|s| s.text(lang).replace('\u{a0}', " "))
            .unwrap_or_default()
    }

    #[test]
    fn firefox_on_linux() {
        let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(said(ua, Lang::En), "Firefox 133 on Linux");
        assert_eq!(said(ua, Lang::De), "Firefox 133 unter Linux");
    }

    #[test]
    fn chrome_on_windows() {
        let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(said(ua, Lang::En), "Chrome 131 on Windows");
    }

    #[test]
    fn safari_on_an_iphone() {
        let ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        assert_eq!(said(ua, Lang::En), "Safari 18 on iOS");
        let mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15";
        assert_eq!(said(mac, Lang::En), "Safari 17 on macOS");
    }

    #[test]
    fn edge_is_not_taken_for_chrome() {
        let ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86";
        assert_eq!(said(ua, Lang::En), "Edge 131 on Windows");
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        assert_eq!(said(android, Lang::En), "Chrome 131 on Android");
    }

    #[test]
    fn command_line_tools_by_their_product_token() {
        assert_eq!(said("curl/8.5.0", Lang::En), "curl 8");
        assert_eq!(said("curl/8.5.0", Lang::De), "curl 8");
        assert_eq!(
            said("python-requests/2.31.0", Lang::En),
            "python-requests 2"
        );
    }

    #[test]
    fn empty_and_unknown_strings() {
        assert_eq!(UserAgentSummary::of(""), None);
        assert_eq!(UserAgentSummary::of("   "), None);
        assert_eq!(UserAgentView::of(None, Lang::En), None);
        assert_eq!(
            said("Mozilla/5.0 (compatible)", Lang::En),
            "unknown browser"
        );
        assert_eq!(
            said("Mozilla/5.0 (compatible)", Lang::De),
            "unbekannter Browser"
        );
        assert_eq!(
            said("Mozilla/5.0 (X11; Linux)", Lang::En),
            "unknown browser on Linux"
        );
        assert_eq!(said("???", Lang::En), "unknown browser");
    }

    #[test]
    fn the_view_keeps_the_full_string() {
        let view = UserAgentView::of(Some(" curl/8.5.0 "), Lang::En).unwrap();
        assert_eq!(view.summary, "curl\u{a0}8");
        assert_eq!(view.full, "curl/8.5.0");
    }
}
