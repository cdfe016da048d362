//! The 13 municipalities (kommuner) of Jönköping County: fixed reference data.

use crate::InvalidValue;

/// A municipality of the county with its official four-digit code (kommunkod).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Municipality {
    pub code: &'static str,
    pub name: &'static str,
    /// Part of Höglandet, the six municipalities where the ESTHER network began.
    pub hoglandet: bool,
}

/// All municipalities of the county, ordered by code.
pub const MUNICIPALITIES: [Municipality; 13] = [
    Municipality {
        code: "0604",
        name: "Aneby",
        hoglandet: true,
    },
    Municipality {
        code: "0617",
        name: "Gnosjö",
        hoglandet: false,
    },
    Municipality {
        code: "0642",
        name: "Mullsjö",
        hoglandet: false,
    },
    Municipality {
        code: "0643",
        name: "Habo",
        hoglandet: false,
    },
    Municipality {
        code: "0662",
        name: "Gislaved",
        hoglandet: false,
    },
    Municipality {
        code: "0665",
        name: "Vaggeryd",
        hoglandet: false,
    },
    Municipality {
        code: "0680",
        name: "Jönköping",
        hoglandet: false,
    },
    Municipality {
        code: "0682",
        name: "Nässjö",
        hoglandet: true,
    },
    Municipality {
        code: "0683",
        name: "Värnamo",
        hoglandet: false,
    },
    Municipality {
        code: "0684",
        name: "Sävsjö",
        hoglandet: true,
    },
    Municipality {
        code: "0685",
        name: "Vetlanda",
        hoglandet: true,
    },
    Municipality {
        code: "0686",
        name: "Eksjö",
        hoglandet: true,
    },
    Municipality {
        code: "0687",
        name: "Tranås",
        hoglandet: true,
    },
];

/// The code of one of the county's municipalities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MunicipalityCode(&'static str);

impl MunicipalityCode {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        Municipality::by_code(text.trim())
            .map(|m| Self(m.code))
            .ok_or_else(|| {
                InvalidValue::new(format!(
                    "`{text}` is not the code of a municipality in Jönköping County (one of {})",
                    MUNICIPALITIES.map(|m| m.code).join(", ")
                ))
            })
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    pub fn municipality(self) -> Municipality {
        // The code was taken from MUNICIPALITIES when parsed.
        Municipality::by_code(self.0).unwrap_or(MUNICIPALITIES[0])
    }
}

impl Municipality {
    pub fn by_code(code: &str) -> Option<Municipality> {
        MUNICIPALITIES.iter().copied().find(|m| m.code == code)
    }
}

impl std::fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_municipalities_form_hoglandet() {
        let mut hoglandet: Vec<_> = MUNICIPALITIES
            .iter()
            .filter(|m| m.hoglandet)
            .map(|m| m.code)
            .collect();
        hoglandet.sort_unstable();
        assert_eq!(hoglandet, ["0604", "0682", "0684", "0685", "0686", "0687"]);
    }

    #[test]
    fn parses_only_county_codes() {
        assert_eq!(
            MunicipalityCode::parse("0682").map(|c| c.municipality().name),
            Ok("Nässjö")
        );
        assert!(MunicipalityCode::parse("0180").is_err());
        assert!(MunicipalityCode::parse("682").is_err());
    }
}
