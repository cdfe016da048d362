//! Work lists through HTTP (issue 16): a unit's caseload, its coordination cases and the plans
//! due for follow-up — who is listed, what is withheld, the filters, paging under concurrent
//! inserts, and one access-log event per person per page.

use std::collections::HashSet;

use serde_json::{Value, json};
use tests::TestApp;

use crate::coordination::LiabilityCase;
use crate::record_support::{Network, id, network, register};

fn caseload(unit: &Value, query: &str) -> String {
    format!("/api/v1/units/{}/caseload{query}", id(unit))
}

/// A person registered by a clinician at `unit`; her id.
async fn person(app: &TestApp, unit: &Value, serial: u32, given: &str, family: &str) -> String {
    person_with(app, unit, serial, given, family, json!({})).await
}

async fn person_with(
    app: &TestApp,
    unit: &Value,
    serial: u32,
    given: &str,
    family: &str,
    mut extra: Value,
) -> String {
    extra["given_name"] = json!(given);
    extra["family_name"] = json!(family);
    let number = tests::personnummer("19400101", &format!("{serial:03}"));
    id(&register(app, unit, &number, extra).await)
}

/// "Family Given" of each item's person.
fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let p = &item["person"];
            format!(
                "{} {}",
                p["family_name"].as_str().unwrap(),
                p["given_name"].as_str().unwrap()
            )
        })
        .collect()
}

fn person_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["person"]["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every page of `path`, `limit` items at a time.
async fn pages(app: &TestApp, path: &str, token: &str, limit: u32) -> Vec<Value> {
    let mut all = Vec::new();
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut url = format!("{path}{separator}limit={limit}");
    loop {
        let page = app.get(&url, token).await.assert_status(200).clone();
        let next = page["next"].as_str().map(str::to_owned);
        all.push(page);
        match next {
            Some(next) => url = format!("{path}{separator}limit={limit}&cursor={next}"),
            None => return all,
        }
    }
}

/// The persons of the pages of `path` (one a page) that follow `first`, by its `next`.
async fn persons_after(app: &TestApp, path: &str, token: &str, first: &Value) -> Vec<String> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut persons = Vec::new();
    let mut next = first["next"].as_str().map(str::to_owned);
    while let Some(cursor) = next {
        let url = format!("{path}{separator}limit=1&cursor={cursor}");
        let page = app.get(&url, token).await.assert_status(200).clone();
        persons.extend(person_ids(&page));
        next = page["next"].as_str().map(str::to_owned);
    }
    persons
}

/// Events of `resource` about her in her access log.
async fn events(app: &TestApp, person_id: &str, resource: &str) -> usize {
    app.get(
        &format!("/api/v1/persons/{person_id}/access-log?limit=200"),
        &app.token("admin"),
    )
    .await
    .assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"] == resource)
        .count()
}

#[actix_web::test]
async fn a_unit_sees_exactly_the_persons_it_cares_for_in_name_order_until_the_relationship_ends() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let home = app.staff_token("coordinator", &net.home_care);
    for (serial, (given, family)) in [
        ("Östen", "Berg"),
        ("Anna", "Berg"),
        ("Esther", "Andersson"),
        ("Bo", "Carlsson"),
    ]
    .into_iter()
    .enumerate()
    {
        person(&app, &net.home_care, serial as u32 + 1, given, family).await;
    }
    let elsewhere = person(&app, &net.ward, 9, "Astrid", "Aaberg").await;
    let listed = app.get(&caseload(&net.home_care, ""), &home).await;
    let listed = listed.assert_status(200).clone();
    assert_eq!(
        names(&listed),
        ["Andersson Esther", "Berg Anna", "Berg Östen", "Carlsson Bo"]
    );
    assert!(listed.get("next").is_none(), "one page");
    let esther = &listed["items"][0];
    assert_eq!(esther["age"], 86, "born 1 January 1940");
    assert_eq!(esther["person"]["municipality"], "0682");
    assert_eq!(esther["roles"][0]["role"], "other");
    assert!(esther["roles"][0]["since"].is_string());
    assert_eq!(
        (
            &esther["has_open_case"],
            &esther["next_follow_up_date"],
            &esther["contact_details_withheld"]
        ),
        (&json!(false), &Value::Null, &json!(false))
    );
    assert!(
        !person_ids(&listed).contains(&elsewhere),
        "the ward's, not home care's"
    );

    // The relationship ends: she leaves the caseload, as she leaves what the unit may open.
    let esther_id = esther["person"]["id"].as_str().unwrap().to_owned();
    let relationship = esther["roles"][0]["relationship_id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/persons/{esther_id}/care-relationships/{relationship}/end"),
        &home,
        &json!({}),
    )
    .await
    .assert_status(200);
    let after = app.get(&caseload(&net.home_care, ""), &home).await;
    assert_eq!(
        names(after.assert_status(200)),
        ["Berg Anna", "Berg Östen", "Carlsson Bo"]
    );
    app.get(&format!("/api/v1/persons/{esther_id}"), &home)
        .await
        .assert_problem(404);

    // Only the unit's own staff: not another unit, an analyst, a coach or Esther herself.
    for refused in [
        app.staff_token("clinician", &net.ward),
        app.staff_token("analyst", &net.home_care),
        app.staff_token("coach", &net.home_care),
        app.token("analyst"),
        app.token("clinician"),
        app.person_token(&esther_id),
    ] {
        app.get(&caseload(&net.home_care, ""), &refused)
            .await
            .assert_problem(403);
    }
    for (query, field) in [
        ("?colour=blue", None),
        ("?name=Be", Some("name")),
        ("?role=boss", Some("role")),
        ("?municipality=9999", Some("municipality")),
        ("?limit=0", Some("limit")),
        ("?cursor=nonsense", None),
    ] {
        let bad = app.get(&caseload(&net.home_care, query), &home).await;
        let detail = bad.assert_problem(400);
        if let Some(field) = field {
            assert!(bad.text.contains(field), "{query}: {detail} {}", bad.text);
        }
    }
}

