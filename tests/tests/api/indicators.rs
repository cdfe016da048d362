//! The network's indicators over HTTP: the table as JSON and as CSV (parsed back with the
//! `csv` crate), small numbers suppressed at 4 persons and shown at 5, who may read them,
//! bad queries, and an indicator's monthly run chart as JSON and as SVG (parsed as XML).

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::{TestApp, personnummer};

use crate::record_support::{Network, id, network, register};

/// Esther number `n`, registered in `municipality`, admitted on 5 October 2026 at 08:00Z,
/// her admission notice sent 30 hours later (late), ready for discharge on the 9th and
/// discharged `days` days later. Returns her id and her case's path.
async fn discharged(
    app: &TestApp,
    net: &Network,
    n: u32,
    municipality: &str,
    days: u32,
) -> (String, String) {
    discharged_in(app, net, n, municipality, days, 10).await
}

/// As [`discharged`], in `month` of 2026 instead of October.
async fn discharged_in(
    app: &TestApp,
    net: &Network,
    n: u32,
    municipality: &str,
    days: u32,
    month: u32,
) -> (String, String) {
    let number = personnummer("19400101", &format!("{:03}", 100 + n));
    let person = register(
        app,
        &net.ward,
        &number,
        json!({ "municipality": municipality }),
    )
    .await;
    let ward = app.staff_token("clinician", &net.ward);
    let case = app
        .post(
            &format!("/api/v1/persons/{}/coordination-cases", id(&person)),
            &ward,
            &json!({ "admitted_at": format!("2026-{month:02}-05T08:00:00Z") }),
        )
        .await;
    let path = format!(
        "/api/v1/coordination-cases/{}/messages",
        id(case.assert_status(201))
    );
    for (kind, sent_at) in [
        ("admission_notice", format!("2026-{month:02}-06T14:00:00Z")),
        (
            "ready_for_discharge",
            format!("2026-{month:02}-09T08:00:00Z"),
        ),
        (
            "discharge_notice",
            format!("2026-{month:02}-{:02}T08:00:00Z", 9 + days),
        ),
    ] {
        let body = json!({ "kind": kind, "to": [net.home_care["id"]], "sent_at": sent_at });
        app.post(&path, &ward, &body).await.assert_status(201);
    }
    (id(&person), path.trim_end_matches("/messages").to_owned())
}

/// Five discharges of Nässjö residents (0682) and four of Eksjö residents (0686) in October.
pub(crate) async fn october(app: &TestApp) {
    let net = network(app).await;
    for (n, days) in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 10)] {
        discharged(app, &net, n, "0682", days).await;
    }
    for n in 6..=9 {
        discharged(app, &net, n, "0686", 2).await;
    }
}

pub(crate) fn row<'a>(
    table: &'a Value,
    indicator: &str,
    municipality: &str,
    period: &str,
) -> &'a Value {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["indicator"] == indicator
                && r["municipality"] == municipality
                && r["period"] == period
        })
        .unwrap_or_else(|| panic!("no row {indicator} {municipality} {period}"))
}

const OCTOBER: &str = "/api/v1/indicators?from=2026-10-01&to=2026-10-31&period=month";

