//! Candidates: the sentences that could state a cross-border partnership, each with the
//! countries that could be its parties and how the sentence supports each.
//!
//! A sentence is a candidate when, after references are resolved, it names parties or sites of
//! at least two countries — or one, completed from the previous sentence or the document's
//! main pair when the sentence speaks of cooperation or refers back ("the company", "both
//! sides"). Generous on purpose: the models decide; a fact without a candidate is lost for good.

use techties_core::{CountryCode, Doc, EntityId, EntityKind, MentionRole, OrgKind, Span};

use crate::events::{country_counts, main_pair, not_a_party, triggers, ANAPHORS, PAIR_PHRASES};
use crate::words::SentenceWords;

/// How a sentence supports a country (bits of [`CountryCue::cues`]).
pub mod cue {
    /// Named: "Russia", "the United States".
    pub const NAME: u16 = 1;
    /// A demonym or combining form: "Chinese", "Sino-".
    pub const DEMONYM: u16 = 1 << 1;
    /// A capital or seat standing for the government: "Moscow and Beijing signed".
    pub const METONYM: u16 = 1 << 2;
    /// The home of an organisation named in the sentence.
    pub const ORG: u16 = 1 << 3;
    /// The country of a place named in the sentence.
    pub const SITE: u16 = 1 << 4;
    /// The home of the organisation "the company" / "it" refers to.
    pub const ANAPHOR: u16 = 1 << 5;
    /// One of the document's main pair, by "the two countries", "both sides".
    pub const PAIR: u16 = 1 << 6;
    /// Named in the previous sentence (added when the sentence alone has fewer than two).
    pub const PREVIOUS: u16 = 1 << 7;
    /// One of the document's main pair (added when the sentence alone has fewer than two).
    pub const DOCUMENT: u16 = 1 << 8;
    /// A mention that reads as a source, rival or foil ("according to", "compete with").
    pub const FOIL: u16 = 1 << 9;
    /// The home of a person named in the sentence.
    pub const PERSON: u16 = 1 << 10;
    /// Names of the bits, for features and reports.
    pub const NAMES: [(u16, &str); 11] = [
        (NAME, "name"),
        (DEMONYM, "demonym"),
        (METONYM, "metonym"),
        (ORG, "org"),
        (SITE, "site"),
        (ANAPHOR, "anaphor"),
        (PAIR, "pair"),
        (PREVIOUS, "previous"),
        (DOCUMENT, "document"),
        (FOIL, "foil"),
        (PERSON, "person"),
    ];
    /// Cues stated in the sentence itself.
    pub const IN_SENTENCE: u16 = NAME | DEMONYM | METONYM | ORG | SITE | ANAPHOR | PAIR | PERSON;
}

/// A country a candidate could have as a party, with its cues.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryCue {
    /// The country.
    pub code: CountryCode,
    /// Bits of [`cue`].
    pub cues: u16,
    /// Mentions of it (and of its organisations) in the sentence.
    pub mentions: usize,
    /// First token (document index) where the sentence mentions it, if it does.
    pub first_token: Option<usize>,
    /// The country's rank among the document's countries by mentions (0 = most mentioned).
    pub doc_rank: usize,
}

/// A sentence that could state a partnership.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Sentence index.
    pub sentence: usize,
    /// The sentence's byte span.
    pub span: Span,
    /// Countries that could be parties, in order of first support.
    pub countries: Vec<CountryCue>,
    /// Organisations named or referred to (first the named ones, in order).
    pub orgs: Vec<EntityId>,
    /// The organisation "the company" / "it" resolves to, if the sentence refers back.
    pub anaphor_org: Option<EntityId>,
    /// Places named.
    pub places: Vec<EntityId>,
    /// Words of the sentence, lower-cased and folded.
    pub words: Vec<String>,
}

impl Candidate {
    /// The cue bits of a country, 0 when the candidate does not carry it.
    pub fn cues_of(&self, c: CountryCode) -> u16 {
        self.countries
            .iter()
            .find(|x| x.code == c)
            .map_or(0, |x| x.cues)
    }
}

/// Beyond the rule extractor's pair phrases, looser ones the models may weigh.
const MORE_PAIR_PHRASES: &[&str] = &[
    "the two parties",
    "the parties",
    "the two leaders",
    "bilateral",
];

/// How many of the document's most mentioned countries every cooperation sentence carries.
const DOCUMENT_COUNTRIES: usize = 6;