/// A person renamed after her relationship began moves to her new place in the caseload, by
/// both plans and across pages: the database copies her name into her relationships in the
/// same statement (migration `000022`), and the caseload is read in that order.
#[actix_web::test]
async fn a_renamed_person_moves_to_her_new_place_in_the_caseload() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let home = app.staff_token("coordinator", &net.home_care);
    let anna = person(&app, &net.home_care, 1, "Anna", "Berg").await;
    person(&app, &net.home_care, 2, "Bo", "Carlsson").await;
    person(&app, &net.ward, 3, "Cecilia", "Berg").await;
    let before = app.get(&caseload(&net.home_care, ""), &home).await;
    assert_eq!(
        names(before.assert_status(200)),
        ["Berg Anna", "Carlsson Bo"]
    );

    rename(&app, &home, &anna, "Ödman").await;
    // Unfiltered (from the relationships) and filtered on the person (walking the names).
    for query in ["", "?municipality=0682"] {
        let after = app.get(&caseload(&net.home_care, query), &home).await;
        assert_eq!(
            names(after.assert_status(200)),
            ["Carlsson Bo", "Ödman Anna"],
            "{query}"
        );
        let one_by_one: Vec<String> = pages(&app, &caseload(&net.home_care, query), &home, 1)
            .await
            .iter()
            .flat_map(names)
            .collect();
        assert_eq!(one_by_one, ["Carlsson Bo", "Ödman Anna"], "{query}");
    }
    // The ward's caseload is its own.
    let ward = app.staff_token("coordinator", &net.ward);
    let ward_list = app.get(&caseload(&net.ward, ""), &ward).await;
    assert_eq!(names(ward_list.assert_status(200)), ["Berg Cecilia"]);
}

/// The caseload is in Swedish alphabetical order (`domain::name::sort_key`, CLDR's `sv`
/// collation): `Å`, `Ä`, `Ö` after `Z` in that order, `W` after `V`, and a family name with a
/// lower-case particle among its letter. In the byte order of the names it listed before,
/// `Ä` came before `Å`, and `af Klint` and `de Wit` after `Öberg`.
#[actix_web::test]
async fn the_caseload_is_in_swedish_alphabetical_order() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let home = app.staff_token("coordinator", &net.home_care);
    let names_in = [
        ("Anna", "Öberg"),
        ("Bo", "Zetterberg"),
        ("Cecilia", "Ädel"),
        ("Dan", "Åberg"),
        ("Eva", "af Klint"),
        ("Fia", "Wahl"),
        ("Gun", "Vik"),
        ("Hans", "de Wit"),
        ("Ida", "Dahl"),
        ("Jan", "Ek"),
        ("Agnes", "Ek"),
    ];
    for (serial, (given, family)) in (1..).zip(names_in) {
        person(&app, &net.home_care, serial, given, family).await;
    }
    let swedish = [
        "af Klint Eva",
        "Dahl Ida",
        "de Wit Hans",
        "Ek Agnes",
        "Ek Jan",
        "Vik Gun",
        "Wahl Fia",
        "Zetterberg Bo",
        "Åberg Dan",
        "Ädel Cecilia",
        "Öberg Anna",
    ];
    // From the relationships, and walking the persons (a filter on the person).
    for query in ["", "?municipality=0682", "?has_open_case=false"] {
        let page = app.get(&caseload(&net.home_care, query), &home).await;
        assert_eq!(names(page.assert_status(200)), swedish, "{query}");
        for limit in [1, 3] {
            let paged: Vec<String> = pages(&app, &caseload(&net.home_care, query), &home, limit)
                .await
                .iter()
                .flat_map(names)
                .collect();
            assert_eq!(paged, swedish, "{query}, {limit} a page");
        }
    }
    // Persons written without a key (before migration 000028, or by a loader that writes the
    // tables directly) get theirs from the start-up fill, and their relationships with it.
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    use persistence::schema::persons;
    let mut conn = persistence::DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    diesel::update(persons::table)
        .set(persons::name_sort_key.eq(Vec::<u8>::new()))
        .execute(&mut conn)
        .unwrap();
    let unkeyed = app.get(&caseload(&net.home_care, ""), &home).await;
    assert_ne!(names(unkeyed.assert_status(200)), swedish);
    let filled = persistence::persons::fill_name_sort_keys(&mut conn).unwrap();
    assert_eq!(filled, 11);
    let refilled = app.get(&caseload(&net.home_care, ""), &home).await;
    assert_eq!(names(refilled.assert_status(200)), swedish);
    assert_eq!(
        persistence::persons::fill_name_sort_keys(&mut conn).unwrap(),
        0
    );

    // A rename by hand, without the key (an attack review: she kept her old name's place
    // for good), loses the key; she is listed first until the fill gives her the new one.
    diesel::update(persons::table)
        .filter(persons::family_name.eq("Dahl"))
        .set(persons::family_name.eq("Östlund"))
        .execute(&mut conn)
        .unwrap();
    let renamed = app.get(&caseload(&net.home_care, ""), &home).await;
    assert_eq!(names(renamed.assert_status(200))[0], "Östlund Ida");
    assert_eq!(
        persistence::persons::fill_name_sort_keys(&mut conn).unwrap(),
        1
    );
    let placed = app.get(&caseload(&net.home_care, ""), &home).await;
    assert_eq!(
        names(placed.assert_status(200)).last().unwrap(),
        "Östlund Ida"
    );

    // A rename through the API to a name of the same key (a soft hyphen, which collation
    // ignores) keeps her key and her place (a re-check review: the trigger had emptied it).
    let ek = app
        .get(&caseload(&net.home_care, "?limit=4"), &home)
        .await
        .assert_status(200)["items"][3]["person"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    rename(&app, &home, &ek, "E\u{AD}k").await;
    let kept = app.get(&caseload(&net.home_care, ""), &home).await;
    assert_eq!(names(kept.assert_status(200))[3], "E\u{AD}k Jan");
    let empty: i64 = persons::table
        .filter(persons::name_sort_key.eq(Vec::<u8>::new()))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(empty, 0);
}

/// Names whose sort key would be kilobytes long (an attack review: 200 Arabic presentation
/// forms in each name, a 17 KB key, a 500 from PostgreSQL's index on registration) are
/// registered, renamed and listed; a name sent decomposed is stored composed and found by a
/// search typed either way.
#[actix_web::test]
async fn long_and_decomposed_names_are_registered_listed_and_found() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let home = app.staff_token("coordinator", &net.home_care);
    let long: String = (0..200u32)
        .filter_map(|i| char::from_u32(0xFC00 + i))
        .collect();
    let wide = person(&app, &net.home_care, 1, &long, &long).await;
    person(&app, &net.home_care, 2, "Dan", "A\u{30A}berg").await;
    person(&app, &net.home_care, 3, "Bo", "Zorn").await;
    let page = app.get(&caseload(&net.home_care, ""), &home).await;
    let listed = names(page.assert_status(200));
    assert_eq!(listed[..2], ["Zorn Bo", "Åberg Dan"]);
    assert_eq!(person_ids(&page.body)[2], wide);
    let other: String = (200..400u32)
        .filter_map(|i| char::from_u32(0xFC00 + i))
        .collect();
    rename(&app, &home, &wide, &other).await;
    for typed in ["dan%20a%CC%8Abe", "dan%20%C3%A5be"] {
        let found = app
            .get(&caseload(&net.home_care, &format!("?name={typed}")), &home)
            .await;
        assert_eq!(names(found.assert_status(200)), ["Åberg Dan"], "{typed}");
    }
}

