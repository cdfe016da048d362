use serde_json::{Value, json};
use tests::TestApp;

struct Directory {
    region: Value,
    ward: Value,
    home_care: Value,
}

async fn directory(app: &TestApp) -> Directory {
    let region = app
        .create_organization("Region Jönköpings län", "region", "SE2321000057-0001", None)
        .await;
    let nassjo = app
        .create_organization(
            "Nässjö kommun",
            "municipality",
            "SE2120000682-0001",
            Some("0682"),
        )
        .await;
    let ward = app
        .create_care_unit(
            &region,
            "Medicinavdelning 2",
            "hospital_ward",
            "0686",
            "SE2321000057-E0001",
        )
        .await;
    let home_care = app
        .create_care_unit(
            &nassjo,
            "Hemtjänst Nässjö",
            "home_care_service",
            "0682",
            "SE2120000682-E0001",
        )
        .await;
    Directory {
        region,
        ward,
        home_care,
    }
}

async fn add(app: &TestApp, unit: &Value, name: &str, profession: &str, hsa_id: &str) -> Value {
    let body = json!({ "name": name, "profession": profession, "care_unit_id": unit["id"], "hsa_id": hsa_id });
    app.post("/api/v1/staff", &app.token("admin"), &body)
        .await
        .assert_status(201)
        .clone()
}

fn names(response: &tests::TestResponse) -> Vec<String> {
    response.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn create_read_update_and_deactivate() {
    let app = TestApp::spawn().await;
    let token = app.token("admin");
    let directory = directory(&app).await;
    let member = add(
        &app,
        &directory.ward,
        "Karin Lindqvist",
        "registered_nurse",
        "SE2321000057-P0001",
    )
    .await;
    let path = format!("/api/v1/staff/{}", member["id"].as_str().unwrap());
    assert_eq!(
        app.get(&path, &app.token("person"))
            .await
            .assert_status(200),
        &member
    );

    let moved = app
        .patch(
            &path,
            &token,
            Some("\"1\""),
            &json!({ "care_unit_id": directory.home_care["id"], "profession": "needs_assessor" }),
        )
        .await;
    let moved = moved.assert_status(200);
    assert_eq!(
        (moved["care_unit_id"].clone(), moved["profession"].as_str()),
        (directory.home_care["id"].clone(), Some("needs_assessor"))
    );
    let deactivated = app
        .patch(&path, &token, Some("\"2\""), &json!({ "active": false }))
        .await;
    assert_eq!(deactivated.assert_status(200)["active"], false);
    assert!(names(&app.get("/api/v1/staff", &token).await).is_empty());
}

#[actix_web::test]
async fn staff_need_an_active_unit_and_valid_fields() {
    let app = TestApp::spawn().await;
    let token = app.token("admin");
    let directory = directory(&app).await;
    let body = json!({ "name": "Per Holm", "profession": "surgeon", "care_unit_id": directory.ward["id"], "hsa_id": "P1" });
    let invalid = app.post("/api/v1/staff", &token, &body).await;
    invalid.assert_problem(422);
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["profession", "hsa_id"]);

    let ward_path = format!(
        "/api/v1/care-units/{}",
        directory.ward["id"].as_str().unwrap()
    );
    app.patch(
        &ward_path,
        &token,
        Some("\"1\""),
        &json!({ "active": false }),
    )
    .await
    .assert_status(200);
    let body = json!({ "name": "Per Holm", "profession": "physician", "care_unit_id": directory.ward["id"], "hsa_id": "SE2321000057-P0009" });
    let inactive_unit = app.post("/api/v1/staff", &token, &body).await;
    inactive_unit.assert_problem(422);
    assert_eq!(inactive_unit.body["errors"][0]["field"], "care_unit_id");
}

#[actix_web::test]
async fn list_filters_by_unit_organization_municipality_profession_and_name() {
    let app = TestApp::spawn().await;
    let token = app.token("clinician");
    let directory = directory(&app).await;
    add(
        &app,
        &directory.ward,
        "Karin Lindqvist",
        "registered_nurse",
        "SE2321000057-P0001",
    )
    .await;
    add(
        &app,
        &directory.ward,
        "Lars Ek",
        "physician",
        "SE2321000057-P0002",
    )
    .await;
    add(
        &app,
        &directory.home_care,
        "Åsa Öberg",
        "assistant_nurse",
        "SE2120000682-P0003",
    )
    .await;

    let by_unit = format!(
        "/api/v1/staff?care_unit={}",
        directory.ward["id"].as_str().unwrap()
    );
    assert_eq!(
        names(&app.get(&by_unit, &token).await),
        ["Karin Lindqvist", "Lars Ek"]
    );
    let by_org = format!(
        "/api/v1/staff?organization={}",
        directory.region["id"].as_str().unwrap()
    );
    assert_eq!(
        names(&app.get(&by_org, &token).await),
        ["Karin Lindqvist", "Lars Ek"]
    );
    assert_eq!(
        names(&app.get("/api/v1/staff?municipality=0682", &token).await),
        ["Åsa Öberg"]
    );
    assert_eq!(
        names(&app.get("/api/v1/staff?profession=physician", &token).await),
        ["Lars Ek"]
    );
    assert_eq!(
        names(&app.get("/api/v1/staff?name=%C3%A5sa", &token).await),
        ["Åsa Öberg"]
    );
    app.get("/api/v1/staff?profession=surgeon", &token)
        .await
        .assert_problem(400);
}
