//! The OpenAPI document: [`openapi::ApiDoc`] (metadata, security, shared schemas) with the
//! operations of [`crate::routes`] merged in. `smartcare openapi` prints it; the committed
//! copy is `openapi/openapi.json`.

use utoipa::OpenApi;

/// The full spec as served at `/api-docs/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = openapi::ApiDoc::openapi();
    doc.merge(crate::routes::ApiOperations::openapi());
    crate::conditional::document_conditional_reads(&mut doc);
    link_main_flows(state_text_patterns(name_list_items(doc)))
}

/// One OpenAPI link (OpenAPI 3.1 §4.8.20, the Link Object): from the response `status` of
/// operation `from`, the call to operation `to`, with its parameters as runtime expressions
/// (`$response.body#/id`, `$request.path.id`, `$response.header.ETag`).
struct Link {
    from: &'static str,
    status: &'static str,
    name: &'static str,
    to: &'static str,
    parameters: &'static [(&'static str, &'static str)],
    description: &'static str,
}

const fn link(
    from: &'static str,
    status: &'static str,
    to: &'static str,
    parameters: &'static [(&'static str, &'static str)],
    description: &'static str,
) -> Link {
    Link {
        from,
        status,
        name: to,
        to,
        parameters,
        description,
    }
}

const NEW_ID: &[(&str, &str)] = &[("path.id", "$response.body#/id")];
const SAME_ID: &[(&str, &str)] = &[("path.id", "$request.path.id")];
const NEW_PLAN_VERSION: &[(&str, &str)] = &[
    ("path.id", "$response.body#/id"),
    ("header.If-Match", "$response.header.ETag"),
];

/// The main flows as OpenAPI links, for clients and stateful tests (schemathesis' stateful
/// phase) to walk: register → read → consents (and her case, plan, statements); open a case →
/// send a message → answer it; create a plan → revise → its versions.
const LINKS: &[Link] = &[
    link(
        "register_person",
        "201",
        "get_person",
        NEW_ID,
        "Her record.",
    ),
    link(
        "register_person",
        "200",
        "get_person",
        NEW_ID,
        "Her record, already registered.",
    ),
    link(
        "register_person",
        "201",
        "record_consent",
        NEW_ID,
        "Record her consent.",
    ),
    link(
        "register_person",
        "201",
        "list_consents",
        NEW_ID,
        "Her consents.",
    ),
    link(
        "register_person",
        "201",
        "add_statement",
        NEW_ID,
        "Record what matters to her.",
    ),
    link(
        "register_person",
        "201",
        "open_case",
        NEW_ID,
        "Open a discharge coordination case.",
    ),
    link(
        "register_person",
        "201",
        "create_plan",
        NEW_ID,
        "Start her coordinated plan (SIP).",
    ),
    link(
        "get_person",
        "200",
        "list_consents",
        SAME_ID,
        "Her consents.",
    ),
    link(
        "record_consent",
        "201",
        "list_consents",
        SAME_ID,
        "Her consents, this one included.",
    ),
    link("open_case", "201", "get_case", NEW_ID, "The case."),
    link(
        "open_case",
        "201",
        "send_message",
        NEW_ID,
        "Send the case's first message.",
    ),
    Link {
        from: "send_message",
        status: "201",
        name: "acknowledge",
        to: "acknowledge",
        parameters: &[
            ("path.id", "$request.path.id"),
            ("path.message_id", "$response.body#/messages/0/id"),
        ],
        description: "Acknowledge the case's first message (as a recipient unit).",
    },
    link("create_plan", "201", "get_plan", NEW_ID, "The plan."),
    link(
        "create_plan",
        "201",
        "revise_plan",
        NEW_PLAN_VERSION,
        "Revise it (If-Match: its ETag).",
    ),
    link(
        "create_plan",
        "201",
        "list_versions",
        NEW_ID,
        "Its versions.",
    ),
    link(
        "revise_plan",
        "200",
        "list_versions",
        SAME_ID,
        "Its versions, the revision included.",
    ),
    Link {
        from: "revise_plan",
        status: "200",
        name: "get_version",
        to: "get_version",
        parameters: &[
            ("path.id", "$request.path.id"),
            ("path.version", "$response.body#/version"),
        ],
        description: "The version this revision made.",
    },
];

