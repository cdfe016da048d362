//! Recurring meetings and calendars over HTTP: a series expanded in Europe/Stockholm (09:00
//! stays 09:00 across both daylight-saving changes), its occurrences as meetings (cancelled,
//! moved), a meeting's `.ics`, and secret-URL feeds (created, listed, revoked, 304 when
//! unchanged, never naming a person).
//!
//! With `SMARTCARE_ICS_DIR` set, every calendar these tests fetch is written there with what
//! the JSON API says about it (`<name>.ics`, `<name>.json`), for `.ci/check_ics.py` to parse
//! with an independent iCalendar parser and compare.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::{TestApp, TestResponse};

use crate::record_support::{Network, network};

const SERIES: &str = "/api/v1/meeting-series";

/// A weekly Tuesday 09:00–10:30 network in Eksjö from 2 March 2027, 40 times (to 30 November).
fn weekly_network() -> Value {
    json!({
        "kind": "municipal_network",
        "title": "ESTHER-nätverket i Eksjö",
        "description": "Månadens patientberättelse; förbättringsarbeten",
        "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=40",
        "starts_local": "2027-03-02T09:00:00",
        "duration_minutes": 90,
        "exdates": ["2027-07-13T09:00:00"],
        "place": "Eksjö stadshus, sal 2",
        "host_municipality": "0686",
    })
}

async fn create_series(app: &TestApp, body: &Value) -> Value {
    app.post(SERIES, &app.token("coordinator"), body)
        .await
        .assert_status(201)
        .clone()
}

fn occurrence<'a>(series: &'a Value, recurrence_id: &str) -> &'a Value {
    series["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["recurrence_id"] == recurrence_id)
        .unwrap_or_else(|| panic!("no occurrence {recurrence_id}"))
}

/// Unfolded content lines (RFC 5545 §3.1).
fn lines(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

/// The `VEVENT` blocks of a calendar, unfolded.
fn events(ics: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in lines(ics) {
        match line.as_str() {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => found.extend(current.take()),
            _ => {
                if let Some(event) = current.as_mut() {
                    event.push(line);
                }
            }
        }
    }
    found
}

fn has(event: &[String], line: &str) -> bool {
    event.iter().any(|l| l == line)
}

/// Writes a fetched calendar and what the JSON API says about it for `.ci/check_ics.py`.
fn keep_for_ci(name: &str, response: &TestResponse, expected: &Value) {
    if let Ok(dir) = std::env::var("SMARTCARE_ICS_DIR") {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(format!("{name}.ics")), &response.text).unwrap();
        std::fs::write(dir.join(format!("{name}.json")), expected.to_string()).unwrap();
    }
}

/// What the API says a calendar of these meetings and series must show; `masters`: whether
/// it carries each series' master event (a feed) or only instances (one meeting's `.ics`).
fn expected(meetings: &[Value], series: &[Value], masters: bool) -> Value {
    let events: Vec<Value> = meetings
        .iter()
        .map(|m| {
            json!({
                "meeting_id": m["id"],
                "starts_at": m["starts_at"],
                "ends_at": m["ends_at"],
                "status": m["status"],
            })
        })
        .collect();
    let series: Vec<Value> = series
        .iter()
        .map(|s| {
            json!({
                "uid": format!("{}@smartcare-home", s["id"].as_str().unwrap()),
                "master": masters,
                "occurrences": s["occurrences"],
            })
        })
        .collect();
    json!({ "events": events, "series": series })
}

async fn meeting(app: &TestApp, id: &Value) -> Value {
    let path = format!("/api/v1/meetings/{}", id.as_str().unwrap());
    app.get(&path, &app.token("clinician"))
        .await
        .assert_status(200)
        .clone()
}

/// [`keep_for_ci`] for a feed showing `series` whole: its master and every occurrence as the
/// meetings API shows it now.
async fn keep_series_for_ci(app: &TestApp, name: &str, response: &TestResponse, series: Value) {
    let mut meetings = Vec::new();
    for o in series["occurrences"].as_array().unwrap() {
        meetings.push(meeting(app, &o["meeting_id"]).await);
    }
    keep_for_ci(name, response, &expected(&meetings, &[series], true));
}

