//! Authentication and authorization: every way a token can be wrong is a 401, a role that
//! may not do something is a 403, both problem+json.

use actix_web::http::Method;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use tests::TestApp;

const PROTECTED: &str = "/api/v1/care-units";

async fn status_with(app: &TestApp, authorization: &str) -> tests::TestResponse {
    app.request(
        Method::GET,
        PROTECTED,
        None,
        &[("authorization", authorization)],
        None,
    )
    .await
}

fn sign_with(claims: &Value, algorithm: Algorithm, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[actix_web::test]
async fn a_valid_token_is_accepted_for_every_role() {
    let app = TestApp::spawn().await;
    for role in [
        "admin",
        "coordinator",
        "clinician",
        "coach",
        "integration",
        "analyst",
        "person",
    ] {
        app.get(PROTECTED, &app.token(role))
            .await
            .assert_status(200);
    }
}

#[actix_web::test]
async fn missing_or_malformed_authorization_is_401() {
    let app = TestApp::spawn().await;
    let missing = app.request(Method::GET, PROTECTED, None, &[], None).await;
    assert_eq!(
        missing.assert_problem(401),
        "urn:smartcare:problem:unauthorized"
    );
    assert_eq!(
        missing.header("www-authenticate").as_deref(),
        Some("Bearer")
    );
    for header in [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Bearer not.a.jwt",
        "token",
    ] {
        status_with(&app, header).await.assert_problem(401);
    }
}

#[actix_web::test]
async fn expired_wrong_audience_wrong_issuer_and_missing_claims_are_401() {
    let app = TestApp::spawn().await;
    let now = chrono::Utc::now().timestamp();
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut expired = app.claims("admin");
    expired["exp"] = json!(now - 3600);
    cases.push(("expired", expired));
    let mut audience = app.claims("admin");
    audience["aud"] = json!("another-api");
    cases.push(("wrong audience", audience));
    let mut issuer = app.claims("admin");
    issuer["iss"] = json!("https://evil.example");
    cases.push(("wrong issuer", issuer));
    for claim in ["exp", "iss", "aud", "sub"] {
        let mut missing = app.claims("admin");
        missing.as_object_mut().unwrap().remove(claim);
        cases.push((claim, missing));
    }
    let mut not_yet = app.claims("admin");
    not_yet["nbf"] = json!(now + 3600);
    cases.push(("not yet valid", not_yet));
    let mut bad_unit = app.claims("clinician");
    bad_unit["unit"] = json!("ward-7");
    cases.push(("unit not a uuid", bad_unit));
    for (case, claims) in cases {
        let response = app.get(PROTECTED, &app.sign(&claims)).await;
        assert_eq!(response.status, 401, "{case}: {}", response.text);
        response.assert_problem(401);
    }
}

/// RFC 7519 NumericDates may have fractions; one leeway (60 s by default) applies to `exp`,
/// `nbf` and `iat` alike, and a refusal names the claim.
#[actix_web::test]
async fn time_claims_are_numeric_dates_with_one_leeway_and_refusals_name_the_claim() {
    let app = TestApp::spawn().await;
    let now = chrono::Utc::now().timestamp() as f64;
    let mut fractional = app.claims("admin");
    fractional["exp"] = json!(now + 600.5);
    fractional["iat"] = json!(now - 0.5);
    fractional["nbf"] = json!(now - 1.25);
    app.get(PROTECTED, &app.sign(&fractional))
        .await
        .assert_status(200);
    let mut within = app.claims("admin");
    within["iat"] = json!(now + 30.0);
    within["nbf"] = json!(now + 30.0);
    within["exp"] = json!(now - 30.0);
    app.get(PROTECTED, &app.sign(&within))
        .await
        .assert_status(200);
    for (claim, value) in [
        ("exp", json!(now - 120.5)),
        ("nbf", json!(now + 120.5)),
        ("iat", json!(now + 120.5)),
        ("exp", json!("soon")),
        ("iat", json!([1])),
    ] {
        let mut claims = app.claims("admin");
        claims[claim] = value.clone();
        let response = app.get(PROTECTED, &app.sign(&claims)).await;
        response.assert_problem(401);
        let detail = response.body["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(&format!("`{claim}`")),
            "{claim} = {value}: {detail}"
        );
    }
}

/// Field trial: a token whose `sub` is a number or whose `roles` is a string got the generic
/// "malformed" 401; the refusal now names the claim and what it must be.
#[actix_web::test]
async fn a_claim_of_the_wrong_type_is_refused_by_name() {
    let app = TestApp::spawn().await;
    for (claim, value, expected) in [
        ("sub", json!(42), "a string"),
        ("roles", json!("admin"), "an array of strings"),
        ("roles", json!(["admin", 7]), "an array of strings"),
        ("org", json!(false), "a string"),
    ] {
        let mut claims = app.claims("admin");
        claims[claim] = value.clone();
        let response = app.get(PROTECTED, &app.sign(&claims)).await;
        response.assert_problem(401);
        let detail = response.body["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(&format!("`{claim}` claim must be {expected}")),
            "{claim} = {value}: {detail}"
        );
    }
    let mut no_subject = app.claims("admin");
    no_subject.as_object_mut().unwrap().remove("sub");
    let response = app.get(PROTECTED, &app.sign(&no_subject)).await;
    response.assert_problem(401);
    assert!(
        response.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("lacks the `sub` claim"),
        "{}",
        response.text
    );
}

/// Field trial: a token with roles clinician + integration, the unit of organization B and the
/// org claim of A read A's records. A token whose unit belongs, in the directory, to another
/// organization than its `org` is refused whatever its roles.
#[actix_web::test]
async fn a_tokens_unit_must_belong_to_its_org_claim() {
    let app = TestApp::spawn().await;
    let net = crate::record_support::network(&app).await;
    let person = crate::record_support::register(&app, &net.ward, "19121212-1212", json!({})).await;
    let path = format!("/api/v1/persons/{}", person["id"].as_str().unwrap());
    let mut claims = app.claims("clinician");
    claims["roles"] = json!(["clinician", "integration"]);
    claims["unit"] = net.home_care["id"].clone();
    claims["org"] = net.region["id"].clone();
    let forged = app.get(&path, &app.sign(&claims)).await;
    forged.assert_problem(401);
    assert!(forged.text.contains("`unit`"), "{}", forged.text);
    assert!(!forged.text.contains("Esther"));
    // Consistent claims: the home care unit has no relationship with her, so 404 as ever.
    claims["org"] = net.home_care["organization_id"].clone();
    app.get(&path, &app.sign(&claims)).await.assert_problem(404);
    // A unit moved to another organization: the old claim is refused at once.
    let ward = app.staff_token("clinician", &net.ward);
    app.get(&path, &ward).await.assert_status(200);
    let unit_path = format!("/api/v1/care-units/{}", net.ward["id"].as_str().unwrap());
    let nassjo = net.home_care["organization_id"].clone();
    app.patch(
        &unit_path,
        &app.token("admin"),
        Some("\"1\""),
        &json!({ "organization_id": nassjo }),
    )
    .await
    .assert_status(200);
    app.get(&path, &ward).await.assert_problem(401);
}

#[actix_web::test]
async fn two_authorization_headers_are_400() {
    let app = TestApp::spawn().await;
    let token = format!("Bearer {}", app.token("admin"));
    let forged = "Bearer another".to_owned();
    for pair in [[&token, &forged], [&forged, &token], [&token, &token]] {
        let response = awc::Client::default()
            .get(format!("{}{PROTECTED}", app.base_url))
            .append_header(("authorization", pair[0].as_str()))
            .append_header(("authorization", pair[1].as_str()))
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status().as_u16(), 400);
        assert_eq!(
            response.headers().get("content-type").map(|v| v.as_bytes()),
            Some(&b"application/problem+json"[..])
        );
    }
}