/// A cursor on a person who has no sort key yet (loaded directly, before the start-up fill)
/// is refused once she has left the caseload, as any other (an attack review: it was taken
/// for a cursor on nobody's empty key, and the list began again, showing a person twice).
#[actix_web::test]
async fn a_cursor_on_a_person_without_a_key_is_refused_once_she_has_left() {
    use diesel::{ExpressionMethods, RunQueryDsl};
    use persistence::schema::persons;

    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let home = app.staff_token("coordinator", &net.home_care);
    person(&app, &net.home_care, 1, "Anna", "Myr").await;
    let zorn = person(&app, &net.home_care, 2, "Bo", "Zorn").await;
    person(&app, &net.home_care, 3, "Cecilia", "Öberg").await;
    let mut conn = persistence::DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    diesel::update(persons::table)
        .filter(persons::family_name.ne("Öberg"))
        .set(persons::name_sort_key.eq(Vec::<u8>::new()))
        .execute(&mut conn)
        .unwrap();
    let path = caseload(&net.home_care, "?limit=2");
    let first = app.get(&path, &home).await.assert_status(200).clone();
    assert_eq!(person_ids(&first)[1], zorn);
    let next = format!("{path}&cursor={}", first["next"].as_str().unwrap());
    let record = app
        .get(&format!("/api/v1/persons/{zorn}"), &home)
        .await
        .assert_status(200)
        .clone();
    let ours = record["care_relationships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["care_unit_id"] == net.home_care["id"])
        .unwrap();
    app.post(
        &format!("/api/v1/persons/{zorn}/care-relationships/{}/end", id(ours)),
        &home,
        &json!({}),
    )
    .await
    .assert_status(200);
    let after_end = app.get(&next, &home).await;
    after_end.assert_problem(400);
    assert_eq!(after_end.body["errors"][0]["field"], "cursor");
}

/// The person a cursor continues after is renamed before the next page is read: the cursor
/// is refused (400 naming `cursor`, saying she was renamed) rather than continued from her new
/// place, which passed over everyone between her old and new name (an attack review: page 2
/// came back empty, without `next`, and 58 persons were never shown). Started again, the list
/// shows everyone once.
#[actix_web::test]
async fn a_cursor_whose_person_is_renamed_is_refused_not_continued_from_her_new_place() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let home = app.staff_token("coordinator", &net.home_care);
    let anna = person(&app, &net.home_care, 1, "Anna", "Berg").await;
    let bo = person(&app, &net.home_care, 2, "Bo", "Carlsson").await;
    person(&app, &net.home_care, 3, "Cecilia", "Dahl").await;
    // Unfiltered (from the relationships) and filtered on the person (walking the names); each
    // time the person page 1 ends on is renamed to sort last.
    for (query, anchor, first_name, renamed, everyone) in [
        (
            "",
            &anna,
            "Berg Anna",
            "Östberg",
            ["Carlsson Bo", "Dahl Cecilia", "Östberg Anna"],
        ),
        (
            "?municipality=0682",
            &bo,
            "Carlsson Bo",
            "Öhman",
            ["Dahl Cecilia", "Öhman Bo", "Östberg Anna"],
        ),
    ] {
        let path = caseload(&net.home_care, query);
        let separator = if query.is_empty() { '?' } else { '&' };
        let first = app.get(&format!("{path}{separator}limit=1"), &home).await;
        let first = first.assert_status(200).clone();
        assert_eq!(names(&first), [first_name], "{query}");
        let cursor = first["next"].as_str().unwrap().to_owned();
        let next = format!("{path}{separator}limit=1&cursor={cursor}");
        // Before the rename the cursor goes on.
        let second = app.get(&next, &home).await;
        assert_eq!(
            second.assert_status(200)["items"].as_array().unwrap().len(),
            1
        );

        let read = app.get(&format!("/api/v1/persons/{anchor}"), &home).await;
        let etag = read.header("etag").unwrap();
        app.patch(
            &format!("/api/v1/persons/{anchor}"),
            &home,
            Some(&etag),
            &json!({"family_name": renamed}),
        )
        .await
        .assert_status(200);
        let refused = app.get(&next, &home).await;
        refused.assert_problem(400);
        assert_eq!(refused.body["errors"][0]["field"], "cursor", "{query}");
        // Another list's cursor, or one naming no person, is refused the same way (it ended
        // the list with an empty page).
        let other_list = app
            .get("/api/v1/care-units?limit=1", &app.token("admin"))
            .await;
        let foreign = other_list.assert_status(200)["next"]
            .as_str()
            .unwrap()
            .to_owned();
        let forged = app
            .get(&format!("{path}{separator}limit=1&cursor={foreign}"), &home)
            .await;
        forged.assert_problem(400);
        assert_eq!(forged.body["errors"][0]["field"], "cursor", "{query}");
        let message = refused.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("renamed"), "{message}");
        let listed: Vec<String> = pages(&app, &path, &home, 1)
            .await
            .iter()
            .flat_map(names)
            .collect();
        assert_eq!(listed, everyone, "{query}");
    }
}