/// The feeds `GET /api/v1/calendar-feeds{query}` lists for `token` (one page).
async fn listed_feeds(app: &TestApp, query: &str, token: &str) -> Vec<Value> {
    let listed = app
        .get(&format!("/api/v1/calendar-feeds{query}"), token)
        .await;
    listed.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// The status a feed's URL answers with.
async fn feed_status(app: &TestApp, feed: &Value) -> u16 {
    get_feed(app, feed["url"].as_str().unwrap(), None)
        .await
        .status
}

async fn get_feed(app: &TestApp, url: &str, if_none_match: Option<&str>) -> TestResponse {
    let headers: Vec<(&str, &str)> = if_none_match
        .map(|tag| ("if-none-match", tag))
        .into_iter()
        .collect();
    app.request(Method::GET, url, None, &headers, None).await
}

async fn subscribe(app: &TestApp, token: &str, body: &Value) -> Value {
    app.post("/api/v1/calendar-feeds", token, body)
        .await
        .assert_status(201)
        .clone()
}

/// Karin, a nurse at the ward with `hsa_id`: her staff record and a clinician's token (`sub`
/// `karin`) carrying her HSA-id.
async fn karin(app: &TestApp, net: &Network, hsa_id: &str) -> (Value, String) {
    let staff = json!({ "name": "Karin Sjuksköterska", "profession": "registered_nurse", "care_unit_id": net.ward["id"], "hsa_id": hsa_id });
    let staff = app
        .post("/api/v1/staff", &app.token("admin"), &staff)
        .await
        .assert_status(201)
        .clone();
    let mut claims = app.claims("clinician");
    claims["sub"] = json!("karin");
    claims["hsa_id"] = json!(hsa_id);
    (staff, app.sign(&claims))
}

#[actix_web::test]
async fn a_weekly_series_keeps_nine_local_across_both_daylight_saving_changes() {
    let app = TestApp::spawn().await;
    let series = create_series(&app, &weekly_network()).await;
    let occurrences = series["occurrences"].as_array().unwrap();
    assert_eq!(
        occurrences.len(),
        39,
        "40 Tuesdays less the excluded 13 July"
    );
    assert_eq!(series["starts_local"], "2027-03-02T09:00:00");
    assert_eq!(series["time_zone"], "Europe/Stockholm");
    // Winter (+01:00, 08:00Z), summer from 28 March (+02:00, 07:00Z), winter from 31 October.
    assert_eq!(occurrences[0]["starts_at"], "2027-03-02T09:00:00+01:00");
    assert_eq!(occurrences[3]["starts_at"], "2027-03-23T09:00:00+01:00");
    assert_eq!(occurrences[4]["starts_at"], "2027-03-30T09:00:00+02:00");
    assert_eq!(occurrences[4]["ends_at"], "2027-03-30T10:30:00+02:00");
    assert_eq!(occurrences[33]["starts_at"], "2027-10-26T09:00:00+02:00");
    assert_eq!(occurrences[34]["starts_at"], "2027-11-02T09:00:00+01:00");
    assert!(
        occurrences
            .iter()
            .all(|o| o["starts_at"].as_str().unwrap().contains("T09:00:00+0"))
    );
    // Each occurrence is a meeting: in the list and its filters, in UTC 08:00Z / 07:00Z.
    let summer = meeting(&app, &occurrences[4]["meeting_id"]).await;
    assert_eq!(summer["kind"], "municipal_network");
    assert_eq!(summer["title"], "ESTHER-nätverket i Eksjö");
    let listed = app
        .get(
            "/api/v1/meetings?municipality=0686&from=2027-03-29T00:00:00Z&to=2027-04-01T00:00:00Z",
            &app.token("clinician"),
        )
        .await;
    let items = listed.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], occurrences[4]["meeting_id"]);
    let all = app
        .get("/api/v1/meetings?limit=200", &app.token("clinician"))
        .await;
    assert_eq!(
        all.assert_status(200)["items"].as_array().unwrap().len(),
        39
    );
    // Read back.
    let location = format!("{SERIES}/{}", series["id"].as_str().unwrap());
    let read = app.get(&location, &app.token("clinician")).await;
    assert_eq!(
        read.assert_status(200)["rrule"],
        "FREQ=WEEKLY;BYDAY=TU;COUNT=40"
    );
    let etag = read.header("etag").unwrap_or_default();
    assert!(
        etag.starts_with("\"1."),
        "version 1 and the digest of the body: {etag}"
    );
    assert_eq!(read.body["exdates"], json!(["2027-07-13T09:00:00"]));
}

