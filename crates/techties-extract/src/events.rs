//! Partnership events: a sentence with a trigger of some partnership type whose parties come
//! from at least two countries.
//!
//! Per sentence: (1) triggers from `data/events/triggers.tsv` score each type, and the
//! strongest wins (two institution-like types stated together, "academic cooperation and joint
//! technology parks", give two events); (2) parties are the named organisations, the countries
//! (names, demonyms, capitals used for governments), parties described by nationality ("a
//! Chinese life-science company"), "the company" and "it" resolved to the organisation last
//! named, and "the two countries" resolved to the document's main country pair; for sited
//! types the host country of the places counts too; (3) with one country only, the other
//! country of the document's main pair completes it, at lower confidence; (4) domains come from
//! the sentence, else from the organisations' profiles; (5) the same fact stated twice (a
//! caption and the body) is kept once.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use techties_core::{
    Annotator, CountryCode, Doc, Domain, EntityId, EntityKind, MentionRole, OrgKind, Participant,
    Partnership, PartnershipType, PlaceRef, PlaceRole, Result, Span, Status,
};
use techties_kb::Kb;

use crate::lexicon::Lexicon;
use crate::words::SentenceWords;

const TRIGGERS: &str = include_str!("../../../data/events/triggers.tsv");

/// The parsed trigger lexicon.
pub fn triggers() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        match Lexicon::parse("data/events/triggers.tsv", TRIGGERS, |l| {
            PartnershipType::ALL.iter().position(|t| t.as_str() == l)
        }) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        }
    })
}

/// Types decided first when two weigh the same: the more specific arrangement wins.
const PRIORITY: &[PartnershipType] = &[
    PartnershipType::JointVenture,
    PartnershipType::JointLab,
    PartnershipType::Technopark,
    PartnershipType::RdCenter,
    PartnershipType::ArmsSale,
    PartnershipType::Standards,
    PartnershipType::TechnologyTransfer,
    PartnershipType::Academic,
    PartnershipType::Talent,
    PartnershipType::Investment,
    PartnershipType::JointProject,
    PartnershipType::Agreement,
    PartnershipType::Other,
];

/// Types that may be stated together in one sentence as two facts.
const CO_STATED: &[PartnershipType] = &[
    PartnershipType::Academic,
    PartnershipType::Technopark,
    PartnershipType::JointLab,
    PartnershipType::RdCenter,
    PartnershipType::Standards,
];

/// Types whose places' countries count as a party (the host of a centre, lab or plant).
fn is_sited(t: PartnershipType) -> bool {
    !matches!(
        t,
        PartnershipType::Agreement | PartnershipType::Other | PartnershipType::Standards
    )
}

const MIN_WEIGHT: f32 = 0.6;

/// Nouns that end a description of a party by nationality.
pub(crate) const PARTY_HEADS: &[&str] = &[
    "company",
    "companies",
    "firm",
    "firms",
    "holding",
    "fund",
    "bank",
    "banks",
    "university",
    "universities",
    "academia",
    "institute",
    "institutes",
    "institutions",
    "researchers",
    "scientists",
    "scientist",
    "engineers",
    "government",
    "agencies",
    "ministry",
    "operator",
    "operators",
    "manufacturer",
    "manufacturers",
    "maker",
    "makers",
    "giant",
    "giants",
    "group",
    "corporation",
    "corporations",
    "startups",
    "developers",
    "partners",
    "investors",
    "consortium",
    "military",
    "army",
    "navy",
    "academy",
    "community",
    "officials",
    "side",
    "entities",
    "enterprises",
    "automaker",
    "carmaker",
    "supplier",
    "suppliers",
    "producer",
    "producers",
    "provider",
    "providers",
    "conglomerate",
    "state-owned",
];

/// Phrases by which a sentence refers to the document's two main countries.
pub(crate) const PAIR_PHRASES: &[&str] = &[
    "the two countries",
    "both countries",
    "the two sides",
    "both sides",
    "the two nations",
    "both nations",
    "the two states",
    "the two governments",
];

/// Nouns by which a sentence refers back to an organisation named before.
pub(crate) const ANAPHORS: &[&str] = &[
    "company",
    "firm",
    "group",
    "corporation",
    "giant",
    "manufacturer",
    "maker",
    "operator",
    "fund",
    "bank",
    "university",
    "conglomerate",
    "carmaker",
    "automaker",
    "chipmaker",
];

/// Finds partnership events; see the module docs.
#[derive(Debug, Clone, Copy)]
pub struct EventExtractor {
    kb: &'static Kb,
}

impl EventExtractor {
    /// An extractor that reads organisation profiles from `kb`.
    pub fn new(kb: &'static Kb) -> Self {
        EventExtractor { kb }
    }
}

