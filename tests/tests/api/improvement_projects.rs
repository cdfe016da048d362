//! Improvement projects over HTTP: starting, reading with cycles and measures, listing with
//! filters, changing with `If-Match` along the allowed status transitions; PDSA cycles in
//! order with their change points; measures and their data points, bulk as JSON and CSV (all
//! or nothing, every bad row named), corrected and deleted with reasons and a kept history;
//! who may read and write; no personal numbers in free text.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::TestApp;

use crate::record_support::network;

pub(crate) async fn staff_member(app: &TestApp, unit: &Value, hsa_id: &str) -> Value {
    let body = json!({ "name": "Karin Coach", "profession": "registered_nurse", "care_unit_id": unit["id"], "hsa_id": hsa_id });
    app.post("/api/v1/staff", &app.token("admin"), &body)
        .await
        .assert_status(201)
        .clone()
}

fn project_body() -> Value {
    json!({
        "title": "Trygg hemgång i Eksjö",
        "problem": "Var femte som skrivs ut skrivs in igen inom 30 dagar",
        "aim": { "what": "Återinskrivningar inom 30 dagar", "how_much": "från 20 % till 12 %", "by_when": "2027-06-30" },
        "what_matters": "Att få komma hem och känna sig trygg",
        "municipalities": ["0686"],
        "change_ideas": ["Telefonsamtal dagen efter hemgång", "Läkemedelsgenomgång före hemgång"],
    })
}

async fn project(app: &TestApp) -> Value {
    app.post(
        "/api/v1/improvement-projects",
        &app.token("coach"),
        &project_body(),
    )
    .await
    .assert_status(201)
    .clone()
}

