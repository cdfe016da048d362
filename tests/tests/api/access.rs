//! Who may see what of Esther's record, as a matrix over roles, units and endpoints, and the
//! access log that proves it.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::{TestApp, TestResponse};

use crate::record_support::{Network, id, network, register};

/// Every personal-data operation on one person, with a valid body.
fn person_endpoints(person_id: &str, unit_id: &str) -> Vec<(Method, String, Option<Value>)> {
    let base = format!("/api/v1/persons/{person_id}");
    let some_id = uuid::Uuid::now_v7();
    vec![
        (Method::GET, base.clone(), None),
        (
            Method::PATCH,
            base.clone(),
            Some(json!({ "what_matters_to_me": "x" })),
        ),
        (
            Method::POST,
            format!("{base}/statements"),
            Some(json!({ "kind": "need", "text": "x" })),
        ),
        (
            Method::POST,
            format!("{base}/contacts"),
            Some(json!({ "name": "Anna", "relation": "dotter" })),
        ),
        (Method::GET, format!("{base}/consents"), None),
        (
            Method::POST,
            format!("{base}/consents"),
            Some(json!({ "scope": "information_sharing", "status": "given" })),
        ),
        (Method::GET, format!("{base}/blocks"), None),
        (
            Method::POST,
            format!("{base}/blocks"),
            Some(json!({ "care_unit_id": unit_id })),
        ),
        (Method::POST, format!("{base}/blocks/{some_id}/lift"), None),
        (Method::GET, format!("{base}/care-relationships"), None),
        (
            Method::POST,
            format!("{base}/care-relationships"),
            Some(json!({ "care_unit_id": unit_id, "role": "other" })),
        ),
        (
            Method::POST,
            format!("{base}/care-relationships/{some_id}/end"),
            None,
        ),
        (Method::GET, format!("{base}/access-log"), None),
        (Method::GET, format!("{base}/identity-changes"), None),
        (Method::GET, format!("{base}/care-plans"), None),
        (
            Method::POST,
            format!("{base}/care-plans"),
            Some(json!({
                "needs": "x", "goals": "x", "overall_responsible_organization_id": some_id,
                "actions": [{ "intervention": "x", "responsible_organization_id": some_id }],
                "participants": { "care_units": [unit_id] }, "follow_up_date": "2026-12-01",
            })),
        ),
    ]
}

async fn call(
    app: &TestApp,
    token: &str,
    method: &Method,
    path: &str,
    body: Option<&Value>,
) -> TestResponse {
    let if_match = [("if-match", "*")];
    let headers: &[(&str, &str)] = if *method == Method::PATCH {
        &if_match
    } else {
        &[]
    };
    app.request(method.clone(), path, Some(token), headers, body)
        .await
}

async fn audit_count(app: &TestApp, person_id: &str) -> usize {
    let mut connection = persistence::DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    let id = uuid::Uuid::parse_str(person_id).unwrap();
    usize::try_from(persistence::audit::count_for_person(&mut connection, id).unwrap()).unwrap()
}

#[actix_web::test]
async fn a_unit_without_a_relationship_gets_404_on_every_person_endpoint() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    let outsider = app.staff_token("clinician", &net.unrelated);
    let admin_elsewhere = app.staff_token("admin", &net.unrelated);
    for token in [&outsider, &admin_elsewhere] {
        for (person_id, label) in [(id(&person), "registered"), (unknown.clone(), "unknown")] {
            for (method, path, body) in
                person_endpoints(&person_id, net.ward["id"].as_str().unwrap())
            {
                let response = call(&app, token, &method, &path, body.as_ref()).await;
                if path.ends_with("/access-log") && token == &admin_elsewhere {
                    // Admins review every log; an unknown person is still a 404.
                    assert_eq!(
                        response.status,
                        if label == "registered" { 200 } else { 404 },
                        "{method} {path}"
                    );
                    continue;
                }
                assert_eq!(
                    response.status, 404,
                    "{label}: {method} {path}: {}",
                    response.text
                );
                assert!(
                    response.body["detail"]
                        .as_str()
                        .unwrap()
                        .contains("may see")
                        || path.ends_with("access-log")
                );
            }
        }
    }
    // Nothing was written by the refused requests.
    let record = app
        .get(
            &format!("/api/v1/persons/{}", id(&person)),
            &app.staff_token("clinician", &net.ward),
        )
        .await;
    assert_eq!(
        (
            record.body["statements"].as_array().unwrap().len(),
            record.body["version"].as_i64()
        ),
        (0, Some(1))
    );
}

