//! Case conferences about a registered person (issue 12, "Personal data"): the meeting
//! follows her record's access rules (care relationships, consent, blocks, emergency access),
//! every request that reaches it is in her access-log extract, lists, `/action-items` and
//! calendar feeds leave it out for callers who may not see it, and Esther herself reads and
//! answers the invitations she has.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::TestApp;

use crate::record_support::{Network, id, network, register};

const ESTHER: &str = "19121212-1212";

/// A case conference about `person`, scheduled by the ward's coordinator.
async fn conference(app: &TestApp, net: &Network, person: &Value) -> Value {
    let body = conference_body(person);
    app.post(
        "/api/v1/meetings",
        &app.staff_token("coordinator", &net.ward),
        &body,
    )
    .await
    .assert_status(201)
    .clone()
}

/// A network with Esther registered by the ward and a case conference about her.
async fn scheduled() -> (TestApp, Network, Value, Value) {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let esther = register(&app, &net.ward, ESTHER, json!({})).await;
    let meeting = conference(&app, &net, &esther).await;
    (app, net, esther, meeting)
}

fn conference_body(person: &Value) -> Value {
    json!({
        "kind": "case_conference", "title": "SIP-möte Esther Andersson",
        "starts_at": "2030-03-04T09:00:00+01:00", "ends_at": "2030-03-04T10:00:00+01:00",
        "person_id": person["id"],
    })
}

fn meeting_path(meeting: &Value) -> String {
    format!("/api/v1/meetings/{}", id(meeting))
}

