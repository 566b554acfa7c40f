//! The client network a sign-in attempt is counted against.
//!
//! It is the peer address (IPv4 as a /32, IPv6 as its /64, since one household or host
//! usually holds a whole /64). When the peer is one of `TRUSTED_PROXIES`, the client is the
//! right-most `X-Forwarded-For` entry that is not itself a trusted proxy: entries to the
//! left of it were written by the client and prove nothing. Forwarded headers from any
//! other peer are ignored.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use ipnet::IpNet;

/// The CIDRs of the reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    /// A comma- or space-separated list of CIDRs (a bare address is a /32 or /128).
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split([',', ' '])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(parse_cidr)
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|net| net.contains(&address))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One CIDR such as `10.0.0.0/8` or `fd00::/8`, or a single address.
pub fn parse_cidr(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    IpNet::from_str(text)
        .or_else(|_| IpAddr::from_str(text).map(IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| format!("'{text}' is not an IP network such as 10.0.0.0/8 or fd00::/8"))
}

/// A client network: what the throttling counts and the security events record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientNetwork {
    V4(Ipv4Addr),
    /// The first 64 bits of the address.
    V6(u64),
}

impl ClientNetwork {
    pub fn of(address: IpAddr) -> Self {
        match address.to_canonical() {
            IpAddr::V4(v4) => Self::V4(v4),
            IpAddr::V6(v6) => Self::V6((u128::from(v6) >> 64) as u64),
        }
    }

    /// The client network of a request from `peer` that carried these `X-Forwarded-For`
    /// header values (in order of appearance).
    pub fn of_request(peer: IpAddr, forwarded_for: &[&str], trusted: &TrustedProxies) -> Self {
        if !trusted.contains(peer) {
            return Self::of(peer);
        }
        let mut client = peer;
        let entries = forwarded_for.iter().flat_map(|value| value.split(','));
        for entry in entries.collect::<Vec<_>>().into_iter().rev() {
            match parse_forwarded_address(entry) {
                Some(address) if trusted.contains(address) => client = address,
                Some(address) => return Self::of(address),
                // Garbage behind our own proxies: count it against the last proxy seen.
                None => break,
            }
        }
        Self::of(client)
    }

    /// Stored and shown as CIDR: `203.0.113.7/32`, `2001:db8:1:2::/64`.
    pub fn as_cidr(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ClientNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::V4(v4) => write!(f, "{v4}/32"),
            Self::V6(prefix) => write!(f, "{}/64", Ipv6Addr::from(u128::from(*prefix) << 64)),
        }
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:80`,
/// `[2001:db8::1]:80`).
fn parse_forwarded_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(address) = IpAddr::from_str(entry) {
        return Some(address);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split_once(']').and_then(|(v6, _)| v6.parse().ok());
    }
    entry
        .rsplit_once(':')
        .and_then(|(v4, port)| port.parse::<u16>().ok().and(v4.parse::<Ipv4Addr>().ok()))
        .map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::parse("10.0.0.0/8, fd00::/8").unwrap()
    }

    #[test]
    fn forwarded_headers_are_ignored_without_trusted_proxies() {
        let none = TrustedProxies::default();
        let network = ClientNetwork::of_request(ip("198.51.100.9"), &["203.0.113.1"], &none);
        assert_eq!(network.as_cidr(), "198.51.100.9/32");
        // A peer that is not a trusted proxy cannot pick its network either.
        let network = ClientNetwork::of_request(ip("198.51.100.9"), &["203.0.113.1"], &proxies());
        assert_eq!(network.as_cidr(), "198.51.100.9/32");
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_entry_counts() {
        let forged_then_real = ["6.6.6.6, 203.0.113.7"];
        let network = ClientNetwork::of_request(ip("10.1.2.3"), &forged_then_real, &proxies());
        assert_eq!(network.as_cidr(), "203.0.113.7/32");
        // Through two proxies of ours, in two header lines.
        let two = ["6.6.6.6", "203.0.113.8, 10.9.9.9"];
        let network = ClientNetwork::of_request(ip("10.1.2.3"), &two, &proxies());
        assert_eq!(network.as_cidr(), "203.0.113.8/32");
        // With ports and brackets.
        let ported = ["[2001:db8:aa:bb::5]:443, 10.0.0.1:8080"];
        let network = ClientNetwork::of_request(ip("10.1.2.3"), &ported, &proxies());
        assert_eq!(network.as_cidr(), "2001:db8:aa:bb::/64");
    }

    #[test]
    fn without_a_usable_entry_the_last_proxy_counts() {
        let network = ClientNetwork::of_request(ip("10.1.2.3"), &[], &proxies());
        assert_eq!(network.as_cidr(), "10.1.2.3/32");
        let network = ClientNetwork::of_request(ip("10.1.2.3"), &["junk, 10.4.4.4"], &proxies());
        assert_eq!(network.as_cidr(), "10.4.4.4/32");
    }

    #[test]
    fn ipv6_clients_of_one_64_are_one_network() {
        let a = ClientNetwork::of(ip("2001:db8:1:2:aaaa::1"));
        let b = ClientNetwork::of(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        let c = ClientNetwork::of(ip("2001:db8:1:3::1"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.as_cidr(), "2001:db8:1:2::/64");
        // IPv4-mapped IPv6 is the IPv4 address.
        assert_eq!(
            ClientNetwork::of(ip("::ffff:192.0.2.1")).as_cidr(),
            "192.0.2.1/32"
        );
    }

    #[test]
    fn trusted_proxies_parse() {
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        let parsed = TrustedProxies::parse("127.0.0.1 ::1,192.168.0.0/16").unwrap();
        assert!(parsed.contains(ip("127.0.0.1")));
        assert!(parsed.contains(ip("::ffff:127.0.0.1")));
        assert!(parsed.contains(ip("192.168.44.1")));
        assert!(!parsed.contains(ip("127.0.0.2")));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
    }
}
