//! A network meeting's participants over HTTP: invitations of staff, units, organizations and
//! patient or relative representatives; answers by organizers and by the staff member herself
//! (her token's HSA-id claim); attendance once held, and whether Esther was at the table.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::TestApp;

use crate::meetings::ids;
use crate::record_support::network;

const STAFF_HSA: &str = "SE2321000057-1003";

async fn meeting(app: &TestApp, starts_at: &str, ends_at: &str) -> String {
    let body = json!({
        "kind": "esther_cafe",
        "title": "ESTHER-café i Eksjö",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "host_municipality": "0686",
    });
    app.post("/api/v1/meetings", &app.token("coordinator"), &body)
        .await
        .assert_status(201)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn staff_member(app: &TestApp, unit: &Value, hsa_id: &str) -> Value {
    let body = json!({ "name": "Karin Nurse", "profession": "registered_nurse", "care_unit_id": unit["id"], "hsa_id": hsa_id });
    app.post("/api/v1/staff", &app.token("admin"), &body)
        .await
        .assert_status(201)
        .clone()
}

fn representative(name: &str, role: &str, consent: bool) -> Value {
    json!({ "representative": { "name": name, "role": role, "consent_to_be_named": consent } })
}

/// A token for `role` carrying `hsa_id` in the default HSA-id claim.
fn token_with_hsa(app: &TestApp, role: &str, hsa_id: &str) -> String {
    let mut claims = app.claims(role);
    claims["sub"] = json!(format!("{role}-{hsa_id}"));
    claims["hsa_id"] = json!(hsa_id);
    app.sign(&claims)
}

fn participants(id: &str) -> String {
    format!("/api/v1/meetings/{id}/participants")
}

async fn listed(app: &TestApp, id: &str) -> Vec<Value> {
    app.get(&participants(id), &app.token("clinician"))
        .await
        .assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn answer(
    app: &TestApp,
    token: &str,
    participant: &str,
    response: &str,
) -> tests::TestResponse {
    app.post(
        &format!("{participant}/response"),
        token,
        &json!({ "response": response }),
    )
    .await
}

async fn attend(app: &TestApp, participant: &str, attendance: &str) -> tests::TestResponse {
    app.post(
        &format!("{participant}/attendance"),
        &app.token("coordinator"),
        &json!({ "attendance": attendance }),
    )
    .await
}

#[actix_web::test]
async fn each_kind_is_invited_once_and_listed_in_invitation_order() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let staff = staff_member(&app, &net.home_care, STAFF_HSA).await;
    let id = meeting(&app, "2099-12-01T12:00:00Z", "2099-12-01T15:00:00Z").await;
    let token = app.token("coach");
    let path = participants(&id);
    let invitations = [
        json!({ "staff_id": staff["id"] }),
        json!({ "care_unit_id": net.primary_care["id"] }),
        json!({ "organization_id": net.region["id"] }),
        representative("Anna Andersson", "relative_representative", true),
        representative("Sven Svensson", "patient_representative", false),
    ];
    let mut made = Vec::new();
    for body in &invitations {
        let invited = app.post(&path, &token, body).await;
        let participant = invited.assert_status(201).clone();
        assert_eq!(participant["response"], "invited");
        assert!(participant["attendance"].is_null());
        assert_eq!(invited.header("etag").as_deref(), Some("\"1\""));
        let location = invited.header("location").unwrap();
        let read = app.get(&location, &app.token("integration")).await;
        assert_eq!(read.assert_status(200)["id"], participant["id"]);
        made.push(participant);
    }
    assert_eq!(made[0]["kind"], "staff");
    assert_eq!(made[0]["staff_id"], staff["id"]);
    assert_eq!(made[1]["kind"], "care_unit");
    assert_eq!(made[2]["kind"], "organization");
    assert_eq!(made[3]["representative"]["name"], "Anna Andersson");
    assert_eq!(made[3]["representative"]["name_withheld"], false);
    // Without consent to be named, her name is shown to nobody, not even in the answer to
    // the organizer who invited her.
    assert_eq!(made[4]["representative"]["name"], "patient representative");
    assert_eq!(made[4]["representative"]["name_withheld"], true);
    let all = listed(&app, &id).await;
    let ids: Vec<&Value> = all.iter().map(|p| &p["id"]).collect();
    let expected: Vec<&Value> = made.iter().map(|p| &p["id"]).collect();
    assert_eq!(ids, expected, "invitation order");
    assert!(!all.iter().any(|p| p.to_string().contains("Sven")));
    // Pages.
    let first = app.get(&format!("{path}?limit=2"), &token).await;
    let next = first.assert_status(200)["next"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app
        .get(&format!("{path}?limit=2&cursor={next}"), &token)
        .await;
    assert_eq!(second.assert_status(200)["items"][0]["id"], made[2]["id"]);
    let other = meeting(&app, "2099-12-02T12:00:00Z", "2099-12-02T15:00:00Z").await;
    app.get(
        &format!("{}?limit=2&cursor={next}", participants(&other)),
        &token,
    )
    .await
    .assert_problem(400);
    // The same staff member, unit or organization twice: 409; a representative may be two.
    for body in &invitations[..3] {
        app.post(&path, &token, body).await.assert_problem(409);
    }
    app.post(&path, &token, &invitations[3])
        .await
        .assert_status(201);
    // The same unit at another meeting is another invitation.
    app.post(&participants(&other), &token, &invitations[1])
        .await
        .assert_status(201);
    assert_eq!(listed(&app, &id).await.len(), 6);
}

#[actix_web::test]
async fn bad_invitations_name_the_field_and_write_nothing() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let admin = app.token("admin");
    let id = meeting(&app, "2099-12-01T12:00:00Z", "2099-12-01T15:00:00Z").await;
    let path = participants(&id);
    let token = app.token("coordinator");
    let unknown = uuid::Uuid::now_v7();
    for (body, field) in [
        (json!({ "staff_id": unknown }), "staff_id"),
        (json!({ "care_unit_id": unknown }), "care_unit_id"),
        (json!({ "organization_id": unknown }), "organization_id"),
        (json!({}), "staff_id"),
        (
            json!({ "care_unit_id": net.ward["id"], "organization_id": net.region["id"] }),
            "organization_id",
        ),
        (
            representative(" ", "relative_representative", true),
            "representative.name",
        ),
        (
            representative("Anna", "neighbour", true),
            "representative.role",
        ),
        (
            json!({ "representative": { "role": "patient_representative", "consent_to_be_named": true } }),
            "representative.name",
        ),
    ] {
        let refused = app.post(&path, &token, &body).await;
        refused.assert_problem(422);
        assert_eq!(refused.body["errors"][0]["field"], field, "{body}");
    }
    // An inactive unit is refused by name.
    let unit = format!(
        "/api/v1/care-units/{}",
        net.unrelated["id"].as_str().unwrap()
    );
    app.patch(&unit, &admin, Some("\"1\""), &json!({ "active": false }))
        .await
        .assert_status(200);
    let inactive = app
        .post(
            &path,
            &token,
            &json!({ "care_unit_id": net.unrelated["id"] }),
        )
        .await;
    inactive.assert_problem(422);
    assert_eq!(inactive.body["errors"][0]["field"], "care_unit_id");
    // No personnummer, nor any other field, is taken.
    let mut with_number = representative("Anna", "patient_representative", true);
    with_number["representative"]["personnummer"] = json!("19121212-1212");
    app.post(&path, &token, &with_number)
        .await
        .assert_problem(400);
    // A person only to a case conference about her.
    let person = app
        .post(&path, &token, &json!({ "person_id": unknown }))
        .await;
    person.assert_problem(422);
    assert_eq!(person.body["errors"][0]["field"], "person_id");
    // Not an organizer, no such meeting.
    app.post(
        &path,
        &app.token("clinician"),
        &json!({ "care_unit_id": net.ward["id"] }),
    )
    .await
    .assert_problem(403);
    app.post(
        &participants(&unknown.to_string()),
        &token,
        &json!({ "care_unit_id": net.ward["id"] }),
    )
    .await
    .assert_problem(404);
    app.get(&participants(&unknown.to_string()), &token)
        .await
        .assert_problem(404);
    app.get(&path, &app.token("analyst"))
        .await
        .assert_problem(403);
    // Her own token sees only the case conferences she is invited to.
    app.get(&path, &app.token("person"))
        .await
        .assert_problem(404);
    app.get(&format!("{path}?limit=0"), &token)
        .await
        .assert_problem(400);
    assert!(listed(&app, &id).await.is_empty(), "nothing written");
    // A cancelled meeting takes no new participants.
    app.request(
        Method::POST,
        &format!("/api/v1/meetings/{id}/cancel"),
        Some(&token),
        &[("if-match", "\"1\"")],
        Some(&json!({ "reason": "Storm" })),
    )
    .await
    .assert_status(200);
    app.post(&path, &token, &json!({ "care_unit_id": net.ward["id"] }))
        .await
        .assert_problem(409);
    assert!(listed(&app, &id).await.is_empty());
}

#[actix_web::test]
async fn organizers_answer_for_anyone_and_a_staff_member_for_herself_by_her_hsa_id() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let staff = staff_member(&app, &net.home_care, STAFF_HSA).await;
    let id = meeting(&app, "2099-12-01T12:00:00Z", "2099-12-01T15:00:00Z").await;
    let organizer = app.token("coordinator");
    let invite = |body: Value| {
        let app = &app;
        let organizer = &organizer;
        let path = participants(&id);
        async move {
            let created = app.post(&path, organizer, &body).await;
            created.header("location").unwrap()
        }
    };
    let mine = invite(json!({ "staff_id": staff["id"] })).await;
    let unit = invite(json!({ "care_unit_id": net.ward["id"] })).await;
    // An organizer records anyone's answer.
    let recorded = answer(&app, &organizer, &unit, "tentative").await;
    assert_eq!(recorded.assert_status(200)["response"], "tentative");
    assert_eq!(recorded.header("etag").as_deref(), Some("\"2\""));
    // She answers her own invitation, recognised by her token's HSA-id (any case), without
    // an organizer's role.
    let herself = token_with_hsa(&app, "clinician", &STAFF_HSA.to_lowercase());
    let accepted = answer(&app, &herself, &mine, "accepted").await;
    assert_eq!(accepted.assert_status(200)["response"], "accepted");
    let changed_mind = answer(&app, &herself, &mine, "declined").await;
    assert_eq!(changed_mind.assert_status(200)["response"], "declined");
    // Not someone else's, nor a unit's.
    answer(&app, &herself, &unit, "accepted")
        .await
        .assert_problem(403);
    let colleague = token_with_hsa(&app, "clinician", "SE2321000057-1004");
    answer(&app, &colleague, &mine, "accepted")
        .await
        .assert_problem(403);
    answer(&app, &app.token("clinician"), &mine, "accepted")
        .await
        .assert_problem(403);
    // A claim that is no HSA-id is no identity.
    let mut claims = app.claims("clinician");
    claims["hsa_id"] = json!("nurse-karin");
    answer(&app, &app.sign(&claims), &mine, "accepted")
        .await
        .assert_problem(401);
    // Bad answers name the field; nothing changes.
    for bad in ["invited", "maybe"] {
        let refused = answer(&app, &organizer, &mine, bad).await;
        refused.assert_problem(422);
        assert_eq!(refused.body["errors"][0]["field"], "response");
    }
    app.post(
        &format!("{mine}/response"),
        &organizer,
        &json!({ "response": "accepted", "comment": "gladly" }),
    )
    .await
    .assert_problem(400);
    let read = app.get(&mine, &organizer).await;
    assert_eq!(read.assert_status(200)["response"], "declined");
    answer(
        &app,
        &organizer,
        &format!("{}/{}", participants(&id), uuid::Uuid::now_v7()),
        "accepted",
    )
    .await
    .assert_problem(404);
    // Once cancelled, no more answers.
    app.request(
        Method::POST,
        &format!("/api/v1/meetings/{id}/cancel"),
        Some(&organizer),
        &[("if-match", "\"1\"")],
        Some(&json!({ "reason": "Storm" })),
    )
    .await
    .assert_status(200);
    answer(&app, &herself, &mine, "accepted")
        .await
        .assert_problem(409);
}