/// Puts [`LINKS`] on their responses (utoipa's path macro has no links).
fn link_main_flows(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    for link in LINKS {
        let response = value["paths"]
            .as_object_mut()
            .into_iter()
            .flat_map(|paths| paths.values_mut())
            .flat_map(|item| {
                item.as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.values_mut())
            })
            .find(|operation| operation["operationId"] == link.from)
            .and_then(|operation| operation["responses"].get_mut(link.status));
        if let Some(serde_json::Value::Object(response)) = response {
            let parameters: serde_json::Map<String, serde_json::Value> = link
                .parameters
                .iter()
                .map(|(name, expression)| ((*name).to_owned(), (*expression).into()))
                .collect();
            let links = response
                .entry("links")
                .or_insert_with(|| serde_json::json!({}));
            links[link.name] = serde_json::json!({
                "operationId": link.to,
                "parameters": parameters,
                "description": link.description,
            });
        }
    }
    serde_json::from_value(value).unwrap_or(doc)
}

/// The text rules of [`domain::pattern`] in place of their names: utoipa takes only a literal
/// in `#[schema(pattern = …)]`, so a wire field names its rule (`pattern = "<name>"`) and the
/// served spec carries the domain's one pattern for it; a date marked with
/// [`domain::plausible::YEAR_PATTERN`] gets the whole shape of its format. Every `If-Match` header states the
/// shape the server parses ([`crate::preconditions::IF_MATCH_PATTERN`]).
pub const PATTERNS: [(&str, &str); 8] = [
    ("<name>", domain::pattern::NAME),
    ("<free-text>", domain::pattern::FREE_TEXT),
    ("<phone>", domain::pattern::PHONE),
    ("<email>", domain::pattern::EMAIL),
    ("<personal-number>", domain::pattern::PERSONAL_NUMBER),
    ("<cursor>", domain::pattern::CURSOR),
    ("<name-search>", domain::pattern::NAME_SEARCH),
    ("<text>", domain::pattern::TEXT),
];

