//! Her coordinated individual plan (SIP) through HTTP: consent, statutory parts, relatives,
//! who sees it, versions, follow-ups, and the timeline.

use actix_web::http::Method;
use serde_json::{Value, json};
use tests::{TestApp, TestResponse};

use crate::record_support::{Network, id, network, register};

struct Planning {
    app: TestApp,
    net: Network,
    person: String,
    /// Clinician at Vårdcentralen Nässjö (the region), who makes the plan.
    primary_care: String,
    /// Coordinator at Hemtjänst Nässjö (the municipality).
    home_care: String,
}

/// Esther, cared for by the ward, her primary care centre and Nässjö's home care.
async fn planning() -> Planning {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let person = id(&register(&app, &net.ward, "19121212-1212", json!({})).await);
    for unit in [&net.primary_care, &net.home_care] {
        register(&app, unit, "19121212-1212", json!({})).await;
    }
    let primary_care = app.staff_token("clinician", &net.primary_care);
    let home_care = app.staff_token("coordinator", &net.home_care);
    Planning {
        app,
        net,
        person,
        primary_care,
        home_care,
    }
}

fn org(unit: &Value) -> Value {
    unit["organization_id"].clone()
}

impl Planning {
    fn plans_path(&self) -> String {
        format!("/api/v1/persons/{}/care-plans", self.person)
    }

    async fn consent(&self, scope: &str, status: &str) {
        self.app
            .post(
                &format!("/api/v1/persons/{}/consents", self.person),
                &self.primary_care,
                &json!({ "scope": scope, "status": status }),
            )
            .await
            .assert_status(201);
    }

    /// A plan with every statutory part: home care and the primary care centre each do
    /// something; the municipality holds overall responsibility.
    fn complete_plan(&self) -> Value {
        json!({
            "needs": "Stöd med personlig omvårdnad och läkemedel efter utskrivning",
            "goals": "Bo kvar hemma och kunna gå till affären själv till våren",
            "overall_responsible_organization_id": org(&self.net.home_care),
            "actions": [
                { "intervention": "Hemtjänst morgon och kväll", "responsible_organization_id": org(&self.net.home_care), "due_date": "2026-12-01" },
                { "intervention": "Läkemedelsgenomgång", "responsible_organization_id": org(&self.net.primary_care), "status": "in_progress" },
            ],
            "participants": { "care_units": [self.net.primary_care["id"], self.net.home_care["id"]], "person": true },
            "follow_up_date": "2026-12-15",
            "note": "SIP-möte i hemmet",
        })
    }

    async fn put(
        &self,
        path: &str,
        token: &str,
        if_match: Option<&str>,
        body: &Value,
    ) -> TestResponse {
        let headers: Vec<(&str, &str)> =
            if_match.map(|tag| ("if-match", tag)).into_iter().collect();
        self.app
            .request(Method::PUT, path, Some(token), &headers, Some(body))
            .await
    }

    async fn post_if_match(
        &self,
        path: &str,
        token: &str,
        if_match: &str,
        body: &Value,
    ) -> TestResponse {
        self.app
            .request(
                Method::POST,
                path,
                Some(token),
                &[("if-match", if_match)],
                Some(body),
            )
            .await
    }

    async fn made_plan(&self) -> Value {
        self.consent("coordinated_planning", "given").await;
        let made = self
            .app
            .post(
                &self.plans_path(),
                &self.primary_care,
                &self.complete_plan(),
            )
            .await;
        made.assert_status(201).clone()
    }
}

