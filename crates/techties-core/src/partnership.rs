use crate::{CountryCode, EntityId, Span};

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The contract's name.
            pub fn as_str(&self) -> &'static str { match self { $($name::$v => $s),+ } }
            /// Parses the contract's name.
            pub fn parse(s: &str) -> Option<Self> { match s.trim() { $($s => Some($name::$v),)+ _ => None } }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.as_str()) }
        }
    };
}

string_enum!(
    /// The type of a partnership event, as in the contract.
    PartnershipType {
        /// A research and development centre of a foreign party.
        RdCenter => "rd_center",
        /// A laboratory run jointly.
        JointLab => "joint_lab",
        /// A jointly owned company.
        JointVenture => "joint_venture",
        /// Money invested across a border.
        Investment => "investment",
        /// An agreement, memorandum or contract signed.
        Agreement => "agreement",
        /// Cooperation between universities and academies.
        Academic => "academic",
        /// Recruiting or training people.
        Talent => "talent",
        /// Technology, equipment or know-how handed over.
        TechnologyTransfer => "technology_transfer",
        /// Weapons sold or supplied.
        ArmsSale => "arms_sale",
        /// A project carried out together.
        JointProject => "joint_project",
        /// A science or technology park built together.
        Technopark => "technopark",
        /// Common standards and interoperability.
        Standards => "standards",
        /// Cooperation stated without anything more specific.
        Other => "other",
    }
);

string_enum!(
    /// A technology domain, as in the contract.
    Domain {
        /// Telecommunications, 5G.
        Telecom => "telecom",
        /// Artificial intelligence.
        Ai => "ai",
        /// Big data.
        BigData => "big_data",
        /// Robotics and automation.
        Robotics => "robotics",
        /// Biotechnology and life sciences.
        Biotech => "biotech",
        /// Chips.
        Semiconductors => "semiconductors",
        /// Space and satellites.
        Space => "space",
        /// Cyber security and operations.
        Cyber => "cyber",
        /// Media, propaganda, internet governance.
        NewMedia => "new_media",
        /// E-commerce and digital platforms.
        DigitalEconomy => "digital_economy",
        /// Smart cities.
        SmartCity => "smart_city",
        /// Surveillance and censorship.
        Surveillance => "surveillance",
        /// Quantum technology.
        Quantum => "quantum",
        /// Energy, batteries.
        Energy => "energy",
        /// Aircraft and aviation.
        Aerospace => "aerospace",
        /// Military technology.
        Defense => "defense",
        /// Nuclear technology.
        Nuclear => "nuclear",
        /// Financial technology.
        Fintech => "fintech",
        /// Technology without a more specific domain.
        Other => "other",
    }
);

string_enum!(
    /// Where a partnership stands, as the sentence states it.
    Status {
        /// Made public, without more.
        Announced => "announced",
        /// Intended or expected, not yet done ("plans to", "will", "would").
        Planned => "planned",
        /// An agreement or contract concluded.
        Signed => "signed",
        /// Running: opened, operating, established.
        Operational => "operational",
        /// Grown beyond what it was.
        Expanded => "expanded",
        /// Halted, frozen or ended.
        Suspended => "suspended",
        /// Denied, unconfirmed or ruled out.
        Denied => "denied",
    }
);

string_enum!(
    /// What a place is to a partnership.
    PlaceRole {
        /// Where the centre, lab, plant or project is.
        Site => "site",
        /// Where a party is based.
        Headquarters => "headquarters",
        /// Where it was signed or announced.
        Venue => "venue",
        /// Named in the sentence, role unclear.
        Mentioned => "mentioned",
    }
);

/// A party to a partnership.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    /// The entity, when the party is one the document names.
    pub entity: Option<EntityId>,
    /// The party's name or description ("Huawei", "a Chinese life-science company").
    pub name: String,
    /// Its country.
    pub country: Option<CountryCode>,
}

/// A place where a partnership is sited.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRef {
    /// The place entity.
    pub entity: EntityId,
    /// What the place is to the partnership.
    pub role: PlaceRole,
}

/// A cross-border technology partnership stated in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Partnership {
    /// What kind of cooperation.
    pub kind: PartnershipType,
    /// Technology domains.
    pub domains: Vec<Domain>,
    /// The parties.
    pub participants: Vec<Participant>,
    /// The distinct countries of the parties (at least two).
    pub countries: Vec<CountryCode>,
    /// Where it is sited.
    pub places: Vec<PlaceRef>,
    /// When it happened or was announced.
    pub date: Option<String>,
    /// The sentence(s) stating it.
    pub evidence: Span,
    /// How sure the extractor is, 0 to 1.
    pub confidence: f32,
    /// The trigger phrase that typed it.
    pub trigger: Span,
    /// Where it stands.
    pub status: Status,
}