#[actix_web::test]
async fn five_persons_are_shown_and_four_are_suppressed() {
    let app = TestApp::spawn().await;
    october(&app).await;
    let response = app.get(OCTOBER, &app.token("analyst")).await;
    let table = response.assert_status(200);
    assert_eq!(table["minimum_persons"], 5);
    assert_eq!(table["period"], "month");
    // 21 indicators × 13 municipalities × 1 month.
    assert_eq!(table["rows"].as_array().unwrap().len(), 21 * 13);

    let median = row(table, "days_ready_to_discharge_median", "0682", "2026-10");
    assert_eq!(
        (median["value"].as_f64(), median["suppressed"].as_bool()),
        (Some(3.0), Some(false))
    );
    assert_eq!(median["unit"], "days");
    assert_eq!(median["municipality_name"], "Nässjö");
    assert_eq!(
        (
            median["period_start"].as_str(),
            median["period_end"].as_str()
        ),
        (Some("2026-10-01"), Some("2026-10-31"))
    );
    let mean = row(table, "days_ready_to_discharge_mean", "0682", "2026-10");
    assert_eq!(mean["value"].as_f64(), Some(4.0));
    let late = row(table, "admission_notices_late", "0682", "2026-10");
    assert_eq!(late["value"].as_f64(), Some(5.0));

    for indicator in [
        "days_ready_to_discharge_median",
        "days_ready_to_discharge_mean",
        "admission_notices_late",
    ] {
        let hidden = row(table, indicator, "0686", "2026-10");
        assert_eq!(hidden["suppressed"], true, "{indicator}");
        assert!(hidden["value"].is_null(), "{indicator}: {hidden}");
    }
    // Nothing happened: 0 is shown (it identifies nobody); a median of nothing is absent.
    let calls = row(table, "planning_calls", "0682", "2026-10");
    assert_eq!(
        (calls["value"].as_f64(), calls["suppressed"].as_bool()),
        (Some(0.0), Some(false))
    );
    let none = row(table, "days_ready_to_discharge_median", "0604", "2026-10");
    assert_eq!(
        (none["value"].is_null(), none["suppressed"].as_bool()),
        (true, Some(false))
    );
    // No personal data in the answer.
    assert!(!response.text.contains("Esther") && !response.text.contains("19400101"));

    let one = app
        .get(&format!("{OCTOBER}&municipality=0686"), &app.token("coach"))
        .await;
    let rows = one.assert_status(200)["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 21);
    assert!(rows.iter().all(|r| r["municipality"] == "0686"));
}

#[actix_web::test]
async fn the_table_as_csv_reads_back_with_a_csv_reader() {
    let app = TestApp::spawn().await;
    october(&app).await;
    let response = app
        .send(
            Method::GET,
            &format!("{OCTOBER}&municipality=0682"),
            Some(&app.token("analyst")),
            &[("accept", "text/csv")],
            None,
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert!(
        response
            .header("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    let mut reader = csv::Reader::from_reader(response.text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "indicator",
            "unit",
            "municipality",
            "municipality_name",
            "period",
            "period_start",
            "period_end",
            "value",
            "suppressed"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 21);
    let median = records
        .iter()
        .find(|r| &r[0] == "days_ready_to_discharge_median")
        .unwrap();
    assert_eq!(
        (&median[2], &median[4], &median[7], &median[8]),
        ("0682", "2026-10", "3.0", "false")
    );
    assert_eq!(&median[3], "Nässjö");

    let eksjo = app
        .send(
            Method::GET,
            &format!("{OCTOBER}&municipality=0686"),
            Some(&app.token("analyst")),
            &[("accept", "text/csv")],
            None,
        )
        .await;
    let mut reader = csv::Reader::from_reader(eksjo.text.as_bytes());
    let hidden = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "days_ready_to_discharge_median")
        .unwrap();
    assert_eq!((&hidden[7], &hidden[8]), ("", "true"));
}

#[actix_web::test]
async fn the_analyst_and_staff_read_indicators_and_esther_does_not() {
    let app = TestApp::spawn().await;
    for role in [
        "analyst",
        "admin",
        "coordinator",
        "clinician",
        "coach",
        "integration",
    ] {
        app.get(OCTOBER, &app.token(role)).await.assert_status(200);
    }
    app.get(
        OCTOBER,
        &app.person_token(&uuid::Uuid::now_v7().to_string()),
    )
    .await
    .assert_problem(403);
    let anonymous = app.send(Method::GET, OCTOBER, None, &[], None).await;
    assert_eq!(anonymous.status, 401);
}

#[actix_web::test]
async fn bad_queries_are_refused_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let token = app.token("analyst");
    for (query, field) in [
        ("period=week", "period"),
        ("municipality=0999", "municipality"),
        ("from=2026-13-01", "from"),
        ("from=2026-10-01&to=2026-09-30", "to"),
        ("from=2000-01-01&to=2026-10-31", "from"),
    ] {
        let response = app
            .get(&format!("/api/v1/indicators?{query}"), &token)
            .await;
        response.assert_problem(400);
        let fields: Vec<&str> = response.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{query}: {fields:?}");
    }
    app.get("/api/v1/indicators?colour=blue", &token)
        .await
        .assert_problem(400);
    let chart = "/api/v1/indicators/planning_calls/chart";
    let missing = app.get(chart, &token).await;
    missing.assert_problem(400);
    assert_eq!(missing.body["errors"][0]["field"], "municipality");
    app.get(
        "/api/v1/indicators/happiness/chart?municipality=0686",
        &token,
    )
    .await
    .assert_problem(404);
}

/// Held ESTHER cafés hosted by Eksjö: `per_month[i]` in month i + 1 of 2026.
async fn cafes(app: &TestApp, per_month: &[u32]) {
    let token = app.token("coordinator");
    for (month, count) in per_month.iter().enumerate() {
        for day in 0..*count {
            let starts = format!("2026-{:02}-{:02}T12:00:00Z", month + 1, 10 + day);
            let ends = format!("2026-{:02}-{:02}T15:00:00Z", month + 1, 10 + day);
            let body = json!({ "kind": "esther_cafe", "title": "ESTHER-café", "starts_at": starts, "ends_at": ends, "host_municipality": "0686" });
            let created = app.post("/api/v1/meetings", &token, &body).await;
            let path = format!("/api/v1/meetings/{}", id(created.assert_status(201)));
            app.patch(&path, &token, Some("\"1\""), &json!({ "status": "held" }))
                .await
                .assert_status(200);
        }
    }
}

const CAFES: &str = "/api/v1/indicators/meetings_held_esther_cafe/chart?municipality=0686&from=2026-01-01&to=2026-08-31";

#[actix_web::test]
async fn an_indicator_is_a_monthly_run_chart_as_json() {
    let app = TestApp::spawn().await;
    cafes(&app, &[1, 2, 1, 2, 1, 3, 2, 1]).await;
    let response = app.get(CAFES, &app.token("analyst")).await;
    let body = response.assert_status(200);
    assert_eq!(body["indicator"], "meetings_held_esther_cafe");
    assert_eq!(body["unit"], "meetings");
    assert_eq!(body["municipality"], "0686");
    assert_eq!(body["suppressed_months"], json!([]));
    let chart = &body["chart"];
    assert_eq!(chart["type"], "run");
    let points = chart["points"].as_array().unwrap();
    assert_eq!(points.len(), 8);
    assert_eq!(points[0]["date"], "2026-01-01");
    assert_eq!(points[5]["value"].as_f64(), Some(3.0));
    // Median of 1, 2, 1, 2, 1, 3, 2, 1 is 1.5; every point is useful.
    assert_eq!(points[0]["centre"].as_f64(), Some(1.5));
    assert!(points[0]["upper_limit"].is_null());
    assert_eq!(chart["parts"][0]["runs"]["useful_points"], 8);
    assert!(
        chart["parts"][0]["runs"]["longest_run_limit"].is_null(),
        "fewer than 10 points"
    );

    let also = app
        .send(
            Method::GET,
            CAFES,
            Some(&app.token("analyst")),
            &[("accept", "application/json")],
            None,
        )
        .await;
    assert_eq!(also.body, *body);
}

#[actix_web::test]
async fn an_indicator_chart_as_svg_is_well_formed_xml() {
    let app = TestApp::spawn().await;
    cafes(&app, &[1, 2, 1, 2]).await;
    let response = app
        .send(
            Method::GET,
            CAFES,
            Some(&app.token("analyst")),
            &[("accept", "image/svg+xml")],
            None,
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(
        response.header("content-type").as_deref(),
        Some("image/svg+xml; charset=utf-8")
    );
    let document = roxmltree::Document::parse(&response.text).unwrap();
    let svg = document.root_element();
    assert!(svg.has_tag_name("svg"));
    assert_eq!(
        (svg.attribute("width"), svg.attribute("height")),
        (Some("800"), Some("400"))
    );
    let texts: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::trim))
        .collect();
    assert!(
        texts.contains(&"meetings_held_esther_cafe – Eksjö"),
        "{texts:?}"
    );
    assert!(texts.contains(&"meetings"));
    assert!(texts.iter().any(|t| t.starts_with("2026-")));
    let circles = document
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .count();
    assert!(circles >= 8, "one per month of January–August: {circles}");

    // Nothing to chart: still a picture that says so.
    let empty = app
        .send(
            Method::GET,
            "/api/v1/indicators/days_ready_to_discharge_median/chart?municipality=0686&from=2026-01-01&to=2026-03-31",
            Some(&app.token("analyst")),
            &[("accept", "image/svg+xml")],
            None,
        )
        .await;
    assert_eq!(empty.status, 200);
    let document = roxmltree::Document::parse(&empty.text).unwrap();
    assert!(
        document
            .descendants()
            .any(|n| n.text().is_some_and(|t| t.contains("No figures")))
    );
}