/// Her access-log extract, read with her own token.
async fn extract(app: &TestApp, person: &Value) -> Vec<Value> {
    app.get(
        &format!("/api/v1/persons/{}/access-log?limit=200", id(person)),
        &app.person_token(&id(person)),
    )
    .await
    .assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// The events of `unit`'s staff about meetings and their action items in an extract:
/// (resource, action, outcome).
fn meeting_events(events: &[Value], unit: &Value) -> Vec<(String, String, String)> {
    let text = |e: &Value, key: &str| e[key].as_str().unwrap_or_default().to_owned();
    let about_meetings =
        |resource: String| resource.starts_with("meeting") || resource == "action-items";
    events
        .iter()
        .filter(|e| e["unit_id"] == unit["id"] && about_meetings(text(e, "resource")))
        .map(|e| (text(e, "resource"), text(e, "action"), text(e, "outcome")))
        .collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(id).collect()
}

#[actix_web::test]
async fn a_unit_caring_for_her_reads_the_conference_and_her_extract_shows_it() {
    let (app, net, esther, meeting) = scheduled().await;
    assert_eq!(meeting["person_id"], esther["id"]);
    let clinician = app.staff_token("clinician", &net.ward);
    let read = app.get(&meeting_path(&meeting), &clinician).await;
    assert_eq!(read.assert_status(200)["person_id"], esther["id"]);
    app.get(
        &format!("{}/participants", meeting_path(&meeting)),
        &clinician,
    )
    .await
    .assert_status(200);
    let listed = app.get("/api/v1/meetings", &clinician).await;
    assert_eq!(ids(listed.assert_status(200)), [id(&meeting)]);

    let events = extract(&app, &esther).await;
    assert_eq!(
        meeting_events(&events, &net.ward),
        [
            ("meeting", "create", "allowed"),
            ("meeting", "read", "allowed"),
            ("meeting", "read", "allowed"),
            ("meetings", "read", "allowed"),
        ]
        .map(|(r, a, o)| (r.to_owned(), a.to_owned(), o.to_owned()))
    );
}

#[actix_web::test]
async fn a_unit_without_access_gets_404_and_finds_it_in_no_list_or_feed() {
    let (app, net, esther, meeting) = scheduled().await;
    let path = meeting_path(&meeting);
    let ward = app.staff_token("coordinator", &net.ward);
    // Both units are invited: an invitation is no access to her record.
    for unit in [&net.ward, &net.unrelated] {
        let body = json!({ "care_unit_id": unit["id"] });
        app.post(&format!("{path}/participants"), &ward, &body)
            .await
            .assert_status(201);
    }
    let item = app
        .post(
            &format!("{path}/action-items"),
            &ward,
            &json!({ "title": "Boka hemtjänstens uppföljning", "care_unit_id": net.ward["id"], "due": "2030-03-20" }),
        )
        .await
        .assert_status(201)
        .clone();

    let outsider = app.staff_token("coordinator", &net.unrelated);
    let item_path = format!("/api/v1/action-items/{}", id(&item));
    for (method, path, body) in [
        (Method::GET, path.clone(), None),
        (Method::GET, format!("{path}.ics"), None),
        (Method::GET, format!("{path}/participants"), None),
        (Method::GET, format!("{path}/agenda-items"), None),
        (Method::GET, format!("{path}/decisions"), None),
        (
            Method::PATCH,
            path.clone(),
            Some(json!({ "title": "Nytt namn" })),
        ),
        (
            Method::POST,
            format!("{path}/cancel"),
            Some(json!({ "reason": "x" })),
        ),
        (
            Method::POST,
            format!("{path}/agenda-items"),
            Some(json!({ "title": "x" })),
        ),
        (Method::GET, item_path.clone(), None),
        (
            Method::PATCH,
            item_path.clone(),
            Some(json!({ "status": "done" })),
        ),
    ] {
        let headers: &[(&str, &str)] = if method == Method::PATCH || path.ends_with("cancel") {
            &[("if-match", "\"1\"")]
        } else {
            &[]
        };
        let response = app
            .request(
                method.clone(),
                &path,
                Some(&outsider),
                headers,
                body.as_ref(),
            )
            .await;
        response.assert_problem(404);
        let detail = response.body["detail"].as_str().unwrap();
        assert!(
            !detail.contains(&id(&esther)),
            "{method} {path}: names her: {detail}"
        );
    }
    // Unchanged: nothing was written by the refused requests.
    let read = app.get(&path, &ward).await;
    assert_eq!(read.assert_status(200)["version"], 1);

    let listed = app.get("/api/v1/meetings", &outsider).await;
    assert!(ids(listed.assert_status(200)).is_empty());
    let items = app.get("/api/v1/action-items", &outsider).await;
    assert!(ids(items.assert_status(200)).is_empty());
    let items = app.get("/api/v1/action-items", &ward).await;
    assert_eq!(ids(items.assert_status(200)), [id(&item)]);

    // No feed carries a conference about a registered person, not even the ward's own: a feed
    // is read without a token by whoever holds its URL (decision record 0023).
    for (unit, token, present) in [
        (&net.ward, &ward, false),
        (&net.unrelated, &outsider, false),
    ] {
        let feed = app
            .post(
                "/api/v1/calendar-feeds",
                token,
                &json!({ "scope": "unit", "care_unit_id": unit["id"] }),
            )
            .await
            .assert_status(201)
            .clone();
        let calendar = app
            .request(Method::GET, feed["url"].as_str().unwrap(), None, &[], None)
            .await;
        assert_eq!(calendar.status, 200);
        assert_eq!(
            calendar.text.contains("SUMMARY:Case conference"),
            present,
            "{}",
            calendar.text
        );
        assert!(calendar.text.contains("BEGIN:VCALENDAR"));
        assert!(!calendar.text.contains("Esther") && !calendar.text.contains("Andersson"));
        assert!(!calendar.text.contains(&id(&esther)));
    }

    // The ward, which cares for her, lists it (the outsider's list above has no trace of it).
    let listed = app.get("/api/v1/meetings", &ward).await;
    assert_eq!(ids(listed.assert_status(200)), [id(&meeting)]);

    // Her extract: the outsider's refusals, the ward's reads.
    let events = extract(&app, &esther).await;
    let outsider_events = meeting_events(&events, &net.unrelated);
    assert_eq!(outsider_events.len(), 10, "{outsider_events:?}");
    assert!(
        outsider_events
            .iter()
            .all(|(_, _, outcome)| outcome == "denied")
    );
    let ward_events = meeting_events(&events, &net.ward);
    assert!(ward_events.contains(&("meetings".into(), "read".into(), "allowed".into())));
    assert!(ward_events.contains(&("action-items".into(), "read".into(), "allowed".into())));
}

/// A page of one, and the pages after it by `next`: (items' ids per page).
async fn pages_of_one(app: &TestApp, list: &str, token: &str) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut path = format!("{list}?limit=1");
    loop {
        let page = app.get(&path, token).await.assert_status(200).clone();
        pages.push(ids(&page));
        let Some(next) = page["next"].as_str() else {
            return pages;
        };
        path = format!("{list}?limit=1&cursor={next}");
    }
}

