//! Identity numbers over HTTP (issue 14): samordningsnummer with an incomplete birth date,
//! reservnummer for a patient not identified yet, and the change of identity number that
//! keeps her one record.

use serde_json::{Value, json};
use tests::{TestApp, TestResponse, personnummer};

use crate::record_support::{Network, id, network, register};

/// A reservnummer in the default pattern (eight digits, then four characters with a letter).
const RESERVE: &str = "20261130-R123";
const RESERVE_STORED: &str = "20261130R123";

/// Asserts a problem with `status` and returns its whole body (detail and field errors).
#[track_caller]
fn problem(response: &TestResponse, status: u16) -> String {
    response.assert_problem(status);
    response.text.clone()
}

/// The earlier and the new number of a change, with their kinds, as an identity change and
/// an `identity_changed` event show them.
fn numbers(change: &Value) -> [Option<&str>; 4] {
    [
        "previous_personal_number",
        "previous_personal_number_kind",
        "personal_number",
        "personal_number_kind",
    ]
    .map(|field| change[field].as_str())
}

/// [`numbers`] of the change from [`RESERVE`] to her personnummer 19121212-1212.
const IDENTIFIED: [Option<&str>; 4] = [
    Some(RESERVE_STORED),
    Some("reservnummer"),
    Some("191212121212"),
    Some("personnummer"),
];

fn changes_path(person: &str) -> String {
    format!("/api/v1/persons/{person}/identity-changes")
}

async fn search(app: &TestApp, token: &str, number: &str) -> Vec<Value> {
    app.post(
        "/api/v1/persons/search",
        token,
        &json!({ "personal_number": number }),
    )
    .await
    .assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[actix_web::test]
async fn a_samordningsnummer_with_an_incomplete_birth_date_says_what_is_known() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    // Day 60: the day is unknown (0 + 60); October 1970.
    let unknown_day = personnummer("19701060", "239");
    let her = register(&app, &net.ward, &unknown_day, json!({})).await;
    assert_eq!(her["personal_number_kind"], "samordningsnummer");
    assert_eq!(her["personal_number"], unknown_day.replace('-', ""));
    assert_eq!(her["birth_date"], Value::Null, "no day is invented");
    assert_eq!(her["birth_date_precision"], "month");
    assert_eq!(
        (her["birth_year"].as_i64(), her["birth_month"].as_i64()),
        (Some(1970), Some(10))
    );
    // Month 00 and day 60: the year only.
    let year_only = personnummer("19700060", "241");
    let him = register(
        &app,
        &net.ward,
        &year_only,
        json!({ "given_name": "Okänd" }),
    )
    .await;
    assert_eq!(him["birth_date_precision"], "year");
    assert_eq!(
        (him["birth_year"].as_i64(), him["birth_month"].clone()),
        (Some(1970), Value::Null)
    );
    // A complete date is shown as before, with its precision.
    let esther = register(&app, &net.ward, "19121212-1212", json!({})).await;
    assert_eq!(
        (
            esther["birth_date"].as_str(),
            esther["birth_date_precision"].as_str()
        ),
        (Some("1912-12-12"), Some("day"))
    );
    // The check digit is still required.
    let token = app.staff_token("clinician", &net.ward);
    let wrong = format!(
        "{}{}",
        &unknown_day[..12],
        (unknown_day[12..].parse::<u8>().unwrap() + 1) % 10
    );
    let refused = app
        .post(
            "/api/v1/persons",
            &token,
            &json!({ "personal_number": wrong, "given_name": "A", "family_name": "B" }),
        )
        .await;
    assert!(problem(&refused, 422).contains("personal_number"));
    // Her 10-digit form finds the same record; the search shows what is known.
    let found = search(&app, &token, &unknown_day[2..]).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], her["id"]);
    assert_eq!(found[0]["birth_date_precision"], "month");
    assert_eq!(found[0]["personal_number_kind"], "samordningsnummer");
}

/// Her record, a discharge case and a plan, all under a reservnummer.
async fn unidentified(app: &TestApp, net: &Network) -> Value {
    let her = register(
        app,
        &net.ward,
        RESERVE,
        json!({ "given_name": "Okänd", "family_name": "Kvinna" }),
    )
    .await;
    assert_eq!(her["personal_number_kind"], "reservnummer");
    assert_eq!(her["personal_number"], RESERVE_STORED);
    for field in [
        "birth_date",
        "birth_date_precision",
        "birth_year",
        "birth_month",
    ] {
        assert_eq!(
            her[field],
            Value::Null,
            "{field}: a reservnummer tells no birth date"
        );
    }
    her
}