#[actix_web::test]
async fn tampered_signatures_and_other_algorithms_are_401() {
    let app = TestApp::spawn().await;
    let token = app.token("admin");
    // One bit of the signature changed.
    status_with(&app, &format!("Bearer {}", flip_signature(&token)))
        .await
        .assert_problem(401);
    let (head_and_claims, signature) = token.rsplit_once('.').unwrap();

    // Claims changed after signing (role escalation) with the original signature.
    let (header, _) = head_and_claims.split_once('.').unwrap();
    let forged_claims = app
        .claims("admin")
        .to_string()
        .replace("test-admin", "someone-else");
    let forged = format!(
        "{header}.{}.{signature}",
        base64_url(forged_claims.as_bytes())
    );
    status_with(&app, &format!("Bearer {forged}"))
        .await
        .assert_problem(401);

    // Same secret, another HMAC algorithm: the algorithm is fixed by configuration.
    let hs384 = sign_with(
        &app.claims("admin"),
        Algorithm::HS384,
        app.secret.as_bytes(),
    );
    status_with(&app, &format!("Bearer {hs384}"))
        .await
        .assert_problem(401);

    // Signed with another secret.
    let other = sign_with(
        &app.claims("admin"),
        Algorithm::HS256,
        b"some-other-secret-of-enough-length!!",
    );
    status_with(&app, &format!("Bearer {other}"))
        .await
        .assert_problem(401);

    // alg "none": an unsigned token.
    status_with(&app, &format!("Bearer {}", unsigned(&app.claims("admin"))))
        .await
        .assert_problem(401);
}