struct Party {
    participant: Participant,
    countries: Vec<CountryCode>,
    named: bool,
}

impl Annotator for EventExtractor {
    fn name(&self) -> &'static str {
        "events"
    }

    fn annotate(&self, doc: &mut Doc) -> Result<()> {
        let words = SentenceWords::new(doc);
        let pair = main_pair(doc);
        let mut out: Vec<Candidate> = Vec::new();
        let mut last_org: Option<EntityId> = None;
        let org_counts = {
            let mut c: HashMap<EntityId, usize> = HashMap::new();
            for m in &doc.mentions {
                let e = &doc.entities[m.entity];
                if e.kind == EntityKind::Organization
                    && e.country.is_some()
                    && e.subkind != Some(OrgKind::Media)
                {
                    *c.entry(m.entity).or_default() += 1;
                }
            }
            c
        };
        let salient_org = org_counts
            .iter()
            .max_by_key(|(e, n)| (**n, std::cmp::Reverse(**e)))
            .map(|(e, _)| *e);
        let country_party = |c: CountryCode| Party {
            participant: Participant {
                entity: None,
                name: self
                    .kb
                    .country(c)
                    .map(|r| r.name.clone())
                    .unwrap_or_else(|| c.to_string()),
                country: Some(c),
            },
            countries: vec![c],
            named: false,
        };

        for (si, sent) in doc.sentences.iter().enumerate() {
            let ws = words.of(si);
            // "the company": the organisation named last, unless the article is plainly about
            // another one (mentioned at least twice as often)
            let org_before = match (last_org, salient_org) {
                (Some(l), Some(s))
                    if org_counts.get(&s).copied().unwrap_or(0)
                        >= 2 * org_counts.get(&l).copied().unwrap_or(0).max(1) =>
                {
                    Some(s)
                }
                (l, s) => l.or(s),
            };
            // remember the last organisation named, for "the company" in later sentences
            for (_, m) in doc.mentions_in(sent.span) {
                let e = &doc.entities[m.entity];
                if e.kind == EntityKind::Organization
                    && e.country.is_some()
                    && e.subkind != Some(OrgKind::Media)
                {
                    last_org = Some(m.entity);
                }
            }
            let hits = triggers().find(&ws);
            if hits.is_empty() || vetoed(&ws) {
                continue;
            }
            let mut type_w: HashMap<PartnershipType, (f32, usize, usize)> = HashMap::new();
            for h in &hits {
                // "investment fund", "research bank": the word names a party, not an event
                if ws.get(h.end).is_some_and(|w| {
                    matches!(
                        *w,
                        "fund" | "funds" | "bank" | "banks" | "company" | "corporation" | "group"
                    )
                }) {
                    continue;
                }
                let t = PartnershipType::ALL[h.label];
                let e = type_w.entry(t).or_insert((0.0, h.start, h.end));
                if h.weight > e.0 {
                    *e = (h.weight, h.start, h.end);
                }
            }
            let mut types: Vec<(PartnershipType, f32, usize, usize)> = type_w
                .into_iter()
                .filter(|(t, (w, _, _))| {
                    *w >= MIN_WEIGHT || *t == PartnershipType::Other && *w >= 0.5
                })
                .map(|(t, (w, a, b))| (t, w, a, b))
                .collect();
            if types.is_empty() {
                continue;
            }
            let rank = |t: PartnershipType| PRIORITY.iter().position(|p| *p == t).unwrap_or(99);
            types.sort_by(|a, b| b.1.total_cmp(&a.1).then(rank(a.0).cmp(&rank(b.0))));
            // "invest $100 million in the joint venture": the venture is old news, the investment new
            if is_anaphoric(&ws, types[0].2, types[0].3) {
                if let Some(i) = types
                    .iter()
                    .position(|t| t.1 >= 0.9 && !is_anaphoric(&ws, t.2, t.3))
                {
                    let fresh = types.remove(i);
                    types.insert(0, fresh);
                }
            }

            let sdomains: Vec<Domain> = doc.sentence_domains.get(si).cloned().unwrap_or_default();
            let specific_domain = sdomains.iter().any(|d| *d != Domain::Other);
            let mut chosen = vec![types[0]];
            if CO_STATED.contains(&types[0].0) {
                if let Some(second) = types
                    .iter()
                    .skip(1)
                    .find(|t| CO_STATED.contains(&t.0) && t.1 >= 0.8)
                {
                    chosen.push(*second);
                }
            }
            let main = chosen[0].0;
            // a vague "cooperation" counts only with a named technology domain
            if main == PartnershipType::Other && !specific_domain {
                continue;
            }

            let (mut parties, places, corefs) =
                self.parties(doc, sent.tokens.clone(), sent.span, &ws, org_before);
            let mut countries: Vec<CountryCode> = Vec::new();
            for p in &parties {
                for c in &p.countries {
                    if !countries.contains(c) {
                        countries.push(*c);
                    }
                }
            }
            let mut confidence = 0.55f32;
            if corefs.pair {
                if let Some((a, b)) = pair {
                    for c in [a, b] {
                        if !countries.contains(&c) {
                            countries.push(c);
                            parties.push(country_party(c));
                        }
                    }
                }
            }
            let sited = chosen.iter().any(|t| is_sited(t.0));
            let mut host: Vec<CountryCode> = Vec::new();
            if sited {
                for &p in &places {
                    if let Some(c) = doc.entities[p].country {
                        if !countries.contains(&c) && !host.contains(&c) {
                            host.push(c);
                        }
                    }
                }
            }
            if countries.len() + host.len() < 2 {
                // complete from the document's main pair
                let Some((a, b)) = pair else { continue };
                let all: Vec<CountryCode> = countries.iter().chain(&host).copied().collect();
                let strong = chosen[0].1 >= 1.0;
                let domestic_site = !places.is_empty()
                    && places.iter().all(|&p| {
                        doc.entities[p].country.is_some()
                            && all.first() == doc.entities[p].country.as_ref()
                    });
                let missing = match all.as_slice() {
                    // one country and sites only there: a domestic activity
                    [_] if domestic_site => continue,
                    // vague cooperation needs a party of its own: "the company", or one described
                    // by nationality ("China's tech giants")
                    [c] if (*c == a || *c == b)
                        && (main != PartnershipType::Other
                            || corefs.org
                            || parties.iter().any(|p| {
                                p.participant.entity.is_none()
                                    && p.participant.country == Some(*c)
                                    && !p.named
                                    && p.countries.len() == 1
                                    && self
                                        .kb
                                        .country(*c)
                                        .is_none_or(|r| r.name != p.participant.name)
                            })) =>
                    {
                        vec![if *c == a { b } else { a }]
                    }
                    [] if main == PartnershipType::Other && mentions_cooperation(&ws)
                        || corefs.org
                        || strong =>
                    {
                        vec![a, b]
                    }
                    _ => continue,
                };
                confidence -= 0.2;
                for c in missing {
                    host.push(c);
                    parties.push(country_party(c));
                }
            } else {
                for &c in &host {
                    if !parties.iter().any(|p| p.countries.contains(&c)) {
                        parties.push(country_party(c));
                    }
                }
            }
            countries.extend(host);
            if countries.len() < 2 || parties.is_empty() {
                continue;
            }
            if parties.iter().any(|p| p.named) {
                confidence += 0.15;
            }
            if corefs.org || corefs.pair {
                confidence -= 0.05;
            } else if confidence > 0.5 {
                // every country stated in the sentence itself
                confidence += 0.1;
            }
            if main == PartnershipType::Other {
                confidence -= 0.1;
            }

            // domains: the sentence's, else the organisations' own
            let mut domains: Vec<Domain> = sdomains
                .iter()
                .copied()
                .filter(|d| *d != Domain::Other)
                .collect();
            if domains.is_empty() {
                let org_domain = parties
                    .iter()
                    .filter_map(|p| p.participant.entity)
                    .find_map(|e| {
                        self.kb
                            .orgs
                            .iter()
                            .find(|o| o.id == doc.entities[e].id)
                            .and_then(|o| o.domains.first())
                            .and_then(|d| Domain::parse(d))
                    });
                domains.extend(org_domain.or(Some(Domain::Other)));
            }
            let date = dates_in(doc, sent.span)
                .max_by_key(|d| (d.value.len(), std::cmp::Reverse(d.span.start)))
                .map(|d| d.value.clone());
            let status = status_of(&ws);
            for (kind, weight, ta, tb) in chosen {
                let trigger = Span::new(
                    doc.tokens[sent.tokens.start + ta].span.start,
                    doc.tokens[sent.tokens.start + tb - 1].span.end,
                );
                // "the agreement", "this joint venture": a fact stated before, referred to again
                let anaphoric = is_anaphoric(&ws, ta, tb);
                let hedged = matches!(status, Status::Planned | Status::Denied);
                let conf = (confidence + (weight - 0.8) * 0.3 - if hedged { 0.1 } else { 0.0 })
                    .clamp(0.05, 0.95);
                out.push(Candidate {
                    p: Partnership {
                        kind,
                        domains: domains.clone(),
                        participants: parties.iter().map(|p| p.participant.clone()).collect(),
                        countries: countries.clone(),
                        places: places
                            .iter()
                            .map(|&e| PlaceRef {
                                entity: e,
                                role: place_role(doc, sent.span, e, kind),
                            })
                            .collect(),
                        date: date.clone(),
                        evidence: sent.span,
                        confidence: conf,
                        trigger,
                        status,
                    },
                    anaphoric,
                });
            }
        }
        doc.partnerships = dedupe(doc, out);
        doc.trace.push(self.name());
        Ok(())
    }
}