#[actix_web::test]
async fn attendance_once_held_decides_whether_esther_was_at_the_table() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let organizer = app.token("coordinator");
    let cafe = meeting(&app, "2026-11-01T12:00:00Z", "2026-11-01T15:00:00Z").await;
    let committee = meeting(&app, "2026-11-02T12:00:00Z", "2026-11-02T15:00:00Z").await;
    let upcoming = meeting(&app, "2099-11-02T12:00:00Z", "2099-11-02T15:00:00Z").await;
    let invite = |meeting: String, body: Value| {
        let app = &app;
        let organizer = &organizer;
        async move {
            let created = app.post(&participants(&meeting), organizer, &body).await;
            created.header("location").unwrap()
        }
    };
    let unit = invite(cafe.clone(), json!({ "care_unit_id": net.ward["id"] })).await;
    let rep = invite(
        cafe.clone(),
        representative("Sven Svensson", "patient_representative", false),
    )
    .await;
    let committee_unit = invite(committee.clone(), json!({ "care_unit_id": net.ward["id"] })).await;
    let meeting_path = |id: &str| format!("/api/v1/meetings/{id}");
    let read = app.get(&meeting_path(&cafe), &organizer).await;
    assert!(
        read.assert_status(200)["esther_present"].is_null(),
        "not held yet"
    );
    // Attendance only for a held meeting.
    attend(&app, &rep, "attended").await.assert_problem(409);
    for id in [&cafe, &committee] {
        let held = app
            .patch(
                &meeting_path(id),
                &organizer,
                Some("\"1\""),
                &json!({ "status": "held" }),
            )
            .await;
        assert_eq!(held.assert_status(200)["esther_present"], false);
    }
    let bad = attend(&app, &rep, "present").await;
    bad.assert_problem(422);
    assert_eq!(bad.body["errors"][0]["field"], "attendance");
    app.post(
        &format!("{rep}/attendance"),
        &app.token("clinician"),
        &json!({ "attendance": "attended" }),
    )
    .await
    .assert_problem(403);
    // Staff attending is not Esther attending.
    assert_eq!(
        attend(&app, &unit, "attended").await.assert_status(200)["attendance"],
        "attended"
    );
    attend(&app, &committee_unit, "attended")
        .await
        .assert_status(200);
    let read = app.get(&meeting_path(&cafe), &organizer).await;
    assert_eq!(read.assert_status(200)["esther_present"], false);
    let etag = read.header("etag");
    // The representative attended: Esther was at the table, and the meeting's ETag moved.
    let rep_there = attend(&app, &rep, "attended").await;
    assert_eq!(rep_there.assert_status(200)["attendance"], "attended");
    assert_eq!(
        rep_there.body["representative"]["name"],
        "patient representative"
    );
    let read = app.get(&meeting_path(&cafe), &organizer).await;
    assert_eq!(read.assert_status(200)["esther_present"], true);
    assert_ne!(read.header("etag"), etag);
    // Answers are over once held.
    answer(&app, &organizer, &rep, "accepted")
        .await
        .assert_problem(409);
    // The filter.
    let present = app
        .get("/api/v1/meetings?esther_present=true", &organizer)
        .await;
    assert_eq!(ids(present.assert_status(200)), std::slice::from_ref(&cafe));
    let absent = app
        .get("/api/v1/meetings?esther_present=false", &organizer)
        .await;
    assert_eq!(
        ids(absent.assert_status(200)),
        std::slice::from_ref(&committee)
    );
    let all = app.get("/api/v1/meetings", &organizer).await;
    assert_eq!(
        ids(all.assert_status(200)),
        [cafe.clone(), committee, upcoming]
    );
    app.get("/api/v1/meetings?esther_present=maybe", &organizer)
        .await
        .assert_problem(400);
    // A correction: she did not come after all.
    attend(&app, &rep, "absent").await.assert_status(200);
    let read = app.get(&meeting_path(&cafe), &organizer).await;
    assert_eq!(read.assert_status(200)["esther_present"], false);
}

