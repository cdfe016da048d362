//! The network's meetings over HTTP: scheduling, reading, listing in start order with
//! filters, changing with `If-Match`, recording a meeting as held, and cancelling it (it
//! stays, with its reason).

use serde_json::{Value, json};
use tests::TestApp;

use crate::record_support::network;

fn cafe(starts_at: &str, ends_at: &str) -> Value {
    json!({
        "kind": "esther_cafe",
        "title": "ESTHER-café i Eksjö",
        "description": "Esthers berättelse, lärdomar och förslag till ledningen",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": "Eksjö stadshotell",
        "host_municipality": "0686",
    })
}

/// The ids of a page's items.
pub(crate) fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_meeting_is_scheduled_read_and_shown_in_stockholm_time() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let coordinator = app.token("coordinator");
    let mut body = cafe("2026-12-01T12:00:00Z", "2026-12-01T15:00:00Z");
    body["host_organization_id"] = net.region["id"].clone();
    body["video_link"] = json!("https://meet.example.se/esther-cafe");
    let created = app.post("/api/v1/meetings", &coordinator, &body).await;
    let meeting = created.assert_status(201).clone();
    assert_eq!(meeting["status"], "scheduled");
    assert_eq!(
        meeting["starts_at"], "2026-12-01T13:00:00+01:00",
        "winter: +01:00"
    );
    assert_eq!(meeting["created_by"], "test-coordinator");
    let location = created.header("location").unwrap();
    let read = app.get(&location, &app.token("clinician")).await;
    assert_eq!(read.assert_status(200)["title"], "ESTHER-café i Eksjö");
    assert_eq!(read.header("etag").as_deref(), Some("\"1\""));
    // Summer time: the same wall-clock hour is an hour earlier in UTC.
    let summer = app
        .post(
            "/api/v1/meetings",
            &coordinator,
            &cafe("2026-06-02T13:00:00+02:00", "2026-06-02T16:00:00+02:00"),
        )
        .await;
    assert_eq!(
        summer.assert_status(201)["starts_at"],
        "2026-06-02T13:00:00+02:00"
    );
}

#[actix_web::test]
async fn bad_meetings_are_refused_with_every_field_named_and_nothing_written() {
    let app = TestApp::spawn().await;
    let token = app.token("coordinator");
    let body = json!({
        "kind": "party",
        "title": "  ",
        "starts_at": "2026-12-01 09:00",
        "ends_at": "2026-12-01T08:00:00Z",
        "video_link": "http://insecure.example",
        "host_municipality": "0999",
    });
    let response = app.post("/api/v1/meetings", &token, &body).await;
    response.assert_problem(422);
    let fields: Vec<&str> = response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "kind",
            "title",
            "starts_at",
            "video_link",
            "host_municipality"
        ]
    );
    let backwards = cafe("2026-12-01T15:00:00Z", "2026-12-01T12:00:00Z");
    let response = app.post("/api/v1/meetings", &token, &backwards).await;
    response.assert_problem(422);
    assert_eq!(response.body["errors"][0]["field"], "ends_at");
    for (starts_at, ends_at) in [
        ("9999-12-31T20:00:00Z", "9999-12-31T23:00:00Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T02:00:00Z"),
        ("2026-12-10T13:00:60+01:00", "2026-12-10T15:00:00+01:00"),
    ] {
        let response = app
            .post("/api/v1/meetings", &token, &cafe(starts_at, ends_at))
            .await;
        response.assert_problem(422);
        assert_eq!(
            response.body["errors"][0]["field"], "starts_at",
            "{starts_at}"
        );
    }
    let mut unknown = cafe("2026-12-01T12:00:00Z", "2026-12-01T15:00:00Z");
    unknown["organizer_id"] = json!(uuid::Uuid::now_v7());
    let response = app.post("/api/v1/meetings", &token, &unknown).await;
    response.assert_problem(422);
    assert_eq!(response.body["errors"][0]["field"], "organizer_id");
    let mut extra = cafe("2026-12-01T12:00:00Z", "2026-12-01T15:00:00Z");
    extra["status"] = json!("held");
    app.post("/api/v1/meetings", &token, &extra)
        .await
        .assert_problem(400);
    let listed = app.get("/api/v1/meetings", &token).await;
    assert!(ids(listed.assert_status(200)).is_empty(), "nothing written");
}

