//! The served contract equals the committed one, and the docs page works offline.

use actix_web::http::Method;
use tests::TestApp;

#[actix_web::test]
async fn served_spec_is_the_committed_spec() {
    let app = TestApp::spawn().await;
    let served = app
        .request(Method::GET, "/api-docs/openapi.json", None, &[], None)
        .await;
    served.assert_status(200);
    let committed: serde_json::Value =
        serde_json::from_str(include_str!("../../../openapi/openapi.json"))
            .expect("committed spec is JSON");
    // A plain comparison: on a mismatch, printing both documents would bury the message.
    assert!(
        served.body == committed,
        "the served spec differs from openapi/openapi.json: run `cargo run -q -- openapi > openapi/openapi.json`"
    );
}

#[actix_web::test]
async fn docs_page_is_served_with_its_assets() {
    let app = TestApp::spawn().await;
    let redirect = app.request(Method::GET, "/docs", None, &[], None).await;
    assert!(
        matches!(redirect.status, 301 | 302 | 307 | 308),
        "{}",
        redirect.status
    );
    let index = app.request(Method::GET, "/docs/", None, &[], None).await;
    index.assert_status(200);
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        assert!(index.text.contains(asset), "index references {asset}");
        let served = app
            .request(Method::GET, &format!("/docs/{asset}"), None, &[], None)
            .await;
        assert_eq!(served.status, 200, "{asset} is served by the binary");
    }
    let initializer = app
        .request(Method::GET, "/docs/swagger-initializer.js", None, &[], None)
        .await;
    assert!(initializer.text.contains("/api-docs/openapi.json"));
    assert!(
        !index.text.contains("https://"),
        "no assets from the internet"
    );
}

/// Every type the spec documents has a name of its own. utoipa gathers the schemas of all
/// operations into one map by their Rust name, so two types of one name (the plan's action
/// status and a meeting action item's) leave one schema that both refer to, and clients
/// generated from the spec get the wrong enum for one of them.
#[test]
fn every_schema_type_has_its_own_name() {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/src");
    let mut files = vec![source];
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    let mut clashes = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("openapi/src is readable") {
                files.push(entry.expect("a directory entry").path());
            }
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        for name in schema_names(&text) {
            let place = path.display().to_string();
            if let Some(first) = seen.insert(name.clone(), place.clone()) {
                clashes.push(format!("{name}: {first} and {place}"));
            }
        }
    }
    assert!(seen.len() > 100, "found only {} schema types", seen.len());
    assert!(clashes.is_empty(), "schema names used twice: {clashes:?}");
}

/// The names of the types `text` derives `ToSchema` for, or declares with `wire_enum!`.
fn schema_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut derived = false;
    let mut in_wire_enum = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("wire_enum! {") {
            in_wire_enum = true;
        } else if in_wire_enum && line.contains(" => ") && !line.starts_with("//") {
            names.extend(line.split_whitespace().next().map(str::to_owned));
            in_wire_enum = false;
        } else if line.starts_with("#[derive(") && line.contains("ToSchema") {
            derived = true;
        } else if derived && !line.starts_with("#[") && !line.starts_with("//") {
            let declared = line
                .trim_start_matches("pub ")
                .trim_start_matches("(crate) ")
                .strip_prefix("struct ")
                .or_else(|| line.trim_start_matches("pub ").strip_prefix("enum "));
            let name = declared.map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            });
            names.extend(name);
            derived = false;
        }
    }
    names
}

#[actix_web::test]
async fn a_plan_action_and_a_meeting_action_item_have_their_own_statuses() {
    let app = TestApp::spawn().await;
    let spec = app
        .request(Method::GET, "/api-docs/openapi.json", None, &[], None)
        .await;
    let schemas = &spec.body["components"]["schemas"];
    assert_eq!(
        schemas["PlanActionStatus"]["enum"],
        serde_json::json!(["planned", "in_progress", "done", "cancelled"])
    );
    assert_eq!(
        schemas["ActionStatus"]["enum"],
        serde_json::json!(["open", "in_progress", "done", "cancelled"])
    );
    for schema in ["PlanActionRequest", "PlanActionResponse"] {
        let status = &schemas[schema]["properties"]["status"];
        assert!(
            status
                .to_string()
                .contains("#/components/schemas/PlanActionStatus"),
            "{schema}: {status}"
        );
    }
}
