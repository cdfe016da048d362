//! The network's stock indicators over HTTP (open and overdue action items, active
//! improvement projects, coaches and certified coaches, counted at the end of each month and
//! never suppressed), a project measure bound to an indicator (its points and chart from the
//! care chain, read-only, suppressed months left out), and action items linked to
//! improvement projects.

use actix_web::http::Method;
use chrono::{Datelike, Duration, Utc};
use serde_json::{Value, json};
use tests::TestApp;

use crate::action_items::add;
use crate::improvement_projects::staff_member;
use crate::indicators::{october, row};
use crate::meeting_records::{held_meeting_at, refused_field};
use crate::record_support::{id, network};

/// The current month's label and first day, as the server names them ([`tests::today`]). The
/// tests keep clear of midnight otherwise by a margin of days in what they record.
fn this_month() -> (String, String) {
    let today = tests::today();
    (
        format!("{:04}-{:02}", today.year(), today.month()),
        format!("{:04}-{:02}-01", today.year(), today.month()),
    )
}

/// The indicators of one municipality from 40 days ago to today, by month.
async fn recent(app: &TestApp, municipality: &str) -> Value {
    let from = (Utc::now() - Duration::days(40)).date_naive();
    app.get(
        &format!("/api/v1/indicators?municipality={municipality}&from={from}&period=month"),
        &app.token("analyst"),
    )
    .await
    .assert_status(200)
    .clone()
}

fn value_now(table: &Value, indicator: &str, municipality: &str) -> Value {
    let cell = row(table, indicator, municipality, &this_month().0);
    assert_eq!(cell["suppressed"], false, "{cell}");
    cell["value"].clone()
}

/// A held meeting hosted by Eksjö (0686), started `days_ago` days ago.
async fn held_in_eksjo(app: &TestApp, kind: &str, days_ago: i64) -> String {
    held_meeting_at(app, kind, days_ago, json!({ "host_municipality": "0686" })).await
}

async fn item(
    app: &TestApp,
    meeting: &str,
    owner: &Value,
    due_in_days: i64,
    extra: Value,
) -> Value {
    let due = (Utc::now() + Duration::days(due_in_days)).date_naive();
    let mut body =
        json!({ "title": "Ring hemtjänsten före hemgång", "owner_id": owner["id"], "due": due });
    for (key, value) in extra.as_object().cloned().unwrap_or_default() {
        body[key] = value;
    }
    add(app, meeting, body).await
}

#[actix_web::test]
async fn open_and_overdue_action_items_are_counted_now_by_the_meetings_host_and_never_suppressed() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let owner = staff_member(&app, &net.home_care, "SE2120000686-S0201").await;
    let meeting = held_in_eksjo(&app, "municipal_network", 5).await;
    // Two due four days ago (overdue today), two due in a month: four items, shown as 4.
    let mut items = Vec::new();
    for due in [-4, -4, 30, 30] {
        items.push(item(&app, &meeting, &owner, due, json!({})).await);
    }
    let table = recent(&app, "0686").await;
    assert_eq!(value_now(&table, "action_items_open", "0686"), 4.0);
    assert_eq!(value_now(&table, "action_items_overdue", "0686"), 2.0);
    let unit = row(&table, "action_items_open", "0686", &this_month().0);
    assert_eq!(unit["unit"], "action items");
    // A fifth, then one done: counts of items, not persons, so 5 and 4 alike are numbers.
    items.push(item(&app, &meeting, &owner, 30, json!({})).await);
    assert_eq!(
        value_now(&recent(&app, "0686").await, "action_items_open", "0686"),
        5.0
    );
    let done = &items[0];
    app.patch(
        &format!("/api/v1/action-items/{}", id(done)),
        &app.token("coordinator"),
        Some("\"1\""),
        &json!({ "status": "done" }),
    )
    .await
    .assert_status(200);
    let table = recent(&app, "0686").await;
    assert_eq!(value_now(&table, "action_items_open", "0686"), 4.0);
    assert_eq!(value_now(&table, "action_items_overdue", "0686"), 1.0);
    // Another host's table does not see them.
    assert_eq!(
        value_now(&recent(&app, "0685").await, "action_items_open", "0685"),
        0.0
    );
    // As CSV, read back with a CSV reader.
    let from = (Utc::now() - Duration::days(40)).date_naive();
    let csv = app
        .send(
            Method::GET,
            &format!("/api/v1/indicators?municipality=0686&from={from}"),
            Some(&app.token("analyst")),
            &[("accept", "text/csv")],
            None,
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let overdue = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "action_items_overdue" && r[4] == this_month().0)
        .unwrap();
    assert_eq!(
        (&overdue[1], &overdue[7], &overdue[8]),
        ("action items", "1.0", "false")
    );
}

