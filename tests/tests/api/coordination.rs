//! Discharge coordination journeys through HTTP (Lag 2017:612).

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::TestApp;

use crate::record_support::{Network, id, network, register};

struct Journey {
    app: TestApp,
    net: Network,
    person: Value,
    ward: String,
    case: Value,
}

/// Esther admitted to Medicinavdelning 2, Höglandssjukhuset, on Thursday 22 October 2026.
async fn admitted() -> Journey {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let ward = app.staff_token("clinician", &net.ward);
    let opened = app
        .post(
            &format!("/api/v1/persons/{}/coordination-cases", id(&person)),
            &ward,
            &json!({ "admitted_at": "2026-10-22T08:00:00Z" }),
        )
        .await;
    let case = opened.assert_status(201).clone();
    assert_eq!(
        (case["state"].as_str(), case["notice_deadline"].as_str()),
        (Some("admitted"), Some("2026-10-23T08:00:00Z"))
    );
    Journey {
        app,
        net,
        person,
        ward,
        case,
    }
}

impl Journey {
    /// Greta Östberg (19400101-1230, after Esther in name order), registered by the ward and
    /// admitted there with a case of her own; her record as the ward sees it.
    async fn second_person_admitted(&self) -> Value {
        let greta = json!({ "given_name": "Greta", "family_name": "Östberg" });
        let greta = register(&self.app, &self.net.ward, "19400101-1230", greta).await;
        self.app
            .post(
                &format!("/api/v1/persons/{}/coordination-cases", id(&greta)),
                &self.ward,
                &json!({ "admitted_at": "2026-10-22T09:00:00Z" }),
            )
            .await
            .assert_status(201);
        greta
    }

    fn case_path(&self) -> String {
        format!("/api/v1/coordination-cases/{}", id(&self.case))
    }

    async fn send(
        &self,
        token: &str,
        kind: &str,
        to: &[&Value],
        sent_at: &str,
    ) -> tests::TestResponse {
        let to: Vec<Value> = to.iter().map(|unit| unit["id"].clone()).collect();
        let body = json!({ "kind": kind, "to": to, "sent_at": sent_at, "text": format!("{kind} från testet") });
        self.app
            .post(&format!("{}/messages", self.case_path()), token, &body)
            .await
    }

    /// The primary care centre joins her care team (role `other`); its clinician's token.
    async fn primary_care_joins(&self) -> String {
        let relationship = json!({ "care_unit_id": self.net.primary_care["id"], "role": "other" });
        self.app
            .post(
                &format!("/api/v1/persons/{}/care-relationships", id(&self.person)),
                &self.ward,
                &relationship,
            )
            .await
            .assert_status(201);
        self.app.staff_token("clinician", &self.net.primary_care)
    }

    /// The ward sends her admission notice to home care (2026-10-22 10:00); its id.
    async fn home_care_notified(&self) -> String {
        let to = [&self.net.home_care];
        let notified = self
            .send(&self.ward, "admission_notice", &to, "2026-10-22T10:00:00Z")
            .await;
        Self::last_message(notified.assert_status(201))
    }

    fn last_message(case: &Value) -> String {
        case["messages"].as_array().unwrap().last().unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

#[actix_web::test]
async fn a_whole_journey_from_admission_to_discharge() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let home_care = app.staff_token("coordinator", &net.home_care);
    let primary_care = app.staff_token("clinician", &net.primary_care);

    let early = j
        .send(
            &j.ward,
            "ready_for_discharge",
            &[&net.home_care],
            "2026-10-22T09:00:00Z",
        )
        .await;
    early.assert_problem(409);
    let detail = early.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("`admitted`") && detail.contains("admission_notice"),
        "{detail}"
    );

    let notified = j
        .send(
            &j.ward,
            "admission_notice",
            &[&net.home_care, &net.primary_care],
            "2026-10-22T20:00:00Z",
        )
        .await;
    let notified = notified.assert_status(201).clone();
    assert_eq!(
        (
            notified["state"].as_str(),
            notified["notice_late"].as_bool()
        ),
        (Some("notified"), Some(false))
    );
    let notice = Journey::last_message(&notified);
    // Addressed units joined her care team: they can read the case and answer.
    let read = app.get(&j.case_path(), &home_care).await;
    let etag = read.header("etag").unwrap_or_default();
    let acknowledged = app
        .post(
            &format!("{}/messages/{notice}/acknowledge", j.case_path()),
            &home_care,
            &json!({}),
        )
        .await;
    let statuses: Vec<&str> = acknowledged.assert_status(200)["messages"][0]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"acknowledged") && statuses.contains(&"pending"));
    // The acknowledgement leaves the case's version as it was, but not its ETag: a client
    // holding the case as read before gets it anew, not a 304 (decision 0028).
    let again = app
        .request(
            Method::GET,
            &j.case_path(),
            Some(&home_care),
            &[("if-none-match", &etag)],
            None,
        )
        .await;
    assert_eq!(again.assert_status(200)["version"], read.body["version"]);
    assert_ne!(again.header("etag").unwrap_or_default(), etag);
    app.post(
        &format!("{}/messages/{notice}/acknowledge", j.case_path()),
        &home_care,
        &json!({}),
    )
    .await
    .assert_problem(409);
    app.post(
        &format!("{}/messages/{notice}/acknowledge", j.case_path()),
        &primary_care,
        &json!({}),
    )
    .await
    .assert_status(200);

    let refused = j
        .send(
            &j.ward,
            "planning_call",
            &[&net.home_care, &net.primary_care],
            "2026-10-23T08:00:00Z",
        )
        .await;
    refused.assert_problem(422);
    let missing: Vec<&str> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["fast_vardkontakt", "consent"]);
    let fvk = json!({ "care_unit_id": net.primary_care["id"], "role": "fast_vardkontakt" });
    app.post(
        &format!("/api/v1/persons/{}/care-relationships", id(&j.person)),
        &j.ward,
        &fvk,
    )
    .await
    .assert_status(201);
    let refused = j
        .send(
            &j.ward,
            "planning_call",
            &[&net.home_care, &net.primary_care],
            "2026-10-23T08:00:00Z",
        )
        .await;
    assert_eq!(
        refused.assert_problem(422),
        "urn:smartcare:problem:validation-failed"
    );
    assert_eq!(
        refused.body["errors"][0]["field"], "consent",
        "only the consent is missing now"
    );
    let consent = json!({ "scope": "coordinated_planning", "status": "given" });
    app.post(
        &format!("/api/v1/persons/{}/consents", id(&j.person)),
        &app.person_token(&id(&j.person)),
        &consent,
    )
    .await
    .assert_status(201);
    j.send(
        &j.ward,
        "planning_call",
        &[&net.home_care, &net.primary_care],
        "2026-10-23T08:00:00Z",
    )
    .await
    .assert_status(201);

    // Ready on Friday 23 October at 14:00 in Stockholm; the clocks go back on Sunday the 25th.
    j.send(
        &j.ward,
        "ready_for_discharge",
        &[&net.home_care],
        "2026-10-23T12:00:00Z",
    )
    .await
    .assert_status(201);
    let withdrawn = j
        .send(
            &j.ward,
            "ready_for_discharge_withdrawn",
            &[&net.home_care],
            "2026-10-27T09:00:00Z",
        )
        .await;
    assert_eq!(withdrawn.assert_status(201)["state"], "planning");
    j.send(
        &j.ward,
        "ready_for_discharge",
        &[&net.home_care],
        "2026-10-29T09:00:00Z",
    )
    .await
    .assert_status(201);
    let discharged = j
        .send(
            &j.ward,
            "discharge_notice",
            &[&net.home_care, &net.primary_care],
            "2026-11-03T09:00:00Z",
        )
        .await;
    let case = discharged.assert_status(201).clone();
    assert_eq!(case["state"], "discharged");
    assert_eq!(case["allowed_messages"], json!([]));
    // Liable: Monday 26 October (Friday + 3 calendar days, across the weekend and the DST
    // change), paused by the withdrawal on the 27th, then 1 and 2 November (3 days after the
    // new notice on the 29th), until the discharge on the 3rd.
    assert_eq!(
        case["liability"]["days"],
        json!(["2026-10-26", "2026-11-01", "2026-11-02"])
    );
    assert_eq!(
        (
            case["liability"]["liable_days"].as_u64(),
            case["liability"]["amount_sek"].as_u64()
        ),
        (Some(3), Some(27_000))
    );
    assert_eq!(case["ready_periods"].as_array().unwrap().len(), 2);
    let closed = j
        .send(&j.ward, "coordination_note", &[], "2026-11-03T10:00:00Z")
        .await;
    assert!(closed.assert_problem(409).ends_with("conflict"));
    assert!(closed.body["detail"].as_str().unwrap().contains("closed"));

    let read = app.get(&j.case_path(), &home_care).await;
    assert_eq!(
        read.assert_status(200)["messages"]
            .as_array()
            .unwrap()
            .len(),
        6,
        "the refused ones were not stored"
    );
}

