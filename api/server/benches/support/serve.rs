//! A real `adal serve` started by a bench: the child process, its address, its memory.
//! Included by the benches that load a running server (`#[path]`, one copy of the code).

use std::process::Stdio;

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The server under load: the child process and its address.
pub struct Server {
    pub child: tokio::process::Child,
    pub pid: u32,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

impl Server {
    /// Starts `cmd` (an `adal serve` command with the settings the bench means) listening on
    /// 127.0.0.1 at a port the system picks and logging errors only, and waits for the line
    /// that says where it runs. The child is killed when the `Server` is dropped.
    pub async fn start(mut cmd: tokio::process::Command) -> anyhow::Result<Self> {
        cmd.env("ADAL_LISTEN", "127.0.0.1:0")
            .env("ADAL_LOG_LEVEL", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        let mut child = cmd.spawn().context("cannot start adal serve")?;
        let pid = child.id().context("adal serve has no pid")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next_line()
                .await?
                .context("adal serve stopped before it was running")?;
            if let Some(rest) = line.strip_prefix("Adal is running: open ") {
                let url = rest.split_whitespace().next().unwrap_or_default();
                break url.trim_end_matches('/').to_owned();
            }
        };
        // Keep reading its output so that it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { child, pid, base })
    }

    /// The server's peak resident memory so far, in MiB.
    pub fn peak_mib(&self) -> f64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid)).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }
}