fn fields(response: &tests::TestResponse) -> Vec<String> {
    response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// The data-point path of a new `count` measure in a new project.
async fn count_points(app: &TestApp) -> String {
    let project = project(app).await;
    let measure = measure(app, &project, "count").await;
    format!(
        "/api/v1/measures/{}/data-points",
        measure["id"].as_str().unwrap()
    )
}

async fn send_csv(app: &TestApp, path: &str, token: &str, csv: &str) -> tests::TestResponse {
    app.send(
        Method::POST,
        path,
        Some(token),
        &[("content-type", "text/csv")],
        Some(csv.as_bytes().to_vec()),
    )
    .await
}

#[actix_web::test]
async fn a_project_is_started_read_changed_along_its_status_and_listed() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let coach = app.token("coach");
    let member = staff_member(&app, &net.ward, "SE2321000057-S0001").await;
    let mut body = project_body();
    body["care_unit_ids"] = json!([net.ward["id"]]);
    body["team_member_ids"] = json!([member["id"]]);
    let created = app
        .post("/api/v1/improvement-projects", &coach, &body)
        .await;
    let project = created.assert_status(201).clone();
    assert_eq!(project["status"], "idea");
    assert_eq!(project["start_on"], Value::Null);
    assert_eq!(project["aim"]["by_when"], "2027-06-30");
    assert_eq!(project["team_member_ids"], json!([member["id"]]));
    assert_eq!(
        project["change_ideas"][1],
        "Läkemedelsgenomgång före hemgång"
    );
    let location = created.header("location").unwrap();
    let read = app.get(&location, &app.token("clinician")).await;
    assert_eq!(read.assert_status(200)["pdsa_cycles"], json!([]));
    assert_eq!(read.body["municipalities"], json!(["0686"]));
    let etag = read.header("etag").unwrap_or_default();
    assert!(
        etag.starts_with("\"1."),
        "version 1 and the digest of the body: {etag}"
    );

    let start = json!({ "status": "active" });
    app.patch(&location, &coach, None, &start)
        .await
        .assert_problem(428);
    app.patch(&location, &coach, Some("\"7\""), &start)
        .await
        .assert_problem(412);
    let active = app.patch(&location, &coach, Some("\"1\""), &start).await;
    assert_eq!(active.assert_status(200)["status"], "active");
    assert!(active.body["start_on"].is_string(), "starting dates it");
    // A change that changes nothing keeps the version (others' If-Match still holds).
    for unchanged in [json!({}), json!({ "status": "active" })] {
        let same = app
            .patch(&location, &coach, Some("\"2\""), &unchanged)
            .await;
        assert_eq!(same.assert_status(200)["version"], 2, "{unchanged}");
    }
    let back = app
        .patch(
            &location,
            &coach,
            Some("\"2\""),
            &json!({ "status": "idea" }),
        )
        .await;
    back.assert_problem(409);
    let done = app
        .patch(
            &location,
            &coach,
            Some("\"2\""),
            &json!({ "status": "completed" }),
        )
        .await;
    assert_eq!(done.assert_status(200)["status"], "completed");
    assert!(done.body["end_on"].is_string());
    app.patch(
        &location,
        &coach,
        Some("\"3\""),
        &json!({ "title": "Ny titel" }),
    )
    .await
    .assert_problem(409);

    let other = app
        .post("/api/v1/improvement-projects", &coach, &json!({
            "title": "Fallprevention", "aim": { "what": "fall", "how_much": "halveras", "by_when": "2027-12-31" },
            "municipalities": ["0682"], "status": "active",
        }))
        .await;
    other.assert_status(201);
    let listed = |query: &'static str| {
        let app = &app;
        async move {
            let page = app
                .get(
                    &format!("/api/v1/improvement-projects{query}"),
                    &app.token("integration"),
                )
                .await;
            page.assert_status(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed("").await.len(), 2);
    assert_eq!(
        listed("?municipality=0686").await,
        ["Trygg hemgång i Eksjö"]
    );
    assert_eq!(listed("?status=active").await, ["Fallprevention"]);
    let by_member = format!("?team_member={}", member["id"].as_str().unwrap());
    let page = app
        .get(&format!("/api/v1/improvement-projects{by_member}"), &coach)
        .await;
    assert_eq!(
        page.assert_status(200)["items"].as_array().unwrap().len(),
        1
    );
    app.get("/api/v1/improvement-projects?status=done", &coach)
        .await
        .assert_problem(400);
}

#[actix_web::test]
async fn bad_projects_are_refused_naming_every_field_and_personal_numbers_never_stored() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach");
    let body = json!({
        "title": " ",
        "problem": "Esther 19121212-1212 kom tillbaka",
        "aim": { "what": "x", "how_much": "y", "by_when": "9999-01-01" },
        "municipalities": ["0999"],
        "status": "done",
        "change_ideas": ["a", "a"],
    });
    let response = app
        .post("/api/v1/improvement-projects", &coach, &body)
        .await;
    response.assert_problem(422);
    assert_eq!(
        fields(&response),
        [
            "title",
            "problem",
            "aim.by_when",
            "municipalities",
            "status",
            "change_ideas"
        ]
    );
    let mut unknown_coach = project_body();
    unknown_coach["coach_id"] = json!(uuid::Uuid::now_v7());
    let response = app
        .post("/api/v1/improvement-projects", &coach, &unknown_coach)
        .await;
    response.assert_problem(422);
    assert_eq!(fields(&response), ["coach_id"]);
    let page = app.get("/api/v1/improvement-projects", &coach).await;
    assert_eq!(
        page.assert_status(200)["items"],
        json!([]),
        "nothing written"
    );
}

