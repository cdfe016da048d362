//! The person import (`POST /api/v1/persons/imports`): NDJSON lines applied as registrations
//! in one transaction, all or nothing, one access-log event per person.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::{TestApp, TestResponse, personnummer};

use crate::record_support::{id, network, register};

const IMPORTS: &str = "/api/v1/persons/imports";

async fn import(app: &TestApp, token: &str, body: &str) -> TestResponse {
    app.send(
        Method::POST,
        IMPORTS,
        Some(token),
        &[("content-type", "application/x-ndjson")],
        Some(body.as_bytes().to_vec()),
    )
    .await
}

fn line(number: &str, given_name: &str, extra: Value) -> String {
    let mut registration = json!({ "personal_number": number, "given_name": given_name, "family_name": "Andersson", "municipality": "0682" });
    for (key, value) in extra.as_object().cloned().unwrap_or_default() {
        registration[key] = value;
    }
    registration.to_string()
}

/// The access-log events of `action` at `unit`, as (person id, unit id).
async fn logged(app: &TestApp, action: &str, unit: &Value) -> Vec<String> {
    let events = app
        .get(
            &format!(
                "/api/v1/audit-events?action={action}&unit={}&limit=200",
                id(unit)
            ),
            &app.token("admin"),
        )
        .await;
    events.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["person_id"].as_str().unwrap().to_owned())
        .collect()
}

/// (created, existing, care relationships started) of an import's report.
fn totals(report: &Value) -> (u64, u64, u64) {
    let count = |key: &str| report[key].as_u64().unwrap();
    (
        count("created"),
        count("existing"),
        count("care_relationships_started"),
    )
}

