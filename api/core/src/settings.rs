//! One typed `Settings`, layered: defaults that run with nothing set (embedded SQLite in the data
//! folder), then a TOML file (`ADAL_CONFIG`, or `adal.toml` in the working folder when present),
//! then `ADAL_*` environment variables. Unknown keys are rejected; secrets are never printed.

use std::fmt;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// A value that must not appear in logs or `Debug` output.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Readable lines for development.
    Pretty,
    /// One JSON object per line for production log collectors.
    Json,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Address to serve on.
    pub listen: String,
    /// Folder for the embedded database, the generated signing key and uploads.
    pub data_dir: PathBuf,
    /// Database URL; when unset, `sqlite://<data_dir>/adal.db`.
    pub database_url: Option<Secret>,
    /// Largest number of pooled database connections.
    pub database_max_connections: u32,
    /// Folder of the built web bundle served at `/`.
    pub web_dir: PathBuf,
    /// HMAC key for access tokens; when unset, generated once into `<data_dir>/jwt.key`.
    pub jwt_secret: Option<Secret>,
    pub access_token_ttl_secs: i64,
    /// A session whose refresh token goes unused this long ends.
    pub refresh_token_ttl_secs: i64,
    /// A session ends this long after its sign-in, however often it is refreshed.
    pub session_max_age_secs: i64,
    /// A refresh token already exchanged may be presented once more this long after, while
    /// its successor is unused: the answer carrying the successor was lost (the person left
    /// the page mid-renewal). 0: never; every second presentation ends the session.
    pub refresh_reuse_grace_secs: i64,
    /// How long the open figures (public, no sign-in) are served before they are computed
    /// again.
    pub open_figures_ttl_secs: i64,
    /// How often expired sign-in material is deleted (with the job runner).
    pub housekeeping_secs: u64,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` header names the client (IP
    /// addresses and CIDR ranges, comma-separated). Empty: the TCP peer is the client.
    pub trusted_proxies: String,
    /// Roles whose holders must sign in with a second factor (comma-separated, as the schema
    /// or the database spells them: `OPERATOR_ADMIN,OPERATOR_ANALYST,COMMISSION_MEMBER`). A
    /// holder without one is signed in only to set one up. Empty: nobody is required to.
    pub second_factor_roles: String,
    /// Failed sign-ins for one login from one client address before that address is locked
    /// out of that login (an address may fail 4× as often over all logins).
    pub login_max_failures: i32,
    /// Failures older than this are forgotten.
    pub login_window_secs: i64,
    /// How long a lock lasts.
    pub login_lock_secs: i64,
    /// Delay after a failed sign-in, doubled with each further failure (at most 2 s).
    pub login_slowdown_ms: u64,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Largest accepted upload (multipart request with files); larger imports go through
    /// `adal import`, which streams the file.
    pub max_upload_bytes: usize,
    pub graphql_depth_limit: usize,
    /// Largest complexity of one operation; a list counts its page size times its rows.
    pub graphql_complexity_limit: usize,
    /// Root fields one operation may select.
    pub graphql_max_root_fields: usize,
    /// Aliases one operation may name.
    pub graphql_max_aliases: usize,
    /// Complexity each caller (an account, else an address) may spend per minute.
    pub graphql_cost_per_minute: u32,
    /// GraphQL requests each caller (an account, else an address) may make per minute.
    pub graphql_requests_per_minute: u32,
    /// Votes needed before the commission's majority decides an application.
    pub commission_quorum: usize,
    pub log_format: LogFormat,
    /// `tracing` filter, e.g. `info` or `adal_notifications=debug,info`.
    pub log_level: String,
    /// Who may read `/metrics`: IP addresses and CIDR ranges, comma-separated; empty: nobody.
    pub metrics_allow: String,
    /// Run the job runner (imports, later reports and allocations) inside `adal serve`
    /// (`adal worker` runs one too).
    pub job_runner: bool,
    /// How often an idle job runner looks for due jobs.
    pub job_poll_ms: u64,
    /// A taken job whose instance stopped renewing its lease for this long is taken over by
    /// another instance (or failed once its attempts are used up).
    pub job_lease_secs: i64,
    /// Run the notification worker inside `adal serve` (`adal worker` runs one alone).
    pub notify_worker: bool,
    /// How often an idle worker looks for due messages.
    pub notify_poll_ms: u64,
    /// Messages a worker claims at once.
    pub notify_batch: u64,
    /// Messages a worker sends at the same time.
    pub notify_concurrency: usize,
    /// A claimed message not finished within this time is taken over by another worker.
    pub notify_lease_secs: i64,
    /// Attempts before a message becomes a dead letter.
    pub notify_max_attempts: i32,
    /// First retry delay; doubled each attempt (with jitter) up to `notify_backoff_max_secs`.
    pub notify_backoff_base_secs: i64,
    pub notify_backoff_max_secs: i64,
    /// Time limit of one request to a gateway, the SMTP server or the ministry.
    pub notify_timeout_ms: u64,
    /// SMS gateway endpoint (HTTP POST); unset: SMS is reported as not configured.
    pub sms_gateway_url: Option<String>,
    /// Bearer token for the SMS gateway.
    pub sms_gateway_token: Option<Secret>,
    /// Sender of outbound SMS (the short number).
    pub sms_sender: String,
    /// SMS per second per worker.
    pub sms_rate_per_sec: u32,
    /// Longest SMS a template may produce, in segments.
    pub sms_max_segments: u32,
    /// HMAC-SHA256 key of the SMS provider's receipt and inbound webhooks.
    pub sms_webhook_secret: Option<Secret>,
    /// eGov push endpoint (HTTP POST); unset: push is reported as not configured.
    pub push_gateway_url: Option<String>,
    pub push_gateway_token: Option<Secret>,
    pub push_rate_per_sec: u32,
    /// HMAC-SHA256 key of the push provider's receipt webhook.
    pub push_webhook_secret: Option<Secret>,
    /// The post operator's hybrid mail endpoint (HTTP POST): a registered letter, printed and
    /// handed over against a signature at the person's registered address; unset: reported
    /// as not configured.
    pub post_gateway_url: Option<String>,
    pub post_gateway_token: Option<Secret>,
    /// Letters per second per worker.
    pub post_rate_per_sec: u32,
    /// HMAC-SHA256 key of the post operator's receipt webhook (the letter handed over, or
    /// returned).
    pub post_webhook_secret: Option<Secret>,
    /// HMAC-SHA256 key of the payment side's signed balance top-ups (`POST /schools/topups`);
    /// unset: top-ups are refused.
    pub payments_webhook_secret: Option<Secret>,
    /// The Social Wallet's endpoint for subsidised meals (HTTP POST); unset: meals wait
    /// pending until it is set.
    pub social_wallet_url: Option<String>,
    /// Bearer token for the Social Wallet.
    pub social_wallet_token: Option<Secret>,
    /// How often `adal serve` (with the job runner) and `adal worker` seal new audit events
    /// into the hash chain and publish the heads of ended days.
    pub audit_seal_ms: u64,
    /// The witness of the audit trail's day heads (HTTP POST of each head as JSON, answered
    /// by a receipt); unset: heads are only published at `/audit/heads`.
    pub audit_witness_url: Option<String>,
    /// Bearer token for the witness.
    pub audit_witness_token: Option<Secret>,
    /// Day of the month from which the schools' reports of the month before are prepared
    /// (1: on the 1st); 0: only on request.
    pub school_reports_day: u32,
    /// SMTP server, e.g. `smtps://user:password@mail.example.kz` or `smtp://127.0.0.1:2525`;
    /// unset: e-mail is reported as not configured.
    pub smtp_url: Option<Secret>,
    /// Sender address of e-mails.
    pub email_from: String,
    pub email_rate_per_sec: u32,
    /// Quiet hours (no SMS or push), local time: from this hour ...
    pub quiet_hours_start: u32,
    /// ... to this hour.
    pub quiet_hours_end: u32,
    /// Offset of local time from UTC, hours (Asia/Almaty: +5).
    pub quiet_hours_utc_offset: i32,
    /// A 511/512 reply counts within this time after the request was sent.
    pub consent_window_secs: i64,
    /// The ministry's employment-data interface (HTTP POST); unset: reported as not configured.
    pub ministry_url: Option<String>,
    pub ministry_token: Option<Secret>,
    /// Single sign-on: the issuer URL resources see (e.g. `https://adal.kz`); unset: the
    /// scheme and host of each request.
    pub sso_issuer: Option<String>,
    /// Single sign-on: the key of the pairwise subjects; unset: generated once into
    /// `<data_dir>/sso-subject.key`. Changing it changes every subject a resource knows.
    pub sso_subject_secret: Option<Secret>,
    /// Single sign-on: the key that seals the ID-token signing keys in the database; unset:
    /// generated once into `<data_dir>/sso-keys.key`. Keep it apart from the database's
    /// backups: without it the stored signing keys cannot sign (the next rotation replaces
    /// them).
    pub sso_key_secret: Option<Secret>,
    /// Single sign-on: a signing key older than this many days is retired when it would next
    /// sign, and a new one takes over; 0: only `adal sso rotate-key` rotates.
    pub sso_key_rotation_days: i64,
    /// Single sign-on: how long an authorization code may be exchanged.
    pub sso_code_ttl_secs: i64,
    /// Single sign-on: how long ID and access tokens for a resource live.
    pub sso_token_ttl_secs: i64,
    /// Single sign-on: how long the sign-in and consent pages of one request stay usable.
    pub sso_request_ttl_secs: i64,
    /// The clock rules read (tests move it; never a setting).
    #[serde(skip)]
    pub clock: crate::clock::Clock,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            database_max_connections: 10,
            web_dir: PathBuf::from("web/dist"),
            jwt_secret: None,
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 7 * 24 * 3600,
            session_max_age_secs: 30 * 24 * 3600,
            refresh_reuse_grace_secs: 15,
            open_figures_ttl_secs: 600,
            housekeeping_secs: 3600,
            trusted_proxies: String::new(),
            second_factor_roles: String::new(),
            login_max_failures: 5,
            login_window_secs: 15 * 60,
            login_lock_secs: 15 * 60,
            login_slowdown_ms: 250,
            max_body_bytes: 2 * 1024 * 1024,
            max_upload_bytes: 256 * 1024 * 1024,
            graphql_depth_limit: 12,
            graphql_complexity_limit: 20_000,
            graphql_max_root_fields: 20,
            graphql_max_aliases: 60,
            graphql_cost_per_minute: 400_000,
            graphql_requests_per_minute: 6_000,
            commission_quorum: 3,
            log_format: LogFormat::Pretty,
            log_level: "info".into(),
            metrics_allow: "127.0.0.1,::1".into(),
            job_runner: true,
            job_poll_ms: 1000,
            job_lease_secs: 60,
            notify_worker: true,
            notify_poll_ms: 500,
            notify_batch: 200,
            notify_concurrency: 32,
            notify_lease_secs: 120,
            notify_max_attempts: 6,
            notify_backoff_base_secs: 30,
            notify_backoff_max_secs: 3600,
            notify_timeout_ms: 10_000,
            sms_gateway_url: None,
            sms_gateway_token: None,
            sms_sender: "1414".into(),
            sms_rate_per_sec: 100,
            sms_max_segments: 3,
            sms_webhook_secret: None,
            push_gateway_url: None,
            push_gateway_token: None,
            push_rate_per_sec: 200,
            push_webhook_secret: None,
            post_gateway_url: None,
            post_gateway_token: None,
            post_rate_per_sec: 10,
            post_webhook_secret: None,
            payments_webhook_secret: None,
            audit_seal_ms: 2000,
            audit_witness_url: None,
            audit_witness_token: None,
            social_wallet_url: None,
            social_wallet_token: None,
            school_reports_day: 1,
            smtp_url: None,
            email_from: "Adal <noreply@adal.kz>".into(),
            email_rate_per_sec: 20,
            quiet_hours_start: 22,
            quiet_hours_end: 8,
            quiet_hours_utc_offset: 5,
            consent_window_secs: 15 * 60,
            ministry_url: None,
            ministry_token: None,
            sso_issuer: None,
            sso_subject_secret: None,
            sso_key_secret: None,
            sso_key_rotation_days: 30,
            sso_code_ttl_secs: 60,
            sso_token_ttl_secs: 600,
            sso_request_ttl_secs: 900,
            clock: crate::clock::Clock::default(),
        }
    }
}