#[actix_web::test]
async fn lists_page_past_a_hidden_conference_without_a_cursor_on_it() {
    // Her conference (4 March, an item due 20 March) comes before the network meeting (1 May,
    // an item due 1 June) in both lists' order. The outsider may not know of it: her lists
    // must not fetch it, page past it, or hand out a cursor that names it.
    let (app, net, _esther, meeting) = scheduled().await;
    let ward = app.staff_token("coordinator", &net.ward);
    // An item of `meeting`, assigned to `unit`, due on `due`, added with `token`.
    let item = async |meeting: &Value, token: &str, unit: &Value, due: &str| {
        let body = json!({ "title": "Följ upp", "care_unit_id": unit["id"], "due": due });
        let path = format!("{}/action-items", meeting_path(meeting));
        app.post(&path, token, &body)
            .await
            .assert_status(201)
            .clone()
    };
    let hidden_item = item(&meeting, &ward, &net.ward, "2030-03-20").await;
    let outsider = app.staff_token("coordinator", &net.unrelated);
    let network_meeting = app
        .post(
            "/api/v1/meetings",
            &outsider,
            &json!({
                "kind": "municipal_network", "title": "ESTHER-nätverket i Eksjö",
                "starts_at": "2030-05-01T09:00:00+02:00", "ends_at": "2030-05-01T10:30:00+02:00",
                "host_municipality": "0686",
            }),
        )
        .await
        .assert_status(201)
        .clone();
    let network_item = item(&network_meeting, &outsider, &net.unrelated, "2030-06-01").await;

    // One page each, holding what she may see, and no cursor (before the lists left hidden
    // rows out ahead of paging, page 1 was empty with a cursor naming the hidden row).
    assert_eq!(
        pages_of_one(&app, "/api/v1/meetings", &outsider).await,
        [[id(&network_meeting)]]
    );
    assert_eq!(
        pages_of_one(&app, "/api/v1/action-items", &outsider).await,
        [[id(&network_item)]]
    );
    // The ward, which cares for her, pages through both.
    assert_eq!(
        pages_of_one(&app, "/api/v1/action-items", &ward).await,
        [[id(&hidden_item)], [id(&network_item)]]
    );
    assert_eq!(
        pages_of_one(&app, "/api/v1/meetings", &ward).await,
        [[id(&meeting)], [id(&network_meeting)]]
    );
    // An admin (no unit) sees network meetings' items only, as she lists network meetings.
    assert_eq!(
        pages_of_one(&app, "/api/v1/action-items", &app.token("admin")).await,
        [[id(&network_item)]]
    );
}

