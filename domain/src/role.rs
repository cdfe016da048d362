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