#[actix_web::test]
async fn roles_without_personal_data_access_get_403() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    for role in ["analyst", "coach"] {
        let token = app.staff_token(role, &net.ward);
        for (method, path, body) in person_endpoints(&id(&person), net.ward["id"].as_str().unwrap())
        {
            call(&app, &token, &method, &path, body.as_ref())
                .await
                .assert_problem(403);
        }
        app.post(
            "/api/v1/persons/search",
            &token,
            &json!({ "name": "esther" }),
        )
        .await
        .assert_problem(403);
    }
}

#[actix_web::test]
async fn integrations_see_the_persons_their_organization_cares_for() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let mut region_integration = app.claims("integration");
    region_integration["org"] = net.region["id"].clone();
    app.get(&path, &app.sign(&region_integration))
        .await
        .assert_status(200);
    let mut municipal_integration = app.claims("integration");
    municipal_integration["org"] = net.home_care["organization_id"].clone();
    app.get(&path, &app.sign(&municipal_integration))
        .await
        .assert_problem(404);
}

#[actix_web::test]
async fn esther_sees_her_own_record_and_nobody_elses() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let esther = register(
        &app,
        &net.ward,
        "19121212-1212",
        json!({ "protected_identity": true, "address": "Storgatan 1, Nässjö" }),
    )
    .await;
    let other = register(
        &app,
        &net.ward,
        &tests::personnummer("19400101", "123"),
        json!({}),
    )
    .await;
    let token = app.person_token(&id(&esther));
    let own = app
        .get(&format!("/api/v1/persons/{}", id(&esther)), &token)
        .await;
    assert_eq!(
        own.assert_status(200)["contact"]["address"],
        "Storgatan 1, Nässjö",
        "her own address"
    );
    app.get(&format!("/api/v1/persons/{}/consents", id(&esther)), &token)
        .await
        .assert_status(200);
    app.get(
        &format!("/api/v1/persons/{}/care-relationships", id(&esther)),
        &token,
    )
    .await
    .assert_status(200);
    app.get(
        &format!("/api/v1/persons/{}/access-log", id(&esther)),
        &token,
    )
    .await
    .assert_status(200);
    for (method, path, body) in person_endpoints(&id(&other), net.ward["id"].as_str().unwrap()) {
        call(&app, &token, &method, &path, body.as_ref())
            .await
            .assert_problem(404);
    }
    // The other person's extract tells her that someone's own token was refused at her
    // record, not whose: a token subject may identify a private person. Staff and her own
    // requests keep their users; an admin reviewing access sees every one.
    let path = format!("/api/v1/persons/{}/access-log?limit=200", id(&other));
    let users = |page: &Value| -> Vec<(Value, String)> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["subject"].clone(),
                    e["outcome"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let own_view = users(
        app.get(&path, &app.person_token(&id(&other)))
            .await
            .assert_status(200),
    );
    let esthers = format!("person-{}", id(&esther));
    let refused = own_view
        .iter()
        .filter(|(subject, outcome)| subject.is_null() && outcome == "denied")
        .count();
    assert_eq!(
        refused,
        person_endpoints(&id(&other), "x").len(),
        "{own_view:?}"
    );
    assert!(
        own_view.iter().all(|(s, _)| s != &json!(esthers)),
        "{own_view:?}"
    );
    let others = format!("person-{}", id(&other));
    assert_eq!(own_view.last().unwrap().0, json!(others), "her own read");
    let registered_by = &own_view[0].0;
    assert!(
        registered_by
            .as_str()
            .is_some_and(|s| s.starts_with("clinician@")),
        "the ward's registration: {registered_by}"
    );
    let admin_view = users(app.get(&path, &app.token("admin")).await.assert_status(200));
    assert_eq!(
        admin_view
            .iter()
            .filter(|(s, _)| s == &json!(esthers))
            .count(),
        refused
    );
    assert!(admin_view.iter().all(|(s, _)| s.is_string()));

    // Starting care relationships is for staff.
    let start = json!({ "care_unit_id": net.home_care["id"], "role": "home_care_contact" });
    app.post(
        &format!("/api/v1/persons/{}/care-relationships", id(&esther)),
        &token,
        &start,
    )
    .await
    .assert_problem(403);
}