#[actix_web::test]
async fn her_block_hides_the_blocked_unit_s_conference_from_the_other_units() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let esther = register(&app, &net.ward, ESTHER, json!({})).await;
    // Primary care joins her care team (same organization as the ward).
    register(&app, &net.primary_care, ESTHER, json!({})).await;
    let meeting = conference(&app, &net, &esther).await;
    let path = meeting_path(&meeting);
    let primary_care = app.staff_token("clinician", &net.primary_care);
    let ward = app.staff_token("clinician", &net.ward);
    app.get(&path, &primary_care).await.assert_status(200);

    she_blocks(&app, &esther, &net.ward).await;
    app.get(&path, &primary_care).await.assert_problem(404);
    let listed = app.get("/api/v1/meetings", &primary_care).await;
    assert!(ids(listed.assert_status(200)).is_empty());
    // The ward still sees its own entry.
    app.get(&path, &ward).await.assert_status(200);
    let events = extract(&app, &esther).await;
    assert_eq!(
        meeting_events(&events, &net.primary_care).last().unwrap().2,
        "denied"
    );
}

/// A conference her block hides from a unit that cares for her is fetched with the unit's
/// lists, and passed over before the page is cut: neither a page's size nor a `next` leading
/// to nothing tells that it is there (an attack review bisected its time with `from`/`to`
/// and `limit=1`; decision 0029).
#[actix_web::test]
async fn a_conference_her_block_hides_leaves_no_gap_in_the_lists_pages() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let esther = register(&app, &net.ward, ESTHER, json!({})).await;
    register(&app, &net.primary_care, ESTHER, json!({})).await;
    // The ward's conference about her, 4 March 2030, with an item due 20 March for primary care.
    let meeting = conference(&app, &net, &esther).await;
    let ward = app.staff_token("coordinator", &net.ward);
    let body =
        json!({ "title": "Följ upp", "care_unit_id": net.primary_care["id"], "due": "2030-03-20" });
    let path = format!("{}/action-items", meeting_path(&meeting));
    app.post(&path, &ward, &body).await.assert_status(201);
    // Primary care's network meetings before and after it, each with an item for itself.
    let primary = app.staff_token("coordinator", &net.primary_care);
    let mut network = Vec::new();
    for (day, due) in [("2030-03-01", "2030-03-10"), ("2030-05-01", "2030-06-01")] {
        let created = app
            .post(
                "/api/v1/meetings",
                &primary,
                &json!({
                    "kind": "municipal_network", "title": "ESTHER-nätverket",
                    "starts_at": format!("{day}T09:00:00+01:00"),
                    "ends_at": format!("{day}T10:00:00+01:00"),
                    "host_municipality": "0682",
                }),
            )
            .await
            .assert_status(201)
            .clone();
        let body =
            json!({ "title": "Bjud in", "care_unit_id": net.primary_care["id"], "due": due });
        let path = format!("{}/action-items", meeting_path(&created));
        app.post(&path, &primary, &body).await.assert_status(201);
        network.push(id(&created));
    }
    let items = |token: &str| {
        let token = token.to_owned();
        let app = &app;
        async move {
            let mut sizes = Vec::new();
            for page in pages_of_one(app, "/api/v1/action-items", &token).await {
                sizes.push(page.len());
            }
            sizes
        }
    };
    // Before her block primary care pages through all three of each.
    assert_eq!(
        pages_of_one(&app, "/api/v1/meetings", &primary).await,
        [[network[0].clone()], [id(&meeting)], [network[1].clone()]]
    );
    assert_eq!(items(&primary).await, [1, 1, 1]);

    she_blocks(&app, &esther, &net.ward).await;
    // Two full pages, the last without `next`: no empty page, no short one.
    assert_eq!(
        pages_of_one(&app, "/api/v1/meetings", &primary).await,
        [[network[0].clone()], [network[1].clone()]]
    );
    assert_eq!(items(&primary).await, [1, 1]);
    // Within a period that holds only the hidden conference after the first meeting: one
    // page, no `next` (before, `next` led to an empty page).
    let period = "/api/v1/meetings?from=2030-03-01T00:00:00%2B01:00&to=2030-03-31T00:00:00%2B01:00";
    let page = app
        .get(&format!("{period}&limit=1"), &primary)
        .await
        .assert_status(200)
        .clone();
    assert_eq!(ids(&page), [network[0].clone()]);
    assert!(page.get("next").is_none(), "{page}");
    let hidden = app
        .get(
            "/api/v1/meetings?from=2030-03-04T00:00:00%2B01:00&to=2030-03-31T00:00:00%2B01:00&limit=1",
            &primary,
        )
        .await
        .assert_status(200)
        .clone();
    assert_eq!(hidden, json!({ "items": [] }));
    // The ward still pages through its own conference.
    assert_eq!(pages_of_one(&app, "/api/v1/meetings", &ward).await.len(), 3);
}

