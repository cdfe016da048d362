//! The demo directory answers the README's first call.

use tests::TestApp;

#[actix_web::test]
async fn demo_directory_lists_the_units_in_nassjo() {
    let app = TestApp::spawn_with_demo().await;
    let response = app
        .get("/api/v1/care-units?municipality=0682", &app.token("admin"))
        .await;
    let units = response.assert_status(200)["items"]
        .as_array()
        .unwrap()
        .clone();
    let kinds: Vec<&str> = units.iter().map(|u| u["kind"].as_str().unwrap()).collect();
    for kind in [
        "primary_care_centre",
        "home_care_service",
        "home_health_care",
    ] {
        assert!(kinds.contains(&kind), "Nässjö has a {kind}: {kinds:?}");
    }
    assert!(units.iter().all(|u| u["municipality"] == "0682"));

    let hospitals = app
        .get(
            "/api/v1/care-units?name=medicinavdelning&limit=200",
            &app.token("clinician"),
        )
        .await;
    let names: Vec<&str> = hospitals.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    for hospital in [
        "Länssjukhuset Ryhov",
        "Höglandssjukhuset Eksjö",
        "Värnamo sjukhus",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(hospital)),
            "{hospital} in {names:?}"
        );
    }
    let municipalities = app
        .get(
            "/api/v1/organizations?kind=municipality&limit=200",
            &app.token("admin"),
        )
        .await;
    assert_eq!(municipalities.body["items"].as_array().unwrap().len(), 13);
    let staff = app
        .get(
            "/api/v1/staff?municipality=0682&limit=200",
            &app.token("admin"),
        )
        .await;
    assert!(staff.body["items"].as_array().unwrap().len() >= 9);
}

#[actix_web::test]
async fn demo_data_is_loaded_only_once() {
    let app = TestApp::spawn_with_demo().await;
    let mut connection = persistence::DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    assert!(!api::demo::load_if_empty(&mut connection, &TestApp::test_agreement()).unwrap());
}