#[actix_web::test]
async fn a_lower_case_rule_is_stored_and_served_canonical() {
    let app = TestApp::spawn().await;
    let mut body = weekly_network();
    body["rrule"] = json!("RRULE:freq=weekly;byday=tu;count=2");
    body["exdates"] = json!([]);
    let series = create_series(&app, &body).await;
    assert_eq!(series["rrule"], "FREQ=WEEKLY;BYDAY=TU;COUNT=2");
    assert_eq!(series["occurrences"].as_array().unwrap().len(), 2);
    let read = app
        .get(
            &format!("{SERIES}/{}", series["id"].as_str().unwrap()),
            &app.token("clinician"),
        )
        .await;
    assert_eq!(
        read.assert_status(200)["rrule"],
        "FREQ=WEEKLY;BYDAY=TU;COUNT=2"
    );
    let feed = subscribe(
        &app,
        &app.token("clinician"),
        &json!({ "scope": "municipality", "municipality": "0686" }),
    )
    .await;
    let response = get_feed(&app, feed["url"].as_str().unwrap(), None).await;
    assert_eq!(response.status, 200, "{}", response.text);
    let all = lines(&response.text);
    assert!(
        has(&all, "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=2"),
        "{}",
        response.text
    );
    keep_series_for_ci(&app, "canonical_rule", &response, series).await;
}

#[actix_web::test]
async fn a_feed_carries_only_the_occurrences_in_its_scope_as_standalone_events() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let (staff, karin) = karin(&app, &net, "SE2321000057-1008").await;
    let mut body = weekly_network();
    body["rrule"] = json!("FREQ=WEEKLY;BYDAY=TU;COUNT=7");
    body["exdates"] = json!([]);
    let series = create_series(&app, &body).await;
    assert_eq!(series["occurrences"].as_array().unwrap().len(), 7);
    // Karin is invited to the third of seven.
    let invited_id = series["occurrences"][2]["meeting_id"].clone();
    let path = format!(
        "/api/v1/meetings/{}/participants",
        invited_id.as_str().unwrap()
    );
    app.post(
        &path,
        &app.token("coordinator"),
        &json!({ "staff_id": staff["id"] }),
    )
    .await
    .assert_status(201);
    let mine = subscribe(&app, &karin, &json!({ "scope": "mine" })).await;
    let response = get_feed(&app, mine["url"].as_str().unwrap(), None).await;
    assert_eq!(response.status, 200, "{}", response.text);
    let shown = events(&response.text);
    assert_eq!(shown.len(), 1, "one meeting, no master: {}", response.text);
    assert!(
        !shown[0]
            .iter()
            .any(|l| l.starts_with("RRULE") || l.starts_with("RECURRENCE-ID"))
    );
    assert!(has(
        &shown[0],
        &format!("UID:{}@smartcare-home", invited_id.as_str().unwrap())
    ));
    assert!(has(
        &shown[0],
        "DTSTART;TZID=Europe/Stockholm:20270316T090000"
    ));
    let invited = meeting(&app, &invited_id).await;
    keep_for_ci(
        "mine_one_occurrence",
        &response,
        &expected(&[invited], &[], true),
    );
    // Her unit's organization invited to every occurrence: the whole series is hers, a master.
    for o in series["occurrences"].as_array().unwrap() {
        let path = format!(
            "/api/v1/meetings/{}/participants",
            o["meeting_id"].as_str().unwrap()
        );
        let org = json!({ "organization_id": net.ward["organization_id"] });
        app.post(&path, &app.token("coordinator"), &org)
            .await
            .assert_status(201);
    }
    let response = get_feed(&app, mine["url"].as_str().unwrap(), None).await;
    let shown = events(&response.text);
    assert_eq!(shown.len(), 8, "the master and its seven occurrences");
    assert!(has(
        &lines(&response.text),
        "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=7"
    ));
    let series = app
        .get(
            &format!("{SERIES}/{}", series["id"].as_str().unwrap()),
            &karin,
        )
        .await
        .body;
    keep_series_for_ci(&app, "mine_whole_series", &response, series).await;
}