#[actix_web::test]
async fn an_unidentified_patient_gets_a_record_a_case_and_a_plan_under_a_reserve_number() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let her = unidentified(&app, &net).await;
    let person = id(&her);
    // The same reservnummer in another spelling registers the same record at other units.
    for unit in [&net.primary_care, &net.home_care] {
        let again = app
            .post(
                "/api/v1/persons",
                &app.staff_token("coordinator", unit),
                &json!({ "personal_number": "20261130r123", "given_name": "X", "family_name": "Y" }),
            )
            .await;
        assert_eq!(again.assert_status(200)["id"], her["id"], "no duplicate");
    }
    let ward = app.staff_token("clinician", &net.ward);
    app.post(
        &format!("/api/v1/persons/{person}/coordination-cases"),
        &ward,
        &json!({ "admitted_at": "2026-10-22T08:00:00Z" }),
    )
    .await
    .assert_status(201);
    let primary_care = app.staff_token("clinician", &net.primary_care);
    app.post(
        &format!("/api/v1/persons/{person}/consents"),
        &primary_care,
        &json!({ "scope": "coordinated_planning", "status": "given" }),
    )
    .await
    .assert_status(201);
    let home_care_org = net.home_care["organization_id"].clone();
    let plan = json!({
        "needs": "Stöd med personlig omvårdnad efter utskrivning",
        "goals": "Komma hem",
        "overall_responsible_organization_id": home_care_org,
        "actions": [{ "intervention": "Hemtjänst morgon och kväll", "responsible_organization_id": home_care_org }],
        "participants": { "care_units": [net.primary_care["id"], net.home_care["id"]], "person": false },
        "follow_up_date": "2026-12-15",
    });
    app.post(
        &format!("/api/v1/persons/{person}/care-plans"),
        &primary_care,
        &plan,
    )
    .await
    .assert_status(201);
    // Searchable by the reservnummer.
    let found = search(&app, &ward, RESERVE).await;
    assert_eq!(
        (found.len(), found[0]["personal_number_kind"].as_str()),
        (1, Some("reservnummer"))
    );
    // Text outside the pattern is neither a personnummer nor a reservnummer.
    for bad in ["20261130-R12", "20261130-1234", "R123"] {
        let refused = app
            .post(
                "/api/v1/persons",
                &ward,
                &json!({ "personal_number": bad, "given_name": "A", "family_name": "B" }),
            )
            .await;
        assert!(problem(&refused, 422).contains("personal_number"), "{bad}");
    }
}