#[actix_web::test]
async fn a_notice_not_sent_within_24_hours_is_late() {
    let j = admitted().await;
    let case = j.app.get(&j.case_path(), &j.ward).await;
    assert_eq!(
        case.assert_status(200)["notice_late"],
        true,
        "admitted a month ago, no notice"
    );
    let late = j
        .send(
            &j.ward,
            "admission_notice",
            &[&j.net.home_care],
            "2026-10-24T08:00:00Z",
        )
        .await;
    assert_eq!(
        (
            late.assert_status(201)["notice_late"].as_bool(),
            late.body["notice_sent_at"].as_str()
        ),
        (Some(true), Some("2026-10-24T08:00:00Z"))
    );
}

/// The ward's two relationships with her ended at once while her case is open: one ends, the
/// other is refused (on PostgreSQL her relationships are locked before the check, so the two
/// requests cannot both find the other still in force), and the ward keeps her case.
#[actix_web::test]
async fn ending_a_wards_two_relationships_at_once_leaves_it_one_while_the_case_is_open() {
    let j = admitted().await;
    let app = &j.app;
    let relationships = format!("/api/v1/persons/{}/care-relationships", id(&j.person));
    let wards_in_force = || async {
        let listed = app.get(&relationships, &j.ward).await;
        let in_force: Vec<Value> = listed.assert_status(200)["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["care_unit_id"] == j.net.ward["id"] && r["active"] == true)
            .cloned()
            .collect();
        in_force
    };
    for round in 0..3 {
        // A second relationship, in the role the one left does not have.
        let left = wards_in_force().await;
        let role = if left[0]["role"] == "other" {
            "responsible_physician"
        } else {
            "other"
        };
        let second = json!({ "care_unit_id": j.net.ward["id"], "role": role });
        app.post(&relationships, &j.ward, &second)
            .await
            .assert_status(201);
        let in_force: Vec<String> = wards_in_force().await.iter().map(id).collect();
        assert_eq!(in_force.len(), 2, "round {round}");
        let ward = j.ward.as_str();
        let ends = in_force.iter().map(|relationship| {
            let end = format!("{relationships}/{relationship}/end");
            async move { app.post(&end, ward, &json!({})).await.status }
        });
        let mut statuses = futures_util::future::join_all(ends).await;
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}");
        app.get(&j.case_path(), &j.ward).await.assert_status(200);
    }
}

/// A case opened while the ward's only relationship with her ends: one of the two is refused
/// (the end sees the case, or the opening sees the end), never both done, which left an open
/// case its ward could not read (an attack review, on PostgreSQL, 15 of 20 tries).
#[actix_web::test]
async fn a_case_opened_while_the_ward_ends_its_relationship_is_never_lost() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let ward = app.staff_token("clinician", &net.ward);
    for number in [
        "19300101-1232",
        "19300102-1231",
        "19300103-1230",
        "19300104-1239",
    ] {
        let person = register(&app, &net.ward, number, json!({})).await;
        let path = format!("/api/v1/persons/{}", id(&person));
        let relationship = id(&person["care_relationships"][0]);
        let (cases, admission) = (
            format!("{path}/coordination-cases"),
            json!({ "admitted_at": "2026-10-22T08:00:00Z" }),
        );
        let (end_path, empty) = (
            format!("{path}/care-relationships/{relationship}/end"),
            json!({}),
        );
        let open = app.post(&cases, &ward, &admission);
        let end = app.post(&end_path, &ward, &empty);
        let (opened, ended) = futures_util::future::join(open, end).await;
        let outcome = (opened.status, ended.status);
        assert!(
            matches!(outcome, (201, 409) | (404 | 409, 200)),
            "{number}: {outcome:?} {} {}",
            opened.text,
            ended.text
        );
        if opened.status == 201 {
            let case = format!("/api/v1/coordination-cases/{}", id(&opened.body));
            app.get(&case, &ward).await.assert_status(200);
        }
    }
}

/// A case opened by mistake closes with a `process_interrupted` addressed to no unit, and no
/// unit joins her care team for it (a relationship would open her record to that unit).
/// Without `to`, an interruption goes to the units still involved: here home care, told of
/// her admission, and not the vårdcentral that opted out.
#[actix_web::test]
async fn an_interruption_to_no_unit_closes_the_case_and_tells_only_the_units_involved() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let interrupt = |sent_at: &str| json!({ "kind": "process_interrupted", "sent_at": sent_at });
    let messages = format!("{}/messages", j.case_path());
    let closed = app
        .post(&messages, &j.ward, &interrupt("2026-10-22T09:00:00Z"))
        .await;
    let case = closed.assert_status(201);
    assert_eq!(case["state"], "interrupted");
    assert_eq!(case["messages"][0]["recipients"], json!([]));
    let relationships = format!("/api/v1/persons/{}/care-relationships", id(&j.person));
    let units_caring = |listed: &Value| -> Vec<Value> {
        let items = listed["items"].as_array().into_iter().flatten();
        items
            .filter(|r| r["active"] == true)
            .map(|r| r["care_unit_id"].clone())
            .collect()
    };
    let listed = app.get(&relationships, &j.ward).await;
    assert_eq!(
        units_caring(listed.assert_status(200)),
        [net.ward["id"].clone()]
    );

    // Readmitted, both home care and the vårdcentral told; the vårdcentral opts out.
    let readmitted = app
        .post(
            &format!("/api/v1/persons/{}/coordination-cases", id(&j.person)),
            &j.ward,
            &json!({ "admitted_at": "2026-11-01T08:00:00Z" }),
        )
        .await;
    let second = format!(
        "/api/v1/coordination-cases/{}",
        id(readmitted.assert_status(201))
    );
    let to_both = json!({ "kind": "admission_notice", "to": [net.home_care["id"], net.primary_care["id"]], "sent_at": "2026-11-01T10:00:00Z" });
    let notified = app
        .post(&format!("{second}/messages"), &j.ward, &to_both)
        .await;
    let notice = Journey::last_message(notified.assert_status(201));
    let primary_care = app.staff_token("coordinator", &net.primary_care);
    app.post(
        &format!("{second}/messages/{notice}/opt-out"),
        &primary_care,
        &json!({}),
    )
    .await
    .assert_status(200);
    let interrupted = app
        .post(
            &format!("{second}/messages"),
            &j.ward,
            &interrupt("2026-11-01T12:00:00Z"),
        )
        .await;
    let case = interrupted.assert_status(201);
    assert_eq!(case["state"], "interrupted");
    let last = case["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "process_interrupted");
    let told: Vec<Value> = last["recipients"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["unit_id"].clone())
        .collect();
    assert_eq!(told, [net.home_care["id"].clone()]);
    // Any other ward-side kind still names its units.
    app.post(
        &format!("{second}/messages"),
        &j.ward,
        &json!({ "kind": "admission_notice", "sent_at": "2026-11-01T12:00:00Z" }),
    )
    .await
    .assert_problem(422);
}

