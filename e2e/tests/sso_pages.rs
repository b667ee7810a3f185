//! Single sign-on (docs/sso.md) in real headless Chromium on a phone-sized window, as a school
//! tries it for the first time: the school's administrator registers a resource and reads its
//! secret once (then gives it a new one, and disables and enables the demo resource with a
//! reason); the parent allows it for Аружан (in Russian); Аружан signs in to it with the school
//! PIN and lands back on the resource with a code; the resource exchanges the code and reads
//! what it may know of her (her role, school and class, nothing that names her); the parent
//! sees her sign-in. And the operator's administrator registers one for a school found by name,
//! which the analyst's navigation does not offer.

use anyhow::{Context, Result, ensure};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use e2e::{Page, fits_the_phone, parent_on_a_phone, run};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The resource the school registers.
const NAME: &str = "Bilimland (test)";
/// The demo resource (`adal_sso::demo`) and Аружан's school PIN.
const DEMO: &str = "demo-kundelik";
const PIN: &str = "246810";
/// The resource's PKCE verifier (43 to 128 unreserved characters).
const VERIFIER: &str = "the-resource-keeps-this-verifier-to-itself-0123456789";
const STATE: &str = "state-7f3a";
const NONCE: &str = "nonce-19c2";

/// A value for a query string or a form body (RFC 3986 unreserved characters kept).
fn enc(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The registration of `client_id` as the signed-in administrator reads it from the API.
async fn registration(page: &Page, client_id: &str) -> Result<Value> {
    let r = page
        .graphql("{ ssoClients { clientId scopes schoolAndClass pupilPin disabled redirectUris } }")
        .await?;
    r["data"]["ssoClients"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["clientId"] == client_id)
        .cloned()
        .with_context(|| format!("no {client_id} in {r}"))
}

/// Waits until the API reports the resource disabled (or not).
async fn wait_disabled(page: &Page, client_id: &str, disabled: bool) -> Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while registration(page, client_id).await?["disabled"] != disabled {
        ensure!(
            std::time::Instant::now() < deadline,
            "{client_id} is not disabled: {disabled}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    Ok(())
}

/// a. The school's administrator registers the resource; its client id and secret, as the page
/// shows them once (the secret after a new one was given).
async fn the_school_registers_a_resource(page: &Page, redirect: &str) -> Result<(String, String)> {
    page.sign_in_on_a_phone_in_english("school.admin", "/school")
        .await?;
    page.nav_to("/school/resources").await?;
    page.wait_text("h1", "Educational resources").await?;
    page.wait_text(".sidenav a[aria-current=page]", "Educational resources")
        .await?;
    // The demo's resource is listed, with what it was registered with.
    let demo = format!("#sso-clients .sso-client[data-client='{DEMO}']");
    let text = page.wait_text(&demo, "Kündelik (demo)").await?;
    ensure!(
        text.contains("http://localhost:8090/callback") && text.contains("Active"),
        "the demo resource shows {text:?}"
    );

    page.fill("#sso-name", NAME).await?;
    page.fill("#sso-uris", redirect).await?;
    // openid always, profile by default; the school, the class and the PIN ticked.
    ensure!(
        page.js("return document.querySelector('#sso-scope-openid').checked && document.querySelector('#sso-scope-profile').checked;")
            .await?
            == Value::Bool(true),
        "openid and profile are not ticked"
    );
    page.click("#sso-scope-school").await?;
    page.click("#sso-school-class").await?;
    page.click("#sso-pin").await?;
    fits_the_phone(page, "the registration form").await?;
    page.click("#sso-register-submit").await?;
    let shown = page
        .wait_text("#sso-register .sso-secret-box", "will not be shown again")
        .await?;
    ensure!(shown.contains(NAME), "the secret box shows {shown:?}");
    let client_id = page.text("#sso-register .sso-client-id").await?;
    let first_secret = page.text("#sso-register .sso-secret").await?;
    ensure!(
        client_id.starts_with("adal-") && first_secret.len() >= 32,
        "client id {client_id:?}, secret of {} characters",
        first_secret.len()
    );
    fits_the_phone(page, "the secret shown once").await?;
    page.js(
        "document.querySelector('#sso-register .sso-secret-box').scrollIntoView(); return true;",
    )
    .await?;
    page.screenshot_for_review("school-resources-secret")
        .await?;

    // The list shows it as registered.
    let card = format!("#sso-clients .sso-client[data-client='{client_id}']");
    let text = page.wait_text(&card, NAME).await?;
    ensure!(
        text.contains(redirect) && text.contains("school") && text.contains("Active"),
        "the new resource shows {text:?}"
    );
    let r = registration(page, &client_id).await?;
    ensure!(
        r["scopes"] == serde_json::json!(["openid", "profile", "school"])
            && r["schoolAndClass"] == true
            && r["pupilPin"] == true
            && r["redirectUris"] == serde_json::json!([redirect]),
        "registered as {r}"
    );

    // A new secret, after a confirmation (cancelled once).
    page.click(&format!("{card} .sso-rotate")).await?;
    page.wait_text(
        &format!("{card} .sso-rotate-confirm"),
        "stops working at once",
    )
    .await?;
    page.click(&format!("{card} .sso-rotate-confirm button.secondary"))
        .await?;
    page.wait_without(&format!("{card} .sso-rotate-confirm"), "stops working")
        .await?;
    page.click(&format!("{card} .sso-rotate")).await?;
    page.click(&format!("{card} .sso-rotate-yes")).await?;
    page.wait_text(
        &format!("{card} .sso-secret-box"),
        "will not be shown again",
    )
    .await?;
    let secret = page.text(&format!("{card} .sso-secret")).await?;
    ensure!(
        secret != first_secret && secret.len() >= 32,
        "no new secret"
    );

    // The demo resource disabled with a reason (none: the browser asks for one), then enabled.
    page.click(&format!("{demo} .sso-toggle-open")).await?;
    page.click(&format!("{demo} .sso-toggle-submit")).await?;
    ensure!(
        !registration(page, DEMO).await?["disabled"]
            .as_bool()
            .unwrap_or(true),
        "disabled without a reason"
    );
    page.fill(&format!("{demo} textarea"), "The contract is being renewed")
        .await?;
    page.click(&format!("{demo} .sso-toggle-submit")).await?;
    page.wait_text(&demo, "Disabled").await?;
    wait_disabled(page, DEMO, true).await?;
    page.click(&format!("{demo} .sso-toggle-open")).await?;
    page.fill(&format!("{demo} textarea"), "The contract is renewed")
        .await?;
    page.click(&format!("{demo} .sso-toggle-submit")).await?;
    page.wait_text(&demo, "Active").await?;
    wait_disabled(page, DEMO, false).await?;
    page.sign_out().await?;
    Ok((client_id, secret))
}

/// b. The parent allows the new resource for Аружан, in Russian.
async fn the_parent_allows_it(page: &Page, client_id: &str) -> Result<String> {
    parent_on_a_phone(page, "ru").await?;
    let aruzhan = page.child_id("Аружан").await?;
    // From "My children", the link to her resources.
    page.goto("/citizen/children").await?;
    page.click(&format!(
        "#children a[href=\"/citizen/resources?child={aruzhan}\"]"
    ))
    .await?;
    page.wait_text("h1", "Образовательные ресурсы").await?;
    let resource = format!("#sso-resources .sso-resource[data-client='{client_id}']");
    page.wait_text(&resource, NAME).await?;
    page.wait_text(&resource, "Не разрешён").await?;
    // The demo resource, allowed already: withdrawing it says what follows (and is cancelled).
    let demo = format!("#sso-resources .sso-resource[data-client='{DEMO}']");
    page.click(&format!("{demo} .sso-withdraw")).await?;
    page.wait_text(&demo, "будет сразу выведен из этого ресурса")
        .await?;
    fits_the_phone(page, "the child's resources").await?;
    page.screenshot_for_review("parent-resources-ru").await?;
    page.click(&format!("{demo} button.secondary")).await?;
    page.find(&format!("{demo} .sso-withdraw")).await?;

    page.click(&format!("{resource} .sso-allow")).await?;
    page.find(&format!("{resource} .sso-withdraw")).await?;
    page.wait_text(&resource, "Разрешён").await?;
    let r = page
        .graphql(&format!(
            "{{ ssoChildResources(childId: \"{aruzhan}\") {{ clientId allowed }} }}"
        ))
        .await?;
    let allowed = r["data"]["ssoChildResources"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["clientId"] == client_id && c["allowed"] == true);
    ensure!(allowed, "the API does not report the permission: {r}");
    Ok(aruzhan)
}

/// c. Аружан signs in to the resource in the browser with her school's PIN: the code and the
/// resource's state come back on its redirect URI.
async fn the_pupil_signs_in(page: &Page, client_id: &str, redirect: &str) -> Result<String> {
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()));
    page.goto(&format!(
        "/oidc/authorize?response_type=code&client_id={}&redirect_uri={}\
         &scope=openid%20profile%20school&state={STATE}&nonce={NONCE}\
         &code_challenge={challenge}&code_challenge_method=S256",
        enc(client_id),
        enc(redirect)
    ))
    .await?;
    page.wait_text("main", NAME).await?;
    // The resource's one school, and the PIN.
    ensure!(
        page.count("#school option").await? == 1,
        "the PIN form offers other schools"
    );
    page.fill("#pin", PIN).await?;
    fits_the_phone(page, "the sign-in page").await?;
    page.click("fieldset button[type=submit]").await?;
    // The consent page: what the resource receives, then "allow".
    let allow = "form:has(input[name=step][value=allow]) button";
    page.find(allow).await?;
    fits_the_phone(page, "the consent page").await?;
    page.screenshot_for_review("sso-consent").await?;
    page.click(allow).await?;
    page.wait_path("/callback").await?;
    let url = page.client.current_url().await?;
    ensure!(
        url.as_str().starts_with(redirect),
        "landed on {url}, not on {redirect}"
    );
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    ensure!(
        param("state").as_deref() == Some(STATE),
        "the state came back as {:?}",
        param("state")
    );
    ensure!(param("error").is_none(), "refused: {url}");
    param("code").with_context(|| format!("no code in {url}"))
}