/// A partnership before duplicates are merged.
struct Candidate {
    p: Partnership,
    anaphoric: bool,
}

/// Where a stated partnership stands, from the words of its sentence. Denial and suspension
/// come first, then modality: "plans to", "will" or "would" make a fact planned, never signed,
/// so speculation does not become a done deal.
///
/// ("may" is left out: in lower case it cannot be told from the month.)
pub fn status_of(ws: &[&str]) -> Status {
    let has = |set: &[&str]| ws.iter().any(|w| set.contains(w));
    let pair = |a: &str, b: &str| ws.windows(2).any(|w| w[0] == a && w[1] == b);
    // "not been confirmed", "not yet confirmed"
    let negated = |b: &str| {
        ws.iter().enumerate().any(|(i, w)| {
            *w == b
                && ws[i.saturating_sub(3)..i]
                    .iter()
                    .any(|x| matches!(*x, "not" | "never" | "n't"))
        })
    };
    if has(&[
        "denied",
        "denies",
        "deny",
        "unconfirmed",
        "rejected",
        "refuted",
    ]) || negated("confirmed")
        || pair("no", "plans")
        || pair("no", "plan")
    {
        Status::Denied
    } else if has(&[
        "suspended",
        "suspends",
        "halted",
        "froze",
        "frozen",
        "paused",
        "terminated",
        "ended",
        "cancelled",
        "canceled",
    ]) {
        Status::Suspended
    } else if pair("plan", "to")
        || pair("intend", "to")
        || has(&[
            "plans",
            "planned",
            "planning",
            "will",
            "would",
            "could",
            "might",
            "intends",
            "aims",
            "expected",
            "potential",
            "proposed",
            "considering",
            "hopes",
            "seeking",
        ])
    {
        Status::Planned
    } else if has(&["signed", "inked", "concluded", "agreed"]) {
        Status::Signed
    } else if has(&[
        "expanding",
        "expanded",
        "expands",
        "increased",
        "increase",
        "boost",
        "grew",
        "grows",
        "enlarged",
    ]) {
        Status::Expanded
    } else if has(&[
        "opened",
        "operates",
        "operational",
        "runs",
        "launched",
        "established",
        "created",
        "built",
        "has",
        "have",
        "set",
        "founded",
        "completed",
        "began",
        "started",
    ]) {
        Status::Operational
    } else {
        Status::Announced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(sentence: &str) -> &'static str {
        let lower = sentence.to_lowercase();
        let toks = techties_text::tokenize(&lower);
        let ws: Vec<&str> = toks.iter().map(|t| &lower[t.span.range()]).collect();
        status_of(&ws).as_str()
    }

    #[test]
    fn speculation_and_negation_are_not_signed_facts() {
        assert_eq!(
            status("Russia and Turkey signed the agreement on 12 May 2010."),
            "signed"
        );
        assert_eq!(
            status("The two firms plan to sign a deal next year."),
            "planned"
        );
        assert_eq!(
            status("Russia would help China build the system."),
            "planned"
        );
        assert_eq!(
            status("The company denied that it had signed a deal."),
            "denied"
        );
        assert_eq!(status("The deals had not been confirmed."), "denied");
        assert_eq!(
            status("The joint project was suspended in 2022."),
            "suspended"
        );
        assert_eq!(
            status("Huawei opened a research centre in Kazan."),
            "operational"
        );
        assert_eq!(
            status("Huawei is expanding its research staff in Russia."),
            "expanded"
        );
    }
}

