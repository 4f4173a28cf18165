//! Naming patterns of organisations the curated list does not know.

use techties_core::OrgKind;

/// Last words that make a capitalised phrase an organisation name, with the kind they imply.
pub const ORG_SUFFIXES: &[(&str, OrgKind)] = &[
    ("University", OrgKind::University),
    ("College", OrgKind::University),
    ("Polytechnic", OrgKind::University),
    ("Academy", OrgKind::ResearchInstitute),
    ("Institute", OrgKind::ResearchInstitute),
    ("Institution", OrgKind::ResearchInstitute),
    ("Laboratory", OrgKind::ResearchInstitute),
    ("Laboratories", OrgKind::ResearchInstitute),
    ("Lab", OrgKind::ResearchInstitute),
    ("Labs", OrgKind::ResearchInstitute),
    ("Observatory", OrgKind::ResearchInstitute),
    ("Fund", OrgKind::Fund),
    ("Foundation", OrgKind::Other),
    ("Group", OrgKind::Company),
    ("Corporation", OrgKind::Company),
    ("Corp.", OrgKind::Company),
    ("Company", OrgKind::Company),
    ("Co.", OrgKind::Company),
    ("Ltd", OrgKind::Company),
    ("Ltd.", OrgKind::Company),
    ("Limited", OrgKind::Company),
    ("Inc", OrgKind::Company),
    ("Inc.", OrgKind::Company),
    ("LLC", OrgKind::Company),
    ("PLC", OrgKind::Company),
    ("AG", OrgKind::Company),
    ("GmbH", OrgKind::Company),
    ("JSC", OrgKind::Company),
    ("PJSC", OrgKind::Company),
    ("Holding", OrgKind::Company),
    ("Holdings", OrgKind::Company),
    ("Technologies", OrgKind::Company),
    ("Technology", OrgKind::Company),
    ("Systems", OrgKind::Company),
    ("Solutions", OrgKind::Company),
    ("Electronics", OrgKind::Company),
    ("Industries", OrgKind::Company),
    ("Manufacturing", OrgKind::Company),
    ("Motors", OrgKind::Company),
    ("Motor", OrgKind::Company),
    ("Networks", OrgKind::Company),
    ("Telecom", OrgKind::Company),
    ("Communications", OrgKind::Company),
    ("Airlines", OrgKind::Company),
    ("Aerospace", OrgKind::Company),
    ("Bank", OrgKind::Company),
    ("Partners", OrgKind::Company),
    ("Ventures", OrgKind::Fund),
    ("Capital", OrgKind::Fund),
    ("Agency", OrgKind::Government),
    ("Ministry", OrgKind::Government),
    ("Department", OrgKind::Government),
    ("Commission", OrgKind::Government),
    ("Committee", OrgKind::Government),
    ("Council", OrgKind::Government),
    ("Service", OrgKind::Government),
    ("Administration", OrgKind::Government),
    ("Authority", OrgKind::Government),
    ("Bureau", OrgKind::Government),
    ("Directorate", OrgKind::Government),
    ("Army", OrgKind::Military),
    ("Navy", OrgKind::Military),
    ("Forces", OrgKind::Military),
    ("Centre", OrgKind::Other),
    ("Center", OrgKind::Other),
    ("Association", OrgKind::Other),
    ("Society", OrgKind::Other),
    ("Forum", OrgKind::Other),
    ("Organization", OrgKind::Other),
    ("Organisation", OrgKind::Other),
    ("Consortium", OrgKind::Other),
    ("Alliance", OrgKind::Other),
    ("Park", OrgKind::Other),
];

/// The kind of organisation a head word names, if it names one.
pub fn org_head_kind(word: &str) -> Option<OrgKind> {
    // asked of every word of every capitalised run: a hash probe, not a scan of the table
    static HEADS: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, OrgKind>> =
        std::sync::OnceLock::new();
    let starts_upper = word.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
    if !starts_upper {
        return None;
    }
    HEADS
        .get_or_init(|| ORG_SUFFIXES.iter().copied().collect())
        .get(word)
        .copied()
}

