use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use tests::TestApp;

async fn region(app: &TestApp) -> Value {
    app.create_organization("Region Jönköpings län", "region", "SE2321000057-0001", None)
        .await
}

fn ids(response: &tests::TestResponse) -> Vec<String> {
    response.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn create_read_and_update() {
    let app = TestApp::spawn().await;
    let token = app.token("admin");
    let region = region(&app).await;
    let unit = app
        .create_care_unit(
            &region,
            "Medicinavdelning 2, Höglandssjukhuset",
            "hospital_ward",
            "0686",
            "SE2321000057-4HJ1",
        )
        .await;
    let path = format!("/api/v1/care-units/{}", unit["id"].as_str().unwrap());
    let read = app.get(&path, &app.token("clinician")).await;
    assert_eq!(read.assert_status(200), &unit);
    assert_eq!(unit["organization_id"], region["id"]);

    let moved = app
        .create_organization(
            "Eksjö kommun",
            "municipality",
            "SE2120000686-0001",
            Some("0686"),
        )
        .await;
    let updated = app
        .patch(&path, &token, Some("\"1\""), &json!({ "kind": "home_health_care", "organization_id": moved["id"], "name": "Hemsjukvård Eksjö" }))
        .await;
    let updated = updated.assert_status(200);
    assert_eq!(
        (
            updated["kind"].as_str(),
            updated["organization_id"].as_str()
        ),
        (Some("home_health_care"), moved["id"].as_str())
    );
    assert_eq!(updated["hsa_id"], unit["hsa_id"], "absent fields are kept");
}

#[actix_web::test]
async fn a_unit_needs_an_existing_active_organization() {
    let app = TestApp::spawn().await;
    let token = app.token("admin");
    let ghost = json!({ "id": uuid::Uuid::now_v7().to_string() });
    let body = json!({ "name": "Vårdcentralen Aneby", "kind": "primary_care_centre", "organization_id": ghost["id"], "municipality": "0604", "hsa_id": "SE2321000057-7AN1" });
    let response = app.post("/api/v1/care-units", &token, &body).await;
    response.assert_problem(422);
    assert_eq!(response.body["errors"][0]["field"], "organization_id");

    let region = region(&app).await;
    let region_path = format!("/api/v1/organizations/{}", region["id"].as_str().unwrap());
    app.patch(
        &region_path,
        &token,
        Some("\"1\""),
        &json!({ "active": false }),
    )
    .await
    .assert_status(200);
    let mut body = body;
    body["organization_id"] = region["id"].clone();
    let response = app.post("/api/v1/care-units", &token, &body).await;
    response.assert_problem(422);
    assert!(
        response.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("deactivated")
    );
    let listed = app
        .get("/api/v1/care-units?include_inactive=true", &token)
        .await;
    assert!(ids(&listed).is_empty(), "nothing was written");
}

#[actix_web::test]
async fn list_filters_by_kind_municipality_organization_and_name() {
    let app = TestApp::spawn().await;
    let token = app.token("coordinator");
    let region = region(&app).await;
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
            "Ortopedavdelning, Höglandssjukhuset",
            "hospital_ward",
            "0686",
            "SE2321000057-E0001",
        )
        .await;
    let vc = app
        .create_care_unit(
            &region,
            "Vårdcentralen Nässjö",
            "primary_care_centre",
            "0682",
            "SE2321000057-E0002",
        )
        .await;
    let home = app
        .create_care_unit(
            &nassjo,
            "Hemtjänst Nässjö",
            "home_care_service",
            "0682",
            "SE2120000682-E0003",
        )
        .await;
    let id = |unit: &Value| unit["id"].as_str().unwrap().to_owned();

    assert_eq!(
        ids(&app.get("/api/v1/care-units", &token).await),
        [id(&ward), id(&vc), id(&home)]
    );
    assert_eq!(
        ids(&app
            .get("/api/v1/care-units?municipality=0682", &token)
            .await),
        [id(&vc), id(&home)]
    );
    assert_eq!(
        ids(&app
            .get("/api/v1/care-units?kind=hospital_ward", &token)
            .await),
        [id(&ward)]
    );
    let by_org = format!(
        "/api/v1/care-units?organization={}",
        nassjo["id"].as_str().unwrap()
    );
    assert_eq!(ids(&app.get(&by_org, &token).await), [id(&home)]);
    assert_eq!(
        ids(&app
            .get("/api/v1/care-units?name=V%C3%85RDCENTRALEN", &token)
            .await),
        [id(&vc)]
    );
    assert_eq!(
        ids(&app.get("/api/v1/care-units?name=Vard", &token).await),
        Vec::<String>::new()
    );
    let combined = format!(
        "/api/v1/care-units?municipality=0682&kind=home_care_service&organization={}",
        nassjo["id"].as_str().unwrap()
    );
    assert_eq!(ids(&app.get(&combined, &token).await), [id(&home)]);
}