/// She blocks home care, which the ward told of her admission: other units reading the case
/// no longer see home care's part in it (its entry among the notice's recipients, its answer,
/// its notes), as they no longer see it in her care relationships; the ward still sees home
/// care's answer to its own notice, and primary care a note home care sent to it (what was
/// sent was disclosed). The case's state and deadlines are unchanged.
#[actix_web::test]
async fn her_block_of_an_addressed_unit_hides_its_part_in_the_case_from_other_units() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let primary_care = j.primary_care_joins().await;
    let home_care = app.staff_token("coordinator", &net.home_care);
    let to_both = json!({ "kind": "admission_notice", "to": [net.home_care["id"], net.primary_care["id"]], "sent_at": "2026-10-22T10:00:00Z" });
    let notified = app
        .post(&format!("{}/messages", j.case_path()), &j.ward, &to_both)
        .await;
    let notice = Journey::last_message(notified.assert_status(201));
    app.post(
        &format!("{}/messages/{notice}/acknowledge", j.case_path()),
        &home_care,
        &json!({}),
    )
    .await
    .assert_status(200);
    for (to, text) in [
        (json!([]), "hemtjänstens egen anteckning"),
        (json!([net.primary_care["id"]]), "till vårdcentralen"),
    ] {
        let note = json!({ "kind": "coordination_note", "to": to, "text": text });
        app.post(&format!("{}/messages", j.case_path()), &home_care, &note)
            .await
            .assert_status(201);
    }
    // A note to the ward, which the ward acknowledges.
    let to_ward =
        json!({ "kind": "coordination_note", "to": [net.ward["id"]], "text": "till avdelningen" });
    let noted = app
        .post(&format!("{}/messages", j.case_path()), &home_care, &to_ward)
        .await;
    let note_to_ward = Journey::last_message(noted.assert_status(201));
    app.post(
        &format!("{}/messages/{note_to_ward}/acknowledge", j.case_path()),
        &j.ward,
        &json!({}),
    )
    .await
    .assert_status(200);
    // Home care's coordinator records which municipality pays.
    let current = app.get(&j.case_path(), &home_care).await;
    let version = format!("\"{}\"", current.assert_status(200)["version"]);
    let payer =
        json!({ "municipality": "0686", "reason": "Bor sedan mars hos sin dotter i Eksjö" });
    app.request(
        actix_web::http::Method::PUT,
        &format!("{}/paying-municipality", j.case_path()),
        Some(&home_care),
        &[("if-match", version.as_str())],
        Some(&payer),
    )
    .await
    .assert_status(200);
    let esther = app.person_token(&id(&j.person));
    app.post(
        &format!("/api/v1/persons/{}/blocks", id(&j.person)),
        &esther,
        &json!({ "care_unit_id": net.home_care["id"] }),
    )
    .await
    .assert_status(201);
    // (kind, text, addressed units) of each message as `token` reads the case.
    let read = |token: &str| {
        let (app, path) = (app, j.case_path());
        let token = token.to_owned();
        async move {
            let case = app.get(&path, &token).await;
            let messages = case.assert_status(200)["messages"].clone();
            let state = case.body["state"].clone();
            let seen: Vec<(Value, Value, Vec<Value>)> = messages
                .as_array()
                .into_iter()
                .flatten()
                .map(|m| {
                    let to = m["recipients"].as_array().into_iter().flatten();
                    let mut to: Vec<Value> = to.map(|r| r["unit_id"].clone()).collect();
                    to.sort_by_key(Value::to_string);
                    (m["kind"].clone(), m["text"].clone(), to)
                })
                .collect();
            let decided_by = case.body["paying_decision"]["decided_by"].clone();
            (state, seen, case.text, decided_by)
        }
    };
    let (home, primary) = (net.home_care["id"].clone(), net.primary_care["id"].clone());
    let mut both = vec![home.clone(), primary.clone()];
    both.sort_by_key(Value::to_string);
    let (state, seen, text, decided_by) = read(&primary_care).await;
    assert_eq!(state, "notified");
    // Who decided acted for home care: withheld, the decision itself shown.
    assert_eq!(decided_by, json!(null), "{text}");
    assert!(text.contains("\"municipality\":\"0686\""), "{text}");
    assert_eq!(
        seen,
        [
            (
                json!("admission_notice"),
                json!(null),
                vec![primary.clone()]
            ),
            (
                json!("coordination_note"),
                json!("till vårdcentralen"),
                vec![primary.clone()]
            ),
        ],
        "{text}"
    );
    // Home care is named once: as the sender of its note to primary care.
    let home_care_id = home.as_str().unwrap_or_default();
    assert_eq!(text.matches(home_care_id).count(), 1, "{text}");
    let (_, seen, text, decided_by) = read(&j.ward).await;
    assert_eq!(decided_by, json!(null), "{text}");
    assert_eq!(
        seen,
        [
            (json!("admission_notice"), json!(null), both),
            (
                json!("coordination_note"),
                json!("till avdelningen"),
                vec![net.ward["id"].clone()]
            )
        ],
        "{text}"
    );
    assert!(
        text.contains("acknowledged"),
        "the ward sees the answer to its notice: {text}"
    );
    let (_, seen, _, decided_by) = read(&home_care).await;
    assert!(decided_by.is_string(), "home care sees its own coordinator");
    assert_eq!(seen.len(), 4, "home care sees its own part");
    // Retracting the ward's notice is the ward's: primary care is refused alike for home care,
    // which her block hides from it, and for a unit never addressed (403 against 404 told
    // them apart).
    for unit in [&net.home_care, &net.unrelated] {
        let retract = format!(
            "{}/messages/{notice}/recipients/{}/retract",
            j.case_path(),
            id(unit)
        );
        app.post(&retract, &primary_care, &json!({ "reason": "prov" }))
            .await
            .assert_problem(403);
    }
    // Her timeline as primary care reads it: no trace of home care's notes, not even the
    // ward's answer to the one sent to it.
    let timeline = format!("/api/v1/persons/{}/timeline?limit=200", id(&j.person));
    let events = app.get(&timeline, &primary_care).await;
    events.assert_status(200);
    assert!(
        !events.text.contains("coordination_note"),
        "{}",
        events.text
    );
    let ward_events = app.get(&timeline, &j.ward).await;
    assert!(
        ward_events
            .assert_status(200)
            .to_string()
            .contains("coordination_note"),
        "the ward's own answer: {}",
        ward_events.text
    );
}

/// A unit that opts out of an old, closed case stays in her care team while another open
/// case of hers waits on it (an attack review emptied home care's list of an open case so).
#[actix_web::test]
async fn opting_out_of_a_closed_case_keeps_the_unit_while_another_case_waits_on_it() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let old_notice = j.home_care_notified().await;
    j.send(
        &j.ward,
        "process_interrupted",
        &[&net.home_care],
        "2026-10-23T10:00:00Z",
    )
    .await
    .assert_status(201);
    let readmitted = app
        .post(
            &format!("/api/v1/persons/{}/coordination-cases", id(&j.person)),
            &j.ward,
            &json!({ "admitted_at": "2026-11-01T08:00:00Z" }),
        )
        .await;
    let second = format!(
        "/api/v1/coordination-cases/{}",
        id(readmitted.assert_status(201))
    );
    let notice = json!({ "kind": "admission_notice", "to": [net.home_care["id"]], "sent_at": "2026-11-01T10:00:00Z" });
    app.post(&format!("{second}/messages"), &j.ward, &notice)
        .await
        .assert_status(201);
    let home_care = app.staff_token("coordinator", &net.home_care);
    app.post(
        &format!("{}/messages/{old_notice}/opt-out", j.case_path()),
        &home_care,
        &json!({}),
    )
    .await
    .assert_status(200);
    app.get(&second, &home_care).await.assert_status(200);
    let record = format!("/api/v1/persons/{}", id(&j.person));
    app.get(&record, &home_care).await.assert_status(200);
    let listed = app.get("/api/v1/coordination-cases", &home_care).await;
    listed.assert_status(200);
    let second_id = second.trim_start_matches("/api/v1/coordination-cases/");
    assert!(listed.text.contains(second_id), "{}", listed.text);
}

#[actix_web::test]
async fn a_unit_that_opts_out_gets_no_further_messages() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let notified = j
        .send(
            &j.ward,
            "admission_notice",
            &[&net.home_care, &net.primary_care],
            "2026-10-22T10:00:00Z",
        )
        .await;
    let notice = Journey::last_message(notified.assert_status(201));
    let home_care = app.staff_token("coordinator", &net.home_care);
    let out = app
        .post(
            &format!("{}/messages/{notice}/opt-out", j.case_path()),
            &home_care,
            &json!({}),
        )
        .await;
    let statuses: Vec<(String, String)> = out.assert_status(200)["messages"][0]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["unit_id"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(statuses.contains(&(
        net.home_care["id"].as_str().unwrap().to_owned(),
        "opted_out".to_owned()
    )));
    let again = j
        .send(
            &j.ward,
            "planning_call",
            &[&net.home_care],
            "2026-10-23T08:00:00Z",
        )
        .await;
    again.assert_problem(422);
    assert_eq!(again.body["errors"][0]["field"], "to");
    // The notice brought home care into her care team; not involved, it has left it again.
    let record = format!("/api/v1/persons/{}", id(&j.person));
    app.get(&record, &home_care).await.assert_problem(404);
    app.get(&j.case_path(), &home_care)
        .await
        .assert_problem(404);
    let primary_care = app.staff_token("clinician", &net.primary_care);
    app.get(&record, &primary_care).await.assert_status(200);
}

#[actix_web::test]
async fn cases_follow_her_records_access_rules() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let outsider = app.staff_token("clinician", &net.unrelated);
    let hidden = app.get(&j.case_path(), &outsider).await;
    hidden.assert_problem(404);
    let missing_id = uuid::Uuid::now_v7();
    let missing = app
        .get(&format!("/api/v1/coordination-cases/{missing_id}"), &j.ward)
        .await;
    missing.assert_problem(404);
    // A case the caller may not see is answered as one that does not exist: the case's own
    // 404, naming neither her nor that the case is hers.
    assert_eq!(
        hidden.body["detail"],
        missing.body["detail"]
            .as_str()
            .unwrap()
            .replace(&missing_id.to_string(), &id(&j.case)),
        "{}",
        hidden.text
    );
    assert!(!hidden.text.contains(&id(&j.person)), "{}", hidden.text);
    j.send(&outsider, "coordination_note", &[], "2026-10-22T09:00:00Z")
        .await
        .assert_problem(404);
    let notice = j.home_care_notified().await;
    // The primary care centre was not addressed: it cannot answer.
    let primary_care = j.primary_care_joins().await;
    app.post(
        &format!("{}/messages/{notice}/acknowledge", j.case_path()),
        &primary_care,
        &json!({}),
    )
    .await
    .assert_problem(404);
    // Messages keep their order and cannot come from the future.
    j.send(&j.ward, "coordination_note", &[], "2026-10-22T09:00:00Z")
        .await
        .assert_problem(422);
    j.send(&j.ward, "coordination_note", &[], "2999-01-01T00:00:00Z")
        .await
        .assert_problem(422);
    let note = json!({ "kind": "coordination_note", "text": "Hemtjänsten hälsar" });
    app.post(&format!("{}/messages", j.case_path()), &j.ward, &note)
        .await
        .assert_status(201);
    let unknown_unit = json!({ "kind": "planning_call", "to": [uuid::Uuid::now_v7().to_string()] });
    app.post(
        &format!("{}/messages", j.case_path()),
        &j.ward,
        &unknown_unit,
    )
    .await
    .assert_problem(422);
    let extract = app
        .get(
            &format!("/api/v1/persons/{}/access-log?limit=200", id(&j.person)),
            &app.token("admin"),
        )
        .await;
    let case_events = extract.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"].as_str().unwrap().starts_with("coordination"))
        .count();
    assert!(
        case_events >= 8,
        "every case access is in her log: {case_events}"
    );
}

