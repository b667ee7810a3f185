//! Build helper for the workspace.
//!
//! * `cargo xtask build-web [--dev]`: compile every portal of `web` to wasm32 in one cargo
//!   call, run wasm-bindgen and wasm-opt per portal (two at a time, skipping unchanged ones),
//!   write `web/dist/<portal>/` and print each portal's size; fails when one is over its
//!   budget. `--dev`: no LTO, no wasm-opt, no gate (a quick build for development).
//! * `cargo xtask run [--dev] [ARGS]`: build-web, then `adal serve --seed-demo [ARGS]`, the
//!   server built in the dev profile (quick to build; the test command's cache).
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
/// The cargo profile of the quick development bundles (`--dev`).
const WASM_DEV_PROFILE: &str = "wasm-dev";

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
            let mode = match rest {
                [] => Mode::Release,
                [flag] if flag == "--dev" => Mode::Dev,
                _ => bail!("build-web takes no arguments but `--dev`"),
            };
            build_web(&ws, mode)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("run") => {
            let (mode, rest) = match rest.split_first() {
                Some((flag, rest)) if flag == "--dev" => (Mode::Dev, rest),
                _ => (Mode::Release, rest),
            };
            build_web(&ws, mode)?;
            // The server in the dev profile: a cold build takes minutes instead of the release
            // profile's twelve, and shares its cache with `cargo xtask test`.
            let mut c = ws.cargo();
            c.args(["run", "-p", "adal-server", "--bin", "adal", "--"]);
            c.args(["serve", "--seed-demo"]).args(rest);
            status(c)
        }
        Some("test") => {
            build_web(&ws, Mode::Release)?;
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
            build_web(&ws, Mode::Release)?;
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
         build-web [--dev] build every portal into web/dist/<portal>/, print each one's size,\n                   fail when one is over its budget (--dev: quick, unoptimised, not gated)\n  \
         run [--dev] [ARGS] build-web, then `adal serve --seed-demo [ARGS]` (the server in the dev profile)\n  \
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

/// How `build-web` builds: the release bundles (fat LTO, wasm-opt, size gate) or the quick
/// development ones (`--dev`: no LTO, no wasm-opt, sizes printed but not gated).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Release,
    Dev,
}

impl Mode {
    fn profile(self) -> &'static str {
        match self {
            Mode::Release => WASM_PROFILE,
            Mode::Dev => WASM_DEV_PROFILE,
        }
    }
}

/// One program of the web: its cargo binary (also its folder in `web/dist/` and the base
/// name of its files), the path it is served under, and its budget in bytes (brotli of wasm +
/// js + css + its largest language catalogue).
#[derive(Clone, Copy, Debug)]
struct Bundle {
    name: &'static str,
    /// A portal's own program is served under `/<name>`; a program nested in a portal (pages
    /// its phone budget could not hold beside the others: `adal_web::portal::NESTED`) under
    /// the portal's path, its folder named with `_` for `/` (`citizen_vouchers`:
    /// `/citizen/vouchers`).
    path: &'static str,
    budget: usize,
}

/// The portals, each served under `/<name>`, and the sign-in page (served at `/` and
/// `/login`, kept as small as the citizen portal: both open on phones).
const BUNDLES: [Bundle; 12] = [
    Bundle {
        name: "operator",
        path: "/operator",
        budget: 350 * 1024,
    },
    Bundle {
        name: "akimat",
        path: "/akimat",
        budget: 350 * 1024,
    },
    Bundle {
        name: "provider",
        path: "/provider",
        budget: 350 * 1024,
    },
    Bundle {
        name: "school",
        path: "/school",
        budget: 350 * 1024,
    },
    Bundle {
        name: "citizen",
        path: "/citizen",
        budget: 250 * 1024,
    },
    Bundle {
        name: "citizen_vouchers",
        path: "/citizen/vouchers",
        budget: 250 * 1024,
    },
    Bundle {
        name: "citizen_obligation",
        path: "/citizen/obligation",
        budget: 250 * 1024,
    },
    Bundle {
        name: "operator_rules",
        path: "/operator/rules",
        budget: 350 * 1024,
    },
    Bundle {
        name: "operator_templates",
        path: "/operator/templates",
        budget: 350 * 1024,
    },
    Bundle {
        name: "operator_oversight",
        path: "/operator/oversight",
        budget: 350 * 1024,
    },
    Bundle {
        name: "operator_reference",
        path: "/operator/reference",
        budget: 350 * 1024,
    },
    Bundle {
        name: "signin",
        path: "/signin",
        budget: 250 * 1024,
    },
];