#[actix_web::test]
async fn emergency_access_reads_the_conference_but_writes_nothing() {
    let (app, net, esther, meeting) = scheduled().await;
    let path = meeting_path(&meeting);
    let doctor = app.staff_token("clinician", &net.unrelated);
    app.get(&path, &doctor).await.assert_problem(404);
    app.post(
        "/api/v1/emergency-access",
        &doctor,
        &json!({ "personal_number": ESTHER, "reason": "Medvetslös på akuten" }),
    )
    .await
    .assert_status(201);
    app.get(&path, &doctor).await.assert_status(200);
    let write = app
        .post(
            &format!("{path}/agenda-items"),
            &doctor,
            &json!({ "title": "Läkemedelsgenomgång" }),
        )
        .await;
    write.assert_problem(403);
    assert!(write.body["detail"].as_str().unwrap().contains("read-only"));
    let events = extract(&app, &esther).await;
    let emergency: Vec<&Value> = events
        .iter()
        .filter(|e| e["unit_id"] == net.unrelated["id"] && e["resource"] == "meeting")
        .collect();
    assert_eq!(
        emergency
            .iter()
            .map(|e| (
                e["purpose"].as_str().unwrap(),
                e["outcome"].as_str().unwrap()
            ))
            .collect::<Vec<_>>(),
        [("care", "denied"), ("emergency", "allowed")]
    );
    let records: Vec<&Value> = events
        .iter()
        .filter(|e| e["unit_id"] == net.unrelated["id"] && e["resource"] == "meeting-records")
        .collect();
    assert_eq!(records.len(), 1);
    assert_eq!(
        (
            records[0]["purpose"].as_str(),
            records[0]["outcome"].as_str()
        ),
        (Some("emergency"), Some("denied"))
    );
}