/// The ward's case list holds the patients it cares for now: once it ends its care
/// relationship with Esther after her stay, her case leaves the list whole, and a page of one
/// is not spent on it (a new-user review paged 0, 1, 1, 2 cases for a ward nurse).
#[actix_web::test]
async fn a_wards_case_list_holds_the_patients_it_cares_for_now_page_by_page() {
    let j = admitted().await;
    let app = &j.app;
    let greta = j.second_person_admitted().await;
    let pages = |token: &str| {
        let token = token.to_owned();
        async move {
            let mut pages = Vec::new();
            let mut path = "/api/v1/coordination-cases?limit=1".to_owned();
            loop {
                let page = app.get(&path, &token).await;
                page.assert_status(200);
                let persons: Vec<String> = page.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|case| case["person"]["id"].as_str().unwrap_or_default().to_owned())
                    .collect();
                pages.push(persons);
                let Some(next) = page.body["next"].as_str() else {
                    return pages;
                };
                path = format!("/api/v1/coordination-cases?limit=1&cursor={next}");
            }
        }
    };
    assert_eq!(pages(&j.ward).await, [[id(&j.person)], [id(&greta)]]);

    let relationships = format!("/api/v1/persons/{}/care-relationships", id(&j.person));
    let listed = app.get(&relationships, &j.ward).await;
    let ward_relationship = listed.assert_status(200)["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["care_unit_id"] == j.net.ward["id"] && r["active"] == true)
        .map(id)
        .unwrap_or_default();
    let end = format!("{relationships}/{ward_relationship}/end");
    // Not while her stay goes on (409); once her process is closed, the ward ends it.
    app.post(&end, &j.ward, &json!({}))
        .await
        .assert_problem(409);
    j.send(
        &j.ward,
        "process_interrupted",
        &[&j.net.home_care],
        "2026-10-25T10:00:00Z",
    )
    .await
    .assert_status(201);
    app.post(&end, &j.ward, &json!({})).await.assert_status(200);
    assert_eq!(pages(&j.ward).await, [[id(&greta)]]);
    let by_deadline = app
        .get("/api/v1/coordination-cases?sort=deadline", &j.ward)
        .await;
    assert_eq!(
        by_deadline.assert_status(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// She blocks the admitting ward: its case is hidden from a unit of her care team it was
/// never sent to (404 as for no case, and no open case in that unit's caseload), while the
/// unit it was sent to keeps it (what the ward sent under Lag 2017:612 was disclosed to it)
/// and the ward keeps its own (decision 0027).
#[actix_web::test]
async fn her_block_of_the_ward_hides_its_case_from_units_it_was_not_sent_to() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let primary_care = j.primary_care_joins().await;
    let home_care = app.staff_token("coordinator", &net.home_care);
    // Home care joins her care team through the admission notice sent to it.
    j.send(
        &j.ward,
        "admission_notice",
        &[&net.home_care],
        "2026-10-22T10:00:00Z",
    )
    .await
    .assert_status(201);
    let caseload = |unit: &Value| format!("/api/v1/units/{}/caseload", id(unit));
    let her_open_case = |page: &Value| page["items"][0]["has_open_case"].clone();
    let before = app.get(&caseload(&net.primary_care), &primary_care).await;
    assert_eq!(her_open_case(before.assert_status(200)), json!(true));
    app.get(&j.case_path(), &primary_care)
        .await
        .assert_status(200);
    // Everything else that shows the case to primary care: the overdue queue (the notice to
    // home care unanswered), her timeline (home care's answer, once given).
    let case_id = id(&j.case);
    let acknowledged = app
        .post(
            &format!("{}/messages/{}/acknowledge", j.case_path(), {
                let case = app.get(&j.case_path(), &home_care).await;
                Journey::last_message(case.assert_status(200))
            }),
            &home_care,
            &json!({}),
        )
        .await;
    acknowledged.assert_status(200);
    // A note home care has not answered, long past its answer time: the case is overdue.
    j.send(
        &j.ward,
        "coordination_note",
        &[&net.home_care],
        "2026-10-22T11:00:00Z",
    )
    .await
    .assert_status(201);
    // A note sent to primary care by mistake and taken back: the case leaves its case list.
    let mistaken = j
        .send(
            &j.ward,
            "coordination_note",
            &[&net.primary_care],
            "2026-10-22T12:00:00Z",
        )
        .await;
    let mistaken = Journey::last_message(mistaken.assert_status(201));
    let cases_of_primary_care = || app.get("/api/v1/coordination-cases", &primary_care);
    assert!(cases_of_primary_care().await.text.contains(&case_id));
    app.post(
        &format!(
            "{}/messages/{mistaken}/recipients/{}/retract",
            j.case_path(),
            id(&net.primary_care)
        ),
        &j.ward,
        &json!({ "reason": "fel enhet" }),
    )
    .await
    .assert_status(200);
    let listed = cases_of_primary_care().await;
    assert!(!listed.assert_status(200).to_string().contains(&case_id));
    let overdue = "/api/v1/coordination/overdue";
    let timeline = format!("/api/v1/persons/{}/timeline?limit=200", id(&j.person));
    let mentions_case = |response: &tests::TestResponse| response.text.contains(&case_id);
    assert!(mentions_case(&app.get(overdue, &primary_care).await));
    assert!(mentions_case(&app.get(&timeline, &primary_care).await));

    // Greta Östberg, after her in name order, has an open case at the ward too, which she
    // has not blocked: primary care sees it.
    let greta = j.second_person_admitted().await;
    register(app, &net.primary_care, "19400101-1230", json!({})).await;
    let esther = app.person_token(&id(&j.person));
    app.post(
        &format!("/api/v1/persons/{}/blocks", id(&j.person)),
        &esther,
        &json!({ "care_unit_id": net.ward["id"] }),
    )
    .await
    .assert_status(201);
    // Home care's relationship, started by the ward's user through the notice, no longer
    // names that user to other units: the id names the ward in the staff directory.
    let relationships = format!("/api/v1/persons/{}/care-relationships", id(&j.person));
    let started_by_of_home_care = |list: &Value| {
        list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["care_unit_id"] == net.home_care["id"])
            .map(|r| r["started_by"].clone())
    };
    let ward_view = app.get(&relationships, &j.ward).await;
    let ward_user = started_by_of_home_care(ward_view.assert_status(200));
    let ward_user = ward_user.and_then(|u| u.as_str().map(str::to_owned));
    assert!(ward_user.is_some(), "{}", ward_view.text);
    let ward_user = ward_user.unwrap_or_default();
    for token in [&primary_care, &home_care] {
        let list = app.get(&relationships, token).await;
        assert_eq!(
            started_by_of_home_care(list.assert_status(200)),
            Some(Value::Null),
            "{}",
            list.text
        );
        let record = app
            .get(&format!("/api/v1/persons/{}", id(&j.person)), token)
            .await;
        assert!(!record.assert_status(200).to_string().contains(&ward_user));
    }
    // The ward's own relationship is hidden from primary care: not ended through its id.
    let ward_relationship = ward_view.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["care_unit_id"] == net.ward["id"] && r["active"] == true)
        .map(id)
        .unwrap_or_default();
    assert!(!ward_relationship.is_empty(), "{}", ward_view.text);
    app.post(
        &format!("{relationships}/{ward_relationship}/end"),
        &primary_care,
        &json!({}),
    )
    .await
    .assert_problem(404);
    // Home care's relationship is home care's to end (primary care: 403, whatever her case),
    // and not while the case waits on home care; primary care learns nothing of the case.
    let home_care_relationship = ward_view.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["care_unit_id"] == net.home_care["id"] && r["active"] == true)
        .map(id)
        .unwrap_or_default();
    let end_home_care = format!("{relationships}/{home_care_relationship}/end");
    let refused = app.post(&end_home_care, &primary_care, &json!({})).await;
    refused.assert_problem(403);
    assert!(
        !refused.text.contains("coordination case"),
        "{}",
        refused.text
    );
    let told = app.post(&end_home_care, &home_care, &json!({})).await;
    told.assert_problem(409);
    assert!(told.text.contains(&case_id), "{}", told.text);
    assert_eq!(told.body["case_id"], case_id.as_str(), "{}", told.text);
    let hidden = app.get(&j.case_path(), &primary_care).await;
    hidden.assert_problem(404);
    assert!(
        hidden.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("no coordination case"),
        "{}",
        hidden.text
    );
    let after = app.get(&caseload(&net.primary_care), &primary_care).await;
    assert_eq!(her_open_case(after.assert_status(200)), json!(false));
    // Nor is she listed as one with an open case.
    let with_open_case = format!("{}?has_open_case=true", caseload(&net.primary_care));
    let filtered = app.get(&with_open_case, &primary_care).await;
    let listed_ids = |page: &Value| {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| p["person"]["id"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(listed_ids(filtered.assert_status(200)), [id(&greta)]);
    // Not even as the person a page's cursor continues after (its first 16 bytes were her
    // id, an attack review found): with limit=1 the page is Greta's, the last one.
    let one = app
        .get(&format!("{with_open_case}&limit=1"), &primary_care)
        .await;
    assert_eq!(listed_ids(one.assert_status(200)), [id(&greta)]);
    assert!(
        one.body.get("next").is_none_or(Value::is_null),
        "{}",
        one.text
    );
    // She is among those without one, as the unfiltered list shows her: her absence from both
    // filtered lists would tell that she has an open case somewhere.
    let without_open_case = format!("{}?has_open_case=false", caseload(&net.primary_care));
    let filtered = app.get(&without_open_case, &primary_care).await;
    assert_eq!(her_open_case(filtered.assert_status(200)), json!(false));
    for path in [overdue, timeline.as_str()] {
        let shown = app.get(path, &primary_care).await;
        shown.assert_status(200);
        assert!(!mentions_case(&shown), "{path}: {}", shown.text);
    }
    // Nor is her case the row a page of the overdue queue ends on (the cursor held its id, an
    // attack review found): one page, Greta's case alone, no `next`.
    let one = app.get(&format!("{overdue}?limit=1"), &primary_care).await;
    assert_eq!(
        one.assert_status(200)["items"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(one.body["items"][0]["person"]["id"], greta["id"]);
    assert!(one.body.get("next").is_none(), "{}", one.text);
    assert!(mentions_case(&app.get(&timeline, &home_care).await));
    // The unit it was sent to, and the ward itself, still see it.
    app.get(&j.case_path(), &home_care).await.assert_status(200);
    let home_list = app.get(&caseload(&net.home_care), &home_care).await;
    assert_eq!(her_open_case(home_list.assert_status(200)), json!(true));
    let home_filtered = format!("{}?has_open_case=true", caseload(&net.home_care));
    let home_filtered = app.get(&home_filtered, &home_care).await;
    assert_eq!(her_open_case(home_filtered.assert_status(200)), json!(true));
    app.get(&j.case_path(), &j.ward).await.assert_status(200);
    // Home care addressing a note to primary care does not open the ward's case to it (an
    // attack review in session 21): it is still hidden from primary care's reads and lists.
    let note = json!({ "kind": "coordination_note", "to": [net.primary_care["id"]], "text": "till vårdcentralen" });
    app.post(&format!("{}/messages", j.case_path()), &home_care, &note)
        .await
        .assert_status(201);
    app.get(&j.case_path(), &primary_care)
        .await
        .assert_problem(404);
    let listed = app.get("/api/v1/coordination-cases", &primary_care).await;
    assert!(!mentions_case(&listed), "{}", listed.text);
    for path in [overdue, timeline.as_str()] {
        let shown = app.get(path, &primary_care).await;
        shown.assert_status(200);
        assert!(!mentions_case(&shown), "{path}: {}", shown.text);
    }
    let after_note = app.get(&caseload(&net.primary_care), &primary_care).await;
    assert_eq!(her_open_case(after_note.assert_status(200)), json!(false));
    let inbox = format!("/api/v1/units/{}/inbox", id(&net.primary_care));
    let inbox = app.get(&inbox, &primary_care).await;
    inbox.assert_status(200);
    assert!(!mentions_case(&inbox), "{}", inbox.text);
}

/// The inbox is paged like the other lists, oldest first: a unit with more unanswered
/// messages than a page sees the newest by following `next` (it answered the oldest 200 and
/// nothing else, with no `next`, before).
#[actix_web::test]
async fn a_units_inbox_is_paged_oldest_first() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let home_care = app.staff_token("coordinator", &net.home_care);
    let inbox = format!("/api/v1/units/{}/inbox", id(&net.home_care));
    let mut sent = Vec::new();
    for (kind, at) in [
        ("admission_notice", "2026-10-22T10:00:00Z"),
        ("coordination_note", "2026-10-22T11:00:00Z"),
        ("coordination_note", "2026-10-22T12:00:00Z"),
    ] {
        let case = j.send(&j.ward, kind, &[&net.home_care], at).await;
        sent.push(Journey::last_message(case.assert_status(201)));
    }
    let message_ids = |page: &Value| {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| m["message_id"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let first = app.get(&format!("{inbox}?limit=2"), &home_care).await;
    assert_eq!(
        message_ids(first.assert_status(200)),
        [sent[0].clone(), sent[1].clone()]
    );
    let next = first.body["next"].as_str().unwrap_or_default();
    let second = app
        .get(&format!("{inbox}?limit=2&cursor={next}"), &home_care)
        .await;
    assert_eq!(message_ids(second.assert_status(200)), [sent[2].clone()]);
    assert!(second.body.get("next").is_none(), "{}", second.text);
    // A cursor of another unit's inbox, and an unknown parameter, are refused.
    let primary_inbox = format!("/api/v1/units/{}/inbox", id(&net.primary_care));
    let primary_care = app.staff_token("clinician", &net.primary_care);
    app.get(&format!("{primary_inbox}?cursor={next}"), &primary_care)
        .await
        .assert_problem(400);
    app.get(&format!("{inbox}?unit=x"), &home_care)
        .await
        .assert_problem(400);
    // A person's own token claiming the unit reads neither the inbox nor the overdue queue.
    let mut claims = app.claims("person");
    claims["person"] = j.person["id"].clone();
    claims["unit"] = net.home_care["id"].clone();
    let person_with_unit = app.sign(&claims);
    for path in [inbox.as_str(), "/api/v1/coordination/overdue"] {
        app.get(path, &person_with_unit).await.assert_problem(403);
    }
}

/// The overdue queue is paged over the unit's open cases (it examined the oldest 200 and
/// no more, without saying so, before).
#[actix_web::test]
async fn the_overdue_queue_is_paged() {
    let j = admitted().await;
    let app = &j.app;
    j.second_person_admitted().await;
    // Both admission notices are missing: both cases need attention.
    let queue = "/api/v1/coordination/overdue";
    let case_ids = |page: &Value| {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["case_id"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let whole = app.get(queue, &j.ward).await;
    assert_eq!(
        case_ids(whole.assert_status(200)).len(),
        2,
        "{}",
        whole.text
    );
    let first = app.get(&format!("{queue}?limit=1"), &j.ward).await;
    let first_ids = case_ids(first.assert_status(200));
    let next = first.body["next"].as_str().unwrap_or_default();
    let second = app
        .get(&format!("{queue}?limit=1&cursor={next}"), &j.ward)
        .await;
    let mut paged = first_ids;
    paged.extend(case_ids(second.assert_status(200)));
    assert_eq!(paged, case_ids(&whole.body));
    assert!(second.body.get("next").is_none(), "{}", second.text);
    app.get(&format!("{queue}?limit=0"), &j.ward)
        .await
        .assert_problem(400);
}

#[actix_web::test]
async fn a_units_inbox_holds_its_unanswered_messages() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let home_care = app.staff_token("coordinator", &net.home_care);
    let inbox = format!(
        "/api/v1/units/{}/inbox",
        net.home_care["id"].as_str().unwrap()
    );
    assert_eq!(
        app.get(&inbox, &home_care).await.assert_status(200)["items"],
        json!([])
    );
    let notified = j
        .send(
            &j.ward,
            "admission_notice",
            &[&net.home_care, &net.primary_care],
            "2026-10-22T10:00:00Z",
        )
        .await;
    let notice = Journey::last_message(notified.assert_status(201));
    let waiting = app.get(&inbox, &home_care).await;
    let items = waiting.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(items.len(), 1);
    assert_eq!(
        (
            items[0]["kind"].as_str(),
            items[0]["person"]["personal_number"].as_str()
        ),
        (Some("admission_notice"), Some("191212121212"))
    );
    assert!(items[0]["person"].get("contact").is_none());
    app.get(&inbox, &j.ward).await.assert_problem(403);
    app.post(
        &format!("{}/messages/{notice}/acknowledge", j.case_path()),
        &home_care,
        &json!({}),
    )
    .await
    .assert_status(200);
    assert_eq!(app.get(&inbox, &home_care).await.body["items"], json!([]));
    let primary_inbox = format!(
        "/api/v1/units/{}/inbox",
        net.primary_care["id"].as_str().unwrap()
    );
    assert_eq!(
        app.get(
            &primary_inbox,
            &app.staff_token("clinician", &net.primary_care)
        )
        .await
        .body["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let extract = app
        .get(
            &format!("/api/v1/persons/{}/access-log?limit=200", id(&j.person)),
            &app.token("admin"),
        )
        .await;
    assert!(
        extract.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["resource"] == "inbox"),
        "the inbox read is in her log"
    );
}

#[actix_web::test]
async fn the_overdue_queue_names_late_notices_unanswered_messages_and_running_liability() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let queue = |query: &str| format!("/api/v1/coordination/overdue{query}");
    let late = app.get(&queue(""), &j.ward).await;
    let items = late.assert_status(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["reasons"],
        json!(["notice_late"]),
        "admitted a month ago without a notice"
    );
    j.send(
        &j.ward,
        "admission_notice",
        &[&net.home_care],
        "2026-10-22T10:00:00Z",
    )
    .await
    .assert_status(201);
    // Liability needs the planning call the law requires (issue 15).
    let case = LiabilityCase::of(&j);
    case.ready_for_planning(&net.primary_care).await;
    case.send("planning_call", &[&net.home_care], "2026-10-22T12:00:00Z")
        .await
        .assert_status(201);
    j.send(
        &j.ward,
        "ready_for_discharge",
        &[&net.home_care],
        "2026-10-23T12:00:00Z",
    )
    .await
    .assert_status(201);
    let running = app.get(&queue("?municipality=0682"), &j.ward).await;
    let item = running.assert_status(200)["items"][0].clone();
    assert_eq!(item["reasons"], json!(["unanswered", "accruing_liability"]));
    assert!(item["liable_days"].as_u64().unwrap() >= 20);
    assert_eq!(item["person"]["id"], j.person["id"]);
    assert_eq!(
        app.get(&queue("?municipality=0680"), &j.ward).await.body["items"],
        json!([]),
        "she lives in Nässjö"
    );
    app.get(&queue("?municipality=9999"), &j.ward)
        .await
        .assert_problem(400);
    assert_eq!(
        app.get(&queue(""), &app.staff_token("clinician", &net.unrelated))
            .await
            .body["items"],
        json!([])
    );
    app.get(&queue(""), &app.token("clinician"))
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn her_timeline_shows_the_care_chain_in_order_page_by_page() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let notice = j.home_care_notified().await;
    let home_care = app.staff_token("coordinator", &net.home_care);
    app.post(
        &format!("{}/messages/{notice}/acknowledge", j.case_path()),
        &home_care,
        &json!({}),
    )
    .await
    .assert_status(200);
    j.send(&j.ward, "coordination_note", &[], "2026-10-22T11:00:00Z")
        .await
        .assert_status(201);
    // Her coordinated plan, made at the ward with home care taking part.
    let person_path = format!("/api/v1/persons/{}", id(&j.person));
    app.post(
        &format!("{person_path}/consents"),
        &j.ward,
        &json!({ "scope": "coordinated_planning", "status": "given" }),
    )
    .await
    .assert_status(201);
    let plan = json!({
        "needs": "Hemtjänst efter utskrivning", "goals": "Hem till jul",
        "overall_responsible_organization_id": net.home_care["organization_id"],
        "actions": [{ "intervention": "Hemtjänst", "responsible_organization_id": net.home_care["organization_id"] }],
        "participants": { "care_units": [net.ward["id"], net.home_care["id"]], "person": true },
        "follow_up_date": "2026-12-15",
    });
    let plan = app
        .post(&format!("{person_path}/care-plans"), &j.ward, &plan)
        .await;
    let plan_id = plan.assert_status(201)["id"].clone();

    let timeline = format!("/api/v1/persons/{}/timeline", id(&j.person));
    let mut events: Vec<Value> = Vec::new();
    let mut path = format!("{timeline}?limit=3");
    loop {
        let page = app.get(&path, &j.ward).await;
        events.extend(
            page.assert_status(200)["items"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
        match page.body.get("next").and_then(Value::as_str) {
            Some(next) => path = format!("{timeline}?limit=3&cursor={next}"),
            None => break,
        }
    }
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "message_sent").count(), 2);
    for kind in ["admitted", "care_relationship_started", "message_answered"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let times: Vec<&str> = events.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_unstable();
    assert_eq!(times, sorted, "oldest first");
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "admitted" && e["case_id"] == j.case["id"])
    );
    assert_eq!(
        (
            events.last().unwrap()["kind"].as_str(),
            &events.last().unwrap()["plan_id"]
        ),
        (Some("plan_changed"), &plan_id),
        "the plan, made last, comes last"
    );

    // She blocks home care: its events leave the ward's timeline, not hers.
    let esther = app.person_token(&id(&j.person));
    app.post(
        &format!("/api/v1/persons/{}/blocks", id(&j.person)),
        &esther,
        &json!({ "care_unit_id": net.home_care["id"] }),
    )
    .await
    .assert_status(201);
    let home_id = net.home_care["id"].as_str().unwrap();
    let ward_view = app.get(&format!("{timeline}?limit=200"), &j.ward).await;
    assert!(
        ward_view.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["unit_id"] != home_id)
    );
    let her_view = app.get(&format!("{timeline}?limit=200"), &esther).await;
    assert!(
        her_view.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["unit_id"] == home_id)
    );
    app.get(&timeline, &app.staff_token("clinician", &net.unrelated))
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn a_message_sent_to_the_wrong_unit_is_retracted_with_a_reason() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    let notified = j
        .send(
            &j.ward,
            "admission_notice",
            &[&net.home_care, &net.unrelated],
            "2026-10-22T10:00:00Z",
        )
        .await;
    let notice = Journey::last_message(notified.assert_status(201));
    let wrong = net.unrelated["id"].as_str().unwrap();
    let retract = format!(
        "{}/messages/{notice}/recipients/{wrong}/retract",
        j.case_path()
    );
    let wrong_unit = app.staff_token("clinician", &net.unrelated);
    let record = format!("/api/v1/persons/{}", id(&j.person));
    app.get(&record, &wrong_unit).await.assert_status(200);
    app.post(&retract, &wrong_unit, &json!({ "reason": "not me" }))
        .await
        .assert_problem(403);
    app.post(&retract, &j.ward, &json!({ "reason": " " }))
        .await
        .assert_problem(422);
    let retracted = app
        .post(&retract, &j.ward, &json!({ "reason": "fel avdelning" }))
        .await;
    let recipients = retracted.assert_status(200)["messages"][0]["recipients"]
        .as_array()
        .unwrap()
        .clone();
    let taken_back = recipients.iter().find(|r| r["unit_id"] == wrong).unwrap();
    assert_eq!(
        (
            taken_back["status"].as_str(),
            taken_back["retract_reason"].as_str()
        ),
        (Some("retracted"), Some("fel avdelning"))
    );
    app.post(&retract, &j.ward, &json!({ "reason": "igen" }))
        .await
        .assert_problem(409);
    // The wrong unit is out of her care team again, and out of her record.
    app.get(&record, &wrong_unit).await.assert_problem(404);
    let relationships = app
        .get(&format!("{record}/care-relationships"), &j.ward)
        .await;
    let wrong_relationship = relationships.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["care_unit_id"] == wrong)
        .unwrap()
        .clone();
    assert!(
        wrong_relationship["ended_at"].is_string(),
        "{wrong_relationship}"
    );
    let inbox = format!("/api/v1/units/{wrong}/inbox");
    assert_eq!(
        app.get(&inbox, &wrong_unit).await.assert_status(200)["items"],
        json!([])
    );
    let other_unit = net.primary_care["id"].as_str().unwrap();
    let not_sent = format!(
        "{}/messages/{notice}/recipients/{other_unit}/retract",
        j.case_path()
    );
    app.post(&not_sent, &j.ward, &json!({ "reason": "x" }))
        .await
        .assert_problem(404);
}

/// Payment liability per municipality (issue 15): a case of Esther's on `app`, opened by
/// `ward` at `admitted_at`, with the case's path and a sender for its messages.
pub(crate) struct LiabilityCase<'a> {
    app: &'a TestApp,
    ward: String,
    person: Value,
    pub(crate) path: String,
}