/// Every item of a list (one page of at most 200; the demo's lists are shorter).
async fn items(app: &TestApp, path: &str, token: &str) -> Vec<serde_json::Value> {
    let response = app.get(path, token).await;
    let body = response.assert_status(200);
    assert!(body["next"].is_null(), "{path}: more than one page");
    body["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn the_demo_holds_a_year_of_the_network_around_today() {
    let app = TestApp::spawn_with_demo().await;
    let coordinator = app.token("coordinator");
    // The case conferences are about persons Vårdcentralen Nässjö cares for: only a token of
    // such a unit sees them (a coordinator of no unit sees none).
    let vc = items(
        &app,
        "/api/v1/care-units?municipality=0682&kind=primary_care_centre&name=V%C3%A5rdcentralen%20N%C3%A4ssj%C3%B6",
        &coordinator,
    )
    .await[0]
        .clone();
    let vc_nurse = app.staff_token("clinician", &vc);
    assert!(
        items(
            &app,
            "/api/v1/meetings?kind=case_conference&limit=200",
            &coordinator
        )
        .await
        .is_empty()
    );
    for kind in [
        "organizing_committee",
        "municipal_network",
        "esther_cafe",
        "coach_network",
        "strategy_day",
        "case_conference",
    ] {
        let reader = if kind == "case_conference" {
            &vc_nurse
        } else {
            &coordinator
        };
        let meetings = items(
            &app,
            &format!("/api/v1/meetings?kind={kind}&limit=200"),
            reader,
        )
        .await;
        // The strategy day is in October, which may still be ahead.
        let status = if kind == "strategy_day" { "" } else { "held" };
        assert!(
            meetings
                .iter()
                .any(|m| m["status"].as_str().unwrap().contains(status)),
            "a held {kind}: {meetings:?}"
        );
    }
    let committee = items(
        &app,
        "/api/v1/meetings?kind=organizing_committee&limit=200",
        &coordinator,
    )
    .await;
    assert_eq!(committee.len(), 6, "the committee's six");
    let networks = items(
        &app,
        "/api/v1/meetings?kind=municipal_network&limit=200",
        &coordinator,
    )
    .await;
    assert_eq!(networks.len(), 72, "monthly in six municipalities");
    for code in ["0604", "0686", "0682", "0684", "0687", "0685"] {
        assert_eq!(
            networks
                .iter()
                .filter(|m| m["host_municipality"] == code)
                .count(),
            12,
            "{code}"
        );
    }
    let cancelled: Vec<_> = networks
        .iter()
        .filter(|m| m["status"] == "cancelled")
        .collect();
    assert_eq!(cancelled.len(), 1);
    assert!(networks.iter().any(|m| m["status"] == "scheduled"), "ahead");
    assert!(cancelled[0]["cancel_reason"].as_str().unwrap().len() > 10);
    let held: Vec<_> = networks.iter().filter(|m| m["status"] == "held").collect();
    assert!(held.iter().any(|m| m["esther_present"] == true));
    assert!(held.iter().any(|m| m["esther_present"] == false));

    let cafes = items(
        &app,
        "/api/v1/meetings?kind=esther_cafe&limit=200",
        &coordinator,
    )
    .await;
    let hosts: std::collections::HashSet<&str> = cafes
        .iter()
        .map(|m| m["host_municipality"].as_str().unwrap())
        .collect();
    assert_eq!(
        hosts.len(),
        cafes.len(),
        "each café in another municipality"
    );
    let cafe = cafes.iter().find(|m| m["status"] == "held").unwrap();
    let id = cafe["id"].as_str().unwrap();
    let story = app
        .get(&format!("/api/v1/meetings/{id}/story"), &coordinator)
        .await;
    assert!(story.assert_status(200)["text"].as_str().unwrap().len() > 20);
    let proposals = items(
        &app,
        &format!("/api/v1/meetings/{id}/proposals"),
        &coordinator,
    )
    .await;
    assert_eq!(proposals.len(), 2);
    let ics = app
        .get(&format!("/api/v1/meetings/{id}.ics"), &coordinator)
        .await;
    ics.assert_status(200);

    let versions: usize = {
        let mut total = 0;
        for meeting in committee.iter().filter(|m| m["status"] == "held") {
            let id = meeting["id"].as_str().unwrap();
            total += items(
                &app,
                &format!("/api/v1/meetings/{id}/minutes/versions"),
                &coordinator,
            )
            .await
            .len();
        }
        total
    };
    let held_committee = committee.iter().filter(|m| m["status"] == "held").count();
    assert_eq!(
        versions,
        held_committee + 1,
        "approved minutes, one amended"
    );

    for status in ["open", "in_progress", "done", "cancelled"] {
        let listed = items(
            &app,
            &format!("/api/v1/action-items?status={status}&limit=200"),
            &coordinator,
        )
        .await;
        assert!(!listed.is_empty(), "an action item {status}");
    }
    let overdue = items(
        &app,
        "/api/v1/action-items?overdue=true&limit=200",
        &coordinator,
    )
    .await;
    assert!(!overdue.is_empty());
    assert!(overdue.iter().all(|i| i["overdue"] == true));
}

#[actix_web::test]
async fn the_demo_projects_shift_after_their_adopted_change_and_nassjo_has_figures() {
    let app = TestApp::spawn_with_demo().await;
    let coach = app.token("coach");
    let projects = items(&app, "/api/v1/improvement-projects?limit=200", &coach).await;
    assert_eq!(projects.len(), 3);
    let mut kinds = Vec::new();
    for project in &projects {
        let id = project["id"].as_str().unwrap();
        let project = app
            .get(&format!("/api/v1/improvement-projects/{id}"), &coach)
            .await;
        let project = project.assert_status(200).clone();
        let adopted: Vec<&str> = project["pdsa_cycles"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["act"] == "adopt")
            .map(|c| c["change_point_on"].as_str().unwrap())
            .collect();
        assert_eq!(adopted.len(), 1, "{project}");
        let measure = &project["measures"][0];
        let chart_type = match measure["value_kind"].as_str().unwrap() {
            "proportion" => "p",
            "rate" => "u",
            _ => "run",
        };
        kinds.push(chart_type);
        let path = format!("/api/v1/measures/{}/chart", measure["id"].as_str().unwrap());
        let split = app.get(&format!("{path}?type={chart_type}"), &coach).await;
        let split = split.assert_status(200).clone();
        assert_eq!(split["parts"].as_array().unwrap().len(), 2);
        assert_eq!(
            split["parts"][1]["start"], adopted[0],
            "split at the change"
        );
        let change = split["parts"][1]["first_point"].as_u64().unwrap();
        let whole = app
            .get(&format!("{path}?type={chart_type}&split="), &coach)
            .await;
        let whole = whole.assert_status(200).clone();
        // A run chart's IHI shift, a control chart's long run (Anhøj) or points outside the
        // limits: the process after the change is not the one before.
        let shift = whole["signals"].as_array().unwrap().iter().find(|s| {
            ["shift", "long_run", "outside_limits"].contains(&s["rule"].as_str().unwrap())
                && s["points"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p.as_u64().unwrap() >= change)
        });
        assert!(shift.is_some(), "a signal past the change in {whole}");
        let svg = app
            .send(
                actix_web::http::Method::GET,
                &format!("{path}?type={chart_type}"),
                Some(&coach),
                &[("accept", "image/svg+xml")],
                None,
            )
            .await;
        svg.assert_status(200);
    }
    kinds.sort_unstable();
    assert_eq!(kinds, ["p", "run", "u"]);

    let cohorts = items(&app, "/api/v1/training-cohorts", &coach).await;
    assert_eq!(cohorts[0]["sessions"].as_array().unwrap().len(), 8);

    let analyst = app.token("analyst");
    let today = tests::today();
    let from = today - chrono::Duration::days(365);
    let table = app
        .get(
            &format!("/api/v1/indicators?municipality=0682&from={from}&to={today}&period=quarter"),
            &analyst,
        )
        .await;
    let rows = table.assert_status(200)["rows"].as_array().unwrap().clone();
    for indicator in [
        "days_ready_to_discharge_median",
        "days_ready_to_discharge_mean",
        "liability_days",
        "admission_notices_late",
        "planning_calls",
    ] {
        let figures: Vec<_> = rows
            .iter()
            .filter(|r| r["indicator"] == indicator)
            .collect();
        assert!(
            figures
                .iter()
                .filter(|r| r["suppressed"] == false && r["value"].as_f64().is_some_and(|v| v > 0.0))
                .count()
                // Two of the five quarters at least: a quarter of 1–4 persons is hidden, and
                // with it another (complementary suppression: the year would show it).
                >= 2,
            "{indicator}: {figures:?}"
        );
    }
    let readmissions = rows
        .iter()
        .filter(|r| r["indicator"] == "readmissions_within_30_days")
        .filter(|r| r["value"].as_f64().is_some_and(|v| v >= 5.0))
        .count();
    assert!(readmissions >= 1, "a quarter with readmissions shown");
    let share: Vec<_> = rows
        .iter()
        .filter(|r| r["indicator"] == "meetings_with_esther_share")
        .filter_map(|r| r["value"].as_f64())
        .collect();
    assert!(share.iter().any(|v| *v > 0.0 && *v < 1.0), "{share:?}");
}