/// The shared stylesheet's name in `web/dist/`.
const CSS_NAME: &str = "adal.css";
/// The site's icon, beside the style sheet (every page links it).
const ICON_NAME: &str = "favicon.svg";

fn build_web(ws: &Workspace, mode: Mode) -> Result<()> {
    ensure_wasm_target()?;
    let profile = mode.profile();

    // Every portal in one cargo call: dependencies and the shared crate compile once.
    eprintln!("xtask: compiling adal-web's portals for {WASM_TARGET} (profile {profile})");
    let mut c = ws.cargo();
    c.args([
        "build",
        "--bins",
        "-p",
        "adal-web",
        "--target",
        WASM_TARGET,
        "--profile",
        profile,
    ]);
    check(c)?;

    let web = ws.root.join("web");
    let template = fs::read_to_string(web.join("index.html")).context("reading web/index.html")?;
    // The page's start script is a file of its own: the portals' Content-Security-Policy
    // allows no inline script.
    let start = fs::read_to_string(web.join("start.js")).context("reading web/start.js")?;
    let templates = (template.as_str(), start.as_str());
    let css = fs::read(web.join("style").join(CSS_NAME)).context("reading web/style/adal.css")?;
    let dist = ws.dist();
    fs::create_dir_all(&dist)?;
    fs::write(dist.join(CSS_NAME), &css)?;
    fs::copy(web.join("style").join(ICON_NAME), dist.join(ICON_NAME))
        .context("copying web/style/favicon.svg")?;
    // Before the split, one bundle sat at the top of web/dist, and the catalogues were
    // shared by every bundle: remove their leftovers.
    for stale in ["index.html", "adal.js", "adal_bg.wasm"] {
        let f = dist.join(stale);
        if f.is_file() {
            fs::remove_file(&f)?;
        }
    }
    if dist.join("i18n").is_dir() {
        fs::remove_dir_all(dist.join("i18n"))?;
    }

    let wasm_opt = match mode {
        Mode::Release => {
            let found = wasm_opt(ws)?;
            if found.is_none() {
                eprintln!();
                eprintln!("xtask: WARNING: ******************************************************");
                eprintln!(
                    "xtask: WARNING: wasm-opt is unavailable (npm missing or install failed):"
                );
                eprintln!("xtask: WARNING: web/dist gets UNOPTIMISED wasm, far above the budgets.");
                eprintln!("xtask: WARNING: ******************************************************");
                eprintln!();
            }
            found
        }
        Mode::Dev => None,
    };

    // Bindgen and wasm-opt per bundle, two at a time (2 cores; each wasm-opt takes one).
    let job = |b: &Bundle| -> Result<()> {
        finish_bundle(ws, mode, profile, b, templates, wasm_opt.as_deref())
            .with_context(|| format!("bundle {}", b.name))
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(b) = BUNDLES.get(i) else { break };
                        out.push(job(b));
                    }
                    out
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(r) => r,
                Err(_) => vec![Err(anyhow!("a bundle worker panicked"))],
            })
            .collect()
    });
    for r in results {
        r?;
    }

    // Each bundle's own catalogues (after the bundles: a rebuilt bundle's folder is made
    // anew): the texts its code names, the others empty.
    let mut largest_texts = std::collections::HashMap::new();
    for b in &BUNDLES {
        let keys = keys_named(&web.join("src"), b.name)?;
        fs::create_dir_all(dist.join(b.name).join("i18n"))?;
        let mut largest = 0;
        for (code, json) in catalogues(&keys)? {
            largest = largest.max(brotli_len(json.as_bytes())?);
            fs::write(
                dist.join(b.name).join("i18n").join(format!("{code}.json")),
                json,
            )?;
        }
        largest_texts.insert(b.name, largest);
    }

    // Sizes and the gate.
    let css_br = brotli_len(&css)?;
    let mut sizes = Vec::new();
    for b in &BUNDLES {
        let dir = dist.join(b.name);
        // The wasm's size is remembered by its content: a bundle that did not change is not
        // compressed again (quality 11 takes seconds per bundle).
        let wasm = brotli_len_cached(
            &ws.target.join("brotli-sizes"),
            &fs::read(dir.join(format!("{}_bg.wasm", b.name)))?,
        )?;
        let js = brotli_len(&fs::read(dir.join(format!("{}.js", b.name)))?)?;
        sizes.push(BundleSize {
            name: b.name,
            wasm,
            js,
            css: css_br,
            texts: largest_texts.get(b.name).copied().unwrap_or(0),
            budget: b.budget,
        });
    }
    eprintln!("{}", size_table(&sizes));
    match mode {
        Mode::Release => check_budgets(&sizes).map_err(|e| anyhow!(e)),
        Mode::Dev => {
            eprintln!("xtask: --dev bundles (no LTO, no wasm-opt): sizes are not gated");
            Ok(())
        }
    }
}

