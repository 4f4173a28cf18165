//! A screening report as JSON, CSV (one row per listed name) or HTML fit for a compliance
//! folder: a summary table, then one section per listed organisation with its evidence
//! quoted, its sources and dates. Everything from documents and lists is escaped.

use std::fmt::Write;

use techties_report::brief::html_escape as esc;
use techties_report::export::csv_field;

use crate::{Report, RowReport};

/// The report as pretty JSON.
pub fn to_json(r: &Report) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default()
}

/// One line per listed name.
pub fn to_csv(r: &Report) -> String {
    let mut out = String::from(
        "line,name,country,status,matched,entity,kb_id,score,risk,ties,flags,flagged_partners,paths,rationale\n",
    );
    for row in &r.rows {
        let m = row.resolution.matched.as_ref();
        let cells = [
            row.input.line.to_string(),
            row.input.name.clone(),
            row.input.country.clone().unwrap_or_default(),
            row.resolution.status.to_string(),
            m.map(|m| m.name.clone()).unwrap_or_default(),
            m.and_then(|m| m.entity)
                .map(|e| e.to_string())
                .unwrap_or_default(),
            m.and_then(|m| m.kb_id.clone()).unwrap_or_default(),
            m.map(|m| format!("{:.3}", m.score)).unwrap_or_default(),
            row.risk.to_string(),
            row.ties.len().to_string(),
            row.flags
                .iter()
                .map(|f| format!("{}:{}", f.kind, f.source))
                .collect::<Vec<_>>()
                .join(";"),
            row.flagged_partners.len().to_string(),
            row.paths.len().to_string(),
            row.rationale.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.r-very-high{background:#f8d0d0}.r-high{background:#fbe3c8}.r-medium{background:#fdf3c4}.r-low{background:#e5f2e5}
blockquote{margin:.3em 0;padding-left:.8em;border-left:3px solid #999;color:#333}small{color:#666}h2{margin-top:2em;border-bottom:1px solid #ddd}";

fn section(out: &mut String, i: usize, row: &RowReport) {
    let _ = write!(
        out,
        "<h2 id=\"row{i}\">{}</h2>\n<p><b>Risk: {}</b> — {}</p>\n",
        esc(&row.input.name),
        esc(row.risk),
        esc(&row.rationale)
    );
    let res = &row.resolution;
    match &res.matched {
        Some(m) => {
            let _ = writeln!(
                out,
                "<p>Resolved to <b>{}</b>{}{} (score {:.2}, matched on “{}”).</p>",
                esc(&m.name),
                m.country
                    .as_deref()
                    .map(|c| format!(", {}", esc(c)))
                    .unwrap_or_default(),
                m.kb_id
                    .as_deref()
                    .map(|k| format!(", knowledge base <code>{}</code>", esc(k)))
                    .unwrap_or_default(),
                m.score,
                esc(&m.matched_name)
            );
        }
        None => {
            let _ = writeln!(out, "<p>Resolution: <b>{}</b>.</p>", esc(res.status));
        }
    }
    if !res.alternatives.is_empty() {
        out.push_str("<p>Other candidates: ");
        let alts: Vec<String> = res
            .alternatives
            .iter()
            .map(|c| {
                format!(
                    "{}{} ({:.2})",
                    esc(&c.name),
                    c.country
                        .as_deref()
                        .map(|x| format!(", {}", esc(x)))
                        .unwrap_or_default(),
                    c.score
                )
            })
            .collect();
        out.push_str(&alts.join("; "));
        out.push_str("</p>\n");
    }
    if !row.flags.is_empty() {
        out.push_str("<p>Flags: ");
        let fl: Vec<String> = row
            .flags
            .iter()
            .map(|f| format!("{} ({}: {})", esc(f.kind), esc(&f.source), esc(&f.basis)))
            .collect();
        out.push_str(&fl.join("; "));
        out.push_str("</p>\n");
    }
    for p in &row.paths {
        let chain: Vec<String> = p
            .hops
            .iter()
            .map(|h| {
                format!(
                    "{} → {} <small>({}, partnership {})</small>",
                    esc(&h.from),
                    esc(&h.to),
                    esc(&h.tie.kind),
                    h.tie.partnership
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<p>Path to flagged <b>{}</b>: {}</p>",
            esc(&p.target),
            chain.join(" · ")
        );
        for h in &p.hops {
            let _ = writeln!(
                out,
                "<blockquote>{}<br><small>{} · {}</small></blockquote>",
                esc(&h.tie.evidence),
                esc(&h.tie.source),
                esc(h.tie.published.as_deref().unwrap_or("undated"))
            );
        }
    }
    if row.ties.is_empty() {
        out.push_str("<p>No partnerships on record.</p>\n");
        return;
    }
    out.push_str("<table><tr><th>Partnership</th><th>Parties</th><th>Domains</th><th>Status</th><th>Date</th><th>Evidence</th></tr>\n");
    for t in &row.ties {
        let parties: Vec<String> = t
            .parties
            .iter()
            .map(|p| {
                format!(
                    "{}{}",
                    esc(&p.name),
                    p.country
                        .as_deref()
                        .map(|c| format!(" ({})", esc(c)))
                        .unwrap_or_default()
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{} <small>#{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><blockquote>{}</blockquote><small>{} · {} · {} document(s), {} source(s)</small></td></tr>",
            esc(&t.kind),
            t.partnership,
            parties.join(", "),
            esc(&t.domains.join(", ")),
            esc(&t.status),
            esc(t.date.as_deref().unwrap_or("")),
            esc(&t.evidence),
            esc(&t.source),
            esc(t.published.as_deref().unwrap_or("undated")),
            t.documents,
            t.sources
        );
    }
    out.push_str("</table>\n");
}

/// The report as one self-contained HTML page (no script).
pub fn to_html(r: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Screening: {}</title><style>{STYLE}</style></head><body>\n<h1>Screening report: {}</h1>\n",
        esc(&r.list),
        esc(&r.list)
    );
    let s = &r.snapshot;
    let _ = writeln!(
        out,
        "<p>Generated {} by techties. Graph {}; paths up to {} partnerships. Database <code>{}</code> (schema {}): {} documents, {} partnerships, last document #{} ingested {}.</p>",
        esc(&r.generated_at),
        r.as_of
            .as_deref()
            .map(|d| format!("as known on {}", esc(d)))
            .unwrap_or_else(|| "as stored".to_string()),
        r.hops,
        esc(&s.database),
        s.schema_version,
        s.documents,
        s.partnerships,
        s.last_document,
        esc(s.last_ingested_at.as_deref().unwrap_or("never"))
    );
    out.push_str("<table><tr><th>#</th><th>Listed name</th><th>Resolved to</th><th>Risk</th><th>Ties</th><th>Flags</th><th>Why</th></tr>\n");
    for (i, row) in r.rows.iter().enumerate() {
        let m = row.resolution.matched.as_ref();
        let _ = writeln!(
            out,
            "<tr class=\"r-{}\"><td>{}</td><td><a href=\"#row{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            row.risk.replace(' ', "-"),
            i + 1,
            esc(&row.input.name),
            m.map(|m| esc(&m.name))
                .unwrap_or_else(|| esc(row.resolution.status)),
            esc(row.risk),
            row.ties.len(),
            esc(&row
                .flags
                .iter()
                .map(|f| f.kind)
                .collect::<Vec<_>>()
                .join(", ")),
            esc(&row.rationale)
        );
    }
    out.push_str("</table>\n");
    for (i, row) in r.rows.iter().enumerate() {
        section(&mut out, i, row);
    }
    out.push_str("</body></html>\n");
    out
}