async fn relationships(app: &TestApp, token: &str, person: &Value) -> Vec<Value> {
    let response = app
        .get(
            &format!("/api/v1/persons/{}/care-relationships", id(person)),
            token,
        )
        .await;
    response.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn found_by_number(app: &TestApp, token: &str, number: &str) -> usize {
    let response = app
        .post(
            "/api/v1/persons/search",
            token,
            &json!({ "personal_number": number }),
        )
        .await;
    response.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .len()
}

#[actix_web::test]
async fn an_import_registers_each_line_once_and_logs_each_person() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let arvid_number = personnummer("19410708", "699");
    let arvid = register(&app, &net.home_care, &arvid_number, json!({})).await;
    let nurse = app.staff_token("clinician", &net.primary_care);

    let file = format!(
        "{}\r\n\n{}\r\n{}\n",
        line("19121212-1212", "Esther", json!({})),
        line(&arvid_number, "Arvid", json!({})),
        line(
            &personnummer("19300315", "248"),
            "Greta",
            json!({ "protected_identity": true, "address": "Storgatan 1", "role": "fast_vardkontakt" })
        ),
    );
    let report = import(&app, &nurse, &file).await;
    let report = report.assert_status(200).clone();
    assert_eq!(totals(&report), (2, 1, 3));
    let persons = report["persons"].as_array().unwrap().clone();
    let lines: Vec<_> = persons
        .iter()
        .map(|p| (p["line"].as_u64().unwrap(), p["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, [(1, "created"), (3, "existing"), (4, "created")]);
    assert_eq!(
        persons[1]["id"], arvid["id"],
        "no duplicate of a known number"
    );

    // The importing unit now cares for each of them, in the role the line gave.
    for person in &persons {
        let record = app
            .get(&format!("/api/v1/persons/{}", id(person)), &nurse)
            .await;
        record.assert_status(200);
    }
    let greta = app
        .get(&format!("/api/v1/persons/{}", id(&persons[2])), &nurse)
        .await;
    // Her protected identity holds: the address was stored (an admin sees it) but is
    // withheld from the unit.
    assert_eq!(
        (
            greta.body.get("contact"),
            &greta.body["contact_details_withheld"]
        ),
        (None, &json!(true)),
        "{}",
        greta.text
    );
    let as_admin = app
        .get(
            &format!("/api/v1/persons/{}", id(&persons[2])),
            &app.staff_token("admin", &net.primary_care),
        )
        .await;
    assert_eq!(
        as_admin.assert_status(200)["contact"]["address"],
        "Storgatan 1",
        "{}",
        as_admin.text
    );
    assert_eq!(
        relationships(&app, &nurse, &persons[2]).await[0]["role"],
        "fast_vardkontakt"
    );

    // One event per person: created ones as `register`, the known one for follow-up.
    let mut registered = logged(&app, "register", &net.primary_care).await;
    registered.sort();
    let mut created = vec![id(&persons[0]), id(&persons[2])];
    created.sort();
    assert_eq!(registered, created);
    assert_eq!(
        logged(&app, "register-existing", &net.primary_care).await,
        [id(&arvid)]
    );

    // The same file again: nothing new, no second care relationship; still logged.
    let again = import(&app, &nurse, &file).await;
    assert_eq!(totals(again.assert_status(200)), (0, 3, 0));
    assert_eq!(relationships(&app, &nurse, &persons[0]).await.len(), 1);
    assert_eq!(
        logged(&app, "register-existing", &net.primary_care)
            .await
            .len(),
        4
    );
}

#[actix_web::test]
async fn a_file_with_a_bad_line_imports_nothing() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let nurse = app.staff_token("clinician", &net.primary_care);
    let esther = line("19121212-1212", "Esther", json!({}));
    let file = [
        esther.clone(),
        line("19121212-1213", "Bad check digit", json!({})),
        line(
            &personnummer("19300315", "248"),
            "Greta",
            json!({ "shoe_size": 38 }),
        ),
        "{not json".to_owned(),
        line(&personnummer("19300230", "248"), "Not a date", json!({})),
        esther,
        line(
            &personnummer("19410708", "699"),
            "Arvid",
            json!({ "municipality": "9999" }),
        ),
    ]
    .join("\n");
    let response = import(&app, &nurse, &file).await;
    assert_eq!(
        response.assert_problem(422),
        "urn:smartcare:problem:validation-failed"
    );
    let fields: Vec<_> = response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        [
            "line 2: personal_number",
            "line 3: body",
            "line 4: body",
            "line 5: personal_number",
            "line 6: personal_number",
            "line 7: municipality",
        ],
        "{}",
        response.text
    );
    assert!(
        response.text.contains("repeats the number of line 1"),
        "{}",
        response.text
    );
    // Nothing of the file was written, not even its valid first line.
    assert_eq!(found_by_number(&app, &nurse, "19121212-1212").await, 0);
    assert!(logged(&app, "register", &net.primary_care).await.is_empty());
}

#[actix_web::test]
async fn imports_that_are_refused() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let nurse = app.staff_token("clinician", &net.primary_care);
    let esther = line("19121212-1212", "Esther", json!({}));

    // Not NDJSON: 415, naming the media type.
    let as_json = app
        .send(
            Method::POST,
            IMPORTS,
            Some(&nurse),
            &[("content-type", "application/json")],
            Some(esther.clone().into_bytes()),
        )
        .await;
    as_json.assert_problem(415);
    assert!(
        as_json.text.contains("application/x-ndjson"),
        "{}",
        as_json.text
    );

    // Empty, and more registrations than one import takes: 422.
    import(&app, &nurse, "\n \n").await.assert_problem(422);
    let too_many = format!("{esther}\n").repeat(10_001);
    let response = import(&app, &nurse, &too_many).await;
    response.assert_problem(422);
    assert!(
        response.text.contains("split the file"),
        "{}",
        response.text
    );

    // Larger than 8 MiB: 413.
    let huge = format!("{esther}\n{}", " ".repeat(8 * 1024 * 1024));
    import(&app, &nurse, &huge).await.assert_problem(413);

    // Roles that do not register, and a token without a unit: 403.
    for role in ["analyst", "coach", "admin", "integration"] {
        import(&app, &app.staff_token(role, &net.primary_care), &esther)
            .await
            .assert_problem(403);
    }
    import(&app, &app.token("clinician"), &esther)
        .await
        .assert_problem(403);
    import(&app, "not-a-token", &esther)
        .await
        .assert_problem(401);

    // None of it wrote anything.
    assert_eq!(found_by_number(&app, &nurse, "19121212-1212").await, 0);
}

