//! Reputation feeds and the database `wikiguard-db build` makes of them.
//!
//! Three input formats, each line tagged with the feed's label in
//! `sources`:
//!
//! | format | lines | record |
//! |---|---|---|
//! | `list` | an IP or CIDR, then anything; `#` and `;` start comments (Tor bulk exit lists, Spamhaus DROP) | `sources`; a feed labelled `tor` also gets `behaviors: ["TOR"]` |
//! | `sfs` | StopForumSpam `listed_ip_*`: `"ip","score","date"` (or just `ip`), kept when score ≥ the threshold | `sources` |
//! | `jsonl` | one JSON object per line, ipoid (`ip`, `org`, `client_count`, `types`, `conc_city`, …) or Spur (`as.organization`, `client.*`, `location.*`, `tunnels[].operator`) | all of IPReputation's fields |
//!
//! Every record carries IPReputation's response fields: the lists
//! `risks`, `behaviors`, `connectionTypes`, `tunnelOperators`, `proxies`
//! and `sources` (always present, maybe empty), and `numUsersOnThisIP`,
//! `organization`, `city`, `country` when a feed gave them. Where
//! networks overlap, the more specific one holds the union of the lists
//! and its own scalars (the wider network's where it has none).

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

use super::mmdb_writer::{Data, WriteError, Writer};

/// IPReputation's view of one network.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Record {
    /// `risks` (ipoid: CALLBACK_PROXY, GEO_MISMATCH, TUNNEL, …).
    pub risks: BTreeSet<String>,
    /// `behaviors` (client behaviours, e.g. TOR).
    pub behaviors: BTreeSet<String>,
    /// `connectionTypes` (ipoid `types`).
    pub connection_types: BTreeSet<String>,
    /// `tunnelOperators`.
    pub tunnel_operators: BTreeSet<String>,
    /// `proxies`.
    pub proxies: BTreeSet<String>,
    /// `numUsersOnThisIP`.
    pub num_users: Option<u64>,
    /// `organization`.
    pub organization: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `country`.
    pub country: Option<String>,
    /// The labels of the feeds that listed the network.
    pub sources: BTreeSet<String>,
}

impl Record {
    /// `wide` with `narrow` on top: lists joined, `narrow`'s scalars first.
    pub fn merged(wide: &Record, narrow: &Record) -> Record {
        let join = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.union(b).cloned().collect();
        Record {
            risks: join(&wide.risks, &narrow.risks),
            behaviors: join(&wide.behaviors, &narrow.behaviors),
            connection_types: join(&wide.connection_types, &narrow.connection_types),
            tunnel_operators: join(&wide.tunnel_operators, &narrow.tunnel_operators),
            proxies: join(&wide.proxies, &narrow.proxies),
            num_users: narrow.num_users.or(wide.num_users),
            organization: narrow
                .organization
                .clone()
                .or_else(|| wide.organization.clone()),
            city: narrow.city.clone().or_else(|| wide.city.clone()),
            country: narrow.country.clone().or_else(|| wide.country.clone()),
            sources: join(&wide.sources, &narrow.sources),
        }
    }

    /// The MMDB map, keys in byte order.
    pub fn to_data(&self) -> Data {
        let list = |set: &BTreeSet<String>| {
            Data::Array(set.iter().map(|s| Data::Str(s.clone())).collect())
        };
        let mut map = vec![("behaviors".to_string(), list(&self.behaviors))];
        if let Some(city) = &self.city {
            map.push(("city".into(), Data::Str(city.clone())));
        }
        map.push(("connectionTypes".into(), list(&self.connection_types)));
        if let Some(country) = &self.country {
            map.push(("country".into(), Data::Str(country.clone())));
        }
        if let Some(n) = self.num_users {
            map.push(("numUsersOnThisIP".into(), Data::U64(n)));
        }
        if let Some(org) = &self.organization {
            map.push(("organization".into(), Data::Str(org.clone())));
        }
        map.push(("proxies".into(), list(&self.proxies)));
        map.push(("risks".into(), list(&self.risks)));
        map.push(("sources".into(), list(&self.sources)));
        map.push(("tunnelOperators".into(), list(&self.tunnel_operators)));
        Data::Map(map)
    }
}