fn fields(response: &TestResponse) -> Vec<String> {
    response.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_plan_needs_her_consent_and_a_refusal_blocks_it() {
    let p = planning().await;
    let without = p
        .app
        .post(&p.plans_path(), &p.primary_care, &p.complete_plan())
        .await;
    without.assert_problem(422);
    assert_eq!(fields(&without), ["consent"]);
    assert!(
        without.text.contains("no recorded consent"),
        "{}",
        without.text
    );

    p.consent("coordinated_planning", "refused").await;
    let refused = p
        .app
        .post(&p.plans_path(), &p.primary_care, &p.complete_plan())
        .await;
    refused.assert_problem(422);
    assert!(refused.text.contains("`refused`"), "{}", refused.text);

    // Nothing was made: her list is empty.
    let list = p.app.get(&p.plans_path(), &p.primary_care).await;
    assert_eq!(list.assert_status(200)["items"], json!([]));

    p.consent("coordinated_planning", "given").await;
    p.app
        .post(&p.plans_path(), &p.primary_care, &p.complete_plan())
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn missing_statutory_parts_are_named() {
    let p = planning().await;
    p.consent("coordinated_planning", "given").await;
    let empty = p
        .app
        .post(&p.plans_path(), &p.primary_care, &json!({}))
        .await;
    empty.assert_problem(422);
    assert_eq!(
        fields(&empty),
        [
            "needs",
            "goals",
            "actions",
            "overall_responsible_organization_id",
            "participants",
            "follow_up_date"
        ]
    );

    let mut partial = p.complete_plan();
    partial["goals"] = json!("  ");
    partial["actions"] = json!([]);
    let response = p.app.post(&p.plans_path(), &p.primary_care, &partial).await;
    response.assert_problem(422);
    assert_eq!(fields(&response), ["goals", "actions"]);

    // Overall responsibility lies with a principal (region or municipality), and what the plan
    // names must exist.
    let private = p
        .app
        .create_organization(
            "Omsorgsbolaget AB",
            "private_provider",
            "SE5560000001-0001",
            None,
        )
        .await;
    let mut wrong = p.complete_plan();
    wrong["overall_responsible_organization_id"] = private["id"].clone();
    wrong["participants"]["care_units"] = json!([uuid::Uuid::now_v7()]);
    wrong["actions"][0]["id"] = json!(uuid::Uuid::now_v7());
    let response = p.app.post(&p.plans_path(), &p.primary_care, &wrong).await;
    response.assert_problem(422);
    assert_eq!(
        fields(&response),
        [
            "overall_responsible_organization_id",
            "actions",
            "participants.care_units[0]"
        ]
    );
}

#[actix_web::test]
async fn relatives_take_part_only_if_she_has_not_objected() {
    let p = planning().await;
    p.consent("coordinated_planning", "given").await;
    let daughter = p
        .app
        .post(
            &format!("/api/v1/persons/{}/contacts", p.person),
            &p.primary_care,
            &json!({ "name": "Anna Andersson", "relation": "dotter" }),
        )
        .await;
    let daughter = id(daughter.assert_status(201));
    let mut with_relative = p.complete_plan();
    with_relative["participants"]["relatives"] = json!([daughter]);

    p.consent("relatives_participation", "refused").await;
    let refused = p
        .app
        .post(&p.plans_path(), &p.primary_care, &with_relative)
        .await;
    refused.assert_problem(422);
    assert_eq!(fields(&refused), ["participants.relatives"]);

    let mut stranger = p.complete_plan();
    stranger["participants"]["relatives"] = json!([uuid::Uuid::now_v7()]);
    let unknown = p
        .app
        .post(&p.plans_path(), &p.primary_care, &stranger)
        .await;
    assert!(
        fields(&unknown).contains(&"participants.relatives[0]".to_owned()),
        "{}",
        unknown.text
    );

    p.consent("relatives_participation", "given").await;
    let made = p
        .app
        .post(&p.plans_path(), &p.primary_care, &with_relative)
        .await;
    assert_eq!(
        made.assert_status(201)["participants"]["relatives"],
        json!([daughter])
    );
}

#[actix_web::test]
async fn a_plan_is_made_revised_followed_up_and_every_version_stays_readable() {
    let p = planning().await;
    let made = p.made_plan().await;
    assert_eq!(
        (made["version"].as_i64(), made["change"].as_str()),
        (Some(1), Some("created"))
    );
    assert_eq!(made["actions"][0]["status"], "planned");
    let plan_path = format!("/api/v1/care-plans/{}", id(&made));
    let first_action = made["actions"][0]["id"].clone();

    // Home care (the municipality, another organization) takes part and reads it, although
    // she gave no consent to information sharing: the plan is what she agreed to share.
    let read = p.app.get(&plan_path, &p.home_care).await;
    assert_eq!(read.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(read.assert_status(200)["goals"], made["goals"]);

    // Home care revises: keeps its action (now under way), drops the review, adds one.
    let mut revision = p.complete_plan();
    revision["actions"] = json!([
        { "id": first_action, "intervention": "Hemtjänst morgon, lunch och kväll", "responsible_organization_id": org(&p.net.home_care), "status": "in_progress" },
        { "intervention": "Trygghetslarm", "responsible_organization_id": org(&p.net.home_care), "due_date": "2026-11-30" },
    ]);
    revision["note"] = json!("Behöver hjälp även vid lunch");
    p.put(&plan_path, &p.home_care, None, &revision)
        .await
        .assert_problem(428);
    let revised = p
        .put(&plan_path, &p.home_care, Some("\"1\""), &revision)
        .await;
    let revised = revised.assert_status(200).clone();
    assert_eq!(
        (revised["version"].as_i64(), revised["change"].as_str()),
        (Some(2), Some("revised"))
    );
    assert_eq!(revised["actions"][0]["id"], first_action);
    assert_eq!(revised["changed_by_unit"], p.net.home_care["id"]);
    p.put(&plan_path, &p.home_care, Some("\"1\""), &revision)
        .await
        .assert_problem(412);

    // The primary care centre holds the follow-up: the alarm is in place.
    let alarm = revised["actions"][1]["id"].clone();
    let follow_up = json!({
        "held_on": "2026-11-20",
        "evaluation": "Esther klarar sig bra hemma; larmet används",
        "next_follow_up_date": "2027-02-01",
        "action_statuses": [{ "action_id": alarm, "status": "done" }],
    });
    let followed = p
        .post_if_match(
            &format!("{plan_path}/follow-ups"),
            &p.primary_care,
            "\"2\"",
            &follow_up,
        )
        .await;
    assert_eq!(
        followed.header("location"),
        Some(format!("{plan_path}/versions/3"))
    );
    let followed = followed.assert_status(201).clone();
    assert_eq!(followed["follow_up_date"], "2027-02-01");
    assert_eq!(followed["actions"][1]["status"], "done");
    assert_eq!(
        followed["follow_ups"][0]["evaluation"],
        follow_up["evaluation"]
    );
    let mut unknown_action = follow_up.clone();
    unknown_action["action_statuses"][0]["action_id"] = json!(uuid::Uuid::now_v7());
    let response = p
        .post_if_match(
            &format!("{plan_path}/follow-ups"),
            &p.primary_care,
            "\"3\"",
            &unknown_action,
        )
        .await;
    assert_eq!(fields(&response), ["action_statuses"]);
    let mut future = follow_up.clone();
    future["held_on"] = json!("2099-01-01");
    let response = p
        .post_if_match(
            &format!("{plan_path}/follow-ups"),
            &p.primary_care,
            "\"3\"",
            &future,
        )
        .await;
    assert!(
        fields(&response).contains(&"held_on".to_owned()),
        "{}",
        response.text
    );

    // The history, and each old version whole.
    let history = p
        .app
        .get(&format!("{plan_path}/versions"), &p.home_care)
        .await;
    let changes: Vec<&str> = history.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["created", "revised", "followed_up"]);
    let page = p
        .app
        .get(&format!("{plan_path}/versions?limit=2"), &p.home_care)
        .await;
    let next = page.assert_status(200)["next"].as_str().unwrap().to_owned();
    let rest = p
        .app
        .get(
            &format!("{plan_path}/versions?limit=2&cursor={next}"),
            &p.home_care,
        )
        .await;
    assert_eq!(rest.assert_status(200)["items"][0]["version"], 3);
    let first = p
        .app
        .get(&format!("{plan_path}/versions/1"), &p.home_care)
        .await;
    let first = first.assert_status(200);
    assert_eq!(first["actions"][1]["intervention"], "Läkemedelsgenomgång");
    assert_eq!(first["follow_ups"], json!([]));
    p.app
        .get(&format!("{plan_path}/versions/9"), &p.home_care)
        .await
        .assert_problem(404);

    // Esther reads her own plan.
    let own = p
        .app
        .get(&p.plans_path(), &p.app.person_token(&p.person))
        .await;
    assert_eq!(own.assert_status(200)["items"][0]["version"], 3);

    // Her timeline shows the plan's changes, in order, after the care relationships began.
    let timeline = p
        .app
        .get(
            &format!("/api/v1/persons/{}/timeline", p.person),
            &p.primary_care,
        )
        .await;
    let events = timeline.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    let plan_events: Vec<(i64, &str)> = events
        .iter()
        .filter(|e| e["kind"] == "plan_changed")
        .map(|e| {
            (
                e["plan_version"].as_i64().unwrap(),
                e["plan_change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        plan_events,
        [(1, "created"), (2, "revised"), (3, "followed_up")]
    );
    let times: Vec<&str> = events.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[actix_web::test]
async fn a_plan_is_shared_only_as_she_agreed() {
    let p = planning().await;
    let made = p.made_plan().await;
    let plan_path = format!("/api/v1/care-plans/{}", id(&made));
    // Not caring for her: as if there were no plan.
    let outsider = p.app.staff_token("clinician", &p.net.unrelated);
    let hidden = p.app.get(&plan_path, &outsider).await;
    hidden.assert_problem(404);
    // The plan's own 404, naming neither her nor that the plan is hers.
    assert_eq!(
        hidden.body["detail"],
        format!("no care plan {} that you may see", id(&made)),
        "{}",
        hidden.text
    );
    assert!(!hidden.text.contains(&p.person), "{}", hidden.text);
    // The ward (same organization as the maker) sees it under the record's rules.
    let ward = p.app.staff_token("clinician", &p.net.ward);
    p.app.get(&plan_path, &ward).await.assert_status(200);

    // She withdraws consent to coordinated planning: no more changes, and the municipality
    // (another organization, with no information-sharing consent) no longer sees it.
    p.consent("coordinated_planning", "withdrawn").await;
    let revised = p
        .put(
            &plan_path,
            &p.primary_care,
            Some("\"1\""),
            &p.complete_plan(),
        )
        .await;
    revised.assert_problem(422);
    assert_eq!(fields(&revised), ["consent"]);
    p.app
        .get(&plan_path, &p.home_care)
        .await
        .assert_problem(404);
    let listed = p.app.get(&p.plans_path(), &p.home_care).await;
    assert_eq!(listed.assert_status(200)["items"], json!([]));
    p.app
        .get(&plan_path, &p.primary_care)
        .await
        .assert_status(200);

    // Every plan request left its event in her log.
    let log = p
        .app
        .get(
            &format!("/api/v1/persons/{}/access-log?limit=200", p.person),
            &p.app.person_token(&p.person),
        )
        .await;
    let plan_events: Vec<(String, String)> = log.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"].as_str().unwrap().starts_with("care-plan"))
        .map(|e| {
            (
                e["resource"].as_str().unwrap().to_owned(),
                e["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        plan_events,
        [
            ("care-plan", "allowed"),
            ("care-plan", "denied"),
            ("care-plan", "allowed"),
            ("care-plan", "failed"),
            ("care-plan", "failed"),
            ("care-plans", "allowed"),
            ("care-plan", "allowed"),
        ]
        .map(|(r, o)| (r.to_owned(), o.to_owned()))
    );
}

/// Access before validation: a caller who may not see her gets 404 whatever the body (before,
/// the 422 listed the plan's fields and so told the caller that she exists).
#[actix_web::test]
async fn a_caller_without_access_gets_404_whatever_the_plan_body() {
    let p = planning().await;
    p.consent("coordinated_planning", "given").await;
    let other_person = id(&register(
        &p.app,
        &p.net.unrelated,
        &tests::personnummer("19390909", "123"),
        json!({}),
    )
    .await);
    for token in [
        p.app.staff_token("clinician", &p.net.unrelated),
        p.app.person_token(&other_person),
    ] {
        for body in [json!({}), json!({ "needs": " " })] {
            let refused = p.app.post(&p.plans_path(), &token, &body).await;
            refused.assert_problem(404);
            assert!(!refused.text.contains("needs"), "{}", refused.text);
        }
    }
    // With access, the body's problems are named as before.
    let empty = p
        .app
        .post(&p.plans_path(), &p.primary_care, &json!({}))
        .await;
    empty.assert_problem(422);
}