#[actix_web::test]
async fn active_projects_and_coaches_are_counted_per_municipality_and_charted() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let coach = app.token("coach");
    for (status, municipalities) in [
        ("active", json!(["0686", "0604"])),
        ("active", json!(["0686"])),
        ("idea", json!(["0686"])),
    ] {
        app.post("/api/v1/improvement-projects", &coach, &json!({
            "title": "Trygg hemgång", "aim": { "what": "Återinskrivningar", "how_much": "halveras", "by_when": "2027-06-30" },
            "municipalities": municipalities, "status": status,
        }))
        .await
        .assert_status(201);
    }
    let coordinator = app.token("coordinator");
    for (hsa, certified) in [
        ("SE2120000686-S0301", json!("2026-05-20")),
        ("SE2120000686-S0302", Value::Null),
    ] {
        let staff = staff_member(&app, &net.home_care, hsa).await;
        app.post(
            "/api/v1/coaches",
            &coordinator,
            &json!({
                "staff_id": staff["id"], "certified_on": certified, "municipalities": ["0686"],
            }),
        )
        .await
        .assert_status(201);
    }
    let table = recent(&app, "0686").await;
    assert_eq!(
        value_now(&table, "improvement_projects_active", "0686"),
        2.0
    );
    assert_eq!(value_now(&table, "coaches", "0686"), 2.0);
    assert_eq!(value_now(&table, "coaches_certified", "0686"), 1.0);
    assert_eq!(
        row(&table, "coaches", "0686", &this_month().0)["unit"],
        "coaches"
    );
    let aneby = recent(&app, "0604").await;
    assert_eq!(
        value_now(&aneby, "improvement_projects_active", "0604"),
        1.0
    );
    assert_eq!(value_now(&aneby, "coaches", "0604"), 0.0);

    let (_, first_day) = this_month();
    let chart = app
        .get(
            &format!("/api/v1/indicators/coaches/chart?municipality=0686&from={first_day}"),
            &app.token("analyst"),
        )
        .await;
    let body = chart.assert_status(200);
    assert_eq!(body["unit"], "coaches");
    let points = body["chart"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!(points[0]["value"].as_f64(), Some(2.0));
    assert_eq!(points[0]["date"], first_day.as_str());
}

async fn project(app: &TestApp, start_on: &str) -> Value {
    app.post("/api/v1/improvement-projects", &app.token("coach"), &json!({
        "title": "Kortare väntan på hemgång", "aim": { "what": "Dagar från utskrivningsklar", "how_much": "halveras", "by_when": "2027-06-30" },
        "municipalities": ["0682", "0686"], "status": "active", "start_on": start_on,
    }))
    .await
    .assert_status(201)
    .clone()
}

fn bound_measure(indicator: &str, municipality: &str) -> Value {
    json!({
        "name": "Dagar från utskrivningsklar till hemgång", "operational_definition": "Nätverkets indikator, median per månad",
        "measure_type": "outcome", "unit_of_measure": "dagar", "value_kind": "measurement", "direction": "decrease",
        "indicator": indicator, "municipality": municipality,
    })
}

#[actix_web::test]
async fn a_measure_bound_to_an_indicator_takes_its_points_from_the_care_chain() {
    let app = TestApp::spawn().await;
    october(&app).await;
    let project = project(&app, "2026-10-01").await;
    let measures = format!("/api/v1/improvement-projects/{}/measures", id(&project));
    let coach = app.token("coach");
    let nassjo = app
        .post(
            &measures,
            &coach,
            &bound_measure("days_ready_to_discharge_median", "0682"),
        )
        .await
        .assert_status(201)
        .clone();
    assert_eq!(nassjo["indicator"], "days_ready_to_discharge_median");
    assert_eq!(nassjo["municipality"], "0682");
    let path = format!("/api/v1/measures/{}", id(&nassjo));
    let analyst = app.token("analyst");

    // Five discharges of Nässjö residents in October 2026: a median of 3 days.
    let points = app
        .get(&format!("{path}/data-points"), &analyst)
        .await
        .assert_status(200)
        .clone();
    let items = points["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only October has discharges: {points}");
    assert_eq!(items[0]["period"], "2026-10-01");
    assert_eq!(items[0]["value"].as_f64(), Some(3.0));
    assert_eq!(
        items[0]["recorded_by"],
        "indicator:days_ready_to_discharge_median"
    );
    assert_eq!(points["suppressed_periods"], json!([]));
    let again = app.get(&format!("{path}/data-points"), &analyst).await;
    assert_eq!(again.body["items"][0]["id"], items[0]["id"], "stable ids");
    let chart = app.get(&format!("{path}/chart"), &analyst).await;
    let chart = chart.assert_status(200);
    assert_eq!(chart["points"].as_array().unwrap().len(), 1);
    assert_eq!(chart["points"][0]["value"].as_f64(), Some(3.0));

    // Four Eksjö residents: suppressed, listed, never a point.
    let eksjo = app
        .post(
            &measures,
            &coach,
            &bound_measure("days_ready_to_discharge_median", "0686"),
        )
        .await
        .assert_status(201)
        .clone();
    let hidden = app
        .get(
            &format!("/api/v1/measures/{}/data-points", id(&eksjo)),
            &analyst,
        )
        .await;
    assert_eq!(hidden.assert_status(200)["items"], json!([]));
    assert_eq!(hidden.body["suppressed_periods"], json!(["2026-10-01"]));

    // Read-only: points are not sent to a bound measure.
    let refused = app
        .post(
            &format!("{path}/data-points"),
            &coach,
            &json!({ "points": [{ "period": "2026-11-01", "value": 2 }] }),
        )
        .await;
    refused.assert_problem(409);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("days_ready_to_discharge_median"),
        "{}",
        refused.text
    );
    let after = app.get(&format!("{path}/data-points"), &analyst).await;
    assert_eq!(after.body["items"].as_array().unwrap().len(), 1);
    // The project lists it with its binding.
    let read = app
        .get(
            &format!("/api/v1/improvement-projects/{}", id(&project)),
            &coach,
        )
        .await;
    assert_eq!(
        read.assert_status(200)["measures"][0]["indicator"],
        "days_ready_to_discharge_median"
    );
}