/// A cursor is followed only while the unit still cares for the person it continues after:
/// once the relationship ends it is refused, renamed or not, so an old cursor cannot tell a
/// unit that no longer cares for her whether she changed her name (an attack review).
#[actix_web::test]
async fn a_cursor_on_a_person_the_unit_no_longer_cares_for_is_refused_renamed_or_not() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let home = app.staff_token("coordinator", &net.home_care);
    let primary = app.staff_token("coordinator", &net.primary_care);
    let anna = person(&app, &net.home_care, 1, "Anna", "Berg").await;
    person(&app, &net.home_care, 2, "Bo", "Carlsson").await;
    // Primary care cares for Anna too.
    person(&app, &net.primary_care, 1, "Anna", "Berg").await;
    let path = caseload(&net.home_care, "?limit=1");
    let first = app.get(&path, &home).await.assert_status(200).clone();
    assert_eq!(names(&first), ["Berg Anna"]);
    let next = format!("{path}&cursor={}", first["next"].as_str().unwrap());
    app.get(&next, &home).await.assert_status(200);

    let record = app
        .get(&format!("/api/v1/persons/{anna}"), &home)
        .await
        .assert_status(200)
        .clone();
    let ours = record["care_relationships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["care_unit_id"] == net.home_care["id"])
        .unwrap();
    app.post(
        &format!("/api/v1/persons/{anna}/care-relationships/{}/end", id(ours)),
        &home,
        &json!({}),
    )
    .await
    .assert_status(200);
    let after_end = app.get(&next, &home).await;
    after_end.assert_problem(400);
    assert_eq!(after_end.body["errors"][0]["field"], "cursor");

    rename(&app, &primary, &anna, "Östberg").await;
    let after_rename = app.get(&next, &home).await;
    after_rename.assert_problem(400);
    assert_eq!(after_rename.body["errors"], after_end.body["errors"]);
    // The list itself goes on from the start.
    assert_eq!(
        names(app.get(&path, &home).await.assert_status(200)),
        ["Carlsson Bo"]
    );
}

#[derive(diesel::QueryableByName)]
struct CopiedName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    person_family_name: String,
}

/// A relationship written while its person is being renamed carries the new name: on
/// PostgreSQL the copying trigger locks her row as it reads it, so the write waits for the
/// rename (a plain read took the old name, which the rename's own copy never saw); SQLite's
/// one writer waits anyway. The rename is made by hand, as the database must keep the copy
/// whoever writes.
#[actix_web::test]
async fn a_relationship_written_during_a_rename_carries_the_new_name() {
    use diesel::RunQueryDsl;

    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let anna = person(&app, &net.home_care, 1, "Anna", "Berg").await;
    let url = persistence::DatabaseUrl::parse(app.database.url()).unwrap();
    let mut renaming = url.connect().unwrap();
    diesel::sql_query("BEGIN").execute(&mut renaming).unwrap();
    diesel::sql_query(format!(
        "UPDATE persons SET family_name = 'Ödman' WHERE id = '{anna}'"
    ))
    .execute(&mut renaming)
    .unwrap();
    let (ward, organization) = (id(&net.ward), id(&net.region));
    let relationship = uuid::Uuid::now_v7();
    let writer = {
        let (url, anna) = (url.clone(), anna.clone());
        std::thread::spawn(move || {
            let mut conn = url.connect().unwrap();
            diesel::sql_query(format!(
                "INSERT INTO care_relationships (id, person_id, care_unit_id, organization_id, \
                 role, started_by, started_at) VALUES ('{relationship}', '{anna}', '{ward}', \
                 '{organization}', 'other', 'test', CURRENT_TIMESTAMP)"
            ))
            .execute(&mut conn)
            .unwrap();
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    diesel::sql_query("COMMIT").execute(&mut renaming).unwrap();
    writer.join().unwrap();
    let copied: Vec<CopiedName> = diesel::sql_query(format!(
        "SELECT person_family_name FROM care_relationships WHERE person_id = '{anna}' ORDER BY id"
    ))
    .load(&mut renaming)
    .unwrap();
    let names: Vec<&str> = copied
        .iter()
        .map(|c| c.person_family_name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Ödman", "Ödman"],
        "her relationships at home care and at the ward"
    );
}

#[actix_web::test]
async fn protected_identity_withholds_contact_details_in_the_caseload() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let contact = json!({ "phone": "070-123 45 67", "address": "Storgatan 1, Nässjö" });
    person_with(&app, &net.home_care, 1, "Open", "Person", contact.clone()).await;
    let mut hidden = contact.clone();
    hidden["protected_identity"] = json!(true);
    person_with(&app, &net.home_care, 2, "Hidden", "Person", hidden).await;
    let page = app
        .get(
            &caseload(&net.home_care, ""),
            &app.staff_token("clinician", &net.home_care),
        )
        .await;
    let items = page.assert_status(200)["items"].as_array().unwrap().clone();
    let by_name = |given: &str| {
        items
            .iter()
            .find(|i| i["person"]["given_name"] == given)
            .unwrap()
            .clone()
    };
    let (open, hidden) = (by_name("Open"), by_name("Hidden"));
    assert_eq!(open["contact"]["phone"], "070-123 45 67");
    assert_eq!(open["contact_details_withheld"], false);
    assert!(hidden.get("contact").is_none(), "{hidden}");
    assert_eq!(
        (
            &hidden["contact_details_withheld"],
            &hidden["protected_identity"]
        ),
        (&json!(true), &json!(true))
    );
    assert_eq!(
        page.text.matches("Storgatan").count(),
        1,
        "hers never leaves"
    );
    let admin = app
        .get(
            &caseload(&net.home_care, ""),
            &app.staff_token("admin", &net.home_care),
        )
        .await;
    assert_eq!(
        admin
            .assert_status(200)
            .to_string()
            .matches("Storgatan")
            .count(),
        2,
        "admins see protected contact details, as in the person read"
    );
}

#[actix_web::test]
async fn the_caseload_filters_by_role_open_case_municipality_and_name() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let primary = app.staff_token("clinician", &net.primary_care);
    let fvk = json!({ "role": "fast_vardkontakt" });
    let anna = person_with(&app, &net.primary_care, 1, "Anna", "Berg", fvk).await;
    let jonkoping = json!({ "municipality": "0680" });
    person_with(&app, &net.primary_care, 2, "Bengt", "Dahl", jonkoping).await;
    let esther = person(&app, &net.primary_care, 3, "Esther", "Ek").await;
    // Esther is admitted to the ward: an open case.
    let number = tests::personnummer("19400101", "003");
    register(&app, &net.ward, &number, json!({})).await;
    app.post(
        &format!("/api/v1/persons/{esther}/coordination-cases"),
        &app.staff_token("clinician", &net.ward),
        &json!({ "admitted_at": "2026-11-02T08:00:00Z" }),
    )
    .await
    .assert_status(201);
    let list = |query: &'static str| {
        let (app, primary, unit) = (&app, &primary, &net.primary_care);
        async move {
            let page = app.get(&caseload(unit, query), primary).await;
            names(page.assert_status(200))
        }
    };
    assert_eq!(list("?role=fast_vardkontakt").await, ["Berg Anna"]);
    let fvk_page = app
        .get(
            &caseload(&net.primary_care, "?role=fast_vardkontakt"),
            &primary,
        )
        .await;
    assert_eq!(person_ids(&fvk_page.body), [anna.as_str()]);
    assert_eq!(
        fvk_page.body["items"][0]["roles"][0]["role"],
        "fast_vardkontakt"
    );
    assert_eq!(list("?has_open_case=true").await, ["Ek Esther"]);
    assert_eq!(
        list("?has_open_case=false").await,
        ["Berg Anna", "Dahl Bengt"]
    );
    assert_eq!(list("?municipality=0680").await, ["Dahl Bengt"]);
    assert_eq!(list("?name=ann").await, ["Berg Anna"]);
    assert_eq!(list("?name=ANNA%20B").await, ["Berg Anna"]);
    assert_eq!(list("?name=esther&has_open_case=true").await, ["Ek Esther"]);
    assert!(list("?name=zzz").await.is_empty());
    let open = app
        .get(
            &caseload(&net.primary_care, "?has_open_case=true"),
            &primary,
        )
        .await;
    assert_eq!(open.body["items"][0]["has_open_case"], true);
    // A cursor is bound to its filters.
    let first = app
        .get(&caseload(&net.primary_care, "?limit=1"), &primary)
        .await;
    let next = first.body["next"].as_str().unwrap();
    app.get(
        &caseload(
            &net.primary_care,
            &format!("?limit=1&role=other&cursor={next}"),
        ),
        &primary,
    )
    .await
    .assert_problem(400);
}

