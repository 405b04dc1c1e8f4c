//! `wikiguard-db`: builds, inspects and checks the MMDB reputation
//! databases that `WikiGuard\IPReputation` reads.
//!
//! ```text
//! wikiguard-db build -o OUT.mmdb [--strict] [--sfs-threshold N] [--description TEXT] INPUT...
//! wikiguard-db lookup DB IP...
//! wikiguard-db info DB
//! wikiguard-db verify DB
//! ```
//!
//! An INPUT is `[FORMAT[=LABEL]:]PATH`, FORMAT one of `list`, `tor`,
//! `sfs`, `jsonl`. Without a format, `*.json`/`*.jsonl` are JSON lines,
//! names containing `listed_ip` are StopForumSpam CSV, anything else is a
//! plain list; the label defaults to the file name without extension.

//!
//! Build it without the PHP binding, so that it does not link ext-php-rs
//! (`make cli`, or `cargo build --release --no-default-features --bin
//! wikiguard-db`). A default build of the crate produces only a stub that
//! says so.

#![allow(clippy::print_stdout)] // a command-line tool prints its results

#[cfg(feature = "php")]
fn main() -> std::process::ExitCode {
    eprintln!(
        "wikiguard-db was built with the PHP binding; rebuild it with `make cli` \
         (cargo build --release --no-default-features --bin wikiguard-db)"
    );
    std::process::ExitCode::from(2)
}

#[cfg(not(feature = "php"))]
fn main() -> std::process::ExitCode {
    cli::run()
}

#[cfg(not(feature = "php"))]
mod cli {
    use std::fs::File;
    use std::io::{BufRead, BufReader, BufWriter, Write};
    use std::net::IpAddr;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;
    use std::time::{Instant, SystemTime, UNIX_EPOCH};

    use wikiguard::ip::feeds::{parse_line, Builder, Format};
    use wikiguard::ip::mmdb::{Database, Value};

    const USAGE: &str = "usage:
  wikiguard-db build -o OUT.mmdb [--strict] [--sfs-threshold N] [--description TEXT] INPUT...
  wikiguard-db lookup DB IP...
  wikiguard-db info DB
  wikiguard-db verify DB
INPUT is [FORMAT[=LABEL]:]PATH with FORMAT list, tor, sfs or jsonl.";

