//! Attacks on a real `adal serve` under load, with `/readyz` timed throughout: a bench binary
//! (`harness = false`) that prints figures. See docs/benchmarks.md and docs/security.md.
//!
//! ```text
//! cargo bench -p adal-server --bench attacks -- [--seconds S] [--concurrency C]
//! ```
//!
//! It starts the `adal` binary built with it (`adal serve --seed-demo` on 127.0.0.1, port 0, a
//! fresh SQLite database in a temporary directory; set `ADAL_DATABASE_URL` to an empty
//! PostgreSQL database to run it there), then for S seconds each (default 10), C attackers at
//! once (default 32), all on loopback:
//! 1. **quiet**: nothing, for the baseline;
//! 2. **brute force**: wrong passwords for `admin`, as fast as the answers come;
//! 3. **large bodies**: anonymous multipart requests announcing 200 MB, each sending 64 KiB
//!    chunks until the server answers or closes;
//! 4. **alias flood**: 900 aliases of `organisations(first: 100)`, and pages of 100 rows until
//!    the caller's budget is spent;
//! 5. **all at once**: the three attacks together (C attackers each).
//!
//! Throughout, a probe asks `GET /readyz` every 100 ms. For each phase it prints the answers
//! the attackers got, the probe's latencies (median, 99th percentile, worst) and failures, and
//! the server's resident memory (its peak so far, `VmHWM`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Mutex;

struct Args {
    seconds: u64,
    concurrency: usize,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut a = Args {
        seconds: 10,
        concurrency: 32,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().context("a value is missing");
        match arg.as_str() {
            "--seconds" => a.seconds = value()?.parse()?,
            "--concurrency" => a.concurrency = value()?.parse()?,
            // `cargo bench` passes this to every bench binary.
            "--bench" => {}
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    Ok(a)
}

#[path = "support/serve.rs"]
mod serve;
use serve::Server;

/// `adal serve --seed-demo` on a fresh SQLite database in `dir` (or the database
/// `ADAL_DATABASE_URL` names).
async fn start_server(dir: &std::path::Path) -> anyhow::Result<Server> {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_adal"));
    cmd.args(["serve", "--seed-demo"]).env("ADAL_DATA_DIR", dir);
    Server::start(cmd).await
}

/// The server's address without its scheme, for raw connections.
fn addr(server: &Server) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

/// What the attackers of one phase were answered, by kind.
type Tally = Arc<Mutex<BTreeMap<String, u64>>>;

async fn count(tally: &Tally, what: impl Into<String>) {
    *tally.lock().await.entry(what.into()).or_default() += 1;
}

/// The code of a GraphQL answer's first error, or `ok`.
fn answer_code(status: u16, body: &serde_json::Value) -> String {
    match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => format!("{status} {code}"),
        None if body["errors"].is_array() => format!("{status} error"),
        None => format!("{status} ok"),
    }
}

/// Sends one GraphQL request and counts its answer.
async fn post(http: &reqwest::Client, base: &str, body: &serde_json::Value, tally: &Tally) {
    match http.post(format!("{base}/graphql")).json(body).send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let body: serde_json::Value = r.json().await.unwrap_or_default();
            count(tally, answer_code(status, &body)).await;
        }
        Err(_) => count(tally, "transport error").await,
    }
}

async fn brute_force(http: reqwest::Client, base: String, tally: Tally, stop: Arc<AtomicBool>) {
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let body = serde_json::json!({
            "query": "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { accessToken } }",
            "variables": { "l": "admin", "p": format!("guess-{n}-{}", rand::random::<u32>()) },
        });
        post(&http, &base, &body, &tally).await;
    }
}

/// One anonymous multipart request announcing 200 MB: chunks are sent until the server
/// answers or stops reading. Returns the status (0 when none came) and the bytes sent.
async fn large_body(addr: &str) -> anyhow::Result<(u16, u64)> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nhost: {addr}\r\ncontent-type: multipart/form-data; boundary=XyZ\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n--XyZ\r\ncontent-disposition: form-data; name=\"operations\"\r\n\r\n",
        200u64 * 1024 * 1024
    );
    s.write_all(head.as_bytes()).await?;
    let (mut read, mut write) = s.into_split();
    let answer = tokio::spawn(async move {
        let mut buf = [0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(30), read.read(&mut buf))
            .await
            .unwrap_or(Ok(0))
            .unwrap_or(0);
        std::str::from_utf8(&buf[..n])
            .ok()
            .and_then(|t| t.split_whitespace().nth(1))
            .and_then(|c| c.parse::<u16>().ok())
            .unwrap_or(0)
    });
    let chunk = vec![b'a'; 64 * 1024];
    let mut sent = 0u64;
    while !answer.is_finished() && sent < 200 * 1024 * 1024 {
        if write.write_all(&chunk).await.is_err() {
            break;
        }
        sent += chunk.len() as u64;
    }
    Ok((answer.await.unwrap_or(0), sent))
}