impl<'a> LiabilityCase<'a> {
    pub(crate) async fn open(
        app: &'a TestApp,
        net: &Network,
        personal_number: &str,
        care_kind: &str,
        admitted_at: &str,
    ) -> LiabilityCase<'a> {
        let person = register(app, &net.ward, personal_number, json!({})).await;
        let ward = app.staff_token("clinician", &net.ward);
        let opened = app
            .post(
                &format!("/api/v1/persons/{}/coordination-cases", id(&person)),
                &ward,
                &json!({ "admitted_at": admitted_at, "care_kind": care_kind }),
            )
            .await;
        let path = format!(
            "/api/v1/coordination-cases/{}",
            id(opened.assert_status(201))
        );
        LiabilityCase {
            app,
            ward,
            person,
            path,
        }
    }

    /// The case of a journey.
    fn of(journey: &'a Journey) -> LiabilityCase<'a> {
        LiabilityCase {
            app: &journey.app,
            ward: journey.ward.clone(),
            person: journey.person.clone(),
            path: journey.case_path(),
        }
    }

    /// Esther's somatic case, admitted on Monday 9 March 2026.
    async fn esther(app: &'a TestApp, net: &Network) -> LiabilityCase<'a> {
        Self::open(app, net, "19121212-1212", "somatic", "2026-03-09T08:00:00Z").await
    }

    async fn send(&self, kind: &str, to: &[&Value], sent_at: &str) -> tests::TestResponse {
        let to: Vec<Value> = to.iter().map(|unit| unit["id"].clone()).collect();
        self.app
            .post(
                &format!("{}/messages", self.path),
                &self.ward,
                &json!({ "kind": kind, "to": to, "sent_at": sent_at }),
            )
            .await
    }

    /// Her fast vårdkontakt at `unit` and her consent to coordinated planning.
    async fn ready_for_planning(&self, fast_vardkontakt: &Value) {
        let person = format!("/api/v1/persons/{}", id(&self.person));
        let fvk = json!({ "care_unit_id": fast_vardkontakt["id"], "role": "fast_vardkontakt" });
        self.app
            .post(&format!("{person}/care-relationships"), &self.ward, &fvk)
            .await
            .assert_status(201);
        let consent = json!({ "scope": "coordinated_planning", "status": "given" });
        self.app
            .post(
                &format!("{person}/consents"),
                &self.app.person_token(&id(&self.person)),
                &consent,
            )
            .await
            .assert_status(201);
    }

    /// Notice, planning call and ready for discharge (to `ready_to`) on the given instants, the
    /// first two to `notified`; then the discharge on `discharged_at` when given. The case.
    pub(crate) async fn journey(
        &self,
        net: &Network,
        notified: &[&Value],
        ready_to: &[&Value],
        ready_at: &str,
        discharged_at: Option<&str>,
    ) -> Value {
        let day_before = |at: &str| {
            let at: chrono::DateTime<chrono::Utc> = at.parse().unwrap();
            (at - chrono::Duration::hours(20)).to_rfc3339()
        };
        self.ready_for_planning(&net.primary_care).await;
        self.send("admission_notice", notified, &day_before(ready_at))
            .await
            .assert_status(201);
        self.send("planning_call", notified, &day_before(ready_at))
            .await
            .assert_status(201);
        let ready = self.send("ready_for_discharge", ready_to, ready_at).await;
        let mut case = ready.assert_status(201).clone();
        if let Some(discharged_at) = discharged_at {
            let discharged = self.send("discharge_notice", ready_to, discharged_at).await;
            case = discharged.assert_status(201).clone();
        }
        case
    }
}

fn liable_days(case: &Value) -> Vec<&str> {
    case["liability"]["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect()
}

/// A second municipality, Jönköping, with a home care unit.
async fn jonkoping_home_care(app: &TestApp) -> Value {
    let jonkoping = app
        .create_organization(
            "Jönköpings kommun",
            "municipality",
            "SE2120000680-0001",
            Some("0680"),
        )
        .await;
    app.create_care_unit(
        &jonkoping,
        "Hemtjänst Jönköping",
        "home_care_service",
        "0680",
        "SE2120000680-E0001",
    )
    .await
}

#[actix_web::test]
async fn ready_for_discharge_sent_only_to_the_primary_care_centre_bills_nobody() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let case = LiabilityCase::esther(&app, &net).await;
    let both = [&net.home_care, &net.primary_care];
    // Ready Tuesday 10 March, discharged Monday 16 March: before, 3 days and 27,000 SEK.
    let discharged = case
        .journey(
            &net,
            &both,
            &[&net.primary_care],
            "2026-03-10T09:00:00Z",
            Some("2026-03-16T09:00:00Z"),
        )
        .await;
    let liability = &discharged["liability"];
    assert_eq!(liability["paying_municipality"], "0682");
    assert_eq!(liability["days"], json!([]));
    assert_eq!(
        (
            liability["liable_days"].as_u64(),
            liability["amount_sek"].as_u64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(
        liability["conditions_missing"],
        json!(["ready_for_discharge"])
    );
    assert_eq!(
        discharged["ready_periods"].as_array().unwrap().len(),
        1,
        "she was ready"
    );
}

#[actix_web::test]
async fn the_only_municipal_unit_answering_not_involved_ends_liability_at_its_answer() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let case = LiabilityCase::esther(&app, &net).await;
    let both = [&net.home_care, &net.primary_care];
    let ready = case
        .journey(&net, &both, &[&net.home_care], "2026-03-10T09:00:00Z", None)
        .await;
    let today = domain::discharge::stockholm_date(chrono::Utc::now()).to_string();
    assert_eq!(ready["liability"]["accruing"], true);
    assert_eq!(liable_days(&ready).first(), Some(&"2026-03-13"));
    assert_eq!(liable_days(&ready).last(), Some(&today.as_str()));
    let queue = app.get("/api/v1/coordination/overdue", &case.ward).await;
    assert!(
        queue.assert_status(200)["items"][0]["reasons"]
            .as_array()
            .unwrap()
            .contains(&json!("accruing_liability"))
    );
    let message = Journey::last_message(&ready);
    let home_care = app.staff_token("coordinator", &net.home_care);
    let out = app
        .post(
            &format!("{}/messages/{message}/opt-out", case.path),
            &home_care,
            &json!({}),
        )
        .await;
    out.assert_status(200);
    let after = app.get(&case.path, &case.ward).await;
    let liability = &after.assert_status(200)["liability"];
    assert_eq!(liability["accruing"], false);
    assert!(liability["not_involved_since"].is_string(), "{liability}");
    let days = liable_days(&after.body);
    assert!(
        days.last().is_none_or(|last| *last < today.as_str()),
        "nothing from the answer on: {days:?}"
    );
    let queue = app.get("/api/v1/coordination/overdue", &case.ward).await;
    let reasons = queue.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|item| item["reasons"].as_array().unwrap().clone())
        .collect::<Vec<_>>();
    assert!(
        !reasons.contains(&json!("accruing_liability")),
        "{reasons:?}"
    );
}

#[actix_web::test]
async fn with_two_municipalities_addressed_only_hers_pays() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let other_town = jonkoping_home_care(&app).await;
    let case = LiabilityCase::esther(&app, &net).await;
    let all = [&net.home_care, &other_town, &net.primary_care];
    // First ready only to Jönköping's home care: not hers, nobody pays for it.
    case.journey(&net, &all, &[&other_town], "2026-03-10T09:00:00Z", None)
        .await;
    case.send(
        "ready_for_discharge_withdrawn",
        &[&other_town],
        "2026-03-17T09:00:00Z",
    )
    .await
    .assert_status(201);
    case.send(
        "ready_for_discharge",
        &[&net.home_care, &other_town],
        "2026-03-18T09:00:00Z",
    )
    .await
    .assert_status(201);
    let discharged = case
        .send(
            "discharge_notice",
            &[&net.home_care, &other_town],
            "2026-03-23T09:00:00Z",
        )
        .await;
    let liability = &discharged.assert_status(201)["liability"];
    assert_eq!(
        liability["paying_municipality"], "0682",
        "she lives in Nässjö"
    );
    assert_eq!(liability["days"], json!(["2026-03-21", "2026-03-22"]));
    assert_eq!(liability["amount_sek"], 18_000);
    assert_eq!(
        liability["conditions_missing"],
        json!(["ready_for_discharge"])
    );
}