#[actix_web::test]
async fn pages_walk_the_whole_list_in_a_stable_order() {
    let app = TestApp::spawn().await;
    let token = app.token("analyst");
    let region = region(&app).await;
    let mut created = Vec::new();
    for n in 0..7 {
        let unit = app
            .create_care_unit(
                &region,
                &format!("Avdelning {n}"),
                "hospital_ward",
                "0680",
                &format!("SE2321000057-W{n}"),
            )
            .await;
        created.push(unit["id"].as_str().unwrap().to_owned());
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/care-units?limit=3".to_owned();
    let mut pages = 0;
    loop {
        let page = app.get(&path, &token).await;
        page.assert_status(200);
        pages += 1;
        seen.extend(ids(&page));
        match page.body.get("next").and_then(Value::as_str) {
            Some(next) => path = format!("/api/v1/care-units?limit=3&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created);
    let exact = app.get("/api/v1/care-units?limit=7", &token).await;
    assert!(
        exact.body.get("next").is_none(),
        "no cursor when nothing follows"
    );
    let default = app.get("/api/v1/care-units", &token).await;
    assert_eq!(ids(&default).len(), 7);
}

#[actix_web::test]
async fn limits_and_cursors_are_checked() {
    let app = TestApp::spawn().await;
    let token = app.token("admin");
    let region = region(&app).await;
    for n in 0..3 {
        app.create_care_unit(
            &region,
            &format!("Avdelning {n}"),
            "hospital_ward",
            "0680",
            &format!("SE2321000057-W{n}"),
        )
        .await;
    }
    for limit in ["0", "201", "-1", "many"] {
        app.get(&format!("/api/v1/care-units?limit={limit}"), &token)
            .await
            .assert_problem(400);
    }
    app.get("/api/v1/care-units?limit=200", &token)
        .await
        .assert_status(200);

    let first = app
        .get("/api/v1/care-units?limit=1&kind=hospital_ward", &token)
        .await;
    let cursor = first.body["next"].as_str().unwrap().to_owned();
    // The cursor is opaque: the id of the row it continues after cannot be read from it
    // (decision 0029), neither as the UUID's bytes nor as its text.
    let last: uuid::Uuid = ids(&first)[0].parse().unwrap();
    let bytes = URL_SAFE_NO_PAD.decode(&cursor).unwrap();
    assert!(
        !bytes
            .windows(4)
            .any(|w| last.as_bytes().windows(4).any(|v| v == w))
    );
    assert!(!String::from_utf8_lossy(&bytes).contains(&last.simple().to_string()[..8]));
    // The cursor works with the same filters (any page size) ...
    app.get(
        &format!("/api/v1/care-units?limit=2&kind=hospital_ward&cursor={cursor}"),
        &token,
    )
    .await
    .assert_status(200);
    // ... but not with other filters or another list,
    app.get(
        &format!("/api/v1/care-units?limit=1&cursor={cursor}"),
        &token,
    )
    .await
    .assert_problem(400);
    app.get(&format!("/api/v1/staff?cursor={cursor}"), &token)
        .await
        .assert_problem(400);
    // and a changed cursor is refused.
    let mut tampered = cursor.clone().into_bytes();
    tampered[0] = if tampered[0] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let response = app
        .get(
            &format!("/api/v1/care-units?kind=hospital_ward&cursor={tampered}"),
            &token,
        )
        .await;
    assert_eq!(
        response.assert_problem(400),
        "urn:smartcare:problem:bad-request"
    );
    for junk in ["x", "%20", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        app.get(&format!("/api/v1/care-units?cursor={junk}"), &token)
            .await
            .assert_problem(400);
    }
}
