//! Regression tests for holes a code review found in the access rules and their edges.

use serde_json::json;
use tests::TestApp;

use crate::record_support::{id, network, register};

#[actix_web::test]
async fn only_admins_turn_protected_identity_off() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(
        &app,
        &net.ward,
        "19121212-1212",
        json!({ "protected_identity": true, "address": "Hemlig väg 1" }),
    )
    .await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let clinician = app.staff_token("clinician", &net.ward);
    let lift = app
        .patch(
            &path,
            &clinician,
            Some("*"),
            &json!({ "protected_identity": false }),
        )
        .await;
    lift.assert_problem(403);
    assert!(!lift.text.contains("Hemlig"));
    assert!(
        app.get(&path, &clinician)
            .await
            .body
            .get("contact")
            .is_none(),
        "still protected"
    );
    let admin = app.staff_token("admin", &net.ward);
    app.patch(
        &path,
        &admin,
        Some("*"),
        &json!({ "protected_identity": false }),
    )
    .await
    .assert_status(200);
    // Turning protection on is open to every writer.
    app.patch(
        &path,
        &clinician,
        Some("*"),
        &json!({ "protected_identity": true }),
    )
    .await
    .assert_status(200);
}

#[actix_web::test]
async fn an_integrations_entries_need_consent_like_any_other_organizations() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    app.post(
        &format!("{path}/care-relationships"),
        &ward,
        &json!({ "care_unit_id": net.home_care["id"], "role": "home_care_contact" }),
    )
    .await
    .assert_status(201);
    let mut integration = app.claims("integration");
    integration["org"] = net.home_care["organization_id"].clone();
    let municipal_ehr = app.sign(&integration);
    app.post(
        &format!("{path}/statements"),
        &municipal_ehr,
        &json!({ "kind": "need", "text": "from the municipal EHR" }),
    )
    .await
    .assert_status(201);
    let texts = |record: &serde_json::Value| -> Vec<String> {
        record["statements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        texts(&app.get(&path, &ward).await.body).is_empty(),
        "no consent: hidden from the region"
    );
    assert_eq!(
        texts(
            &app.get(&path, &app.staff_token("coordinator", &net.home_care))
                .await
                .body
        ),
        ["from the municipal EHR"]
    );
}

#[actix_web::test]
async fn a_blocked_unit_is_hidden_and_blocks_are_hers_to_list_and_lift() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    let esther = app.person_token(&id(&person));
    app.post(
        &format!("{path}/care-relationships"),
        &ward,
        &json!({ "care_unit_id": net.home_care["id"], "role": "home_care_contact" }),
    )
    .await
    .assert_status(201);
    let block = app
        .post(
            &format!("{path}/blocks"),
            &esther,
            &json!({ "care_unit_id": net.home_care["id"], "reason": "privat" }),
        )
        .await;
    let block = block.assert_status(201).clone();
    let units = |response: &tests::TestResponse, field: &str| -> Vec<String> {
        response.body[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["care_unit_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let ward_view = app.get(&path, &ward).await;
    assert_eq!(
        units(&ward_view, "care_relationships"),
        [net.ward["id"].as_str().unwrap()],
        "the blocked unit is not shown"
    );
    assert!(!ward_view.text.contains("privat"));
    let listed = app.get(&format!("{path}/care-relationships"), &ward).await;
    assert_eq!(units(&listed, "items").len(), 1);
    assert_eq!(
        units(&app.get(&path, &esther).await, "care_relationships").len(),
        2,
        "she sees her whole team"
    );
    let lift = format!("{path}/blocks/{}/lift", id(&block));
    app.post(&lift, &ward, &json!({})).await.assert_problem(403);
    app.post(&lift, &app.staff_token("admin", &net.ward), &json!({}))
        .await
        .assert_status(200);
}

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
}

#[actix_web::test]
async fn an_audience_list_in_the_token_is_accepted() {
    let app = TestApp::spawn().await;
    let mut claims = app.claims("admin");
    claims["aud"] = json!(["another-api", tests::AUDIENCE]);
    app.get("/api/v1/care-units", &app.sign(&claims))
        .await
        .assert_status(200);
    claims["aud"] = json!(["another-api"]);
    app.get("/api/v1/care-units", &app.sign(&claims))
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn records_read_correctly_whatever_the_servers_date_style() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let url = persistence::DatabaseUrl::parse(app.database.url()).unwrap();
    let mut connection = url.connect().unwrap();
    if app.database.is_postgres() {
        use diesel::connection::SimpleConnection;
        // As if the server's default were day-first: our connections pin ISO again.
        connection
            .batch_execute("SET DateStyle = 'SQL, DMY'")
            .unwrap();
        let mut fresh = url.connect().unwrap();
        let person_id = uuid::Uuid::parse_str(&id(&person)).unwrap();
        assert!(
            persistence::snapshot::load(&mut fresh, person_id)
                .unwrap()
                .is_some()
        );
        assert!(
            persistence::snapshot::load(&mut connection, person_id).is_err(),
            "without ISO the text form changes"
        );
    }
}