#[actix_web::test]
async fn who_may_read_and_write_improvement_work() {
    let app = TestApp::spawn().await;
    for role in ["admin", "coordinator", "coach"] {
        app.post(
            "/api/v1/improvement-projects",
            &app.token(role),
            &project_body(),
        )
        .await
        .assert_status(201);
    }
    for role in ["clinician", "integration", "analyst", "person"] {
        app.post(
            "/api/v1/improvement-projects",
            &app.token(role),
            &project_body(),
        )
        .await
        .assert_problem(403);
    }
    let project = project(&app).await;
    let measure = app
        .post(
            &format!("/api/v1/improvement-projects/{}/measures", project["id"].as_str().unwrap()),
            &app.token("coach"),
            &json!({ "name": "Fall", "operational_definition": "Antal fall per månad", "measure_type": "outcome",
                     "unit_of_measure": "fall", "value_kind": "count", "direction": "decrease" }),
        )
        .await
        .assert_status(201)
        .clone();
    let project_path = format!(
        "/api/v1/improvement-projects/{}",
        project["id"].as_str().unwrap()
    );
    let measure_path = format!("/api/v1/measures/{}", measure["id"].as_str().unwrap());
    for role in ["admin", "coordinator", "clinician", "coach", "integration"] {
        app.get(&project_path, &app.token(role))
            .await
            .assert_status(200);
        app.get(&measure_path, &app.token(role))
            .await
            .assert_status(200);
    }
    // Analysts read aggregates: the measure and its series, not the project (it names staff).
    app.get(&project_path, &app.token("analyst"))
        .await
        .assert_problem(403);
    app.get("/api/v1/coaches", &app.token("analyst"))
        .await
        .assert_problem(403);
    app.get(&measure_path, &app.token("analyst"))
        .await
        .assert_status(200);
    app.get(
        &format!("{measure_path}/data-points"),
        &app.token("analyst"),
    )
    .await
    .assert_status(200);
    app.get(&measure_path, &app.token("person"))
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn pdsa_cycles_keep_their_order_and_adopted_ones_mark_the_change_points() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach");
    let project = project(&app).await;
    let id = project["id"].as_str().unwrap();
    let planned = app
        .post(&format!("/api/v1/improvement-projects/{id}/pdsa-cycles"), &coach, &json!({
            "title": "Telefonsamtal dag 1", "plan": "Sjuksköterskan ringer alla som skrivs ut under två veckor",
            "prediction": "Hälften behöver ingen akut kontakt", "starts_on": "2026-01-10",
        }))
        .await;
    let cycle = planned.assert_status(201).clone();
    let location = planned.header("location").unwrap();
    assert_eq!(cycle["act"], Value::Null);
    let act_first = app
        .patch(&location, &coach, Some("\"1\""), &json!({ "act": "adopt" }))
        .await;
    act_first.assert_problem(422);
    assert_eq!(fields(&act_first), ["act"]);
    let all = json!({ "do_notes": "32 samtal", "study": "Som förutsagt", "act": "adopt", "change_point_on": "2026-01-24" });
    let adopted = app.patch(&location, &coach, Some("\"1\""), &all).await;
    assert_eq!(adopted.assert_status(200)["act"], "adopt");
    app.patch(
        &location,
        &coach,
        Some("\"2\""),
        &json!({ "act": "abandon" }),
    )
    .await
    .assert_problem(409);
    // What the decision was taken on stands; a change of nothing keeps the version.
    app.patch(
        &location,
        &coach,
        Some("\"2\""),
        &json!({ "prediction": "Precis detta" }),
    )
    .await
    .assert_problem(409);
    let same = app
        .patch(&location, &coach, Some("\"2\""), &json!({ "act": "adopt" }))
        .await;
    assert_eq!(same.assert_status(200)["version"], 2);
    let read = app
        .get(
            &format!("/api/v1/improvement-projects/{id}"),
            &app.token("clinician"),
        )
        .await;
    assert_eq!(
        read.assert_status(200)["pdsa_cycles"][0]["study"],
        "Som förutsagt"
    );
    assert_eq!(read.body["change_points"], json!(["2026-01-24"]));
    // The project's ETag follows everything it shows: unchanged, a 304; after a cycle is
    // added, the client holding it gets the whole project (an attack review found a 304 there
    // when the tag was the project's own version).
    let etag = read.header("etag").unwrap();
    let project_path = format!("/api/v1/improvement-projects/{id}");
    let condition = [("if-none-match", etag.as_str())];
    let conditional_read = || app.send(Method::GET, &project_path, Some(&coach), &condition, None);
    assert_eq!(conditional_read().await.status, 304);
    // A cycle planned for next month is not done yet: nothing of it is recorded as done.
    let next_month = tests::today() + chrono::Duration::days(30);
    let planned = app
        .post(&format!("/api/v1/improvement-projects/{id}/pdsa-cycles"), &coach, &json!({
            "title": "Hembesök dag 3", "plan": "Distriktssköterskan besöker", "prediction": "Färre akuta besök",
            "starts_on": next_month,
        }))
        .await;
    let location = planned.header("location").unwrap();
    let again = conditional_read().await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["pdsa_cycles"].as_array().map(Vec::len), Some(2));
    let early = app
        .patch(
            &location,
            &coach,
            Some("\"1\""),
            &json!({ "do_notes": "Gjort", "study": "Bra", "act": "adopt" }),
        )
        .await;
    early.assert_problem(422);
    assert_eq!(fields(&early), ["do_notes"]);
    let with_pnr = app
        .post(&format!("/api/v1/improvement-projects/{id}/pdsa-cycles"), &coach, &json!({
            "title": "Samtal", "plan": "Ring 191212121212", "prediction": "x", "starts_on": "2027-02-01",
        }))
        .await;
    with_pnr.assert_problem(422);
    assert_eq!(fields(&with_pnr), ["plan"]);
}