/// Her record with an entry from the ward (region) and one from home care (municipality).
async fn record_across_organizations(app: &TestApp, net: &Network) -> Value {
    let person = register(app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    let relationship = json!({ "care_unit_id": net.home_care["id"], "role": "home_care_contact" });
    app.post(&format!("{path}/care-relationships"), &ward, &relationship)
        .await
        .assert_status(201);
    app.post(
        &format!("{path}/statements"),
        &ward,
        &json!({ "kind": "need", "text": "ward note" }),
    )
    .await
    .assert_status(201);
    let home = app.staff_token("coordinator", &net.home_care);
    app.post(
        &format!("{path}/statements"),
        &home,
        &json!({ "kind": "resource", "text": "home care note" }),
    )
    .await
    .assert_status(201);
    person
}

fn statement_texts(response: &TestResponse) -> Vec<String> {
    response.body["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn other_organizations_entries_need_consent_and_a_withdrawal_cuts_them_at_once() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = record_across_organizations(&app, &net).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    let primary_care = app.staff_token("clinician", &net.primary_care);
    app.post(
        &format!("{path}/care-relationships"),
        &ward,
        &json!({ "care_unit_id": net.primary_care["id"], "role": "fast_vardkontakt" }),
    )
    .await
    .assert_status(201);

    assert_eq!(
        statement_texts(&app.get(&path, &ward).await),
        ["ward note"],
        "no consent: the municipality's entry is hidden"
    );
    assert_eq!(
        statement_texts(&app.get(&path, &primary_care).await),
        ["ward note"],
        "same organization as the ward"
    );

    let consent = json!({ "scope": "information_sharing", "status": "given" });
    app.post(
        &format!("{path}/consents"),
        &app.person_token(&id(&person)),
        &consent,
    )
    .await
    .assert_status(201);
    assert_eq!(
        statement_texts(&app.get(&path, &ward).await),
        ["ward note", "home care note"]
    );
    let home = app.staff_token("coordinator", &net.home_care);
    assert_eq!(
        statement_texts(&app.get(&path, &home).await),
        ["ward note", "home care note"]
    );

    let withdrawal = json!({ "scope": "information_sharing", "status": "withdrawn" });
    app.post(&format!("{path}/consents"), &ward, &withdrawal)
        .await
        .assert_status(201);
    assert_eq!(
        statement_texts(&app.get(&path, &ward).await),
        ["ward note"],
        "withdrawn: cut at once"
    );
    assert_eq!(
        statement_texts(&app.get(&path, &home).await),
        ["home care note"]
    );

    let history = app.get(&format!("{path}/consents"), &ward).await;
    let items = history.body["items"].as_array().unwrap().clone();
    let statuses: Vec<(&str, bool)> = items
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap(),
                c["in_force"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [("given", false), ("withdrawn", false)],
        "history kept; a withdrawal grants nothing"
    );
}

#[actix_web::test]
async fn a_block_hides_exactly_the_blocked_units_entries() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = record_across_organizations(&app, &net).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let esther = app.person_token(&id(&person));
    app.post(
        &format!("{path}/consents"),
        &esther,
        &json!({ "scope": "information_sharing", "status": "given" }),
    )
    .await
    .assert_status(201);
    let ward = app.staff_token("clinician", &net.ward);
    let home = app.staff_token("coordinator", &net.home_care);
    assert_eq!(
        statement_texts(&app.get(&path, &ward).await),
        ["ward note", "home care note"]
    );
    // Home care records her decision on relatives taking part.
    let relatives = json!({ "scope": "relatives_participation", "status": "given" });
    app.post(&format!("{path}/consents"), &home, &relatives)
        .await
        .assert_status(201);
    let recorders = async |token: &str| {
        let listed = app.get(&format!("{path}/consents"), token).await;
        listed.assert_status(200)["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| c["recorded_by"]["unit_id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        recorders(&ward).await,
        [Value::Null, net.home_care["id"].clone()]
    );

    let block = app
        .post(
            &format!("{path}/blocks"),
            &esther,
            &json!({ "care_unit_id": net.home_care["id"], "reason": "Vill inte dela" }),
        )
        .await;
    let block = block.assert_status(201).clone();
    // One block in force per unit: a second would keep home care hidden after this one is
    // lifted (a new user's review found both accepted).
    let again = json!({ "care_unit_id": net.home_care["id"] });
    app.post(&format!("{path}/blocks"), &esther, &again)
        .await
        .assert_problem(409);
    // Nor when asked for at the same time: one of them is blocked, the others 409 (the
    // database's index; an attack review stored five in force on PostgreSQL).
    let ward_block = json!({ "care_unit_id": net.primary_care["id"] });
    let blocks_path = format!("{path}/blocks");
    let attempts = (0..6).map(|_| app.post(&blocks_path, &esther, &ward_block));
    let mut statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status)
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409]);
    assert_eq!(
        statement_texts(&app.get(&path, &ward).await),
        ["ward note"],
        "home care's entry hidden from the ward"
    );
    assert_eq!(
        statement_texts(&app.get(&path, &home).await),
        ["ward note", "home care note"],
        "the blocked unit still sees its own"
    );
    assert_eq!(
        statement_texts(&app.get(&path, &esther).await),
        ["ward note", "home care note"],
        "she sees everything"
    );
    // Her decision stays listed for the ward, but not who at home care recorded it.
    let listed = app.get(&format!("{path}/consents"), &ward).await;
    assert_eq!(
        listed.assert_status(200)["items"][1]["recorded_by"],
        Value::Null
    );
    assert_eq!(listed.body["items"][1]["scope"], "relatives_participation");
    assert_eq!(recorders(&home).await[1], net.home_care["id"]);

    let lift = format!("{path}/blocks/{}/lift", id(&block));
    let lifted = app.post(&lift, &esther, &json!({})).await;
    assert_eq!(
        lifted.assert_status(200)["lifted_by"],
        format!("person-{}", id(&person))
    );
    app.post(&lift, &esther, &json!({}))
        .await
        .assert_problem(409);
    assert_eq!(
        statement_texts(&app.get(&path, &ward).await),
        ["ward note", "home care note"]
    );
    app.get(&format!("{path}/blocks"), &ward)
        .await
        .assert_problem(403);
    let blocks = app.get(&format!("{path}/blocks"), &esther).await;
    assert_eq!(
        blocks.body["items"][0]["active"], false,
        "the lifted block stays in the history"
    );
}