#[actix_web::test]
async fn her_personnummer_becoming_known_keeps_one_record_and_the_old_number_finds_her() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let her = unidentified(&app, &net).await;
    let person = id(&her);
    let ward = app.staff_token("clinician", &net.ward);
    let case = app
        .post(
            &format!("/api/v1/persons/{person}/coordination-cases"),
            &ward,
            &json!({ "admitted_at": "2026-10-22T08:00:00Z" }),
        )
        .await
        .assert_status(201)
        .clone();
    // A read under the reservnummer, logged before the change.
    app.get(&format!("/api/v1/persons/{person}"), &ward)
        .await
        .assert_status(200);

    let coordinator = app.staff_token("coordinator", &net.ward);
    let changed = app
        .post(
            &changes_path(&person),
            &coordinator,
            &json!({ "personal_number": "19121212-1212", "reason": "Identifierad med pass" }),
        )
        .await;
    assert_eq!(changed.header("location"), Some(changes_path(&person)));
    let change = changed.assert_status(201).clone();
    assert_eq!(numbers(&change), IDENTIFIED);
    assert_eq!(change["person_id"].as_str(), Some(person.as_str()));

    // The same record, under her personnummer, with her birth date.
    let now = app.get(&format!("/api/v1/persons/{person}"), &ward).await;
    let now = now.assert_status(200);
    assert_eq!(
        (
            now["personal_number"].as_str(),
            now["personal_number_kind"].as_str(),
            now["birth_date"].as_str()
        ),
        (
            Some("191212121212"),
            Some("personnummer"),
            Some("1912-12-12")
        )
    );
    assert_eq!(now["care_relationships"].as_array().unwrap().len(), 1);
    // Her case is still hers.
    let case_now = app
        .get(&format!("/api/v1/coordination-cases/{}", id(&case)), &ward)
        .await;
    assert_eq!(case_now.assert_status(200)["person_id"], her["id"]);
    // Both numbers find her, and only her.
    for number in [RESERVE, "19121212-1212", "121212+1212"] {
        let found = search(&app, &ward, number).await;
        assert_eq!(found.len(), 1, "{number}");
        assert_eq!(found[0]["id"], her["id"], "{number}");
        assert_eq!(found[0]["personal_number"], "191212121212", "{number}");
    }
    // Registering by the old number finds her: no second record.
    let again = app
        .post(
            "/api/v1/persons",
            &app.staff_token("coordinator", &net.home_care),
            &json!({ "personal_number": RESERVE, "given_name": "X", "family_name": "Y" }),
        )
        .await;
    assert_eq!(again.assert_status(200)["id"], her["id"]);
    // The import too: her old number is the existing record.
    let line =
        json!({ "personal_number": RESERVE, "given_name": "X", "family_name": "Y" }).to_string();
    let imported = app
        .send(
            actix_web::http::Method::POST,
            "/api/v1/persons/imports",
            Some(&app.staff_token("clinician", &net.primary_care)),
            &[("content-type", "application/x-ndjson")],
            Some(format!("{line}\n").into_bytes()),
        )
        .await;
    let imported = imported.assert_status(200)["persons"][0].clone();
    assert_eq!(
        (imported["id"].clone(), imported["outcome"].as_str()),
        (her["id"].clone(), Some("existing"))
    );
    let admin = app.staff_token("admin", &net.ward);
    // Her history shows the old number.
    let history = app.get(&changes_path(&person), &ward).await;
    let items = history.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["previous_personal_number"], RESERVE_STORED);
    assert_eq!(items[0]["reason"], "Identifierad med pass");
    // The access log keeps the events under both numbers on her one record, the change too.
    let log = app
        .get(&format!("/api/v1/persons/{person}/access-log"), &admin)
        .await;
    let actions: Vec<(String, String)> = log.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["resource"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("register", "person"),
        ("read", "person"),
        ("change-identity", "person"),
        ("register-existing", "person"),
        ("read", "identity-changes"),
    ] {
        assert!(
            actions
                .iter()
                .any(|(a, r)| (a.as_str(), r.as_str()) == expected),
            "{expected:?} in {actions:?}"
        );
    }
}

#[actix_web::test]
async fn an_identity_change_is_for_admins_and_coordinators_with_a_reason_and_refuses_another_records_number()
 {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let her = unidentified(&app, &net).await;
    let person = id(&her);
    let other = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = changes_path(&person);
    let coordinator = app.staff_token("coordinator", &net.ward);
    let body = json!({ "personal_number": "19410708-6995", "reason": "Personnummer känt" });

    // Roles: clinicians and others may not (403).
    for role in ["clinician", "integration"] {
        app.post(&path, &app.staff_token(role, &net.ward), &body)
            .await
            .assert_problem(403);
    }
    // A coordinator who may not see her gets 404, whatever the body.
    let stranger = app.staff_token("coordinator", &net.unrelated);
    for attempt in [
        body.clone(),
        json!({ "personal_number": "x", "reason": "" }),
    ] {
        app.post(&path, &stranger, &attempt)
            .await
            .assert_problem(404);
    }
    // A reason is required; a bad number is named; her own number changes nothing; another
    // record's number is 409, not naming that record (the caller may have no access to it).
    // Nothing is written by any of them.
    for (number, reason, status, named) in [
        ("19410708-6995", " ", 422, "reason".to_owned()),
        ("19410708-6996", "x", 422, "personal_number".to_owned()),
        (RESERVE, "x", 422, "personal_number".to_owned()),
        (
            "121212+1212",
            "Samma person?",
            409,
            "another registered person".to_owned(),
        ),
    ] {
        let refused = app
            .post(
                &path,
                &coordinator,
                &json!({ "personal_number": number, "reason": reason }),
            )
            .await;
        let detail = problem(&refused, status);
        assert!(detail.contains(&named), "{number}");
        assert!(
            !detail.contains(&id(&other)),
            "{number}: names the other record"
        );
    }
    let unchanged = app
        .get(&format!("/api/v1/persons/{person}"), &coordinator)
        .await;
    assert_eq!(
        unchanged.assert_status(200)["personal_number"],
        RESERVE_STORED
    );
    let history = app.get(&path, &coordinator).await;
    assert_eq!(history.assert_status(200)["items"], json!([]));

    // An admin may; a second change keeps both earlier numbers findable.
    let admin = app.staff_token("admin", &net.ward);
    app.post(&path, &admin, &body).await.assert_status(201);
    app.post(
        &path,
        &coordinator,
        &json!({ "personal_number": personnummer("19410708", "701"), "reason": "Nytt personnummer från Skatteverket" }),
    )
    .await
    .assert_status(201);
    for number in [RESERVE, "19410708-6995"] {
        let found = search(&app, &coordinator, number).await;
        assert_eq!(
            (found.len(), found[0]["id"].clone()),
            (1, her["id"].clone()),
            "{number}"
        );
    }
    // An earlier number of hers is no longer free for another record: 409, without naming her
    // record (the caller may have no access to it).
    let other_path = changes_path(&id(&other));
    let refused = app
        .post(
            &other_path,
            &coordinator,
            &json!({ "personal_number": RESERVE, "reason": "x" }),
        )
        .await;
    let detail = problem(&refused, 409);
    assert!(detail.contains("another registered person") && !detail.contains(&person));
    let items = app.get(&path, &coordinator).await;
    assert_eq!(
        items.assert_status(200)["items"].as_array().unwrap().len(),
        2
    );
}