#[actix_web::test]
async fn esther_lists_reads_and_answers_only_her_own_invitations() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let esther = register(&app, &net.ward, ESTHER, json!({})).await;
    let invited = conference(&app, &net, &esther).await;
    let not_invited = conference(&app, &net, &esther).await;
    let coordinator = app.staff_token("coordinator", &net.ward);
    let network_meeting = app
        .post(
            "/api/v1/meetings",
            &coordinator,
            &json!({ "kind": "municipal_network", "title": "Nässjönätverket",
                     "starts_at": "2030-03-05T09:00:00+01:00", "ends_at": "2030-03-05T10:00:00+01:00" }),
        )
        .await
        .assert_status(201)
        .clone();
    let participants = format!("{}/participants", meeting_path(&invited));
    let hers = app
        .post(
            &participants,
            &coordinator,
            &json!({ "person_id": esther["id"] }),
        )
        .await
        .assert_status(201)
        .clone();
    assert_eq!(
        (hers["kind"].as_str(), &hers["person_id"]),
        (Some("person"), &esther["id"])
    );
    let staff = app
        .post(
            &participants,
            &coordinator,
            &json!({ "care_unit_id": net.ward["id"] }),
        )
        .await
        .assert_status(201)
        .clone();

    let own = app.person_token(&id(&esther));
    let listed = app.get("/api/v1/meetings", &own).await;
    assert_eq!(ids(listed.assert_status(200)), [id(&invited)]);
    app.get(&meeting_path(&invited), &own)
        .await
        .assert_status(200);
    app.get(&participants, &own).await.assert_status(200);
    for other in [&not_invited, &network_meeting] {
        app.get(&meeting_path(other), &own)
            .await
            .assert_problem(404);
    }
    let answer = |participant: &Value| format!("{participants}/{}/response", id(participant));
    let answered = app
        .post(&answer(&hers), &own, &json!({ "response": "accepted" }))
        .await;
    assert_eq!(answered.assert_status(200)["response"], "accepted");
    app.post(&answer(&staff), &own, &json!({ "response": "declined" }))
        .await
        .assert_problem(403);
    // Another person's token reaches nothing of hers.
    let other = register(
        &app,
        &net.ward,
        &tests::personnummer("19400101", "123"),
        json!({}),
    )
    .await;
    let other_token = app.person_token(&id(&other));
    app.post(
        &answer(&hers),
        &other_token,
        &json!({ "response": "declined" }),
    )
    .await
    .assert_problem(404);
    let listed = app.get("/api/v1/meetings", &other_token).await;
    assert!(ids(listed.assert_status(200)).is_empty());
    // She schedules nothing and reads no action items.
    app.post("/api/v1/meetings", &own, &conference_body(&esther))
        .await
        .assert_problem(403);
    app.get("/api/v1/action-items", &own)
        .await
        .assert_problem(403);
    let events = extract(&app, &esther).await;
    let answers = events
        .iter()
        .filter(|e| e["action"] == "answer" && e["outcome"] == "allowed")
        .count();
    assert_eq!(answers, 1);
}

#[actix_web::test]
async fn only_a_case_conference_names_a_person_and_invites_only_her() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let esther = register(&app, &net.ward, ESTHER, json!({})).await;
    let other = register(
        &app,
        &net.ward,
        &tests::personnummer("19400101", "123"),
        json!({}),
    )
    .await;
    let coordinator = app.staff_token("coordinator", &net.ward);
    let mut cafe = conference_body(&esther);
    cafe["kind"] = json!("esther_cafe");
    let refused = app.post("/api/v1/meetings", &coordinator, &cafe).await;
    refused.assert_problem(422);
    assert_eq!(refused.body["errors"][0]["field"], "person_id");

    let meeting = conference(&app, &net, &esther).await;
    let participants = format!("{}/participants", meeting_path(&meeting));
    let refused = app
        .post(
            &participants,
            &coordinator,
            &json!({ "person_id": other["id"] }),
        )
        .await;
    refused.assert_problem(422);
    assert_eq!(refused.body["errors"][0]["field"], "person_id");
    // Fixed as a case conference once it names her.
    let changed = app
        .patch(
            &meeting_path(&meeting),
            &coordinator,
            Some("\"1\""),
            &json!({ "kind": "other" }),
        )
        .await;
    changed.assert_problem(422);
    assert_eq!(changed.body["errors"][0]["field"], "kind");
    app.patch(
        &meeting_path(&meeting),
        &coordinator,
        Some("\"1\""),
        &json!({ "person_id": other["id"] }),
    )
    .await
    .assert_problem(400);
}

