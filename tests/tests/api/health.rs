use actix_web::http::Method;
use tests::TestApp;

#[actix_web::test]
async fn live_and_ready_answer_without_auth() {
    let app = TestApp::spawn().await;
    let live = app
        .request(Method::GET, "/health/live", None, &[], None)
        .await;
    assert_eq!(live.assert_status(200)["status"], "ok");
    let ready = app
        .request(Method::GET, "/health/ready", None, &[], None)
        .await;
    assert_eq!(ready.assert_status(200)["status"], "ready");
}

#[actix_web::test]
async fn request_id_is_echoed_or_generated() {
    let app = TestApp::spawn().await;
    let echoed = app
        .request(
            Method::GET,
            "/health/live",
            None,
            &[("x-request-id", "trace-abc.123")],
            None,
        )
        .await;
    assert_eq!(
        echoed.header("x-request-id").as_deref(),
        Some("trace-abc.123")
    );
    let generated = app
        .request(Method::GET, "/health/live", None, &[], None)
        .await;
    assert!(
        generated
            .header("x-request-id")
            .is_some_and(|id| uuid::Uuid::parse_str(&id).is_ok())
    );
    let unsafe_id = app
        .request(
            Method::GET,
            "/health/live",
            None,
            &[("x-request-id", "a b<script>")],
            None,
        )
        .await;
    assert!(
        unsafe_id
            .header("x-request-id")
            .is_some_and(|id| uuid::Uuid::parse_str(&id).is_ok())
    );
    let error = app
        .request(Method::GET, "/api/v1/care-units", None, &[], None)
        .await;
    assert!(
        error.header("x-request-id").is_some(),
        "errors carry the request id too"
    );
}