/// The `identity_changed` events of her timeline as `token` reads it.
async fn identity_events(app: &TestApp, token: &str, person: &str) -> Vec<Value> {
    let timeline = app
        .get(
            &format!("/api/v1/persons/{person}/timeline?limit=200"),
            token,
        )
        .await;
    let items = timeline.assert_status(200)["items"].as_array().unwrap();
    assert_eq!(
        items.last().map(|e| e["kind"].clone()),
        Some(json!("identity_changed")),
        "the change, made last, comes last: {items:?}"
    );
    items
        .iter()
        .filter(|e| e["kind"] == "identity_changed")
        .cloned()
        .collect()
}

#[actix_web::test]
async fn an_identity_change_stands_in_her_timeline_as_the_part_of_the_unit_that_made_it() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let address = "Hemliga gatan 7";
    let her = register(
        &app,
        &net.ward,
        RESERVE,
        json!({ "given_name": "Okänd", "family_name": "Kvinna", "protected_identity": true, "address": address }),
    )
    .await;
    let person = id(&her);
    // Home care cares for her too.
    register(&app, &net.home_care, RESERVE, json!({})).await;
    let coordinator = app.staff_token("coordinator", &net.ward);
    let change = app
        .post(
            &changes_path(&person),
            &coordinator,
            &json!({ "personal_number": "19121212-1212", "reason": "Identifierad med pass" }),
        )
        .await
        .assert_status(201)
        .clone();

    // Home care sees the change: when, who, at which unit, her new number. Protected identity
    // withholds her contact details and the number she had before (the link between the two
    // is what a new number under threat is meant to undo): her record shows her number now.
    let home_care = app.staff_token("clinician", &net.home_care);
    let seen = identity_events(&app, &home_care, &person).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let event = &seen[0];
    let coordinator_subject = format!("coordinator@{}", net.ward["name"].as_str().unwrap());
    assert_eq!(
        (
            &event["id"],
            &event["at"],
            &event["unit_id"],
            event["changed_by"].as_str(),
        ),
        (
            &change["id"],
            &change["changed_at"],
            &net.ward["id"],
            Some(coordinator_subject.as_str()),
        )
    );
    assert_eq!(
        numbers(event),
        [None, None, Some("191212121212"), Some("personnummer")]
    );
    let staff_history = app.get(&changes_path(&person), &home_care).await;
    let staff_history = &staff_history.assert_status(200)["items"][0];
    assert_eq!(
        numbers(staff_history),
        [None, None, Some("191212121212"), Some("personnummer")]
    );
    // She sees the number she had before, in her timeline and her history.
    let own = app.person_token(&person);
    assert_eq!(
        numbers(&identity_events(&app, &own, &person).await[0]),
        IDENTIFIED
    );
    let history = app.get(&changes_path(&person), &own).await;
    assert_eq!(numbers(&history.assert_status(200)["items"][0]), IDENTIFIED);
    let record = app
        .get(&format!("/api/v1/persons/{person}"), &home_care)
        .await;
    let record = record.assert_status(200);
    assert_eq!(
        (
            record["contact_details_withheld"].as_bool(),
            record["personal_number"].as_str()
        ),
        (Some(true), Some("191212121212"))
    );
    let timeline = app
        .get(&format!("/api/v1/persons/{person}/timeline"), &home_care)
        .await;
    assert!(!timeline.text.contains(address), "{}", timeline.text);

    // She blocks the ward: the change is the ward's part of her record, so home care no
    // longer sees it in her timeline; she and the ward do. Her history keeps it.
    let esther = app.person_token(&person);
    app.post(
        &format!("/api/v1/persons/{person}/blocks"),
        &esther,
        &json!({ "care_unit_id": net.ward["id"] }),
    )
    .await
    .assert_status(201);
    let home_view = app
        .get(&format!("/api/v1/persons/{person}/timeline"), &home_care)
        .await;
    let home_view = home_view.assert_status(200)["items"].as_array().unwrap();
    assert!(
        home_view.iter().all(|e| e["kind"] != "identity_changed"),
        "{home_view:?}"
    );
    for token in [&esther, &app.staff_token("clinician", &net.ward)] {
        let seen = identity_events(&app, token, &person).await;
        assert_eq!((seen.len(), &seen[0]["id"]), (1, &change["id"]), "{seen:?}");
    }
    let history = app.get(&changes_path(&person), &esther).await;
    assert_eq!(history.assert_status(200)["items"][0]["id"], change["id"]);
    // In her history home care still finds the change, but not who at the blocked ward made
    // it; the ward sees its own.
    let home_history = app.get(&changes_path(&person), &home_care).await;
    let home_history = &home_history.assert_status(200)["items"][0];
    assert_eq!(
        (&home_history["id"], home_history.get("changed_by")),
        (&change["id"], None)
    );
    let ward_history = app
        .get(
            &changes_path(&person),
            &app.staff_token("clinician", &net.ward),
        )
        .await;
    assert_eq!(
        ward_history.assert_status(200)["items"][0]["changed_by"]["unit_id"],
        net.ward["id"]
    );
}

