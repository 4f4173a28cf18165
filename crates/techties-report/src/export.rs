//! Exports of partnerships: CSV, JSON Lines, GeoJSON, GraphML and FollowTheMoney.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{json, Value};
use techties_store::{PartnershipRow, PartnershipView, Query, Store};

use crate::{ReportError, Result};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One row per partnership.
    Csv,
    /// One partnership with its reports per line.
    Jsonl,
    /// Sited partnerships as points.
    Geojson,
    /// Parties as nodes, partnerships as edges.
    Graphml,
    /// FollowTheMoney entities (JSON lines), for Aleph and OpenSanctions tools.
    Ftm,
}

impl Format {
    /// Parses a format name.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "csv" => Format::Csv,
            "jsonl" => Format::Jsonl,
            "geojson" => Format::Geojson,
            "graphml" => Format::Graphml,
            "ftm" => Format::Ftm,
            _ => return None,
        })
    }
}

/// Every partnership matching the query, with its reports.
pub fn partnerships(store: &Store, q: &Query) -> Result<Vec<PartnershipView>> {
    let mut q = q.clone();
    q.limit = Some(q.limit.unwrap_or(usize::MAX >> 1));
    let rows = store.search(&q)?.partnerships;
    rows.iter()
        .map(|p| store.partnership(p.id).map_err(ReportError::from))
        .collect()
}

/// Writes the partnerships matching `q` in `format`.
pub fn export(store: &Store, q: &Query, format: Format, out: &mut dyn Write) -> Result<()> {
    let ps = partnerships(store, q)?;
    match format {
        Format::Csv => csv(&ps, out),
        Format::Jsonl => {
            for p in &ps {
                writeln!(out, "{}", serde_json::to_string(p)?)?;
            }
            Ok(())
        }
        Format::Geojson => {
            writeln!(out, "{}", serde_json::to_string_pretty(&geojson(&ps))?)?;
            Ok(())
        }
        Format::Graphml => graphml(&ps, out),
        Format::Ftm => ftm(store, &ps, out),
    }
}