#[actix_web::test]
async fn suppressed_months_are_left_out_of_the_chart_and_listed() {
    let app = TestApp::spawn().await;
    october(&app).await;
    let response = app
        .get(
            "/api/v1/indicators/days_ready_to_discharge_median/chart?municipality=0686&from=2026-09-01&to=2026-10-31",
            &app.token("analyst"),
        )
        .await;
    let body = response.assert_status(200);
    assert_eq!(body["suppressed_months"], json!(["2026-10-01"]));
    assert!(
        body["chart"].is_null(),
        "September has no discharges, October is suppressed"
    );
    let shown = app
        .get(
            "/api/v1/indicators/days_ready_to_discharge_median/chart?municipality=0682&from=2026-09-01&to=2026-10-31",
            &app.token("analyst"),
        )
        .await;
    let points = shown.assert_status(200)["chart"]["points"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(points.len(), 1);
    assert_eq!(points[0]["value"].as_f64(), Some(3.0));
}

/// Records that Eksjö (0686) pays for the case at `case`.
async fn paid_by_eksjo(app: &TestApp, net: &Network, case: &str) {
    let coordinator = app.staff_token("coordinator", &net.ward);
    let version = app.get(case, &coordinator).await.header("etag").unwrap();
    app.request(
        Method::PUT,
        &format!("{case}/paying-municipality"),
        Some(&coordinator),
        &[("if-match", version.as_str())],
        Some(
            &json!({ "municipality": "0686", "reason": "Bor sedan i höstas hos sin son i Eksjö" }),
        ),
    )
    .await
    .assert_status(200);
}

#[actix_web::test]
async fn a_municipality_asked_for_gets_its_rows_of_the_whole_table() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let mut nassjo = Vec::new();
    for (n, days) in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 10), (6, 5)] {
        nassjo.push(discharged(&app, &net, n, "0682", days).await);
    }
    for n in 7..=10 {
        discharged(&app, &net, n, "0686", 2).await;
    }
    // A Nässjö resident's stay paid by Eksjö: five of Eksjö's, five of Nässjö's.
    paid_by_eksjo(&app, &net, &nassjo[5].1).await;
    // The first is admitted again on 20 October, Eksjö paying: a readmission for Nässjö.
    let again = app
        .post(
            &format!("/api/v1/persons/{}/coordination-cases", nassjo[0].0),
            &app.staff_token("clinician", &net.ward),
            &json!({ "admitted_at": "2026-10-20T08:00:00Z" }),
        )
        .await;
    let again = format!(
        "/api/v1/coordination-cases/{}",
        id(again.assert_status(201))
    );
    paid_by_eksjo(&app, &net, &again).await;
    cafes(&app, &[1, 0, 2]).await;

    let analyst = app.token("analyst");
    let span = "from=2026-01-01&to=2026-12-31";
    let whole = app
        .get(&format!("/api/v1/indicators?{span}&period=month"), &analyst)
        .await;
    let whole = whole.assert_status(200).clone();
    let figure = |municipality: &str, indicator: &str| {
        let cell = row(&whole, indicator, municipality, "2026-10");
        (cell["value"].as_f64(), cell["suppressed"].as_bool())
    };
    assert_eq!(
        figure("0682", "days_ready_to_discharge_median"),
        (Some(3.0), Some(false))
    );
    assert_eq!(
        figure("0686", "days_ready_to_discharge_median"),
        (Some(2.0), Some(false))
    );
    assert_eq!(
        figure("0682", "readmissions_within_30_days"),
        (None, Some(true)),
        "one readmission, paid by another municipality"
    );
    for municipality in ["0682", "0686", "0680", "0604"] {
        let asked = app
            .get(
                &format!("/api/v1/indicators?{span}&period=month&municipality={municipality}"),
                &analyst,
            )
            .await;
        let asked = asked.assert_status(200)["rows"].as_array().unwrap().clone();
        let of_whole: Vec<Value> = whole["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["municipality"] == municipality)
            .cloned()
            .collect();
        assert_eq!(asked.len(), 21 * 12);
        assert_eq!(asked, of_whole, "{municipality}");
    }
    // A chart reads only its indicator's inputs: the same figures.
    let chart = app
        .get(
            &format!(
                "/api/v1/indicators/readmissions_within_30_days/chart?municipality=0682&{span}"
            ),
            &analyst,
        )
        .await;
    assert_eq!(
        chart.assert_status(200)["suppressed_months"],
        json!(["2026-10-01"])
    );
    let calls = app
        .get(
            &format!(
                "/api/v1/indicators/days_ready_to_discharge_median/chart?municipality=0686&{span}"
            ),
            &analyst,
        )
        .await;
    let points = calls.assert_status(200)["chart"]["points"].clone();
    assert_eq!(points.as_array().unwrap().len(), 1);
    assert_eq!(
        (points[0]["date"].as_str(), points[0]["value"].as_f64()),
        (Some("2026-10-01"), Some(2.0))
    );
}