/// Bindgen, wasm-opt and `index.html` of one bundle into `web/dist/<name>/`, skipped when
/// nothing it is made of changed since it was last written.
fn finish_bundle(
    ws: &Workspace,
    mode: Mode,
    profile: &str,
    b: &Bundle,
    (template, start_template): (&str, &str),
    wasm_opt: Option<&Path>,
) -> Result<()> {
    let input = ws
        .target
        .join(WASM_TARGET)
        .join(profile)
        .join(format!("{}.wasm", b.name));
    let wasm = fs::read(&input).with_context(|| format!("reading {}", input.display()))?;
    let index = index_html(template, b);
    let start = index_html(start_template, b);
    let stamp_value = {
        let mut h = DefaultHasher::new();
        (
            env!("CARGO_PKG_VERSION"),
            BINARYEN_NPM,
            wasm_opt.is_some(),
            &wasm,
            &index,
            &start,
        )
            .hash(&mut h);
        format!("{:016x}", h.finish())
    };
    let stamp = ws.target.join(format!("web-bundle-{}.stamp", b.name));
    let out = ws.dist().join(b.name);
    let bg = format!("{}_bg.wasm", b.name);
    let up_to_date = fs::read_to_string(&stamp).is_ok_and(|s| s == stamp_value)
        && ["index.html", "start.js", &format!("{}.js", b.name), &bg]
            .iter()
            .all(|f| out.join(f).is_file());
    if up_to_date {
        eprintln!("xtask: {}: up to date", b.name);
        return Ok(());
    }

    let staging = ws.target.join("web-bindgen").join(b.name);
    if staging.exists() {
        fs::remove_dir_all(&staging).context("clearing the bindgen staging folder")?;
    }
    fs::create_dir_all(&staging)?;
    eprintln!("xtask: {}: wasm-bindgen", b.name);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .out_name(b.name)
        .web(true)?
        .omit_default_module_path(false)
        .typescript(false)
        .debug(false)
        .generate(&staging)
        .context("wasm-bindgen")?;

    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("clearing {}", out.display()))?;
    }
    copy_dir(&staging, &out)?;
    if let Some(wasm_opt) = wasm_opt {
        eprintln!("xtask: {}: wasm-opt -Oz", b.name);
        let mut c = Command::new(wasm_opt);
        c.arg(staging.join(&bg)).arg("-o").arg(out.join(&bg));
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
    } else if mode == Mode::Release {
        eprintln!("xtask: {}: no wasm-opt, the wasm stays unoptimised", b.name);
    }
    fs::write(out.join("index.html"), index)?;
    fs::write(out.join("start.js"), start)?;
    fs::write(&stamp, &stamp_value)?;
    Ok(())
}

/// A bundle's page from `web/index.html` (or its start script from `web/start.js`): a template with the bundle's path (`{path}`: where its files are served), its files' base
/// name (`{name}`) and the program's name as the page tells it to the code (`{program}`: the
/// path without its slash; the texts are loaded from `/{program}/i18n/`).
fn index_html(template: &str, b: &Bundle) -> String {
    template
        .replace("{path}", b.path)
        .replace("{name}", b.name)
        .replace("{program}", b.path.trim_start_matches('/'))
}

