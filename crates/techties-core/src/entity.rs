use crate::{CountryCode, Span};

/// Index of an entity in [`crate::Doc::entities`].
pub type EntityId = usize;

/// The four kinds of entity the contract knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// Company, university, agency, fund, ...
    Organization,
    /// A named person in a public role.
    Person,
    /// A state (or union of states) as a party.
    Country,
    /// A city, region or site.
    Place,
}

impl EntityKind {
    /// The contract's name for the kind.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityKind::Organization => "organization",
            EntityKind::Person => "person",
            EntityKind::Country => "country",
            EntityKind::Place => "place",
        }
    }
}

/// What kind of organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgKind {
    /// A business.
    Company,
    /// A university or college.
    University,
    /// A research institute or academy.
    ResearchInstitute,
    /// A ministry, agency or other state body.
    Government,
    /// Armed forces and their units.
    Military,
    /// An investment fund.
    Fund,
    /// A think tank.
    ThinkTank,
    /// A news organisation.
    Media,
    /// Anything else.
    Other,
}

impl OrgKind {
    /// The contract's name.
    pub fn as_str(&self) -> &'static str {
        match self {
            OrgKind::Company => "company",
            OrgKind::University => "university",
            OrgKind::ResearchInstitute => "research_institute",
            OrgKind::Government => "government",
            OrgKind::Military => "military",
            OrgKind::Fund => "fund",
            OrgKind::ThinkTank => "think_tank",
            OrgKind::Media => "media",
            OrgKind::Other => "other",
        }
    }

    /// Parses the contract's name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim() {
            "company" => OrgKind::Company,
            "university" => OrgKind::University,
            "research_institute" => OrgKind::ResearchInstitute,
            "government" => OrgKind::Government,
            "military" => OrgKind::Military,
            "fund" => OrgKind::Fund,
            "think_tank" => OrgKind::ThinkTank,
            "media" => OrgKind::Media,
            "other" => OrgKind::Other,
            _ => return None,
        })
    }
}

/// An entity the document names, linked to the knowledge base where possible.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// KB id (`org:huawei`, `country:CN`, `place:524901`) or a local id (`local:org:3`).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Organisation, person, country or place.
    pub kind: EntityKind,
    /// For organisations: what kind.
    pub subkind: Option<OrgKind>,
    /// Country it belongs to.
    pub country: Option<CountryCode>,
    /// Latitude, for places.
    pub lat: Option<f64>,
    /// Longitude, for places.
    pub lon: Option<f64>,
    /// True when `id` is a knowledge-base id.
    pub linked: bool,
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionRole {
    /// By name ("Russia", "Huawei").
    Name,
    /// A country by demonym or adjective ("Russian", "Chinese").
    Demonym,
    /// A country by combining form ("Sino-" in "Sino-Russian").
    Prefix,
    /// A country by its capital or seat of government ("Moscow and Beijing signed").
    Metonym,
    /// An acronym defined in the text ("ASPI").
    Acronym,
    /// A description with a nationality ("a Chinese life-science company").
    Description,
    /// A partial name of a person mentioned in full earlier ("Kania").
    Partial,
}

/// One mention of an entity in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Bytes in the original text.
    pub span: Span,
    /// The entity it refers to.
    pub entity: EntityId,
    /// How it refers.
    pub role: MentionRole,
}
