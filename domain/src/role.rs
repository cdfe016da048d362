//! The roles a caller can hold in the network, as carried in the access token.

crate::string_enum! {
    /// What a caller may do; a token may carry several.
    pub enum Role {
        /// Manages the directory and reviews access logs.
        Admin => "admin",
        /// Coordinates care across organizations (discharge planning, SIP).
        Coordinator => "coordinator",
        /// Clinical staff caring for a person.
        Clinician => "clinician",
        /// Improvement coach of the network.
        Coach => "coach",
        /// A machine client (an EHR or import script) acting for its organization.
        Integration => "integration",
        /// Reads aggregate indicators only, never personal data.
        Analyst => "analyst",
        /// Esther herself: her own record, plan and access-log extract.
        Person => "person",
    }
}

impl Role {
    /// Staff at a care unit: what they may see of a person rides on their unit's care
    /// relationship with her.
    pub fn is_care_role(self) -> bool {
        matches!(self, Role::Admin | Role::Coordinator | Role::Clinician)
    }

    /// Acts for a care giver: staff at a unit, or an integration acting for its organization.
    pub fn is_staff(self) -> bool {
        self.is_care_role() || self == Role::Integration
    }
}

/// Whether a token's roles and `person` claim go together: Esther's own token carries the
/// role `person`, her `person` claim and nothing else, and no other token carries a `person`
/// claim. Otherwise a staff token naming a person would act as staff on her record with her
/// own rights besides (found by an attack review, session 7). `Err` says what is wrong.
pub fn check_token_roles(roles: &[Role], has_person_claim: bool) -> Result<(), &'static str> {
    let is_person = roles.contains(&Role::Person);
    if is_person && roles.iter().any(|r| *r != Role::Person) {
        return Err("a person's own token carries only the role `person`, no staff role");
    }
    if has_person_claim && !is_person {
        return Err("the `person` claim belongs only on a person's own token (role `person`)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_token_is_hers_alone() {
        assert!(check_token_roles(&[Role::Person], true).is_ok());
        assert!(check_token_roles(&[Role::Person], false).is_ok());
        assert!(check_token_roles(&[Role::Clinician, Role::Admin], false).is_ok());
        assert!(check_token_roles(&[Role::Coordinator, Role::Person], true).is_err());
        assert!(check_token_roles(&[Role::Coach, Role::Person], false).is_err());
        assert!(check_token_roles(&[Role::Clinician], true).is_err());
    }

    #[test]
    fn care_roles_are_staff_and_integrations_are_staff_too() {
        let care: Vec<_> = Role::ALL.iter().filter(|r| r.is_care_role()).collect();
        assert_eq!(care, [&Role::Admin, &Role::Coordinator, &Role::Clinician]);
        let staff: Vec<_> = Role::ALL.iter().filter(|r| r.is_staff()).collect();
        assert_eq!(
            staff,
            [
                &Role::Admin,
                &Role::Coordinator,
                &Role::Clinician,
                &Role::Integration
            ]
        );
    }
}
