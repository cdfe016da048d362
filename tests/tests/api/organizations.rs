use serde_json::json;
use tests::TestApp;

#[actix_web::test]
async fn create_read_update_and_deactivate() {
    let app = TestApp::spawn().await;
    let token = app.token("admin");
    let response = app
        .post("/api/v1/organizations", &token, &json!({ "name": " Nässjö kommun ", "kind": "municipality", "hsa_id": "se2120000682-0001", "municipality": "0682" }))
        .await;
    let created = response.assert_status(201).clone();
    let id = created["id"].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);
    assert_eq!(
        response.header("location"),
        Some(format!("/api/v1/organizations/{id}"))
    );
    assert_eq!(response.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(
        (created["name"].as_str(), created["hsa_id"].as_str()),
        (Some("Nässjö kommun"), Some("SE2120000682-0001"))
    );
    assert_eq!(created["active"], true);

    let path = format!("/api/v1/organizations/{id}");
    let read = app.get(&path, &app.token("coach")).await;
    assert_eq!(read.assert_status(200), &created);

    let deactivated = app
        .patch(&path, &token, Some("\"1\""), &json!({ "active": false }))
        .await;
    assert_eq!(deactivated.assert_status(200)["active"], false);
    assert_eq!(deactivated.body["version"], 2);
    assert!(deactivated.body["updated_at"].as_str() > created["updated_at"].as_str());
    // Deactivated: still readable, left out of lists unless asked for.
    app.get(&path, &token).await.assert_status(200);
    let listed = app.get("/api/v1/organizations", &token).await;
    assert!(listed.body["items"].as_array().unwrap().is_empty());
    let with_inactive = app
        .get("/api/v1/organizations?include_inactive=true", &token)
        .await;
    assert_eq!(with_inactive.body["items"][0]["id"], id);
}

#[actix_web::test]
async fn a_municipality_organization_must_name_its_municipality() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/v1/organizations", &app.token("admin"), &json!({ "name": "Eksjö kommun", "kind": "municipality", "hsa_id": "SE2120000686-0001" }))
        .await;
    response.assert_problem(422);
    assert_eq!(response.body["errors"][0]["field"], "municipality");
}

#[actix_web::test]
async fn list_filters_by_kind_municipality_and_name() {
    let app = TestApp::spawn().await;
    let token = app.token("integration");
    app.create_organization("Region Jönköpings län", "region", "SE2321000057-0001", None)
        .await;
    app.create_organization(
        "Nässjö kommun",
        "municipality",
        "SE2120000682-0001",
        Some("0682"),
    )
    .await;
    app.create_organization(
        "Eksjö kommun",
        "municipality",
        "SE2120000686-0001",
        Some("0686"),
    )
    .await;
    app.create_organization(
        "Nässjö Läkarhus AB",
        "private_provider",
        "SE5590000001-0001",
        Some("0682"),
    )
    .await;
    let names = |response: tests::TestResponse| -> Vec<String> {
        response.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(
            app.get("/api/v1/organizations?kind=municipality", &token)
                .await
        ),
        ["Nässjö kommun", "Eksjö kommun"]
    );
    assert_eq!(
        names(
            app.get("/api/v1/organizations?municipality=0682", &token)
                .await
        ),
        ["Nässjö kommun", "Nässjö Läkarhus AB"]
    );
    assert_eq!(
        names(
            app.get("/api/v1/organizations?name=N%C3%84SSJ%C3%96", &token)
                .await
        ),
        ["Nässjö kommun", "Nässjö Läkarhus AB"]
    );
    assert_eq!(
        names(
            app.get(
                "/api/v1/organizations?name=n%C3%A4ssj%C3%B6%20k&kind=municipality",
                &token
            )
            .await
        ),
        ["Nässjö kommun"]
    );
    assert!(
        names(app.get("/api/v1/organizations?name=%25", &token).await).is_empty(),
        "% matches only itself"
    );
    app.get("/api/v1/organizations?name=", &token)
        .await
        .assert_problem(400);
}