/// Words that make a sentence about restrictions, not cooperation ("banned from buying",
/// "put it on its entity list").
pub(crate) fn vetoed(ws: &[&str]) -> bool {
    ws.iter().any(|w| {
        matches!(
            *w,
            "banned"
                | "ban"
                | "shut"
                | "withdrew"
                | "withdrawal"
                | "exited"
                | "closed"
                | "blocked"
                | "prohibits"
                | "prohibited"
                | "blacklist"
                | "blacklisted"
                | "embargo"
        )
    }) || ws.windows(2).any(|w| w == ["entity", "list"])
}

/// True when the trigger at word `at` is introduced as something already known: "the
/// agreement", "this joint venture", "the 7.3 billion euros investment".
pub(crate) fn is_anaphoric(ws: &[&str], at: usize, end: usize) -> bool {
    // "the joint R&D on GNSS chips", "the investment in JASM": defined right here
    if ws
        .get(end)
        .is_some_and(|w| matches!(*w, "on" | "of" | "for" | "in" | "between" | "with"))
    {
        return false;
    }
    let window = at.saturating_sub(5)..at;
    window.clone().any(|k| {
        matches!(
            ws[k],
            "the" | "this" | "that" | "these" | "those" | "such" | "its"
        )
    }) && !window.into_iter().any(|k| {
        matches!(
            ws[k],
            "a" | "an" | "new" | "another" | "second" | "first" | "largest" | "biggest" | "world's"
        )
    })
}