/// One CSV cell: quoted when needed, and formula-like text prefixed so spreadsheets show it.
pub fn csv_field(s: &str) -> String {
    // a cell starting with = + - @ would be a formula in a spreadsheet: quote it as text
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv(ps: &[PartnershipView], out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "id,type,date,status,countries,domains,parties,confidence,sources,documents,evidence,source_url"
    )?;
    for p in ps {
        let r = &p.row;
        let parties: Vec<String> = r
            .parties
            .iter()
            .map(|x| match &x.country {
                Some(c) => format!("{} ({c})", x.name),
                None => x.name.clone(),
            })
            .collect();
        let first = p.reports.first();
        let cells = [
            r.id.to_string(),
            r.kind.clone(),
            r.date.clone().unwrap_or_default(),
            r.status.clone(),
            r.countries.join(";"),
            r.domains.join(";"),
            parties.join("; "),
            format!("{:.3}", r.confidence),
            r.sources.to_string(),
            r.documents.to_string(),
            first.map(|e| e.sentence.clone()).unwrap_or_default(),
            first.map(|e| e.source.clone()).unwrap_or_default(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

/// Sited partnerships as GeoJSON points: one feature per partnership and place, sized by
/// corroboration (`sources`), with the place's precision (city, or a country's capital).
pub fn geojson(ps: &[PartnershipView]) -> Value {
    let mut features = Vec::new();
    for p in ps {
        let mut seen = std::collections::BTreeSet::new();
        for e in &p.reports {
            for place in e.places.as_array().into_iter().flatten() {
                if !seen.insert(place["entity"].as_str().unwrap_or("").to_string()) {
                    continue;
                }
                features.extend(site_feature(&p.row, place, Some(&e.sentence)));
            }
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// One sited partnership as a GeoJSON point feature, or `None` for a place without
/// coordinates. `place` is a stored place object (entity, name, role, lat, lon).
pub fn site_feature(p: &PartnershipRow, place: &Value, evidence: Option<&str>) -> Option<Value> {
    let (lat, lon) = (place["lat"].as_f64()?, place["lon"].as_f64()?);
    let key = place["entity"].as_str().unwrap_or("");
    let precision = if key.starts_with("country:") {
        "country"
    } else if key.starts_with("region:") {
        "region"
    } else {
        "city"
    };
    Some(json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "partnership": p.id,
            "type": p.kind,
            "date": p.date,
            "status": p.status,
            "place": place["name"],
            "place_id": key,
            "role": place["role"],
            "precision": precision,
            "countries": p.countries,
            "domains": p.domains,
            "sources": p.sources,
            "parties": p.parties.iter().map(|x| x.name.clone()).collect::<Vec<_>>(),
            "evidence": evidence,
        }
    }))
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A party's node id in graphs: `e<entity id>`, or `d:<country>:<name>` for a party the
/// text only describes.
pub fn party_id(x: &techties_store::PartyRow) -> String {
    match x.entity {
        Some(e) => format!("e{e}"),
        None => format!(
            "d:{}:{}",
            x.country.as_deref().unwrap_or(""),
            x.name.to_lowercase()
        ),
    }
}

fn graphml(ps: &[PartnershipView], out: &mut dyn Write) -> Result<()> {
    let mut nodes: BTreeMap<String, (&str, Option<&str>)> = BTreeMap::new();
    for p in ps {
        for x in &p.row.parties {
            nodes
                .entry(party_id(x))
                .or_insert((x.name.as_str(), x.country.as_deref()));
        }
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns">"#
    )?;
    for (id, name, ty, on) in [
        ("name", "name", "string", "node"),
        ("country", "country", "string", "node"),
        ("partnership", "partnership", "int", "edge"),
        ("type", "type", "string", "edge"),
        ("date", "date", "string", "edge"),
        ("status", "status", "string", "edge"),
        ("domains", "domains", "string", "edge"),
        ("sources", "sources", "int", "edge"),
        ("evidence", "evidence", "string", "edge"),
    ] {
        writeln!(
            out,
            r#"  <key id="{id}" for="{on}" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(
        out,
        r#"  <graph id="partnerships" edgedefault="undirected">"#
    )?;
    for (id, (name, country)) in &nodes {
        writeln!(
            out,
            r#"    <node id="{}"><data key="name">{}</data><data key="country">{}</data></node>"#,
            xml(id),
            xml(name),
            xml(country.unwrap_or(""))
        )?;
    }
    let mut n = 0;
    for p in ps {
        let parties = &p.row.parties;
        for i in 0..parties.len() {
            for j in i + 1..parties.len() {
                n += 1;
                writeln!(
                    out,
                    r#"    <edge id="x{n}" source="{}" target="{}"><data key="partnership">{}</data><data key="type">{}</data><data key="date">{}</data><data key="status">{}</data><data key="domains">{}</data><data key="sources">{}</data><data key="evidence">{}</data></edge>"#,
                    xml(&party_id(&parties[i])),
                    xml(&party_id(&parties[j])),
                    p.row.id,
                    xml(&p.row.kind),
                    xml(p.row.date.as_deref().unwrap_or("")),
                    xml(&p.row.status),
                    xml(&p.row.domains.join(",")),
                    p.row.sources,
                    xml(p.reports.first().map(|e| e.sentence.as_str()).unwrap_or("")),
                )?;
            }
        }
    }
    writeln!(out, "  </graph>\n</graphml>")?;
    Ok(())
}

/// FollowTheMoney: parties as Organization / Company / PublicBody / Person (countries as
/// PublicBody for their governments), documents as Article, each partnership as an
/// UnknownLink between two parties with its documents as `proof`.
fn ftm(store: &Store, ps: &[PartnershipView], out: &mut dyn Write) -> Result<()> {
    let mut written = std::collections::BTreeSet::new();
    let emit = |out: &mut dyn Write, v: Value| -> Result<()> {
        writeln!(out, "{}", serde_json::to_string(&v)?)?;
        Ok(())
    };
    for p in ps {
        for x in &p.row.parties {
            let id = format!("techties-{}", party_id(x).replace([':', ' '], "-"));
            if !written.insert(id.clone()) {
                continue;
            }
            let (schema, kb) = match x.entity.map(|e| store.entity_row(e)).transpose()? {
                Some(e) => (
                    match (e.kind.as_str(), e.subkind.as_deref()) {
                        ("person", _) => "Person",
                        ("country", _) => "PublicBody",
                        (_, Some("company")) => "Company",
                        (_, Some("government" | "military")) => "PublicBody",
                        _ => "Organization",
                    },
                    e.kb_id,
                ),
                None => ("Organization", None),
            };
            let mut props = json!({"name": [x.name]});
            if let Some(c) = &x.country {
                let key = if schema == "Person" {
                    "nationality"
                } else {
                    "jurisdiction"
                };
                props[key] = json!([c.to_lowercase()]);
            }
            if let Some(k) = kb {
                props["notes"] = json!([format!("techties knowledge base: {k}")]);
            }
            emit(
                out,
                json!({"id": id, "schema": schema, "properties": props}),
            )?;
        }
        for e in &p.reports {
            let id = format!("techties-doc-{}", e.document);
            if !written.insert(id.clone()) {
                continue;
            }
            let mut props = json!({
                "title": [e.title.clone().unwrap_or_else(|| e.source.clone())],
                "sourceUrl": [e.source],
            });
            if let Some(d) = &e.published {
                props["publishedAt"] = json!([d]);
            }
            if let Some(pbl) = &e.publisher {
                props["publisher"] = json!([pbl]);
            }
            emit(
                out,
                json!({"id": id, "schema": "Article", "properties": props}),
            )?;
        }
        let parties = &p.row.parties;
        let proof: Vec<String> = p
            .reports
            .iter()
            .map(|e| format!("techties-doc-{}", e.document))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for i in 0..parties.len() {
            for j in i + 1..parties.len() {
                let id = |x: &techties_store::PartyRow| {
                    format!("techties-{}", party_id(x).replace([':', ' '], "-"))
                };
                let mut props = json!({
                    "subject": [id(&parties[i])],
                    "object": [id(&parties[j])],
                    "role": [p.row.kind],
                    "summary": [p.reports.first().map(|e| e.sentence.clone()).unwrap_or_default()],
                    "proof": proof,
                    "description": [format!(
                        "{}; status {}; {} independent source(s); domains {}",
                        p.row.kind, p.row.status, p.row.sources, p.row.domains.join(", ")
                    )],
                });
                if let Some(d) = &p.row.date {
                    props["startDate"] = json!([d]);
                }
                emit(
                    out,
                    json!({
                        "id": format!("techties-p{}-{}-{}", p.row.id, i, j),
                        "schema": "UnknownLink",
                        "properties": props
                    }),
                )?;
            }
        }
    }
    Ok(())
}