fn state_text_patterns(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    fn replace(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if map.get("pattern").and_then(|v| v.as_str())
                    == Some(domain::plausible::YEAR_PATTERN)
                    && let Some(pattern) = map
                        .get("format")
                        .and_then(|v| v.as_str())
                        .and_then(domain::plausible::pattern_for_format)
                {
                    map.insert("pattern".into(), pattern.into());
                }
                // Any other text may hold anything but NUL, which the server refuses everywhere
                // (400 in a query parameter, 422 in a body field): the spec says so on every
                // string that states no stricter shape (no pattern, format or enum).
                let is_text = match map.get("type") {
                    Some(serde_json::Value::String(kind)) => kind == "string",
                    Some(serde_json::Value::Array(kinds)) => kinds.iter().any(|k| k == "string"),
                    _ => false,
                };
                if is_text
                    && !["pattern", "format", "enum", "const", "contentMediaType"]
                        .iter()
                        .any(|key| map.contains_key(*key))
                {
                    map.insert("pattern".into(), domain::pattern::TEXT.into());
                }
                if map.get("in").and_then(|v| v.as_str()) == Some("header")
                    && map.get("name").and_then(|v| v.as_str()) == Some("If-Match")
                {
                    map.insert(
                        "schema".into(),
                        serde_json::json!({
                            "type": "string",
                            "pattern": crate::preconditions::IF_MATCH_PATTERN,
                        }),
                    );
                }
                for (key, inner) in map.iter_mut() {
                    if key == "pattern"
                        && let Some((_, pattern)) = PATTERNS
                            .iter()
                            .find(|(name, _)| inner.as_str() == Some(name))
                    {
                        *inner = serde_json::Value::from(*pattern);
                    } else {
                        replace(inner);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(replace),
            _ => {}
        }
    }
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    replace(&mut value);
    // An error's text may quote what the client sent (a parameter's name, a column), NUL
    // included: the rule is the server's for what it is sent, not for what it answers.
    for echoing in ["Problem", "FieldError"] {
        let properties = &mut value["components"]["schemas"][echoing]["properties"];
        for property in properties
            .as_object_mut()
            .into_iter()
            .flat_map(|p| p.values_mut())
        {
            if property["pattern"] == domain::pattern::TEXT
                && let Some(schema) = property.as_object_mut()
            {
                schema.remove("pattern");
            }
        }
    }
    serde_json::from_value(value).unwrap_or(doc)
}

/// Every list's items as a named component: utoipa inlines the item schema of each
/// `Page<T>` (`Page_T`), which leaves generated clients without a type for one item and the
/// component `T` unused. The items become `$ref: T`, and `T` is added where it was missing.
fn name_list_items(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    let schemas = &mut value["components"]["schemas"];
    let pages: Vec<String> = schemas
        .as_object()
        .into_iter()
        .flat_map(|all| all.keys())
        .filter(|name| name.starts_with("Page_"))
        .cloned()
        .collect();
    for page in pages {
        let item = page.trim_start_matches("Page_").to_owned();
        let inline = schemas[&page]["properties"]["items"]["items"].take();
        if inline.is_null() {
            continue;
        }
        if inline.get("$ref").is_none() && schemas.get(&item).is_none() {
            schemas[&item] = inline;
        }
        schemas[&page]["properties"]["items"]["items"] =
            serde_json::json!({ "$ref": format!("#/components/schemas/{item}") });
    }
    serde_json::from_value(value).unwrap_or(doc)
}

/// The spec as committed: pretty JSON with a final newline.
pub fn openapi_json() -> Result<String, serde_json::Error> {
    openapi().to_pretty_json().map(|json| json + "\n")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::routes::ROUTES;

    fn operations(doc: &serde_json::Value) -> BTreeSet<(String, String)> {
        let mut found = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
                found.insert((method.clone(), path.clone()));
            }
        }
        found
    }

    fn generated() -> serde_json::Value {
        serde_json::to_value(openapi()).unwrap_or_default()
    }

    #[test]
    fn committed_spec_matches_the_code() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        let current = openapi_json().unwrap_or_default();
        assert!(
            committed == current,
            "openapi/openapi.json is out of date: run `cargo run -q -- openapi > openapi/openapi.json` and commit it"
        );
    }

    #[test]
    fn every_served_route_is_documented_and_every_documented_one_served() {
        let served: BTreeSet<(String, String)> = ROUTES
            .iter()
            .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
            .collect();
        let documented = operations(&generated());
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty(),
            "served but not in the spec: {undocumented:?}"
        );
        assert!(
            unserved.is_empty(),
            "in the spec but not served: {unserved:?}"
        );
    }

    #[test]
    fn every_operation_documents_problem_errors() {
        let doc = generated();
        for (method, path) in operations(&doc) {
            let responses = doc["paths"][&path][&method]["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let errors: Vec<_> = responses
                .iter()
                .filter(|(status, _)| status.starts_with(['4', '5']))
                .collect();
            assert!(
                !errors.is_empty(),
                "{method} {path} documents no error response"
            );
            for (status, response) in errors {
                let schema = &response["content"]["application/problem+json"]["schema"]["$ref"];
                assert_eq!(
                    schema, "#/components/schemas/Problem",
                    "{method} {path} {status}"
                );
            }
            let secured = doc["paths"][&path][&method].get("security").is_none();
            if path.starts_with("/api/v1") {
                assert!(
                    secured,
                    "{method} {path} must use the default bearer security"
                );
            }
        }
        assert!(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
        assert!(
            doc["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.1"))
        );
    }

    /// The body errors are documented where a body is read: every operation with a request
    /// body lists 413 (too large), 415 (wrong media type) and 422 (a rule broken), and no
    /// operation without one lists 413 or 415, nor the generic 422 (a client would handle
    /// answers that cannot come). A 422 of its own, described for that operation (a measure
    /// whose series does not fit the chart asked for), may stand without a body.
    #[test]
    fn body_errors_are_documented_where_a_body_is_read() {
        let doc = generated();
        let generic = openapi::responses::describe(422);
        for (method, path) in operations(&doc) {
            let operation = &doc["paths"][&path][&method];
            let takes_body = operation.get("requestBody").is_some();
            for status in ["413", "415", "422"] {
                let response = operation["responses"].get(status);
                let documented = response
                    .is_some_and(|r| status != "422" || takes_body || r["description"] == generic);
                assert_eq!(
                    documented, takes_body,
                    "{method} {path}: {status} documented {documented}, request body {takes_body}"
                );
            }
        }
    }

    /// Every date and time a client sends (request bodies, query parameters) states the years
    /// the server accepts (`domain::plausible`) as a pattern, so generated clients and
    /// schemathesis know the rule.
    #[test]
    fn every_date_a_client_sends_states_the_plausible_years() {
        let doc = generated();
        let schemas = &doc["components"]["schemas"];
        let mut pending: Vec<serde_json::Value> = Vec::new();
        let mut missing = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    let format = parameter["schema"]["format"].as_str().unwrap_or_default();
                    if let Some(pattern) = domain::plausible::pattern_for_format(format)
                        && parameter["schema"]["pattern"] != pattern
                    {
                        missing.push(format!("{method} {path} ?{}", parameter["name"]));
                    }
                }
                for (_, content) in operation["requestBody"]["content"]
                    .as_object()
                    .into_iter()
                    .flatten()
                {
                    pending.push(content["schema"].clone());
                }
            }
        }
        let mut seen = BTreeSet::new();
        while let Some(schema) = pending.pop() {
            if let Some(reference) = schema["$ref"].as_str() {
                let name = reference.trim_start_matches("#/components/schemas/");
                if seen.insert(name.to_owned()) {
                    pending.push(schemas[name].clone());
                }
                continue;
            }
            let format = schema["format"].as_str().unwrap_or_default();
            if let Some(pattern) = domain::plausible::pattern_for_format(format)
                && schema["pattern"] != pattern
            {
                missing.push(format!("{schema}"));
            }
            pending.extend(
                schema["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(_, property)| property.clone()),
            );
            for key in ["items", "additionalProperties"] {
                if schema[key].is_object() {
                    pending.push(schema[key].clone());
                }
            }
            for key in ["oneOf", "anyOf", "allOf"] {
                pending.extend(schema[key].as_array().into_iter().flatten().cloned());
            }
        }
        assert!(
            missing.is_empty(),
            "dates without the plausible-date pattern (mark them `pattern = \"{}\"`): {missing:?}",
            domain::plausible::YEAR_PATTERN
        );
    }

    /// Every pattern in the spec is one of the rules the server's parsers apply, named once
    /// (`domain::pattern`, `domain::plausible`, `If-Match`); no placeholder is left.
    #[test]
    fn every_pattern_is_a_rule_of_the_server() {
        fn collect(value: &serde_json::Value, found: &mut BTreeSet<String>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, inner) in map {
                        match inner.as_str() {
                            Some(pattern) if key == "pattern" => {
                                found.insert(pattern.to_owned());
                            }
                            _ => collect(inner, found),
                        }
                    }
                }
                serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, found)),
                _ => {}
            }
        }
        let mut found = BTreeSet::new();
        collect(&generated(), &mut found);
        let known: BTreeSet<String> = PATTERNS
            .iter()
            .map(|(_, pattern)| *pattern)
            .chain([
                domain::pattern::MUNICIPALITY,
                domain::pattern::HSA_ID,
                domain::plausible::DATE_PATTERN,
                domain::plausible::INSTANT_PATTERN,
                domain::pattern::VIDEO_LINK,
                crate::preconditions::IF_MATCH_PATTERN,
            ])
            .map(str::to_owned)
            .collect();
        let unknown: Vec<_> = found.difference(&known).collect();
        assert!(unknown.is_empty(), "patterns that are no rule: {unknown:?}");
        assert!(found.contains(domain::pattern::NAME) && found.contains(domain::pattern::EMAIL));
    }

    /// Every list's items are a named component, so generated clients have a type for one item.
    /// Every link starts at a documented response and names an operation that has each
    /// parameter it sets; the runtime expressions read what the source response has.
    #[test]
    fn every_link_walks_from_a_response_to_a_parameter_that_exists() {
        let doc = generated();
        let operation = |id: &str| {
            doc["paths"]
                .as_object()
                .into_iter()
                .flat_map(|paths| paths.values())
                .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.values()))
                .find(|operation| operation["operationId"] == id)
                .cloned()
        };
        for link in LINKS {
            let from = operation(link.from).unwrap_or_default();
            let written = &from["responses"][link.status]["links"][link.name];
            assert_eq!(
                written["operationId"], link.to,
                "{} {}",
                link.from, link.name
            );
            let to = operation(link.to).unwrap_or_default();
            for (name, expression) in link.parameters {
                let (place, parameter) = name.split_once('.').unwrap_or_default();
                let declared = to["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p["in"] == place && p["name"] == parameter);
                assert!(declared, "{}: {} has no {name}", link.from, link.to);
                if let Some(header) = expression.strip_prefix("$response.header.") {
                    assert!(
                        from["responses"][link.status]["headers"]
                            .get(header)
                            .is_some(),
                        "{} {} has no header {header}",
                        link.from,
                        link.status
                    );
                }
            }
        }
    }

    /// The spec's indicator names are the ones the server answers with and takes in
    /// `/indicators/{name}/chart` (serde's and utoipa's renames must agree).
    #[test]
    fn the_spec_names_the_indicators_as_the_server_does() {
        let doc = generated();
        let listed: Vec<String> = doc["components"]["schemas"]["IndicatorName"]["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let served: Vec<String> = domain::indicator::IndicatorName::ALL
            .iter()
            .map(|name| name.as_str().to_owned())
            .collect();
        assert_eq!(listed, served);
    }

    #[test]
    fn every_list_item_is_a_named_component() {
        let doc = generated();
        let schemas = doc["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let pages: Vec<_> = schemas.keys().filter(|k| k.starts_with("Page_")).collect();
        assert!(!pages.is_empty());
        for page in pages {
            let item = &schemas[page]["properties"]["items"]["items"]["$ref"];
            let name = item.as_str().unwrap_or_default();
            let name = name.trim_start_matches("#/components/schemas/");
            assert!(schemas.contains_key(name), "{page}: items {item}");
        }
    }
}
