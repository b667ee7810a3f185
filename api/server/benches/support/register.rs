//! The operator's pages at national scale, loaded by a real HTTP load tool: `wrk` against
//! `adal serve` on loopback (issue 22's register latency). Run by the obligations bench on the
//! database it has just imported and evaluated.
//!
//! 1. Eight analyst accounts (`adal user create`), and `adal serve` on the database, its
//!    per-caller request and cost budgets raised so that they do not shape the figures.
//! 2. Each account signs in. The pages are the portal's own operations, sent as the portal sends
//!    them (the whole document of `web/graphql/*.graphql` with an operation name):
//!    - the register's first page under 27 filters (none, each status, each category, four
//!      specialty groups, the three largest regions, the two largest graduation years, an
//!      exact IIN, an employer), its total selected as the portal selects it;
//!    - its deeper pages by keyset cursor, taken on a walk to page 300 (unfiltered) and page 30
//!      (in breach);
//!    - a graduate's card from every tenth page walked; the dashboard; the notifications'
//!      coverage.
//!
//!    Every one is asked once before the load (the first count of each filter timed apart),
//!    and must answer without a GraphQL error.
//! 3. `wrk` with one connection for each kind of page (p50, p95, p99, worst), then eight
//!    connections on the register's first and deeper pages (pages per second), each request
//!    under the next account in turn. An answer that is not a 200 without `errors` is counted
//!    as an error, and a run with errors fails.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use super::serve::Server;

const CALLERS: usize = 8;
const PASSWORD: &str = "bench-Register-2026";
const OBLIGATIONS_OPS: &str = include_str!("../../../../web/graphql/obligations.graphql");
const NOTIFICATIONS_OPS: &str = include_str!("../../../../web/graphql/notifications.graphql");
const STATUSES: &[&str] = &[
    "NOT_STARTED",
    "WORKING",
    "GAP",
    "NON_QUALIFYING",
    "SUSPENDED",
    "EXEMPT",
    "FULFILLED",
    "BREACH",
    "REIMBURSING",
    "CLOSED",
];
const CATEGORIES: &[&str] = &[
    "RURAL_QUOTA",
    "SERPIN",
    "STATE_ORDER",
    "PHD",
    "DOCTOR_BY_PROFILE",
];
const GROUPS: &[&str] = &["PEDAGOGICAL", "MEDICAL", "TECHNICAL", "OTHER"];

/// One `wrk` run: `callers` connections for `seconds`.
pub struct Load {
    pub requests: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Load {
    pub fn per_sec(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1e-9)
    }

    fn line(&self) -> String {
        format!(
            "{} requests in {:.1} s = {:.0}/s; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, worst {:.1} ms",
            self.requests,
            self.seconds,
            self.per_sec(),
            self.p50_ms,
            self.p95_ms,
            self.p99_ms,
            self.max_ms
        )
    }
}

pub struct Figures {
    /// One caller, by kind of page.
    pub pages: Vec<Load>,
    /// Eight callers on the register.
    pub register: Load,
    /// The first page of a filter with its total counted (nothing cached): median and worst.
    pub first_count_ms: (f64, f64),
    pub server_peak_mib: f64,
}

/// `adal` with the bench database's settings: `adal(args)` is ready to run.
pub type Adal<'a> = &'a dyn Fn(&[&str]) -> Command;