/// Every candidate of a document, in sentence order.
pub fn candidates(doc: &Doc) -> Vec<Candidate> {
    let words = SentenceWords::new(doc);
    let ranks: Vec<CountryCode> = country_counts(doc).into_iter().map(|x| x.0).collect();
    let rank = |c: CountryCode| ranks.iter().position(|x| *x == c).unwrap_or(ranks.len());
    let pair: Vec<CountryCode> = match main_pair(doc) {
        Some((a, b)) => vec![a, b],
        None => ranks.iter().take(2).copied().collect(),
    };
    let mut out = Vec::new();
    let mut last_org: Option<EntityId> = None;
    let mut previous: Vec<CountryCode> = Vec::new();
    for (si, sent) in doc.sentences.iter().enumerate() {
        let ws: Vec<String> = words.of(si).into_iter().map(String::from).collect();
        let wr: Vec<&str> = ws.iter().map(String::as_str).collect();
        let mut cs: Vec<CountryCue> = Vec::new();
        let add = |cs: &mut Vec<CountryCue>, c: CountryCode, bit: u16, tok: Option<usize>| match cs
            .iter_mut()
            .find(|x| x.code == c)
        {
            Some(x) => {
                x.cues |= bit;
                if tok.is_some() {
                    x.mentions += 1;
                    x.first_token = x.first_token.or(tok);
                }
            }
            None => cs.push(CountryCue {
                code: c,
                cues: bit,
                mentions: usize::from(tok.is_some()),
                first_token: tok,
                doc_rank: rank(c),
            }),
        };
        let mut orgs: Vec<EntityId> = Vec::new();
        let mut places: Vec<EntityId> = Vec::new();
        let org_before = last_org;
        for (_, m) in doc.mentions_in(sent.span) {
            let e = &doc.entities[m.entity];
            let tok = doc.token_at_or_after(m.span.start);
            let foil = e.kind != EntityKind::Place && not_a_party(doc, m.span, sent.tokens.clone());
            let Some(c) = e.country else {
                if e.kind == EntityKind::Organization
                    && e.subkind != Some(OrgKind::Media)
                    && !orgs.contains(&m.entity)
                {
                    orgs.push(m.entity);
                }
                continue;
            };
            let bit = match e.kind {
                EntityKind::Country => match m.role {
                    MentionRole::Demonym | MentionRole::Prefix => cue::DEMONYM,
                    MentionRole::Metonym => cue::METONYM,
                    _ => cue::NAME,
                },
                EntityKind::Organization => {
                    if e.subkind == Some(OrgKind::Media) {
                        continue;
                    }
                    if !orgs.contains(&m.entity) {
                        orgs.push(m.entity);
                    }
                    last_org = Some(m.entity);
                    cue::ORG
                }
                EntityKind::Place => {
                    if !places.contains(&m.entity) {
                        places.push(m.entity);
                    }
                    cue::SITE
                }
                EntityKind::Person => cue::PERSON,
            };
            add(
                &mut cs,
                c,
                bit | if foil { cue::FOIL } else { 0 },
                Some(tok),
            );
        }
        // "the company", "the Chinese firm", "it": the organisation named before
        let mut anaphor_org = None;
        let has_named_org = orgs.iter().any(|&o| doc.entities[o].country.is_some());
        if !has_named_org {
            let refers_back = wr.iter().enumerate().any(|(i, w)| {
                (*w == "the" || *w == "its")
                    && (wr.get(i + 1).is_some_and(|x| ANAPHORS.contains(x))
                        || wr.get(i + 2).is_some_and(|x| ANAPHORS.contains(x)))
            }) || wr.iter().take(6).any(|w| *w == "it" || *w == "its");
            if refers_back {
                if let Some(o) = org_before {
                    anaphor_org = Some(o);
                    if let Some(c) = doc.entities[o].country {
                        add(&mut cs, c, cue::ANAPHOR, None);
                    }
                }
            }
        }
        let joined = format!(" {} ", wr.join(" "));
        if PAIR_PHRASES
            .iter()
            .chain(MORE_PAIR_PHRASES)
            .any(|p| joined.contains(&format!(" {p} ")))
        {
            for &c in &pair {
                add(&mut cs, c, cue::PAIR, None);
            }
        }
        let stated: Vec<CountryCode> = cs
            .iter()
            .filter(|x| x.cues & cue::IN_SENTENCE & !cue::FOIL != 0)
            .map(|x| x.code)
            .collect();
        let speaks_of_cooperation =
            !triggers().find(&wr).is_empty() || anaphor_org.is_some() || !orgs.is_empty();
        // with fewer than two countries, the context completes them: "They also pledged …",
        // "an open research fund has been established" state facts of parties named before
        if cs.len() < 2 {
            for &c in &previous {
                add(&mut cs, c, cue::PREVIOUS, None);
            }
            for &c in &pair {
                add(&mut cs, c, cue::DOCUMENT, None);
            }
        }
        // a party the linker could not place (an organisation without a known country) may
        // still be of a country the document names: offer the document's leading countries too
        if speaks_of_cooperation {
            for &c in ranks.iter().take(DOCUMENT_COUNTRIES) {
                add(&mut cs, c, cue::DOCUMENT, None);
            }
        }
        if !stated.is_empty() {
            previous = stated;
        }
        if cs.len() >= 2 {
            out.push(Candidate {
                sentence: si,
                span: sent.span,
                countries: cs,
                orgs,
                anaphor_org,
                places,
                words: ws,
            });
        }
    }
    out
}
