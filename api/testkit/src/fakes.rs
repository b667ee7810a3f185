//! Real local stand-ins for the providers, started by tests, benchmarks and the e2e suite: an
//! HTTP server playing the SMS/push gateway (or the ministry's interface) and an SMTP server.
//! Both listen on a free port, record what they receive, and can be told to fail or hang.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// How the fake gateway answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// `200 {"id": ...}` (the same id again for a repeated idempotency key).
    Accept,
    /// Answers with this status code.
    Fail(u16),
    /// Never answers in time (the client's timeout fires).
    Hang,
}

#[derive(Debug, Default)]
pub struct GatewayLog {
    /// Every request body, in order (repeats included).
    pub requests: Vec<serde_json::Value>,
    /// Messages actually "sent": one per idempotency key, with the provider id given.
    pub sent: HashMap<String, String>,
}

struct GatewayState {
    mode: Mode,
    /// Fail this many requests with 503 before following `mode`.
    fail_first: u32,
    delay: Duration,
    /// Answer body on success instead of `{"id": ...}` (the ministry's rows).
    answer: Option<serde_json::Value>,
    log: GatewayLog,
    next_id: u64,
}

/// Serves `handler` for every POST on a free local port, with `state` as its data; returns the
/// port and the server's handle.
fn serve<S, F, Args>(
    state: S,
    workers: usize,
    handler: F,
) -> std::io::Result<(u16, actix_web::dev::ServerHandle)>
where
    S: Send + Sync + 'static,
    F: actix_web::Handler<Args> + Clone + Send + 'static,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .default_service(web::post().to(handler.clone()))
    })
    .workers(workers)
    .disable_signals()
    .shutdown_timeout(0)
    .listen(listener)?
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    Ok((port, handle))
}

#[derive(Clone)]
pub struct FakeGateway {
    pub url: String,
    state: Arc<Mutex<GatewayState>>,
    handle: actix_web::dev::ServerHandle,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

async fn handle(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<Arc<Mutex<GatewayState>>>,
) -> HttpResponse {
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let key = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| json["idempotency_key"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let (mode, delay) = {
        let mut s = lock(&state);
        s.log.requests.push(json);
        if s.fail_first > 0 {
            s.fail_first -= 1;
            (Mode::Fail(503), s.delay)
        } else {
            (s.mode.clone(), s.delay)
        }
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match mode {
        Mode::Hang => {
            tokio::time::sleep(Duration::from_secs(120)).await;
            HttpResponse::GatewayTimeout().finish()
        }
        Mode::Fail(code) => HttpResponse::build(
            actix_web::http::StatusCode::from_u16(code)
                .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
        )
        .body("refused by the fake gateway"),
        Mode::Accept => {
            let mut s = lock(&state);
            if let Some(a) = &s.answer {
                return HttpResponse::Ok().json(a.clone());
            }
            let id = match s.log.sent.get(&key) {
                Some(id) => id.clone(),
                None => {
                    s.next_id += 1;
                    let id = format!("gw-{}", s.next_id);
                    s.log.sent.insert(key, id.clone());
                    id
                }
            };
            HttpResponse::Ok().json(serde_json::json!({ "id": id }))
        }
    }
}

impl FakeGateway {
    /// Starts a gateway accepting everything, on a free port.
    pub fn start() -> std::io::Result<Self> {
        let state = Arc::new(Mutex::new(GatewayState {
            mode: Mode::Accept,
            fail_first: 0,
            delay: Duration::ZERO,
            answer: None,
            log: GatewayLog::default(),
            next_id: 0,
        }));
        let (port, handle) = serve(state.clone(), 2, handle)?;
        Ok(Self {
            url: format!("http://127.0.0.1:{port}/send"),
            state,
            handle,
        })
    }

    pub fn set_mode(&self, mode: Mode) {
        lock(&self.state).mode = mode;
    }
    pub fn fail_first(&self, n: u32) {
        lock(&self.state).fail_first = n;
    }
    pub fn set_delay(&self, d: Duration) {
        lock(&self.state).delay = d;
    }
    pub fn set_answer(&self, a: serde_json::Value) {
        lock(&self.state).answer = Some(a);
    }
    /// Requests received (repeats included).
    pub fn requests(&self) -> Vec<serde_json::Value> {
        lock(&self.state).log.requests.clone()
    }
    pub fn request_count(&self) -> usize {
        lock(&self.state).log.requests.len()
    }
    /// Distinct messages accepted: idempotency key → provider id.
    pub fn sent(&self) -> HashMap<String, String> {
        lock(&self.state).log.sent.clone()
    }
    pub async fn stop(&self) {
        self.handle.stop(false).await;
    }
}

/// How the fake SMTP server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    Accept,
    /// `550` on `RCPT TO` (a permanent failure).
    RejectRecipient,
    /// `451` after `DATA` (a transient failure).
    TemporaryFailure,
}

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone)]
pub struct FakeSmtp {
    /// `smtp://127.0.0.1:PORT` for `smtp_url`.
    pub url: String,
    mode: Arc<Mutex<SmtpMode>>,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl FakeSmtp {
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let me = Self {
            url: format!("smtp://127.0.0.1:{port}"),
            mode: Arc::new(Mutex::new(SmtpMode::Accept)),
            mails: Arc::new(Mutex::new(Vec::new())),
        };
        let srv = me.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let srv = srv.clone();
                tokio::spawn(async move {
                    let _ = srv.session(stream).await;
                });
            }
        });
        Ok(me)
    }

    pub fn set_mode(&self, m: SmtpMode) {
        *lock(&self.mode) = m;
    }

    pub fn mails(&self) -> Vec<ReceivedMail> {
        lock(&self.mails).clone()
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (r, mut w) = stream.into_split();
        let mut r = BufReader::new(r);
        w.write_all(b"220 fake.smtp ESMTP ready\r\n").await?;
        let mut from = String::new();
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_owned();
            let upper = cmd.to_ascii_uppercase();
            let mode = *lock(&self.mode);
            if upper.starts_with("EHLO") {
                w.write_all(b"250-fake.smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    .await?;
            } else if upper.starts_with("HELO") {
                w.write_all(b"250 fake.smtp\r\n").await?;
            } else if upper.starts_with("MAIL FROM:") {
                from = cmd[10..].trim().to_owned();
                to.clear();
                w.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                if mode == SmtpMode::RejectRecipient {
                    w.write_all(b"550 5.1.1 no such mailbox\r\n").await?;
                } else {
                    to.push(cmd[8..].trim().to_owned());
                    w.write_all(b"250 OK\r\n").await?;
                }
            } else if upper == "DATA" {
                w.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                if mode == SmtpMode::TemporaryFailure {
                    w.write_all(b"451 4.3.0 try again later\r\n").await?;
                } else {
                    lock(&self.mails).push(ReceivedMail {
                        from: from.clone(),
                        to: to.clone(),
                        data,
                    });
                    w.write_all(b"250 OK queued\r\n").await?;
                }
            } else if upper == "RSET" || upper == "NOOP" {
                w.write_all(b"250 OK\r\n").await?;
            } else if upper == "QUIT" {
                w.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                w.write_all(b"502 not implemented\r\n").await?;
            }
        }
    }
}

