//! A small care network for record tests: the region with a hospital ward and a primary care
//! centre, Nässjö municipality with home care, and an unrelated unit.

use serde_json::{Value, json};
use tests::TestApp;

pub struct Network {
    pub region: Value,
    pub ward: Value,
    pub primary_care: Value,
    pub home_care: Value,
    pub unrelated: Value,
}

pub async fn network(app: &TestApp) -> Network {
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
            "Medicinavdelning 2, Höglandssjukhuset",
            "hospital_ward",
            "0686",
            "SE2321000057-E0001",
        )
        .await;
    let primary_care = app
        .create_care_unit(
            &region,
            "Vårdcentralen Nässjö",
            "primary_care_centre",
            "0682",
            "SE2321000057-E0002",
        )
        .await;
    let home_care = app
        .create_care_unit(
            &nassjo,
            "Hemtjänst Nässjö",
            "home_care_service",
            "0682",
            "SE2120000682-E0003",
        )
        .await;
    let unrelated = app
        .create_care_unit(
            &region,
            "Ortopedavdelning, Värnamo sjukhus",
            "hospital_ward",
            "0683",
            "SE2321000057-E0004",
        )
        .await;
    Network {
        region,
        ward,
        primary_care,
        home_care,
        unrelated,
    }
}

/// Esther, registered by a clinician at `unit`; returns her record as the registrar sees it.
pub async fn register(app: &TestApp, unit: &Value, personal_number: &str, extra: Value) -> Value {
    let mut body = json!({ "personal_number": personal_number, "given_name": "Esther", "family_name": "Andersson", "municipality": "0682" });
    for (key, value) in extra.as_object().cloned().unwrap_or_default() {
        body[key] = value;
    }
    let response = app
        .post(
            "/api/v1/persons",
            &app.staff_token("clinician", unit),
            &body,
        )
        .await;
    assert!(matches!(response.status, 200 | 201), "{}", response.text);
    response.body
}

pub fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}
