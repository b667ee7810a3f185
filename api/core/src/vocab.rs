//! Closed vocabularies shared by every domain: languages and organisation kinds. Stored as
//! lower-case strings, exposed as GraphQL enums.

/// A closed vocabulary stored as a lower-case string and exposed as a GraphQL enum (the
/// crate using it depends on `async-graphql` and `serde`).
#[macro_export]
macro_rules! stored_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn from_db(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let norm = s.trim().to_ascii_lowercase().replace('-', "_");
                Self::from_db(&norm).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("unknown {}: {s} (one of {})", stringify!($name), all.join(", "))
                })
            }
        }
    };
}
pub use crate::stored_enum;

stored_enum! {
    /// A language Adal speaks: Kazakh, Russian, English.
    Language { Kk = "kk", Ru = "ru", En = "en" }
}

impl Language {
    /// The value stored in a column, falling back to Russian for a legacy or empty value.
    pub fn from_db_or_default(s: &str) -> Self {
        Self::from_db(s).unwrap_or(Language::Ru)
    }
    /// Picks the text in this language from a kk/ru/en triple.
    pub fn pick<'a>(self, kk: &'a str, ru: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::Kk => kk,
            Language::Ru => ru,
            Language::En => en,
        }
    }
}

stored_enum! {
    /// What an organisation is; qualification rules and role scopes refer to these.
    OrganisationKind {
        Operator = "operator",
        University = "university",
        /// A college (technical and vocational education).
        College = "college",
        /// A higher college: a post-secondary college that counts for PhD graduates (seed 001).
        HigherCollege = "higher_college",
        School = "school",
        /// The autonomous educational organisation "Nazarbayev Intellectual Schools" and its
        /// schools.
        Nis = "nis",
        Employer = "employer",
        EducationProvider = "education_provider",
        Akimat = "akimat",
        StateBody = "state_body",
        Healthcare = "healthcare",
        Research = "research",
        /// A scientific unit of an organisation of another kind (a university's or a company's
        /// research centre, registered under its own BIN).
        ResearchUnit = "research_unit",
        Veterinary = "veterinary",
        Agrarian = "agrarian",
        Other = "other",
    }
}

impl OrganisationKind {
    /// Kinds that are public institutions: the ones anyone may look up. Employers and the
    /// kinds employers from the pension feed are classified into (clinics, farms, research
    /// firms; some are individual entrepreneurs whose BIN is their IIN) are not.
    pub const INSTITUTIONS: [OrganisationKind; 9] = [
        OrganisationKind::Operator,
        OrganisationKind::University,
        OrganisationKind::College,
        OrganisationKind::HigherCollege,
        OrganisationKind::School,
        OrganisationKind::Nis,
        OrganisationKind::EducationProvider,
        OrganisationKind::Akimat,
        OrganisationKind::StateBody,
    ];

    pub fn is_institution(self) -> bool {
        Self::INSTITUTIONS.contains(&self)
    }
}