#[actix_web::test]
async fn caseload_paging_is_stable_under_inserts_and_logs_each_person_once_per_page() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let home = app.staff_token("coordinator", &net.home_care);
    let mut before = Vec::new();
    for (serial, family) in ["Falk", "Grahn", "Holm", "Ivarsson", "Jansson"]
        .into_iter()
        .enumerate()
    {
        before.push(person(&app, &net.home_care, serial as u32 + 1, "Karin", family).await);
    }
    let path = caseload(&net.home_care, "");
    let first = app
        .get(&format!("{path}?limit=2"), &home)
        .await
        .assert_status(200)
        .clone();
    assert_eq!(names(&first), ["Falk Karin", "Grahn Karin"]);
    // Between page fetches: one who sorts before the cursor, one in the middle, one last.
    let passed = person(&app, &net.home_care, 10, "Karin", "Abel").await;
    let middle = person(&app, &net.home_care, 11, "Karin", "Hult").await;
    let last = person(&app, &net.home_care, 12, "Karin", "Öhman").await;
    let mut seen = person_ids(&first);
    let mut url = format!("{path}?limit=2&cursor={}", first["next"].as_str().unwrap());
    let mut page_count = 1;
    loop {
        let page = app.get(&url, &home).await.assert_status(200).clone();
        assert!(page["items"].as_array().unwrap().len() <= 2);
        seen.extend(person_ids(&page));
        page_count += 1;
        match page["next"].as_str() {
            Some(next) => url = format!("{path}?limit=2&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(
        page_count, 4,
        "5 persons sort after the first page's 2: 3 more pages"
    );
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "nobody twice: {seen:?}");
    for id in before.iter().chain([&middle, &last]) {
        assert!(seen.contains(id), "none skipped");
    }
    assert!(
        !seen.contains(&passed),
        "added before the cursor: passed already"
    );
    for id in &seen {
        assert_eq!(
            events(&app, id, "caseload").await,
            1,
            "one event per page shown"
        );
    }
    assert_eq!(events(&app, &passed, "caseload").await, 0);
    // A second read of the whole list is a second event for each.
    for page in pages(&app, &path, &home, 50).await {
        assert_eq!(page["items"].as_array().unwrap().len(), 8);
    }
    assert_eq!(events(&app, &before[0], "caseload").await, 2);
}

/// Two cases at the ward: Esther's (admitted 1 October, her notice sent to home care and
/// acknowledged: nothing awaited) and Bengt's (admitted 22 October, no notice: missed).
struct Cases {
    app: TestApp,
    net: Network,
    ward: String,
    esther: String,
    bengt: String,
}

async fn cases() -> Cases {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let ward = app.staff_token("clinician", &net.ward);
    let open = |person: String, admitted_at: &'static str| {
        let (app, ward) = (&app, &ward);
        async move {
            let opened = app
                .post(
                    &format!("/api/v1/persons/{person}/coordination-cases"),
                    ward,
                    &json!({ "admitted_at": admitted_at }),
                )
                .await;
            (person, id(opened.assert_status(201)))
        }
    };
    let (esther, esther_case) = open(
        person(&app, &net.ward, 1, "Esther", "Andersson").await,
        "2026-10-01T08:00:00Z",
    )
    .await;
    let (bengt, _) = open(
        person(&app, &net.ward, 2, "Bengt", "Berg").await,
        "2026-10-22T08:00:00Z",
    )
    .await;
    let to_home_care = json!({ "kind": "admission_notice", "to": [net.home_care["id"]], "sent_at": "2026-10-01T10:00:00Z" });
    let case_path = format!("/api/v1/coordination-cases/{esther_case}");
    let sent = app
        .post(&format!("{case_path}/messages"), &ward, &to_home_care)
        .await;
    let notice = sent.assert_status(201)["messages"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("{case_path}/messages/{notice}/acknowledge"),
        &app.staff_token("coordinator", &net.home_care),
        &json!({}),
    )
    .await
    .assert_status(200);
    Cases {
        app,
        net,
        ward,
        esther,
        bengt,
    }
}

impl Cases {
    /// Cecilia Carlsson, admitted at the ward on 2026-11-02, after Esther and Bengt.
    async fn cecilia_admitted(&self) -> String {
        let cecilia = person(&self.app, &self.net.ward, 3, "Cecilia", "Carlsson").await;
        self.app
            .post(
                &format!("/api/v1/persons/{cecilia}/coordination-cases"),
                &self.ward,
                &json!({ "admitted_at": "2026-11-02T08:00:00Z" }),
            )
            .await
            .assert_status(201);
        cecilia
    }
}

