//! What a meeting records, over HTTP: its agenda in order, its minutes (a draft, approved
//! once by a staff member, then changed only by amendments kept as versions), its decisions,
//! and who may write them (organizing roles, or the meeting's organizer by her HSA-id).

use actix_web::http::Method;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{Value, json};
use tests::{TestApp, TestResponse};

use crate::meetings::ids;
use crate::record_support::network;

/// An instant `days` from now (negative: in the past), to the second.
pub(crate) fn days_from_now(days: i64) -> DateTime<Utc> {
    let at = Utc::now() + Duration::days(days);
    DateTime::from_timestamp(at.timestamp(), 0).unwrap()
}

/// Schedules a three-hour meeting of `kind` starting at `starts_at`; returns its id.
pub(crate) async fn meeting_at(
    app: &TestApp,
    kind: &str,
    starts_at: DateTime<Utc>,
    extra: Value,
) -> String {
    let mut body = json!({
        "kind": kind,
        "title": "ESTHER-café i Vetlanda",
        "starts_at": starts_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "ends_at": (starts_at + Duration::hours(3)).to_rfc3339_opts(SecondsFormat::Secs, true),
        "host_municipality": "0685",
    });
    for (key, value) in extra.as_object().cloned().unwrap_or_default() {
        body[key] = value;
    }
    app.post("/api/v1/meetings", &app.token("coordinator"), &body)
        .await
        .assert_status(201)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A meeting of `kind` that started ten days ago, recorded as held.
pub(crate) async fn held_meeting(app: &TestApp, kind: &str) -> String {
    held_meeting_at(app, kind, 10, json!({})).await
}

/// A meeting of `kind` (with `extra` fields) that started `days_ago` days ago, marked held.
pub(crate) async fn held_meeting_at(
    app: &TestApp,
    kind: &str,
    days_ago: i64,
    extra: Value,
) -> String {
    let id = meeting_at(app, kind, days_from_now(-days_ago), extra).await;
    app.patch(
        &format!("/api/v1/meetings/{id}"),
        &app.token("coordinator"),
        Some("\"1\""),
        &json!({ "status": "held" }),
    )
    .await
    .assert_status(200);
    id
}

/// Sends `body` with `method` and `If-Match: etag` as `token`.
pub(crate) async fn send_if_match(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    etag: &str,
    body: &Value,
) -> TestResponse {
    app.request(method, path, Some(token), &[("if-match", etag)], Some(body))
        .await
}

/// Cancels meeting `id` (at version 1).
pub(crate) async fn cancel(app: &TestApp, id: &str) {
    send_if_match(
        app,
        Method::POST,
        &format!("/api/v1/meetings/{id}/cancel"),
        &app.token("coordinator"),
        "\"1\"",
        &json!({ "reason": "Storm" }),
    )
    .await
    .assert_status(200);
}

/// A staff member at `unit` with `hsa_id`.
pub(crate) async fn staff_member(app: &TestApp, unit: &Value, hsa_id: &str) -> Value {
    let body = json!({ "name": "Karin Sjuksköterska", "profession": "registered_nurse", "care_unit_id": unit["id"], "hsa_id": hsa_id });
    app.post("/api/v1/staff", &app.token("admin"), &body)
        .await
        .assert_status(201)
        .clone()
}

/// The named field of a 422's first error.
#[track_caller]
pub(crate) fn refused_field(response: &TestResponse) -> String {
    response.assert_problem(422);
    response.body["errors"][0]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn items(page: &TestResponse) -> Vec<Value> {
    page.assert_status(200)["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn the_agenda_is_listed_in_order_and_fits_within_the_meeting() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let presenter = staff_member(&app, &net.home_care, "SE2120000682-1001").await;
    let id = meeting_at(&app, "municipal_network", days_from_now(5), json!({})).await;
    let path = format!("/api/v1/meetings/{id}/agenda-items");
    let token = app.token("coordinator");
    let mut added = Vec::new();
    for body in [
        json!({ "title": "Esther's story", "presenter_id": presenter["id"], "minutes_allotted": 30 }),
        // Whole numbers written as floats are JSON Schema integers, accepted as such.
        json!({ "title": "Proposals", "position": 5.0, "minutes_allotted": 60.0 }),
        json!({ "title": "Next meeting" }),
        json!({ "title": "Lessons learned", "position": 2 }),
    ] {
        let response = app.post(&path, &token, &body).await;
        assert_eq!(response.header("etag").as_deref(), Some("\"1\""));
        added.push(response.assert_status(201).clone());
    }
    assert_eq!(added[0]["presenter_id"], presenter["id"]);
    let listed = items(&app.get(&path, &app.token("clinician")).await);
    let order: Vec<(i64, &str)> = listed
        .iter()
        .map(|i| {
            (
                i["position"].as_i64().unwrap(),
                i["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            (1, "Esther's story"),
            (2, "Lessons learned"),
            (5, "Proposals"),
            (6, "Next meeting")
        ]
    );
    // Pages keep the agenda's order.
    let first = app.get(&format!("{path}?limit=3"), &token).await;
    let next = first.assert_status(200)["next"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app
        .get(&format!("{path}?limit=3&cursor={next}"), &token)
        .await;
    assert_eq!(items(&second)[0]["title"], "Next meeting");
    assert!(second.body["next"].is_null());
    // A taken place, the meeting's three hours overrun, bad fields: nothing written.
    app.post(&path, &token, &json!({ "title": "Twice", "position": 5 }))
        .await
        .assert_problem(409);
    let overrun = app
        .post(
            &path,
            &token,
            &json!({ "title": "Long", "minutes_allotted": 91 }),
        )
        .await;
    assert_eq!(refused_field(&overrun), "minutes_allotted");
    let bad = app
        .post(
            &path,
            &token,
            &json!({ "title": " ", "position": 0, "minutes_allotted": 481 }),
        )
        .await;
    bad.assert_problem(422);
    let fields: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["position", "title", "minutes_allotted"]);
    // A number with a fractional part is not an integer: a malformed body.
    app.post(
        &path,
        &token,
        &json!({ "title": "Half", "minutes_allotted": 30.5 }),
    )
    .await
    .assert_problem(400);
    let ghost = uuid::Uuid::now_v7();
    let unknown = app
        .post(
            &path,
            &token,
            &json!({ "title": "X", "presenter_id": ghost }),
        )
        .await;
    assert_eq!(refused_field(&unknown), "presenter_id");
    assert_eq!(
        items(&app.get(&path, &token).await).len(),
        4,
        "nothing written"
    );
    // Who may write and read; unknown meeting; a cancelled meeting's agenda is closed.
    app.post(&path, &app.token("clinician"), &json!({ "title": "X" }))
        .await
        .assert_problem(403);
    for role in ["analyst", "person"] {
        app.get(&path, &app.token(role)).await.assert_problem(403);
    }
    let nowhere = format!("/api/v1/meetings/{ghost}/agenda-items");
    app.get(&nowhere, &token).await.assert_problem(404);
    app.post(&nowhere, &token, &json!({ "title": "X" }))
        .await
        .assert_problem(404);
    cancel(&app, &id).await;
    app.post(&path, &token, &json!({ "title": "X" }))
        .await
        .assert_problem(409);
}

/// Ends meeting `id` (at version `etag`) `minutes` after it starts.
async fn shorten(app: &TestApp, id: &str, etag: &str, minutes: i64) -> TestResponse {
    let path = format!("/api/v1/meetings/{id}");
    let meeting = app.get(&path, &app.token("coordinator")).await;
    let starts_at = DateTime::parse_from_rfc3339(meeting.body["starts_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let ends_at =
        (starts_at + Duration::minutes(minutes)).to_rfc3339_opts(SecondsFormat::Secs, true);
    app.patch(
        &path,
        &app.token("coordinator"),
        Some(etag),
        &json!({ "ends_at": ends_at }),
    )
    .await
}

#[actix_web::test]
async fn a_meeting_or_an_occurrence_is_not_made_shorter_than_its_agenda() {
    let app = TestApp::spawn().await;
    let token = app.token("coordinator");
    let id = meeting_at(&app, "municipal_network", days_from_now(5), json!({})).await;
    let path = format!("/api/v1/meetings/{id}/agenda-items");
    for minutes in [10, 60, 50] {
        app.post(
            &path,
            &token,
            &json!({ "title": "Punkt", "minutes_allotted": minutes }),
        )
        .await
        .assert_status(201);
    }
    let refused = shorten(&app, &id, "\"1\"", 30).await;
    assert_eq!(refused_field(&refused), "ends_at");
    let detail = refused.body["errors"][0]["message"].to_string();
    assert!(detail.contains("120 minutes"), "{}", refused.body);
    let unchanged = app.get(&format!("/api/v1/meetings/{id}"), &token).await;
    assert_eq!(
        unchanged.header("etag").as_deref(),
        Some("\"1\""),
        "nothing written"
    );
    shorten(&app, &id, "\"1\"", 120).await.assert_status(200);
    // An occurrence of a series is changed the same way and keeps the same rule.
    let series = app
        .post(
            "/api/v1/meeting-series",
            &token,
            &json!({
                "kind": "municipal_network",
                "title": "ESTHER-nätverket i Eksjö",
                "rrule": "FREQ=WEEKLY;COUNT=2",
                "starts_local": "2027-03-02T09:00:00",
                "duration_minutes": 90,
            }),
        )
        .await;
    let occurrence = series.assert_status(201)["occurrences"][1]["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/meetings/{occurrence}/agenda-items"),
        &token,
        &json!({ "title": "Patientberättelse", "minutes_allotted": 60 }),
    )
    .await
    .assert_status(201);
    assert_eq!(
        refused_field(&shorten(&app, &occurrence, "\"1\"", 45).await),
        "ends_at"
    );
    shorten(&app, &occurrence, "\"1\"", 60)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn minutes_are_approved_once_then_changed_only_by_amendments_kept_as_versions() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let approver = staff_member(&app, &net.ward, "SE2321000057-1001").await;
    let id = held_meeting(&app, "organizing_committee").await;
    let path = format!("/api/v1/meetings/{id}/minutes");
    let token = app.token("coordinator");
    app.get(&path, &token).await.assert_problem(404);
    let started = app
        .post(
            &path,
            &token,
            &json!({ "text": "1. Opening. 2. Esther's story." }),
        )
        .await;
    assert_eq!(started.assert_status(201)["status"], "draft");
    assert_eq!(started.body["revision"], 0);
    assert_eq!(started.header("location").as_deref(), Some(path.as_str()));
    app.post(&path, &token, &json!({ "text": "again" }))
        .await
        .assert_problem(409);
    // The draft is edited with If-Match.
    app.patch(&path, &token, None, &json!({ "text": "x" }))
        .await
        .assert_problem(428);
    app.patch(&path, &token, Some("\"7\""), &json!({ "text": "x" }))
        .await
        .assert_problem(412);
    let draft = "1. Opening. 2. Esther's story. 3. Decisions.";
    let edited = app
        .patch(&path, &token, Some("\"1\""), &json!({ "text": draft }))
        .await;
    assert_eq!(edited.assert_status(200)["text"], draft);
    assert_eq!(edited.header("etag").as_deref(), Some("\"2\""));
    // Approval: an active staff member, If-Match, once.
    let approve = format!("{path}/approve");
    let ghost = send_if_match(
        &app,
        Method::POST,
        &approve,
        &token,
        "\"2\"",
        &json!({ "approved_by": uuid::Uuid::now_v7() }),
    )
    .await;
    assert_eq!(refused_field(&ghost), "approved_by");
    let body = json!({ "approved_by": approver["id"] });
    app.post(&approve, &token, &body).await.assert_problem(428);
    let approved = send_if_match(&app, Method::POST, &approve, &token, "\"2\"", &body).await;
    let minutes = approved.assert_status(200).clone();
    assert_eq!(minutes["status"], "approved");
    assert_eq!(minutes["approved_by"], approver["id"]);
    assert_eq!(minutes["revision"], 1);
    assert!(minutes["approved_at"].as_str().unwrap().ends_with(":00"));
    let twice = send_if_match(&app, Method::POST, &approve, &token, "\"3\"", &body).await;
    twice.assert_problem(409);
    assert!(
        twice.body["detail"]
            .as_str()
            .unwrap()
            .contains("approved once"),
        "{}",
        twice.text
    );
    // A plain edit of approved minutes: refused, saying an amendment is required.
    let silent = app
        .patch(
            &path,
            &token,
            Some("\"3\""),
            &json!({ "text": "quietly changed" }),
        )
        .await;
    silent.assert_problem(409);
    assert!(
        silent.body["detail"]
            .as_str()
            .unwrap()
            .contains("amendment is required"),
        "{}",
        silent.text
    );
    assert_eq!(
        app.get(&path, &token).await.assert_status(200)["text"],
        draft
    );
    // Amendments: with a reason, changing the text, If-Match; each kept as a version.
    let amend = format!("{path}/amendments");
    let unchanged = send_if_match(
        &app,
        Method::POST,
        &amend,
        &token,
        "\"3\"",
        &json!({ "text": draft, "reason": "none" }),
    )
    .await;
    assert_eq!(refused_field(&unchanged), "text");
    let no_reason = send_if_match(
        &app,
        Method::POST,
        &amend,
        &token,
        "\"3\"",
        &json!({ "text": "y", "reason": " " }),
    )
    .await;
    assert_eq!(refused_field(&no_reason), "reason");
    let amended_text = "1. Opening. 2. Esther's story (told by her daughter). 3. Decisions.";
    let amended = send_if_match(
        &app,
        Method::POST,
        &amend,
        &token,
        "\"3\"",
        &json!({ "text": amended_text, "reason": "Who told the story was missing" }),
    )
    .await;
    let version = amended.assert_status(201).clone();
    assert_eq!(version["number"], 2);
    assert_eq!(version["kind"], "amendment");
    assert_eq!(amended.header("etag").as_deref(), Some("\"4\""));
    let location = amended.header("location").unwrap();
    assert_eq!(location, format!("{path}/versions/2"));
    send_if_match(
        &app,
        Method::POST,
        &amend,
        &token,
        "\"3\"",
        &json!({ "text": "z", "reason": "stale" }),
    )
    .await
    .assert_problem(412);
    let now = app.get(&path, &app.token("integration")).await;
    assert_eq!(now.assert_status(200)["text"], amended_text);
    assert_eq!(now.body["revision"], 2);
    assert_eq!(now.body["status"], "approved");
    let versions = items(
        &app.get(&format!("{path}/versions"), &app.token("clinician"))
            .await,
    );
    let kept: Vec<(&Value, &Value, &Value)> = versions
        .iter()
        .map(|v| (&v["number"], &v["kind"], &v["text"]))
        .collect();
    assert_eq!(
        kept,
        [
            (&json!(1), &json!("approved"), &json!(draft)),
            (&json!(2), &json!("amendment"), &json!(amended_text))
        ]
    );
    assert_eq!(versions[0]["approved_by"], approver["id"]);
    assert_eq!(versions[1]["reason"], "Who told the story was missing");
    let first = app.get(&format!("{path}/versions/1"), &token).await;
    assert_eq!(first.assert_status(200)["text"], draft);
    app.get(&format!("{path}/versions/3"), &token)
        .await
        .assert_problem(404);
    app.get(&format!("{path}/versions/x"), &token)
        .await
        .assert_problem(400);
    // Writers only; readers are staff roles.
    app.patch(
        &path,
        &app.token("clinician"),
        Some("\"4\""),
        &json!({ "text": "x" }),
    )
    .await
    .assert_problem(403);
    app.get(&path, &app.token("analyst"))
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn minutes_are_approved_only_once_the_meeting_is_held_and_a_draft_is_not_amended() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let approver = staff_member(&app, &net.ward, "SE2321000057-1001").await;
    let id = meeting_at(&app, "coach_network", days_from_now(3), json!({})).await;
    let path = format!("/api/v1/meetings/{id}/minutes");
    let token = app.token("coach");
    app.post(&path, &token, &json!({ "text": "Agenda notes" }))
        .await
        .assert_status(201);
    send_if_match(
        &app,
        Method::POST,
        &format!("{path}/approve"),
        &token,
        "\"1\"",
        &json!({ "approved_by": approver["id"] }),
    )
    .await
    .assert_problem(409);
    let draft = send_if_match(
        &app,
        Method::POST,
        &format!("{path}/amendments"),
        &token,
        "\"1\"",
        &json!({ "text": "x", "reason": "y" }),
    )
    .await;
    draft.assert_problem(409);
    assert!(
        app.get(&format!("{path}/versions"), &token).await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let cancelled = meeting_at(&app, "coach_network", days_from_now(4), json!({})).await;
    cancel(&app, &cancelled).await;
    app.post(
        &format!("/api/v1/meetings/{cancelled}/minutes"),
        &token,
        &json!({ "text": "x" }),
    )
    .await
    .assert_problem(409);
}

#[actix_web::test]
async fn decisions_are_taken_during_the_meeting_and_listed_in_order() {
    let app = TestApp::spawn().await;
    let start = days_from_now(-2);
    let id = meeting_at(&app, "organizing_committee", start, json!({})).await;
    let path = format!("/api/v1/meetings/{id}/decisions");
    let token = app.token("admin");
    let at = |offset: Duration| (start + offset).to_rfc3339_opts(SecondsFormat::Secs, true);
    let first = app
        .post(&path, &token, &json!({ "text": "Home care calls the ward before every discharge", "decided_at": at(Duration::minutes(30)) }))
        .await;
    let decision = first.assert_status(201).clone();
    assert!(
        decision["decided_at"].as_str().unwrap().ends_with(":00"),
        "Stockholm offset"
    );
    app.post(
        &path,
        &token,
        &json!({ "text": "Next café in Aneby", "decided_at": at(Duration::minutes(90)) }),
    )
    .await
    .assert_status(201);
    for (decided_at, field) in [
        (at(Duration::minutes(-1)), "decided_at"),
        (days_from_now(1).to_rfc3339(), "decided_at"),
        ("yesterday".to_owned(), "decided_at"),
    ] {
        let refused = app
            .post(
                &path,
                &token,
                &json!({ "text": "x", "decided_at": decided_at }),
            )
            .await;
        assert_eq!(refused_field(&refused), field);
    }
    let listed = items(&app.get(&path, &app.token("coach")).await);
    let texts: Vec<&str> = listed.iter().map(|d| d["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        [
            "Home care calls the ward before every discharge",
            "Next café in Aneby"
        ]
    );
    let page = app.get(&format!("{path}?limit=1"), &token).await;
    assert_eq!(
        ids(page.assert_status(200)),
        [decision["id"].as_str().unwrap()]
    );
    assert!(page.body["next"].is_string());
    app.post(
        &path,
        &app.token("clinician"),
        &json!({ "text": "x", "decided_at": at(Duration::minutes(5)) }),
    )
    .await
    .assert_problem(403);
}

#[actix_web::test]
async fn the_organizer_herself_writes_the_records_by_her_hsa_id_whatever_her_role() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let organizer = staff_member(&app, &net.home_care, "SE2120000682-1001").await;
    let other = staff_member(&app, &net.home_care, "SE2120000682-1002").await;
    let id = meeting_at(
        &app,
        "municipal_network",
        days_from_now(5),
        json!({ "organizer_id": organizer["id"] }),
    )
    .await;
    let path = format!("/api/v1/meetings/{id}/agenda-items");
    let token_for = |hsa_id: &Value| {
        let mut claims = app.claims("clinician");
        claims["hsa_id"] = hsa_id.clone();
        app.sign(&claims)
    };
    app.post(
        &path,
        &token_for(&organizer["hsa_id"]),
        &json!({ "title": "Welcome" }),
    )
    .await
    .assert_status(201);
    let refused = app
        .post(
            &path,
            &token_for(&other["hsa_id"]),
            &json!({ "title": "Mine" }),
        )
        .await;
    refused.assert_problem(403);
    app.post(&path, &app.token("clinician"), &json!({ "title": "Mine" }))
        .await
        .assert_problem(403);
    assert_eq!(
        items(&app.get(&path, &app.token("clinician")).await).len(),
        1
    );
}

/// Meeting texts are shared across organizations and in token-less calendar feeds: none may
/// hold a personal identity number, however it is written, and a case conference's place
/// stays out of calendars; a case conference never turns into a network meeting.
#[actix_web::test]
async fn meeting_texts_hold_no_personal_number_and_a_case_conference_keeps_its_place() {
    let app = TestApp::spawn().await;
    network(&app).await;
    let token = app.token("coordinator");
    let start = days_from_now(7);
    let base = json!({
        "kind": "municipal_network",
        "title": "Nätverksträff",
        "starts_at": start.to_rfc3339_opts(SecondsFormat::Secs, true),
        "ends_at": (start + Duration::hours(2)).to_rfc3339_opts(SecondsFormat::Secs, true),
        "host_municipality": "0686",
    });
    for (field, text) in [
        ("title", "Vårdplanering 19121212-1212"),
        ("description", "Esther 1912 12 12\u{200b}-1212"),
        ("place", "Hemma hos 121212–1212"),
    ] {
        let mut body = base.clone();
        body[field] = json!(text);
        let refused = app.post("/api/v1/meetings", &token, &body).await;
        assert_eq!(refused_field(&refused), field, "{text}");
        assert!(
            !refused.text.contains("1212-1212"),
            "the number is not repeated"
        );
    }
    let id = meeting_at(&app, "municipal_network", start, json!({})).await;
    let base_path = format!("/api/v1/meetings/{id}");
    for (path, body, field) in [
        (
            "participants",
            json!({ "representative": { "name": "Per 191212121212", "role": "relative_representative", "consent_to_be_named": true } }),
            "representative.name",
        ),
        (
            "agenda-items",
            json!({ "title": "Om 19121212-1212" }),
            "title",
        ),
        (
            "action-items",
            json!({ "title": "Ring 19121212 - 1212", "due": (start + Duration::days(30)).date_naive() }),
            "title",
        ),
    ] {
        let refused = app
            .post(&format!("{base_path}/{path}"), &token, &body)
            .await;
        assert_eq!(refused_field(&refused), field, "{path}");
    }
    // The meeting's own texts may be anything else, dates and times included.
    let fine = app
        .patch(
            &base_path,
            &token,
            Some("\"1\""),
            &json!({ "description": "Möte 2027-01-12 kl. 10.00-12.00, ring 036-32 40 00" }),
        )
        .await;
    fine.assert_status(200);
    // A network meeting does not become a case conference (nor the reverse).
    let turned = app
        .patch(
            &base_path,
            &token,
            Some("\"2\""),
            &json!({ "kind": "case_conference" }),
        )
        .await;
    assert_eq!(refused_field(&turned), "kind");
    // A case conference's place and link stay out of its calendar.
    let conference = meeting_at(
        &app,
        "case_conference",
        start,
        json!({ "place": "Storgatan 1, Eksjö", "video_link": "https://meet.example.se/abc" }),
    )
    .await;
    let ics = app
        .get(&format!("/api/v1/meetings/{conference}.ics"), &token)
        .await;
    assert_eq!(ics.status, 200, "{}", ics.text);
    assert!(ics.text.contains("SUMMARY:Case conference"));
    assert!(
        !ics.text.contains("Storgatan") && !ics.text.contains("\nLOCATION"),
        "{}",
        ics.text
    );
    assert!(!ics.text.contains("meet.example.se"));
}