pub(crate) fn mentions_cooperation(ws: &[&str]) -> bool {
    ws.iter().any(|w| {
        w.starts_with("cooperat") || w.starts_with("collaborat") || w.starts_with("partnership")
    })
}

#[derive(Default)]
struct Corefs {
    org: bool,
    pair: bool,
}

impl EventExtractor {
    /// The parties and sites named in one sentence.
    fn parties(
        &self,
        doc: &Doc,
        toks: std::ops::Range<usize>,
        span: Span,
        ws: &[&str],
        org_before: Option<EntityId>,
    ) -> (Vec<Party>, Vec<EntityId>, Corefs) {
        let mut parties: Vec<Party> = Vec::new();
        let mut places: Vec<EntityId> = Vec::new();
        let mut corefs = Corefs::default();
        let mut consumed_until = 0usize;
        let ms: Vec<&techties_core::Mention> = doc.mentions_in(span).map(|(_, m)| m).collect();
        let metonym_spans: Vec<Span> = ms
            .iter()
            .filter(|m| m.role == MentionRole::Metonym)
            .map(|m| m.span)
            .collect();
        for m in &ms {
            if m.span.start < consumed_until {
                continue;
            }
            let e = &doc.entities[m.entity];
            if e.kind != EntityKind::Place && not_a_party(doc, m.span, toks.clone()) {
                continue;
            }
            match e.kind {
                EntityKind::Organization => {
                    if e.subkind == Some(OrgKind::Media)
                        || parties
                            .iter()
                            .any(|p| p.participant.entity == Some(m.entity))
                    {
                        continue;
                    }
                    parties.push(Party {
                        participant: Participant {
                            entity: Some(m.entity),
                            name: e.name.clone(),
                            country: e.country,
                        },
                        countries: e.country.into_iter().collect(),
                        named: true,
                    });
                }
                EntityKind::Country => {
                    let code = e.country;
                    // a party described by nationality: "a Chinese life-science company"
                    if let Some((end_tok, desc_countries)) =
                        description_after(doc, m.span, toks.end)
                    {
                        let next_is_org = ms.iter().any(|o| {
                            doc.entities[o.entity].kind == EntityKind::Organization
                                && o.span.start >= doc.tokens[end_tok - 1].span.end
                                && o.span.start <= doc.tokens[end_tok - 1].span.end + 2
                        });
                        if !next_is_org {
                            let start = m.span.start;
                            let end = doc.tokens[end_tok - 1].span.end;
                            let name = doc.text[start..end]
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" ");
                            let country = if desc_countries.len() == 1 {
                                desc_countries.first().copied()
                            } else {
                                None
                            };
                            parties.push(Party {
                                participant: Participant {
                                    entity: None,
                                    name,
                                    country,
                                },
                                countries: desc_countries,
                                named: false,
                            });
                            consumed_until = end;
                        }
                        // either a described party, or "Chinese telecoms maker Huawei": the
                        // named organisation stands for its country
                        continue;
                    }
                    if parties
                        .iter()
                        .any(|p| p.participant.entity == Some(m.entity))
                    {
                        continue;
                    }
                    if let Some(c) = code {
                        if !parties.iter().any(|p| {
                            p.participant.entity.is_none()
                                && p.participant.country == Some(c)
                                && p.countries == [c]
                        }) {
                            parties.push(Party {
                                participant: Participant {
                                    entity: Some(m.entity),
                                    name: e.name.clone(),
                                    country: Some(c),
                                },
                                countries: vec![c],
                                named: false,
                            });
                        }
                    }
                }
                EntityKind::Place => {
                    // "Beijing, 6 September 2022 (TDI): ..." names where the story was filed
                    let first = doc.token_at_or_after(m.span.start);
                    let dateline = first < toks.start + 2
                        && dates_in(doc, span).any(|d| {
                            span.contains(d.span)
                                && d.span.start
                                    < doc.tokens[(toks.start + 10).min(toks.end - 1)].span.end
                        });
                    if !dateline && !metonym_spans.contains(&m.span) && !places.contains(&m.entity)
                    {
                        places.push(m.entity);
                    }
                }
                EntityKind::Person => {}
            }
        }
        // "the company", "the Chinese firm", "It ..." → the organisation named last
        let has_org = parties.iter().any(|p| {
            p.participant
                .entity
                .is_some_and(|e| doc.entities[e].kind == EntityKind::Organization)
        });
        if !has_org {
            // "the company", or one modifier between: "the Chinese firm" (but not "the two ...")
            let definite_noun = |i: usize| {
                ws[i] == "the"
                    && (ws.get(i + 1).is_some_and(|x| ANAPHORS.contains(x))
                        || ws.get(i + 1).is_some_and(|x| *x != "two")
                            && ws.get(i + 2).is_some_and(|x| ANAPHORS.contains(x)))
            };
            let anaphor = (0..ws.len()).any(definite_noun)
                || ws.iter().take(6).any(|w| *w == "it")
                || ws.iter().take(6).any(|w| *w == "its")
                    && !parties.iter().any(|p| p.participant.country.is_some());
            if anaphor {
                if let Some(e) = org_before {
                    let ent = &doc.entities[e];
                    let fits = ent.subkind.is_none_or(|k| {
                        !matches!(k, OrgKind::Government | OrgKind::Military) || ws.contains(&"it")
                    });
                    if fits {
                        corefs.org = true;
                        parties.insert(
                            0,
                            Party {
                                participant: Participant {
                                    entity: Some(e),
                                    name: ent.name.clone(),
                                    country: ent.country,
                                },
                                countries: ent.country.into_iter().collect(),
                                named: true,
                            },
                        );
                    }
                }
            }
        }
        // "the two countries", "both sides"
        let joined = ws.join(" ");
        if PAIR_PHRASES.iter().any(|p| joined.contains(p)) {
            corefs.pair = true;
        }
        (parties, places, corefs)
    }
}