/// A bundle's brotli sizes in bytes, as a page downloads it.
#[derive(Clone, Copy, Debug)]
struct BundleSize {
    name: &'static str,
    wasm: usize,
    js: usize,
    css: usize,
    /// The largest language catalogue (a page loads one).
    texts: usize,
    budget: usize,
}

impl BundleSize {
    fn total(&self) -> usize {
        self.wasm + self.js + self.css + self.texts
    }
}

fn kb(n: usize) -> f64 {
    n as f64 / 1024.0
}

/// The size of each bundle against its budget, one line each.
fn size_table(sizes: &[BundleSize]) -> String {
    let mut out =
        String::from("xtask: bundle sizes, brotli (wasm + js + css + largest language's texts):\n");
    for s in sizes {
        let verdict = if s.total() <= s.budget { "ok" } else { "OVER" };
        out.push_str(&format!(
            "  {:<16} {:>6.1} KB of {:>3} KB {verdict:<4} (wasm {:.1} + js {:.1} + css {:.1} + texts {:.1})\n",
            s.name,
            kb(s.total()),
            s.budget / 1024,
            kb(s.wasm),
            kb(s.js),
            kb(s.css),
            kb(s.texts),
        ));
    }
    out
}

/// The gate: every bundle within its budget, else an error naming each one over it.
fn check_budgets(sizes: &[BundleSize]) -> Result<(), String> {
    let over: Vec<String> = sizes
        .iter()
        .filter(|s| s.total() > s.budget)
        .map(|s| {
            format!(
                "{} is {:.1} KB, over its {} KB budget by {:.1} KB",
                s.name,
                kb(s.total()),
                s.budget / 1024,
                kb(s.total() - s.budget)
            )
        })
        .collect();
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "web bundles over budget (brotli of wasm + js + css + largest catalogue): {}",
            over.join("; ")
        ))
    }
}

/// The interface texts of one bundle as the browser loads them: `(language code, JSON array
/// of the texts in `Key::ALL` order)`, one per language. The texts of keys the bundle's code
/// does not name are empty, so that a page downloads only its own portal's texts while every
/// catalogue keeps the one order the code indexes.
fn catalogues(keys: &std::collections::HashSet<String>) -> Result<Vec<(&'static str, String)>> {
    adal_i18n::CATALOGUES
        .iter()
        .map(|(code, text)| {
            let texts: Vec<&str> = adal_i18n::Key::ALL
                .iter()
                .map(|k| {
                    if keys.contains(&format!("{k:?}")) {
                        text(*k)
                    } else {
                        ""
                    }
                })
                .collect();
            Ok((*code, serde_json::to_string(&texts)?))
        })
        .collect()
}

/// The keys a bundle's code names as `Key::Name`: in its own folder `web/src/bin/<bundle>/`,
/// in the modules of the shared library it reaches ([`shared_modules_reached`]), and in the
/// helpers of the texts crate. A key reached any other way (a glob import of the variants, a
/// renamed import) would be missed and show empty, so such an import fails the build.
fn keys_named(web_src: &Path, bundle: &str) -> Result<std::collections::HashSet<String>> {
    let mut files = Vec::new();
    rust_files(&web_src.join("bin").join(bundle), &mut |_| true, &mut files)?;
    files.extend(shared_modules_reached(web_src, &files)?);
    files.push(web_src.join("..").join("i18n").join("src").join("lib.rs"));
    let mut keys = std::collections::HashSet::new();
    for f in files {
        let text = fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
        for bad in ["Key::*", "Key::{", "Key as "] {
            if text.contains(bad) {
                bail!(
                    "{}: `{bad}` hides which texts the code names (build-web keeps in each \
                     portal's catalogue only the keys written as `Key::Name`)",
                    f.display()
                );
            }
        }
        let mut rest = text.as_str();
        while let Some(at) = rest.find("Key::") {
            rest = &rest[at + "Key::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                keys.insert(name);
            }
        }
    }
    Ok(keys)
}