#[actix_web::test]
async fn ending_a_relationship_ends_the_units_access() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    let started = app
        .post(
            &format!("{path}/care-relationships"),
            &ward,
            &json!({ "care_unit_id": net.primary_care["id"], "role": "fast_vardkontakt" }),
        )
        .await;
    let started = started.assert_status(201).clone();
    app.post(
        &format!("{path}/care-relationships"),
        &ward,
        &json!({ "care_unit_id": net.primary_care["id"], "role": "fast_vardkontakt" }),
    )
    .await
    .assert_problem(409);
    let primary_care = app.staff_token("clinician", &net.primary_care);
    app.get(&path, &primary_care).await.assert_status(200);
    let end = format!("{path}/care-relationships/{}/end", id(&started));
    assert_eq!(
        app.post(&end, &ward, &json!({})).await.assert_status(200)["active"],
        false
    );
    app.get(&path, &primary_care).await.assert_problem(404);
    app.post(&end, &ward, &json!({})).await.assert_problem(409);
}

#[actix_web::test]
async fn emergency_access_is_explicit_read_only_flagged_and_followed_up() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(
        &app,
        &net.ward,
        "19121212-1212",
        json!({ "protected_identity": true, "address": "Hemlig väg 2" }),
    )
    .await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let doctor = app.staff_token("clinician", &net.unrelated);
    app.get(&path, &doctor).await.assert_problem(404);

    let request = json!({ "personal_number": "19121212-1212", "reason": "Medvetslös på akuten" });
    app.post(
        "/api/v1/emergency-access",
        &app.staff_token("coordinator", &net.unrelated),
        &request,
    )
    .await
    .assert_problem(403);
    app.post(
        "/api/v1/emergency-access",
        &doctor,
        &json!({ "personal_number": "19121212-1212", "reason": " " }),
    )
    .await
    .assert_problem(422);
    let unknown =
        json!({ "personal_number": tests::personnummer("19500101", "123"), "reason": "x" });
    app.post("/api/v1/emergency-access", &doctor, &unknown)
        .await
        .assert_problem(404);
    let granted = app
        .post("/api/v1/emergency-access", &doctor, &request)
        .await;
    let granted = granted.assert_status(201).clone();
    assert_eq!(granted["person_id"], person["id"]);

    let read = app.get(&path, &doctor).await;
    assert_eq!(read.assert_status(200)["access_purpose"], "emergency");
    assert!(
        read.body.get("contact").is_none(),
        "emergency access does not lift protected identity"
    );
    let write = app
        .post(
            &format!("{path}/statements"),
            &doctor,
            &json!({ "kind": "need", "text": "x" }),
        )
        .await;
    write.assert_problem(403);
    // Another clinician at the same unit has no access through it.
    let mut colleague = app.claims("clinician");
    colleague["sub"] = json!("colleague");
    colleague["unit"] = net.unrelated["id"].clone();
    app.get(&path, &app.sign(&colleague))
        .await
        .assert_problem(404);

    let follow_up = app
        .get(
            "/api/v1/audit-events?emergency_only=true",
            &app.token("admin"),
        )
        .await;
    let events = follow_up.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    let actions: Vec<(&str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("emergency-access", "denied"),
            ("emergency-access", "allowed"),
            ("read", "allowed"),
            ("create", "denied")
        ]
    );
    assert!(events.iter().all(|e| e["purpose"] == "emergency"));
    app.get("/api/v1/audit-events", &doctor)
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn protected_identity_never_leaks_through_any_endpoint() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let secrets = [
        "Hemliga gatan 7",
        "070-111 22 33",
        "esther@example.se",
        "Anna Hemlig",
        "073-999 88 77",
    ];
    let extra = json!({ "protected_identity": true, "address": secrets[0], "phone": secrets[1], "email": secrets[2] });
    let person = register(&app, &net.ward, "19121212-1212", extra).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    app.post(
        &format!("{path}/contacts"),
        &app.staff_token("admin", &net.ward),
        &json!({ "name": secrets[3], "relation": "dotter", "phone": secrets[4] }),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("{path}/consents"),
        &ward,
        &json!({ "scope": "information_sharing", "status": "given" }),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("{path}/care-relationships"),
        &ward,
        &json!({ "care_unit_id": net.home_care["id"], "role": "home_care_contact" }),
    )
    .await
    .assert_status(201);

    let mut integration = app.claims("integration");
    integration["org"] = net.region["id"].clone();
    let viewers = [
        ward.clone(),
        app.staff_token("coordinator", &net.home_care),
        app.sign(&integration),
    ];
    for token in &viewers {
        let mut responses = vec![
            app.get(&path, token).await,
            app.patch(
                &path,
                token,
                Some("*"),
                &json!({ "what_matters_to_me": "Trädgården" }),
            )
            .await,
            app.get(&format!("{path}/consents"), token).await,
            app.get(&format!("{path}/care-relationships"), token).await,
            app.get(&format!("{path}/timeline"), token).await,
            app.post(
                "/api/v1/persons/search",
                token,
                &json!({ "personal_number": "19121212-1212" }),
            )
            .await,
            app.post(
                &format!("{path}/statements"),
                token,
                &json!({ "kind": "need", "text": "x" }),
            )
            .await,
        ];
        if token == &ward {
            responses.push(
                app.post(
                    "/api/v1/persons/search",
                    token,
                    &json!({ "name": "esther" }),
                )
                .await,
            );
            responses.push(app.post("/api/v1/persons", token, &json!({ "personal_number": "19121212-1212", "given_name": "E", "family_name": "A" })).await);
        }
        for response in responses {
            assert!(response.status < 300, "{}", response.text);
            for secret in secrets {
                assert!(
                    !response.text.contains(secret),
                    "`{secret}` leaked: {}",
                    response.text
                );
            }
        }
        assert_eq!(
            app.get(&path, token).await.body["contact_details_withheld"],
            true
        );
    }
    let admin = app.get(&path, &app.staff_token("admin", &net.ward)).await;
    assert_eq!(
        admin.assert_status(200)["contact"]["address"],
        secrets[0],
        "admins see it"
    );
    assert_eq!(admin.body["related_contacts"][0]["phone"], secrets[4]);
}