#[actix_web::test]
async fn the_case_list_shows_the_wards_and_the_addressed_units_cases_with_their_deadlines() {
    let c = cases().await;
    let (app, net) = (&c.app, &c.net);
    let list = "/api/v1/coordination-cases";
    let ward = app.get(list, &c.ward).await.assert_status(200).clone();
    assert_eq!(person_ids(&ward), [c.esther.clone(), c.bengt.clone()]);
    let (esther, bengt) = (&ward["items"][0], &ward["items"][1]);
    assert_eq!(esther["ward_name"], "Medicinavdelning 2, Höglandssjukhuset");
    assert_eq!(
        (
            &esther["state"],
            &esther["notice_missed"],
            &esther["next_deadline"]
        ),
        (&json!("notified"), &json!(false), &Value::Null),
        "sent in time and acknowledged: nothing awaited"
    );
    assert_eq!(
        (
            &bengt["state"],
            &bengt["notice_deadline"],
            &bengt["notice_missed"],
            &bengt["next_deadline"]
        ),
        (
            &json!("admitted"),
            &json!("2026-10-23T08:00:00Z"),
            &json!(true),
            &json!("2026-10-23T08:00:00Z")
        )
    );
    assert_eq!(
        (
            &bengt["liability_days"],
            &bengt["ready_for_discharge_since"]
        ),
        (&json!(0), &Value::Null)
    );
    let by_deadline = app
        .get(&format!("{list}?sort=deadline"), &c.ward)
        .await
        .assert_status(200)
        .clone();
    assert_eq!(
        person_ids(&by_deadline),
        [c.bengt.clone(), c.esther.clone()],
        "a missed deadline first, nothing awaited last"
    );
    // Home care was addressed in Esther's case only; the unrelated ward in none.
    let home = app.staff_token("coordinator", &net.home_care);
    let addressed = app.get(list, &home).await;
    assert_eq!(
        person_ids(addressed.assert_status(200)),
        [c.esther.as_str()]
    );
    let unrelated = app.staff_token("clinician", &net.unrelated);
    assert_eq!(app.get(list, &unrelated).await.body["items"], json!([]));

    let only = |query: &str| format!("{list}?{query}");
    let filtered = |query: &'static str| {
        let (app, ward) = (app, &c.ward);
        let path = only(query);
        async move { person_ids(app.get(&path, ward).await.assert_status(200)) }
    };
    assert_eq!(filtered("state=admitted").await, [c.bengt.as_str()]);
    assert_eq!(
        filtered("admitted_from=2026-10-15T00:00:00Z").await,
        [c.bengt.as_str()]
    );
    assert_eq!(
        filtered("admitted_to=2026-10-15T00:00:00%2B02:00").await,
        [c.esther.as_str()]
    );
    assert_eq!(filtered("municipality=0682").await.len(), 2);
    assert!(filtered("municipality=0680").await.is_empty());
    for bad in [
        "state=lost",
        "admitted_from=yesterday",
        "sort=name",
        "municipality=1",
        "unknown=1",
    ] {
        app.get(&only(bad), &c.ward).await.assert_problem(400);
    }
    // Another unit's list, an analyst, a coach: 403.
    app.get(&only(&format!("unit={}", id(&net.ward))), &home)
        .await
        .assert_problem(403);
    app.get(&only(&format!("unit={}", id(&net.ward))), &c.ward)
        .await
        .assert_status(200);
    for refused in [app.token("analyst"), app.staff_token("coach", &net.ward)] {
        app.get(list, &refused).await.assert_problem(403);
    }

    // The ward may not end its relationship with Bengt while his case is open: the case
    // would leave its lists and reads while it waits on the ward.
    let record = app
        .get(&format!("/api/v1/persons/{}", c.bengt), &c.ward)
        .await
        .assert_status(200)
        .clone();
    let relationship = id(&record["care_relationships"][0]);
    let end = format!(
        "/api/v1/persons/{}/care-relationships/{relationship}/end",
        c.bengt
    );
    let refused = app.post(&end, &c.ward, &json!({})).await;
    let bengt_case = bengt["case_id"].as_str().unwrap_or_default();
    refused.assert_problem(409);
    assert_eq!(
        refused.body["case_id"], bengt["case_id"],
        "{}",
        refused.text
    );
    let detail = refused.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(bengt_case) && detail.contains("discharge"),
        "{detail}"
    );
    // Once his process is interrupted (closed), the ward ends it: it may no longer open his
    // record, and his case leaves its list with it.
    app.post(
        &format!("/api/v1/coordination-cases/{bengt_case}/messages"),
        &c.ward,
        &json!({ "kind": "process_interrupted", "to": [net.home_care["id"]], "sent_at": "2026-10-24T08:00:00Z" }),
    )
    .await
    .assert_status(201);
    app.post(&end, &c.ward, &json!({})).await.assert_status(200);
    // Home care, which acknowledged Esther's notice, is still involved in her open case: it
    // may not end its relationship with her either.
    let esther_record = format!("/api/v1/persons/{}", c.esther);
    let hers = app
        .get(&esther_record, &home)
        .await
        .assert_status(200)
        .clone();
    let home_care_id = id(&net.home_care);
    let relationships = hers["care_relationships"].as_array().unwrap();
    let home_care_relationship = relationships
        .iter()
        .find(|r| r["care_unit_id"].as_str() == Some(home_care_id.as_str()))
        .map(id)
        .unwrap_or_default();
    app.post(
        &format!("{esther_record}/care-relationships/{home_care_relationship}/end"),
        &home,
        &json!({}),
    )
    .await
    .assert_problem(409);
    assert_eq!(
        person_ids(app.get(list, &c.ward).await.assert_status(200)),
        [c.esther.as_str()]
    );
}

#[actix_web::test]
async fn case_list_paging_is_stable_under_new_cases_and_logs_once_per_person_per_page() {
    let c = cases().await;
    let app = &c.app;
    let list = "/api/v1/coordination-cases";
    let first = app
        .get(&format!("{list}?limit=1"), &c.ward)
        .await
        .assert_status(200)
        .clone();
    assert_eq!(person_ids(&first), [c.esther.as_str()]);
    // A case opened between page fetches, admitted after both: it comes last.
    let cecilia = c.cecilia_admitted().await;
    let mut seen = person_ids(&first);
    seen.extend(persons_after(app, list, &c.ward, &first).await);
    assert_eq!(seen, [c.esther.clone(), c.bengt.clone(), cecilia.clone()]);
    for person in &seen {
        assert_eq!(events(app, person, "coordination-cases").await, 1);
    }
    // Sorted by deadline, the pages hold the same cases once each.
    let by_deadline: Vec<String> = pages(app, &format!("{list}?sort=deadline"), &c.ward, 1)
        .await
        .iter()
        .flat_map(person_ids)
        .collect();
    assert_eq!(
        by_deadline,
        [c.bengt.clone(), cecilia.clone(), c.esther.clone()]
    );
}

