//! The name search finds exactly the persons `domain::access::decide` lets the caller into:
//! checked on generated populations (care relationships active and ended across units and
//! organizations, consents, blocks) for callers of every kind, on both backends.

use actix_web::http::Method;
use domain::Role;
use domain::access::{AccessFacts, Viewer, decide};
use persistence::{DatabaseUrl, snapshot};
use serde_json::{Value, json};
use tests::{TestApp, personnummer};
use uuid::Uuid;

use crate::record_support::{id, network};

/// A seeded generator (xorshift64*): the same seed makes the same population.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

const GIVEN_NAMES: [&str; 4] = ["Astrid", "Asta", "Bertil", "Berit"];
const FAMILY_NAMES: [&str; 2] = ["Ek", "Eklund"];
const PREFIXES: [&str; 5] = ["ast", "astr", "ber", "berit e", "asta ek"];
const PERSONS: usize = 24;

/// A generated person: her id and her name in search form.
struct Generated {
    id: Uuid,
    name_key: String,
}

/// Registers `PERSONS` persons at random units, brings random other units into their care,
/// and — as each of them — records consents, blocks units and ends relationships at random.
async fn population(app: &TestApp, units: &[Value], seed: u64) -> Vec<Generated> {
    let mut random = Generator(seed);
    let mut persons = Vec::new();
    for i in 0..PERSONS {
        let given = GIVEN_NAMES[random.below(GIVEN_NAMES.len())];
        let family = FAMILY_NAMES[random.below(FAMILY_NAMES.len())];
        let registrar = &units[random.below(units.len())];
        let body = json!({
            "personal_number": personnummer(&format!("19{}0315", 30 + i), "123"),
            "given_name": given,
            "family_name": family,
        });
        let registrar_token = app.staff_token("clinician", registrar);
        let person = app
            .post("/api/v1/persons", &registrar_token, &body)
            .await
            .assert_status(201)
            .clone();
        let person_id = id(&person);
        for unit in units.iter().filter(|u| u["id"] != registrar["id"]) {
            if random.one_in(3) {
                let role = ["home_care_contact", "other"][random.below(2)];
                app.post(
                    &format!("/api/v1/persons/{person_id}/care-relationships"),
                    &registrar_token,
                    &json!({ "care_unit_id": unit["id"], "role": role }),
                )
                .await
                .assert_status(201);
            }
        }
        let her = app.person_token(&person_id);
        if !random.one_in(3) {
            let status = ["given", "refused", "withdrawn"][random.below(3)];
            app.post(
                &format!("/api/v1/persons/{person_id}/consents"),
                &her,
                &json!({ "scope": "information_sharing", "status": status }),
            )
            .await
            .assert_status(201);
        }
        if random.one_in(3) {
            let blocked = &units[random.below(units.len())];
            app.post(
                &format!("/api/v1/persons/{person_id}/blocks"),
                &her,
                &json!({ "care_unit_id": blocked["id"] }),
            )
            .await
            .assert_status(201);
        }
        let record = app
            .get(&format!("/api/v1/persons/{person_id}"), &her)
            .await
            .assert_status(200)
            .clone();
        for relationship in record["care_relationships"].as_array().unwrap() {
            if random.one_in(3) {
                let path = format!(
                    "/api/v1/persons/{person_id}/care-relationships/{}/end",
                    id(relationship)
                );
                app.request(Method::POST, &path, Some(&her), &[], None)
                    .await
                    .assert_status(200);
            }
        }
        persons.push(Generated {
            id: person_id.parse().unwrap(),
            name_key: format!("{given} {family}").to_lowercase(),
        });
    }
    persons
}

/// A caller: the roles and scope of its token.
struct Caller {
    roles: Vec<Role>,
    unit: Option<Uuid>,
    organization: Option<Uuid>,
}

fn uuid_of(value: &Value) -> Uuid {
    value.as_str().unwrap().parse().unwrap()
}