#[actix_web::test]
async fn every_personal_data_request_leaves_exactly_one_access_log_event() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let person_id = id(&person);
    let ward = app.staff_token("clinician", &net.ward);
    let outsider = app.staff_token("clinician", &net.unrelated);
    let esther = app.person_token(&person_id);
    let mut requests = 1; // the registration
    let endpoints = person_endpoints(&person_id, net.home_care["id"].as_str().unwrap());
    // Each endpoint, and the search below (an outsider finds nobody, and that is logged).
    let refusable = endpoints.len() + 1;
    for (method, path, body) in endpoints {
        for token in [&ward, &outsider, &esther] {
            call(&app, token, &method, &path, body.as_ref()).await;
            requests += 1;
        }
    }
    app.post(
        "/api/v1/persons/search",
        &ward,
        &json!({ "personal_number": "19121212-1212" }),
    )
    .await
    .assert_status(200);
    app.post(
        "/api/v1/persons/search",
        &outsider,
        &json!({ "personal_number": "19121212-1212" }),
    )
    .await
    .assert_status(200);
    requests += 2;
    assert_eq!(audit_count(&app, &person_id).await, requests);

    let extract = app
        .get(
            &format!("/api/v1/persons/{person_id}/access-log?limit=200"),
            &esther,
        )
        .await;
    let events = extract.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        events.len(),
        requests + 1,
        "all of them, and this read of the extract itself"
    );
    let last = events.last().unwrap();
    assert_eq!(
        (last["action"].as_str(), last["resource"].as_str()),
        (Some("read"), Some("access-log"))
    );
    let outcomes = |subject_prefix: &str, outcome: &str| {
        events
            .iter()
            .filter(|e| {
                e["subject"].as_str().unwrap().starts_with(subject_prefix)
                    && e["outcome"] == outcome
            })
            .count()
    };
    assert_eq!(outcomes("clinician@Ortopedavdelning", "allowed"), 0);
    assert_eq!(
        outcomes("clinician@Ortopedavdelning", "denied"),
        refusable,
        "every refused request is logged"
    );
    assert!(events.iter().all(|e| e["person_id"] == person["id"]));

    let by_user = app.get("/api/v1/audit-events?user=clinician%40Ortopedavdelning%2C%20V%C3%A4rnamo%20sjukhus&limit=200", &app.token("admin")).await;
    assert_eq!(
        by_user.assert_status(200)["items"]
            .as_array()
            .unwrap()
            .len(),
        refusable
    );
    let by_unit = format!(
        "/api/v1/audit-events?unit={}&person={person_id}&limit=200",
        net.ward["id"].as_str().unwrap()
    );
    assert!(
        !app.get(&by_unit, &app.token("admin")).await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let future = "/api/v1/audit-events?from=2199-01-01T00:00:00Z";
    assert_eq!(
        app.get(future, &app.token("admin")).await.body["items"],
        json!([])
    );
}

