//! An ESTHER café's records over HTTP: the opening story (no personal identifiers; who told
//! it), the lessons learned, and proposals to management, each followed as an action item of
//! the organization it is addressed to. Only a meeting of kind `esther_cafe` has them.

use actix_web::http::Method;
use chrono::Duration;
use serde_json::{Value, json};
use tests::{TestApp, personnummer};

use crate::meeting_records::{cancel, days_from_now, meeting_at, refused_field, send_if_match};
use crate::record_support::network;

fn story(text: &str) -> Value {
    json!({ "text": text, "narrator": "relative", "narrator_description": "her daughter" })
}

fn date(days: i64) -> String {
    (chrono::Utc::now() + Duration::days(days))
        .date_naive()
        .to_string()
}

#[actix_web::test]
async fn the_story_is_told_once_without_personal_identifiers_and_replaced_with_if_match() {
    let app = TestApp::spawn().await;
    let id = meeting_at(&app, "esther_cafe", days_from_now(-1), json!({})).await;
    let path = format!("/api/v1/meetings/{id}/story");
    let token = app.token("coordinator");
    app.get(&path, &token).await.assert_problem(404);
    // Personal numbers in any form, in the text or the description: refused by name.
    let number = personnummer("19400312", "123");
    let short = format!("{}-{}", &number[2..8], &number[9..]);
    for (body, field) in [
        (
            story(&format!("Esther ({number}) waited three days.")),
            "text",
        ),
        (
            story(&format!("Esther, {}, waited.", number.replace('-', ""))),
            "text",
        ),
        (
            story(&format!("Her number {short} was on the papers.")),
            "text",
        ),
        (
            json!({ "text": "She waited.", "narrator": "esther", "narrator_description": format!("herself, {number}") }),
            "narrator_description",
        ),
        (
            json!({ "text": "She waited.", "narrator": "neighbour" }),
            "narrator",
        ),
        (story(" "), "text"),
    ] {
        let refused = app.post(&path, &token, &body).await;
        assert_eq!(refused_field(&refused), field, "{body}");
        assert!(
            !refused.text.contains(&number[9..]),
            "the number is not repeated"
        );
    }
    app.get(&path, &token).await.assert_problem(404);
    let told = app
        .post(
            &path,
            &token,
            &story(
                "She waited three days for home care after discharge; born 1940-03-12, ward 12.",
            ),
        )
        .await;
    let recorded = told.assert_status(201).clone();
    assert_eq!(recorded["narrator"], "relative");
    assert_eq!(recorded["narrator_description"], "her daughter");
    assert_eq!(told.header("etag").as_deref(), Some("\"1\""));
    app.post(&path, &token, &story("again"))
        .await
        .assert_problem(409);
    // Replaced with If-Match, under the same rules.
    app.request(Method::PUT, &path, Some(&token), &[], Some(&story("x")))
        .await
        .assert_problem(428);
    let refused = send_if_match(
        &app,
        Method::PUT,
        &path,
        &token,
        "\"1\"",
        &story(&format!("pnr {number}")),
    )
    .await;
    assert_eq!(refused_field(&refused), "text");
    let herself = json!({ "text": "I waited three days.", "narrator": "esther" });
    let retold = send_if_match(&app, Method::PUT, &path, &token, "\"1\"", &herself).await;
    assert_eq!(retold.assert_status(200)["narrator"], "esther");
    assert!(retold.body["narrator_description"].is_null());
    send_if_match(&app, Method::PUT, &path, &token, "\"1\"", &herself)
        .await
        .assert_problem(412);
    let read = app.get(&path, &app.token("clinician")).await;
    assert_eq!(read.assert_status(200)["text"], "I waited three days.");
    assert_eq!(read.header("etag").as_deref(), Some("\"2\""));
    app.get(&path, &app.token("analyst"))
        .await
        .assert_problem(403);
    app.post(&path, &app.token("clinician"), &story("x"))
        .await
        .assert_problem(403);
}