#[actix_web::test]
async fn without_an_admission_notice_to_her_municipality_it_is_not_liable_and_the_case_says_why() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let case = LiabilityCase::esther(&app, &net).await;
    case.ready_for_planning(&net.primary_care).await;
    case.send(
        "admission_notice",
        &[&net.primary_care],
        "2026-03-09T10:00:00Z",
    )
    .await
    .assert_status(201);
    case.send(
        "planning_call",
        &[&net.home_care, &net.primary_care],
        "2026-03-09T12:00:00Z",
    )
    .await
    .assert_status(201);
    case.send(
        "ready_for_discharge",
        &[&net.home_care],
        "2026-03-10T09:00:00Z",
    )
    .await
    .assert_status(201);
    let discharged = case
        .send(
            "discharge_notice",
            &[&net.home_care],
            "2026-03-16T09:00:00Z",
        )
        .await;
    let liability = &discharged.assert_status(201)["liability"];
    assert_eq!(
        (
            liability["liable_days"].as_u64(),
            liability["amount_sek"].as_u64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(liability["conditions_missing"], json!(["admission_notice"]));
}

#[actix_web::test]
async fn a_primary_care_centre_may_not_act_as_the_ward() {
    let j = admitted().await;
    let (app, net) = (&j.app, &j.net);
    // Primary care is in her care team: it may see her record, and write notes in the ward's
    // case, but not open one or send for the ward.
    let primary_care = j.primary_care_joins().await;
    let refused = app
        .post(
            &format!("/api/v1/persons/{}/coordination-cases", id(&j.person)),
            &primary_care,
            &json!({ "admitted_at": "2026-10-22T08:00:00Z" }),
        )
        .await;
    refused.assert_problem(403);
    let detail = refused.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("inpatient") && detail.contains("primary_care_centre"),
        "{detail}"
    );
    let notice = j
        .send(
            &primary_care,
            "admission_notice",
            &[&net.home_care],
            "2026-10-22T10:00:00Z",
        )
        .await;
    notice.assert_problem(403);
    assert!(
        notice.body["detail"]
            .as_str()
            .unwrap()
            .contains("admitting ward"),
        "{}",
        notice.text
    );
    j.send(
        &primary_care,
        "coordination_note",
        &[],
        "2026-10-22T10:00:00Z",
    )
    .await
    .assert_status(201);
}