/// d. The resource exchanges the code (`client_secret_post`) and reads the userinfo: the
/// pupil's role, school and class, nothing that names her.
async fn the_resource_reads_what_it_may(
    page: &Page,
    client_id: &str,
    secret: &str,
    redirect: &str,
    code: &str,
) -> Result<()> {
    let http = reqwest::Client::new();
    let body = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect),
        ("code_verifier", VERIFIER),
        ("client_id", client_id),
        ("client_secret", secret),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", enc(v)))
    .collect::<Vec<_>>()
    .join("&");
    let reply = http
        .post(page.url("/oidc/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await?;
    let status = reply.status();
    let tokens: Value = reply.json().await?;
    ensure!(
        status.is_success(),
        "the token endpoint answered {status}: {tokens}"
    );
    ensure!(tokens["id_token"].is_string(), "no ID token: {tokens}");
    let access = tokens["access_token"]
        .as_str()
        .with_context(|| format!("no access token: {tokens}"))?;
    let reply = http
        .get(page.url("/oidc/userinfo"))
        .bearer_auth(access)
        .send()
        .await?;
    let status = reply.status();
    let info: Value = reply.json().await?;
    ensure!(status.is_success(), "userinfo answered {status}: {info}");
    ensure!(info["role"] == "pupil", "role: {info}");
    ensure!(info["sub"].is_string(), "no subject: {info}");
    for claim in ["school", "class"] {
        ensure!(
            info[claim].as_str().is_some_and(|v| !v.is_empty()),
            "no {claim}: {info}"
        );
    }
    for claim in [
        "name",
        "given_name",
        "family_name",
        "iin",
        "birthdate",
        "phone",
        "phone_number",
        "email",
    ] {
        ensure!(
            info.get(claim).is_none(),
            "{claim} reached the resource: {info}"
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_school_registers_a_resource_a_parent_allows_it_and_the_pupil_signs_in_with_her_pin() {
    run(
        "a_school_registers_a_resource_a_parent_allows_it_and_the_pupil_signs_in_with_her_pin",
        async |page| {
            // The test server listens on 127.0.0.1; `localhost` is the same server (http is
            // allowed for localhost only), and its callback page, a 404, is never read.
            let port = page.app.address.rsplit(':').next().context("the port")?;
            let redirect = format!("http://localhost:{port}/callback");

            let (client_id, secret) = the_school_registers_a_resource(page, &redirect).await?;
            let aruzhan = the_parent_allows_it(page, &client_id).await?;
            let code = the_pupil_signs_in(page, &client_id, &redirect).await?;
            the_resource_reads_what_it_may(page, &client_id, &secret, &redirect, &code).await?;

            // e. The parent (still signed in) sees her sign-in to the resource.
            page.goto(&format!("/citizen/resources?child={aruzhan}"))
                .await?;
            let row = page.wait_text("#sso-child-sign-ins", NAME).await?;
            ensure!(row.contains("Ученик"), "the sign-in shows {row:?}");
            page.find("#sso-my-sign-ins").await?;
            fits_the_phone(page, "the child's sign-ins").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operator_registers_a_resource_for_a_school_it_picks_and_the_analyst_sees_no_desk() {
    run(
        "the_operator_registers_a_resource_for_a_school_it_picks_and_the_analyst_sees_no_desk",
        async |page| {
            page.sign_in_on_a_phone_in_english("admin", "/operator").await?;
            let r = page
                .graphql(
                    "{ organisations(filter: {kind: SCHOOL, search: \"lyceum\"}) { nodes { id nameEn } } }",
                )
                .await?;
            let school = r["data"]["organisations"]["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|o| o["nameEn"] == "School-lyceum No. 1")
                .and_then(|o| o["id"].as_str())
                .map(str::to_owned)
                .with_context(|| format!("no School-lyceum No. 1 in {r}"))?;
            // Its own nested program, from the operator's navigation.
            page.nav_to("/operator/oversight/resources").await?;
            page.wait_text("h1", "Educational resources").await?;
            page.wait_text("#sso-clients", "Kündelik (demo)").await?;

            page.fill("#sso-name", "Library (operator)").await?;
            page.fill("#sso-uris", "https://library.example.kz/oidc/callback")
                .await?;
            // No school yet: the page says so and sends nothing.
            page.click("#sso-register-submit").await?;
            page.wait_text("#sso-register .alert.error", "Choose at least one school")
                .await?;
            // The school, found by a part of its name, moves to the chosen ones.
            page.fill("#sso-school-search", "lyceum").await?;
            let pick = format!("#sso-school-{school}");
            page.wait_text("#sso-schools-found", "School-lyceum No. 1").await?;
            page.click(&format!("#sso-schools-found {pick}")).await?;
            page.wait_text("#sso-schools-chosen", "School-lyceum No. 1").await?;
            fits_the_phone(page, "the operator's registration form").await?;
            page.click("#sso-register-submit").await?;
            page.wait_text("#sso-register .sso-secret-box", "will not be shown again")
                .await?;
            let client_id = page.text("#sso-register .sso-client-id").await?;
            let r = page
                .graphql("{ ssoClients { clientId schoolIds scopes pupilPin } }")
                .await?;
            let registered = r["data"]["ssoClients"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["clientId"] == client_id.as_str())
                .cloned()
                .with_context(|| format!("no {client_id} in {r}"))?;
            ensure!(
                registered["schoolIds"] == serde_json::json!([school])
                    && registered["scopes"] == serde_json::json!(["openid", "profile"])
                    && registered["pupilPin"] == false,
                "registered as {registered}"
            );
            page.wait_text(
                &format!("#sso-clients .sso-client[data-client='{client_id}']"),
                "Library (operator)",
            )
            .await?;
            page.sign_out().await?;

            // The analyst reads the integration clients but has no resources desk.
            page.sign_in_on_a_phone_in_english("analyst", "/operator").await?;
            ensure!(
                !page
                    .exists(".sidenav a[href='/operator/oversight/resources']")
                    .await?,
                "the analyst sees the resources desk"
            );
            page.goto("/operator/oversight/resources").await?;
            page.find("#no-access").await?;
            Ok(())
        },
    )
    .await;
}
