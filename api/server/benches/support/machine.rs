//! The conditions of a bench run, so that a figure says what the machine was doing: cores,
//! load averages, and the CPU time of the machine and of the bench (with the children it has
//! waited for) over a step, from Linux's `/proc` (clock ticks of 1/100 s, Linux's `USER_HZ`).
//! Elsewhere the figures read as unknown.

use std::time::{Duration, Instant};

const TICKS_PER_SEC: f64 = 100.0;

pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(0, usize::from)
}

/// The 1, 5 and 15 minute load averages, as /proc/loadavg says them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// CPU ticks so far: the machine's busy ones, and this process's own with its waited-for
/// children's.
#[derive(Clone, Copy)]
pub struct Ticks {
    at: Instant,
    busy: Option<u64>,
    own: Option<u64>,
}

pub fn ticks() -> Ticks {
    let busy = std::fs::read_to_string("/proc/stat").ok().and_then(|s| {
        let line = s.lines().next()?;
        let v: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|x| x.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal: all but idle and iowait.
        Some(v.iter().take(8).sum::<u64>() - v.get(3)? - v.get(4)?)
    });
    let own = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // After the command's closing parenthesis: fields 3.. of proc(5); utime, stime,
            // cutime and cstime are fields 14 to 17.
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<u64> = rest
                .split_whitespace()
                .skip(11)
                .take(4)
                .filter_map(|x| x.parse().ok())
                .collect();
            (f.len() == 4).then(|| f.iter().sum())
        });
    Ticks {
        at: Instant::now(),
        busy,
        own,
    }
}

/// What the CPUs did between two samples: wall time, and cores busy on average (the whole
/// machine, and this process with its waited-for children).
#[derive(Clone, Copy)]
pub struct Span {
    pub wall: Duration,
    pub machine_cores: Option<f64>,
    pub own_cores: Option<f64>,
}

impl Span {
    pub fn between(a: Ticks, b: Ticks) -> Self {
        let wall = b.at - a.at;
        let cores = |x: Option<u64>, y: Option<u64>| {
            Some((y?.saturating_sub(x?)) as f64 / TICKS_PER_SEC / wall.as_secs_f64().max(1e-9))
        };
        Self {
            wall,
            machine_cores: cores(a.busy, b.busy),
            own_cores: cores(a.own, b.own),
        }
    }

    pub fn describe(&self) -> String {
        let c = |x: Option<f64>| x.map_or("unknown".into(), |v| format!("{v:.2}"));
        format!(
            "{:.1} s wall; cores busy on average: machine {}, this bench {}",
            self.wall.as_secs_f64(),
            c(self.machine_cores),
            c(self.own_cores)
        )
    }
}

/// How much of a core the machine was busy with while this bench did nothing: samples of
/// two seconds until one is under `quiet` cores or `most` has passed. Returns the last
/// sample's cores (`None` where /proc/stat cannot be read) and the time waited.
pub async fn wait_for_quiet(quiet: f64, most: Duration) -> (Option<f64>, Duration) {
    let started = Instant::now();
    loop {
        let a = ticks();
        tokio::time::sleep(Duration::from_secs(2)).await;
        let busy = Span::between(a, ticks()).machine_cores;
        match busy {
            Some(b) if b >= quiet && started.elapsed() < most => continue,
            _ => return (busy, started.elapsed()),
        }
    }
}