/// Her calendar: `?participant=<staff id>` lists the meetings she is invited to, by name or
/// through her unit or its organization, and no others.
#[actix_web::test]
async fn a_staff_members_meetings_are_those_she_is_invited_to_herself_or_through_her_unit() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let staff = staff_member(&app, &net.home_care, STAFF_HSA).await;
    let organizer = app.token("coordinator");
    let by_name = meeting(&app, "2099-12-01T12:00:00Z", "2099-12-01T15:00:00Z").await;
    let by_unit = meeting(&app, "2099-12-02T12:00:00Z", "2099-12-02T15:00:00Z").await;
    let by_organization = meeting(&app, "2099-12-03T12:00:00Z", "2099-12-03T15:00:00Z").await;
    let not_hers = meeting(&app, "2099-12-04T12:00:00Z", "2099-12-04T15:00:00Z").await;
    for (id, body) in [
        (&by_name, json!({ "staff_id": staff["id"] })),
        (&by_unit, json!({ "care_unit_id": net.home_care["id"] })),
        (
            &by_organization,
            json!({ "organization_id": net.home_care["organization_id"] }),
        ),
        (&not_hers, json!({ "care_unit_id": net.ward["id"] })),
    ] {
        app.post(&participants(id), &organizer, &body)
            .await
            .assert_status(201);
    }
    let path = format!(
        "/api/v1/meetings?participant={}",
        staff["id"].as_str().unwrap()
    );
    let hers = app.get(&path, &app.token("clinician")).await;
    assert_eq!(
        ids(hers.assert_status(200)),
        [by_name, by_unit, by_organization]
    );
    let nobody = format!("/api/v1/meetings?participant={}", uuid::Uuid::now_v7());
    assert!(
        ids(app
            .get(&nobody, &app.token("clinician"))
            .await
            .assert_status(200))
        .is_empty()
    );
    app.get(
        "/api/v1/meetings?participant=karin",
        &app.token("clinician"),
    )
    .await
    .assert_problem(400);
}