/// Callers of every kind: each care role at each unit (with and without its `org` claim),
/// integrations of each organization, tokens holding both a care role and the integration
/// role, and callers that reach nobody.
fn callers(units: &[Value]) -> Vec<Caller> {
    let unit = |u: &Value| Some(uuid_of(&u["id"]));
    let org = |u: &Value| Some(uuid_of(&u["organization_id"]));
    let caller = |roles: &[Role], unit, organization| Caller {
        roles: roles.to_vec(),
        unit,
        organization,
    };
    let mut callers = Vec::new();
    for u in units {
        callers.push(caller(&[Role::Clinician], unit(u), org(u)));
        callers.push(caller(&[Role::Coordinator], unit(u), None));
        callers.push(caller(&[Role::Admin], unit(u), org(u)));
        callers.push(caller(&[Role::Integration], None, org(u)));
        callers.push(caller(
            &[Role::Integration, Role::Clinician],
            unit(u),
            org(u),
        ));
    }
    // A token whose unit is of another organization than its `org` is refused before any
    // search (auth::a_tokens_unit_must_belong_to_its_org_claim); combined roles with
    // consistent claims are searched here.
    let (ward, home_care) = (&units[0], &units[2]);
    callers.push(caller(
        &[Role::Coordinator, Role::Integration],
        unit(home_care),
        org(home_care),
    ));
    callers.push(caller(&[Role::Integration], unit(ward), None));
    callers.push(caller(&[Role::Clinician], None, org(ward)));
    callers.push(caller(&[Role::Coach], unit(ward), org(ward)));
    callers
}

async fn name_search_agrees_with_decide(seed: u64) {
    let app = TestApp::spawn().await;
    let net = network(&app).await;
    let units = [net.ward, net.primary_care, net.home_care, net.unrelated];
    let persons = population(&app, &units, seed).await;
    let mut conn = DatabaseUrl::parse(app.database.url())
        .unwrap()
        .connect()
        .unwrap();
    let today = tests::today();
    let stored: Vec<_> = persons
        .iter()
        .map(|p| {
            let record = snapshot::load(&mut conn, p.id).unwrap().unwrap();
            (p, record.relationships, record.consents, record.blocks)
        })
        .collect();
    for (n, caller) in callers(&units).iter().enumerate() {
        let mut claims = app.claims("clinician");
        claims["sub"] = json!(format!("search-caller-{n}"));
        claims["roles"] = json!(caller.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>());
        claims["unit"] = json!(caller.unit);
        claims["org"] = json!(caller.organization);
        let token = app.sign(&claims);
        let viewer = Viewer {
            roles: &caller.roles,
            unit: caller.unit,
            organization: caller.organization,
            person: None,
        };
        for prefix in PREFIXES {
            let mut expected: Vec<Uuid> = stored
                .iter()
                .filter(|(person, relationships, consents, blocks)| {
                    let facts = AccessFacts {
                        person_id: person.id,
                        relationships,
                        emergency_access: false,
                        consents,
                        blocks,
                        today,
                    };
                    person.name_key.starts_with(prefix) && decide(&viewer, &facts).is_some()
                })
                .map(|(person, ..)| person.id)
                .collect();
            expected.sort();
            let response = app
                .post("/api/v1/persons/search", &token, &json!({ "name": prefix }))
                .await;
            let found: Vec<Uuid> = match response.status {
                200 => response.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| uuid_of(&p["id"]))
                    .collect(),
                403 => Vec::new(),
                status => panic!("search answered {status}: {}", response.text),
            };
            assert_eq!(
                found, expected,
                "seed {seed}, caller {:?} unit {:?} org {:?}, prefix {prefix:?}: the name search \
                 (left) and decide (right) disagree",
                caller.roles, caller.unit, caller.organization
            );
        }
    }
}

#[actix_web::test]
async fn the_name_search_finds_whom_decide_lets_in_seed_1() {
    name_search_agrees_with_decide(0x5EED_0001).await;
}

#[actix_web::test]
async fn the_name_search_finds_whom_decide_lets_in_seed_2() {
    name_search_agrees_with_decide(0x5EED_0002).await;
}
