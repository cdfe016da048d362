use tests::TestApp;

#[actix_web::test]
async fn lists_the_county_and_filters_hoglandet() {
    let app = TestApp::spawn().await;
    let token = app.token("analyst");
    let all = app.get("/api/v1/municipalities", &token).await;
    let items = all.assert_status(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 13);
    assert!(all.body.get("next").is_none());
    let hoglandet = app
        .get("/api/v1/municipalities?hoglandet=true", &token)
        .await;
    let names: Vec<&str> = hoglandet.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Aneby", "Nässjö", "Sävsjö", "Vetlanda", "Eksjö", "Tranås"]
    );
    let others = app
        .get("/api/v1/municipalities?hoglandet=false", &token)
        .await;
    assert_eq!(others.body["items"].as_array().unwrap().len(), 7);
}

#[actix_web::test]
async fn reads_one_by_code() {
    let app = TestApp::spawn().await;
    let token = app.token("person");
    let nassjo = app.get("/api/v1/municipalities/0682", &token).await;
    assert_eq!(nassjo.assert_status(200)["name"], "Nässjö");
    assert_eq!(nassjo.body["hoglandet"], true);
    assert!(nassjo.header("etag").is_some());
    app.get("/api/v1/municipalities/0180", &token)
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn municipalities_are_read_only() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/v1/municipalities",
            &app.token("admin"),
            &serde_json::json!({}),
        )
        .await;
    response.assert_problem(405);
}
