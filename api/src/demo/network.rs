//! The network's year of meetings (issue 12): the 12 months ending three months after the
//! day the demo is loaded, so there is always a past to look back on and a calendar ahead.
//!
//! - the organizing committee: one series of six (every second month, the second Tuesday);
//! - a monthly municipal network in each of the six Höglandet municipalities (one series
//!   each), one past occurrence cancelled with its reason;
//! - ESTHER cafés twice a term (March and May, September and November), each hosted by another
//!   Höglandet municipality, with the opening story, lessons and proposals to management;
//! - the strategy day in October; the coach network every third month (a series);
//! - three case conferences in Nässjö, each about a person ready for discharge, with her invited.
//!
//! Past meetings are `held`: invitations answered, attendance recorded (a patient or relative
//! representative at some of them, so "Esther or a representative took part" varies), agendas,
//! minutes approved (one amended afterwards), decisions and action items in every state —
//! those due before today and still pending are overdue. Future meetings are `scheduled`, with
//! invitations partly answered.

use chrono::{Datelike, Months, NaiveDate, TimeDelta, Weekday};
use domain::meeting::action_item::{ActionItem, ActionItemChanges, ActionStatus, NewActionItem};
use domain::meeting::agenda::NewAgendaItem;
use domain::meeting::cafe::{Narrator, NewProposal, StoryText, parse_without_personal_number};
use domain::meeting::participant::{
    Answerer, Attendance, Invitee, Participant, Representative, RepresentativeRole, ResponseStatus,
};
use domain::meeting::series::{NewSeries, Schedule};
use domain::meeting::{Meeting, MeetingChanges, MeetingKind, MeetingStatus, NewMeeting, VideoLink};
use domain::record::{FreeText, MAX_TEXT_CHARS};
use domain::{CareUnitKind, MunicipalityCode};
use persistence::{
    DbConnection, PersistenceError, action_items, meeting_participants, meeting_records,
    meeting_series, meetings,
};
use uuid::Uuid;

use super::{Clock, DEMO_SUBJECT, Directory, corrupt, parsed};

/// The six Höglandet municipalities (code, name), where the ESTHER network began.
pub(super) const HOGLANDET: [(&str, &str); 6] = [
    ("0604", "Aneby"),
    ("0686", "Eksjö"),
    ("0682", "Nässjö"),
    ("0684", "Sävsjö"),
    ("0687", "Tranås"),
    ("0685", "Vetlanda"),
];

/// Months of the year shown before the month the demo is loaded in (the rest lies ahead).
const MONTHS_BEFORE: u32 = 9;

/// Loads the year of meetings.
pub(super) fn load(
    conn: &mut DbConnection,
    directory: &Directory,
    clock: Clock,
    conference_persons: &[Uuid],
) -> Result<(), PersistenceError> {
    let first_month = clock
        .today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(MONTHS_BEFORE)))
        .ok_or_else(|| corrupt("no first month".into()))?;
    let last_day = first_month
        .checked_add_months(Months::new(12))
        .map(|d| d - TimeDelta::days(1))
        .ok_or_else(|| corrupt("no last day".into()))?;
    let mut network = Network {
        conn,
        directory,
        clock,
        items: 0,
        recorder: demo_recorder(),
    };
    network.committee(first_month)?;
    network.municipal_networks(first_month)?;
    network.cafes(first_month, last_day)?;
    network.strategy_day(first_month, last_day)?;
    network.coach_network(first_month)?;
    network.case_conferences(conference_persons)?;
    Ok(())
}

fn text(value: &str) -> Result<FreeText, PersistenceError> {
    parsed(FreeText::parse(value))
}

/// The `n`th `weekday` of `month`'s month.
fn nth(month: NaiveDate, weekday: Weekday, n: u8) -> Result<NaiveDate, PersistenceError> {
    NaiveDate::from_weekday_of_month_opt(month.year(), month.month(), weekday, n)
        .ok_or_else(|| corrupt(format!("no {weekday} #{n} in {month}")))
}

/// One invitation and how it went: the answer, and (once held) whether she came.
struct Invitation {
    invitee: Invitee,
    response: ResponseStatus,
    attended: bool,
}

impl Invitation {
    fn came(invitee: Invitee) -> Self {
        Invitation {
            invitee,
            response: ResponseStatus::Accepted,
            attended: true,
        }
    }

