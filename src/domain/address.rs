//! Identity addresses: `did:e:<domain>:dids:<22 lowercase hex chars>`.

use rand::RngExt;

use super::error::{DomainError, MessageArg, Reason, key};
use super::ids::{shorten, text_sql_via_str};

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(try_from = "String", into = "String")]
pub struct IdentityAddress(String);

const HEX_LEN: usize = 22;

impl IdentityAddress {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let invalid = |key: &'static str, why: &str| {
            let shown = shorten(value);
            DomainError::invalid(
                "identity address",
                Reason::said(
                    key,
                    vec![("value", MessageArg::Text(shown.clone()))],
                    format!(
                        "'{shown}' {why}; an address looks like did:e:<domain>:dids:<22 lowercase hex characters>"
                    ),
                ),
            )
        };
        let rest = value
            .strip_prefix("did:e:")
            .ok_or_else(|| invalid(key("reason-address-prefix"), "does not start with 'did:e:'"))?;
        let (domain, hex) = rest
            .split_once(":dids:")
            .ok_or_else(|| invalid(key("reason-address-dids"), "has no ':dids:' part"))?;
        if !is_valid_domain(domain) {
            return Err(invalid(
                key("reason-address-domain"),
                "has an invalid domain",
            ));
        }
        if hex.len() != HEX_LEN
            || !hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(invalid(
                key("reason-address-hex"),
                "does not end in 22 lowercase hex characters",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// An address taken from a URL path, which the web framework has already percent-decoded:
    /// a port (`localhost%3A8080`) arrives as `localhost:8080` and is encoded back.
    pub fn parse_from_path(value: &str) -> Result<Self, DomainError> {
        Self::parse(value).or_else(|error| {
            let rest = value.strip_prefix("did:e:").ok_or_else(|| error.clone())?;
            let (domain, hex) = rest.split_once(":dids:").ok_or_else(|| error.clone())?;
            match domain.split_once(':') {
                Some((host, port))
                    if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Self::parse(&format!("did:e:{host}%3A{port}:dids:{hex}")).map_err(|_| error)
                }
                _ => Err(error),
            }
        })
    }

    /// A new random address on the given domain.
    pub fn generate(domain: &str) -> Self {
        let mut bytes = [0u8; HEX_LEN / 2];
        rand::rng().fill(&mut bytes);
        Self::parse(&format!("did:e:{domain}:dids:{}", hex::encode(bytes)))
            .expect("generated addresses are valid for a valid domain")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lowercase host name labels, optionally with a percent-encoded port (`localhost%3A8080`),
/// matching the CHECK constraint on `identities.address`.
fn is_valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.to_ascii_lowercase().find("%3a") {
        Some(i) => (&domain[..i], Some(&domain[i + 3..])),
        None => (domain, None),
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-']);
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

impl std::fmt::Display for IdentityAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for IdentityAddress {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<IdentityAddress> for String {
    fn from(address: IdentityAddress) -> String {
        address.0
    }
}

text_sql_via_str!(IdentityAddress, |s: String| Ok::<_, DomainError>(
    IdentityAddress(s)
));

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_valid_addresses() {
        for ok in [
            "did:e:localhost:dids:0123456789abcdef012345",
            "did:e:backbone.example.com:dids:ffffffffffffffffffffff",
            "did:e:localhost%3A8080:dids:0123456789abcdef012345",
            "did:e:my-host1:dids:0000000000000000000000",
        ] {
            assert_eq!(IdentityAddress::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn rejects_malformed_addresses_saying_why() {
        for (bad, why) in [
            ("", "did:e:"),
            ("did:x:localhost:dids:0123456789abcdef012345", "did:e:"),
            ("did:e:localhost:0123456789abcdef012345", ":dids:"),
            ("did:e::dids:0123456789abcdef012345", "domain"),
            ("did:e:Local_Host:dids:0123456789abcdef012345", "domain"),
            ("did:e:-host:dids:0123456789abcdef012345", "domain"),
            ("did:e:host%3A:dids:0123456789abcdef012345", "domain"),
            ("did:e:localhost:dids:0123456789ABCDEF012345", "hex"),
            ("did:e:localhost:dids:0123456789abcdef01234", "hex"),
            ("did:e:localhost:dids:0123456789abcdef0123456", "hex"),
            ("did:e:localhost:dids:0123456789abcdef01234g", "hex"),
        ] {
            let error = IdentityAddress::parse(bad).unwrap_err();
            assert_eq!(error.http_status(), 400);
            assert!(error.message().contains(why), "{bad}: {}", error.message());
        }
    }

    #[test]
    fn a_decoded_port_in_a_url_path_is_encoded_back() {
        let address =
            IdentityAddress::parse_from_path("did:e:localhost:8080:dids:0123456789abcdef012345")
                .unwrap();
        assert_eq!(
            address.as_str(),
            "did:e:localhost%3A8080:dids:0123456789abcdef012345"
        );
        let plain = "did:e:localhost:dids:0123456789abcdef012345";
        assert_eq!(
            IdentityAddress::parse_from_path(plain).unwrap().as_str(),
            plain
        );
        for bad in [
            "did:e:localhost:80a:dids:0123456789abcdef012345",
            "did:e:localhost:dids:xyz",
        ] {
            assert_eq!(
                IdentityAddress::parse_from_path(bad)
                    .unwrap_err()
                    .http_status(),
                400
            );
        }
    }

    #[test]
    fn generated_addresses_parse() {
        let address = IdentityAddress::generate("localhost");
        assert!(address.as_str().starts_with("did:e:localhost:dids:"));
        assert_eq!(address.as_str().len(), "did:e:localhost:dids:".len() + 22);
    }

    proptest! {
        #[test]
        fn never_panics_and_round_trips(s in "\\PC{0,80}") {
            if let Ok(address) = IdentityAddress::parse(&s) {
                prop_assert_eq!(address.as_str(), s.as_str());
            }
        }

        #[test]
        fn accepts_generated_shapes(domain in "[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?", hex in "[0-9a-f]{22}") {
            let text = format!("did:e:{domain}:dids:{hex}");
            prop_assert!(IdentityAddress::parse(&text).is_ok());
        }
    }
}