/// The format of one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// Plain IP/CIDR list.
    List,
    /// StopForumSpam `listed_ip_*` CSV.
    StopForumSpam,
    /// ipoid/Spur JSON lines.
    JsonLines,
}

/// A network in IPv6 bit numbering (IPv4 at `::/96`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Network {
    /// Prefix length, 1–128 (IPv4 networks are 96 + their length).
    pub prefix_len: u8,
    /// First address.
    pub address: u128,
}

/// Parses `1.2.3.4`, `1.2.3.0/24`, `2001:db8::/32` (strictly: no zero
/// padding, no zone); host bits are cleared.
pub fn parse_network(text: &str) -> Result<Network, String> {
    let (addr, len) = match text.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (text, None),
    };
    let ip: IpAddr = addr
        .parse()
        .map_err(|_| format!("`{text}` is not an IP address or CIDR"))?;
    let (value, max, offset) = match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32u8, 96u8),
        IpAddr::V6(v6) => (u128::from(v6), 128u8, 0u8),
    };
    let len = match len {
        None => max,
        Some(l) => l
            .parse::<u8>()
            .ok()
            .filter(|&l| l <= max)
            .ok_or_else(|| format!("`{text}` has a bad prefix length"))?,
    };
    let prefix_len = offset + len;
    if prefix_len == 0 {
        return Err(format!(
            "`{text}`: a /0 network is refused (it would list every address)"
        ));
    }
    let host_bits = 128 - u32::from(prefix_len);
    let mask = if host_bits == 128 {
        0
    } else {
        u128::MAX << host_bits
    };
    Ok(Network {
        prefix_len,
        address: value & mask,
    })
}

/// One line of a feed: the network and what it says about it, `None` for
/// blank, comment and below-threshold lines.
pub fn parse_line(
    format: &Format,
    label: &str,
    line: &str,
    sfs_threshold: f64,
) -> Result<Option<(Network, Record)>, String> {
    let mut record = Record {
        sources: BTreeSet::from([label.to_string()]),
        ..Record::default()
    };
    match format {
        Format::List => {
            let content = line.split(['#', ';']).next().unwrap_or("").trim();
            let Some(token) = content.split_whitespace().next() else {
                return Ok(None);
            };
            if label.eq_ignore_ascii_case("tor") {
                record.behaviors.insert("TOR".into());
            }
            Ok(Some((parse_network(token)?, record)))
        }
        Format::StopForumSpam => {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return Ok(None);
            }
            let fields: Vec<&str> = line
                .split(',')
                .map(|f| f.trim().trim_matches('"'))
                .collect();
            if let Some(score) = fields.get(1) {
                let score: f64 = score
                    .parse()
                    .map_err(|_| format!("score `{score}` is not a number"))?;
                if score < sfs_threshold {
                    return Ok(None);
                }
            }
            Ok(Some((parse_network(fields[0])?, record)))
        }
        Format::JsonLines => {
            let line = line.trim();
            if line.is_empty() {
                return Ok(None);
            }
            let json: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
            let network = ["ip", "network"]
                .iter()
                .find_map(|k| json.get(k).and_then(serde_json::Value::as_str))
                .ok_or("no `ip` or `network` string")?;
            let network = parse_network(network)?;
            fill_from_json(&mut record, &json);
            Ok(Some((network, record)))
        }
    }
}

/// The first of `paths` (dotted) that is present.
fn find<'a>(json: &'a serde_json::Value, paths: &[&str]) -> Option<&'a serde_json::Value> {
    paths.iter().find_map(|path| {
        path.split('.')
            .try_fold(json, |v, key| v.get(key))
            .filter(|v| !v.is_null())
    })
}

/// Strings from a JSON array or a comma-separated string (a MySQL SET).
fn strings(value: Option<&serde_json::Value>) -> BTreeSet<String> {
    match value {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .or_else(|| i.get("operator")?.as_str().map(str::to_string))
            })
            .collect(),
        Some(serde_json::Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    }
}

