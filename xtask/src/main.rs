//! Build helper for the workspace.
//!
//! * `cargo xtask build-web`: compile `web` to wasm32, run wasm-bindgen and wasm-opt, write
//!   `web/dist/` and print the bundle size against the budget.
//! * `cargo xtask run [ARGS]`: build-web, then `adal serve --seed-demo [ARGS]`, the server
//!   built in the dev profile (quick to build; the test command's cache).
//! * `cargo xtask dist`: build-web, then the fully optimised `adal` in `target/release/`.
//! * `cargo xtask test [ARGS]`: build-web, then `cargo test [ARGS]` (the default members)
//!   and, without ARGS, the web app's unit tests on the host.

use std::collections::hash_map::DefaultHasher;
use std::env;
use std::ffi::OsString;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, anyhow, bail};

/// The wasm target the web app compiles to.
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The cargo profile of the release bundle (defined in the root Cargo.toml).
const WASM_PROFILE: &str = "wasm-release";
/// The npm package that ships a current wasm-opt; pinned for reproducible bundles.
const BINARYEN_NPM: &str = "binaryen@132.0.0";
/// Debian's wasm-opt 108 silently corrupts current wasm-bindgen output: refuse anything older.
const MIN_WASM_OPT_VERSION: u32 = 116;
/// The bundle budget: brotli-compressed wasm + js + css.
const BUDGET_BYTES: usize = 350 * 1024;
/// Base name of the generated files in `web/dist/`.
const OUT_NAME: &str = "adal";

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[OsString]) -> Result<ExitCode> {
    let Some((cmd, rest)) = args.split_first() else {
        print_usage();
        return Ok(ExitCode::FAILURE);
    };
    let ws = Workspace::locate()?;
    match cmd.to_str() {
        Some("build-web") => {
            if !rest.is_empty() {
                bail!("build-web takes no arguments");
            }
            build_web(&ws)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("run") => {
            build_web(&ws)?;
            // The dev profile: a cold build of the server takes a few minutes instead of the
            // release profile's twelve, and shares its cache with `cargo xtask test`.
            let mut c = ws.cargo();
            c.args(["run", "-p", "adal-server", "--bin", "adal", "--"]);
            c.args(["serve", "--seed-demo"]).args(rest);
            status(c)
        }
        Some("test") => {
            build_web(&ws)?;
            let mut c = ws.cargo();
            c.arg("test").args(rest);
            let code = status(c)?;
            if code != ExitCode::SUCCESS || !rest.is_empty() {
                return Ok(code);
            }
            // `web` is not a default member (it targets wasm32); its pure logic (BIN check,
            // formatting, catalogues, schema enums) is tested on the host.
            let mut c = ws.cargo();
            c.args(["test", "-p", "adal-web"]);
            status(c)
        }
        Some("dist") => {
            if !rest.is_empty() {
                bail!("dist takes no arguments");
            }
            build_web(&ws)?;
            let mut c = ws.cargo();
            c.args(["build", "--release", "-p", "adal-server", "--bin", "adal"]);
            let code = status(c)?;
            if code == ExitCode::SUCCESS {
                println!(
                    "release build: target/release/adal (serve web/dist with it, or set ADAL_WEB_DIR)"
                );
            }
            Ok(code)
        }
        Some("help" | "--help" | "-h") => {
            print_usage();
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            print_usage();
            bail!("unknown command {cmd:?}")
        }
    }
}

fn print_usage() {
    eprintln!(
        "usage: cargo xtask <command>\n\n\
         commands:\n  \
         build-web        build the web app into web/dist/ (wasm, js glue, css, index.html)\n  \
         run [ARGS]       build-web, then `adal serve --seed-demo [ARGS]` (dev profile: quick to build)\n  \
         dist             build-web, then the fully optimised `adal` (target/release/adal)\n  \
         test [ARGS]      build-web, then `cargo test [ARGS]` (environment passed through;\n                   without ARGS also the web app's unit tests: `cargo test -p adal-web`)"
    );
}

/// Runs a command to completion and turns its exit status into ours.
fn status(mut c: Command) -> Result<ExitCode> {
    let st = c.status().with_context(|| format!("cannot start {c:?}"))?;
    if st.success() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("xtask: {:?} failed: {st}", c.get_program());
        Ok(ExitCode::FAILURE)
    }
}

/// Runs a command and fails unless it succeeds.
fn check(mut c: Command) -> Result<()> {
    let st = c.status().with_context(|| format!("cannot start {c:?}"))?;
    if !st.success() {
        bail!("{c:?} failed: {st}");
    }
    Ok(())
}

struct Workspace {
    root: PathBuf,
    target: PathBuf,
}

impl Workspace {
    fn locate() -> Result<Self> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or_else(|| anyhow!("xtask has no parent folder"))?
            .to_path_buf();
        let target = match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => {
                let dir = PathBuf::from(dir);
                if dir.is_absolute() {
                    dir
                } else {
                    root.join(dir)
                }
            }
            _ => root.join("target"),
        };
        Ok(Self { root, target })
    }

    fn cargo(&self) -> Command {
        let mut c = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        c.current_dir(&self.root);
        c
    }

    fn dist(&self) -> PathBuf {
        self.root.join("web").join("dist")
    }
}