/// The files of the shared library's modules (`web/src/<m>.rs` or `web/src/<m>/`) that the
/// `start` files reach, directly or through each other: a module is reached where a reached
/// file names it after `crate::` or `adal_web::`, alone or in a `{...}` group. A bundle's
/// catalogue then holds the texts of the shared pages it can show, not of every one (the
/// operator's program does not carry the resources desk's texts). A glob import of the library
/// (`adal_web::*`, `crate::*`) reaches every module.
fn shared_modules_reached(web_src: &Path, start: &[PathBuf]) -> Result<Vec<PathBuf>> {
    // The modules: name and files.
    let mut modules: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for entry in fs::read_dir(web_src).with_context(|| format!("reading {}", web_src.display()))? {
        let path = entry?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.is_dir() && stem != "bin" {
            let mut files = Vec::new();
            rust_files(&path, &mut |_| true, &mut files)?;
            modules.push((stem, files));
        } else if path.extension().is_some_and(|e| e == "rs") && stem != "lib" {
            modules.push((stem, vec![path]));
        }
    }
    let mut reached: Vec<bool> = vec![false; modules.len()];
    let mut queue: Vec<PathBuf> = start.to_vec();
    while let Some(file) = queue.pop() {
        let text =
            fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        let names = library_paths_named(&text);
        for (i, (name, files)) in modules.iter().enumerate() {
            if !reached[i] && (names.contains(name) || names.contains("*")) {
                reached[i] = true;
                queue.extend(files.iter().cloned());
            }
        }
    }
    Ok(modules
        .into_iter()
        .zip(reached)
        .filter(|(_, r)| *r)
        .flat_map(|((_, files), _)| files)
        .collect())
}