#[actix_web::test]
async fn a_hidden_month_cannot_be_found_by_subtraction_from_any_other_answer() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    // Late admission notices in Nässjö: 5 persons in October, 2 in November, none in December.
    for n in 1..=5 {
        discharged(&app, &net, n, "0682", 2).await;
    }
    for n in 6..=7 {
        discharged_in(&app, &net, n, "0682", 2, 11).await;
    }
    let analyst = app.token("analyst");
    let figures = |period: &'static str, from: &'static str, to: &'static str| {
        let (app, analyst) = (&app, &analyst);
        async move {
            let table = app
                .get(
                    &format!(
                        "/api/v1/indicators?municipality=0682&from={from}&to={to}&period={period}"
                    ),
                    analyst,
                )
                .await;
            let table = table.assert_status(200).clone();
            let rows: Vec<(String, Option<f64>, bool)> = table["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["indicator"] == "admission_notices_late")
                .map(|r| {
                    (
                        r["period"].as_str().unwrap().to_owned(),
                        r["value"].as_f64(),
                        r["suppressed"].as_bool().unwrap(),
                    )
                })
                .collect();
            (table, rows)
        }
    };
    let (_, months) = figures("month", "2026-10-01", "2026-12-31").await;
    let (_, quarter) = figures("quarter", "2026-10-01", "2026-12-31").await;
    assert_eq!(quarter, [("2026-Q4".to_owned(), Some(7.0), false)]);
    // November (2 persons) is hidden, and October with it: shown, the quarter less October
    // and December would be November. December's 0 is no cover (nothing is known to be 0).
    assert_eq!(
        months,
        [
            ("2026-10".to_owned(), None, true),
            ("2026-11".to_owned(), None, true),
            ("2026-12".to_owned(), Some(0.0), false),
        ]
    );
    // A span that is part of a month is the whole month: no two spans differ by a few days.
    let (table, part) = figures("month", "2026-10-03", "2026-10-20").await;
    assert_eq!(
        (table["from"].as_str(), table["to"].as_str()),
        (Some("2026-10-01"), Some("2026-10-31"))
    );
    assert_eq!(part, [("2026-10".to_owned(), None, true)]);
    // The chart hides the same months.
    let chart = app
        .get(
            "/api/v1/indicators/admission_notices_late/chart?municipality=0682&from=2026-10-01&to=2026-12-31",
            &analyst,
        )
        .await;
    assert_eq!(
        chart.assert_status(200)["suppressed_months"],
        json!(["2026-10-01", "2026-11-01"])
    );
}