#[actix_web::test]
async fn only_a_cafe_that_is_not_cancelled_has_a_story_lessons_and_proposals() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let committee = meeting_at(&app, "organizing_committee", days_from_now(2), json!({})).await;
    let cafe = meeting_at(&app, "esther_cafe", days_from_now(3), json!({})).await;
    cancel(&app, &cafe).await;
    let token = app.token("coordinator");
    let proposal =
        json!({ "title": "t", "text": "p", "organization_id": net.region["id"], "due": date(30) });
    for id in [&committee, &cafe] {
        app.post(
            &format!("/api/v1/meetings/{id}/story"),
            &token,
            &story("She waited."),
        )
        .await
        .assert_problem(409);
        app.post(
            &format!("/api/v1/meetings/{id}/lessons"),
            &token,
            &json!({ "text": "Call ahead" }),
        )
        .await
        .assert_problem(409);
        app.post(
            &format!("/api/v1/meetings/{id}/proposals"),
            &token,
            &proposal,
        )
        .await
        .assert_problem(409);
    }
    let items = app.get("/api/v1/action-items", &token).await;
    assert!(
        items.assert_status(200)["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[actix_web::test]
async fn lessons_and_proposals_each_followed_as_an_action_item_of_the_organization() {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let id = meeting_at(&app, "esther_cafe", days_from_now(-1), json!({})).await;
    let token = app.token("coach");
    let lessons = format!("/api/v1/meetings/{id}/lessons");
    for text in [
        "Nobody told home care she was coming home.",
        "The discharge letter came a week late.",
    ] {
        app.post(&lessons, &token, &json!({ "text": text }))
            .await
            .assert_status(201);
    }
    let number = personnummer("19400312", "123");
    let refused = app
        .post(
            &lessons,
            &token,
            &json!({ "text": format!("About {number}") }),
        )
        .await;
    assert_eq!(refused_field(&refused), "text");
    let listed = app.get(&lessons, &app.token("clinician")).await;
    let texts: Vec<&str> = listed.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Nobody told home care she was coming home.",
            "The discharge letter came a week late."
        ]
    );
    // A proposal opens an action item addressed to the organization.
    let proposals = format!("/api/v1/meetings/{id}/proposals");
    let body = json!({
        "title": "Home care contact on the discharge checklist",
        "text": "Add the home care service's phone number to the ward's discharge checklist.",
        "organization_id": net.region["id"],
        "due": date(60),
    });
    let made = app.post(&proposals, &token, &body).await;
    let proposal = made.assert_status(201).clone();
    let location = made.header("location").unwrap();
    assert_eq!(
        location,
        format!(
            "/api/v1/action-items/{}",
            proposal["action_item_id"].as_str().unwrap()
        )
    );
    let item = app.get(&location, &app.token("clinician")).await;
    let item = item.assert_status(200).clone();
    assert_eq!(item["organization_id"], net.region["id"]);
    assert_eq!(item["meeting_id"], json!(id));
    assert_eq!(item["title"], body["title"]);
    assert_eq!(item["description"], body["text"]);
    assert_eq!(item["status"], "open");
    assert!(item["owner_id"].is_null() && item["care_unit_id"].is_null());
    let region = net.region["id"].as_str().unwrap();
    let followed = app
        .get(
            &format!("/api/v1/action-items?organization={region}"),
            &token,
        )
        .await;
    assert_eq!(followed.assert_status(200)["items"][0]["id"], item["id"]);
    // Followed like any action item: management takes it on.
    let started = app
        .patch(
            &location,
            &app.token("coordinator"),
            Some("\"1\""),
            &json!({ "status": "in_progress", "care_unit_id": net.ward["id"] }),
        )
        .await;
    assert_eq!(started.assert_status(200)["status"], "in_progress");
    // Bad proposals write neither the proposal nor an action item.
    let ghost = uuid::Uuid::now_v7();
    let mut early = body.clone();
    early["due"] = json!(date(-30));
    let mut unknown = body.clone();
    unknown["organization_id"] = json!(ghost);
    let mut identifying = body.clone();
    identifying["text"] = json!(format!("As for {number}: call home care."));
    for (body, field) in [
        (early, "due"),
        (unknown, "organization_id"),
        (identifying, "text"),
    ] {
        let refused = app.post(&proposals, &token, &body).await;
        assert_eq!(refused_field(&refused), field);
    }
    let all = app.get(&proposals, &token).await;
    assert_eq!(all.assert_status(200)["items"].as_array().unwrap().len(), 1);
    assert_eq!(all.body["items"][0]["action_item_id"], item["id"]);
    let items = app.get("/api/v1/action-items", &token).await;
    assert_eq!(
        items.assert_status(200)["items"].as_array().unwrap().len(),
        1
    );
}
