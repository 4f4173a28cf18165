//! The JSON API: routes, query parameters, and the OpenAPI document that describes them.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use techties_report::export::{party_id, site_feature};
use techties_store::{Query, Store, StoreError};

type Reply = (u16, &'static str, Vec<u8>);

fn ok(v: &impl serde::Serialize) -> Reply {
    match serde_json::to_vec(v) {
        Ok(b) => (200, "application/json", b),
        Err(e) => error(500, &e.to_string()),
    }
}

fn error(status: u16, msg: &str) -> Reply {
    (
        status,
        "application/json",
        json!({ "error": msg }).to_string().into_bytes(),
    )
}

fn store_error(e: StoreError) -> Reply {
    match e {
        StoreError::NotFound { .. } => error(404, &e.to_string()),
        e => error(500, &e.to_string()),
    }
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// The store query for the filter parameters; an error names the bad parameter.
fn filters(query: &str, default_limit: usize) -> Result<Query, String> {
    let mut q = Query {
        limit: Some(default_limit),
        ..Query::default()
    };
    let code = |v: &str| -> Result<String, String> {
        let v = v.trim();
        if v.len() == 2 && v.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(v.to_ascii_uppercase())
        } else {
            Err(format!("{v:?} is not a two-letter country code"))
        }
    };
    let date = |v: &str| -> Result<String, String> {
        let ok = matches!(v.len(), 4 | 7 | 10)
            && v.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if ok {
            Ok(v.to_string())
        } else {
            Err(format!("{v:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
        }
    };
    for (k, v) in params(query) {
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "country" => q.countries.push(code(&v)?),
            "pair" => {
                let (a, b) = v
                    .split_once([',', '-'])
                    .ok_or_else(|| format!("pair {v:?}: expected two codes, e.g. RU,CN"))?;
                q.pair = Some((code(a)?, code(b)?));
            }
            "domain" => q.domain = Some(v),
            "type" => q.kind = Some(v),
            "status" => q.status = Some(v),
            "entity" => {
                q.entity = Some(
                    v.parse()
                        .map_err(|_| format!("entity {v:?}: expected an id"))?,
                )
            }
            "since" => q.since = Some(date(&v)?),
            "until" => q.until = Some(date(&v)?),
            "q" => q.text = Some(v),
            "limit" => {
                let n: usize = v
                    .parse()
                    .map_err(|_| format!("limit {v:?}: expected a number"))?;
                q.limit = Some(n.clamp(1, 1000));
            }
            "offset" => {
                q.offset = Some(
                    v.parse()
                        .map_err(|_| format!("offset {v:?}: expected a number"))?,
                )
            }
            other => return Err(format!("unknown parameter {other:?}")),
        }
    }
    Ok(q)
}

fn id(s: &str) -> Option<i64> {
    s.parse().ok()
}

/// Answers one API request (`path` without the `/api/v1` prefix).
pub(crate) fn route(store: &Store, path: &str, query: &str) -> Reply {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let list = |default: usize| filters(query, default);
    match parts.as_slice() {
        ["openapi.json"] => ok(&openapi()),
        ["partnerships"] => match list(50) {
            Ok(q) => store.search(&q).map_or_else(store_error, |r| ok(&r)),
            Err(e) => error(400, &e),
        },
        ["partnerships", p] => match id(p) {
            Some(p) => store.partnership(p).map_or_else(store_error, |r| ok(&r)),
            None => error(400, "partnership id must be a number"),
        },
        ["entities"] => {
            let name = params(query)
                .into_iter()
                .find(|(k, _)| k == "q")
                .map(|(_, v)| v)
                .unwrap_or_default();
            store
                .find_entities(&name, 50)
                .map_or_else(store_error, |r| ok(&r))
        }
        ["entities", e] => match id(e) {
            Some(e) => entity_profile(store, e).unwrap_or_else(store_error),
            None => error(400, "entity id must be a number"),
        },
        ["documents", d] => match id(d) {
            Some(d) => store.document(d).map_or_else(store_error, |r| ok(&r)),
            None => error(400, "document id must be a number"),
        },
        ["pairs", a, b] => {
            if a.len() != 2 || b.len() != 2 {
                return error(400, "expected two-letter country codes");
            }
            store
                .pair_summary(a, b)
                .map_or_else(store_error, |r| ok(&r))
        }
        ["brief", a, b] => {
            if a.len() != 2
                || b.len() != 2
                || !a.chars().chain(b.chars()).all(|c| c.is_ascii_alphabetic())
            {
                return error(400, "expected two-letter country codes");
            }
            let spec = techties_report::brief::BriefSpec {
                a: a.to_ascii_uppercase(),
                b: b.to_ascii_uppercase(),
                since: None,
            };
            match techties_report::brief::Brief::gather(store, spec) {
                Ok(brief) => (
                    200,
                    "text/html; charset=utf-8",
                    brief.to_html().into_bytes(),
                ),
                Err(e) => error(500, &e.to_string()),
            }
        }
        ["geojson"] => match list(2000) {
            Ok(q) => geojson(store, &q).unwrap_or_else(store_error),
            Err(e) => error(400, &e),
        },
        ["graph"] => match list(2000) {
            Ok(q) => graph(store, &q).unwrap_or_else(store_error),
            Err(e) => error(400, &e),
        },
        ["timeline"] => match list(0) {
            Ok(q) => match store.timeline(&q) {
                Ok(rows) => ok(&json!({
                    "buckets": rows.iter().map(|(y, d, n)| json!({"year": y, "domain": d, "count": n})).collect::<Vec<_>>()
                })),
                Err(e) => store_error(e),
            },
            Err(e) => error(400, &e),
        },
        ["watches"] => store.watches().map_or_else(store_error, |w| ok(&w)),
        _ => error(404, "no such endpoint (see /api/v1/openapi.json)"),
    }
}

fn geojson(store: &Store, q: &Query) -> Result<Reply, StoreError> {
    let rows = store.search(q)?.partnerships;
    let mut features = Vec::new();
    for p in &rows {
        for place in store.places_of(p.id)? {
            features.extend(site_feature(p, &place, p.evidence.as_deref()));
        }
    }
    Ok(ok(
        &json!({"type": "FeatureCollection", "features": features}),
    ))
}

fn graph(store: &Store, q: &Query) -> Result<Reply, StoreError> {
    let rows = store.search(q)?.partnerships;
    let mut nodes: BTreeMap<String, (String, Option<String>, usize)> = BTreeMap::new();
    let mut edges = Vec::new();
    for p in &rows {
        for x in &p.parties {
            let n = nodes
                .entry(party_id(x))
                .or_insert((x.name.clone(), x.country.clone(), 0));
            n.2 += 1;
        }
        for i in 0..p.parties.len() {
            for j in i + 1..p.parties.len() {
                edges.push(json!({
                    "source": party_id(&p.parties[i]),
                    "target": party_id(&p.parties[j]),
                    "partnership": p.id, "type": p.kind, "sources": p.sources,
                    "domains": p.domains,
                }));
            }
        }
    }
    let nodes: Vec<Value> = nodes
        .into_iter()
        .map(|(id, (name, country, degree))| json!({"id": id, "name": name, "country": country, "degree": degree}))
        .collect();
    Ok(ok(&json!({"nodes": nodes, "edges": edges})))
}

fn entity_profile(store: &Store, id: i64) -> Result<Reply, StoreError> {
    let view = store.entity(id)?;
    let mut partners: BTreeMap<String, usize> = BTreeMap::new();
    let mut domains: BTreeMap<String, usize> = BTreeMap::new();
    let mut years: BTreeMap<String, usize> = BTreeMap::new();
    let mut places: BTreeMap<String, usize> = BTreeMap::new();
    for p in &view.partnerships {
        for x in p.parties.iter().filter(|x| x.entity != Some(id)) {
            *partners.entry(x.name.clone()).or_default() += 1;
        }
        for d in &p.domains {
            *domains.entry(d.clone()).or_default() += 1;
        }
        let y = p
            .date
            .as_deref()
            .or(p.first_seen.as_deref())
            .and_then(|d| d.get(..4))
            .unwrap_or("undated");
        *years.entry(y.to_string()).or_default() += 1;
        for pl in store.places_of(p.id)? {
            if let Some(n) = pl["name"].as_str() {
                *places.entry(n.to_string()).or_default() += 1;
            }
        }
    }
    Ok(ok(&json!({
        "entity": view.row,
        "partnerships": view.partnerships,
        "partners": partners,
        "domains": domains,
        "places": places,
        "timeline": years,
    })))
}

fn write_responses(ok: &str, what: &str) -> Value {
    json!({ok: {"description": what},
           "401": {"description": "No or wrong bearer token"},
           "403": {"description": "Writes are disabled: the server has no write token"},
           "415": {"description": "The body is not application/json"},
           "422": {"description": "The request names nothing that can be written, with the reason"}})
}

/// The OpenAPI 3 document of this API.
pub(crate) fn openapi() -> Value {
    let filter_params: Vec<Value> = [
        ("country", "Partnerships involving this country (ISO 3166-1 alpha-2); repeatable"),
        ("pair", "Two countries, e.g. RU,CN"),
        ("domain", "Technology domain (telecom, ai, biotech, space, ...)"),
        ("type", "Partnership type (rd_center, joint_lab, investment, ...)"),
        ("status", "Status (announced, signed, operational, ...)"),
        ("entity", "Partnerships with this entity id as a party"),
        ("since", "Date (YYYY, YYYY-MM or YYYY-MM-DD) on or after"),
        ("until", "Date on or before (inclusive)"),
        ("q", "Full-text query over evidence sentences and articles"),
        ("limit", "Page size (1-1000)"),
        ("offset", "Rows to skip"),
    ]
    .iter()
    .map(|(n, d)| json!({"name": n, "in": "query", "required": false, "description": d, "schema": {"type": if *n == "limit" || *n == "offset" || *n == "entity" {"integer"} else {"string"}}}))
    .collect();
    let id_param = |name: &str| json!([{"name": name, "in": "path", "required": true, "schema": {"type": "integer"}}]);
    let get = |summary: &str, params: Value| {
        json!({"get": {"summary": summary, "parameters": params,
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                          "400": {"description": "A bad parameter, named in the error"},
                          "404": {"description": "Not found"}}}})
    };
    json!({
        "openapi": "3.0.3",
        "info": {"title": "techties API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "The corpus: partnerships merged across documents, with their evidence. GET reads; POST and DELETE write, only on a server started with a write token, sent as a bearer token."},
        "components": {"securitySchemes": {"writeToken": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/api/v1/partnerships": get("Partnerships matching the filters, most corroborated first, with paging", Value::Array(filter_params.clone())),
            "/api/v1/partnerships/{id}": get("One partnership with every report (document, sentence, character offsets, places)", id_param("id")),
            "/api/v1/entities": get("Entities by name prefix", json!([{"name": "q", "in": "query", "required": false, "schema": {"type": "string"}}])),
            "/api/v1/entities/{id}": get("An entity's profile: partnerships, partners, domains, places, timeline", id_param("id")),
            "/api/v1/documents/{id}": get("A document with its text, mentions and evidence spans", id_param("id")),
            "/api/v1/pairs/{a}/{b}": get("Counts for a country pair by domain, type and year",
                json!([{"name": "a", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}}])),
            "/api/v1/brief/{a}/{b}": {"get": {"summary": "The country-pair brief as HTML",
                "parameters": [{"name": "a", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "OK", "content": {"text/html": {"schema": {"type": "string"}}}}, "400": {"description": "Bad country codes"}}}},
            "/api/v1/geojson": get("Sited partnerships as GeoJSON points", Value::Array(filter_params.clone())),
            "/api/v1/graph": get("Parties as nodes, partnerships as edges", Value::Array(filter_params.clone())),
            "/api/v1/timeline": get("Partnerships per year and domain", Value::Array(filter_params)),
            "/api/v1/watches": {
                "get": {"summary": "Watched entities, country pairs and domains", "responses": {"200": {"description": "OK"}}},
                "post": {"summary": "Watch an entity (by name), a country pair (RU,CN) or a domain",
                    "security": [{"writeToken": []}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["kind", "value"],
                        "properties": {"kind": {"type": "string", "enum": ["entity", "pair", "domain"]}, "value": {"type": "string"}}}}}},
                    "responses": write_responses("201", "The watch")}},
            "/api/v1/watches/{id}": {"delete": {"summary": "Stop watching", "security": [{"writeToken": []}],
                "parameters": id_param("id"), "responses": write_responses("200", "Removed")}},
            "/api/v1/ingest": {"post": {"summary": "Fetch an http(s) URL (page, feed or PDF) and add what it holds to the corpus; private and loopback hosts are refused unless the server allows them",
                "security": [{"writeToken": []}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}}}}},
                "responses": write_responses("200", "What was added; 422 with each failure's reason")}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OK"}}}}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode_and_bad_parameters_are_named() {
        let q = filters("pair=ru%2Ccn&domain=ai&q=joint+lab&limit=5000", 50).unwrap();
        assert_eq!(q.pair, Some(("RU".into(), "CN".into())));
        assert_eq!(q.text.as_deref(), Some("joint lab"));
        assert_eq!(q.limit, Some(1000));
        assert!(filters("country=Russia", 50)
            .unwrap_err()
            .contains("Russia"));
        assert!(filters("since=yesterday", 50)
            .unwrap_err()
            .contains("yesterday"));
        assert!(filters("colour=red", 50).unwrap_err().contains("colour"));
        assert_eq!(percent_decode("%3Cscript%3E%"), "<script>%");
    }
}