#[actix_web::test]
async fn a_psychiatric_outpatient_unit_may_hold_the_fast_vardkontakt_in_psychiatric_care() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let outpatient = app
        .create_care_unit(
            &net.region,
            "Psykiatriska öppenvårdsmottagningen Nässjö",
            "psychiatry",
            "0682",
            "SE2321000057-E0005",
        )
        .await;
    for (care_kind, personal_number, expected) in [
        ("psychiatric", "19121212-1212".to_owned(), 201),
        ("somatic", tests::personnummer("19450301", "123"), 422),
    ] {
        let case = LiabilityCase::open(
            &app,
            &net,
            &personal_number,
            care_kind,
            "2026-03-09T08:00:00Z",
        )
        .await;
        case.ready_for_planning(&outpatient).await;
        case.send(
            "admission_notice",
            &[&net.home_care],
            "2026-03-09T10:00:00Z",
        )
        .await
        .assert_status(201);
        let call = case
            .send(
                "planning_call",
                &[&net.home_care, &outpatient],
                "2026-03-09T12:00:00Z",
            )
            .await;
        assert_eq!(call.status, expected, "{care_kind}: {}", call.text);
        if expected == 422 {
            assert_eq!(call.body["errors"][0]["field"], "fast_vardkontakt");
        }
    }
}

