//! `smartcare`: serve the API, migrate, load demo data, print the spec, or mint a
//! development token. Plain `smartcare` (and `cargo run --release`) serves.

use std::process::ExitCode;
use std::time::Duration;

use api::auth::{TokenRequest, sign_token};
use api::config::{Config, jwt_from_lookup};
use api::startup::{self, StartupError};
use clap::{Parser, Subcommand};
use domain::{HsaId, Role};
use persistence::connection::run_migrations;
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "smartcare",
    version,
    about = "SmartCare Home: care-coordination API of the ESTHER network"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve HTTP (the default command).
    Serve {
        /// Load the demo data (a year of the network, api/src/demo/) first if the database has none.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Load data into the database.
    Seed {
        /// The demo data of the ESTHER network (only into an empty directory).
        #[arg(long, required = true)]
        demo: bool,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Print a signed access token that this configuration accepts (development, scripts).
    Token {
        /// Role to grant; repeat for several (admin, coordinator, clinician, coach, integration, analyst, person).
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Care unit id of the caller.
        #[arg(long)]
        unit: Option<Uuid>,
        /// Organization id of the caller.
        #[arg(long)]
        org: Option<Uuid>,
        /// Person id, for the role `person`.
        #[arg(long)]
        person: Option<Uuid>,
        /// The caller's HSA-id, written under the claim `SMARTCARE_JWT_HSA_ID_CLAIM` names
        /// (default `hsa_id`); a staff member with this HSA-id answers her own meeting
        /// invitations.
        #[arg(long, value_parser = parse_hsa_id)]
        hsa_id: Option<HsaId>,
        /// Subject (user name); defaults to `dev-<first role>`.
        #[arg(long)]
        sub: Option<String>,
        /// Lifetime, e.g. 15m, 1h, 8h.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        ttl: Duration,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).map_err(|e| e.to_string())
}

fn parse_hsa_id(text: &str) -> Result<HsaId, String> {
    HsaId::parse(text).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match run(cli.command.unwrap_or(Command::Serve { demo: false })) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("smartcare: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), StartupError> {
    match command {
        Command::Serve { demo } => serve(demo),
        Command::Migrate => {
            let config = Config::from_env()?;
            let mut connection = startup::connect(&config)?;
            let applied = run_migrations(&mut connection)?;
            println!("applied {} migration(s)", applied.len());
            let filled = persistence::persons::fill_name_sort_keys(&mut connection)?;
            if filled > 0 {
                println!("computed the name sort key of {filled} person(s)");
            }
            Ok(())
        }
        Command::Seed { demo: _ } => {
            let config = Config::from_env()?;
            let mut connection = startup::connect(&config)?;
            run_migrations(&mut connection)?;
            if api::demo::load_if_empty(&mut connection, &config.agreement)? {
                println!("loaded the demo data");
            } else {
                println!("the directory already has data; demo data not loaded");
            }
            Ok(())
        }
        Command::Openapi => {
            let json =
                api::spec::openapi_json().map_err(|e| StartupError::Database(e.to_string()))?;
            print!("{json}");
            Ok(())
        }
        Command::Token {
            roles,
            unit,
            org,
            person,
            hsa_id,
            sub,
            ttl,
        } => {
            let jwt = jwt_from_lookup(&|name| std::env::var(name).ok().filter(|v| !v.is_empty()))?;
            let subject = sub
                .unwrap_or_else(|| format!("dev-{}", roles.first().map_or("user", |r| r.as_str())));
            let request = TokenRequest {
                subject,
                roles,
                organization: org,
                unit,
                person,
                hsa_id,
                ttl,
            };
            println!("{}", sign_token(&jwt, &request)?);
            Ok(())
        }
    }
}

fn serve(demo: bool) -> Result<(), StartupError> {
    let config = Config::from_env()?;
    let state = startup::prepare(&config)?;
    if demo {
        let mut connection = startup::connect(&config)?;
        if api::demo::load_if_empty(&mut connection, &config.agreement)? {
            log::info!("loaded the demo data");
        }
    }
    let listener = startup::bind(&config)?;
    let address = listener.local_addr().map_err(StartupError::Bind)?;
    log::info!("SmartCare Home listening on http://{address} (docs at http://{address}/docs/)");
    actix_web::rt::System::new().block_on(async move {
        startup::serve(state, listener, config.workers)
            .map_err(StartupError::Bind)?
            .await
            .map_err(StartupError::Bind)
    })
}