#[actix_web::test]
async fn a_deadline_page_after_a_case_that_was_answered_goes_on_where_it_left_off() {
    let c = cases().await;
    let app = &c.app;
    let list = "/api/v1/coordination-cases?sort=deadline";
    let cecilia = c.cecilia_admitted().await;
    let first = app
        .get(&format!("{list}&limit=1"), &c.ward)
        .await
        .assert_status(200)
        .clone();
    assert_eq!(
        person_ids(&first),
        [c.bengt.as_str()],
        "his missed notice first"
    );
    // The ward now sends Bengt's admission notice: his next deadline is home care's answer,
    // due after Cecilia's notice, so his case moves behind hers.
    let bengt_case = first["items"][0]["case_id"].as_str().unwrap_or_default();
    app.post(
        &format!("/api/v1/coordination-cases/{bengt_case}/messages"),
        &c.ward,
        &json!({ "kind": "admission_notice", "to": [c.net.home_care["id"]], "sent_at": "2026-11-05T10:00:00Z" }),
    )
    .await
    .assert_status(201);
    let now = app.get(list, &c.ward).await.assert_status(200).clone();
    assert_eq!(
        person_ids(&now),
        [cecilia.clone(), c.bengt.clone(), c.esther.clone()]
    );
    // The first page's `next` goes on after his old place: Cecilia is not passed over (as
    // when the list went on after his new place), and no one has to start again.
    let rest = persons_after(app, list, &c.ward, &first).await;
    assert_eq!(rest, [cecilia, c.bengt.clone(), c.esther.clone()]);
    // A cursor of the admission order is not one of the deadline order's, nor the reverse.
    let by_admission = app
        .get("/api/v1/coordination-cases?limit=1", &c.ward)
        .await
        .assert_status(200)
        .clone();
    let admission_next = by_admission["next"].as_str().unwrap_or_default();
    app.get(&format!("{list}&limit=1&cursor={admission_next}"), &c.ward)
        .await
        .assert_problem(400);
    let deadline_next = first["next"].as_str().unwrap_or_default();
    app.get(
        &format!("/api/v1/coordination-cases?limit=1&cursor={deadline_next}"),
        &c.ward,
    )
    .await
    .assert_problem(400);
}

#[actix_web::test]
async fn the_case_list_shows_since_when_she_is_ready_and_the_liability_days_of_the_case() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let case = LiabilityCase::open(
        &app,
        &net,
        "19121212-1212",
        "somatic",
        "2026-03-09T08:00:00Z",
    )
    .await;
    case.journey(
        &net,
        &[&net.home_care],
        &[&net.home_care],
        "2026-03-10T09:00:00Z",
        None,
    )
    .await;
    let ward = app.staff_token("clinician", &net.ward);
    let read = app.get(&case.path, &ward).await.assert_status(200).clone();
    let listed = app
        .get(
            "/api/v1/coordination-cases?state=ready_for_discharge",
            &ward,
        )
        .await;
    let item = listed.assert_status(200)["items"][0].clone();
    assert_eq!(item["ready_for_discharge_since"], "2026-03-10T09:00:00Z");
    let days = read["liability"]["days"].as_array().unwrap().len();
    assert!(days > 200, "liable since March: {days}");
    assert_eq!(item["liability_days"], days, "the case's own computation");
}

/// Esther's plan made by the primary care centre (follow-up 15 December 2026, Nässjö's home
/// care holding overall responsibility), with home care taking part.
struct Planned {
    app: TestApp,
    net: Network,
    person: String,
    home: String,
    primary: String,
}

async fn planned() -> Planned {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = id(&register(&app, &net.ward, "19121212-1212", json!({})).await);
    for unit in [&net.primary_care, &net.home_care] {
        register(&app, unit, "19121212-1212", json!({})).await;
    }
    let primary = app.staff_token("clinician", &net.primary_care);
    let home = app.staff_token("coordinator", &net.home_care);
    app.post(
        &format!("/api/v1/persons/{person}/consents"),
        &primary,
        &json!({ "scope": "coordinated_planning", "status": "given" }),
    )
    .await
    .assert_status(201);
    let plan = json!({
        "needs": "Stöd med läkemedel efter utskrivning",
        "goals": "Bo kvar hemma",
        "overall_responsible_organization_id": net.home_care["organization_id"],
        "actions": [{ "intervention": "Hemtjänst morgon och kväll", "responsible_organization_id": net.home_care["organization_id"] }],
        "participants": { "care_units": [net.primary_care["id"], net.home_care["id"]], "person": true },
        "follow_up_date": "2026-12-15",
    });
    app.post(
        &format!("/api/v1/persons/{person}/care-plans"),
        &primary,
        &plan,
    )
    .await
    .assert_status(201);
    Planned {
        app,
        net,
        person,
        home,
        primary,
    }
}