#[actix_web::test]
async fn an_unbounded_or_absurd_series_is_refused_naming_the_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("coordinator");
    for rule in [
        "FREQ=WEEKLY;BYDAY=TU",
        "FREQ=DAILY;UNTIL=20400101T000000Z",
        "FREQ=DAILY;COUNT=5000",
        "FREQ=MINUTELY;COUNT=5",
        "FREQ=WEEKLY;BYDAY=TU;COUNT=3\r\nATTACH:x",
    ] {
        let mut body = weekly_network();
        body["rrule"] = json!(rule);
        body["exdates"] = json!([]);
        let response = app.post(SERIES, &token, &body).await;
        response.assert_problem(422);
        assert_eq!(response.body["errors"][0]["field"], "rrule", "{rule}");
    }
    let mut body = weekly_network();
    body["starts_local"] = json!("2027-03-03T09:00:00+01:00");
    body["duration_minutes"] = json!(0);
    body["kind"] = json!("party");
    let response = app.post(SERIES, &token, &body).await;
    response.assert_problem(422);
    let mut fields: Vec<&str> = response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["kind", "starts_local"]);
    let mut body = weekly_network();
    body["starts_local"] = json!("2027-03-03T09:00:00");
    body["exdates"] = json!([]);
    let response = app.post(SERIES, &token, &body).await;
    response.assert_problem(422);
    assert_eq!(
        response.body["errors"][0]["field"], "starts_local",
        "a Wednesday start for a Tuesday rule"
    );
    let mut body = weekly_network();
    body["exdates"] = json!(["2027-07-14T09:00:00"]);
    let response = app.post(SERIES, &token, &body).await;
    response.assert_problem(422);
    assert_eq!(response.body["errors"][0]["field"], "exdates");
    // A series has at least one meeting.
    let mut body = weekly_network();
    body["rrule"] = json!("FREQ=DAILY;COUNT=1");
    body["exdates"] = json!(["2027-03-02T09:00:00"]);
    let response = app.post(SERIES, &token, &body).await;
    response.assert_problem(422);
    assert_eq!(response.body["errors"][0]["field"], "exdates");
    app.post(SERIES, &app.token("clinician"), &weekly_network())
        .await
        .assert_problem(403);
    let all = app.get("/api/v1/meetings", &app.token("clinician")).await;
    assert_eq!(
        all.assert_status(200)["items"],
        json!([]),
        "nothing written"
    );
}

