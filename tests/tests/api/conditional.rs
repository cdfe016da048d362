//! Conditional reads (RFC 9110 §13.1.2): `If-None-Match` with the current `ETag` is a 304
//! without a body; on her record it is still an access and is logged.

use actix_web::http::Method;
use serde_json::json;
use tests::TestApp;

use crate::record_support::{id, network, register};

/// The reads of her record (not of her log extract) in her access log.
async fn record_reads(app: &TestApp, person_id: &str) -> usize {
    app.get(
        &format!("/api/v1/persons/{person_id}/access-log?limit=200"),
        &app.person_token(person_id),
    )
    .await
    .assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["action"] == "read" && event["resource"] == "person")
        .count()
}

#[actix_web::test]
async fn an_unchanged_record_is_304_and_still_logged() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let nurse = app.staff_token("clinician", &net.ward);
    let first = app.get(&path, &nurse).await;
    first.assert_status(200);
    let etag = first.header("etag").unwrap();
    let before = record_reads(&app, &id(&person)).await;
    assert!(before >= 1, "the first read is in her log");

    for condition in [etag.clone(), format!("\"0\", W/{etag}"), "*".to_owned()] {
        let again = app
            .request(
                Method::GET,
                &path,
                Some(&nurse),
                &[("if-none-match", &condition)],
                None,
            )
            .await;
        assert_eq!(again.status, 304, "{condition}: {}", again.text);
        assert!(again.text.is_empty(), "a 304 has no body: {}", again.text);
        assert_eq!(again.header("etag").as_deref(), Some(etag.as_str()));
        assert_eq!(again.header("cache-control").as_deref(), Some("no-store"));
    }
    // Each 304 read her record: three more reads.
    let after = record_reads(&app, &id(&person)).await;
    assert_eq!(after, before + 3, "every 304 is an access in her log");

    // A copy that is not current gets the record.
    let stale = app
        .request(
            Method::GET,
            &path,
            Some(&nurse),
            &[("if-none-match", "\"0\"")],
            None,
        )
        .await;
    stale.assert_status(200);

    // A caller without access gets the same 404 with or without the condition: the condition
    // never reveals that the record exists.
    let stranger = app.staff_token("clinician", &net.unrelated);
    let hidden = app
        .request(
            Method::GET,
            &path,
            Some(&stranger),
            &[("if-none-match", &etag)],
            None,
        )
        .await;
    hidden.assert_problem(404);
}

#[actix_web::test]
async fn directory_resources_answer_304_and_writes_ignore_if_none_match() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin");
    let org = app
        .create_organization("Region Jönköpings län", "region", "SE2321000057-0001", None)
        .await;
    let path = format!("/api/v1/organizations/{}", org["id"].as_str().unwrap());
    let etag = app.get(&path, &admin).await.header("etag").unwrap();
    let conditional = |tag: String| {
        let admin = admin.clone();
        let path = path.clone();
        let app = &app;
        async move {
            app.request(
                Method::GET,
                &path,
                Some(&admin),
                &[("if-none-match", &tag)],
                None,
            )
            .await
        }
    };
    assert_eq!(conditional(etag.clone()).await.status, 304);
    // After a change the old tag no longer matches.
    app.patch(
        &path,
        &admin,
        Some(&etag),
        &json!({ "name": "Region Jönköping" }),
    )
    .await
    .assert_status(200);
    let changed = conditional(etag.clone()).await;
    changed.assert_status(200);
    assert_ne!(changed.header("etag").unwrap(), etag);
    // Lists carry no ETag: a condition changes nothing.
    let list = app
        .request(
            Method::GET,
            "/api/v1/organizations",
            Some(&admin),
            &[("if-none-match", "*")],
            None,
        )
        .await;
    list.assert_status(200);
}

/// Her record shows more than her own row (statements, relationships, what the caller may
/// see), so its `ETag` follows the body: a care relationship or a statement added since makes
/// the client's copy stale (200, a new tag), never a 304 on a copy without them. The tag still
/// passes `If-Match` for her version (decision 0028).
#[actix_web::test]
async fn her_record_is_not_304_after_an_entry_the_version_does_not_count() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", id(&person));
    let ward = app.staff_token("clinician", &net.ward);
    let conditional = |tag: String| {
        let (app, path, ward) = (&app, path.clone(), ward.clone());
        async move {
            app.request(
                Method::GET,
                &path,
                Some(&ward),
                &[("if-none-match", &tag)],
                None,
            )
            .await
        }
    };
    let first = app.get(&path, &ward).await;
    let version = first.assert_status(200)["version"].clone();
    let etag = first.header("etag").unwrap();
    assert!(etag.starts_with(&format!("\"{version}.")), "{etag}");
    assert_eq!(conditional(etag.clone()).await.status, 304);

    let relationship = json!({ "care_unit_id": net.home_care["id"], "role": "home_care_contact" });
    app.post(&format!("{path}/care-relationships"), &ward, &relationship)
        .await
        .assert_status(201);
    let after_relationship = conditional(etag.clone()).await;
    after_relationship.assert_status(200);
    assert_eq!(
        after_relationship.body["version"], version,
        "her row is unchanged"
    );
    let etag_2 = after_relationship.header("etag").unwrap();
    assert_ne!(etag_2, etag);

    let statement = json!({ "kind": "need", "text": "Hjälp med dusch" });
    app.post(&format!("{path}/statements"), &ward, &statement)
        .await
        .assert_status(201);
    assert_eq!(conditional(etag_2.clone()).await.status, 200);

    // The read's tag passes If-Match for her version; the version alone still does too.
    let read = app.get(&path, &ward).await;
    let etag_3 = read.header("etag").unwrap();
    let change = json!({ "given_name": "Esther" });
    let updated = app.patch(&path, &ward, Some(&etag_3), &change).await;
    updated.assert_status(200);
    // Her version moved: the old read's tag is stale.
    app.patch(&path, &ward, Some(&etag_3), &change)
        .await
        .assert_problem(412);
}
