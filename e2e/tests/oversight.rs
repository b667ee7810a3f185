//! The operator's oversight, its own program under `/operator/oversight`, in real headless
//! Chromium on a phone-sized window: the administrator reads the demo integration client (its
//! grant, its use of the day, its registered operation) and requires it to run only registered
//! operations; the analyst reads the same page without the switch; the commission and the
//! administrator open the contest desk, each seeing the cases its role may see.

use anyhow::{Context, Result, ensure};
use e2e::{Page, fits_the_phone, run};
use serde_json::{Value, json};

/// The demo integration client's id and secret (`adal_server::seed::DEMO_INTEGRATION`).
const CLIENT: (&str, &str) = ("demo-integration", "demo-integration-secret");

/// Posts a GraphQL document as a machine client would (no browser): the reply's body.
async fn as_client(
    page: &Page,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Result<Value> {
    let mut request = reqwest::Client::new()
        .post(page.url("/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    Ok(request.send().await?.json().await?)
}

/// The demo integration client signs in and reads persons: a day of use, with masked fields.
async fn the_client_reads_persons(page: &Page) -> Result<()> {
    let r = as_client(
        page,
        None,
        "mutation($i: String!, $s: String!) { clientToken(clientId: $i, clientSecret: $s) { accessToken } }",
        json!({ "i": CLIENT.0, "s": CLIENT.1 }),
    )
    .await?;
    let token = r["data"]["clientToken"]["accessToken"]
        .as_str()
        .with_context(|| format!("the client's token: {r}"))?
        .to_owned();
    let r = as_client(
        page,
        Some(&token),
        "{ persons(first: 5) { nodes { iin fullName phone } } }",
        json!({}),
    )
    .await?;
    ensure!(r["data"]["persons"]["nodes"].is_array(), "persons: {r}");
    Ok(())
}

/// The account id of the demo integration client (the signed-in person reads accounts).
async fn client_account(page: &Page) -> Result<String> {
    let r = page
        .graphql("{ accounts(filter: {role: INTEGRATION}) { nodes { id login } } }")
        .await?;
    r["data"]["accounts"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["login"] == CLIENT.0)
        .and_then(|a| a["id"].as_str())
        .map(str::to_owned)
        .with_context(|| format!("no {} in {r}", CLIENT.0))
}

async fn is_checked(page: &Page, css: &str) -> Result<bool> {
    let v = page
        .js(&format!("return document.querySelector('{css}').checked;"))
        .await?;
    Ok(v == Value::Bool(true))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_administrator_reads_the_integration_clients_and_requires_registered_operations() {
    run(
        "the_administrator_reads_the_integration_clients_and_requires_registered_operations",
        async |page| {
            page.sign_in_on_a_phone_in_english("admin", "/operator")
                .await?;
            the_client_reads_persons(page).await?;
            let id = client_account(page).await?;
            let card = format!("#client-{id}");

            page.goto("/operator/oversight/clients").await?;
            page.wait_text("h1", "Integration clients").await?;
            // Its own program, and the navigation marks the page.
            let program = page
                .js("return document.querySelector('meta[name=adal-program]').content;")
                .await?;
            ensure!(program == "operator/oversight", "served by {program}");
            page.wait_text(".sidenav a[aria-current=page]", "Integration clients")
                .await?;
            let text = page
                .wait_text(&card, "Demo integration (state information system)")
                .await?;
            ensure!(text.contains(CLIENT.0), "no client id: {text:?}");
            ensure!(text.contains("persons"), "no granted operation: {text:?}");
            // IIN and name granted; the rest reaches it masked.
            for (field, state) in [
                ("iin", "granted"),
                ("name", "granted"),
                ("birthDate", "masked"),
                ("phone", "masked"),
                ("email", "masked"),
            ] {
                let shown = page.text(&format!("{card} li[data-field={field}]")).await?;
                ensure!(
                    shown.contains(state),
                    "{field}: {shown:?}, expected {state}"
                );
            }
            // Today's use (its sign-in and its read, with masked phones) and the totals.
            let usage = page
                .wait_text(&format!("{card} .client-usage"), "Total")
                .await?;
            ensure!(
                page.count(&format!("{card} .client-usage tbody tr"))
                    .await?
                    >= 2,
                "no day of use: {usage:?}"
            );
            // The operation the demo client registered.
            page.wait_text(&format!("{card} .client-operations"), "MatchByIin")
                .await?;
            fits_the_phone(page, "the integration clients").await?;
            page.screenshot_for_review("operator-clients").await?;

            // Registered operations only: saved at once, and still so after a reload.
            let switch = format!("#persisted-only-{id}");
            ensure!(!is_checked(page, &switch).await?, "on before it was asked");
            page.click(&switch).await?;
            page.wait_text(&format!("{card} .alert.success"), "saved")
                .await?;
            let r = page
                .graphql(&format!("{{ account(id: \"{id}\") {{ persistedOnly }} }}"))
                .await?;
            ensure!(
                r["data"]["account"]["persistedOnly"] == true,
                "not saved: {r}"
            );
            page.goto("/operator/oversight/clients").await?;
            page.wait_text(&card, CLIENT.0).await?;
            ensure!(
                is_checked(page, &switch).await?,
                "the requirement is not kept after a reload"
            );

            // The contest desk: every case, the akimat's to answer, which the operator
            // supervises.
            page.goto("/operator/oversight/contests").await?;
            page.wait_text("h1", "Contests").await?;
            page.wait_text("#contest-cases .contest-case", "You supervise this case")
                .await?;
            fits_the_phone(page, "the contest desk").await?;
            Ok(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_commission_opens_its_contest_desk_and_the_analyst_reads_the_clients() {
    run(
        "the_commission_opens_its_contest_desk_and_the_analyst_reads_the_clients",
        async |page| {
            // The commission answers the cases of its own decisions: the demo's one case is
            // the akimat's, so its desk is empty.
            page.sign_in_on_a_phone_in_english("commission", "/operator").await?;
            ensure!(
                !page
                    .exists(".sidenav a[href='/operator/oversight/clients']")
                    .await?,
                "the commission sees the integration clients"
            );
            // On a phone the navigation is a strip that scrolls sideways.
            let link = ".sidenav a[href='/operator/oversight/contests']";
            page.js(&format!(
                "document.querySelector(\"{link}\").scrollIntoView({{inline: 'center'}}); return true;"
            ))
            .await?;
            page.click(link).await?;
            page.wait_path("/operator/oversight/contests").await?;
            page.wait_text("h1", "Contests").await?;
            page.wait_text("#contest-cases", "No contests here").await?;
            page.click("#desk-answered").await?;
            page.wait_text("#contest-cases", "No contests here").await?;
            fits_the_phone(page, "the commission's desk").await?;
            page.screenshot_for_review("operator-commission-contests")
                .await?;
            page.sign_out().await?;

            // The analyst reads the clients, and cannot change them; the desk is not theirs.
            page.sign_in_on_a_phone_in_english("analyst", "/operator").await?;
            ensure!(
                !page
                    .exists(".sidenav a[href='/operator/oversight/contests']")
                    .await?,
                "the analyst sees the contest desk"
            );
            let id = client_account(page).await?;
            page.goto("/operator/oversight/clients").await?;
            page.wait_text(&format!("#client-{id}"), CLIENT.0).await?;
            ensure!(
                page.attr(&format!("#persisted-only-{id}"), "disabled")
                    .await?
                    .is_some(),
                "the analyst can change the client"
            );
            page.goto("/operator/oversight/contests").await?;
            page.find("#no-access").await?;
            Ok(())
        },
    )
    .await;
}