#[actix_web::test]
async fn more_concurrent_reads_than_pooled_connections_are_all_answered_and_logged() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    // The test pool has 4 connections; every read waits for its log event to commit.
    let reads: Vec<_> = (0..24).map(|_| app.get(&path, &ward)).collect();
    for response in futures_util::future::join_all(reads).await {
        response.assert_status(200);
    }
    assert_eq!(audit_count(&app, &id(&person)).await, 1 + 24);
}

/// The server keeps records it has read, but checks each against the database on every read:
/// a change written elsewhere (another replica, an import, by hand) counts at the next read.
#[actix_web::test]
async fn a_change_written_outside_this_server_counts_at_the_next_read() {
    use domain::record::{CareRelationship, RelationshipRole};
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let outsider = app.staff_token("clinician", &net.unrelated);
    let ward = app.staff_token("clinician", &net.ward);
    app.get(&path, &outsider).await.assert_problem(404);
    app.get(&path, &ward).await.assert_status(200);

    let mut elsewhere = persistence::DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    let uuid = |value: &Value| uuid::Uuid::parse_str(value.as_str().unwrap()).unwrap();
    let relationship = CareRelationship {
        id: uuid::Uuid::now_v7(),
        person_id: uuid(&person["id"]),
        care_unit_id: uuid(&net.unrelated["id"]),
        organization_id: uuid(&net.unrelated["organization_id"]),
        staff_id: None,
        role: RelationshipRole::Other,
        started_by: "another replica".into(),
        started_by_unit: None,
        started_at: persistence::now(),
        ended_by: None,
        ended_by_unit: None,
        ended_at: None,
    };
    persistence::relationships::insert(&mut elsewhere, &relationship).unwrap();
    app.get(&path, &outsider).await.assert_status(200);
    let ended = relationship.ended(
        domain::record::Actor::without_unit("another replica"),
        persistence::now(),
    );
    persistence::relationships::end(&mut elsewhere, &ended).unwrap();
    app.get(&path, &outsider).await.assert_problem(404);

    let stored = persistence::persons::find_by_id(&mut elsewhere, uuid(&person["id"]))
        .unwrap()
        .unwrap();
    let renamed = domain::record::Person {
        what_matters_to_me: Some(domain::record::FreeText::parse("Trädgården").unwrap()),
        ..stored
    };
    persistence::persons::update(&mut elsewhere, &renamed).unwrap();
    let read = app.get(&path, &ward).await;
    assert_eq!(read.assert_status(200)["what_matters_to_me"], "Trädgården");

    // By hand, past every rule of the API: a part deleted, the person's row changed without
    // moving its version. Each counts at the next read all the same.
    use diesel::connection::SimpleConnection;
    let again = CareRelationship {
        id: uuid::Uuid::now_v7(),
        ..relationship
    };
    persistence::relationships::insert(&mut elsewhere, &again).unwrap();
    app.get(&path, &outsider).await.assert_status(200);
    elsewhere
        .batch_execute(&format!(
            "DELETE FROM care_relationships WHERE id = '{}'",
            again.id
        ))
        .unwrap();
    app.get(&path, &outsider).await.assert_problem(404);
    elsewhere
        .batch_execute(&format!(
            "UPDATE persons SET what_matters_to_me = 'Hunden' WHERE id = '{}'",
            person["id"].as_str().unwrap()
        ))
        .unwrap();
    let read = app.get(&path, &ward).await;
    assert_eq!(read.assert_status(200)["what_matters_to_me"], "Hunden");
}