    pub fn run() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let result = match args.first().map(String::as_str) {
            Some("build") => build(&args[1..]),
            Some("lookup") => lookup(&args[1..]),
            Some("info") => info(&args[1..]),
            Some("verify") => verify(&args[1..]),
            _ => Err(USAGE.to_string()),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("wikiguard-db: {message}");
                ExitCode::FAILURE
            }
        }
    }

    /// One input file and how to read it.
    struct Input {
        format: Format,
        label: String,
        path: PathBuf,
    }

    fn parse_input(spec: &str) -> Result<Input, String> {
        let (format_part, path) = match spec.split_once(':') {
            Some((f, p))
                if matches!(f.split('=').next(), Some("list" | "tor" | "sfs" | "jsonl")) =>
            {
                (Some(f), p)
            }
            _ => (None, spec),
        };
        let path = PathBuf::from(path);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "list".into());
        let name = path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (format, label) = match format_part {
            Some(f) => {
                let (kind, label) = match f.split_once('=') {
                    Some((k, l)) => (k, Some(l.to_string())),
                    None => (f, None),
                };
                let format = match kind {
                    "jsonl" => Format::JsonLines,
                    "sfs" => Format::StopForumSpam,
                    _ => Format::List,
                };
                let default_label = match kind {
                    "tor" => "tor".to_string(),
                    "sfs" => "stopforumspam".to_string(),
                    _ => stem,
                };
                (format, label.unwrap_or(default_label))
            }
            None if name.ends_with(".json") || name.ends_with(".jsonl") => {
                (Format::JsonLines, stem)
            }
            None if name.contains("listed_ip") => (Format::StopForumSpam, "stopforumspam".into()),
            None => (Format::List, stem),
        };
        Ok(Input {
            format,
            label,
            path,
        })
    }

    fn build(args: &[String]) -> Result<(), String> {
        let mut out: Option<PathBuf> = None;
        let mut strict = false;
        let mut threshold = 5.0;
        let mut description = "WikiGuard IP reputation".to_string();
        let mut inputs = Vec::new();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "-o" | "--output" => out = Some(it.next().ok_or("-o needs a path")?.into()),
                "--strict" => strict = true,
                "--sfs-threshold" => {
                    threshold = it
                        .next()
                        .and_then(|t| t.parse().ok())
                        .ok_or("--sfs-threshold needs a number")?
                }
                "--description" => {
                    description = it.next().ok_or("--description needs a text")?.clone()
                }
                _ => inputs.push(parse_input(arg)?),
            }
        }
        let out = out.ok_or_else(|| format!("no output file (-o)\n{USAGE}"))?;
        if inputs.is_empty() {
            return Err(format!("no input files\n{USAGE}"));
        }
        let started = Instant::now();
        let mut builder = Builder::new();
        let mut malformed = 0usize;
        for input in &inputs {
            read_input(input, threshold, strict, &mut builder, &mut malformed)?;
        }
        let networks = builder.len();
        let epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let show_progress = networks >= 1 << 20;
        let writer = builder
            .into_writer(&description, epoch, |done, total| {
                if show_progress {
                    eprint!("\rbuilding search tree: {done}/{total} networks");
                    if done == total {
                        eprintln!();
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        let tmp = temp_path(&out);
        let result = (|| -> Result<(), String> {
            let file = File::create(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
            // Large writes: the page cache then keeps the file in 2 MiB
            // folios, which readers map with 2 MiB pages (one TLB entry
            // each; with 1 MiB writes, 4 KiB pages and a TLB miss on
            // nearly every lookup of a big tree).
            let mut w = BufWriter::with_capacity(32 << 20, file);
            writer.write_to(&mut w).map_err(|e| e.to_string())?;
            let file = w
                .into_inner()
                .map_err(|e| format!("{}: {e}", tmp.display()))?;
            file.sync_all()
                .map_err(|e| format!("{}: {e}", tmp.display()))?;
            // Check what was written before it replaces anything.
            Database::open(&tmp)
                .map_err(|e| format!("the database just written does not read back: {e}"))?;
            std::fs::rename(&tmp, &out)
                .map_err(|e| format!("{} -> {}: {e}", tmp.display(), out.display()))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result?;
        eprintln!(
        "wrote {}: {networks} networks from {} inputs, {} tree nodes, {malformed} malformed lines skipped, {:.1} s",
        out.display(),
        inputs.len(),
        writer.node_count(),
        started.elapsed().as_secs_f64()
    );
        Ok(())
    }

    /// `OUT.tmp.PID` next to `OUT`, so the final rename stays on one file system.
    fn temp_path(out: &Path) -> PathBuf {
        let mut name = out
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(format!(".tmp.{}", std::process::id()));
        out.with_file_name(name)
    }

    fn read_input(
        input: &Input,
        threshold: f64,
        strict: bool,
        builder: &mut Builder,
        malformed: &mut usize,
    ) -> Result<(), String> {
        let file = File::open(&input.path).map_err(|e| format!("{}: {e}", input.path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let show_progress = size >= 16 << 20;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut line = Vec::new();
        let mut number = 0usize;
        let mut read = 0u64;
        let mut last_report = Instant::now();
        loop {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| format!("{}:{}: {e}", input.path.display(), number + 1))?;
            if n == 0 {
                break;
            }
            number += 1;
            read += n as u64;
            if show_progress && last_report.elapsed().as_millis() >= 500 {
                eprint!(
                    "\rreading {}: {:>3}%",
                    input.path.display(),
                    read * 100 / size.max(1)
                );
                last_report = Instant::now();
            }
            let text = String::from_utf8_lossy(&line);
            match parse_line(
                &input.format,
                &input.label,
                text.trim_end_matches(['\n', '\r']),
                threshold,
            ) {
                Ok(Some((network, record))) => builder.add(network, record),
                Ok(None) => {}
                Err(message) => {
                    let report = format!("{}:{number}: {message}", input.path.display());
                    if strict {
                        return Err(report);
                    }
                    eprintln!("wikiguard-db: warning: {report}");
                    *malformed += 1;
                }
            }
        }
        if show_progress {
            eprintln!("\rreading {}: 100%", input.path.display());
        }
        Ok(())
    }

    fn open(path: &str) -> Result<Database, String> {
        Database::open(Path::new(path)).map_err(|e| e.to_string())
    }

    fn lookup(args: &[String]) -> Result<(), String> {
        let (db, ips) = args.split_first().ok_or(USAGE)?;
        let db = open(db)?;
        let mut out = std::io::stdout().lock();
        for ip in ips {
            let addr: IpAddr = ip
                .parse()
                .map_err(|_| format!("`{ip}` is not an IP address"))?;
            let line = match db.lookup(addr).map_err(|e| format!("{ip}: {e}"))? {
                Some((value, prefix_len)) => {
                    let mut json = to_json(&value);
                    if let serde_json::Value::Object(map) = &mut json {
                        map.insert("network".into(), network(addr, prefix_len).into());
                    }
                    format!("{ip}\t{json}")
                }
                None => format!("{ip}\tnot found"),
            };
            writeln!(out, "{line}").map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The CIDR of the matching network.
    fn network(addr: IpAddr, prefix_len: u8) -> String {
        match addr {
            IpAddr::V4(v4) => {
                let mask = if prefix_len == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(prefix_len))
                };
                format!(
                    "{}/{prefix_len}",
                    std::net::Ipv4Addr::from(u32::from(v4) & mask)
                )
            }
            IpAddr::V6(v6) => {
                let mask = if prefix_len == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(prefix_len))
                };
                format!(
                    "{}/{prefix_len}",
                    std::net::Ipv6Addr::from(u128::from(v6) & mask)
                )
            }
        }
    }

    fn to_json(value: &Value<'_>) -> serde_json::Value {
        use serde_json::Value as J;
        match value {
            Value::Str(s) => J::String(String::from_utf8_lossy(s).into_owned()),
            Value::Bytes(b) => J::String(b.iter().map(|x| format!("{x:02x}")).collect()),
            Value::Double(d) => serde_json::Number::from_f64(*d).map_or(J::Null, J::Number),
            Value::Float(f) => {
                serde_json::Number::from_f64(f64::from(*f)).map_or(J::Null, J::Number)
            }
            Value::U16(n) => J::from(*n),
            Value::U32(n) => J::from(*n),
            Value::I32(n) => J::from(*n),
            Value::U64(n) => J::from(*n),
            Value::U128(n) => J::String(format!("0x{n:032X}")),
            Value::Bool(b) => J::Bool(*b),
            Value::Array(items) => J::Array(items.iter().map(to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), to_json(v)))
                    .collect(),
            ),
        }
    }

    fn info(args: &[String]) -> Result<(), String> {
        let [db] = args else {
            return Err(USAGE.to_string());
        };
        let database = open(db)?;
        let mut json = to_json(&database.raw_metadata().map_err(|e| e.to_string())?);
        if let serde_json::Value::Object(map) = &mut json {
            map.insert("file_size".into(), database.file_size().into());
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?
        );
        Ok(())
    }

    fn verify(args: &[String]) -> Result<(), String> {
        let [db] = args else {
            return Err(USAGE.to_string());
        };
        let (nodes, records) = open(db)?.verify().map_err(|e| format!("{db}: {e}"))?;
        println!("{db}: OK ({nodes} search tree nodes, {records} distinct records)");
        Ok(())
    }
}
