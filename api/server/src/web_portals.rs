//! The web portals as `cargo xtask build-web` writes them into the web folder
//! (`ADAL_WEB_DIR`, default `web/dist`), one program per portal:
//!
//! ```text
//! web/dist/adal.css, favicon.svg                      shared by every portal
//! web/dist/signin/index.html, signin.js, i18n/...     the sign-in page: `/`, `/login`,
//!                                                     `/security`, and `/open` (open figures)
//! web/dist/<portal>/index.html, <portal>.js, ...      a portal: `/<portal>/...`
//! web/dist/<portal>/i18n/{kk,ru,en}.json              its texts
//! web/dist/<portal>_<page>/index.html, ...            a program nested in a portal (pages
//!                                                     its budget could not hold beside the
//!                                                     others): `/<portal>/<page>/...`
//! ```
//!
//! `/<portal>` and every path under it that is not a file answer with that portal's
//! `index.html` (its routes are drawn in the browser); `/`, `/login`, `/security` and `/open`
//! with the sign-in page; files are served as they are (`.wasm` as `application/wasm`); any
//! other path that is not a file gets the sign-in bundle's page, which says "not found". Self-contained: the server
//! registers [`services`] after its API routes with `App::configure`.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::{HttpRequest, HttpResponse, web};

/// The portals, each a folder of the web folder and the first segment of its paths.
pub const PORTALS: [&str; 5] = ["operator", "akimat", "provider", "school", "citizen"];

/// The folder of the sign-in page's bundle.
pub const SIGN_IN: &str = "signin";

/// Whether `dir` holds built portals (the sign-in page's `index.html`).
pub fn built(dir: &Path) -> bool {
    dir.join(SIGN_IN).join("index.html").is_file()
}

/// The services of the portals in `dir`, for `App::configure`: register after the API's
/// routes (the last of them answers every path no other service takes).
pub fn services(dir: &Path) -> impl FnOnce(&mut web::ServiceConfig) + Clone + 'static {
    let dir = dir.to_path_buf();
    let nested = nested_programs(&dir);
    move |cfg: &mut web::ServiceConfig| {
        let sign_in = dir.join(SIGN_IN).join("index.html");
        // Before the portals: `/citizen/vouchers/...` is its own program, not `/citizen`'s.
        for (path, folder) in nested {
            cfg.service(
                Files::new(&path, &folder)
                    .index_file("index.html")
                    .default_handler(page_or_404(folder.join("index.html"))),
            );
        }
        for portal in PORTALS {
            let folder = dir.join(portal);
            cfg.service(
                Files::new(&format!("/{portal}"), &folder)
                    .index_file("index.html")
                    .default_handler(page_or_404(folder.join("index.html"))),
            );
        }
        let page = sign_in.clone();
        cfg.service(
            web::resource(["/", "/login", "/security", "/open"]).route(web::get().to(
                move |req: HttpRequest| {
                    let page = page.clone();
                    async move { NamedFile::open(&page).map(|f| f.into_response(&req)) }
                },
            )),
        );
        cfg.service(Files::new("/", &dir).default_handler(page_or_404(sign_in)));
    }
}

/// The programs nested in a portal that `dir` holds: a folder `<portal>_<page>` with an
/// `index.html`, served under `/<portal>/<page>` (build-web names them so).
fn nested_programs(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_owned();
            let (portal, page) = name.split_once('_')?;
            let folder = entry.path();
            (PORTALS.contains(&portal) && !page.is_empty() && folder.join("index.html").is_file())
                .then(|| (format!("/{portal}/{}", page.replace('_', "/")), folder))
        })
        .collect();
    // The deepest first, should one nest in another.
    found.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
    found
}

/// Answers a path that is no file: a path that looks like a file (its last segment has a
/// dot) is 404, any other is the page `index` (client-side routes).
fn page_or_404(
    index: PathBuf,
) -> impl actix_web::dev::ServiceFactory<
    ServiceRequest,
    Config = (),
    Response = ServiceResponse,
    Error = actix_web::Error,
    InitError = (),
> + 'static {
    fn_service(move |req: ServiceRequest| {
        let index = index.clone();
        async move {
            let (req, _) = req.into_parts();
            let res = if looks_like_file(req.path()) {
                HttpResponse::NotFound().finish()
            } else {
                NamedFile::open(&index)?.into_response(&req)
            };
            Ok(ServiceResponse::new(req, res))
        }
    })
}

fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

#[cfg(test)]
mod tests {
    use actix_web::http::StatusCode;
    use actix_web::{App, test};

    use super::*;

    /// A web folder as build-web writes it, each page naming its bundle.
    fn dist() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("adal.css", "body{}");
        write("signin/i18n/kk.json", "[]");
        write("signin/index.html", "page:signin");
        write("signin/signin_bg.wasm", "\0asm");
        write("citizen_vouchers/index.html", "page:citizen_vouchers");
        write(
            "citizen_vouchers/citizen_vouchers.js",
            "js:citizen_vouchers",
        );
        write("citizen_vouchers/i18n/ru.json", "[\"ru\"]");
        for p in PORTALS {
            write(&format!("{p}/index.html"), &format!("page:{p}"));
            write(&format!("{p}/{p}.js"), "js");
        }
        dir
    }

    async fn get(dir: &Path, path: &str) -> (StatusCode, String, String) {
        let app = test::init_service(App::new().configure(services(dir))).await;
        let res = test::call_service(&app, test::TestRequest::get().uri(path).to_request()).await;
        let status = res.status();
        let mime = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = test::read_body(res).await;
        (status, mime, String::from_utf8_lossy(&body).into_owned())
    }

    #[actix_web::test]
    async fn each_portal_answers_its_paths_with_its_own_page() {
        let dir = dist();
        for p in PORTALS {
            for path in [
                format!("/{p}"),
                format!("/{p}/"),
                format!("/{p}/some/page/3"),
            ] {
                let (status, _, body) = get(dir.path(), &path).await;
                assert_eq!(status, StatusCode::OK, "{path}");
                assert_eq!(body, format!("page:{p}"), "{path}");
            }
            let (status, _, body) = get(dir.path(), &format!("/{p}/{p}.js")).await;
            assert_eq!((status, body.as_str()), (StatusCode::OK, "js"));
            let (status, _, _) = get(dir.path(), &format!("/{p}/missing.js")).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        }
    }

    #[actix_web::test]
    async fn a_program_nested_in_a_portal_answers_its_own_paths() {
        let dir = dist();
        for path in [
            "/citizen/vouchers",
            "/citizen/vouchers/",
            "/citizen/vouchers/12",
        ] {
            let (status, _, body) = get(dir.path(), path).await;
            assert_eq!(
                (status, body.as_str()),
                (StatusCode::OK, "page:citizen_vouchers"),
                "{path}"
            );
        }
        let (_, _, body) = get(dir.path(), "/citizen/vouchers/citizen_vouchers.js").await;
        assert_eq!(body, "js:citizen_vouchers");
        let (_, _, body) = get(dir.path(), "/citizen/vouchers/i18n/ru.json").await;
        assert_eq!(body, "[\"ru\"]");
        // The portal's other pages stay the portal's.
        for path in ["/citizen/meals", "/citizen/voucherstore"] {
            let (_, _, body) = get(dir.path(), path).await;
            assert_eq!(body, "page:citizen", "{path}");
        }
    }

    #[actix_web::test]
    async fn the_root_and_login_are_the_sign_in_page_and_shared_files_are_served() {
        let dir = dist();
        for path in [
            "/",
            "/login",
            "/security",
            "/login?next=%2Foperator",
            "/nowhere",
        ] {
            let (status, _, body) = get(dir.path(), path).await;
            assert_eq!(
                (status, body.as_str()),
                (StatusCode::OK, "page:signin"),
                "{path}"
            );
        }
        let (status, _, body) = get(dir.path(), "/adal.css").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "body{}"));
        let (status, mime, _) = get(dir.path(), "/signin/signin_bg.wasm").await;
        assert_eq!(
            (status, mime.as_str()),
            (StatusCode::OK, "application/wasm")
        );
        let (status, _, body) = get(dir.path(), "/signin/i18n/kk.json").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "[]"));
        let (status, _, _) = get(dir.path(), "/signin/i18n/xx.json").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // A portal's name as a prefix of another word is not that portal.
        let (_, _, body) = get(dir.path(), "/operatorx").await;
        assert_eq!(body, "page:signin");
    }
}