fn build_web(ws: &Workspace) -> Result<()> {
    ensure_wasm_target()?;

    eprintln!("xtask: compiling adal-web for {WASM_TARGET} (profile {WASM_PROFILE})");
    let mut c = ws.cargo();
    c.args([
        "build",
        "-p",
        "adal-web",
        "--target",
        WASM_TARGET,
        "--profile",
        WASM_PROFILE,
    ]);
    check(c)?;

    let input = ws
        .target
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join("adal-web.wasm");
    let web = ws.root.join("web");
    let index = fs::read(web.join("index.html")).context("reading web/index.html")?;
    let css = fs::read(web.join("style").join("adal.css")).context("reading web/style/adal.css")?;
    let wasm = fs::read(&input).with_context(|| format!("reading {}", input.display()))?;
    let catalogues = catalogues()?;

    // Skip bindgen and wasm-opt when nothing changed since the last bundle (a no-op rebuild).
    let stamp_value = {
        let mut h = DefaultHasher::new();
        (
            env!("CARGO_PKG_VERSION"),
            BINARYEN_NPM,
            &wasm,
            &index,
            &css,
            &catalogues,
        )
            .hash(&mut h);
        format!("{:016x}", h.finish())
    };
    let stamp = ws.target.join("web-bundle.stamp");
    let dist = ws.dist();
    let mut outputs = vec![
        "index.html".to_string(),
        format!("{OUT_NAME}.js"),
        format!("{OUT_NAME}_bg.wasm"),
        format!("{OUT_NAME}.css"),
    ];
    outputs.extend(catalogues.iter().map(|(name, _)| name.clone()));
    let up_to_date = fs::read_to_string(&stamp).is_ok_and(|s| s == stamp_value)
        && outputs.iter().all(|f| dist.join(f).is_file());
    if up_to_date {
        eprintln!("xtask: web/dist is up to date");
        report_sizes(&dist, wasm.len(), None)?;
        return Ok(());
    }

    // wasm-bindgen into a staging folder under target/.
    let staging = ws.target.join("web-bindgen");
    if staging.exists() {
        fs::remove_dir_all(&staging).context("clearing the bindgen staging folder")?;
    }
    fs::create_dir_all(&staging)?;
    eprintln!("xtask: wasm-bindgen");
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .out_name(OUT_NAME)
        .web(true)?
        .omit_default_module_path(false)
        .typescript(false)
        .debug(false)
        .generate(&staging)
        .context("wasm-bindgen")?;

    let bg = format!("{OUT_NAME}_bg.wasm");
    let bindgen_wasm = staging.join(&bg);
    let bindgen_size = fs::metadata(&bindgen_wasm)?.len();

    // Fresh dist folder: everything bindgen wrote (glue, snippets), then our files.
    if dist.exists() {
        fs::remove_dir_all(&dist).context("clearing web/dist")?;
    }
    copy_dir(&staging, &dist)?;
    match wasm_opt(ws)? {
        Some(wasm_opt) => {
            eprintln!("xtask: wasm-opt -Oz");
            let mut c = Command::new(&wasm_opt);
            c.arg(&bindgen_wasm).arg("-o").arg(dist.join(&bg));
            c.args(["-Oz", "--strip-debug", "--strip-producers"]);
            // The features rustc enables by default for wasm32-unknown-unknown.
            c.args([
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-sign-ext",
                "--enable-nontrapping-float-to-int",
                "--enable-reference-types",
                "--enable-multivalue",
            ]);
            check(c)?;
        }
        None => {
            eprintln!();
            eprintln!("xtask: WARNING: ********************************************************");
            eprintln!("xtask: WARNING: wasm-opt is unavailable (npm missing or install failed):");
            eprintln!("xtask: WARNING: web/dist gets the UNOPTIMISED wasm, far above the budget.");
            eprintln!("xtask: WARNING: ********************************************************");
            eprintln!();
        }
    }
    fs::write(dist.join(format!("{OUT_NAME}.css")), &css)?;
    fs::write(dist.join("index.html"), &index)?;
    fs::create_dir_all(dist.join("i18n"))?;
    for (name, json) in &catalogues {
        fs::write(dist.join(name), json)?;
    }
    fs::write(&stamp, &stamp_value)?;

    report_sizes(&dist, wasm.len(), Some(bindgen_size))
}

/// The interface texts as the browser loads them: `(path in dist, JSON array of the texts
/// in `Key::ALL` order)`, one file per language.
fn catalogues() -> Result<Vec<(String, String)>> {
    adal_i18n::CATALOGUES
        .iter()
        .map(|(code, text)| {
            let texts: Vec<&str> = adal_i18n::Key::ALL.iter().map(|k| text(*k)).collect();
            Ok((format!("i18n/{code}.json"), serde_json::to_string(&texts)?))
        })
        .collect()
}

