#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail by panicking
//! Sign-in, sessions and throttling.

use crate::common;

use adal_testkit::TestApp;
use common::*;
use serde_json::json;

const REFRESH: &str =
    "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";

#[tokio::test(flavor = "multi_thread")]
async fn login_returns_tokens_and_me_shows_roles() {
    let app = spawn_app_with_demo().await;
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "teacher.parent", "p": "adal-demo" }),
    )
    .await;
    let s = &r.ok()["login"];
    assert!(s["refreshToken"].as_str().unwrap().len() >= 40);
    let token = s["accessToken"].as_str().unwrap();
    let me = gql(
        &app,
        Some(token),
        "{ me { language account { login kind } person { firstName } roles { role organisation { nameEn } } } }",
        json!({}),
    )
    .await;
    let me = &me.ok()["me"];
    assert_eq!(me["account"]["login"], "teacher.parent");
    assert_eq!(me["person"]["firstName"], "Мария");
    let roles: Vec<_> = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].clone())
        .collect();
    assert_eq!(roles, vec![json!("SCHOOL_STAFF"), json!("PARENT")]);
    assert_eq!(
        me["roles"][0]["organisation"]["nameEn"],
        "School-lyceum No. 1"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_and_unknown_login_get_the_same_answer() {
    let app = spawn_app_with_demo().await;
    let a = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "admin", "p": "wrong-password" }),
    )
    .await;
    let b = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "nobody-here", "p": "wrong-password" }),
    )
    .await;
    assert_eq!(a.code().as_deref(), Some("UNAUTHENTICATED"));
    assert_eq!(
        a.body["errors"][0]["message"],
        b.body["errors"][0]["message"]
    );
    assert_eq!(a.codes(), b.codes());
    // A client secret does not open a person's door and vice versa.
    let c = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "demo-integration", "p": "demo-integration-secret" }),
    )
    .await;
    assert_eq!(c.code().as_deref(), Some("UNAUTHENTICATED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_failures_lock_the_login_and_say_so_without_revealing_it() {
    let app = spawn_app_with(|s| s.login_max_failures = 3).await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    for _ in 0..3 {
        let r = gql(
            &app,
            None,
            LOGIN,
            json!({ "l": "admin", "p": "wrong-password" }),
        )
        .await;
        assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    }
    // Locked: even the right password is refused for now.
    let r = gql(&app, None, LOGIN, json!({ "l": "admin", "p": "adal-demo" })).await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
    assert!(
        r.body["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_i64()
            .unwrap()
            > 0
    );
    // An unknown login locks the same way, so a lock tells nothing about existence.
    for _ in 0..3 {
        gql(
            &app,
            None,
            LOGIN,
            json!({ "l": "ghost", "p": "wrong-password" }),
        )
        .await;
    }
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "ghost", "p": "wrong-password" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
    // Other logins from the same address still work (the address allows more failures).
    token(&app, "analyst").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let app = spawn_app_with_demo().await;
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "parent", "p": "adal-demo" }),
    )
    .await;
    let first = r.ok()["login"]["refreshToken"].as_str().unwrap().to_owned();
    let r = gql(&app, None, REFRESH, json!({ "t": first })).await;
    let second = r.ok()["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let access = r.ok()["refreshSession"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    let me = gql(
        &app,
        Some(&access),
        "{ me { account { login } } }",
        json!({}),
    )
    .await;
    assert_eq!(me.ok()["me"]["account"]["login"], "parent");
    // Once its successor has been used, the first token was spent for good: presenting it
    // again is refused and revokes the family, the newest token included.
    let third = refreshed(&app, &second).await.unwrap();
    let r = gql(&app, None, REFRESH, json!({ "t": first })).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    assert_eq!(refreshed(&app, &third).await, None);
}

/// The next refresh token from `token`, or `None` when the session was refused.
async fn refreshed(app: &TestApp, token: &str) -> Option<String> {
    let r = gql(app, None, REFRESH, json!({ "t": token })).await;
    match r.data()["refreshSession"]["refreshToken"].as_str() {
        Some(next) => Some(next.to_owned()),
        None => {
            assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"), "{}", r.body);
            None
        }
    }
}