/// `token` with one character of its signature changed.
fn flip_signature(token: &str) -> String {
    let (signed_part, signature) = token.rsplit_once('.').unwrap();
    let mut flipped = signature.as_bytes().to_vec();
    flipped[5] = if flipped[5] == b'A' { b'B' } else { b'A' };
    format!("{signed_part}.{}", String::from_utf8(flipped).unwrap())
}

/// An unsigned token (`alg: none`) carrying `claims`.
fn unsigned(claims: &Value) -> String {
    let none_header = base64_url(br#"{"alg":"none","typ":"JWT"}"#);
    format!(
        "{none_header}.{}.",
        base64_url(claims.to_string().as_bytes())
    )
}

fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[actix_web::test]
async fn with_a_public_key_only_the_key_holders_tokens_pass() {
    // A test key pair (tests/fixtures), standing in for the identity provider's.
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let public_pem = std::fs::read(fixtures.join("test-rs256-public.pem")).unwrap();
    let private_pem = std::fs::read(fixtures.join("test-rs256-private.pem")).unwrap();
    let app = TestApp::spawn_with_public_key(&fixtures.join("test-rs256-public.pem")).await;
    let claims = app.claims("admin");

    let signed = jsonwebtoken::encode(
        &Header::new(Algorithm::RS256),
        &claims,
        &EncodingKey::from_rsa_pem(&private_pem).unwrap(),
    )
    .unwrap();
    status_with(&app, &format!("Bearer {signed}"))
        .await
        .assert_status(200);

    // Algorithm confusion: HS256 with the (public) key as the HMAC secret.
    let confused = sign_with(&claims, Algorithm::HS256, &public_pem);
    status_with(&app, &format!("Bearer {confused}"))
        .await
        .assert_problem(401);
    // An unsigned token and a bit-flipped signature.
    for forged in [unsigned(&claims), flip_signature(&signed)] {
        status_with(&app, &format!("Bearer {forged}"))
            .await
            .assert_problem(401);
    }
}

#[actix_web::test]
async fn roles_that_may_not_write_the_directory_get_403() {
    let app = TestApp::spawn().await;
    let body = json!({ "name": "Region Test", "kind": "region", "hsa_id": "SE2321000057-0001" });
    for role in [
        "coordinator",
        "clinician",
        "coach",
        "integration",
        "analyst",
        "person",
    ] {
        let response = app
            .post("/api/v1/organizations", &app.token(role), &body)
            .await;
        assert_eq!(
            response.assert_problem(403),
            "urn:smartcare:problem:forbidden",
            "{role}"
        );
    }
    let mut unknown_role = app.claims("superuser");
    unknown_role["roles"] = json!(["superuser", "root"]);
    app.post("/api/v1/organizations", &app.sign(&unknown_role), &body)
        .await
        .assert_problem(403);
    app.post("/api/v1/organizations", &app.token("admin"), &body)
        .await
        .assert_status(201);
}

#[actix_web::test]
async fn a_forbidden_caller_learns_nothing_about_the_body() {
    let app = TestApp::spawn().await;
    // Authorization is decided before the body is read: a bad body from a non-admin is 403.
    let response = app
        .post(
            "/api/v1/care-units",
            &app.token("clinician"),
            &json!({ "nonsense": true }),
        )
        .await;
    response.assert_problem(403);
}

#[actix_web::test]
async fn each_caller_has_its_own_request_budget() {
    let app = TestApp::spawn_with_limit(5).await;
    let first = app.sign(&app.claims("admin"));
    let mut other_claims = app.claims("admin");
    other_claims["sub"] = json!("another-integration");
    let other = app.sign(&other_claims);
    for _ in 0..5 {
        app.get("/api/v1/municipalities", &first)
            .await
            .assert_status(200);
    }
    let limited = app.get("/api/v1/municipalities", &first).await;
    assert_eq!(
        limited.assert_problem(429),
        "urn:smartcare:problem:too-many-requests"
    );
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Another subject behind the same address is not held back.
    app.get("/api/v1/municipalities", &other)
        .await
        .assert_status(200);
    // A request without a valid token is refused before it counts against anyone.
    app.get("/api/v1/municipalities", "not-a-token")
        .await
        .assert_problem(401);
}

#[actix_web::test]
async fn an_audience_list_in_the_token_is_accepted() {
    let app = TestApp::spawn().await;
    let mut claims = app.claims("admin");
    claims["aud"] = json!(["another-api", tests::AUDIENCE]);
    app.get("/api/v1/care-units", &app.sign(&claims))
        .await
        .assert_status(200);
    claims["aud"] = json!(["another-api"]);
    app.get("/api/v1/care-units", &app.sign(&claims))
        .await
        .assert_problem(401);
}

/// Browser frontends at the configured origins (`SMARTCARE_CORS_ORIGINS`) may call the API: a
/// preflight names the methods and headers the API uses, and the page may read `ETag` and
/// `Location`; other origins get no CORS permission.
#[actix_web::test]
async fn browser_frontends_at_configured_origins_may_call_the_api() {
    let app = TestApp::spawn().await;
    let url = format!("{}/api/v1/care-units", app.base_url);
    let preflight = |origin: &'static str| {
        awc::Client::default()
            .request(Method::OPTIONS, url.clone())
            .insert_header(("origin", origin))
            .insert_header(("access-control-request-method", "PATCH"))
            .insert_header((
                "access-control-request-headers",
                "authorization, if-match, content-type",
            ))
            .send()
    };
    let allowed = preflight(tests::CORS_ORIGIN).await.expect("preflight");
    assert_eq!(allowed.status().as_u16(), 200);
    let header = |response: &awc::ClientResponse<_>, name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        tests::CORS_ORIGIN
    );
    assert!(header(&allowed, "access-control-allow-methods").contains("patch"));
    for name in ["authorization", "if-match", "content-type"] {
        assert!(
            header(&allowed, "access-control-allow-headers").contains(name),
            "{name}"
        );
    }
    // Answered by actix-cors, yet with the headers every other answer has.
    assert_eq!(header(&allowed, "cache-control"), "no-store");
    assert_eq!(header(&allowed, "x-content-type-options"), "nosniff");
    let mut refused = preflight("https://evil.example").await.expect("preflight");
    assert!(header(&refused, "access-control-allow-origin").is_empty());
    assert_eq!(refused.status().as_u16(), 400);
    // Refused as problem+json like every other error, not actix-cors's plain text.
    assert_eq!(header(&refused, "content-type"), "application/problem+json");
    let problem: serde_json::Value = refused.json().await.unwrap_or_default();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("CORS"),
        "{problem}"
    );
    let read = awc::Client::default()
        .get(url.clone())
        .insert_header(("origin", tests::CORS_ORIGIN))
        .insert_header(("authorization", format!("Bearer {}", app.token("admin"))))
        .send()
        .await
        .expect("read");
    assert_eq!(read.status().as_u16(), 200);
    assert_eq!(
        header(&read, "access-control-allow-origin"),
        tests::CORS_ORIGIN
    );
    assert!(header(&read, "access-control-expose-headers").contains("etag"));
    assert!(header(&read, "access-control-expose-headers").contains("location"));
    // Clients that are not browsers send no Origin and are served as before.
    app.get("/api/v1/care-units", &app.token("admin"))
        .await
        .assert_status(200);
}