/// Words before a name that make it a source, a rival or a foil rather than a party:
/// "according to ASPI", "told Reuters", "compete with the United States", "like the US".
const NOT_PARTY_BEFORE: &[&str] = &[
    "according",
    "told",
    "compete",
    "competing",
    "competition",
    "counter",
    "against",
    "rival",
    "rivals",
    "pressure",
    "like",
    "than",
    "sanctions",
    "ban",
    "imposed",
    "outside",
    "excluding",
    "unlike",
    "versus",
    "vs",
];

/// Words right after a name that make it a source: "BBC News reported", "ASPI says".
const NOT_PARTY_AFTER: &[&str] = &[
    "reported", "reports", "says", "said", "told", "wrote", "writes",
];

/// True when the mention at `span` is a source, a rival or a foil in its sentence.
pub(crate) fn not_a_party(doc: &Doc, span: Span, toks: std::ops::Range<usize>) -> bool {
    let first = doc.token_at_or_after(span.start);
    let after = doc.token_at_or_after(span.end);
    let lower = |k: usize| doc.token_text(k).to_lowercase();
    // a cue word shortly before, in the same clause ("According to ASPI, China's ..." is not)
    let before = (first.saturating_sub(4).max(toks.start)..first)
        .rev()
        .take_while(|&k| doc.token_text(k) != ",")
        .any(|k| NOT_PARTY_BEFORE.contains(&lower(k).as_str()));
    // "companies like Intel, Siemens, and Nvidia": the whole list
    let mut k = first;
    while k > toks.start
        && (matches!(doc.token_text(k - 1), "," | "and" | "or")
            || doc
                .token_text(k - 1)
                .chars()
                .next()
                .is_some_and(char::is_uppercase))
    {
        k -= 1;
    }
    let listed = k > toks.start && k < first && matches!(lower(k - 1).as_str(), "like" | "as");
    let before = before || listed;
    // "..., say the authors of the ASPI report": an attribution clause
    let authors = (first.saturating_sub(5).max(toks.start)..first)
        .any(|k| matches!(lower(k).as_str(), "authors" | "author" | "analysts"));
    let reported = after < toks.end && NOT_PARTY_AFTER.contains(&lower(after).as_str())
        || after + 1 < toks.end
            && matches!(doc.token_text(after), "News" | "news")
            && NOT_PARTY_AFTER.contains(&lower(after + 1).as_str());
    // a closing attribution: everything after ", say the authors", ", according to", ", said"
    let tail = (toks.start + 1..first).any(|k| {
        doc.token_text(k - 1) == ","
            && matches!(
                lower(k).as_str(),
                "say" | "says" | "said" | "according" | "reported" | "wrote"
            )
    });
    before || authors || tail || reported && first > toks.start
}