/// Environment variables with the `ADAL_` prefix that are not settings (the test suite's
/// `ADAL_TEST_*`, the benchmark's `ADAL_BENCH_*`, the file path `ADAL_CONFIG`).
const NOT_SETTINGS: &[&str] = &["config"];
const NOT_SETTINGS_PREFIXES: &[&str] = &["test_", "bench_"];

impl Settings {
    /// Defaults, then the file, then the environment.
    pub fn load(config_file: Option<&Path>) -> anyhow::Result<Self> {
        let file = config_file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("ADAL_CONFIG").map(PathBuf::from));
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    anyhow::bail!("configuration file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file_exact(path));
            }
            None if Path::new("adal.toml").exists() => {
                figment = figment.merge(Toml::file_exact("adal.toml"));
            }
            None => {}
        }
        let env = Env::prefixed("ADAL_").filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            !NOT_SETTINGS.contains(&key.as_str())
                && !NOT_SETTINGS_PREFIXES.iter().any(|p| key.starts_with(p))
        });
        figment
            .merge(env)
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid settings: {e}"))
    }

    /// The database URL in force.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("adal.db").display()
            ),
        }
    }

    /// The database URL with any password replaced, for log lines.
    pub fn database_url_redacted(&self) -> String {
        redact_url(&self.database_url())
    }
}

fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_not_printed() {
        let s = Settings {
            jwt_secret: Some(Secret::new("top-secret-key")),
            database_url: Some(Secret::new("postgres://u:pw@h/db")),
            ..Settings::default()
        };
        let printed = format!("{s:?}");
        assert!(!printed.contains("top-secret-key"));
        assert!(!printed.contains("pw@"));
        assert_eq!(s.database_url_redacted(), "postgres://u:***@h/db");
    }

    #[test]
    fn defaults_use_sqlite_in_data_dir() {
        let s = Settings::default();
        assert_eq!(s.database_url(), "sqlite://data/adal.db?mode=rwc");
        assert_eq!(s.listen, "127.0.0.1:8080");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API
    fn file_and_environment_layers_and_unknown_keys() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "custom.toml",
                "listen = \"0.0.0.0:9000\"\nlog_level = \"debug\"",
            )?;
            jail.set_env("ADAL_LOG_LEVEL", "warn");
            jail.set_env("ADAL_TEST_DATABASE_URL", "ignored by settings");
            let s = Settings::load(Some(Path::new("custom.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(s.listen, "0.0.0.0:9000");
            assert_eq!(s.log_level, "warn");

            jail.create_file("bad.toml", "lisen = \"x\"")?;
            let err = Settings::load(Some(Path::new("bad.toml"))).unwrap_err();
            assert!(err.to_string().contains("lisen"), "{err}");

            jail.set_env("ADAL_DATABSE_URL", "typo");
            let err = Settings::load(Some(Path::new("custom.toml"))).unwrap_err();
            assert!(err.to_string().contains("databse_url"), "{err}");
            Ok(())
        });
    }
}