/// Inserts `n` synthetic graduates (person, graduate, obligation in `status`, graduated
/// 30 June `year`) for tests and benchmarks, in chunks; phones `+7707XXXXXXX` unique.
/// `university_id` must name an existing organisation. Returns the graduates' ids.
pub async fn insert_graduates(
    db: &sea_orm::DatabaseConnection,
    n: usize,
    university_id: i64,
    status: &str,
    year: i32,
) -> anyhow::Result<Vec<i64>> {
    use chrono::{NaiveDate, Utc};
    use entities::{graduate, obligation, person};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};

    let now = Utc::now();
    let grad = NaiveDate::from_ymd_opt(year, 6, 30).unwrap_or_default();
    let start = NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or_default();
    let study = NaiveDate::from_ymd_opt(year - 4, 9, 1).unwrap_or_default();
    // IINs of people born 1970-1999 with a serial: distinct from the demo's, and from those an
    // earlier call inserted (each call starts at a random serial).
    let existing: std::collections::HashSet<String> = person::Entity::find()
        .select_only()
        .column(person::Column::Iin)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut iins = Vec::with_capacity(n);
    let mut i: u64 = 0;
    let base = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let salt = u64::from(uuid::Uuid::new_v4().as_u128() as u16 % 5000);
    while iins.len() < n {
        let day = base + chrono::Duration::days(((i / 5000) % 10_000) as i64);
        let serial = 5000 + (i + salt) % 5000;
        let first11 = format!("{}3{serial:04}", day.format("%y%m%d"));
        if let Some(iin) = adal_core::identifiers::with_check_digit(&first11)
            && !existing.contains(&iin)
        {
            iins.push(iin);
        }
        i += 1;
    }
    let mut ids = Vec::with_capacity(n);
    for chunk in iins.chunks(1000) {
        let persons = chunk
            .iter()
            .enumerate()
            .map(|(k, iin)| person::ActiveModel {
                iin: Set(iin.clone()),
                last_name: Set(format!("Тестов{k}")),
                first_name: Set("Тест".into()),
                middle_name: Set(None),
                birth_date: Set(None),
                phone: Set(Some(format!("+7707{}", &iin[..7]))),
                email: Set(None),
                language: Set(["kk", "ru", "en"][k % 3].into()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
        person::Entity::insert_many(persons)
            .exec_without_returning(db)
            .await?;
        let pids: Vec<i64> = person::Entity::find()
            .filter(person::Column::Iin.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        let graduates = pids.iter().map(|pid| graduate::ActiveModel {
            person_id: Set(*pid),
            university_id: Set(university_id),
            specialty_code: Set("6B01501".into()),
            specialty_name: Set("Математика".into()),
            specialty_group: Set("pedagogical".into()),
            level: Set("bachelor".into()),
            funding_category: Set("state_order".into()),
            home_region_kato: Set(Some("710000000".into())),
            study_start: Set(study),
            graduation_date: Set(grad),
            listed_graduation_date: Set(grad),
            grant_months: Set(48),
            programme_months: Set(48),
            budget_cost: Set(2_400_000),
            referral_employer_id: Set(None),
            referral_date: Set(None),
            batch_id: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        graduate::Entity::insert_many(graduates)
            .exec_without_returning(db)
            .await?;
        let gids: Vec<i64> = graduate::Entity::find()
            .filter(graduate::Column::PersonId.is_in(pids))
            .all(db)
            .await?
            .into_iter()
            .map(|g| g.id)
            .collect();
        let obligations = gids.iter().map(|gid| obligation::ActiveModel {
            graduate_id: Set(*gid),
            required_months: Set(36),
            start_date: Set(start),
            status: Set(status.to_owned()),
            credited_months: Set(0),
            projected_completion: Set(None),
            rule_version: Set(1),
            explanation: Set("{}".into()),
            evaluated_at: Set(now),
            horizon: Set(None),
            last_employer_id: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        obligation::Entity::insert_many(obligations)
            .exec_without_returning(db)
            .await?;
        adal_core::generation::bump(db, adal_core::generation::REGISTER)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        ids.extend(gids);
    }
    Ok(ids)
}

/// A stand-in for the Social Wallet: answers `{"results": [...]}` for each meal of a batch,
/// accepting all but the meal ids told to reject (with the reason given); can be told to fail
/// the next batches with 503. Records every meal id received, repeats included.
#[derive(Clone)]
pub struct FakeWallet {
    pub url: String,
    state: Arc<Mutex<WalletState>>,
    handle: actix_web::dev::ServerHandle,
}

#[derive(Default)]
struct WalletState {
    fail_first: u32,
    reject: HashMap<i64, String>,
    received: Vec<i64>,
    batches: usize,
}

async fn wallet_handle(
    body: web::Bytes,
    state: web::Data<Arc<Mutex<WalletState>>>,
) -> HttpResponse {
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let ids: Vec<i64> = json["meals"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["mealId"].as_i64()).collect())
        .unwrap_or_default();
    let mut s = lock(&state);
    s.batches += 1;
    if s.fail_first > 0 {
        s.fail_first -= 1;
        return HttpResponse::ServiceUnavailable().body("the wallet is down");
    }
    s.received.extend(&ids);
    let results: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| match s.reject.get(id) {
            Some(reason) => {
                serde_json::json!({ "mealId": id, "accepted": false, "reason": reason })
            }
            None => serde_json::json!({ "mealId": id, "accepted": true, "reason": null }),
        })
        .collect();
    HttpResponse::Ok().json(serde_json::json!({ "results": results }))
}

impl FakeWallet {
    pub fn start() -> std::io::Result<Self> {
        let state = Arc::new(Mutex::new(WalletState::default()));
        let (port, handle) = serve(state.clone(), 1, wallet_handle)?;
        Ok(Self {
            url: format!("http://127.0.0.1:{port}/meals"),
            state,
            handle,
        })
    }

    /// Fails the next `n` batches with 503.
    pub fn fail_first(&self, n: u32) {
        lock(&self.state).fail_first = n;
    }
    /// Rejects this meal (until told otherwise) with the reason.
    pub fn reject(&self, meal_id: i64, reason: &str) {
        lock(&self.state).reject.insert(meal_id, reason.to_owned());
    }
    pub fn accept_all(&self) {
        lock(&self.state).reject.clear();
    }
    /// Meal ids received in accepted batches, repeats included.
    pub fn received(&self) -> Vec<i64> {
        lock(&self.state).received.clone()
    }
    /// Batches received, failed ones included.
    pub fn batches(&self) -> usize {
        lock(&self.state).batches
    }
    pub async fn stop(&self) {
        self.handle.stop(false).await;
    }
}