/// What a place is to a partnership of type `kind`: a base ("headquartered in", "based in",
/// "Shenzhen-based"), a venue ("signed in Ankara", a landmark such as a hall at a signing), or a
/// site for sited types (a centre, lab, plant, project); otherwise merely mentioned.
pub(crate) fn place_role(
    doc: &Doc,
    sentence: Span,
    place: EntityId,
    kind: PartnershipType,
) -> PlaceRole {
    let Some((_, m)) = doc.mentions_in(sentence).find(|(_, m)| m.entity == place) else {
        return PlaceRole::Mentioned;
    };
    let at = doc.token_at_or_after(m.span.start);
    let after = doc.token_at_or_after(m.span.end);
    let lower = |k: usize| doc.token_text(k).to_lowercase();
    let before: Vec<String> = (at.saturating_sub(3)..at).map(lower).collect();
    let based_after = after + 1 < doc.tokens.len()
        && doc.token_text(after) == "-"
        && matches!(lower(after + 1).as_str(), "based" | "headquartered");
    if based_after
        || before
            .iter()
            .any(|w| matches!(w.as_str(), "headquartered" | "based" | "headquarters"))
    {
        return PlaceRole::Headquarters;
    }
    let landmark = doc.entities[place].id.starts_with("landmark:");
    let signing = matches!(
        kind,
        PartnershipType::Agreement | PartnershipType::Standards | PartnershipType::Other
    );
    if signing
        && (landmark
            || before
                .last()
                .is_some_and(|w| matches!(w.as_str(), "in" | "at")))
    {
        return PlaceRole::Venue;
    }
    if is_sited(kind) {
        PlaceRole::Site
    } else {
        PlaceRole::Mentioned
    }
}

fn same_set<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

/// The dates stated inside a span (dates are in text order).
pub(crate) fn dates_in(doc: &Doc, span: Span) -> impl Iterator<Item = &techties_core::DateMention> {
    let first = doc.dates.partition_point(|d| d.span.start < span.start);
    doc.dates[first..]
        .iter()
        .take_while(move |d| d.span.start < span.end)
        .filter(move |d| span.contains(d.span))
}

/// If a nationality at `span` begins a description of a party ("Chinese life-science
/// company", "joint Russian-Chinese investment fund", "China's tech giants"), the token
/// after the description's head noun and the countries it names.
pub(crate) fn description_after(
    doc: &Doc,
    span: Span,
    limit: usize,
) -> Option<(usize, Vec<CountryCode>)> {
    let first = doc.token_at_or_after(span.end);
    let mut countries: Vec<CountryCode> = doc
        .mentions_in(span)
        .filter(|(_, m)| m.span == span)
        .filter_map(|(_, m)| doc.entities[m.entity].country)
        .take(1)
        .collect();
    let mut k = first;
    if k < limit && matches!(doc.token_text(k), "'s" | "’s") {
        k += 1;
    }
    let mut steps = 0;
    while k < limit && steps < 5 {
        let t = doc.token_text(k);
        let lower = t.to_lowercase();
        if PARTY_HEADS.contains(&lower.as_str()) && t.chars().next().is_some_and(char::is_lowercase)
        {
            // "company MTS": the head is followed by a name; the named party carries it
            return Some((k + 1, countries));
        }
        // another nationality inside: "Russian-Chinese investment fund"
        let at = doc.tokens[k].span.start;
        let from = doc.mentions.partition_point(|m| m.span.start < at);
        if let Some(m) = doc.mentions[from..]
            .iter()
            .take_while(|m| m.span.start == at)
            .find(|m| doc.entities[m.entity].kind == EntityKind::Country)
        {
            if let Some(c) = doc.entities[m.entity].country {
                if !countries.contains(&c) {
                    countries.push(c);
                }
            }
            k = doc.token_at_or_after(m.span.end);
            steps += 1;
            continue;
        }
        let is_modifier = t == "-"
            || t.chars().next().is_some_and(char::is_lowercase)
                && t.chars().all(|c| c.is_alphabetic() || c == '-');
        if !is_modifier
            || matches!(
                lower.as_str(),
                "and"
                    | "or"
                    | "with"
                    | "in"
                    | "of"
                    | "to"
                    | "the"
                    | "a"
                    | "has"
                    | "have"
                    | "is"
                    | "are"
                    | "was"
                    | "were"
                    | "will"
                    | "would"
            )
        {
            return None;
        }
        k += 1;
        steps += 1;
    }
    None
}

/// The document's main country pair: the two countries most mentioned (by name or through
/// their organisations), when the second is mentioned at least twice and the two make at
/// least half of all such mentions.
pub fn main_pair(doc: &Doc) -> Option<(CountryCode, CountryCode)> {
    let counts = country_counts(doc);
    let total: usize = counts.iter().map(|x| x.1).sum();
    match counts.as_slice() {
        [a, b, ..] if b.1 >= 2 && (a.1 + b.1) * 2 >= total => Some((a.0, b.0)),
        _ => None,
    }
}

