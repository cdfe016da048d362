//! Improvement coaches and their training cohorts over HTTP: coach profiles listed by the
//! municipality or unit they support; cohorts with sessions, enrolment, attendance and a
//! completion rule whose unmet parts are named.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::TestApp;

use crate::improvement_projects::staff_member;
use crate::record_support::network;

fn staff_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["staff_id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn coaches_are_listed_by_the_municipality_and_unit_they_support() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let coordinator = app.token("coordinator");
    let anna = staff_member(&app, &net.ward, "SE2321000057-S0101").await;
    let bo = staff_member(&app, &net.home_care, "SE2120000682-S0102").await;
    let created = app
        .post("/api/v1/coaches", &coordinator, &json!({
            "staff_id": anna["id"], "certified_on": "2026-05-20", "municipalities": ["0686", "0604"], "care_unit_ids": [net.ward["id"]],
        }))
        .await;
    let coach = created.assert_status(201).clone();
    assert_eq!(coach["certified"], true);
    app.post(
        "/api/v1/coaches",
        &coordinator,
        &json!({ "staff_id": bo["id"], "municipalities": ["0682"] }),
    )
    .await
    .assert_status(201);
    app.post(
        "/api/v1/coaches",
        &coordinator,
        &json!({ "staff_id": bo["id"] }),
    )
    .await
    .assert_problem(409);
    let unknown = app
        .post(
            "/api/v1/coaches",
            &coordinator,
            &json!({ "staff_id": uuid::Uuid::now_v7(), "municipalities": ["0999"] }),
        )
        .await;
    unknown.assert_problem(422);
    let reader = app.token("clinician");
    let eksjo = app.get("/api/v1/coaches?municipality=0686", &reader).await;
    assert_eq!(
        staff_ids(eksjo.assert_status(200)),
        [anna["id"].as_str().unwrap()]
    );
    let ward = app
        .get(
            &format!("/api/v1/coaches?unit={}", net.ward["id"].as_str().unwrap()),
            &reader,
        )
        .await;
    assert_eq!(
        staff_ids(ward.assert_status(200)),
        [anna["id"].as_str().unwrap()]
    );
    assert_eq!(
        staff_ids(app.get("/api/v1/coaches", &reader).await.assert_status(200)).len(),
        2
    );
    app.get("/api/v1/coaches?municipality=9999", &reader)
        .await
        .assert_problem(400);
    let location = created.header("location").unwrap();
    let moved = app
        .patch(
            &location,
            &coordinator,
            Some("\"1\""),
            &json!({ "municipalities": ["0682"] }),
        )
        .await;
    assert_eq!(moved.assert_status(200)["municipalities"], json!(["0682"]));
    let eksjo = app.get("/api/v1/coaches?municipality=0686", &reader).await;
    assert!(staff_ids(eksjo.assert_status(200)).is_empty());
    app.patch(
        &location,
        &coordinator,
        Some("\"1\""),
        &json!({ "certified_on": null }),
    )
    .await
    .assert_problem(412);
    // A certification to come would show her certified now (trial): refused, named.
    let later = app
        .patch(
            &location,
            &coordinator,
            Some("\"2\""),
            &json!({ "certified_on": "2030-01-01" }),
        )
        .await;
    later.assert_problem(422);
    assert_eq!(later.body["errors"][0]["field"], "certified_on");
    let created_later = app
        .post(
            "/api/v1/coaches",
            &coordinator,
            &json!({ "staff_id": bo["id"], "certified_on": "2030-01-01" }),
        )
        .await;
    created_later.assert_problem(422);
    assert_eq!(created_later.body["errors"][0]["field"], "certified_on");
    app.post(
        "/api/v1/coaches",
        &app.token("clinician"),
        &json!({ "staff_id": bo["id"] }),
    )
    .await
    .assert_problem(403);
    // A project's coach must have a coach profile.
    let project = json!({ "title": "Fall", "aim": { "what": "fall", "how_much": "färre", "by_when": "2027-12-31" }, "coach_id": anna["id"] });
    app.post("/api/v1/improvement-projects", &coordinator, &project)
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn a_cohort_says_who_has_completed_and_why_the_others_have_not() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let coach = app.token("coach");
    let sessions: Vec<Value> = (1..=8)
        .map(|i| json!({ "held_on": format!("2026-{:02}-10", i + 1), "topic": format!("Dag {i}") }))
        .collect();
    let created = app
        .post("/api/v1/training-cohorts", &coach, &json!({
            "programme": "ESTHER-coachutbildning", "name": "Höglandet 2026",
            // 6.0: a JSON Schema integer (what a JavaScript client sends) is accepted.
            "completion_rule": { "min_sessions_attended": 6.0, "project_presentation_required": true },
            "sessions": sessions,
        }))
        .await;
    let cohort = created.assert_status(201).clone();
    let cohort_path = created.header("location").unwrap();
    let session_ids: Vec<String> = cohort["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let anna = staff_member(&app, &net.ward, "SE2321000057-S0201").await;
    let bo = staff_member(&app, &net.home_care, "SE2120000682-S0202").await;
    for member in [&anna, &bo] {
        app.post(
            &format!("{cohort_path}/enrolments"),
            &coach,
            &json!({ "staff_id": member["id"] }),
        )
        .await
        .assert_status(201);
    }
    app.post(
        &format!("{cohort_path}/enrolments"),
        &coach,
        &json!({ "staff_id": anna["id"] }),
    )
    .await
    .assert_problem(409);
    for (i, session) in session_ids.iter().enumerate() {
        let present = if i < 5 {
            json!([anna["id"], bo["id"]])
        } else {
            json!([anna["id"]])
        };
        app.request(
            Method::PUT,
            &format!("{cohort_path}/sessions/{session}/attendance"),
            Some(&coach),
            &[],
            Some(&json!({ "attended_staff_ids": present })),
        )
        .await
        .assert_status(200);
    }
    let stranger = staff_member(&app, &net.primary_care, "SE2321000057-S0203").await;
    let refused = app
        .request(
            Method::PUT,
            &format!("{cohort_path}/sessions/{}/attendance", session_ids[0]),
            Some(&coach),
            &[],
            Some(&json!({ "attended_staff_ids": [stranger["id"]] })),
        )
        .await;
    refused.assert_problem(422);
    let project = app
        .post("/api/v1/improvement-projects", &coach, &json!({ "title": "Fall", "aim": { "what": "fall", "how_much": "färre", "by_when": "2027-12-31" } }))
        .await
        .assert_status(201)
        .clone();
    app.request(
        Method::PUT,
        &format!(
            "{cohort_path}/enrolments/{}/presentation",
            anna["id"].as_str().unwrap()
        ),
        Some(&coach),
        &[],
        Some(&json!({ "improvement_project_id": project["id"] })),
    )
    .await
    .assert_status(200);
    let enrolments = app
        .get(
            &format!("{cohort_path}/enrolments"),
            &app.token("clinician"),
        )
        .await;
    let items = enrolments.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    let of = |member: &Value| {
        items
            .iter()
            .find(|e| e["staff_id"] == member["id"])
            .unwrap()
            .clone()
    };
    let done = of(&anna);
    assert_eq!(done["completion"]["completed"], true);
    assert_eq!(done["completion"]["sessions_attended"], 8);
    let not_yet = of(&bo);
    assert_eq!(not_yet["completion"]["completed"], false);
    assert_eq!(
        not_yet["completion"]["missing"],
        json!([
            "attended 5 of 8 sessions; at least 6 required",
            "has not presented an improvement project"
        ])
    );
    let too_strict = app
        .post("/api/v1/training-cohorts", &coach, &json!({
            "programme": "p", "name": "n", "completion_rule": { "min_sessions_attended": 3, "project_presentation_required": false },
            "sessions": [{ "held_on": "2026-01-01", "topic": "t" }],
        }))
        .await;
    too_strict.assert_problem(422);
    assert_eq!(
        too_strict.body["errors"][0]["field"],
        "completion_rule.min_sessions_attended"
    );
    // Improvement work holds no patient's data: no personal number in a cohort's texts.
    let identifying = app
        .post("/api/v1/training-cohorts", &coach, &json!({
            "programme": "P 19121212-1212", "name": "N 121212-1212", "completion_rule": { "min_sessions_attended": 1, "project_presentation_required": false },
            "sessions": [{ "held_on": "2026-01-01", "topic": "pnr 19121212-1212" }],
        }))
        .await;
    identifying.assert_problem(422);
    let fields: Vec<&str> = identifying.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["programme", "name", "sessions.topic"],
        "{}",
        identifying.text
    );
    let listed = app
        .get("/api/v1/training-cohorts", &app.token("integration"))
        .await;
    assert_eq!(
        listed.assert_status(200)["items"].as_array().unwrap().len(),
        1
    );
}
