//! GraphiQL, served entirely by Adal (no CDN: many government networks cannot reach one).

use actix_web::http::header::{self, ContentEncoding};
use actix_web::{HttpResponse, web};

const INDEX: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Adal GraphQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery: '# Sign in, then put the token in Headers as\n# {"Authorization": "Bearer <accessToken>"}\nmutation SignIn {\n  login(login: "admin", password: "adal-demo") {\n    accessToken\n    me { language roles { role } }\n  }\n}\n',
    }),
  );
</script>
</body>
</html>"#;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    gz: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "graphiql.min.js",
        content_type: "text/javascript; charset=utf-8",
        gz: include_bytes!("../assets/graphiql/graphiql.min.js.gz"),
    },
    Asset {
        name: "graphiql.min.css",
        content_type: "text/css; charset=utf-8",
        gz: include_bytes!("../assets/graphiql/graphiql.min.css.gz"),
    },
    Asset {
        name: "react.production.min.js",
        content_type: "text/javascript; charset=utf-8",
        gz: include_bytes!("../assets/graphiql/react.production.min.js.gz"),
    },
    Asset {
        name: "react-dom.production.min.js",
        content_type: "text/javascript; charset=utf-8",
        gz: include_bytes!("../assets/graphiql/react-dom.production.min.js.gz"),
    },
];

/// GraphiQL starts from one inline script: its page alone allows that (the portals do not).
const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", PAGE_CSP))
        .body(INDEX)
}

/// The vendored assets, sent gzip-compressed as stored.
pub async fn asset(name: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|a| a.name == name.as_str()) {
        Some(a) => HttpResponse::Ok()
            .content_type(a.content_type)
            .insert_header(ContentEncoding::Gzip)
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(a.gz),
        None => HttpResponse::NotFound().finish(),
    }
}