async fn measure(app: &TestApp, project: &Value, value_kind: &str) -> Value {
    let id = project["id"].as_str().unwrap();
    app.post(&format!("/api/v1/improvement-projects/{id}/measures"), &app.token("coach"), &json!({
        "name": "Återinskrivna inom 30 dagar", "operational_definition": "Andel utskrivna som skrivs in igen inom 30 dagar",
        "measure_type": "outcome", "unit_of_measure": "%", "value_kind": value_kind, "direction": "decrease", "target": 0.12,
    }))
    .await
    .assert_status(201)
    .clone()
}

#[actix_web::test]
async fn data_points_are_added_as_json_all_or_nothing_with_every_bad_row_named() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach");
    let project = project(&app).await;
    let measure = measure(&app, &project, "proportion").await;
    let path = format!(
        "/api/v1/measures/{}/data-points",
        measure["id"].as_str().unwrap()
    );
    let bad = json!({ "points": [
        { "period": "2025-01-01", "numerator": 7, "denominator": 40 },
        { "period": "2025-02-01", "numerator": 41, "denominator": 40 },
        { "period": "2025-03-01", "value": 0.2 },
        { "period": "2025-01-01", "numerator": 1, "denominator": 2, "annotation": "Esther 121212-1212" },
        { "period": "2025-04-01", "numerator": 1, "denominator": 2, "annotation": "Esther 12 12 12\u{200b}-1212" },
        { "period": "2025-05-01", "numerator": 1, "denominator": 1e13 },
    ]});
    let response = app.post(&path, &coach, &bad).await;
    response.assert_problem(422);
    assert_eq!(
        fields(&response),
        [
            "points[1].numerator",
            "points[2].value",
            "points[2].numerator",
            "points[2].denominator",
            "points[3].period",
            "points[3].annotation",
            "points[4].annotation",
            "points[5].denominator",
        ]
    );
    let listed = app.get(&path, &coach).await;
    assert_eq!(
        listed.assert_status(200)["items"],
        json!([]),
        "nothing written"
    );
    let good = json!({ "points": [
        { "period": "2025-02-01", "numerator": 5, "denominator": 40, "annotation": "Samtal dag 1 införda" },
        { "period": "2025-01-01", "numerator": 8, "denominator": 40 },
    ]});
    let added = app.post(&path, &coach, &good).await;
    let items = added.assert_status(201)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(items[0]["period"], "2025-01-01", "period order");
    assert_eq!(items[0]["value"], 0.2);
    assert_eq!(items[1]["annotation"], "Samtal dag 1 införda");
    let again = app
        .post(
            &path,
            &coach,
            &json!({ "points": [{ "period": "2025-01-01", "numerator": 1, "denominator": 2 }] }),
        )
        .await;
    again.assert_problem(422);
    assert_eq!(fields(&again), ["points[0].period"]);
    app.send(
        Method::POST,
        &path,
        Some(&coach),
        &[("content-type", "text/plain")],
        Some(b"x".to_vec()),
    )
    .await
    .assert_problem(415);
}