async fn large_bodies(
    addr: String,
    tally: Tally,
    most_sent: Arc<Mutex<u64>>,
    stop: Arc<AtomicBool>,
) {
    while !stop.load(Ordering::Relaxed) {
        match large_body(&addr).await {
            Ok((status, sent)) => {
                count(&tally, format!("{status} (body)")).await;
                let mut m = most_sent.lock().await;
                *m = (*m).max(sent);
            }
            Err(_) => count(&tally, "transport error").await,
        }
    }
}

async fn alias_flood(http: reqwest::Client, base: String, tally: Tally, stop: Arc<AtomicBool>) {
    let flood = format!(
        "{{ {} }}",
        (0..900)
            .map(|i| format!("o{i}: organisations(first: 100) {{ nodes {{ id }} }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let page = "{ organisations(first: 100) { nodes { id nameEn bin } } }".to_owned();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let query = if n.is_multiple_of(2) { &flood } else { &page };
        let body = serde_json::json!({ "query": query });
        post(&http, &base, &body, &tally).await;
    }
}

/// `/readyz` every 100 ms until stopped: latencies of the answers, and the failures (no 200
/// within 5 s).
async fn probe(http: reqwest::Client, base: String, stop: Arc<AtomicBool>) -> (Vec<Duration>, u64) {
    let mut times = Vec::new();
    let mut failures = 0;
    while !stop.load(Ordering::Relaxed) {
        let t = Instant::now();
        let r = tokio::time::timeout(
            Duration::from_secs(5),
            http.get(format!("{base}/readyz")).send(),
        )
        .await;
        match r {
            Ok(Ok(r)) if r.status().is_success() => times.push(t.elapsed()),
            _ => failures += 1,
        }
        tokio::time::sleep(Duration::from_millis(100).saturating_sub(t.elapsed())).await;
    }
    (times, failures)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[derive(Clone, Copy, PartialEq)]
enum Attack {
    BruteForce,
    LargeBodies,
    AliasFlood,
}

async fn phase(server: &Server, args: &Args, name: &str, attacks: &[Attack]) -> anyhow::Result<()> {
    // One connection pool for the probe, another for the attackers: the probe waits on the
    // server, not behind the attackers' connections.
    let probe_http = reqwest::Client::new();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let stop = Arc::new(AtomicBool::new(false));
    let tally: Tally = Arc::default();
    let most_sent = Arc::new(Mutex::new(0u64));
    let probing = tokio::spawn(probe(probe_http, server.base.clone(), stop.clone()));
    let mut attackers = Vec::new();
    for attack in attacks {
        for _ in 0..args.concurrency {
            let (tally, stop) = (tally.clone(), stop.clone());
            attackers.push(match attack {
                Attack::BruteForce => {
                    tokio::spawn(brute_force(http.clone(), server.base.clone(), tally, stop))
                }
                Attack::LargeBodies => {
                    tokio::spawn(large_bodies(addr(server), tally, most_sent.clone(), stop))
                }
                Attack::AliasFlood => {
                    tokio::spawn(alias_flood(http.clone(), server.base.clone(), tally, stop))
                }
            });
        }
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for a in attackers {
        let _ = a.await;
    }
    let (mut times, failures) = probing.await?;
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "\n## {name} ({} s, {} attackers per attack)",
        args.seconds, args.concurrency
    );
    let tally = tally.lock().await;
    let total: u64 = tally.values().sum();
    println!("answers to the attackers: {total}");
    for (what, n) in tally.iter() {
        println!("  {what:<28} {n:>8}");
    }
    if attacks.contains(&Attack::LargeBodies) {
        println!(
            "most body bytes one large request sent before its answer: {:.1} KiB",
            *most_sent.lock().await as f64 / 1024.0
        );
    }
    println!(
        "/readyz: {} answers, median {} ms, p99 {} ms, worst {} ms, failures {failures}",
        times.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(times.last().copied().unwrap_or_default())
    );
    println!(
        "server peak resident memory so far: {:.0} MiB",
        server.peak_mib()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let dir = tempfile::tempdir()?;
    let mut server = start_server(dir.path()).await?;
    println!("adal serve at {} (pid {})", server.base, server.pid);
    println!(
        "server peak resident memory after start: {:.0} MiB",
        server.peak_mib()
    );
    phase(&server, &args, "quiet", &[]).await?;
    phase(&server, &args, "brute force", &[Attack::BruteForce]).await?;
    phase(&server, &args, "large bodies", &[Attack::LargeBodies]).await?;
    phase(&server, &args, "alias flood", &[Attack::AliasFlood]).await?;
    phase(
        &server,
        &args,
        "all at once",
        &[Attack::BruteForce, Attack::LargeBodies, Attack::AliasFlood],
    )
    .await?;
    server.child.kill().await?;
    Ok(())
}