fn fill_from_json(record: &mut Record, json: &serde_json::Value) {
    let text = |paths: &[&str]| {
        find(json, paths)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    record.risks = strings(find(json, &["risks"]));
    record.behaviors = strings(find(json, &["client.behaviors", "behaviors"]));
    record.connection_types = strings(find(json, &["client.types", "types"]));
    record.proxies = strings(find(json, &["client.proxies", "proxies"]));
    record.tunnel_operators = match find(json, &["tunnels"]) {
        Some(serde_json::Value::Array(tunnels)) => tunnels
            .iter()
            .filter_map(|t| {
                t.get("operator")
                    .and_then(|o| o.as_str())
                    .map(str::to_string)
            })
            .collect(),
        _ => BTreeSet::new(),
    };
    record.num_users = find(json, &["client.count", "client_count"]).and_then(|v| v.as_u64());
    record.organization = text(&["as.organization", "org"]);
    record.city = text(&["location.city", "conc_city"]);
    record.country = text(&["location.country", "conc_country", "location_country"]);
}

/// Collects networks and their records, then lays them into a [`Writer`].
#[derive(Debug, Default)]
pub struct Builder {
    entries: Vec<(Network, u32)>,
    records: Vec<Record>,
    ids: HashMap<Record, u32>,
}

impl Builder {
    /// An empty builder.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Adds one network.
    pub fn add(&mut self, network: Network, record: Record) {
        let id = match self.ids.get(&record) {
            Some(&id) => id,
            None => {
                let id = self.records.len() as u32;
                self.ids.insert(record.clone(), id);
                self.records.push(record);
                id
            }
        };
        self.entries.push((network, id));
    }

    /// Networks added so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Builds the search tree: wider networks first, so that a more
    /// specific one lands on top and merges with it. `progress` is called
    /// with the number of networks inserted, now and then.
    pub fn into_writer(
        mut self,
        description: &str,
        build_epoch: u64,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<Writer, WriteError> {
        self.entries.sort_unstable();
        self.entries.dedup();
        let mut writer = Writer::new("WikiGuard-IP-Reputation", description, build_epoch);
        // Writer ids of records, and records by writer id, for merging.
        let mut writer_ids: HashMap<u32, u32> = HashMap::new();
        let mut by_writer_id: HashMap<u32, Record> = HashMap::new();
        let mut merged: HashMap<(u32, u32), u32> = HashMap::new();
        let total = self.entries.len();
        for (n, (network, record_id)) in self.entries.iter().enumerate() {
            if n % (1 << 20) == 0 {
                progress(n, total);
            }
            let id = match writer_ids.get(record_id) {
                Some(&id) => id,
                None => {
                    let record = &self.records[*record_id as usize];
                    let id = writer.intern(&record.to_data())?;
                    writer_ids.insert(*record_id, id);
                    by_writer_id.insert(id, record.clone());
                    id
                }
            };
            writer.insert(
                network.address,
                network.prefix_len,
                id,
                |writer, wide, narrow| {
                    if wide == narrow {
                        return Ok(wide);
                    }
                    if let Some(&m) = merged.get(&(wide, narrow)) {
                        return Ok(m);
                    }
                    let empty = Record::default();
                    let record = Record::merged(
                        by_writer_id.get(&wide).unwrap_or(&empty),
                        by_writer_id.get(&narrow).unwrap_or(&empty),
                    );
                    let m = writer.intern(&record.to_data())?;
                    by_writer_id.entry(m).or_insert(record);
                    merged.insert((wide, narrow), m);
                    Ok(m)
                },
            )?;
        }
        progress(total, total);
        writer.alias_ipv4_mapped()?;
        Ok(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_parse_strictly() {
        assert_eq!(
            parse_network("1.2.3.4").unwrap(),
            Network {
                prefix_len: 128,
                address: 0x0102_0304
            }
        );
        assert_eq!(parse_network("1.2.3.4/24").unwrap().address, 0x0102_0300);
        assert_eq!(parse_network("2001:db8::1/32").unwrap().prefix_len, 32);
        for bad in [
            "01.2.3.4",
            "1.2.3.4/33",
            "1.2.3.4/",
            "::/0",
            "fe80::1%eth0",
            "x",
            "1.2.3.4/x",
        ] {
            assert!(parse_network(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn feed_lines() {
        let list = |l: &str| parse_line(&Format::List, "drop", l, 5.0);
        assert_eq!(list("; Spamhaus DROP List").unwrap(), None);
        assert_eq!(
            list("1.10.16.0/20 ; SBL256894").unwrap().unwrap().0,
            parse_network("1.10.16.0/20").unwrap()
        );
        assert!(list("999.1.1.1").is_err());
        let tor = parse_line(&Format::List, "tor", "185.220.101.1", 5.0)
            .unwrap()
            .unwrap()
            .1;
        assert!(tor.behaviors.contains("TOR"));
        let sfs = |l: &str| parse_line(&Format::StopForumSpam, "sfs", l, 5.0);
        assert_eq!(sfs(r#""1.2.3.4","4","2024-01-01 00:00:00""#).unwrap(), None);
        assert!(sfs(r#""1.2.3.4","5","2024-01-01 00:00:00""#)
            .unwrap()
            .is_some());
        assert!(sfs(r#""1.2.3.4","many","x""#).is_err());
        let json = r#"{"ip":"198.51.100.7","client":{"behaviors":["TOR"],"count":3,"types":["DESKTOP"],"proxies":["X"]},"as":{"organization":"Org"},"location":{"city":"Paris","country":"FR"},"risks":["TUNNEL"],"tunnels":[{"operator":"ACME_VPN"}]}"#;
        let (_, r) = parse_line(&Format::JsonLines, "spur", json, 5.0)
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.num_users, r.city.as_deref(), r.country.as_deref()),
            (Some(3), Some("Paris"), Some("FR"))
        );
        assert!(r.tunnel_operators.contains("ACME_VPN") && r.risks.contains("TUNNEL"));
        let ipoid = r#"{"ip":"2001:db8::1","org":"O","client_count":9,"types":"DESKTOP,MOBILE","risks":"TUNNEL,GEO_MISMATCH","conc_city":"Lyon","conc_country":"FR"}"#;
        let (_, r) = parse_line(&Format::JsonLines, "ipoid", ipoid, 5.0)
            .unwrap()
            .unwrap();
        assert_eq!(r.connection_types.len(), 2);
        assert_eq!(r.organization.as_deref(), Some("O"));
    }

    #[test]
    fn overlapping_feeds_merge_in_the_more_specific_network() {
        let mut b = Builder::new();
        let (n1, r1) = parse_line(&Format::List, "drop", "10.0.0.0/8", 5.0)
            .unwrap()
            .unwrap();
        let (n2, r2) = parse_line(&Format::List, "tor", "10.1.2.3", 5.0)
            .unwrap()
            .unwrap();
        b.add(n2, r2);
        b.add(n1, r1);
        let w = b.into_writer("t", 1, |_, _| {}).unwrap();
        let mut out = Vec::new();
        w.write_to(&mut out).unwrap();
        let db = crate::ip::mmdb::Database::from_bytes(out).unwrap();
        let (v, len) = db.lookup("10.1.2.3".parse().unwrap()).unwrap().unwrap();
        assert_eq!(len, 32);
        let sources = |v: &crate::ip::mmdb::Value<'_>| match v.get("sources") {
            Some(crate::ip::mmdb::Value::Array(items)) => items
                .iter()
                .map(|i| match i {
                    crate::ip::mmdb::Value::Str(s) => String::from_utf8_lossy(s).into_owned(),
                    _ => String::new(),
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        assert_eq!(sources(&v), ["drop", "tor"]);
        let (v, _) = db.lookup("10.9.9.9".parse().unwrap()).unwrap().unwrap();
        assert_eq!(sources(&v), ["drop"]);
    }
}