async fn login_parent(app: &TestApp) -> String {
    let r = gql(app, None, LOGIN, json!({ "l": "parent", "p": "adal-demo" })).await;
    r.ok()["login"]["refreshToken"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_renewal_whose_answer_was_lost_is_taken_back_once_within_seconds() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app_with_demo().await;
    // A page renews with `first` and is left before the answer (`lost`) arrives; the next
    // page presents `first` again. Its successor was never used, so the session goes on.
    let first = login_parent(&app).await;
    let lost = refreshed(&app, &first).await.unwrap();
    let again = refreshed(&app, &first).await.expect("taken back");
    assert_ne!(again, lost);
    let next = refreshed(&app, &again).await.expect("the new token renews");
    // Only once: a third presentation is a replay and ends the session.
    assert_eq!(refreshed(&app, &first).await, None);
    assert_eq!(refreshed(&app, &next).await, None);

    // The lost answer was stolen instead: the first to present the replaced token ends the
    // session for both holders.
    let first = login_parent(&app).await;
    let stolen = refreshed(&app, &first).await.unwrap();
    let owner = refreshed(&app, &first).await.unwrap();
    assert_eq!(refreshed(&app, &stolen).await, None);
    assert_eq!(refreshed(&app, &owner).await, None);

    // Past the grace (15 s by default) a spent token is a replay, however unused its
    // successor.
    let first = login_parent(&app).await;
    let unused = refreshed(&app, &first).await.unwrap();
    let backend = app.db.get_database_backend();
    let long_ago = chrono::Utc::now() - chrono::Duration::seconds(16);
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => {
                    "UPDATE refresh_token SET revoked_at = $1 WHERE revoked_why = 'rotated'"
                }
                _ => "UPDATE refresh_token SET revoked_at = ? WHERE revoked_why = 'rotated'",
            },
            [long_ago.into()],
        ))
        .await
        .unwrap();
    assert_eq!(refreshed(&app, &first).await, None);
    assert_eq!(refreshed(&app, &unused).await, None);

    // Signed out: the spent token has no session to return to.
    let first = login_parent(&app).await;
    let current = refreshed(&app, &first).await.unwrap();
    let r = gql(
        &app,
        None,
        "mutation($t: String!) { logout(refreshToken: $t) }",
        json!({ "t": current }),
    )
    .await;
    r.ok();
    assert_eq!(refreshed(&app, &first).await, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_ends_the_session() {
    let app = spawn_app_with_demo().await;
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "graduate", "p": "adal-demo" }),
    )
    .await;
    let refresh = r.ok()["login"]["refreshToken"].as_str().unwrap().to_owned();
    let r = gql(
        &app,
        None,
        "mutation($t: String!) { logout(refreshToken: $t) }",
        json!({ "t": refresh }),
    )
    .await;
    assert_eq!(r.ok()["logout"], true);
    let r = gql(&app, None, REFRESH, json!({ "t": refresh })).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_whose_role_requires_a_second_factor_may_only_set_one_up_until_it_is_on() {
    let app = spawn_app_with(|s| {
        s.second_factor_roles = "OPERATOR_ADMIN, commission_member".into();
    })
    .await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    let reason = |r: &Reply| r.body["errors"][0]["extensions"]["reason"].clone();
    let me = "{ me { secondFactorSetupRequired account { login } } }";
    let work = "{ graduates(first: 1) { totalCount } }";
    // The password alone still signs in, so that the person can set the factor up ...
    let admin = token(&app, "admin").await;
    let r = gql(&app, Some(&admin), me, json!({})).await;
    assert_eq!(r.ok()["me"]["secondFactorSetupRequired"], true);
    // ... and nothing else: the registers, an administrator's mutation, an export.
    let r = gql(&app, Some(&admin), work, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("FORBIDDEN"));
    assert_eq!(reason(&r), "SECOND_FACTOR_SETUP_REQUIRED");
    let r = gql(
        &app,
        Some(&admin),
        "mutation { resetSecondFactor(accountId: \"1\") { id } }",
        json!({}),
    )
    .await;
    assert_eq!(reason(&r), "SECOND_FACTOR_SETUP_REQUIRED");
    let export = reqwest::Client::new()
        .get(format!("{}/exports/graduates.csv", app.address))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status().as_u16(), 403);
    let body: serde_json::Value = export.json().await.unwrap();
    assert_eq!(body["error"]["reason"], "SECOND_FACTOR_SETUP_REQUIRED");
    // A role the setting does not name works as before.
    let analyst = token(&app, "analyst").await;
    let r = gql(&app, Some(&analyst), me, json!({})).await;
    assert_eq!(r.ok()["me"]["secondFactorSetupRequired"], false);
    assert!(
        gql(&app, Some(&analyst), work, json!({}))
            .await
            .codes()
            .is_empty()
    );
    // The setup, with the same session: from then on the work is open.
    turn_on_second_factor(&app, &admin).await;
    let r = gql(&app, Some(&admin), me, json!({})).await;
    assert_eq!(r.ok()["me"]["secondFactorSetupRequired"], false);
    assert!(r.ok()["me"]["account"]["login"] == "admin");
    let r = gql(&app, Some(&admin), work, json!({})).await;
    assert!(r.codes().is_empty(), "{:?}", r.body);
    assert!(r.ok()["graduates"]["totalCount"].as_i64().unwrap() > 0);
}

