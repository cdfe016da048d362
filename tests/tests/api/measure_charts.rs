//! A measure's run and control charts over HTTP: the series through the chart engine, split
//! by default at the project's adopted PDSA change points, as JSON and as SVG.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::TestApp;

/// A project whose readmissions fell after an adopted change on 2025-01-01: twelve months
/// around 20 %, then eight around 10 %. Returns the measure's path.
async fn project_with_a_shift(app: &TestApp) -> String {
    let coach = app.token("coach");
    let project = app
        .post("/api/v1/improvement-projects", &coach, &json!({
            "title": "Trygg hemgång", "status": "active",
            "aim": { "what": "Återinskrivningar inom 30 dagar", "how_much": "halveras", "by_when": "2027-12-31" },
        }))
        .await
        .assert_status(201)
        .clone();
    let id = project["id"].as_str().unwrap();
    let cycle = app
        .post(&format!("/api/v1/improvement-projects/{id}/pdsa-cycles"), &coach, &json!({
            "title": "Telefonsamtal dag 1", "plan": "Ring alla dagen efter hemgång", "prediction": "Färre återinskrivningar",
            "starts_on": "2024-12-01", "change_point_on": "2025-01-01",
        }))
        .await;
    let cycle_path = cycle.header("location").unwrap();
    app.patch(
        &cycle_path,
        &coach,
        Some("\"1\""),
        &json!({ "do_notes": "Alla ringdes", "study": "Som förutsagt", "act": "adopt" }),
    )
    .await
    .assert_status(200);
    let measure = app
        .post(&format!("/api/v1/improvement-projects/{id}/measures"), &coach, &json!({
            "name": "Återinskrivna inom 30 dagar", "operational_definition": "Andel av utskrivna",
            "measure_type": "outcome", "unit_of_measure": "andel", "value_kind": "proportion", "direction": "decrease",
        }))
        .await
        .assert_status(201)
        .clone();
    let path = format!("/api/v1/measures/{}", measure["id"].as_str().unwrap());
    let before = [9, 8, 10, 7, 9, 8, 10, 9, 7, 8, 9, 10];
    let after = [4, 5, 3, 4, 5, 4, 3, 4];
    let mut csv = String::from("period,numerator,denominator,annotation\n");
    for (i, numerator) in before.iter().chain(after.iter()).enumerate() {
        let (year, month) = (2024 + i / 12, i % 12 + 1);
        let note = if i == 12 { "Samtal dag 1 infört" } else { "" };
        csv.push_str(&format!("{year}-{month:02}-01,{numerator},45,{note}\n"));
    }
    app.send(
        Method::POST,
        &format!("{path}/data-points"),
        Some(&coach),
        &[("content-type", "text/csv")],
        Some(csv.into_bytes()),
    )
    .await
    .assert_status(201);
    path
}

fn rules(chart: &Value) -> Vec<String> {
    chart["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn the_run_chart_splits_at_the_adopted_change_and_shows_the_shift_without_it() {
    let app = TestApp::spawn().await;
    let path = project_with_a_shift(&app).await;
    let analyst = app.token("analyst");
    let split = app.get(&format!("{path}/chart"), &analyst).await;
    let chart = split.assert_status(200).clone();
    assert_eq!(chart["type"], "run");
    assert_eq!(chart["points"].as_array().unwrap().len(), 20);
    assert_eq!(
        chart["parts"].as_array().unwrap().len(),
        2,
        "split at the adopted change"
    );
    assert_eq!(chart["parts"][1]["start"], "2025-01-01");
    let whole = app.get(&format!("{path}/chart?split="), &analyst).await;
    let whole = whole.assert_status(200).clone();
    assert_eq!(whole["parts"].as_array().unwrap().len(), 1);
    assert!(rules(&whole).contains(&"shift".to_owned()), "{whole}");
    let shift = whole["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["rule"] == "shift")
        .unwrap();
    assert!(shift["points"].as_array().unwrap().contains(&json!(19)));
    let p = app
        .get(&format!("{path}/chart?type=p&split=2025-01-01"), &analyst)
        .await;
    let p = p.assert_status(200).clone();
    let first = &p["points"][0];
    assert!(first["upper_limit"].as_f64().unwrap() > first["centre"].as_f64().unwrap());
    assert!(first["lower_limit"].as_f64().unwrap() >= 0.0);
    let baseline = app
        .get(&format!("{path}/chart?type=i&baseline=6&split="), &analyst)
        .await;
    assert_eq!(baseline.assert_status(200)["points"][0]["baseline"], true);
    assert_eq!(baseline.body["points"][6]["baseline"], false);
}

#[actix_web::test]
async fn the_chart_as_svg_is_well_formed_xml_with_its_title_and_change() {
    let app = TestApp::spawn().await;
    let path = project_with_a_shift(&app).await;
    let response = app
        .request(
            Method::GET,
            &format!("{path}/chart"),
            Some(&app.token("clinician")),
            &[("accept", "image/svg+xml")],
            None,
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert!(
        response
            .header("content-type")
            .unwrap()
            .starts_with("image/svg+xml")
    );
    let svg = roxmltree::Document::parse(&response.text).expect("well-formed SVG");
    assert_eq!(svg.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = svg.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Återinskrivna inom 30 dagar")),
        "{texts:?}"
    );
}

#[actix_web::test]
async fn a_chart_that_does_not_fit_the_series_or_its_parameters_is_refused() {
    let app = TestApp::spawn().await;
    let path = project_with_a_shift(&app).await;
    let token = app.token("coach");
    app.get(&format!("{path}/chart?type=bar"), &token)
        .await
        .assert_problem(400);
    app.get(&format!("{path}/chart?split=januari"), &token)
        .await
        .assert_problem(400);
    let dates: Vec<String> = (1..=51)
        .map(|day| {
            let date =
                chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(day);
            date.to_string()
        })
        .collect();
    let too_many = app
        .get(&format!("{path}/chart?split={}", dates.join(",")), &token)
        .await;
    too_many.assert_problem(400);
    assert_eq!(
        too_many.body["errors"][0]["field"], "split",
        "{}",
        too_many.text
    );
    app.get(
        &format!("{path}/chart?split={}", dates[..50].join(",")),
        &token,
    )
    .await
    .assert_status(200);
    app.get(&format!("{path}/chart?baseline=0"), &token)
        .await
        .assert_problem(400);
    app.get(&format!("{path}/chart?baseline=500"), &token)
        .await
        .assert_problem(400);
    let c_of_proportions = app.get(&format!("{path}/chart?type=c"), &token).await;
    c_of_proportions.assert_problem(422);
    assert_eq!(c_of_proportions.body["errors"][0]["field"], "points");
    app.get(&format!("{path}/chart"), &app.token("person"))
        .await
        .assert_problem(403);
    app.get(
        &format!("/api/v1/measures/{}/chart", uuid::Uuid::now_v7()),
        &token,
    )
    .await
    .assert_problem(404);
}