#[actix_web::test]
async fn a_feed_shows_the_series_with_a_cancelled_and_a_moved_occurrence_and_answers_304() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let coordinator = app.token("coordinator");
    let mut body = weekly_network();
    // 90.0 is the JSON Schema integer 90 (what a JavaScript client sends).
    body["duration_minutes"] = json!(90.0);
    let series = create_series(&app, &body).await;
    let series_path = format!("{SERIES}/{}", series["id"].as_str().unwrap());
    let feed = subscribe(
        &app,
        &app.token("clinician"),
        &json!({ "scope": "municipality", "municipality": "0686" }),
    )
    .await;
    let url = feed["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("/feeds/") && url.ends_with(".ics"));
    let first = get_feed(&app, &url, None).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        first.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    let etag = first.header("etag").unwrap();
    let again = get_feed(&app, &url, Some(&etag)).await;
    assert_eq!(again.status, 304);
    assert_eq!(again.text, "");
    assert_eq!(get_feed(&app, &url, None).await.text, first.text, "stable");

    // Cancel the 6 April occurrence, move 20 April to 13:00, invite to 27 April.
    let cancelled = occurrence(&series, "2027-04-06T09:00:00+02:00")["meeting_id"].clone();
    let path = format!("/api/v1/meetings/{}/cancel", cancelled.as_str().unwrap());
    let headers = [("if-match", "\"1\"")];
    let body = json!({ "reason": "Påskledighet" });
    app.request(
        Method::POST,
        &path,
        Some(&coordinator),
        &headers,
        Some(&body),
    )
    .await
    .assert_status(200);
    let moved = occurrence(&series, "2027-04-20T09:00:00+02:00")["meeting_id"].clone();
    let path = format!("/api/v1/meetings/{}", moved.as_str().unwrap());
    let body =
        json!({ "starts_at": "2027-04-20T13:00:00+02:00", "ends_at": "2027-04-20T14:30:00+02:00" });
    app.patch(&path, &coordinator, Some("\"1\""), &body)
        .await
        .assert_status(200);
    let invited = occurrence(&series, "2027-04-27T09:00:00+02:00")["meeting_id"].clone();
    let path = format!(
        "/api/v1/meetings/{}/participants",
        invited.as_str().unwrap()
    );
    let unit = json!({ "care_unit_id": net.home_care["id"] });
    app.post(&path, &coordinator, &unit)
        .await
        .assert_status(201);
    let greta = json!({ "representative": { "name": "Greta Andersson", "role": "relative_representative", "consent_to_be_named": false } });
    app.post(&path, &coordinator, &greta)
        .await
        .assert_status(201);

    let changed = get_feed(&app, &url, Some(&etag)).await;
    assert_eq!(changed.status, 200, "a change is a new ETag");
    assert_ne!(changed.header("etag").unwrap(), etag);
    let ics = &changed.text;
    let all = lines(ics);
    assert!(has(&all, "BEGIN:VTIMEZONE") && has(&all, "TZID:Europe/Stockholm"));
    assert!(has(&all, "TZOFFSETTO:+0200") && has(&all, "TZOFFSETTO:+0100"));
    let uid = format!("UID:{}@smartcare-home", series["id"].as_str().unwrap());
    let events = events(ics);
    assert_eq!(events.len(), 40, "the master and its 39 occurrences");
    let master = events
        .iter()
        .find(|e| e.iter().any(|l| l.starts_with("RRULE:")))
        .unwrap();
    assert!(has(master, &uid));
    assert!(has(master, "DTSTART;TZID=Europe/Stockholm:20270302T090000"));
    assert!(has(master, "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=40"));
    assert!(has(master, "EXDATE;TZID=Europe/Stockholm:20270713T090000"));
    let instance = |recurrence: &str| {
        events
            .iter()
            .find(|e| {
                has(
                    e,
                    &format!("RECURRENCE-ID;TZID=Europe/Stockholm:{recurrence}"),
                )
            })
            .unwrap_or_else(|| panic!("no instance {recurrence}"))
    };
    let april_6 = instance("20270406T090000");
    assert!(has(april_6, &uid) && has(april_6, "STATUS:CANCELLED"));
    assert!(has(april_6, "SEQUENCE:1"));
    let april_20 = instance("20270420T090000");
    assert!(has(
        april_20,
        "DTSTART;TZID=Europe/Stockholm:20270420T130000"
    ));
    assert!(has(april_20, "STATUS:CONFIRMED") && has(april_20, "SEQUENCE:1"));
    let april_27 = instance("20270427T090000");
    assert!(has(april_27, "SEQUENCE:2"), "two invitations");
    assert!(april_27.iter().any(|l| l.starts_with("ATTENDEE;")
        && l.contains("CN=Hemtjänst Nässjö")
        && l.contains("CUTYPE=GROUP")
        && l.contains("PARTSTAT=NEEDS-ACTION")));
    assert!(
        april_27
            .iter()
            .any(|l| l.starts_with("ATTENDEE;") && l.contains("CN=relative representative"))
    );
    assert!(
        !ics.contains("Greta"),
        "a representative is never named in a feed"
    );
    assert!(
        all.iter()
            .all(|l| !l.starts_with("DTSTAMP:") || l.ends_with('Z'))
    );

    let series = app.get(&series_path, &coordinator).await.body;
    keep_series_for_ci(&app, "municipality_feed", &changed, series).await;
}