#[actix_web::test]
async fn importing_a_known_person_gives_no_more_than_registering_her() {
    // Importing a known number gives the importing unit a care relationship, exactly as
    // registering does; what it may see of her is then what the access rules allow.
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let esther = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let ward = app.staff_token("clinician", &net.ward);
    let statement = app
        .post(
            &format!("/api/v1/persons/{}/statements", id(&esther)),
            &ward,
            &json!({ "kind": "need", "text": "Hjälp med läkemedel" }),
        )
        .await;
    statement.assert_status(201);

    let home_care = app.staff_token("clinician", &net.home_care);
    let report = import(
        &app,
        &home_care,
        &line("19121212-1212", "Esther", json!({})),
    )
    .await;
    assert_eq!(report.assert_status(200)["persons"][0]["id"], esther["id"]);
    // The region's entries stay hidden from the municipality: she has not consented to sharing.
    let record = app
        .get(&format!("/api/v1/persons/{}", id(&esther)), &home_care)
        .await;
    assert_eq!(
        record.assert_status(200)["statements"]
            .as_array()
            .unwrap()
            .len(),
        0,
        "{}",
        record.text
    );
}

/// The access-log events of `action` at `unit`, counted over every page.
async fn count_logged(app: &TestApp, action: &str, unit: &Value) -> usize {
    let admin = app.token("admin");
    let mut path = format!(
        "/api/v1/audit-events?action={action}&unit={}&limit=200",
        id(unit)
    );
    let mut count = 0;
    loop {
        let page = app.get(&path, &admin).await;
        let page = page.assert_status(200);
        count += page["items"].as_array().unwrap().len();
        match page["next"].as_str() {
            Some(next) => {
                path = format!(
                    "/api/v1/audit-events?action={action}&unit={}&limit=200&cursor={next}",
                    id(unit)
                )
            }
            None => return count,
        }
    }
}

#[actix_web::test]
async fn a_large_import_is_written_whole() {
    // More lines than one statement writes (500), so every multi-statement step runs.
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let nurse = app.staff_token("clinician", &net.primary_care);
    let file: String = (0..1_201)
        .map(|i| {
            let birth = chrono::NaiveDate::from_ymd_opt(1940, 1, 1).unwrap() + chrono::Days::new(i);
            let number = personnummer(&birth.format("%Y%m%d").to_string(), "123");
            line(&number, "Elsa", json!({})) + "\n"
        })
        .collect();
    let first = import(&app, &nurse, &file).await;
    assert_eq!(totals(first.assert_status(200)), (1_201, 0, 1_201));
    let again = import(&app, &nurse, &file).await;
    assert_eq!(totals(again.assert_status(200)), (0, 1_201, 0));
    assert_eq!(
        count_logged(&app, "register", &net.primary_care).await,
        1_201
    );
    assert_eq!(
        count_logged(&app, "register-existing", &net.primary_care).await,
        1_201
    );
    let last = &first.body["persons"][1_200];
    assert_eq!(last["line"], 1_201);
    app.get(&format!("/api/v1/persons/{}", id(last)), &nurse)
        .await
        .assert_status(200);
}

#[actix_web::test]
async fn imports_beyond_the_concurrent_limit_are_refused_at_once() {
    use diesel::connection::SimpleConnection;
    use std::time::{Duration, Instant};

    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let nurse = app.staff_token("clinician", &net.primary_care);
    // Imports now wait in their transaction: SQLite for its write lock, PostgreSQL for persons.
    let mut holder = app.hold_writes_to("persons");
    let started = Instant::now();
    let release_after = Duration::from_millis(1_500);
    let imports = (0..3).map(|i| {
        let file = line(
            &personnummer("19500101", &format!("{}", 200 + i)),
            "Ann",
            json!({}),
        );
        let (app, nurse) = (&app, &nurse);
        async move {
            let response = import(app, nurse, &file).await;
            (response, started.elapsed())
        }
    });
    let release = async {
        actix_web::rt::time::sleep(release_after).await;
        holder.batch_execute("COMMIT;").unwrap();
    };
    let (answers, ()) =
        futures_util::future::join(futures_util::future::join_all(imports), release).await;

    let refused: Vec<_> = answers.iter().filter(|(r, _)| r.status == 503).collect();
    assert_eq!(refused.len(), 1, "{answers:?}");
    let (response, took) = refused[0];
    assert_eq!(response.body["type"], "urn:smartcare:problem:at-capacity");
    assert!(response.header("retry-after").is_some());
    assert!(*took < release_after, "refused after {took:?}, not at once");
    let applied = answers.iter().filter(|(r, _)| r.status == 200).count();
    assert_eq!(applied, 2, "{answers:?}");
}