/// Under protected identity staff see no number she had before, however many changes: after
/// two changes the first change's new number is an earlier number too, so it is left out of
/// her history and her timeline; her number now is shown.
#[actix_web::test]
async fn under_protected_identity_no_earlier_number_is_shown_through_a_chain_of_changes() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let her = register(
        &app,
        &net.ward,
        RESERVE,
        json!({ "given_name": "Okänd", "family_name": "Kvinna", "protected_identity": true }),
    )
    .await;
    let person = id(&her);
    let coordinator = app.staff_token("coordinator", &net.ward);
    for (number, reason) in [
        ("19121212-1212", "Identifierad med pass"),
        ("19410708-6995", "Nytt personnummer"),
    ] {
        app.post(
            &changes_path(&person),
            &coordinator,
            &json!({ "personal_number": number, "reason": reason }),
        )
        .await
        .assert_status(201);
    }
    let clinician = app.staff_token("clinician", &net.ward);
    let shown = |changes: &[Value]| -> Vec<[Option<String>; 4]> {
        changes
            .iter()
            .map(|c| numbers(c).map(|n| n.map(str::to_owned)))
            .collect()
    };
    let now = [
        None,
        None,
        Some("194107086995".to_owned()),
        Some("personnummer".to_owned()),
    ];
    let history = app.get(&changes_path(&person), &clinician).await;
    let history = history.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(shown(&history), [[None, None, None, None], now.clone()]);
    let events = identity_events(&app, &clinician, &person).await;
    assert_eq!(shown(&events), [[None, None, None, None], now]);
    assert!(
        !history
            .iter()
            .chain(&events)
            .any(|c| c.to_string().contains("191212121212")),
        "the number she had between the changes is not shown"
    );
    // She sees her whole history.
    let own = app.person_token(&person);
    let history = app.get(&changes_path(&person), &own).await;
    let history = history.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(history[0]["personal_number"], "191212121212");
    assert_eq!(history[1]["previous_personal_number"], "191212121212");
}