#[actix_web::test]
async fn one_meeting_as_ics_needs_a_token_and_an_occurrence_stands_alone() {
    let app = TestApp::spawn().await;
    let series = create_series(&app, &weekly_network()).await;
    let id = series["occurrences"][4]["meeting_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/meetings/{id}.ics");
    let response = app.get(&path, &app.token("clinician")).await;
    assert_eq!(response.status, 200, "{}", response.text);
    let shown = events(&response.text);
    assert_eq!(shown.len(), 1);
    // A standalone event with the meeting's own UID: an override without its master is
    // dropped by many calendar apps on import.
    assert!(has(&shown[0], &format!("UID:{id}@smartcare-home")));
    assert!(!shown[0].iter().any(|l| l.starts_with("RECURRENCE-ID")));
    assert!(!shown[0].iter().any(|l| l.starts_with("RRULE")));
    assert!(has(
        &shown[0],
        "DTSTART;TZID=Europe/Stockholm:20270330T090000"
    ));
    assert!(has(&shown[0], "SEQUENCE:0"));
    let etag = response.header("etag").unwrap();
    let headers = [("if-none-match", etag.as_str())];
    let token = app.token("clinician");
    let unchanged = app
        .request(Method::GET, &path, Some(&token), &headers, None)
        .await;
    assert_eq!(unchanged.status, 304);
    let meeting = meeting(&app, &json!(id)).await;
    keep_for_ci(
        "one_occurrence",
        &response,
        &expected(&[meeting], &[], false),
    );

    // A meeting outside a series stands alone with its own UID.
    let single = json!({
        "kind": "strategy_day", "title": "Strategidagen", "starts_at": "2027-10-07T09:00:00+02:00",
        "ends_at": "2027-10-07T16:00:00+02:00", "host_municipality": "0680",
    });
    let single = app
        .post("/api/v1/meetings", &app.token("admin"), &single)
        .await
        .assert_status(201)
        .clone();
    let path = format!("/api/v1/meetings/{}.ics", single["id"].as_str().unwrap());
    let response = app.get(&path, &app.token("coach")).await;
    let event = &events(&response.text)[0];
    assert!(has(
        event,
        &format!("UID:{}@smartcare-home", single["id"].as_str().unwrap())
    ));
    assert!(!event.iter().any(|l| l.starts_with("RECURRENCE-ID")));
    keep_for_ci("one_meeting", &response, &expected(&[single], &[], false));

    app.request(Method::GET, &path, None, &[], None)
        .await
        .assert_problem(401);
    app.get(&path, &app.token("analyst"))
        .await
        .assert_problem(403);
    let unknown = format!("/api/v1/meetings/{}.ics", uuid::Uuid::now_v7());
    app.get(&unknown, &app.token("clinician"))
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn a_case_conference_shows_in_a_feed_without_a_name() {
    let app = TestApp::spawn().await;
    let conference = json!({
        "kind": "case_conference", "title": "SIP-möte om Esther Svensson",
        "description": "Esther Svensson 19400101-1234, hemgång", "starts_at": "2027-02-03T10:00:00+01:00",
        "ends_at": "2027-02-03T11:00:00+01:00", "host_municipality": "0682",
    });
    let conference = app
        .post("/api/v1/meetings", &app.token("coordinator"), &conference)
        .await
        .assert_status(201)
        .clone();
    let feed = subscribe(
        &app,
        &app.token("coordinator"),
        &json!({ "scope": "municipality", "municipality": "0682" }),
    )
    .await;
    let response = get_feed(&app, feed["url"].as_str().unwrap(), None).await;
    assert_eq!(response.status, 200);
    assert!(has(&events(&response.text)[0], "SUMMARY:Case conference"));
    assert!(!response.text.contains("Esther") && !response.text.contains("19400101"));
    keep_for_ci(
        "case_conference",
        &response,
        &expected(&[conference], &[], true),
    );
}

#[actix_web::test]
async fn feeds_are_the_callers_own_listed_revoked_and_then_gone() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let (staff, karin) = karin(&app, &net, "SE2321000057-1007").await;

    // Two meetings; Karin is invited to one, the ward to the other (the unit's feed).
    let coordinator = app.token("coordinator");
    let mut ids = Vec::new();
    for (day, invitee) in [
        ("04", json!({ "staff_id": staff["id"] })),
        ("05", json!({ "care_unit_id": net.primary_care["id"] })),
    ] {
        let body = json!({
            "kind": "coach_network", "title": format!("Coachnätverket {day}"),
            "starts_at": format!("2027-02-{day}T13:00:00+01:00"), "ends_at": format!("2027-02-{day}T15:00:00+01:00"),
            // She organizes the meeting she is invited to (her feed shows both ways once).
            "organizer_id": if day == "04" { staff["id"].clone() } else { Value::Null },
        });
        let created = app.post("/api/v1/meetings", &coordinator, &body).await;
        let id = created.assert_status(201)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let path = format!("/api/v1/meetings/{id}/participants");
        app.post(&path, &coordinator, &invitee)
            .await
            .assert_status(201);
        ids.push(id);
    }
    let mine = subscribe(&app, &karin, &json!({ "scope": "mine" })).await;
    assert_eq!(mine["staff_id"], staff["id"]);
    let response = get_feed(&app, mine["url"].as_str().unwrap(), None).await;
    let shown = events(&response.text);
    assert_eq!(shown.len(), 1, "only the meeting she is invited to");
    assert!(has(&shown[0], &format!("UID:{}@smartcare-home", ids[0])));
    assert!(
        shown[0]
            .iter()
            .any(|l| l.contains("CN=Karin Sjuksköterska") && l.contains("PARTSTAT=NEEDS-ACTION"))
    );
    let organizer = format!(
        "ORGANIZER;CN=Karin Sjuksköterska:urn:uuid:{}",
        staff["id"].as_str().unwrap()
    );
    assert!(has(&shown[0], &organizer));
    let invited = meeting(&app, &json!(ids[0])).await;
    keep_for_ci("mine_feed", &response, &expected(&[invited], &[], true));
    let unit = subscribe(
        &app,
        &karin,
        &json!({ "scope": "unit", "care_unit_id": net.primary_care["id"] }),
    )
    .await;
    let response = get_feed(&app, unit["url"].as_str().unwrap(), None).await;
    let shown = events(&response.text);
    assert_eq!(shown.len(), 1);
    assert!(has(&shown[0], &format!("UID:{}@smartcare-home", ids[1])));

    // Bad requests name the field.
    let no_hsa = app
        .post(
            "/api/v1/calendar-feeds",
            &app.token("clinician"),
            &json!({ "scope": "mine" }),
        )
        .await;
    no_hsa.assert_problem(422);
    assert_eq!(no_hsa.body["errors"][0]["field"], "scope");
    let no_unit = app
        .post(
            "/api/v1/calendar-feeds",
            &karin,
            &json!({ "scope": "unit" }),
        )
        .await;
    no_unit.assert_problem(422);
    assert_eq!(no_unit.body["errors"][0]["field"], "care_unit_id");
    let unknown_unit = json!({ "scope": "unit", "care_unit_id": uuid::Uuid::now_v7() });
    let unknown_unit = app
        .post("/api/v1/calendar-feeds", &karin, &unknown_unit)
        .await;
    unknown_unit.assert_problem(422);
    assert_eq!(unknown_unit.body["errors"][0]["field"], "care_unit_id");
    app.post(
        "/api/v1/calendar-feeds",
        &app.token("analyst"),
        &json!({ "scope": "mine" }),
    )
    .await
    .assert_problem(403);

    // Listed for her only, without the secret URL.
    let items = listed_feeds(&app, "", &karin).await;
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|f| f.get("url").is_none() && f["revoked_at"].is_null())
    );
    let others = app
        .get("/api/v1/calendar-feeds", &app.token("clinician"))
        .await;
    assert_eq!(others.assert_status(200)["items"], json!([]));

    // Revoked by her only; then 404, as is an unknown secret.
    let path = format!("/api/v1/calendar-feeds/{}", mine["id"].as_str().unwrap());
    let other = app
        .request(
            Method::DELETE,
            &path,
            Some(&app.token("clinician")),
            &[],
            None,
        )
        .await;
    other.assert_problem(404);
    let revoked = app
        .request(Method::DELETE, &path, Some(&karin), &[], None)
        .await;
    assert_eq!(revoked.status, 204);
    assert_eq!(feed_status(&app, &mine).await, 404);
    assert_eq!(feed_status(&app, &unit).await, 200);
    let unknown = format!("/feeds/{}.ics", "A".repeat(43));
    get_feed(&app, &unknown, None).await.assert_problem(404);
    get_feed(&app, "/feeds/short.ics", None)
        .await
        .assert_problem(404);
    let listed = app.get("/api/v1/calendar-feeds", &karin).await;
    assert!(!listed.body["items"][0]["revoked_at"].is_null());
}