#[actix_web::test]
async fn data_points_are_added_as_csv_and_every_bad_row_is_named_by_its_row() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach");
    let path = count_points(&app).await;
    let bad = "period,value,annotation\n2025-01-01,4,\n2025-02-30,3,\n2025-03-01,-1,\n2025-04-01,2.5,\n2025-05-01,,\n";
    let response = send_csv(&app, &path, &coach, bad).await;
    response.assert_problem(422);
    assert_eq!(
        fields(&response),
        [
            "row 3: period",
            "row 4: value",
            "row 5: value",
            "row 6: value"
        ]
    );
    assert_eq!(app.get(&path, &coach).await.body["items"], json!([]));
    let good = "period;value;annotation\r\n2025-01-01;4;\r\n2025-02-01;3;\"Ny rutin; dag 1\"\r\n";
    let added = send_csv(&app, &path, &coach, good).await;
    assert_eq!(
        added.assert_status(201)["items"].as_array().unwrap().len(),
        2
    );
    let series = app.get(&path, &app.token("analyst")).await;
    assert_eq!(
        series.assert_status(200)["items"][1]["annotation"],
        "Ny rutin; dag 1"
    );
    assert_eq!(series.body["items"][1]["value"], 3.0);
    // An analyst reads aggregates: the staff who recorded them are not named to her.
    assert_eq!(series.body["items"][1]["recorded_by"], Value::Null);
    let by_coach = app.get(&path, &coach).await;
    assert!(by_coach.assert_status(200)["items"][1]["recorded_by"].is_string());
    // A quote left open would take the later rows into one annotation: refused, named.
    let open = "period,value,annotation\n2025-03-01,1,\"Ny rutin\n2025-04-01,2,\n";
    let refused = send_csv(&app, &path, &coach, open).await;
    refused.assert_problem(422);
    assert_eq!(fields(&refused), ["row 2"]);
    assert_eq!(
        app.get(&path, &coach).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Text glued after a closing quote was stored as 12; rows after a blank line are named
    // by their line; a period twice is named even when its first row is wrong too.
    let glued = "period,value\n2025-03-01,\"1\"2\n\n2025-04-01,-1\n2025-04-01,2\n";
    let refused = send_csv(&app, &path, &coach, glued).await;
    refused.assert_problem(422);
    assert_eq!(fields(&refused), ["row 2", "row 4: value", "row 5: period"]);
    let latin1 = app
        .send(
            Method::POST,
            &path,
            Some(&coach),
            &[("content-type", "text/csv; charset=iso-8859-1")],
            Some(b"period,value\n2025-03-01,1\n".to_vec()),
        )
        .await;
    latin1.assert_problem(415);
    let gzip = app
        .send(
            Method::POST,
            &path,
            Some(&coach),
            &[("content-type", "text/csv"), ("content-encoding", "gzip")],
            Some(b"period,value\n2025-03-01,1\n".to_vec()),
        )
        .await;
    gzip.assert_problem(415);
    let no_period = app
        .post(&path, &coach, &json!({ "points": [{ "value": 1 }] }))
        .await;
    no_period.assert_problem(400);
    assert_eq!(no_period.body["errors"][0]["field"], "points[0].period");
    assert_eq!(
        app.get(&path, &coach).await.body["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let header = send_csv(&app, &path, &coach, "month,value\n2025-03-01,1\n").await;
    header.assert_problem(422);
    assert_eq!(
        fields(&header),
        ["row 1", "row 1"],
        "an unknown column, no period"
    );
}

#[actix_web::test]
async fn a_correction_to_a_period_another_point_holds_is_a_422_naming_period() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach");
    let path = count_points(&app).await;
    let added = app
        .post(
            &path,
            &coach,
            &json!({ "points": [
                { "period": "2025-01-01", "value": 4 },
                { "period": "2025-02-01", "value": 3 },
            ] }),
        )
        .await;
    let february = added.assert_status(201)["items"][1].clone();
    let february_path = format!("{path}/{}", february["id"].as_str().unwrap());
    let correct = |period: &str| {
        let body = json!({ "period": period, "value": 3, "reason": "Fel månad" });
        let headers = [("if-match", "\"1\"")];
        let (app, path, coach) = (&app, &february_path, &coach);
        async move {
            app.request(Method::PUT, path, Some(coach), &headers, Some(&body))
                .await
        }
    };
    let refused = correct("2025-01-01").await;
    refused.assert_problem(422);
    assert_eq!(fields(&refused), ["period"]);
    assert!(
        refused
            .body
            .to_string()
            .contains("correct that one instead"),
        "{}",
        refused.body
    );
    let series = app.get(&path, &coach).await;
    assert_eq!(series.body["items"][1]["period"], "2025-02-01", "unchanged");
    let corrected = correct("2025-03-01").await;
    assert_eq!(corrected.assert_status(200)["period"], "2025-03-01");
}

#[actix_web::test]
async fn corrections_and_deletions_need_a_reason_and_keep_the_history() {
    let app = TestApp::spawn().await;
    let coach = app.token("coach");
    let path = count_points(&app).await;
    let added = app
        .post(
            &path,
            &coach,
            &json!({ "points": [{ "period": "2025-01-01", "value": 4 }] }),
        )
        .await;
    let point = added.assert_status(201)["items"][0].clone();
    let point_path = format!("{path}/{}", point["id"].as_str().unwrap());
    let correction =
        json!({ "period": "2025-01-01", "value": 5, "reason": "Ett fall räknades inte" });
    app.request(
        Method::PUT,
        &point_path,
        Some(&coach),
        &[],
        Some(&correction),
    )
    .await
    .assert_problem(428);
    let no_reason = json!({ "period": "2025-01-01", "value": -5, "reason": " " });
    let refused = app
        .request(
            Method::PUT,
            &point_path,
            Some(&coach),
            &[("if-match", "\"1\"")],
            Some(&no_reason),
        )
        .await;
    refused.assert_problem(422);
    assert_eq!(fields(&refused), ["value", "reason"]);
    let corrected = app
        .request(
            Method::PUT,
            &point_path,
            Some(&coach),
            &[("if-match", "\"1\"")],
            Some(&correction),
        )
        .await;
    assert_eq!(corrected.assert_status(200)["value"], 5.0);
    assert_eq!(corrected.header("etag").as_deref(), Some("\"2\""));
    let delete = format!("{point_path}/delete");
    let deleted = app
        .request(
            Method::POST,
            &delete,
            Some(&coach),
            &[("if-match", "\"2\"")],
            Some(&json!({ "reason": "Dubblett" })),
        )
        .await;
    assert_eq!(deleted.assert_status(200)["deleted"], true);
    app.request(
        Method::POST,
        &delete,
        Some(&coach),
        &[("if-match", "\"3\"")],
        Some(&json!({ "reason": "igen" })),
    )
    .await
    .assert_problem(409);
    assert_eq!(app.get(&path, &coach).await.body["items"], json!([]));
    let with_deleted = app
        .get(&format!("{path}?include_deleted=true"), &coach)
        .await;
    assert_eq!(with_deleted.assert_status(200)["items"][0]["deleted"], true);
    // An analyst sees the revisions without who made them and why (staff are not named to
    // her); the coach sees them whole.
    let aggregate = app
        .get(&format!("{point_path}/history"), &app.token("analyst"))
        .await;
    let seen = &aggregate.assert_status(200)["revisions"][1];
    assert_eq!(
        (&seen["reason"], &seen["recorded_by"]),
        (&Value::Null, &Value::Null)
    );
    let history = app.get(&format!("{point_path}/history"), &coach).await;
    let revisions = history.assert_status(200)["revisions"]
        .as_array()
        .unwrap()
        .clone();
    let kinds: Vec<&str> = revisions
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["added", "corrected", "deleted"]);
    assert_eq!(revisions[0]["value"], 4.0);
    assert_eq!(revisions[1]["value"], 5.0);
    assert_eq!(revisions[1]["reason"], "Ett fall räknades inte");
    assert_eq!(revisions[2]["reason"], "Dubblett");
    assert_eq!(revisions[2]["recorded_by"], "test-coach");
    // The period is free again once its point is deleted.
    app.post(
        &path,
        &coach,
        &json!({ "points": [{ "period": "2025-01-01", "value": 6 }] }),
    )
    .await
    .assert_status(201);
}