#[actix_web::test]
async fn access_to_her_record_is_decided_before_the_body_is_checked() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let esther = register(&app, &net.ward, ESTHER, json!({})).await;
    let mut bad = conference_body(&esther);
    bad["ends_at"] = json!("2030-03-04T08:00:00+01:00");
    bad["title"] = json!(" ");
    let outsider = app.staff_token("coordinator", &net.unrelated);
    app.post("/api/v1/meetings", &outsider, &bad)
        .await
        .assert_problem(404);
    let unknown = json!(uuid::Uuid::now_v7().to_string());
    let mut nobody = bad.clone();
    nobody["person_id"] = unknown;
    app.post(
        "/api/v1/meetings",
        &app.staff_token("coordinator", &net.ward),
        &nobody,
    )
    .await
    .assert_problem(404);
    let refused = app
        .post(
            "/api/v1/meetings",
            &app.staff_token("coordinator", &net.ward),
            &bad,
        )
        .await;
    refused.assert_problem(422);
    let meeting = conference(&app, &net, &esther).await;
    let path = meeting_path(&meeting);
    app.patch(&path, &outsider, Some("\"1\""), &json!({ "title": " " }))
        .await
        .assert_problem(404);
    // Coaches organize meetings but never see personal data.
    app.post(
        "/api/v1/meetings",
        &app.staff_token("coach", &net.ward),
        &conference_body(&esther),
    )
    .await
    .assert_problem(404);
    // Analysts see aggregates only.
    let analyst = app.staff_token("analyst", &net.ward);
    app.get(&path, &analyst).await.assert_problem(403);
    app.get("/api/v1/meetings", &analyst)
        .await
        .assert_problem(403);
    let events = extract(&app, &esther).await;
    let denied = events
        .iter()
        .filter(|e| e["resource"] == "meeting" && e["outcome"] == "denied")
        .count();
    assert_eq!(
        denied, 3,
        "the outsider's create and update, the coach's create"
    );
}

/// An improvement project shows the action items that feed it; one of a case conference about
/// her is her record's, shown on the project only to those who may see the conference (and
/// logged), never to a coach or a unit that does not care for her (an attack review found the
/// project showing its title and description to anyone who reads improvement work).
#[actix_web::test]
async fn a_project_shows_a_conference_item_only_under_her_record_s_rules() {
    let (app, net, esther, meeting) = scheduled().await;
    let ward = app.staff_token("coordinator", &net.ward);
    let project = app.post("/api/v1/improvement-projects", &app.token("coach"), &json!({
        "title": "Trygg hemgång", "aim": { "what": "Återinläggningar inom 30 dagar", "how_much": "halveras", "by_when": "2031-06-30" },
        "municipalities": ["0686"],
    }))
    .await
    .assert_status(201)
    .clone();
    let item = app
        .post(
            &format!("{}/action-items", meeting_path(&meeting)),
            &ward,
            &json!({ "title": "Ring dottern om hemgången", "care_unit_id": net.ward["id"],
                     "due": "2030-03-20", "improvement_project_id": project["id"] }),
        )
        .await
        .assert_status(201)
        .clone();
    let path = format!("/api/v1/improvement-projects/{}", id(&project));
    let items_shown = async |token: &str| {
        let read = app.get(&path, token).await;
        read.assert_status(200)["action_items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| i["id"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let logged_reads = async || {
        let log = app
            .get(
                &format!("/api/v1/persons/{}/access-log?limit=200", id(&esther)),
                &app.person_token(&id(&esther)),
            )
            .await;
        log.assert_status(200)["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["resource"] == "action-items")
            .count()
    };
    let before = logged_reads().await;
    assert_eq!(items_shown(&ward).await, [id(&item)]);
    assert_eq!(
        logged_reads().await,
        before + 1,
        "shown to the ward: logged"
    );
    for outsider in [
        app.token("coach"),
        app.staff_token("coordinator", &net.unrelated),
    ] {
        assert!(items_shown(&outsider).await.is_empty());
        let body = app.get(&path, &outsider).await.text;
        assert!(!body.contains("Ring dottern"), "{body}");
    }
    assert_eq!(
        logged_reads().await,
        before + 1,
        "nothing shown, nothing logged"
    );
}

/// Esther blocks `unit` from her record (her own token).
async fn she_blocks(app: &TestApp, esther: &Value, unit: &Value) {
    app.post(
        &format!("/api/v1/persons/{}/blocks", id(esther)),
        &app.person_token(&id(esther)),
        &json!({ "care_unit_id": unit["id"] }),
    )
    .await
    .assert_status(201);
}