/// Head words that take a complement ("Ministry of Defence", "Center for a New American Security").
pub(crate) fn takes_complement(word: &str) -> bool {
    matches!(
        word,
        "University"
            | "Academy"
            | "Institute"
            | "Ministry"
            | "Department"
            | "Commission"
            | "Committee"
            | "Council"
            | "Centre"
            | "Center"
            | "Bank"
            | "Agency"
            | "Administration"
            | "Bureau"
            | "Laboratory"
            | "Association"
            | "Society"
            | "Organization"
            | "Organisation"
            | "College"
            | "Fund"
            | "Foundation"
            | "Service"
            | "Office"
            | "School"
    )
}

/// Lower-case words allowed inside an organisation name between capitalised words.
/// Words that make a capitalised phrase a document, programme, event, concept or product
/// rather than an organisation ("Memorandum of Understanding", "Notice of Award", "U.S. Quantum
/// Initiative", "Artificial Intelligence", "Internet of Things"): as the
/// first or last word of a name the tagger or the patterns propose, it is not a party.
pub(crate) fn is_non_org_word(word: &str) -> bool {
    matches!(
        word,
        "Memorandum"
            | "Agreement"
            | "Agreements"
            | "Deal"
            | "Award"
            | "Notice"
            | "Initiative"
            | "Strategy"
            | "Treaty"
            | "Accord"
            | "Declaration"
            | "Statement"
            | "Plan"
            | "Roadmap"
            | "Corridor"
            | "Cooperation"
            | "Collaboration"
            | "Intelligence"
            | "Things"
            | "Summit"
            | "Expo"
            | "Exhibition"
            | "Week"
            | "Games"
            | "Olympics"
            | "Protocol"
            | "Contract"
            | "Act"
            | "Law"
            | "Doctrine"
            | "Dome"
    )
}

pub(crate) fn is_connector(word: &str) -> bool {
    matches!(
        word,
        "of" | "for" | "and" | "on" | "the" | "de" | "a" | "&" | "-" | "in" | "für" | "des" | "du"
    )
}

/// Capitalised words that begin sentences rather than names.
pub(crate) fn is_leading_function_word(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "In"
            | "On"
            | "At"
            | "For"
            | "With"
            | "By"
            | "And"
            | "But"
            | "As"
            | "After"
            | "Before"
            | "According"
            | "To"
            | "From"
            | "Under"
            | "While"
            | "When"
            | "Among"
            | "Both"
            | "Its"
            | "Their"
            | "His"
            | "Her"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "Meanwhile"
            | "Moreover"
            | "However"
            | "Unofficially"
            | "Officially"
            | "Today"
            | "Last"
            | "Next"
            | "Earlier"
            | "Historically"
            | "Also"
            | "Other"
            | "Such"
            | "Some"
            | "Many"
            | "Several"
            | "January"
            | "February"
            | "March"
            | "April"
            | "May"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "Former"
            | "Then"
            | "Since"
            | "Via"
    )
}

/// Titles of office that precede "of" and an organisation ("Rector of ...", "Chairman of the ...").
pub(crate) fn is_title(word: &str) -> bool {
    matches!(
        word,
        "President"
            | "Chairman"
            | "Chairwoman"
            | "Chair"
            | "Rector"
            | "Director"
            | "Head"
            | "Minister"
            | "CEO"
            | "Secretary"
            | "Governor"
            | "Mayor"
            | "Dean"
            | "Chief"
            | "Member"
            | "Members"
            | "Deputy"
            | "Vice"
            | "Spokesman"
            | "Spokeswoman"
            | "Spokesperson"
            | "Founder"
            | "Commander"
            | "Professor"
            | "Premier"
    )
}
