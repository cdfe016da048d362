//! The access log as its readers use it: her own extract, and the admins' follow-up of
//! registrations and emergency accesses.

use serde_json::json;
use tests::TestApp;

use crate::record_support::{id, network, register};

#[actix_web::test]
async fn name_searches_show_in_the_found_persons_log_extract() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    app.post(
        "/api/v1/persons/search",
        &app.staff_token("clinician", &net.ward),
        &json!({ "name": "esther" }),
    )
    .await
    .assert_status(200);
    let extract = app
        .get(
            &format!("/api/v1/persons/{}/access-log", id(&person)),
            &app.person_token(&id(&person)),
        )
        .await;
    let actions: Vec<&str> = extract.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"person-search"), "{actions:?}");
}

#[actix_web::test]
async fn registering_a_known_person_is_listed_for_follow_up() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    register(&app, &net.unrelated, "19121212-1212", json!({})).await;
    let admin = app.token("admin");
    let follow_up = app
        .get("/api/v1/audit-events?action=register-existing", &admin)
        .await;
    let events = follow_up.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0]["person_id"].clone(), events[0]["unit_id"].clone()),
        (person["id"].clone(), net.unrelated["id"].clone())
    );
    app.get("/api/v1/audit-events?from=0001-01-01T00:00:00Z", &admin)
        .await
        .assert_problem(400);
    // A period that ends before it starts is refused, not answered empty.
    let backwards = app
        .get(
            "/api/v1/audit-events?from=2026-12-31T00:00:00Z&to=2026-01-01T00:00:00Z",
            &admin,
        )
        .await;
    backwards.assert_problem(400);
    assert_eq!(
        backwards.body["errors"][0]["field"], "to",
        "{}",
        backwards.text
    );
}