#[actix_web::test]
async fn a_feed_does_not_outlive_its_owner_and_an_admin_revokes_anyones() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let (staff, karin) = karin(&app, &net, "SE2321000057-1009").await;
    let mine = subscribe(&app, &karin, &json!({ "scope": "mine" })).await;
    assert_eq!(mine["owner"], "karin");
    let unit = subscribe(
        &app,
        &karin,
        &json!({ "scope": "unit", "care_unit_id": net.ward["id"] }),
    )
    .await;
    let admin = app.token("admin");
    let own_feed = subscribe(
        &app,
        &admin,
        &json!({ "scope": "municipality", "municipality": "0686" }),
    )
    .await;

    // The administrator lists Karin's feeds, or everyone's; nobody else may.
    let items = listed_feeds(&app, "?owner=karin", &admin).await;
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|f| f["owner"] == "karin" && f.get("url").is_none())
    );
    assert_eq!(listed_feeds(&app, "?all=true", &admin).await.len(), 3);
    let own = listed_feeds(&app, "", &admin).await;
    assert_eq!((own.len(), &own[0]["id"]), (1, &own_feed["id"]));
    app.get("/api/v1/calendar-feeds?owner=karin", &karin)
        .await
        .assert_status(200);
    app.get(
        "/api/v1/calendar-feeds?owner=karin",
        &app.token("clinician"),
    )
    .await
    .assert_problem(403);
    app.get("/api/v1/calendar-feeds?all=true", &karin)
        .await
        .assert_problem(403);
    let both = app
        .get("/api/v1/calendar-feeds?all=true&owner=karin", &admin)
        .await;
    both.assert_problem(400);
    assert_eq!(both.body["errors"][0]["field"], "all");

    // The administrator revokes a leaked URL of Karin's; another user still may not.
    let unit_path = format!("/api/v1/calendar-feeds/{}", unit["id"].as_str().unwrap());
    app.request(
        Method::DELETE,
        &unit_path,
        Some(&app.token("coordinator")),
        &[],
        None,
    )
    .await
    .assert_problem(404);
    assert_eq!(feed_status(&app, &unit).await, 200);
    let revoked = app
        .request(Method::DELETE, &unit_path, Some(&admin), &[], None)
        .await;
    assert_eq!(revoked.status, 204);
    assert_eq!(feed_status(&app, &unit).await, 404);

    // Karin leaves: her own feed answers 404, as a revoked one.
    assert_eq!(feed_status(&app, &mine).await, 200);
    let staff_path = format!("/api/v1/staff/{}", staff["id"].as_str().unwrap());
    app.patch(
        &staff_path,
        &admin,
        Some("\"1\""),
        &json!({ "active": false }),
    )
    .await
    .assert_status(200);
    assert_eq!(feed_status(&app, &mine).await, 404);
}