    fn answered(invitee: Invitee, response: ResponseStatus, attended: bool) -> Self {
        Invitation {
            invitee,
            response,
            attended,
        }
    }
}

fn representative(
    name: &str,
    role: RepresentativeRole,
    consent_to_be_named: bool,
) -> Result<Invitee, PersistenceError> {
    Ok(Invitee::Representative(Representative::invited(
        parsed(domain::meeting::participant::parse_representative_name(
            name,
            crate::record_access::today(),
        ))?,
        role,
        consent_to_be_named,
    )))
}

/// The network's patient representative, who consented to be named.
fn patient_representative() -> Result<Invitee, PersistenceError> {
    representative(
        "Karin Esthersson",
        RepresentativeRole::PatientRepresentative,
        true,
    )
}

/// Where a meeting takes place and who organizes it.
struct Venue {
    place: Option<String>,
    video_link: Option<&'static str>,
    municipality: &'static str,
    organization_id: Uuid,
    organizer_id: Uuid,
}

/// Where a meeting or series is, as its fields: place, video link, host municipality.
type Where = (
    Option<FreeText>,
    Option<VideoLink>,
    Option<MunicipalityCode>,
);

impl Venue {
    fn fields(&self) -> Result<Where, PersistenceError> {
        Ok((
            self.place.as_deref().map(text).transpose()?,
            self.video_link
                .map(|link| parsed(VideoLink::parse(link)))
                .transpose()?,
            Some(parsed(MunicipalityCode::parse(self.municipality))?),
        ))
    }

    /// A place in municipality `code`, hosted by the municipality and organized by its home
    /// care's needs assessor (who coordinates the municipal side of the network).
    fn municipal(
        directory: &Directory,
        code: &'static str,
        place: String,
    ) -> Result<Venue, PersistenceError> {
        let home_care = directory.unit(CareUnitKind::HomeCareService, code, "Hemtjänst")?;
        Ok(Venue {
            place: Some(place),
            video_link: None,
            municipality: code,
            organization_id: directory.municipality(code)?.id,
            organizer_id: directory.member(home_care, 2)?.id,
        })
    }
}

struct Network<'a> {
    conn: &'a mut DbConnection,
    directory: &'a Directory,
    clock: Clock,
    /// Action items made so far: their status cycles through every state.
    items: usize,
    /// Who the meetings are recorded as made by: the demo loader, of no unit; for a case
    /// conference, the loader at the unit that schedules it (her access rules read the
    /// conference as that unit's entry, decision record 0023).
    recorder: domain::record::Recorder,
}

