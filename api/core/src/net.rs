//! Network addresses: sets of IP ranges, and the client's address behind trusted proxies.

use std::net::{IpAddr, SocketAddr};

use actix_web::HttpRequest;

/// A set of IP addresses and CIDR ranges, written comma-separated (`127.0.0.1, 10.20.0.0/16`):
/// who may read `/metrics`, which proxies are trusted.
#[derive(Debug, Clone, Default)]
pub struct IpRanges(Vec<(IpAddr, u8)>);

impl IpRanges {
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (ip, bits) = match item.split_once('/') {
                Some((ip, bits)) => (ip, Some(bits)),
                None => (item, None),
            };
            let ip: IpAddr = ip
                .parse()
                .map_err(|_| format!("{item}: not an IP address or CIDR range"))?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("{item}: the prefix length is not 0..={max}"))?,
                None => max,
            };
            out.push((ip, bits));
        }
        Ok(Self(out))
    }

    pub fn admits(&self, peer: IpAddr) -> bool {
        let peer = match peer {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4),
            v4 => v4,
        };
        self.0.iter().any(|(net, bits)| match (net, peer) {
            (IpAddr::V4(n), IpAddr::V4(p)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(*bits)).unwrap_or(0);
                u32::from(*n) & mask == u32::from(p) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(p)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(*bits)).unwrap_or(0);
                u128::from(*n) & mask == u128::from(p) & mask
            }
            _ => false,
        })
    }
}

/// The client's address. The TCP peer, unless the peer is a trusted proxy: then the proxies'
/// `Forwarded` (RFC 7239) or else `X-Forwarded-For` chain is read from the right, through
/// trusted proxies only, and the first address that is not one is the client. An address a
/// client wrote itself is never believed: only what a trusted proxy appended counts.
pub fn client_addr(req: &HttpRequest, trusted: &IpRanges) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let values = |name: &str| -> Vec<String> {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    };
    Some(client_behind(
        peer,
        &values("forwarded"),
        &values("x-forwarded-for"),
        trusted,
    ))
}

/// [`client_addr`] from the peer and the values of each header, in the order received.
pub fn client_behind(
    peer: IpAddr,
    forwarded: &[String],
    x_forwarded_for: &[String],
    trusted: &IpRanges,
) -> IpAddr {
    if !trusted.admits(peer) {
        return peer;
    }
    let chain: Vec<&str> = if forwarded.is_empty() {
        x_forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect()
    } else {
        forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                    .map_or("", |(_, v)| v.trim())
            })
            .collect()
    };
    let mut client = peer;
    for hop in chain.iter().rev() {
        // "unknown", an obfuscated name or garbage: the last trusted hop is as far as we see.
        let Some(addr) = parse_hop(hop) else { break };
        client = addr;
        if !trusted.admits(addr) {
            break;
        }
    }
    client
}

/// An address as proxies write it: `192.0.2.7`, `192.0.2.7:4711`, `"[2001:db8::1]:4711"`,
/// `2001:db8::1`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = hop.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    let inner = hop.strip_prefix('[')?.split(']').next()?;
    inner.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_admit_addresses_and_ranges() {
        let a = IpRanges::parse("127.0.0.1, ::1, 10.20.0.0/16").unwrap();
        assert!(a.admits("127.0.0.1".parse().unwrap()));
        assert!(a.admits("::1".parse().unwrap()));
        assert!(a.admits("10.20.7.9".parse().unwrap()));
        assert!(a.admits("::ffff:10.20.7.9".parse().unwrap()));
        assert!(!a.admits("10.21.0.1".parse().unwrap()));
        assert!(!a.admits("127.0.0.2".parse().unwrap()));
        assert!(
            !IpRanges::parse("")
                .unwrap()
                .admits("127.0.0.1".parse().unwrap())
        );
        assert!(IpRanges::parse("10.0.0.0/33").is_err());
        assert!(IpRanges::parse("localhost").is_err());
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_client_is_read_through_trusted_proxies_only() {
        let proxies = IpRanges::parse("10.0.0.0/8").unwrap();
        let none = IpRanges::default();
        let xff = strings(&["198.51.100.1, 203.0.113.5"]);
        // No trusted proxy: the peer, whatever the header says.
        assert_eq!(
            client_behind(ip("10.0.0.2"), &[], &xff, &none),
            ip("10.0.0.2")
        );
        // A peer that is not a proxy cannot name another client.
        assert_eq!(
            client_behind(ip("203.0.113.9"), &[], &xff, &proxies),
            ip("203.0.113.9")
        );
        // Through a trusted proxy: the rightmost address it did not add itself.
        assert_eq!(
            client_behind(ip("10.0.0.2"), &[], &xff, &proxies),
            ip("203.0.113.5")
        );
        // A chain of proxies, and several header lines.
        let chained = strings(&["198.51.100.1", "203.0.113.5, 10.1.1.1"]);
        assert_eq!(
            client_behind(ip("10.0.0.2"), &[], &chained, &proxies),
            ip("203.0.113.5")
        );
        // Forwarded wins over X-Forwarded-For; ports and brackets are read.
        let fwd = strings(&[r#"for=198.51.100.1;proto=https, for="[2001:db8::17]:4711""#]);
        assert_eq!(
            client_behind(ip("10.0.0.2"), &fwd, &xff, &proxies),
            ip("2001:db8::17")
        );
        let fwd4 = strings(&[r#"for="203.0.113.43:47011";by=10.0.0.2"#]);
        assert_eq!(
            client_behind(ip("10.0.0.2"), &fwd4, &[], &proxies),
            ip("203.0.113.43")
        );
        // Garbage or "unknown": the proxy is the client as far as we can tell.
        assert_eq!(
            client_behind(ip("10.0.0.2"), &[], &strings(&["unknown"]), &proxies),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_behind(ip("10.0.0.2"), &[], &[], &proxies),
            ip("10.0.0.2")
        );
    }
}