/// Runs the register phase. `iins` are a few graduates' IINs from the generated file (the
/// exact-IIN filter).
pub async fn measure(adal: Adal<'_>, iins: &[String], seconds: u64) -> anyhow::Result<Figures> {
    println!("-- the operator's pages under wrk (loopback, `adal serve`)");
    if Command::new("wrk").arg("--version").output().is_err() {
        bail!("wrk is not installed (Debian: apt-get install wrk); or run with --no-register");
    }
    let logins: Vec<String> = (1..=CALLERS).map(|i| format!("bench.analyst{i}")).collect();
    for login in &logins {
        create_analyst(adal, login)?;
    }
    let mut cmd = adal(&["serve"]);
    cmd.env("ADAL_GRAPHQL_REQUESTS_PER_MINUTE", "100000000")
        .env("ADAL_GRAPHQL_COST_PER_MINUTE", "4000000000");
    let mut server = Server::start(cmd.into()).await?;
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for login in &logins {
        tokens.push(sign_in(&http, &base, login).await?);
    }
    let caller = Caller {
        http: &http,
        base: &base,
        token: &tokens[0],
    };

    // The filters: the dashboard names the regions and years that hold graduates.
    let dashboard = caller
        .ask(OBLIGATIONS_OPS, "ObligationDashboard", json!({}))
        .await?;
    let keys = |field: &str, n: usize| -> Vec<String> {
        let mut buckets: Vec<(String, i64)> = dashboard["obligationDashboard"][field]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|b| Some((b["key"].as_str()?.to_owned(), b["count"].as_i64()?)))
            .collect();
        buckets.sort_by_key(|(_, count)| -count);
        buckets.into_iter().take(n).map(|(k, _)| k).collect()
    };
    let mut filters: Vec<Value> = vec![json!({})];
    filters.extend(STATUSES.iter().map(|s| json!({ "status": s })));
    filters.extend(CATEGORIES.iter().map(|c| json!({ "category": c })));
    filters.extend(GROUPS.iter().map(|g| json!({ "specialtyGroup": g })));
    filters.extend(
        keys("byRegion", 3)
            .into_iter()
            .map(|k| json!({ "regionKato": k })),
    );
    filters.extend(keys("byGraduationYear", 2).into_iter().filter_map(|y| {
        let year: i64 = y.parse().ok()?;
        Some(json!({ "graduationYear": year }))
    }));
    filters.extend(iins.iter().take(1).map(|i| json!({ "iin": i })));

    // An employer's filter, from a graduate's card (its ledger names employers by id); found
    // without the register's total, so that no filter's count is kept before it is timed.
    let working = caller
        .post(
            &json!({ "query": "{ graduates(filter: { status: WORKING }, first: 1) { nodes { id } } }" })
                .to_string(),
        )
        .await?;
    let id = working["graduates"]["nodes"][0]["id"]
        .as_str()
        .context("no working graduate")?;
    let card = caller
        .ask(
            OBLIGATIONS_OPS,
            "Graduate",
            json!({ "id": id, "language": "RU" }),
        )
        .await?;
    filters.extend(
        card["graduate"]["ledger"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|m| m["employer"]["id"].as_str())
            .map(|e| json!({ "employerId": e })),
    );

    // The first page of every filter, its total counted for the first time.
    let mut first_pages = Vec::new();
    let mut cold = Vec::new();
    for filter in &filters {
        let vars = json!({ "filter": filter, "first": 100, "language": "RU" });
        let started = Instant::now();
        caller
            .ask(OBLIGATIONS_OPS, "Graduates", vars.clone())
            .await?;
        cold.push(started.elapsed().as_secs_f64() * 1000.0);
        first_pages.push(body(OBLIGATIONS_OPS, "Graduates", vars));
    }
    cold.sort_by(f64::total_cmp);
    let first_count_ms = (cold[cold.len() / 2], cold[cold.len() - 1]);
    println!(
        "  {} filters' first pages with their totals counted (nothing cached): median {:.1} ms, worst {:.1} ms",
        cold.len(),
        first_count_ms.0,
        first_count_ms.1
    );

    // Deeper pages by cursor, and graduates for the cards.
    let mut deep_pages = Vec::new();
    let mut card_ids = Vec::new();
    for (filter, depth, keep) in [
        (json!({}), 300, &[2, 3, 5, 10, 30, 100, 200, 300][..]),
        (json!({ "status": "BREACH" }), 30, &[2, 5, 10, 30][..]),
    ] {
        let mut after = Value::Null;
        for n in 1..=depth {
            let vars = json!({ "filter": filter, "first": 100, "after": after, "language": "RU" });
            if keep.contains(&n) {
                deep_pages.push(body(OBLIGATIONS_OPS, "Graduates", vars.clone()));
            }
            let page = caller.ask(OBLIGATIONS_OPS, "Graduates", vars).await?;
            let g = &page["graduates"];
            if n % 10 == 1
                && let Some(id) = g["nodes"][7]["id"].as_str()
            {
                card_ids.push(id.to_owned());
            }
            if g["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
            after = g["pageInfo"]["endCursor"].clone();
        }
    }
    println!(
        "  walked the register: {} deeper pages and {} graduates' cards to load",
        deep_pages.len(),
        card_ids.len()
    );
    let cards: Vec<String> = card_ids
        .iter()
        .map(|id| {
            body(
                OBLIGATIONS_OPS,
                "Graduate",
                json!({ "id": id, "language": "RU" }),
            )
        })
        .collect();
    for c in &cards {
        caller.post(c).await?;
    }
    let dashboard = vec![body(OBLIGATIONS_OPS, "ObligationDashboard", json!({}))];
    let coverage = vec![body(NOTIFICATIONS_OPS, "Coverage", json!({}))];
    for b in dashboard.iter().chain(&coverage) {
        caller.post(b).await?;
    }

    let dir = tempfile::tempdir()?;
    let run = |name, bodies: &[String], callers| {
        wrk(dir.path(), &base, &tokens, name, bodies, callers, seconds)
    };
    let mut pages = Vec::new();
    for (name, bodies) in [
        ("register, first pages (each filter)", &first_pages),
        ("register, deeper pages (cursor)", &deep_pages),
        ("graduate card", &cards),
        ("dashboard", &dashboard),
        ("coverage", &coverage),
    ] {
        let load = run(name, bodies, 1)?;
        println!("  1 caller, {name}: {}", load.line());
        pages.push(load);
    }
    let mixed: Vec<String> = first_pages.iter().chain(&deep_pages).cloned().collect();
    let register = run("register, first and deeper pages", &mixed, CALLERS)?;
    println!("  {CALLERS} callers, register: {}", register.line());
    let server_peak_mib = server.peak_mib();
    println!("  server peak resident memory: {server_peak_mib:.0} MiB");
    server.child.kill().await.ok();
    Ok(Figures {
        pages,
        register,
        first_count_ms,
        server_peak_mib,
    })
}