#[actix_web::test]
async fn an_integrations_entries_need_consent_like_any_other_organizations() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    app.post(
        &format!("{path}/care-relationships"),
        &ward,
        &json!({ "care_unit_id": net.home_care["id"], "role": "home_care_contact" }),
    )
    .await
    .assert_status(201);
    let mut integration = app.claims("integration");
    integration["org"] = net.home_care["organization_id"].clone();
    let municipal_ehr = app.sign(&integration);
    app.post(
        &format!("{path}/statements"),
        &municipal_ehr,
        &json!({ "kind": "need", "text": "from the municipal EHR" }),
    )
    .await
    .assert_status(201);
    let texts = |record: &serde_json::Value| -> Vec<String> {
        record["statements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        texts(&app.get(&path, &ward).await.body).is_empty(),
        "no consent: hidden from the region"
    );
    assert_eq!(
        texts(
            &app.get(&path, &app.staff_token("coordinator", &net.home_care))
                .await
                .body
        ),
        ["from the municipal EHR"]
    );
}

#[actix_web::test]
async fn a_blocked_unit_is_hidden_and_blocks_are_hers_to_list_and_lift() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    let esther = app.person_token(&id(&person));
    app.post(
        &format!("{path}/care-relationships"),
        &ward,
        &json!({ "care_unit_id": net.home_care["id"], "role": "home_care_contact" }),
    )
    .await
    .assert_status(201);
    let block = app
        .post(
            &format!("{path}/blocks"),
            &esther,
            &json!({ "care_unit_id": net.home_care["id"], "reason": "privat" }),
        )
        .await;
    let block = block.assert_status(201).clone();
    let units = |response: &tests::TestResponse, field: &str| -> Vec<String> {
        response.body[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["care_unit_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let ward_view = app.get(&path, &ward).await;
    assert_eq!(
        units(&ward_view, "care_relationships"),
        [net.ward["id"].as_str().unwrap()],
        "the blocked unit is not shown"
    );
    assert!(!ward_view.text.contains("privat"));
    let listed = app.get(&format!("{path}/care-relationships"), &ward).await;
    assert_eq!(units(&listed, "items").len(), 1);
    assert_eq!(
        units(&app.get(&path, &esther).await, "care_relationships").len(),
        2,
        "she sees her whole team"
    );
    let lift = format!("{path}/blocks/{}/lift", id(&block));
    app.post(&lift, &ward, &json!({})).await.assert_problem(403);
    app.post(&lift, &app.staff_token("admin", &net.ward), &json!({}))
        .await
        .assert_status(200);
}

/// Health data is never stored by a browser or proxy, and never sniffed as another type:
/// `Cache-Control: no-store` and `X-Content-Type-Options: nosniff` on every response, her
/// record, a refusal and a problem included.
#[actix_web::test]
async fn no_response_is_stored_or_sniffed() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let responses = [
        app.get(&path, &app.staff_token("clinician", &net.ward))
            .await,
        app.get(&path, &app.staff_token("clinician", &net.unrelated))
            .await,
        app.get("/api/v1/care-units", &app.token("admin")).await,
        app.get("/api/v1/care-units", "not-a-token").await,
        app.get("/health/live", "").await,
        // Refused by the middleware before any handler: a NUL, a query string where none
        // is taken, a body that is not an object.
        app.get("/api/v1/care-units?name=%00", &app.token("admin"))
            .await,
        app.get(&format!("{path}?x=1"), &app.token("admin")).await,
        app.post(
            "/api/v1/care-units",
            &app.token("admin"),
            &json!({ "name": "\u{0}" }),
        )
        .await,
    ];
    for response in responses {
        assert_eq!(
            response.header("cache-control").as_deref(),
            Some("no-store"),
            "{}",
            response.status
        );
        assert_eq!(
            response.header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{}",
            response.status
        );
    }
}

/// A unit that changes care provider (its organization in the directory) takes its care
/// relationships in force along: its staff then see the ward's entries only under her
/// consent, as any other organization's staff, and her record is reached by the new
/// organization's integration, no longer the old one's (an attack review found the
/// relationships kept the old organization).
#[actix_web::test]
async fn a_unit_moved_to_another_organization_takes_its_relationships_along() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let private = app
        .create_organization(
            "Läkarhuset AB",
            "private_provider",
            "SE5566778899-0001",
            None,
        )
        .await;
    let person = register(&app, &net.primary_care, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    register(&app, &net.ward, "19121212-1212", json!({})).await;
    app.post(
        &format!("{path}/statements"),
        &ward,
        &json!({ "kind": "need", "text": "Avdelningens anteckning" }),
    )
    .await
    .assert_status(201);
    let statements = |record: &Value| record["statements"].as_array().map_or(0, Vec::len);
    let nurse = app.staff_token("clinician", &net.primary_care);
    let before = app.get(&path, &nurse).await;
    assert_eq!(
        statements(before.assert_status(200)),
        1,
        "same organization"
    );
    // The ward ends its relationship: of the region, only the vårdcentral cares for her.
    let relationships = app.get(&format!("{path}/care-relationships"), &ward).await;
    let ward_relationship = relationships.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["care_unit_id"] == net.ward["id"])
        .map(id)
        .unwrap_or_default();
    app.post(
        &format!("{path}/care-relationships/{ward_relationship}/end"),
        &ward,
        &json!({}),
    )
    .await
    .assert_status(200);

    let unit_path = format!("/api/v1/care-units/{}", id(&net.primary_care));
    let admin = app.token("admin");
    let read = app.get(&unit_path, &admin).await;
    let etag = read.header("etag").unwrap_or_default();
    let moved = app
        .patch(
            &unit_path,
            &admin,
            Some(&etag),
            &json!({ "organization_id": private["id"] }),
        )
        .await;
    let moved = moved.assert_status(200).clone();
    let nurse = app.staff_token("clinician", &moved);
    let after = app.get(&path, &nurse).await;
    assert_eq!(statements(after.assert_status(200)), 0, "{}", after.text);
    let integration = |organization: &Value| {
        let mut claims = app.claims("integration");
        claims["org"] = organization["id"].clone();
        app.sign(&claims)
    };
    app.get(&path, &integration(&net.region))
        .await
        .assert_problem(404);
    app.get(&path, &integration(&private))
        .await
        .assert_status(200);
}
