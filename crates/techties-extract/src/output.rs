//! The JSON boundary: a processed [`Doc`] in the shape of `techties extract --format jsonl`
//! (see the extraction contract). Byte spans become character offsets here and nowhere else.

use serde::Serialize;
use techties_core::{Doc, Domain, PartnershipType};

/// Converts byte offsets of one text into character offsets.
pub struct CharIndex {
    starts: Vec<usize>,
}

impl CharIndex {
    /// Indexes the character boundaries of `text`.
    pub fn new(text: &str) -> Self {
        CharIndex {
            starts: text.char_indices().map(|(i, _)| i).collect(),
        }
    }

    /// The character offset of a byte offset (which must be a character boundary).
    pub fn char_of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s < byte)
    }
}

#[derive(Serialize)]
struct OutDoc<'a> {
    id: &'a str,
    source: &'a str,
    title: Option<&'a str>,
    date: Option<&'a str>,
    lang: &'a str,
    chars: usize,
}

#[derive(Serialize)]
struct OutMention<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct OutEntity<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    subkind: Option<&'static str>,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    linked: bool,
    mentions: Vec<OutMention<'a>>,
}

#[derive(Serialize)]
struct OutParticipant<'a> {
    entity: Option<&'a str>,
    name: &'a str,
    country: Option<&'a str>,
}

#[derive(Serialize)]
struct OutPlace<'a> {
    /// As the evidence writes it ("St. Petersburg"); the canonical name is on the entity.
    name: &'a str,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    /// Extra field: the place entity's id (`place:498817`).
    entity: &'a str,
    /// Extra field: site, headquarters, venue or mentioned.
    role: techties_core::PlaceRole,
}

#[derive(Serialize)]
struct OutEvidence<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct OutPartnership<'a> {
    #[serde(rename = "type")]
    kind: PartnershipType,
    domains: &'a [Domain],
    participants: Vec<OutParticipant<'a>>,
    countries: Vec<&'a str>,
    places: Vec<OutPlace<'a>>,
    date: Option<&'a str>,
    evidence: OutEvidence<'a>,
    confidence: f64,
    /// Extra field (allowed by the contract): where the partnership stands.
    status: techties_core::Status,
}

#[derive(Serialize)]
struct Out<'a> {
    doc: OutDoc<'a>,
    entities: Vec<OutEntity<'a>>,
    partnerships: Vec<OutPartnership<'a>>,
}

fn round(x: f32) -> f64 {
    (f64::from(x) * 100.0).round() / 100.0
}

fn to_out(doc: &Doc) -> Out<'_> {
    let ix = CharIndex::new(&doc.text);
    let mut mentions: Vec<Vec<OutMention>> = (0..doc.entities.len()).map(|_| Vec::new()).collect();
    for m in &doc.mentions {
        mentions[m.entity].push(OutMention {
            start: ix.char_of(m.span.start),
            end: ix.char_of(m.span.end),
            text: doc.slice(m.span),
        });
    }
    let entities = doc
        .entities
        .iter()
        .zip(mentions)
        .map(|(e, mentions)| OutEntity {
            id: &e.id,
            name: &e.name,
            kind: e.kind.as_str(),
            subkind: e.subkind.map(|k| k.as_str()),
            country: e.country.as_ref().map(|c| c.as_str()),
            lat: e.lat,
            lon: e.lon,
            linked: e.linked,
            mentions,
        })
        .collect();
    let partnerships = doc
        .partnerships
        .iter()
        .map(|p| OutPartnership {
            kind: p.kind,
            domains: &p.domains,
            participants: p
                .participants
                .iter()
                .map(|x| OutParticipant {
                    entity: x.entity.map(|e| doc.entities[e].id.as_str()),
                    name: &x.name,
                    country: x.country.as_ref().map(|c| c.as_str()),
                })
                .collect(),
            countries: p.countries.iter().map(|c| c.as_str()).collect(),
            places: p
                .places
                .iter()
                .map(|pl| {
                    let e = &doc.entities[pl.entity];
                    let written = doc
                        .mentions_in(p.evidence)
                        .map(|(_, m)| m)
                        .find(|m| m.entity == pl.entity)
                        .map(|m| doc.slice(m.span));
                    OutPlace {
                        name: written.unwrap_or(&e.name),
                        entity: &e.id,
                        role: pl.role,
                        country: e.country.as_ref().map(|c| c.as_str()),
                        lat: e.lat,
                        lon: e.lon,
                    }
                })
                .collect(),
            date: p.date.as_deref(),
            evidence: OutEvidence {
                text: doc.slice(p.evidence),
                start: ix.char_of(p.evidence.start),
                end: ix.char_of(p.evidence.end),
            },
            confidence: round(p.confidence),
            status: p.status,
        })
        .collect();
    Out {
        doc: OutDoc {
            id: &doc.meta.id,
            source: &doc.meta.source,
            title: doc.meta.title.as_deref(),
            date: doc.meta.date.as_deref(),
            lang: &doc.meta.lang,
            chars: doc.text.chars().count(),
        },
        entities,
        partnerships,
    }
}

/// The document as one line of JSON (no trailing newline).
pub fn to_json_line(doc: &Doc) -> String {
    serde_json::to_string(&to_out(doc)).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The document as indented JSON.
pub fn to_json_pretty(doc: &Doc) -> String {
    serde_json::to_string_pretty(&to_out(doc)).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// The document as a JSON value, for tests and other tools.
pub fn to_value(doc: &Doc) -> serde_json::Value {
    serde_json::to_value(to_out(doc)).unwrap_or(serde_json::Value::Null)
}