#[actix_web::test]
async fn plans_due_for_follow_up_are_listed_for_the_units_that_may_see_them() {
    let p = planned().await;
    let (app, net) = (&p.app, &p.net);
    let due = move |query: String, token: String| async move {
        let page = app.get(&format!("/api/v1/care-plans{query}"), &token).await;
        page.assert_status(200)["items"].as_array().unwrap().clone()
    };
    let items = due("?follow_up_before=2026-12-16".into(), p.home.clone()).await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        (
            &items[0]["person"]["id"],
            &items[0]["follow_up_date"],
            &items[0]["responsible_organization_id"],
            &items[0]["last_followed_up_on"]
        ),
        (
            &json!(p.person),
            &json!("2026-12-15"),
            &net.home_care["organization_id"],
            &Value::Null
        )
    );
    assert!(
        due("?follow_up_before=2026-12-15".into(), p.home.clone())
            .await
            .is_empty()
    );
    assert!(
        due(String::new(), p.home.clone()).await.is_empty(),
        "not due yet"
    );
    let home_org = net.home_care["organization_id"].as_str().unwrap();
    let region = net.region["id"].as_str().unwrap();
    assert_eq!(
        due(
            format!("?follow_up_before=2027-01-01&responsible_organization={home_org}"),
            p.primary.clone()
        )
        .await
        .len(),
        1
    );
    assert!(
        due(
            format!("?follow_up_before=2027-01-01&responsible_organization={region}"),
            p.primary.clone()
        )
        .await
        .is_empty()
    );
    let unrelated = app.staff_token("clinician", &net.unrelated);
    assert!(
        due("?follow_up_before=2027-01-01".into(), unrelated)
            .await
            .is_empty()
    );
    assert_eq!(
        events(app, &p.person, "care-plans-due").await,
        2,
        "the two lists that showed her"
    );
    let other_unit = format!("/api/v1/care-plans?unit={}", id(&net.home_care));
    app.get(&other_unit, &p.primary).await.assert_problem(403);
    for refused in [
        app.token("analyst"),
        app.staff_token("coach", &net.home_care),
    ] {
        app.get("/api/v1/care-plans", &refused)
            .await
            .assert_problem(403);
    }
    for bad in [
        "?follow_up_before=15-12-2026",
        "?responsible=x",
        "?limit=500",
    ] {
        app.get(&format!("/api/v1/care-plans{bad}"), &p.home)
            .await
            .assert_problem(400);
    }

    // She blocks the primary care centre that made the plan: home care no longer sees it,
    // in the list or as her next follow-up; the centre itself still does.
    app.post(
        &format!("/api/v1/persons/{}/blocks", p.person),
        &app.person_token(&p.person),
        &json!({ "care_unit_id": net.primary_care["id"] }),
    )
    .await
    .assert_status(201);
    assert!(
        due("?follow_up_before=2027-01-01".into(), p.home.clone())
            .await
            .is_empty()
    );
    let home_caseload = app.get(&caseload(&net.home_care, ""), &p.home).await;
    assert_eq!(
        home_caseload.assert_status(200)["items"][0]["next_follow_up_date"],
        Value::Null
    );
    let centre = app.get(&caseload(&net.primary_care, ""), &p.primary).await;
    assert_eq!(
        centre.assert_status(200)["items"][0]["next_follow_up_date"],
        "2026-12-15"
    );
    assert_eq!(
        due("?follow_up_before=2027-01-01".into(), p.primary.clone())
            .await
            .len(),
        1
    );
}

#[derive(diesel::QueryableByName)]
struct UnitRole {
    #[diesel(sql_type = diesel::sql_types::Text)]
    care_unit_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    role: String,
}

/// The caseload is read by one of three plans (`persistence::caseload::Plan`): from the
/// unit's relationships in name order, or (for a filter on the person) by walking every
/// person's name or from a small unit's relationships sorted. On the demo's units, with every
/// role and open-case filter, every plan that applies gives the same pages, with the same
/// stamps and open cases.
#[actix_web::test]
async fn every_caseload_plan_gives_the_same_pages() {
    use diesel::RunQueryDsl;
    use domain::record::RelationshipRole;
    use persistence::PageRequest;
    use persistence::caseload::{CaseloadFilter, Plan, page_with_plan};

    let app = TestApp::spawn_with_demo().await;
    let mut conn = persistence::DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    let pairs: Vec<UnitRole> = diesel::sql_query(
        "SELECT DISTINCT care_unit_id, role FROM care_relationships WHERE ended_at IS NULL",
    )
    .load(&mut conn)
    .unwrap();
    assert!(pairs.len() >= 3, "the demo's units care for persons");
    let mut compared = 0;
    let mut with_open_case = 0;
    for pair in &pairs {
        let unit: uuid::Uuid = pair.care_unit_id.parse().unwrap();
        let role = RelationshipRole::parse(&pair.role).unwrap();
        for role in [None, Some(role)] {
            for only_with_open_case in [false, true] {
                let filter = CaseloadFilter {
                    unit,
                    role,
                    only_with_open_case,
                    ..CaseloadFilter::default()
                };
                let plans = match filter.filters_persons() {
                    false => vec![
                        Plan::Relationships,
                        Plan::PersonsByName,
                        Plan::PersonsOfUnit,
                    ],
                    true => vec![Plan::PersonsByName, Plan::PersonsOfUnit],
                };
                let mut lists = Vec::new();
                for plan in plans {
                    let (mut listed, mut after) = (Vec::new(), None);
                    loop {
                        let request = PageRequest { after, limit: 2 };
                        let page = page_with_plan(&mut conn, &filter, request, plan).unwrap();
                        assert!(page.items.len() <= 2);
                        listed.extend(page.items.iter().cloned());
                        after = page.items.last().map(|p| p.id);
                        if !page.has_more {
                            break;
                        }
                    }
                    lists.push((plan, listed));
                }
                for (plan, listed) in &lists[1..] {
                    assert_eq!(
                        &lists[0].1, listed,
                        "{:?} against {plan:?}, {filter:?}",
                        lists[0].0
                    );
                }
                compared += lists[0].1.len();
                with_open_case += lists[0].1.iter().filter(|p| p.open_case).count();
                let mut ids: Vec<_> = lists[0].1.iter().map(|p| p.id).collect();
                ids.dedup();
                assert_eq!(ids.len(), lists[0].1.len(), "a person twice: {filter:?}");
            }
        }
    }
    assert!(compared > 20, "persons compared: {compared}");
    assert!(
        with_open_case > 0,
        "persons with an open case compared: {with_open_case}"
    );
}

/// A relationships plan cannot filter on the person: asked to, it refuses instead of listing
/// more than the filter allows.
#[actix_web::test]
async fn the_relationships_plan_refuses_a_filter_on_the_person() {
    use persistence::PageRequest;
    use persistence::caseload::{CaseloadFilter, Plan, page_with_plan};

    let app = TestApp::spawn().await;
    let mut conn = persistence::DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    let filter = CaseloadFilter {
        unit: uuid::Uuid::nil(),
        only_with_open_case: true,
        ..CaseloadFilter::default()
    };
    let request = PageRequest {
        after: None,
        limit: 2,
    };
    assert!(page_with_plan(&mut conn, &filter, request, Plan::Relationships).is_err());
}

/// Gives the person `id` the family name `family`, as the unit of `token` (read, then a
/// conditional `PATCH`).
async fn rename(app: &TestApp, token: &str, id: &str, family: &str) {
    let path = format!("/api/v1/persons/{id}");
    let read = app.get(&path, token).await;
    read.assert_status(200);
    let etag = read.header("etag").unwrap();
    app.patch(&path, token, Some(&etag), &json!({ "family_name": family }))
        .await
        .assert_status(200);
}