/// Someone who has left (her staff record deactivated) no longer answers for herself.
#[actix_web::test]
async fn a_deactivated_staff_member_no_longer_answers_her_invitation() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let staff = staff_member(&app, &net.home_care, STAFF_HSA).await;
    let id = meeting(&app, "2099-12-01T12:00:00Z", "2099-12-01T15:00:00Z").await;
    let invited = app
        .post(
            &participants(&id),
            &app.token("coordinator"),
            &json!({ "staff_id": staff["id"] }),
        )
        .await;
    let mine = invited.header("location").unwrap();
    let herself = token_with_hsa(&app, "clinician", STAFF_HSA);
    answer(&app, &herself, &mine, "tentative")
        .await
        .assert_status(200);
    let staff_path = format!("/api/v1/staff/{}", staff["id"].as_str().unwrap());
    app.patch(
        &staff_path,
        &app.token("admin"),
        Some("\"1\""),
        &json!({ "active": false }),
    )
    .await
    .assert_status(200);
    answer(&app, &herself, &mine, "accepted")
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn a_representative_withdraws_her_consent_to_be_named_and_her_name_is_erased() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let id = meeting(&app, "2099-12-01T12:00:00Z", "2099-12-01T15:00:00Z").await;
    let coordinator = app.token("coordinator");
    let invite = async |body: Value| {
        let invited = app.post(&participants(&id), &coordinator, &body).await;
        invited.assert_status(201);
        invited.header("location").unwrap()
    };
    let anna = invite(representative(
        "Anna Andersson",
        "relative_representative",
        true,
    ))
    .await;
    let sven = invite(representative(
        "Sven Svensson",
        "patient_representative",
        false,
    ))
    .await;
    let unit = invite(json!({ "care_unit_id": net.home_care["id"] })).await;
    let named = |name: &str| {
        app.count(&format!(
            "SELECT count(*) FROM meeting_participants WHERE representative_name = '{name}'"
        ))
    };
    assert_eq!(named("Anna Andersson"), 1);
    assert_eq!(named("Sven Svensson"), 0, "not kept without consent");
    assert_eq!(named(""), 1, "a name not kept");
    let withdraw = |participant: &str| format!("{participant}/withdraw-name-consent");
    let as_clinician = app
        .request(
            Method::POST,
            &withdraw(&anna),
            Some(&app.token("clinician")),
            &[],
            None,
        )
        .await;
    as_clinician.assert_problem(403);
    let withdrawn = app
        .request(
            Method::POST,
            &withdraw(&anna),
            Some(&app.token("coach")),
            &[],
            None,
        )
        .await;
    let shown = withdrawn.assert_status(200)["representative"].clone();
    assert_eq!(
        shown,
        json!({ "name": "relative representative", "role": "relative_representative",
                "consent_to_be_named": false, "name_withheld": true })
    );
    assert_eq!(withdrawn.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(named("Anna Andersson"), 0, "her name is erased");
    let read = app.get(&anna, &coordinator).await;
    assert_eq!(read.assert_status(200)["representative"], shown);
    assert!(
        !listed(&app, &id)
            .await
            .iter()
            .any(|p| p.to_string().contains("Anna"))
    );

    // Once more, or for one never named: answered as she is, nothing written.
    for (participant, version) in [(&anna, 2), (&sven, 1)] {
        let again = app
            .request(
                Method::POST,
                &withdraw(participant),
                Some(&coordinator),
                &[],
                None,
            )
            .await;
        assert_eq!(again.assert_status(200)["version"], version);
    }
    // Only a representative consents to be named; a participant must be the meeting's.
    let not_one = app
        .request(
            Method::POST,
            &withdraw(&unit),
            Some(&coordinator),
            &[],
            None,
        )
        .await;
    not_one.assert_problem(409);
    let detail = not_one.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("is not a patient or relative representative"),
        "{detail}"
    );
    let unknown = format!("{}/{}", participants(&id), uuid::Uuid::now_v7());
    app.request(
        Method::POST,
        &withdraw(&unknown),
        Some(&coordinator),
        &[],
        None,
    )
    .await
    .assert_problem(404);

    // A cancelled meeting keeps her name only as long as she consents, too.
    let bea = invite(representative("Bea Berg", "relative_representative", true)).await;
    app.request(
        Method::POST,
        &format!("/api/v1/meetings/{id}/cancel"),
        Some(&coordinator),
        &[("if-match", "\"1\"")],
        Some(&json!({ "reason": "Flyttat till januari" })),
    )
    .await
    .assert_status(200);
    app.request(Method::POST, &withdraw(&bea), Some(&coordinator), &[], None)
        .await
        .assert_status(200);
    assert_eq!(named("Bea Berg"), 0);

    // Without consent her name is not kept, so it need not be sent; one sent is checked as any
    // name (the spec's schema holds for every value sent) and then dropped.
    let other = meeting(&app, "2099-12-02T12:00:00Z", "2099-12-02T15:00:00Z").await;
    for body in [
        json!({ "representative": { "role": "patient_representative", "consent_to_be_named": false } }),
        representative("Per Persson", "patient_representative", false),
    ] {
        let invited = app.post(&participants(&other), &coordinator, &body).await;
        assert_eq!(
            invited.assert_status(201)["representative"],
            json!({ "name": "patient representative", "role": "patient_representative",
                    "consent_to_be_named": false, "name_withheld": true }),
            "{body}"
        );
    }
    assert_eq!(named("Per Persson"), 0);
    let long = format!("Per {}", "x".repeat(200));
    for broken in [
        "Per 191212121212",
        "Per 19121212+1212",
        "   ",
        long.as_str(),
    ] {
        for consent in [false, true] {
            let refused = app
                .post(
                    &participants(&other),
                    &coordinator,
                    &representative(broken, "patient_representative", consent),
                )
                .await;
            refused.assert_problem(422);
            assert_eq!(
                refused.body["errors"][0]["field"], "representative.name",
                "{broken:?}, consent {consent}"
            );
        }
    }
    assert_eq!(named("Per 191212121212"), 0);
    let listed = app.get(&participants(&other), &coordinator).await;
    assert_eq!(
        listed.assert_status(200)["items"].as_array().map(Vec::len),
        Some(2),
        "nothing refused was stored"
    );
}