/// Prints the raw and brotli sizes of the bundle against the budget. A page loads the wasm,
/// the js, the css and the texts of one language: the budget counts the largest catalogue.
fn report_sizes(dist: &Path, cargo_wasm: usize, bindgen_wasm: Option<u64>) -> Result<()> {
    let wasm = fs::read(dist.join(format!("{OUT_NAME}_bg.wasm")))?;
    let js = fs::read(dist.join(format!("{OUT_NAME}.js")))?;
    let css = fs::read(dist.join(format!("{OUT_NAME}.css")))?;
    let (bw, bj, bc) = (brotli_len(&wasm)?, brotli_len(&js)?, brotli_len(&css)?);
    let mut bt = 0;
    for (code, _) in adal_i18n::CATALOGUES {
        bt = bt.max(brotli_len(&fs::read(
            dist.join("i18n").join(format!("{code}.json")),
        )?)?);
    }
    let total = bw + bj + bc + bt;
    let kb = |n: usize| n as f64 / 1024.0;
    eprintln!("xtask: bundle in {}", dist.display());
    eprintln!("  wasm from cargo      {:>9.1} KB", kb(cargo_wasm));
    if let Some(b) = bindgen_wasm {
        eprintln!("  wasm after bindgen   {:>9.1} KB", kb(b as usize));
    }
    eprintln!("  wasm in dist (raw)   {:>9.1} KB", kb(wasm.len()));
    eprintln!(
        "  brotli: wasm {:.1} KB + js {:.1} KB + css {:.1} KB + texts {:.1} KB (largest language)",
        kb(bw),
        kb(bj),
        kb(bc),
        kb(bt)
    );
    let verdict = if total <= BUDGET_BYTES {
        "within"
    } else {
        "OVER"
    };
    eprintln!(
        "  brotli total         {:>9.1} KB ({verdict} the {} KB budget)",
        kb(total),
        BUDGET_BYTES / 1024
    );
    Ok(())
}

fn brotli_len(data: &[u8]) -> Result<usize> {
    let mut out = Vec::with_capacity(data.len() / 3);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(data)?;
        w.flush()?;
    }
    Ok(out.len())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

/// Adds the wasm32 target with rustup when it is missing.
fn ensure_wasm_target() -> Result<()> {
    let Ok(out) = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
    else {
        eprintln!("xtask: rustup not found; assuming {WASM_TARGET} is installed");
        return Ok(());
    };
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    eprintln!("xtask: rustup target add {WASM_TARGET}");
    let mut c = Command::new("rustup");
    c.args(["target", "add", WASM_TARGET]);
    check(c)
}

/// Finds (installing with npm if needed) a wasm-opt recent enough to trust.
/// `Ok(None)` when npm is unavailable or the install fails.
fn wasm_opt(ws: &Workspace) -> Result<Option<PathBuf>> {
    let prefix = ws.target.join("binaryen");
    let bin = prefix.join("node_modules").join(".bin").join("wasm-opt");
    if !bin.is_file() {
        eprintln!(
            "xtask: npm install --prefix {} {BINARYEN_NPM}",
            prefix.display()
        );
        fs::create_dir_all(&prefix)?;
        let st = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(BINARYEN_NPM)
            .status();
        match st {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("xtask: npm install {BINARYEN_NPM} failed: {s}");
                return Ok(None);
            }
            Err(e) => {
                eprintln!("xtask: cannot run npm: {e}");
                return Ok(None);
            }
        }
    }
    let out = Command::new(&bin)
        .arg("--version")
        .output()
        .with_context(|| format!("running {} --version", bin.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = parse_wasm_opt_version(&text)
        .ok_or_else(|| anyhow!("cannot read the wasm-opt version from {text:?}"))?;
    if version < MIN_WASM_OPT_VERSION {
        bail!(
            "wasm-opt version {version} at {} is older than {MIN_WASM_OPT_VERSION} \
             and corrupts current wasm-bindgen output; delete {} and rerun",
            bin.display(),
            prefix.display()
        );
    }
    Ok(Some(bin))
}

/// Reads `N` out of `wasm-opt version N (version_N)`.
fn parse_wasm_opt_version(text: &str) -> Option<u32> {
    let rest = text.trim().strip_prefix("wasm-opt version ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wasm_opt_versions() {
        assert_eq!(
            parse_wasm_opt_version("wasm-opt version 132 (version_132)\n"),
            Some(132)
        );
        assert_eq!(parse_wasm_opt_version("wasm-opt version 108"), Some(108));
        assert_eq!(parse_wasm_opt_version("binaryen 132"), None);
        assert_eq!(parse_wasm_opt_version("wasm-opt version x"), None);
    }

    #[test]
    fn brotli_shrinks_repetitive_data() -> Result<()> {
        let data = vec![b'a'; 100_000];
        let n = brotli_len(&data)?;
        assert!(n > 0 && n < 1_000, "{n}");
        Ok(())
    }
}