/// The first segments of the paths a source names under `crate::` or `adal_web::` (every
/// word of a `{...}` group; `*` for a glob).
fn library_paths_named(text: &str) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    for prefix in ["crate::", "adal_web::"] {
        let mut rest = text;
        while let Some(at) = rest.find(prefix) {
            rest = &rest[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // Every word up to the group's closing brace (nested groups included).
                let mut depth = 1;
                let end = group
                    .char_indices()
                    .find(|&(_, c)| {
                        match c {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map_or(group.len(), |(i, _)| i);
                for word in group[..end]
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '*'))
                {
                    if !word.is_empty() {
                        names.insert(word.to_owned());
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '*')
                    .collect();
                names.insert(name);
            }
        }
    }
    names
}

/// Every `.rs` file under `dir` whose path `keep` accepts (folders included).
fn rust_files(
    dir: &Path,
    keep: &mut dyn FnMut(&Path) -> bool,
    out: &mut Vec<PathBuf>,
) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if !keep(&path) {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, keep, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// [`brotli_len`], kept in `dir` under a hash of `data`.
fn brotli_len_cached(dir: &Path, data: &[u8]) -> Result<usize> {
    let mut h = DefaultHasher::new();
    data.hash(&mut h);
    let file = dir.join(format!("{:016x}-{}", h.finish(), data.len()));
    if let Some(n) = fs::read_to_string(&file)
        .ok()
        .and_then(|s| s.trim().parse().ok())
    {
        return Ok(n);
    }
    let n = brotli_len(data)?;
    fs::create_dir_all(dir)?;
    fs::write(&file, n.to_string())?;
    Ok(n)
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
    fn the_library_modules_a_source_names_are_found_in_paths_and_groups() {
        let names = library_paths_named(
            "use adal_web::{api, gql::{Role, school}, ui};\n\
             use crate::pages::common::today;\n\
             fn f() { crate::sso::ResourcesDesk; adal_web::shell::start(App); }",
        );
        for m in ["api", "gql", "ui", "pages", "sso", "shell"] {
            assert!(names.contains(m), "{m} in {names:?}");
        }
        // A word that only reads like a module (a path in a string) is not a module named.
        assert!(!library_paths_named("\"/operator/oversight/contests\"").contains("contests"));
        assert!(library_paths_named("use adal_web::*;").contains("*"));
    }

    #[test]
    fn the_operator_program_does_not_carry_the_texts_of_pages_it_cannot_show() {
        let web_src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src");
        let operator = keys_named(&web_src, "operator").unwrap();
        let oversight = keys_named(&web_src, "operator_oversight").unwrap();
        let school = keys_named(&web_src, "school").unwrap();
        // The resources desk (web/src/sso.rs) is in the operator's nested oversight program and
        // in the school's, not in the operator's own; the navigation's labels are everywhere.
        assert!(
            !operator.contains("SsoRegister"),
            "operator carries the desk's texts"
        );
        assert!(oversight.contains("SsoRegister") && school.contains("SsoRegister"));
        assert!(operator.contains("NavDashboard") && school.contains("NavDashboard"));
    }

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

    fn size(name: &'static str, wasm: usize, budget: usize) -> BundleSize {
        BundleSize {
            name,
            wasm,
            js: 10 * 1024,
            css: 5 * 1024,
            texts: 15 * 1024,
            budget,
        }
    }

    #[test]
    fn the_gate_passes_bundles_within_their_budgets() {
        let sizes = [
            size("operator", 320 * 1024, 350 * 1024),
            // Exactly at the budget is within it.
            size("citizen", 220 * 1024, 250 * 1024),
        ];
        assert_eq!(check_budgets(&sizes), Ok(()));
        assert!(!size_table(&sizes).contains("OVER"));
    }

    #[test]
    fn the_gate_fails_a_bundle_over_its_budget_and_names_it() {
        let sizes = [
            size("operator", 300 * 1024, 350 * 1024),
            size("citizen", 221 * 1024, 250 * 1024),
        ];
        let err = check_budgets(&sizes).err().unwrap_or_default();
        assert!(
            err.contains("citizen is 251.0 KB, over its 250 KB budget by 1.0 KB"),
            "{err}"
        );
        assert!(!err.contains("operator"), "{err}");
        assert!(size_table(&sizes).contains("OVER"));
    }

    #[test]
    fn every_portal_has_a_bundle_with_its_budget() {
        let budget = |n: &str| BUNDLES.iter().find(|b| b.name == n).map(|b| b.budget);
        for p in ["operator", "akimat", "provider", "school"] {
            assert_eq!(budget(p), Some(350 * 1024), "{p}");
        }
        assert_eq!(budget("citizen"), Some(250 * 1024));
        assert_eq!(budget("signin"), Some(250 * 1024));
    }

    #[test]
    fn every_program_nested_in_a_portal_has_a_bundle() {
        let portal = include_str!("../../web/src/portal.rs");
        let nested = portal
            .split("pub const NESTED: &[&str] = &[")
            .nth(1)
            .and_then(|rest| rest.split("];").next())
            .unwrap_or_default();
        let programs: Vec<&str> = nested.split('"').skip(1).step_by(2).collect();
        assert!(programs.len() >= 5, "{programs:?}");
        for p in programs {
            let bundle = BUNDLES.iter().find(|b| b.path == format!("/{p}"));
            assert_eq!(
                bundle.map(|b| b.name.to_owned()),
                Some(p.replace('/', "_")),
                "{p}"
            );
        }
    }

    #[test]
    fn each_page_loads_its_own_bundle() {
        let bundle = |name: &str| BUNDLES.iter().find(|b| b.name == name).unwrap();
        let template = r#"<meta name="adal-program" content="{program}"> "{path}/{name}.js""#;
        assert_eq!(
            index_html(template, bundle("school")),
            r#"<meta name="adal-program" content="school"> "/school/school.js""#
        );
        // A program nested in a portal is served under the portal's path.
        assert_eq!(
            index_html(template, bundle("citizen_vouchers")),
            r#"<meta name="adal-program" content="citizen/vouchers"> "/citizen/vouchers/citizen_vouchers.js""#
        );
    }

    #[test]
    fn brotli_shrinks_repetitive_data() -> Result<()> {
        let data = vec![b'a'; 100_000];
        let n = brotli_len(&data)?;
        assert!(n > 0 && n < 1_000, "{n}");
        Ok(())
    }

    #[test]
    fn a_remembered_size_is_the_size_of_the_same_content() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let a = vec![b'a'; 100_000];
        let b: Vec<u8> = (0..100_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(brotli_len_cached(dir.path(), &a)?, brotli_len(&a)?);
        // Read back from the file, and a different content is not taken for it.
        assert_eq!(brotli_len_cached(dir.path(), &a)?, brotli_len(&a)?);
        assert_eq!(brotli_len_cached(dir.path(), &b)?, brotli_len(&b)?);
        assert_eq!(fs::read_dir(dir.path())?.count(), 2);
        Ok(())
    }
}