fn create_analyst(adal: Adal<'_>, login: &str) -> anyhow::Result<()> {
    let mut cmd = adal(&[
        "user",
        "create",
        "--login",
        login,
        "--role",
        "operator_analyst",
        "--password-stdin",
    ]);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().context("cannot run adal user create")?;
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().context("no stdin")?;
        writeln!(stdin, "{PASSWORD}")?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "adal user create --login {login} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

async fn sign_in(http: &reqwest::Client, base: &str, login: &str) -> anyhow::Result<String> {
    let r: Value = http
        .post(format!("{base}/graphql"))
        .json(&json!({
            "query": "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { accessToken } }",
            "variables": { "l": login, "p": PASSWORD },
        }))
        .send()
        .await?
        .json()
        .await?;
    r["data"]["login"]["accessToken"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("{login} could not sign in: {r}"))
}

/// A request body as the portal sends it: the document, its operation's name, the variables.
fn body(document: &str, operation: &str, variables: Value) -> String {
    json!({ "query": document, "operationName": operation, "variables": variables }).to_string()
}

struct Caller<'a> {
    http: &'a reqwest::Client,
    base: &'a str,
    token: &'a str,
}

impl Caller<'_> {
    async fn ask(
        &self,
        document: &str,
        operation: &str,
        variables: Value,
    ) -> anyhow::Result<Value> {
        self.post(&body(document, operation, variables))
            .await
            .with_context(|| operation.to_owned())
    }

    /// Posts a body; the answer's `data`, or an error when it has errors.
    async fn post(&self, body: &str) -> anyhow::Result<Value> {
        let r: Value = self
            .http
            .post(format!("{}/graphql", self.base))
            .bearer_auth(self.token)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await?
            .json()
            .await?;
        if r["errors"].is_array() {
            bail!("the server answered with errors: {}", r["errors"]);
        }
        Ok(r["data"].clone())
    }
}

/// Runs `wrk` with `callers` connections for `seconds` over `bodies`, each request the next
/// body under the next account's token; fails when an answer was not a 200 without errors.
fn wrk(
    dir: &Path,
    base: &str,
    tokens: &[String],
    name: &'static str,
    bodies: &[String],
    callers: usize,
    seconds: u64,
) -> anyhow::Result<Load> {
    let script = dir.join("load.lua");
    std::fs::write(&script, lua(bodies, tokens))?;
    let threads = callers.min(2);
    let out = Command::new("wrk")
        .arg(format!("-t{threads}"))
        .arg(format!("-c{callers}"))
        .arg(format!("-d{seconds}s"))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(&script)
        .arg(format!("{base}/graphql"))
        .output()
        .context("cannot run wrk")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("ADAL "))
        .with_context(|| {
            format!(
                "wrk printed no figures ({}): {text}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    let field = |key: &str| -> anyhow::Result<f64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .context(key.to_owned())?
            .parse::<f64>()
            .with_context(|| key.to_owned())
    };
    let (errors, socket) = (field("errors")?, field("socket")?);
    if errors > 0.0 || socket > 0.0 {
        bail!("{name}: {errors} answers with errors and {socket} socket errors under wrk");
    }
    let us = |key| field(key).map(|v| Duration::from_micros(v as u64).as_secs_f64() * 1000.0);
    Ok(Load {
        requests: field("requests")? as u64,
        seconds: field("duration_us")? / 1e6,
        p50_ms: us("p50")?,
        p95_ms: us("p95")?,
        p99_ms: us("p99")?,
        max_ms: us("max")?,
    })
}

/// The wrk script: the bodies and tokens as Lua strings, a request each in turn, every answer
/// checked, and one line of figures at the end (latencies in microseconds).
fn lua(bodies: &[String], tokens: &[String]) -> String {
    let quote = |s: &str| format!("[==[{s}]==]");
    let mut out = String::from("bodies = {\n");
    for b in bodies {
        let _ = writeln!(out, "  {},", quote(b));
    }
    out.push_str("}\ntokens = {\n");
    for t in tokens {
        let _ = writeln!(out, "  \"{t}\",");
    }
    out.push_str(
        r#"}
errors = 0
n = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("n", #threads * 7)
end

function request()
  n = n + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[n % #tokens + 1],
  }
  return wrk.format("POST", nil, headers, bodies[n % #bodies + 1])
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do
    e = e + t:get("errors")
  end
  local s = summary.errors
  io.write(string.format(
    "ADAL requests=%d duration_us=%d p50=%d p95=%d p99=%d max=%d errors=%d socket=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e, s.connect + s.read + s.write + s.timeout))
end
"#,
    );
    out
}