/// The README's worked examples through HTTP: the first liable day (somatic, 3 days) for a
/// receipt on Tuesday 10 March 2026 at 10:00, on Friday 13 March at 18:30 and on Saturday
/// 28 March (the day before the clocks go forward) at 17:00, Stockholm time.
#[actix_web::test]
async fn both_counting_conventions_give_the_readmes_worked_examples() {
    use domain::discharge::{AgreementSettings, CountingConvention, NoticeClockStart};
    let receipts = [
        ("19450301", "2026-03-10T09:00:00Z"),
        ("19450302", "2026-03-13T17:30:00Z"),
        ("19450303", "2026-03-28T16:00:00Z"),
    ];
    let settings = [
        (
            TestApp::test_agreement(),
            ["2026-03-13", "2026-03-16", "2026-03-31"],
            false,
        ),
        (
            AgreementSettings {
                counting: CountingConvention::WholeDaysAfter,
                receipt_cutoff_hour: Some(16),
                notice_clock_start: NoticeClockStart::PhysicianAssessment,
                ..TestApp::test_agreement()
            },
            ["2026-03-14", "2026-03-18", "2026-04-02"],
            true,
        ),
    ];
    for (agreement, first_days, provisional) in settings {
        let app = TestApp::spawn_with_agreement(agreement).await;
        let net = network(&app).await;
        for ((birth, received), first_day) in receipts.iter().zip(first_days) {
            let personal_number = tests::personnummer(birth, "123");
            let case = LiabilityCase::open(
                &app,
                &net,
                &personal_number,
                "somatic",
                "2026-03-09T08:00:00Z",
            )
            .await;
            let both = [&net.home_care, &net.primary_care];
            let discharged = case
                .journey(
                    &net,
                    &both,
                    &[&net.home_care],
                    received,
                    Some("2026-04-10T09:00:00Z"),
                )
                .await;
            assert_eq!(
                liable_days(&discharged).first(),
                Some(&first_day),
                "received {received}"
            );
            assert_eq!(discharged["notice_deadline_provisional"], provisional);
        }
    }
}

#[actix_web::test]
async fn a_recorded_decision_names_another_paying_municipality_with_its_reason() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let other_town = jonkoping_home_care(&app).await;
    let case = LiabilityCase::esther(&app, &net).await;
    let all = [&net.home_care, &other_town, &net.primary_care];
    let ready = case
        .journey(
            &net,
            &all,
            &[&other_town],
            "2026-03-10T09:00:00Z",
            Some("2026-03-16T09:00:00Z"),
        )
        .await;
    assert_eq!(ready["liability"]["paying_municipality"], "0682");
    assert_eq!(
        ready["liability"]["days"],
        json!([]),
        "Nässjö received nothing"
    );
    assert!(ready["paying_decision"].is_null());
    let path = format!("{}/paying-municipality", case.path);
    let body =
        json!({ "municipality": "0680", "reason": "Bor sedan mars hos sin dotter i Jönköping" });
    let version = format!("\"{}\"", ready["version"]);
    let put = |token: String, if_match: Option<String>, body: Value| {
        let app = &app;
        let path = path.clone();
        async move {
            let headers: Vec<(&str, &str)> = if_match
                .as_deref()
                .map(|tag| ("if-match", tag))
                .into_iter()
                .collect();
            app.request(
                actix_web::http::Method::PUT,
                &path,
                Some(&token),
                &headers,
                Some(&body),
            )
            .await
        }
    };
    let coordinator = app.staff_token("coordinator", &net.ward);
    put(coordinator.clone(), None, body.clone())
        .await
        .assert_problem(428);
    put(coordinator.clone(), Some("\"999\"".into()), body.clone())
        .await
        .assert_problem(412);
    put(case.ward.clone(), Some(version.clone()), body.clone())
        .await
        .assert_problem(403);
    put(
        app.staff_token("coordinator", &net.unrelated),
        Some(version.clone()),
        body.clone(),
    )
    .await
    .assert_problem(404);
    let bad = put(
        coordinator.clone(),
        Some(version.clone()),
        json!({ "municipality": "0999", "reason": " " }),
    )
    .await;
    bad.assert_problem(422);
    assert_eq!(bad.body["errors"].as_array().unwrap().len(), 2);
    let decided = put(coordinator.clone(), Some(version), body).await;
    let decided = decided.assert_status(200).clone();
    assert_eq!(decided["liability"]["paying_municipality"], "0680");
    assert_eq!(decided["paying_decision"]["municipality"], "0680");
    assert_eq!(
        decided["paying_decision"]["decided_by"],
        "coordinator@Medicinavdelning 2, Höglandssjukhuset"
    );
    // Jönköping received the notice, the planning call and ready for discharge: it pays from
    // Friday 13 March (receipt on Tuesday counts as day 1 of 3) until the discharge.
    assert_eq!(
        decided["liability"]["days"],
        json!(["2026-03-13", "2026-03-14", "2026-03-15"])
    );
    let read = app.get(&case.path, &coordinator).await;
    assert_eq!(
        read.assert_status(200)["paying_decision"]["reason"],
        "Bor sedan mars hos sin dotter i Jönköping"
    );
    let etag = read.header("etag").unwrap_or_default();
    assert!(
        etag.starts_with(&format!("\"{}.", read.body["version"])),
        "the case's ETag is its version and the body's digest: {etag}"
    );
    let log = app
        .get(
            &format!(
                "/api/v1/audit-events?action=decide-payer&person={}",
                id(&case.person)
            ),
            &app.token("admin"),
        )
        .await;
    assert_eq!(
        log.assert_status(200)["items"].as_array().unwrap().len(),
        4,
        "every attempt that reached her record"
    );
}

/// One inpatient stay at a time: a second case while one of hers is open is 409 (it would
/// count a second notice deadline and a second liability); after discharge a new stay opens.
#[actix_web::test]
async fn a_second_case_cannot_be_opened_while_one_is_open() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let case = LiabilityCase::esther(&app, &net).await;
    let open = |admitted_at: &'static str| {
        let app = &app;
        let path = format!("/api/v1/persons/{}/coordination-cases", id(&case.person));
        let ward = case.ward.clone();
        async move {
            app.post(
                &path,
                &ward,
                &json!({ "admitted_at": admitted_at, "care_kind": "somatic" }),
            )
            .await
        }
    };
    let second = open("2026-03-08T08:00:00Z").await;
    second.assert_problem(409);
    assert!(
        second.text.contains("open coordination case"),
        "{}",
        second.text
    );
    let open_case = case.path.rsplit('/').next().unwrap_or_default();
    assert_eq!(second.body["case_id"], open_case, "{}", second.text);
    case.journey(
        &net,
        &[&net.home_care, &net.primary_care],
        &[&net.home_care],
        "2026-03-10T09:00:00Z",
        Some("2026-03-16T09:00:00Z"),
    )
    .await;
    open("2026-04-01T08:00:00Z").await.assert_status(201);
}