#[actix_web::test]
async fn the_accept_header_is_negotiated_and_a_refused_type_is_never_sent() {
    let app = TestApp::spawn().await;
    let analyst = app.token("analyst");
    let table = "/api/v1/indicators?municipality=0686&from=2026-10-01&to=2026-10-31";
    let with = |path: &'static str, accept: &'static str| {
        let (app, analyst) = (&app, &analyst);
        async move {
            app.send(
                Method::GET,
                path,
                Some(analyst),
                &[("accept", accept)],
                None,
            )
            .await
        }
    };
    for (accept, answered) in [
        ("text/csv;q=0, application/json", "application/json"),
        ("application/json;q=0.5, text/csv", "text/csv"),
        ("text/*", "text/csv"),
        ("*/*", "application/json"),
    ] {
        let response = with(table, accept).await;
        assert_eq!(response.status, 200, "{accept}: {}", response.text);
        let content_type = response.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with(answered),
            "{accept}: {content_type}"
        );
        let vary = response.header("vary").unwrap_or_default();
        assert!(vary.split(',').any(|v| v.trim() == "Accept"), "{vary}");
    }
    for (path, accept) in [
        (table, "text/csv;q=0"),
        (table, "image/png"),
        (CAFES, "image/png, application/json;q=0"),
    ] {
        let refused = with(path, accept).await;
        assert_eq!(refused.status, 406, "{accept}: {}", refused.text);
        let problem: Value = serde_json::from_str(&refused.text).unwrap();
        assert_eq!(problem["type"], "urn:smartcare:problem:not-acceptable");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("image/svg+xml")
                || path == table
        );
    }
    let picture = with(CAFES, "image/*").await;
    assert_eq!(picture.status, 200, "{}", picture.text);
    assert!(picture.text.starts_with("<svg") || picture.text.starts_with("<?xml"));
}
