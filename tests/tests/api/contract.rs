//! The served contract equals the committed one, and the docs page works offline.

use actix_web::http::Method;
use tests::TestApp;

#[actix_web::test]
async fn served_spec_is_the_committed_spec() {
    let app = TestApp::spawn().await;
    let served = app
        .request(Method::GET, "/api-docs/openapi.json", None, &[], None)
        .await;
    served.assert_status(200);
    let committed: serde_json::Value =
        serde_json::from_str(include_str!("../../../openapi/openapi.json"))
            .expect("committed spec is JSON");
    // A plain comparison: on a mismatch, printing both documents would bury the message.
    assert!(
        served.body == committed,
        "the served spec differs from openapi/openapi.json: run `cargo run -q -- openapi > openapi/openapi.json`"
    );
}

#[actix_web::test]
async fn docs_page_is_served_with_its_assets() {
    let app = TestApp::spawn().await;
    let redirect = app.request(Method::GET, "/docs", None, &[], None).await;
    assert!(
        matches!(redirect.status, 301 | 302 | 307 | 308),
        "{}",
        redirect.status
    );
    let index = app.request(Method::GET, "/docs/", None, &[], None).await;
    index.assert_status(200);
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        assert!(index.text.contains(asset), "index references {asset}");
        let served = app
            .request(Method::GET, &format!("/docs/{asset}"), None, &[], None)
            .await;
        assert_eq!(served.status, 200, "{asset} is served by the binary");
    }
    let initializer = app
        .request(Method::GET, "/docs/swagger-initializer.js", None, &[], None)
        .await;
    assert!(initializer.text.contains("/api-docs/openapi.json"));
    assert!(
        !index.text.contains("https://"),
        "no assets from the internet"
    );
}