#[actix_web::test]
async fn who_may_read_and_who_may_organize() {
    let app = TestApp::spawn().await;
    let body = cafe("2026-12-01T12:00:00Z", "2026-12-01T15:00:00Z");
    for role in ["admin", "coordinator", "coach"] {
        app.post("/api/v1/meetings", &app.token(role), &body)
            .await
            .assert_status(201);
    }
    for role in ["clinician", "integration", "analyst", "person"] {
        app.post("/api/v1/meetings", &app.token(role), &body)
            .await
            .assert_problem(403);
    }
    for role in ["admin", "coordinator", "clinician", "coach", "integration"] {
        let page = app.get("/api/v1/meetings", &app.token(role)).await;
        assert_eq!(ids(page.assert_status(200)).len(), 3, "{role}");
    }
    app.get("/api/v1/meetings", &app.token("analyst"))
        .await
        .assert_problem(403);
    // Her own token lists only the case conferences she is invited to: none here.
    let own = app.get("/api/v1/meetings", &app.token("person")).await;
    assert!(ids(own.assert_status(200)).is_empty());
}

#[actix_web::test]
async fn lists_run_in_start_order_with_filters_and_pages() {
    let app = TestApp::spawn().await;
    let token = app.token("coordinator");
    // Created out of start order.
    let mut made = Vec::new();
    for (day, kind, municipality) in [
        ("03", "municipal_network", "0682"),
        ("01", "esther_cafe", "0686"),
        ("02", "municipal_network", "0686"),
        ("01", "organizing_committee", "0680"),
    ] {
        let mut body = cafe(
            &format!("2026-12-{day}T08:00:00Z"),
            &format!("2026-12-{day}T10:00:00Z"),
        );
        body["kind"] = json!(kind);
        body["host_municipality"] = json!(municipality);
        let meeting = app.post("/api/v1/meetings", &token, &body).await;
        made.push(
            meeting.assert_status(201)["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let all = app.get("/api/v1/meetings", &token).await;
    assert_eq!(
        ids(all.assert_status(200)),
        [
            made[1].clone(),
            made[3].clone(),
            made[2].clone(),
            made[0].clone()
        ],
        "start order, then creation order"
    );
    let first = app.get("/api/v1/meetings?limit=3", &token).await;
    let next = first.assert_status(200)["next"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        ids(&first.body),
        [made[1].clone(), made[3].clone(), made[2].clone()]
    );
    let second = app
        .get(&format!("/api/v1/meetings?limit=3&cursor={next}"), &token)
        .await;
    assert_eq!(ids(second.assert_status(200)), [made[0].clone()]);
    assert!(second.body["next"].is_null());
    let eksjo = app.get("/api/v1/meetings?municipality=0686", &token).await;
    assert_eq!(
        ids(eksjo.assert_status(200)),
        [made[1].clone(), made[2].clone()]
    );
    let networks = app
        .get("/api/v1/meetings?kind=municipal_network", &token)
        .await;
    assert_eq!(
        ids(networks.assert_status(200)),
        [made[2].clone(), made[0].clone()]
    );
    // From/to select the meetings overlapping the period (Stockholm offsets accepted).
    let period = app
        .get(
            "/api/v1/meetings?from=2026-12-02T00:00:00%2B01:00&to=2026-12-03T00:00:00%2B01:00",
            &token,
        )
        .await;
    assert_eq!(ids(period.assert_status(200)), [made[2].clone()]);
    for bad in [
        "kind=party",
        "status=done",
        "municipality=0999",
        "from=yesterday",
        "from=2026-12-03T00:00:00%2B01:00&to=2026-12-02T00:00:00%2B01:00",
        "from=9999-12-31T00:00:00Z",
        "limit=0",
        "colour=blue",
    ] {
        app.get(&format!("/api/v1/meetings?{bad}"), &token)
            .await
            .assert_problem(400);
    }
    // A cursor is bound to its filters.
    app.get(
        &format!("/api/v1/meetings?limit=3&kind=esther_cafe&cursor={next}"),
        &token,
    )
    .await
    .assert_problem(400);
}

#[actix_web::test]
async fn changes_need_if_match_and_follow_the_meetings_state() {
    let app = TestApp::spawn().await;
    let token = app.token("coordinator");
    let meeting = app
        .post(
            "/api/v1/meetings",
            &token,
            &cafe("2026-11-01T12:00:00Z", "2026-11-01T15:00:00Z"),
        )
        .await
        .assert_status(201)
        .clone();
    let path = format!("/api/v1/meetings/{}", meeting["id"].as_str().unwrap());
    let moved = json!({ "starts_at": "2026-11-08T13:00:00+01:00", "ends_at": "2026-11-08T16:00:00+01:00", "place": null });
    app.patch(&path, &token, None, &moved)
        .await
        .assert_problem(428);
    app.patch(&path, &token, Some("\"7\""), &moved)
        .await
        .assert_problem(412);
    let changed = app.patch(&path, &token, Some("\"1\""), &moved).await;
    assert_eq!(
        changed.assert_status(200)["starts_at"],
        "2026-11-08T13:00:00+01:00"
    );
    assert!(changed.body["place"].is_null(), "null clears the place");
    assert_eq!(changed.header("etag").as_deref(), Some("\"2\""));
    // The end before the start, even when only one of them is sent.
    let backwards = json!({ "ends_at": "2026-11-08T12:00:00+01:00" });
    let response = app.patch(&path, &token, Some("\"2\""), &backwards).await;
    response.assert_problem(422);
    assert_eq!(response.body["errors"][0]["field"], "ends_at");
    // Held only once it has started.
    let future = app
        .post(
            "/api/v1/meetings",
            &token,
            &cafe("2099-12-01T12:00:00Z", "2099-12-01T15:00:00Z"),
        )
        .await
        .assert_status(201)
        .clone();
    let future_path = format!("/api/v1/meetings/{}", future["id"].as_str().unwrap());
    app.patch(
        &future_path,
        &token,
        Some("\"1\""),
        &json!({ "status": "held" }),
    )
    .await
    .assert_problem(409);
    let held = app
        .patch(&path, &token, Some("\"2\""), &json!({ "status": "held" }))
        .await;
    assert_eq!(held.assert_status(200)["status"], "held");
    let moved_again =
        json!({ "starts_at": "2026-11-09T13:00:00+01:00", "ends_at": "2026-11-09T16:00:00+01:00" });
    app.patch(&path, &token, Some("\"3\""), &moved_again)
        .await
        .assert_problem(409);
    app.patch(
        &path,
        &token,
        Some("\"3\""),
        &json!({ "status": "cancelled" }),
    )
    .await
    .assert_problem(422);
}

#[actix_web::test]
async fn a_cancelled_meeting_stays_with_its_reason_and_is_final() {
    let app = TestApp::spawn().await;
    let token = app.token("coordinator");
    let meeting = app
        .post(
            "/api/v1/meetings",
            &token,
            &cafe("2099-12-01T12:00:00Z", "2099-12-01T15:00:00Z"),
        )
        .await
        .assert_status(201)
        .clone();
    let path = format!("/api/v1/meetings/{}", meeting["id"].as_str().unwrap());
    let cancel = format!("{path}/cancel");
    let reason = json!({ "reason": "Too few could come; moved to January" });
    app.request(
        actix_web::http::Method::POST,
        &cancel,
        Some(&token),
        &[],
        Some(&reason),
    )
    .await
    .assert_problem(428);
    let no_reason = app
        .request(
            actix_web::http::Method::POST,
            &cancel,
            Some(&token),
            &[("if-match", "\"1\"")],
            Some(&json!({ "reason": " " })),
        )
        .await;
    no_reason.assert_problem(422);
    assert_eq!(no_reason.body["errors"][0]["field"], "reason");
    let cancelled = app
        .request(
            actix_web::http::Method::POST,
            &cancel,
            Some(&token),
            &[("if-match", "\"1\"")],
            Some(&reason),
        )
        .await;
    assert_eq!(cancelled.assert_status(200)["status"], "cancelled");
    assert_eq!(
        cancelled.body["cancel_reason"],
        "Too few could come; moved to January"
    );
    let again = app
        .request(
            actix_web::http::Method::POST,
            &cancel,
            Some(&token),
            &[("if-match", "\"2\"")],
            Some(&reason),
        )
        .await;
    again.assert_problem(409);
    app.patch(
        &path,
        &token,
        Some("\"2\""),
        &json!({ "title": "Ny titel" }),
    )
    .await
    .assert_problem(409);
    let listed = app.get("/api/v1/meetings?status=cancelled", &token).await;
    assert_eq!(ids(listed.assert_status(200)).len(), 1, "it stays");
    app.get(
        &format!("/api/v1/meetings/{}", uuid::Uuid::now_v7()),
        &token,
    )
    .await
    .assert_problem(404);
}