/// RFC 7515 §4.1.11: a token whose header names critical extensions this API does not
/// understand is refused, though correctly signed.
#[actix_web::test]
async fn a_token_naming_critical_extensions_is_refused() {
    let app = TestApp::spawn().await;
    let key = EncodingKey::from_secret(app.secret.as_bytes());
    let signed = |header: &[u8]| {
        let message = format!(
            "{}.{}",
            base64_url(header),
            base64_url(app.claims("admin").to_string().as_bytes())
        );
        let signature =
            jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256).unwrap();
        format!("{message}.{signature}")
    };
    let plain = signed(br#"{"alg":"HS256","typ":"JWT"}"#);
    app.get(PROTECTED, &plain).await.assert_status(200);
    let critical = signed(br#"{"alg":"HS256","typ":"JWT","crit":["exp"]}"#);
    let refused = app.get(PROTECTED, &critical).await;
    refused.assert_problem(401);
    assert!(refused.text.contains("`crit`"), "{}", refused.text);
}

/// Esther's own token is hers alone: a staff role beside `person`, or a `person` claim on a
/// staff token, is refused before anything is read (found by an attack review: such a token
/// acted as staff on her record from any unit).
#[actix_web::test]
async fn a_person_token_carries_no_staff_role_and_no_staff_token_a_person_claim() {
    let app = TestApp::spawn().await;
    let person = uuid::Uuid::now_v7().to_string();
    let mut mixed = app.claims("person");
    mixed["roles"] = serde_json::json!(["coordinator", "person"]);
    mixed["person"] = serde_json::json!(person);
    let mut staff_naming_her = app.claims("clinician");
    staff_naming_her["person"] = serde_json::json!(person);
    for claims in [mixed, staff_naming_her] {
        let refused = app
            .get(&format!("/api/v1/persons/{person}"), &app.sign(&claims))
            .await;
        refused.assert_problem(401);
        assert!(refused.body["detail"].as_str().unwrap().contains("person"));
    }
    let mut hers = app.claims("person");
    hers["person"] = serde_json::json!(person);
    assert_ne!(
        app.get("/api/v1/meetings", &app.sign(&hers)).await.status,
        401
    );
}
