//! The demo directory answers the README's first call.

use tests::TestApp;

#[actix_web::test]
async fn demo_directory_lists_the_units_in_nassjo() {
    let app = TestApp::spawn_with_demo().await;
    let response = app
        .get("/api/v1/care-units?municipality=0682", &app.token("admin"))
        .await;
    let units = response.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    let kinds: Vec<&str> = units.iter().map(|u| u["kind"].as_str().unwrap()).collect();
    for kind in [
        "primary_care_centre",
        "home_care_service",
        "home_health_care",
    ] {
        assert!(kinds.contains(&kind), "Nässjö has a {kind}: {kinds:?}");
    }
    assert!(units.iter().all(|u| u["municipality"] == "0682"));

    let hospitals = app
        .get(
            "/api/v1/care-units?name=medicinavdelning&limit=200",
            &app.token("clinician"),
        )
        .await;
    let names: Vec<&str> = hospitals.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    for hospital in [
        "Länssjukhuset Ryhov",
        "Höglandssjukhuset Eksjö",
        "Värnamo sjukhus",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(hospital)),
            "{hospital} in {names:?}"
        );
    }
    let municipalities = app
        .get(
            "/api/v1/organizations?kind=municipality&limit=200",
            &app.token("admin"),
        )
        .await;
    assert_eq!(municipalities.body["items"].as_array().unwrap().len(), 13);
    let staff = app
        .get(
            "/api/v1/staff?municipality=0682&limit=200",
            &app.token("admin"),
        )
        .await;
    assert!(staff.body["items"].as_array().unwrap().len() >= 9);
}

#[actix_web::test]
async fn demo_data_is_loaded_only_once() {
    let app = TestApp::spawn_with_demo().await;
    let mut connection = persistence::DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    assert!(!api::demo::load_if_empty(&mut connection).unwrap());
}