/// The value of the `adal_refresh` cookie an answer sets, and the whole header.
fn refresh_cookie(r: &Reply) -> (String, String) {
    let header = r
        .set_cookies
        .iter()
        .find(|c| c.starts_with("adal_refresh="))
        .unwrap_or_else(|| panic!("no refresh cookie set: {:?}", r.set_cookies))
        .clone();
    let value = header["adal_refresh=".len()..]
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    (value, header)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_portals_refresh_token_lives_in_an_http_only_cookie_that_rotates_and_is_cleared() {
    let app = spawn_app_with_demo().await;
    let login = "mutation($l: String!, $p: String!) { login(login: $l, password: $p, refreshInCookie: true) { accessToken refreshToken me { account { login } } } }";
    let r = gql(&app, None, login, json!({ "l": "admin", "p": "adal-demo" })).await;
    // The answer holds no refresh token a script could read; the cookie does.
    assert!(r.ok()["login"]["refreshToken"].is_null(), "{:?}", r.body);
    assert!(r.ok()["login"]["accessToken"].as_str().is_some());
    let (first, header) = refresh_cookie(&r);
    assert!(first.len() >= 40, "{header}");
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/graphql"] {
        assert!(
            header.split("; ").any(|p| p == part),
            "{part} missing: {header}"
        );
    }
    // A plain sign-in (an integration or a script) sets no cookie.
    let plain = gql(&app, None, LOGIN, json!({ "l": "admin", "p": "adal-demo" })).await;
    assert!(plain.ok()["login"]["refreshToken"].as_str().is_some());
    assert!(plain.set_cookies.is_empty(), "{:?}", plain.set_cookies);

    // A page load renews the session from the cookie alone; the token rotates in the cookie.
    let renew = "mutation { refreshSession { accessToken refreshToken me { account { login } } } }";
    let with = |v: &str| format!("theme=dark; adal_refresh={v}");
    let r = gql_with(&app, None, &[("cookie", &with(&first))], renew, json!({})).await;
    assert_eq!(r.ok()["refreshSession"]["me"]["account"]["login"], "admin");
    assert!(r.ok()["refreshSession"]["refreshToken"].is_null());
    let access = r.ok()["refreshSession"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let (second, _) = refresh_cookie(&r);
    assert_ne!(first, second);
    let me = gql(
        &app,
        Some(&access),
        "{ me { account { login } } }",
        json!({}),
    )
    .await;
    assert_eq!(me.ok()["me"]["account"]["login"], "admin");

    // Without a cookie there is nothing to renew.
    let r = gql(&app, None, renew, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));

    // Sign-out ends the cookie's session and clears the cookie.
    let r = gql_with(
        &app,
        None,
        &[("cookie", &with(&second))],
        "mutation { logout }",
        json!({}),
    )
    .await;
    assert_eq!(r.ok()["logout"], true);
    let (cleared, header) = refresh_cookie(&r);
    assert!(
        cleared.is_empty() && header.contains("Max-Age=0"),
        "{header}"
    );
    let r = gql_with(&app, None, &[("cookie", &with(&second))], renew, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    // A cookie that no longer renews anything is cleared too.
    let (cleared, _) = refresh_cookie(&r);
    assert!(cleared.is_empty());
    // The plain session of the same account goes on: sign-out ends one session, not all.
    let t = plain.ok()["login"]["refreshToken"].as_str().unwrap();
    let r = gql(&app, None, REFRESH, json!({ "t": t })).await;
    assert!(r.ok()["refreshSession"]["accessToken"].as_str().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_and_expired_tokens_are_refused_with_a_reason() {
    let app = spawn_app_with(|s| s.access_token_ttl_secs = -60).await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    let expired = token(&app, "admin").await;
    let r = gql(&app, Some(&expired), "{ me { language } }", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    let r = gql(&app, Some("not-a-jwt"), "{ me { language } }", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    // Public data stays readable with a stale token.
    let r = gql(
        &app,
        Some(&expired),
        "{ regions { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(r.ok()["regions"]["totalCount"], 17);
}

#[tokio::test(flavor = "multi_thread")]
async fn disabling_an_account_ends_its_access_at_once() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let analyst = token(&app, "analyst").await;
    let accounts = gql(
        &app,
        Some(&admin),
        "{ accounts(filter: {search: \"analyst\"}) { nodes { id login } } }",
        json!({}),
    )
    .await;
    let id = accounts.ok()["accounts"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = gql(
        &app,
        Some(&admin),
        "mutation($id: ID!) { updateAccount(id: $id, input: {disabled: true}) { disabled } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(r.ok()["updateAccount"]["disabled"], true);
    let r = gql(&app, Some(&analyst), "{ me { language } }", json!({})).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "analyst", "p": "adal-demo" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn language_is_remembered_per_account() {
    let app = spawn_app_with_demo().await;
    let t = token(&app, "analyst").await;
    let r = gql(
        &app,
        Some(&t),
        "mutation { setMyLanguage(language: KK) { language } }",
        json!({}),
    )
    .await;
    assert_eq!(r.ok()["setMyLanguage"]["language"], "KK");
    let t = token(&app, "analyst").await;
    let r = gql(
        &app,
        Some(&t),
        "{ me { language } regions(first: 1) { nodes { name } } }",
        json!({}),
    )
    .await;
    assert_eq!(r.ok()["me"]["language"], "KK");
    // Names follow the caller's language.
    assert_eq!(r.ok()["regions"]["nodes"][0]["name"], "Ақмола облысы");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_signing_key_is_generated_once_and_kept() {
    let app = spawn_app_with_demo().await;
    let key = app.settings.data_dir.join("jwt.key");
    let first = std::fs::read_to_string(&key).expect("key written to the data folder");
    assert_eq!(first.trim().len(), 128);
    let keys = adal_core::auth::tokens::TokenKeys::from_settings(&app.settings).unwrap();
    assert_eq!(std::fs::read_to_string(&key).unwrap(), first);
    // A token signed with the kept key is accepted by the running server.
    let (t, _) = keys.issue_access(1, 0).unwrap();
    let r = gql(&app, Some(&t), "{ me { account { login } } }", json!({})).await;
    assert_eq!(r.ok()["me"]["account"]["login"], "admin");
}

/// A sign-in from `addr` as a trusted proxy on loopback reports it.
async fn login_from(app: &TestApp, addr: &str, login: &str, password: &str) -> Reply {
    gql_with(
        app,
        None,
        &[("x-forwarded-for", addr)],
        LOGIN,
        json!({ "l": login, "p": password }),
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_guesses_are_counted_before_any_is_checked() {
    let app = spawn_app_with(|s| {
        s.login_max_failures = 5;
        s.login_slowdown_ms = 1;
    })
    .await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    // Forty wrong passwords for one login, all sent at once.
    let guesses = (0..40).map(|i| {
        let app = &app;
        async move {
            gql(
                app,
                None,
                LOGIN,
                json!({ "l": "admin", "p": format!("guess-number-{i}") }),
            )
            .await
            .code()
        }
    });
    let codes = futures_util::future::join_all(guesses).await;
    let checked = codes
        .iter()
        .filter(|c| c.as_deref() == Some("UNAUTHENTICATED"))
        .count();
    let limited = codes
        .iter()
        .filter(|c| c.as_deref() == Some("RATE_LIMITED"))
        .count();
    // Exactly the configured number were evaluated; every other one was refused unread.
    assert_eq!((checked, limited), (5, 35), "{codes:?}");
    // And the right password from the same address waits out the lock too.
    let r = gql(&app, None, LOGIN, json!({ "l": "admin", "p": "adal-demo" })).await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_guessed_login_still_opens_for_its_owner_elsewhere() {
    // The server sits behind a reverse proxy on loopback.
    let app = spawn_app_with(|s| {
        s.login_max_failures = 3;
        s.login_slowdown_ms = 1;
        s.trusted_proxies = "127.0.0.1, ::1".into();
    })
    .await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    let attacker = "203.0.113.66";
    for _ in 0..3 {
        let r = login_from(&app, attacker, "admin", "wrong-password").await;
        assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    }
    let r = login_from(&app, attacker, "admin", "adal-demo").await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
    // The owner, at another address behind the same proxy, signs in.
    let r = login_from(&app, "198.51.100.7", "admin", "adal-demo").await;
    assert!(
        r.ok()["login"]["accessToken"].as_str().is_some(),
        "{}",
        r.body
    );
    // Other people behind the proxy are not locked by the attacker's address.
    let r = login_from(&app, "198.51.100.8", "analyst", "adal-demo").await;
    assert!(r.ok()["login"]["accessToken"].as_str().is_some());
    // A proxy chain: the client is the address the trusted proxy appended, not what the
    // client wrote at the left.
    let r = login_from(
        &app,
        &format!("198.51.100.9, {attacker}"),
        "admin",
        "adal-demo",
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_trusted_proxy_a_forged_address_changes_nothing() {
    let app = spawn_app_with(|s| {
        s.login_max_failures = 3;
        s.login_slowdown_ms = 1;
    })
    .await;
    adal_server::seed::seed_demo(&app.db, &app.settings)
        .await
        .unwrap();
    // Each guess claims another address; no proxy is trusted, so all count for the peer.
    for i in 0..3 {
        let r = login_from(&app, &format!("203.0.113.{i}"), "admin", "wrong-password").await;
        assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    }
    let r = login_from(&app, "203.0.113.200", "admin", "wrong-password").await;
    assert_eq!(r.code().as_deref(), Some("RATE_LIMITED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_refreshes_racing_with_one_token_leave_at_most_one_holder() {
    let app = spawn_app_with_demo().await;
    let token = login_parent(&app).await;
    let race = (0..2).map(|_| gql(&app, None, REFRESH, json!({ "t": token })));
    let replies = futures_util::future::join_all(race).await;
    // The second to commit finds the first's successor unused and takes the token back:
    // both answer, and only the second's token is alive.
    let won: Vec<_> = replies
        .iter()
        .filter_map(|r| r.data()["refreshSession"]["refreshToken"].as_str())
        .map(str::to_owned)
        .collect();
    assert_eq!(
        won.len(),
        2,
        "{:?}",
        replies.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    // Whichever holder comes first, once both have presented their tokens the session has
    // ended: one of them held a replaced token.
    let mut went_on = Vec::new();
    for t in &won {
        if let Some(next) = refreshed(&app, t).await {
            went_on.push(next);
        }
    }
    assert!(went_on.len() <= 1, "both holders went on");
    for t in went_on {
        assert_eq!(refreshed(&app, &t).await, None);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_ends_at_its_absolute_age_however_often_refreshed() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app_with_demo().await;
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "parent", "p": "adal-demo" }),
    )
    .await;
    let first = r.ok()["login"]["refreshToken"].as_str().unwrap().to_owned();
    let r = gql(&app, None, REFRESH, json!({ "t": first })).await;
    let second = r.ok()["refreshSession"]["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    // The session began 31 days ago (the default limit is 30); its newest token is fresh.
    let backend = app.db.get_database_backend();
    let began = chrono::Utc::now() - chrono::Duration::days(31);
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => "UPDATE refresh_token SET session_started_at = $1",
                _ => "UPDATE refresh_token SET session_started_at = ?",
            },
            [began.into()],
        ))
        .await
        .unwrap();
    let r = gql(&app, None, REFRESH, json!({ "t": second })).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("sign in again"),
        "{}",
        r.body
    );
    // Signing in again starts a new session.
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "parent", "p": "adal-demo" }),
    )
    .await;
    let fresh = r.ok()["login"]["refreshToken"].as_str().unwrap().to_owned();
    let r = gql(&app, None, REFRESH, json!({ "t": fresh })).await;
    assert!(r.ok()["refreshSession"]["accessToken"].as_str().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_a_password_ends_every_session_access_tokens_included() {
    let app = spawn_app_with_demo().await;
    let admin = token(&app, "admin").await;
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "analyst", "p": "adal-demo" }),
    )
    .await;
    let access = r.ok()["login"]["accessToken"].as_str().unwrap().to_owned();
    let refresh = r.ok()["login"]["refreshToken"].as_str().unwrap().to_owned();
    let me = "{ me { account { login } } }";
    assert_eq!(
        gql(&app, Some(&access), me, json!({})).await.ok()["me"]["account"]["login"],
        "analyst"
    );
    let accounts = gql(
        &app,
        Some(&admin),
        "{ accounts(filter: {search: \"analyst\"}) { nodes { id } } }",
        json!({}),
    )
    .await;
    let id = accounts.ok()["accounts"]["nodes"][0]["id"].clone();
    let r = gql(
        &app,
        Some(&admin),
        "mutation($id: ID!) { updateAccount(id: $id, input: {password: \"a-new-secret-42\"}) { id } }",
        json!({ "id": id }),
    )
    .await;
    r.ok();
    // The access token issued before the change no longer opens anything, nor the refresh.
    let r = gql(&app, Some(&access), me, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    let r = gql(&app, None, REFRESH, json!({ "t": refresh })).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    // The new password opens a new session that works.
    let r = gql(
        &app,
        None,
        LOGIN,
        json!({ "l": "analyst", "p": "a-new-secret-42" }),
    )
    .await;
    let access = r.ok()["login"]["accessToken"].as_str().unwrap().to_owned();
    assert_eq!(
        gql(&app, Some(&access), me, json!({})).await.ok()["me"]["account"]["login"],
        "analyst"
    );
}

#[test]
fn a_short_or_empty_signing_key_stops_the_server_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let settings = adal_core::settings::Settings {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    for contents in ["", "\n", "abcd", &"ab".repeat(31)] {
        std::fs::write(dir.path().join("jwt.key"), contents).unwrap();
        let err = adal_core::auth::tokens::TokenKeys::from_settings(&settings)
            .err()
            .unwrap_or_else(|| panic!("a {}-character key was accepted", contents.len()));
        let msg = format!("{err:#}");
        assert!(msg.contains("fewer than 32"), "{msg}");
        assert!(msg.contains("jwt.key"), "{msg}");
    }
    // 32 bytes will do.
    std::fs::write(dir.path().join("jwt.key"), "ab".repeat(32)).unwrap();
    assert!(adal_core::auth::tokens::TokenKeys::from_settings(&settings).is_ok());
}

/// Whether the analyst's password alone opens a session.
async fn password_alone_signs_in(app: &TestApp) -> bool {
    let r = gql(
        app,
        None,
        LOGIN,
        json!({ "l": "analyst", "p": "adal-demo" }),
    )
    .await;
    r.data()["login"]["accessToken"].is_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_factor_is_set_up_by_its_owner_asked_at_each_sign_in_and_reset_by_an_administrator()
 {
    use adal_core::auth::second_factor::{STEP_SECS, code_at};
    let app = spawn_app_with_demo().await;
    let analyst = token(&app, "analyst").await;
    let reason = |r: &Reply| r.body["errors"][0]["extensions"]["reason"].clone();
    let confirm = "mutation($c: String!) { confirmSecondFactor(code: $c) { login secondFactor } }";
    // Nothing to confirm before a setup starts.
    let r = gql(&app, Some(&analyst), confirm, json!({ "c": "123456" })).await;
    assert_eq!(r.code().as_deref(), Some("CONFLICT"));
    assert_eq!(reason(&r), "SECOND_FACTOR_NOT_STARTED");
    // The secret the app adds, as text and as the address a QR code carries.
    let r = gql(
        &app,
        Some(&analyst),
        "mutation { startSecondFactor { secret otpauthUrl } }",
        json!({}),
    )
    .await;
    let setup = r.ok()["startSecondFactor"].clone();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let url = setup["otpauthUrl"].as_str().unwrap();
    assert!(
        url.starts_with("otpauth://totp/Adal:analyst?secret="),
        "{url}"
    );
    assert!(url.contains(&secret));
    // Until it is confirmed, the password alone still signs in.
    assert!(password_alone_signs_in(&app).await);
    let now = || u64::try_from(chrono::Utc::now().timestamp()).unwrap();
    let code = |at: u64| code_at(&secret, at).unwrap();
    // A code that is none of the app's codes around now.
    let t = now();
    let near: Vec<String> = (0..5)
        .map(|i| code(t + i * STEP_SECS - 2 * STEP_SECS))
        .collect();
    let wrong = (0..10)
        .map(|d| format!("{d}{d}{d}{d}{d}{d}"))
        .find(|w| !near.contains(w))
        .unwrap();
    let r = gql(&app, Some(&analyst), confirm, json!({ "c": wrong })).await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"));
    assert_eq!(reason(&r), "SECOND_FACTOR_INCORRECT");
    let first = code(now());
    let r = gql(&app, Some(&analyst), confirm, json!({ "c": first })).await;
    assert_eq!(r.ok()["confirmSecondFactor"]["secondFactor"], true);
    // From now on the password alone is not enough, and says so without a session.
    let login = "mutation($l: String!, $p: String!, $c: String) { login(login: $l, password: $p, code: $c) { accessToken } }";
    let r = gql(
        &app,
        None,
        login,
        json!({ "l": "analyst", "p": "adal-demo" }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    assert_eq!(reason(&r), "SECOND_FACTOR_REQUIRED");
    assert!(r.data().is_null());
    // A wrong code, or the one that confirmed the setup, does not sign in; a wrong password
    // with a right code is a wrong password.
    for c in [wrong.clone(), first.clone()] {
        let r = gql(
            &app,
            None,
            login,
            json!({ "l": "analyst", "p": "adal-demo", "c": c }),
        )
        .await;
        assert_eq!(reason(&r), "SECOND_FACTOR_INCORRECT", "{c}");
    }
    let next = code(now() + STEP_SECS);
    let r = gql(
        &app,
        None,
        login,
        json!({ "l": "analyst", "p": "Wrong-Password-42", "c": next }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    assert!(reason(&r).is_null());
    // The app's next code signs in, once.
    let r = gql(
        &app,
        None,
        login,
        json!({ "l": "analyst", "p": "adal-demo", "c": next }),
    )
    .await;
    assert!(r.ok()["login"]["accessToken"].is_string());
    let r = gql(
        &app,
        None,
        login,
        json!({ "l": "analyst", "p": "adal-demo", "c": next }),
    )
    .await;
    assert_eq!(reason(&r), "SECOND_FACTOR_INCORRECT");
    // Set up once, a second setup waits for a reset.
    let r = gql(
        &app,
        Some(&analyst),
        "mutation { startSecondFactor { secret } }",
        json!({}),
    )
    .await;
    assert_eq!(reason(&r), "SECOND_FACTOR_ALREADY_ON");
    // The administrator sees who has one, and resets it for a lost phone; it is on the trail.
    let admin = token(&app, "admin").await;
    let r = gql(
        &app,
        Some(&admin),
        "{ accounts(filter: {search: \"analyst\"}) { nodes { id login secondFactor } } }",
        json!({}),
    )
    .await;
    let account = r.ok()["accounts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["login"] == "analyst")
        .unwrap()
        .clone();
    assert_eq!(account["secondFactor"], true);
    let r = gql(
        &app,
        Some(&admin),
        "mutation($id: ID!) { resetSecondFactor(accountId: $id) { secondFactor } }",
        json!({ "id": account["id"] }),
    )
    .await;
    assert_eq!(r.ok()["resetSecondFactor"]["secondFactor"], false);
    assert!(password_alone_signs_in(&app).await);
    let r = gql(&app, Some(&admin), "query($id: String!) { auditEvents(subjectType: \"account\", subjectId: $id, first: 20) { nodes { action } } }", json!({ "id": account["id"] })).await;
    let actions: Vec<String> = r.ok()["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    for a in [
        "account.second_factor.start",
        "account.second_factor.on",
        "account.second_factor.reset",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_sign_in_material_is_deleted_and_live_sessions_are_kept() {
    use chrono::{Duration, Utc};
    use entities::{login_throttle, person, sso_client, sso_code, sso_request, sso_token};
    use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set};
    // No background round: the test runs them.
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let db = &app.db;
    let now = Utc::now();
    let long_ago = now - Duration::days(2);

    // A session whose token expired two days ago, and one alive.
    let expired = login_parent(&app).await;
    let alive = login_parent(&app).await;
    let backend = db.get_database_backend();
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        match backend {
            sea_orm::DbBackend::Postgres => {
                "UPDATE refresh_token SET expires_at = $1 WHERE token_hash = $2"
            }
            _ => "UPDATE refresh_token SET expires_at = ? WHERE token_hash = ?",
        },
        [
            long_ago.into(),
            adal_core::auth::tokens::sha256_hex(&expired).into(),
        ],
    ))
    .await
    .unwrap();
    // A failed sign-in counted two days ago, and one counted now.
    for (key, at) in [("stale", long_ago), ("fresh", now)] {
        login_throttle::ActiveModel {
            key_hash: Set(key.into()),
            failures: Set(3),
            window_start: Set(at),
            locked_until: Set(None),
        }
        .insert(db)
        .await
        .unwrap();
    }
    // A resource's authorization request, code and access token that expired two days ago,
    // and a request still open.
    let client = sso_client::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let person = person::Entity::find().one(db).await.unwrap().unwrap().id;
    for (id, expires) in [("spent", long_ago), ("open", now + Duration::minutes(5))] {
        sso_request::ActiveModel {
            id: Set(id.into()),
            browser_hash: Set("b".into()),
            client_pk: Set(client),
            redirect_uri: Set("https://resource.example/cb".into()),
            scope: Set("openid".into()),
            state: Set(None),
            nonce: Set(None),
            code_challenge: Set("c".into()),
            ui_locales: Set(None),
            person_id: Set(None),
            role: Set(None),
            auth_time: Set(None),
            created_at: Set(expires - Duration::minutes(10)),
            expires_at: Set(expires),
        }
        .insert(db)
        .await
        .unwrap();
    }
    let code = sso_code::ActiveModel {
        code_hash: Set("spent-code".into()),
        client_pk: Set(client),
        redirect_uri: Set("https://resource.example/cb".into()),
        code_challenge: Set("c".into()),
        person_id: Set(person),
        role: Set("pupil".into()),
        scope: Set("openid".into()),
        school_and_class: Set(false),
        nonce: Set(None),
        auth_time: Set(long_ago),
        expires_at: Set(long_ago),
        used_at: Set(Some(long_ago)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    sso_token::ActiveModel {
        token_hash: Set("spent-token".into()),
        code_id: Set(code.id),
        client_pk: Set(client),
        person_id: Set(person),
        role: Set("pupil".into()),
        scope: Set("openid".into()),
        school_and_class: Set(false),
        expires_at: Set(long_ago),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();

    let purged = adal_server::housekeeping::purge(db, now).await.unwrap();
    assert_eq!(
        purged,
        adal_server::housekeeping::Purged {
            refresh_tokens: 1,
            sign_in_counters: 1,
            resource_sign_ins: 3,
        }
    );
    let counter = |key: &'static str| login_throttle::Entity::find_by_id(key).one(db);
    assert!(counter("stale").await.unwrap().is_none());
    assert!(counter("fresh").await.unwrap().is_some());
    assert_eq!(sso_request::Entity::find().count(db).await.unwrap(), 1);
    // The live session renews; the expired one was gone anyway.
    assert!(refreshed(&app, &alive).await.is_some());
    assert_eq!(refreshed(&app, &expired).await, None);
    // A second round finds nothing more.
    assert_eq!(
        adal_server::housekeeping::purge(db, now).await.unwrap(),
        Default::default()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_integration_clients_access_ends_at_its_expiry_and_the_operator_extends_it() {
    use chrono::{Duration, SecondsFormat, Utc};
    use sea_orm::ConnectionTrait;
    let app = adal_testkit::spawn_app_with_demo_and(|s| s.job_runner = false).await;
    let admin = token(&app, "admin").await;
    let instant = |d: Duration| (Utc::now() + d).to_rfc3339_opts(SecondsFormat::Secs, false);
    let create = "mutation($e: DateTime) { createClient(input: {clientId: \"stat-office\", \
        displayName: \"Statistics office\", role: INTEGRATION, allowedOperations: [\"persons\"], \
        expiresAt: $e}) { clientSecret account { id expiresAt } } }";
    // An expiry already past is refused: that is what disabling is for.
    let r = gql(
        &app,
        Some(&admin),
        create,
        json!({ "e": instant(-Duration::hours(1)) }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
    let until = instant(Duration::days(90));
    let r = gql(&app, Some(&admin), create, json!({ "e": until })).await;
    let created = &r.ok()["createClient"];
    assert_eq!(created["account"]["expiresAt"], until);
    let id = created["account"]["id"].as_str().unwrap().to_owned();
    let secret = created["clientSecret"].as_str().unwrap().to_owned();
    let held = client_token(&app, "stat-office", &secret).await;
    let read = "{ persons(first: 1) { totalCount } }";
    gql(&app, Some(&held), read, json!({})).await.ok();

    // The day comes (the clock moved by the database).
    app.db
        .execute_unprepared(&format!(
            "UPDATE account SET expires_at = '{}' WHERE login = 'stat-office'",
            (Utc::now() - Duration::minutes(1)).format("%Y-%m-%d %H:%M:%S%:z")
        ))
        .await
        .unwrap();
    let r = gql(&app, Some(&held), read, json!({})).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"), "{}", r.body);
    let sign_in = "mutation($s: String!) { clientToken(clientId: \"stat-office\", clientSecret: $s) { accessToken } }";
    let r = gql(&app, None, sign_in, json!({ "s": secret })).await;
    assert_eq!(r.code().as_deref(), Some("UNAUTHENTICATED"));
    assert_eq!(
        r.body["errors"][0]["extensions"]["reason"], "ACCOUNT_EXPIRED",
        "{}",
        r.body
    );
    // A wrong secret learns nothing of the expiry.
    let r = gql(&app, None, sign_in, json!({ "s": "not-the-secret-at-all" })).await;
    assert!(
        r.body["errors"][0]["extensions"]["reason"].is_null(),
        "{}",
        r.body
    );

    // The operator extends it; then removes the expiry. A person's account has none.
    let update = "mutation($id: ID!, $e: DateTime) { updateAccount(id: $id, input: {expiresAt: $e}) { expiresAt } }";
    let later = instant(Duration::days(30));
    let r = gql(&app, Some(&admin), update, json!({ "id": id, "e": later })).await;
    assert_eq!(r.ok()["updateAccount"]["expiresAt"], later);
    let again = client_token(&app, "stat-office", &secret).await;
    gql(&app, Some(&again), read, json!({})).await.ok();
    let r = gql(&app, Some(&admin), update, json!({ "id": id, "e": null })).await;
    assert!(r.ok()["updateAccount"]["expiresAt"].is_null(), "{}", r.body);
    let parent = gql(
        &app,
        Some(&admin),
        "{ accounts(filter: {search: \"parent\"}, first: 1) { nodes { id } } }",
        json!({}),
    )
    .await;
    let parent = parent.ok()["accounts"]["nodes"][0]["id"].clone();
    let r = gql(
        &app,
        Some(&admin),
        update,
        json!({ "id": parent, "e": later }),
    )
    .await;
    assert_eq!(r.code().as_deref(), Some("BAD_USER_INPUT"), "{}", r.body);
}