#[actix_web::test]
async fn a_bad_binding_is_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let project = project(&app, "2026-10-01").await;
    let measures = format!("/api/v1/improvement-projects/{}/measures", id(&project));
    let coach = app.token("coach");
    let mut without_municipality = bound_measure("planning_calls", "0682");
    without_municipality
        .as_object_mut()
        .unwrap()
        .remove("municipality");
    for (body, field) in [
        (without_municipality, "municipality"),
        (bound_measure("happiness", "0682"), "indicator"),
        (bound_measure("planning_calls", "0999"), "municipality"),
        (
            {
                let mut b = bound_measure("planning_calls", "0682");
                b["value_kind"] = json!("proportion");
                b
            },
            "value_kind",
        ),
    ] {
        let response = app.post(&measures, &coach, &body).await;
        assert_eq!(refused_field(&response), field, "{body}");
    }
    let read = app
        .get(
            &format!("/api/v1/improvement-projects/{}", id(&project)),
            &coach,
        )
        .await;
    assert_eq!(read.assert_status(200)["measures"], json!([]));
}

#[actix_web::test]
async fn action_items_are_linked_to_a_project_filtered_by_it_and_listed_on_it() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let owner = staff_member(&app, &net.home_care, "SE2120000686-S0401").await;
    let meeting = held_in_eksjo(&app, "municipal_network", 3).await;
    let project = project(&app, "2026-10-01").await;
    let project_id = id(&project).to_owned();
    let linked = item(
        &app,
        &meeting,
        &owner,
        10,
        json!({ "improvement_project_id": project_id }),
    )
    .await;
    assert_eq!(linked["improvement_project_id"], project_id.as_str());
    let other = item(&app, &meeting, &owner, 12, json!({})).await;
    assert_eq!(other["improvement_project_id"], Value::Null);

    let unknown = app
        .post(
            &format!("/api/v1/meetings/{meeting}/action-items"),
            &app.token("coordinator"),
            &json!({ "title": "Okänt projekt", "owner_id": owner["id"], "due": (Utc::now() + Duration::days(5)).date_naive(), "improvement_project_id": uuid::Uuid::now_v7() }),
        )
        .await;
    assert_eq!(refused_field(&unknown), "improvement_project_id");

    let reader = app.token("clinician");
    let listed = |query: String| {
        let app = &app;
        let reader = reader.clone();
        async move {
            app.get(&format!("/api/v1/action-items?{query}"), &reader)
                .await
                .assert_status(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        listed(format!("improvement_project={project_id}")).await,
        [id(&linked)]
    );
    let on_project = app
        .get(
            &format!("/api/v1/improvement-projects/{project_id}"),
            &reader,
        )
        .await;
    let on_project = on_project.assert_status(200)["action_items"]
        .as_array()
        .unwrap();
    assert_eq!(on_project.len(), 1);
    assert_eq!(on_project[0]["id"], linked["id"]);

    // Linked on update, to an existing project only; `null` unlinks.
    let path = format!("/api/v1/action-items/{}", id(&other));
    let coordinator = app.token("coordinator");
    let bad = app
        .patch(
            &path,
            &coordinator,
            Some("\"1\""),
            &json!({ "improvement_project_id": uuid::Uuid::now_v7() }),
        )
        .await;
    assert_eq!(refused_field(&bad), "improvement_project_id");
    app.patch(
        &path,
        &coordinator,
        Some("\"1\""),
        &json!({ "improvement_project_id": project_id }),
    )
    .await
    .assert_status(200);
    assert_eq!(
        listed(format!("improvement_project={project_id}"))
            .await
            .len(),
        2
    );
    let unlinked = app
        .patch(
            &path,
            &coordinator,
            Some("\"2\""),
            &json!({ "improvement_project_id": null }),
        )
        .await;
    assert_eq!(
        unlinked.assert_status(200)["improvement_project_id"],
        Value::Null
    );
    assert_eq!(
        listed(format!("improvement_project={project_id}")).await,
        [id(&linked)]
    );
}
