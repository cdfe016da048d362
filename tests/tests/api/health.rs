use actix_web::http::Method;
use tests::TestApp;

#[actix_web::test]
async fn live_and_ready_answer_without_auth() {
    let app = TestApp::spawn().await;
    let live = app
        .request(Method::GET, "/health/live", None, &[], None)
        .await;
    assert_eq!(live.assert_status(200)["status"], "ok");
    let ready = app
        .request(Method::GET, "/health/ready", None, &[], None)
        .await;
    assert_eq!(ready.assert_status(200)["status"], "ready");
}

#[actix_web::test]
async fn request_id_is_echoed_or_generated() {
    let app = TestApp::spawn().await;
    let echoed = app
        .request(
            Method::GET,
            "/health/live",
            None,
            &[("x-request-id", "trace-abc.123")],
            None,
        )
        .await;
    assert_eq!(
        echoed.header("x-request-id").as_deref(),
        Some("trace-abc.123")
    );
    let generated = app
        .request(Method::GET, "/health/live", None, &[], None)
        .await;
    assert!(
        generated
            .header("x-request-id")
            .is_some_and(|id| uuid::Uuid::parse_str(&id).is_ok())
    );
    let unsafe_id = app
        .request(
            Method::GET,
            "/health/live",
            None,
            &[("x-request-id", "a b<script>")],
            None,
        )
        .await;
    assert!(
        unsafe_id
            .header("x-request-id")
            .is_some_and(|id| uuid::Uuid::parse_str(&id).is_ok())
    );
    let error = app
        .request(Method::GET, "/api/v1/care-units", None, &[], None)
        .await;
    assert!(
        error.header("x-request-id").is_some(),
        "errors carry the request id too"
    );
}

/// A stuck database: the process takes on a bounded amount of database work (8 per pooled
/// connection; the test app has 4 connections), refuses the rest at once with 503, and stays
/// live; when the database comes back, so does the service.
#[actix_web::test]
async fn excess_requests_fail_fast_while_the_database_is_stuck() {
    use diesel::connection::SimpleConnection;
    use std::time::{Duration, Instant};

    let app = TestApp::spawn().await;
    let admin = app.token("admin");
    // Writers to organizations now wait: SQLite for its write lock, PostgreSQL for the table.
    let mut holder = app.hold_writes_to("organizations");
    let started = Instant::now();
    let release_after = Duration::from_millis(1_500);
    let writes = (0..60).map(|i| {
        let body = serde_json::json!({
            "name": format!("Vårdgivare {i}"), "kind": "private_provider",
            "hsa_id": format!("SE55600001{i:02}-0001"),
        });
        let (app, admin) = (&app, &admin);
        async move {
            let response = app.post("/api/v1/organizations", admin, &body).await;
            (response, started.elapsed())
        }
    });
    let probe = async {
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        let asked = Instant::now();
        let live = app
            .request(Method::GET, "/health/live", None, &[], None)
            .await;
        let live_took = asked.elapsed();
        actix_web::rt::time::sleep(release_after.saturating_sub(started.elapsed())).await;
        holder.batch_execute("COMMIT;").unwrap();
        (live, live_took)
    };
    let (answers, (live, live_took)) =
        futures_util::future::join(futures_util::future::join_all(writes), probe).await;

    live.assert_status(200);
    assert!(
        live_took < Duration::from_secs(1),
        "live took {live_took:?}"
    );
    let refused: Vec<Duration> = answers
        .iter()
        .filter(|(r, _)| r.status == 503 && r.body["type"] == "urn:smartcare:problem:at-capacity")
        .map(|(r, took)| {
            assert!(r.header("retry-after").is_some());
            *took
        })
        .collect();
    assert!(refused.len() >= 60 - 32, "{} refused", refused.len());
    assert!(
        refused.iter().all(|took| *took < release_after),
        "refusals came at once, not after the database returned: {refused:?}"
    );
    for (response, _) in &answers {
        assert!(matches!(response.status, 201 | 503), "{}", response.text);
    }
    let after = serde_json::json!({ "name": "Efteråt", "kind": "private_provider", "hsa_id": "SE5560000200-0001" });
    app.post("/api/v1/organizations", &admin, &after)
        .await
        .assert_status(201);
}

/// Slow clients (slowloris): connections that never finish their request head hold no
/// resources the others need, and are answered and closed once the client request timeout
/// has passed.
#[actix_web::test]
async fn slow_clients_are_cut_off_and_do_not_hold_up_others() {
    use actix_web::rt::net::TcpStream;
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = TestApp::spawn().await;
    let address = app.base_url.trim_start_matches("http://").to_owned();
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream
            .write_all(b"GET /api/v1/municipalities HTTP/1.1\r\nHost: localhost\r\n")
            .await
            .unwrap();
        slow.push(stream);
    }
    let started = Instant::now();
    let live = app
        .request(Method::GET, "/health/live", None, &[], None)
        .await;
    live.assert_status(200);
    let admin = app.token("admin");
    app.get("/api/v1/municipalities", &admin)
        .await
        .assert_status(200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "others waited {:?} behind 200 slow clients",
        started.elapsed()
    );

    let cut_off_by = api::startup::CLIENT_REQUEST_TIMEOUT + Duration::from_secs(3);
    for mut stream in slow {
        let mut answer = Vec::new();
        let left = cut_off_by.saturating_sub(started.elapsed());
        let closed = actix_web::rt::time::timeout(left, stream.read_to_end(&mut answer)).await;
        assert!(
            closed.is_ok(),
            "a slow client was still connected after {cut_off_by:?}"
        );
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "a slow client got {answer}"
        );
    }
}