impl Network<'_> {
    /// A series of `kind` by `rule` from `first` at `hour`:00 Stockholm time; its meetings.
    #[allow(clippy::too_many_arguments)]
    fn series(
        &mut self,
        kind: MeetingKind,
        title: &str,
        description: &str,
        rule: &str,
        first: NaiveDate,
        hour: u32,
        minutes: i64,
        venue: &Venue,
    ) -> Result<Vec<Meeting>, PersistenceError> {
        let starts_local = first
            .and_hms_opt(hour, 0, 0)
            .ok_or_else(|| corrupt(format!("no {hour}:00")))?;
        let schedule = Schedule::parse(rule, starts_local, minutes, Vec::new()).map_err(|e| {
            corrupt(format!(
                "rule {rule}: {}",
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })?;
        let (place, video_link, host_municipality) = venue.fields()?;
        let (series, occurrences) = parsed(
            NewSeries {
                kind,
                title: text(title)?,
                description: Some(text(description)?),
                schedule,
                place,
                video_link,
                host_municipality,
                host_organization_id: Some(venue.organization_id),
                organizer_id: Some(venue.organizer_id),
            }
            .into_records(
                Uuid::now_v7(),
                Uuid::now_v7,
                &demo_recorder(),
                self.clock.now,
            ),
        )?;
        meeting_series::insert(self.conn, &series, &occurrences)?;
        Ok(occurrences.into_iter().map(|o| o.meeting).collect())
    }

    /// A single meeting from `start` for `minutes`.
    fn meeting(
        &mut self,
        kind: MeetingKind,
        (title, description): (&str, &str),
        start: chrono::DateTime<chrono::Utc>,
        minutes: i64,
        venue: &Venue,
        person_id: Option<Uuid>,
    ) -> Result<Meeting, PersistenceError> {
        let (place, video_link, host_municipality) = venue.fields()?;
        let meeting = parsed(
            NewMeeting {
                kind,
                title: text(title)?,
                description: Some(text(description)?),
                starts_at: start,
                ends_at: start + TimeDelta::minutes(minutes),
                place,
                video_link,
                host_municipality,
                host_organization_id: Some(venue.organization_id),
                organizer_id: Some(venue.organizer_id),
                person_id,
            }
            .into_record(Uuid::now_v7(), &self.recorder, self.clock.now),
        )?;
        meetings::insert(self.conn, &meeting)?;
        Ok(meeting)
    }

    fn is_past(&self, meeting: &Meeting) -> bool {
        meeting.starts_at < self.clock.now
    }

    /// Invites everyone and records the answers; a meeting that has started is then recorded
    /// as held with everyone's attendance (a declined invitation is absent). Returns the
    /// meeting as stored.
    fn conduct(
        &mut self,
        meeting: Meeting,
        invitations: Vec<Invitation>,
    ) -> Result<Meeting, PersistenceError> {
        let now = self.clock.now;
        let organizer = Answerer {
            organizer: true,
            hsa_id: None,
            person: None,
        };
        let mut participants: Vec<Participant> = Vec::with_capacity(invitations.len());
        let mut attended = Vec::with_capacity(invitations.len());
        for invitation in invitations {
            let invited = parsed(meeting.invite(
                invitation.invitee,
                &participants,
                Uuid::now_v7(),
                DEMO_SUBJECT,
                now,
            ))?;
            meeting_participants::insert(self.conn, &invited)?;
            let participant = if invitation.response == ResponseStatus::Invited {
                invited
            } else {
                let answered =
                    parsed(meeting.answer(&invited, invitation.response, organizer, None))?;
                meeting_participants::update(self.conn, &answered)?
            };
            participants.push(participant);
            attended.push(invitation.attended && invitation.response != ResponseStatus::Declined);
        }
        if !self.is_past(&meeting) {
            return Ok(meeting);
        }
        let held = parsed(meeting.apply(
            MeetingChanges {
                status: Some(MeetingStatus::Held),
                ..MeetingChanges::default()
            },
            now,
        ))?;
        let mut meeting = meetings::update(self.conn, &held)?;
        for (index, came) in attended.into_iter().enumerate() {
            let attendance = if came {
                Attendance::Attended
            } else {
                Attendance::Absent
            };
            let (recorded, next) =
                parsed(meeting.record_attendance(&participants, &participants[index], attendance))?;
            participants[index] = meeting_participants::update(self.conn, &recorded)?;
            if next != meeting {
                meeting = meetings::update(self.conn, &next)?;
            }
        }
        Ok(meeting)
    }

    /// The agenda: (title, presenter, minutes allotted) in order.
    fn agenda(
        &mut self,
        meeting: &Meeting,
        items: &[(&str, Option<Uuid>, u16)],
    ) -> Result<(), PersistenceError> {
        let mut agenda = Vec::with_capacity(items.len());
        for (title, presenter_id, minutes) in items {
            let item = parsed(meeting.add_agenda_item(
                NewAgendaItem {
                    position: None,
                    title: text(title)?,
                    presenter_id: *presenter_id,
                    minutes_allotted: Some(*minutes),
                },
                &agenda,
                Uuid::now_v7(),
                DEMO_SUBJECT,
                self.clock.now,
            ))?;
            meeting_records::insert_agenda_item(self.conn, &item)?;
            agenda.push(item);
        }
        Ok(())
    }

    /// Minutes approved by `approver`; with `amendment`, amended afterwards for that reason.
    fn minutes(
        &mut self,
        meeting: &Meeting,
        body: &str,
        approver: Uuid,
        amendment: Option<(&str, &str)>,
    ) -> Result<(), PersistenceError> {
        let now = self.clock.now;
        let draft = parsed(meeting.start_minutes(text(body)?, DEMO_SUBJECT, now))?;
        meeting_records::insert_minutes(self.conn, &draft)?;
        let (approved, version) =
            parsed(draft.approve(meeting, approver, Uuid::now_v7(), DEMO_SUBJECT, now))?;
        let approved = meeting_records::update_minutes(self.conn, &approved)?;
        meeting_records::insert_minutes_version(self.conn, &version)?;
        if let Some((amended_text, reason)) = amendment {
            let (amended, version) = parsed(approved.amend(
                text(amended_text)?,
                text(reason)?,
                Uuid::now_v7(),
                DEMO_SUBJECT,
                now,
            ))?;
            meeting_records::update_minutes(self.conn, &amended)?;
            meeting_records::insert_minutes_version(self.conn, &version)?;
        }
        Ok(())
    }

    fn decision(&mut self, meeting: &Meeting, decision: &str) -> Result<(), PersistenceError> {
        let decided_at = (meeting.starts_at + TimeDelta::minutes(50)).min(self.clock.now);
        let decision = parsed(meeting.record_decision(
            text(decision)?,
            decided_at,
            Uuid::now_v7(),
            DEMO_SUBJECT,
            self.clock.now,
        ))?;
        meeting_records::insert_decision(self.conn, &decision)
    }

    /// The next status in the cycle open, in progress, done, cancelled, in progress, open:
    /// every state occurs, pending ones most.
    fn next_status(&mut self) -> ActionStatus {
        const CYCLE: [ActionStatus; 6] = [
            ActionStatus::Open,
            ActionStatus::InProgress,
            ActionStatus::Done,
            ActionStatus::Cancelled,
            ActionStatus::InProgress,
            ActionStatus::Open,
        ];
        self.items += 1;
        CYCLE[self.items % CYCLE.len()]
    }

    /// `item` moved to `status` as its owner would with `PATCH /action-items/{id}`.
    fn progress(
        &mut self,
        meeting: &Meeting,
        item: ActionItem,
        status: ActionStatus,
    ) -> Result<(), PersistenceError> {
        if status == ActionStatus::Open {
            return Ok(());
        }
        let next = parsed(item.apply(
            meeting,
            ActionItemChanges {
                status: Some(status),
                ..ActionItemChanges::default()
            },
            self.clock.now,
        ))?;
        action_items::update(self.conn, &next)?;
        Ok(())
    }

    /// An action item of `meeting` due `days` after it, owned by `owner` and/or `unit`, in
    /// the next status of the cycle.
    fn action_item(
        &mut self,
        meeting: &Meeting,
        title: &str,
        owner_id: Option<Uuid>,
        care_unit_id: Option<Uuid>,
        days: i64,
    ) -> Result<(), PersistenceError> {
        let due = domain::discharge::stockholm_date(meeting.starts_at) + TimeDelta::days(days);
        let item = parsed(meeting.add_action_item(
            NewActionItem {
                title: text(title)?,
                description: None,
                owner_id,
                care_unit_id,
                due,
                improvement_project_id: None,
            },
            Uuid::now_v7(),
            DEMO_SUBJECT,
            self.clock.now,
        ))?;
        action_items::insert(self.conn, &item)?;
        let status = self.next_status();
        self.progress(meeting, item, status)
    }

    fn committee(&mut self, first_month: NaiveDate) -> Result<(), PersistenceError> {
        let d = self.directory;
        let region = d.region()?;
        let eksjo_ward = d.unit(CareUnitKind::HospitalWard, "0686", "Medicinavdelning 2")?;
        let vc = d.unit(CareUnitKind::PrimaryCareCentre, "0686", "Eksjö")?;
        let chair = d.member(vc, 0)?.id;
        let venue = Venue {
            place: Some("Höglandssjukhuset Eksjö, konferensrum Esther".into()),
            video_link: None,
            municipality: "0686",
            organization_id: region.id,
            organizer_id: chair,
        };
        let meetings = self.series(
            MeetingKind::OrganizingCommittee,
            "Ledningsgruppen för ESTHER Höglandet",
            "Ledningsgruppen: sjukhusets, primärvårdens, socialtjänstens och medicinklinikens chefer.",
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6",
            nth(first_month, Weekday::Tue, 2)?,
            13,
            150,
            &venue,
        )?;
        let directors = [
            d.member(eksjo_ward, 0)?.id,
            d.member(vc, 1)?.id,
            d.member(
                d.unit(CareUnitKind::HomeCareService, "0686", "Hemtjänst")?,
                2,
            )?
            .id,
            d.member(
                d.unit(CareUnitKind::HomeCareService, "0682", "Hemtjänst")?,
                2,
            )?
            .id,
        ];
        let mut amended = false;
        for (index, meeting) in meetings.into_iter().enumerate() {
            let mut invitations = vec![Invitation::came(Invitee::Staff(chair))];
            for (n, director) in directors.iter().enumerate() {
                invitations.push(if (index + n) % 5 == 4 {
                    Invitation::answered(Invitee::Staff(*director), ResponseStatus::Declined, false)
                } else {
                    Invitation::came(Invitee::Staff(*director))
                });
            }
            if index % 2 == 0 {
                invitations.push(Invitation::came(patient_representative()?));
            }
            let meeting = self.conduct(meeting, invitations)?;
            self.agenda(
                &meeting,
                &[
                    (
                        "Esthers berättelse: vad har hänt sedan sist",
                        Some(chair),
                        20,
                    ),
                    (
                        "Vårdkedjans indikatorer: dagar från utskrivningsklar",
                        Some(directors[0]),
                        40,
                    ),
                    ("Förslag från ESTHER-caféerna", Some(directors[1]), 45),
                ],
            )?;
            if meeting.status != MeetingStatus::Held {
                continue;
            }
            let amendment = (!amended).then_some((
                "Ledningsgruppen gick igenom indikatorerna och caféernas förslag. Beslut: hemgångsteam på Höglandet prövas under våren. Rättelse: även Tranås deltar.",
                "Tranås deltagande föll bort i det justerade protokollet",
            ));
            amended = true;
            self.minutes(
                &meeting,
                "Ledningsgruppen gick igenom indikatorerna och caféernas förslag. Beslut: hemgångsteam på Höglandet prövas under våren.",
                chair,
                amendment,
            )?;
            self.decision(
                &meeting,
                "Förslagen från caféet remitteras till respektive huvudman.",
            )?;
            self.action_item(
                &meeting,
                "Återkoppla caféets förslag till förvaltningsledningen",
                Some(directors[1]),
                None,
                30,
            )?;
            self.action_item(
                &meeting,
                "Ta fram underlag om betalningsansvarsdagar per kommun",
                Some(directors[0]),
                Some(eksjo_ward.id),
                45,
            )?;
        }
        Ok(())
    }

    fn municipal_networks(&mut self, first_month: NaiveDate) -> Result<(), PersistenceError> {
        let d = self.directory;
        let days = [
            (Weekday::Wed, "WE"),
            (Weekday::Thu, "TH"),
            (Weekday::Tue, "TU"),
            (Weekday::Wed, "WE"),
            (Weekday::Thu, "TH"),
            (Weekday::Mon, "MO"),
        ];
        let mut cancelled = false;
        for (index, ((code, name), (weekday, byday))) in HOGLANDET.iter().zip(days).enumerate() {
            let week = u8::try_from(index % 3 + 1).unwrap_or(1);
            let home_care = d.unit(CareUnitKind::HomeCareService, code, "Hemtjänst")?;
            let home_health = d.unit(CareUnitKind::HomeHealthCare, code, "Hemsjukvård")?;
            let vc = d
                .units
                .iter()
                .find(|u| {
                    u.kind == CareUnitKind::PrimaryCareCentre && u.municipality.as_str() == *code
                })
                .ok_or_else(|| corrupt(format!("no vårdcentral in {code}")))?;
            let venue = Venue::municipal(d, code, format!("Kommunhuset, {name}"))?;
            let organizer = venue.organizer_id;
            let meetings = self.series(
                MeetingKind::MunicipalNetwork,
                &format!("ESTHER-nätverket i {name}"),
                "Kommunens ESTHER-nätverk: hemtjänst, hemsjukvård, vårdcentral och sjukhus går igenom vårdkedjan.",
                &format!("FREQ=MONTHLY;BYDAY={week}{byday};COUNT=12"),
                nth(first_month, weekday, week)?,
                14,
                90,
                &venue,
            )?;
            let nurse = d.member(home_health, 0)?.id;
            let vc_nurse = d.member(vc, 1)?.id;
            for (month, meeting) in meetings.into_iter().enumerate() {
                if !cancelled && index == 1 && month == 3 {
                    let reason =
                        text("Krockar med länets influensavaccination; nästa träff som vanligt.")?;
                    meetings::update(self.conn, &parsed(meeting.cancel(reason))?)?;
                    cancelled = true;
                    continue;
                }
                let mut invitations = vec![
                    Invitation::came(Invitee::Staff(organizer)),
                    Invitation::came(Invitee::CareUnit(home_care.id)),
                    Invitation::answered(
                        Invitee::Staff(nurse),
                        if month % 4 == 3 {
                            ResponseStatus::Tentative
                        } else {
                            ResponseStatus::Accepted
                        },
                        month % 4 != 3,
                    ),
                    Invitation::answered(
                        Invitee::Staff(vc_nurse),
                        if month % 3 == 2 {
                            ResponseStatus::Declined
                        } else {
                            ResponseStatus::Invited
                        },
                        true,
                    ),
                ];
                if (month + index) % 3 != 0 {
                    invitations.push(Invitation::answered(
                        representative(
                            "Anhörigrepresentant",
                            RepresentativeRole::RelativeRepresentative,
                            false,
                        )?,
                        ResponseStatus::Accepted,
                        (month + index) % 3 == 1,
                    ));
                }
                let meeting = self.conduct(meeting, invitations)?;
                self.agenda(
                    &meeting,
                    &[
                        (
                            "Utskrivningar sedan sist: vad gick bra, vad gick mindre bra",
                            Some(nurse),
                            45,
                        ),
                        ("Åtgärdspunkter", Some(organizer), 30),
                    ],
                )?;
                if meeting.status == MeetingStatus::Held {
                    self.action_item(
                        &meeting,
                        "Följ upp hemgång med läkemedelslista inom ett dygn",
                        Some(nurse),
                        Some(home_health.id),
                        21,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Two cafés a term (March and May, September and November) within the window, each in
    /// the next Höglandet municipality.
    fn cafes(
        &mut self,
        first_month: NaiveDate,
        last_day: NaiveDate,
    ) -> Result<(), PersistenceError> {
        let d = self.directory;
        let mut dates = Vec::new();
        for year in first_month.year()..=last_day.year() {
            for (month, week) in [(3, 3), (5, 2), (9, 3), (11, 2)] {
                let first = NaiveDate::from_ymd_opt(year, month, 1)
                    .ok_or_else(|| corrupt(format!("no {year}-{month}")))?;
                let date = nth(first, Weekday::Thu, week)?;
                if (first_month..=last_day).contains(&date) {
                    dates.push(date);
                }
            }
        }
        let region = d.region()?;
        for (index, date) in dates.into_iter().enumerate() {
            let (code, name) = HOGLANDET[(index + 1) % HOGLANDET.len()];
            let venue = Venue::municipal(d, code, format!("Folkets hus, {name}"))?;
            let organizer = venue.organizer_id;
            let meeting = self.meeting(
                MeetingKind::EstherCafe,
                (
                    &format!("ESTHER-café i {name}"),
                    "Caféet inleds med Esthers berättelse; lärdomarna blir förslag till ledningen.",
                ),
                Clock::local(date, 13, 0)?,
                180,
                &venue,
                None,
            )?;
            let ward = d.unit(CareUnitKind::HospitalWard, "0686", "Medicinavdelning 2")?;
            let invitations = vec![
                Invitation::came(Invitee::Staff(organizer)),
                Invitation::came(Invitee::Staff(d.member(ward, 1)?.id)),
                Invitation::came(Invitee::CareUnit(
                    d.unit(CareUnitKind::HomeHealthCare, code, "Hemsjukvård")?
                        .id,
                )),
                Invitation::came(patient_representative()?),
                Invitation::answered(
                    representative(
                        "Närståenderepresentant",
                        RepresentativeRole::RelativeRepresentative,
                        false,
                    )?,
                    ResponseStatus::Tentative,
                    index % 2 == 0,
                ),
            ];
            let meeting = self.conduct(meeting, invitations)?;
            if meeting.status != MeetingStatus::Held {
                continue;
            }
            self.cafe_records(&meeting, region.id, d.municipality(code)?.id, index)?;
        }
        Ok(())
    }

    /// A held café's story, lessons and proposals (no personal identifiers in any of them).
    fn cafe_records(
        &mut self,
        meeting: &Meeting,
        region: Uuid,
        municipality: Uuid,
        index: usize,
    ) -> Result<(), PersistenceError> {
        const STORIES: [(&str, Narrator); 2] = [
            (
                "Jag kom hem en fredag eftermiddag. Ingen visste att jag var hemma, och mina nya tabletter fanns inte på apoteket förrän på måndagen.",
                Narrator::Esther,
            ),
            (
                "Min mamma skrevs ut mitt i natten. Hemtjänsten fick veta det först på morgonen; jag fick ringa runt och förklara allt igen.",
                Narrator::Relative,
            ),
        ];
        let now = self.clock.now;
        let today = self.clock.today;
        let free =
            |value: &str| parsed(parse_without_personal_number(value, MAX_TEXT_CHARS, today));
        let (story, narrator) = STORIES[index % STORIES.len()];
        let story = parsed(meeting.tell_story(
            StoryText {
                text: free(story)?,
                narrator,
                narrator_description: Some(free("Inlagd på medicinavdelning i våras")?),
            },
            None,
            DEMO_SUBJECT,
            now,
        ))?;
        meeting_records::insert_story(self.conn, &story)?;
        for lesson in [
            "Utskrivning på fredag eftermiddag kräver att läkemedlen är ordnade före hemgång.",
            "Hemtjänsten behöver veta om hemgången samma dag som beslutet tas.",
        ] {
            let lesson = parsed(meeting.learn(free(lesson)?, Uuid::now_v7(), DEMO_SUBJECT, now))?;
            meeting_records::insert_lesson(self.conn, &lesson)?;
        }
        let date = domain::discharge::stockholm_date(meeting.starts_at);
        for (title, body, organization, days) in [
            (
                "Inga utskrivningar efter kl. 15 på fredagar utan ordnade läkemedel",
                "Regionens sjukhus inför en kontroll av läkemedel och hemtjänst före fredagsutskrivningar.",
                region,
                60,
            ),
            (
                "Hemtjänsten får besked om hemgång samma dag",
                "Kommunen ser till att hemtjänstens planerare nås av utskrivningsklarmeddelandet samma dag.",
                municipality,
                45,
            ),
        ] {
            let (proposal, item) = parsed(meeting.propose(
                NewProposal {
                    title: free(title)?,
                    text: free(body)?,
                    organization_id: organization,
                    due: date + TimeDelta::days(days),
                },
                Uuid::now_v7(),
                Uuid::now_v7(),
                DEMO_SUBJECT,
                now,
            ))?;
            action_items::insert(self.conn, &item)?;
            meeting_records::insert_proposal(self.conn, &proposal)?;
            let status = self.next_status();
            self.progress(meeting, item, status)?;
        }
        Ok(())
    }

    /// The strategy day: the second Thursday of the October within the window.
    fn strategy_day(
        &mut self,
        first_month: NaiveDate,
        last_day: NaiveDate,
    ) -> Result<(), PersistenceError> {
        let d = self.directory;
        let october = [first_month.year(), last_day.year()]
            .into_iter()
            .filter_map(|year| NaiveDate::from_ymd_opt(year, 10, 1))
            .find(|date| (first_month..=last_day).contains(date))
            .ok_or_else(|| corrupt("no October in the window".into()))?;
        let date = nth(october, Weekday::Thu, 2)?;
        let region = d.region()?;
        let vc = d.unit(CareUnitKind::PrimaryCareCentre, "0686", "Eksjö")?;
        let venue = Venue {
            place: Some("Eksjö stadshotell".into()),
            video_link: None,
            municipality: "0686",
            organization_id: region.id,
            organizer_id: d.member(vc, 0)?.id,
        };
        let meeting = self.meeting(
            MeetingKind::StrategyDay,
            (
                "ESTHER-nätverkets strategidag",
                "Årets strategidag: vad sa Esther i år, vad prioriterar nätverket nästa år.",
            ),
            Clock::local(date, 9, 0)?,
            7 * 60,
            &venue,
            None,
        )?;
        let mut invitations = vec![Invitation::came(Invitee::Organization(region.id))];
        for (code, _) in HOGLANDET {
            invitations.push(Invitation::came(Invitee::Organization(
                d.municipality(code)?.id,
            )));
        }
        invitations.push(Invitation::came(patient_representative()?));
        let meeting = self.conduct(meeting, invitations)?;
        self.agenda(
            &meeting,
            &[
                ("Esthers år: berättelser från caféerna", None, 60),
                (
                    "Indikatorerna: betalningsansvar och återinskrivningar",
                    None,
                    90,
                ),
                ("Prioriteringar för nästa år", None, 120),
            ],
        )?;
        if meeting.status == MeetingStatus::Held {
            self.decision(
                &meeting,
                "Nätverket prioriterar läkemedelsgenomgång före hemgång nästa år.",
            )?;
            self.action_item(
                &meeting,
                "Sammanställ strategidagens prioriteringar till ledningsgruppen",
                Some(d.member(vc, 0)?.id),
                None,
                30,
            )?;
        }
        Ok(())
    }

    /// The coach network: every third month, on video.
    fn coach_network(&mut self, first_month: NaiveDate) -> Result<(), PersistenceError> {
        let d = self.directory;
        let vc = d.unit(
            CareUnitKind::PrimaryCareCentre,
            "0682",
            "Vårdcentralen Nässjö",
        )?;
        let organizer = d.member(vc, 1)?.id;
        let venue = Venue {
            place: None,
            video_link: Some("https://meet.example.se/esther-coachnatverket"),
            municipality: "0682",
            organization_id: d.region()?.id,
            organizer_id: organizer,
        };
        let meetings = self.series(
            MeetingKind::CoachNetwork,
            "ESTHER-coachernas nätverk",
            "Förbättringscoacherna delar erfarenheter från sina förbättringsarbeten.",
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO;COUNT=4",
            nth(first_month, Weekday::Mon, 1)?,
            13,
            120,
            &venue,
        )?;
        let coaches: Vec<Uuid> = HOGLANDET
            .iter()
            .map(|(code, _)| {
                d.unit(CareUnitKind::HomeHealthCare, code, "Hemsjukvård")
                    .and_then(|unit| d.member(unit, 0))
                    .map(|member| member.id)
            })
            .collect::<Result<_, _>>()?;
        for meeting in meetings {
            let mut invitations = vec![Invitation::came(Invitee::Staff(organizer))];
            for (n, coach) in coaches.iter().enumerate() {
                invitations.push(Invitation::answered(
                    Invitee::Staff(*coach),
                    ResponseStatus::Accepted,
                    n != 2,
                ));
            }
            self.conduct(meeting, invitations)?;
        }
        Ok(())
    }

    /// Case conferences (SIP meetings) in Nässjö, each about one of the persons ready for
    /// discharge now (`persons`), with her at the table: two held, one ahead.
    fn case_conferences(&mut self, persons: &[Uuid]) -> Result<(), PersistenceError> {
        let d = self.directory;
        let vc = d.unit(
            CareUnitKind::PrimaryCareCentre,
            "0682",
            "Vårdcentralen Nässjö",
        )?;
        let home_care = d.unit(CareUnitKind::HomeCareService, "0682", "Hemtjänst")?;
        let home_health = d.unit(CareUnitKind::HomeHealthCare, "0682", "Hemsjukvård")?;
        let venue = Venue::municipal(d, "0682", "Vårdcentralen Nässjö, samtalsrummet".into())?;
        let organizer = venue.organizer_id;
        // Scheduled by her vårdcentral: a unit she has not blocked, in the region's
        // organization; the municipality's staff see it under her consent.
        self.recorder = domain::record::Recorder {
            subject: DEMO_SUBJECT.to_owned(),
            unit_id: Some(vc.id),
            organization_id: Some(vc.organization_id),
        };
        for (days, person) in [-40, -12, 9].into_iter().zip(persons.iter().copied()) {
            let date = self.clock.today + TimeDelta::days(days);
            let meeting = self.meeting(
                MeetingKind::CaseConference,
                (
                    "Samordnad individuell plan (SIP)",
                    "SIP-möte inför hemgång: hemtjänst, hemsjukvård och vårdcentral.",
                ),
                Clock::local(date, 10, 0)?,
                60,
                &venue,
                Some(person),
            )?;
            let invitations = vec![
                Invitation::came(Invitee::Person(person)),
                Invitation::came(Invitee::Staff(organizer)),
                Invitation::came(Invitee::Staff(d.member(home_health, 0)?.id)),
                Invitation::came(Invitee::Staff(d.member(vc, 0)?.id)),
            ];
            let meeting = self.conduct(meeting, invitations)?;
            if meeting.status == MeetingStatus::Held {
                self.action_item(
                    &meeting,
                    "Uppdatera planen efter mötet",
                    Some(organizer),
                    Some(home_care.id),
                    7,
                )?;
            }
        }
        self.recorder = demo_recorder();
        Ok(())
    }
}

/// Who the demo's meetings are recorded as made by: the demo loader, of no unit.
fn demo_recorder() -> domain::record::Recorder {
    domain::record::Recorder {
        subject: DEMO_SUBJECT.to_owned(),
        unit_id: None,
        organization_id: None,
    }
}