/// The document's countries with their mentions (by name or through their organisations, not
/// outlets), most mentioned first, ties by first mention.
pub fn country_counts(doc: &Doc) -> Vec<(CountryCode, usize)> {
    let mut counts: Vec<(CountryCode, usize, usize)> = Vec::new();
    for (i, m) in doc.mentions.iter().enumerate() {
        let e = &doc.entities[m.entity];
        // organisations speak for their country too: an article about Huawei in Russia is CN-RU
        if !matches!(e.kind, EntityKind::Country | EntityKind::Organization)
            || e.subkind == Some(OrgKind::Media)
        {
            continue;
        }
        let Some(c) = e.country else { continue };
        match counts.iter_mut().find(|x| x.0 == c) {
            Some(x) => x.1 += 1,
            None => counts.push((c, 1, i)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts.into_iter().map(|(c, n, _)| (c, n)).collect()
}

/// One fact stated twice in a document is one partnership: same type and countries, and the
/// same places, the same named organisations, or nearly the same words; and "the agreement"
/// in a later sentence is the agreement already found. The best-supported statement (more
/// places, more named parties, earlier) stays as evidence; places are pooled.
fn dedupe(doc: &Doc, cands: Vec<Candidate>) -> Vec<Partnership> {
    let mut out: Vec<Partnership> = Vec::new();
    let bag = |p: &Partnership| -> HashSet<String> {
        doc.slice(p.evidence)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(str::to_lowercase)
            .collect()
    };
    let orgs = |p: &Partnership| -> HashSet<EntityId> {
        p.participants
            .iter()
            .filter_map(|x| x.entity)
            .filter(|&e| doc.entities[e].kind == EntityKind::Organization)
            .collect()
    };
    // named parties, then sites known to the knowledge base, make a statement better supported
    let support = |p: &Partnership| {
        (
            orgs(p).len(),
            p.places
                .iter()
                .filter(|x| doc.entities[x.entity].linked)
                .count(),
        )
    };
    for Candidate { p, anaphoric } in cands {
        let pc: HashSet<_> = p.countries.iter().collect();
        let generic = matches!(p.kind, PartnershipType::Agreement | PartnershipType::Other);
        let dup = out.iter_mut().find(|q| {
            let qc: HashSet<_> = q.countries.iter().collect();
            // "the deal" after "a contract for the supply of tanks": the same arrangement
            // (unless it adds domains of its own: then it says something new)
            let adds_domains = p
                .domains
                .iter()
                .any(|d| *d != Domain::Other && !q.domains.contains(d));
            if anaphoric
                && (q.kind == p.kind || generic)
                && pc.intersection(&qc).count() >= 2
                && !(generic && adds_domains)
            {
                return true;
            }
            if q.kind != p.kind {
                return false;
            }
            // vague cooperation in the same domains between the same pair, said again: one
            // partnership per domain set (the contract's rule for `other`)
            if p.kind == PartnershipType::Other
                && same_set(&q.domains, &p.domains)
                && pc.intersection(&qc).count() >= 2
            {
                return true;
            }
            if qc != pc {
                return false;
            }
            let same_places = !p.places.is_empty()
                && q.places.iter().map(|x| x.entity).collect::<HashSet<_>>()
                    == p.places.iter().map(|x| x.entity).collect::<HashSet<_>>();
            let (qo, po) = (orgs(q), orgs(&p));
            // the same organisations at different sites are different facts
            let (qp, pp): (HashSet<_>, HashSet<_>) = (
                q.places.iter().map(|x| x.entity).collect(),
                p.places.iter().map(|x| x.entity).collect(),
            );
            let sites_agree = qp.is_empty() || pp.is_empty() || !qp.is_disjoint(&pp);
            let same_orgs = sites_agree
                && !po.is_empty()
                && !qo.is_empty()
                && (po.is_subset(&qo) || qo.is_subset(&po));
            // a specific arrangement restated with countries only ("the first biotech laboratory
            // in Russia") after it was stated with its named parties
            let restated =
                p.kind != PartnershipType::Other && sites_agree && (po.is_empty() != qo.is_empty());
            let (a, b) = (bag(q), bag(&p));
            let overlap = a.intersection(&b).count() as f32 / a.len().min(b.len()).max(1) as f32;
            same_places || same_orgs || restated || overlap >= 0.7
        });
        match dup {
            Some(q) => {
                let mut places = q.places.clone();
                for pl in &p.places {
                    if !places.contains(pl) {
                        places.push(pl.clone());
                    }
                }
                let date = q.date.clone().or_else(|| p.date.clone());
                if !anaphoric && support(&p) > support(q) {
                    *q = p;
                }
                q.places = places;
                q.date = date;
            }
            None => out.push(p),
        }
    }
    out
}
