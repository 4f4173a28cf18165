//! Builds a synthetic corpus database of N partnerships (default 100,000) through the store's
//! own API, for load tests of the server and the queries:
//! `cargo run --release -p techties-store --example synth_db -- /tmp/synth.db 100000`.
//! Deterministic: the same N gives the same database.

use techties_core::{
    CountryCode, Doc, DocMeta, Domain, Entity, EntityKind, Mention, MentionRole, OrgKind,
    Participant, Partnership, PartnershipType, Span, Status,
};
use techties_store::{Extraction, NewDocument, Store};

const COUNTRIES: &[&str] = &[
    "RU", "CN", "US", "IN", "JP", "KR", "DE", "FR", "GB", "IL", "AE", "SA", "TR", "BR", "IR", "BY",
    "KZ", "PK", "VN", "ID",
];
const DOMAINS: &[Domain] = &[
    Domain::Telecom,
    Domain::Ai,
    Domain::Biotech,
    Domain::Semiconductors,
    Domain::Space,
    Domain::Quantum,
    Domain::Nuclear,
    Domain::Cyber,
    Domain::Energy,
    Domain::Aerospace,
];
const TYPES: &[PartnershipType] = &[
    PartnershipType::RdCenter,
    PartnershipType::JointLab,
    PartnershipType::Investment,
    PartnershipType::Agreement,
    PartnershipType::Academic,
    PartnershipType::TechnologyTransfer,
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "synth.db".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(&path).expect("database opens");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let per_doc = 3;
    let t0 = std::time::Instant::now();
    store.begin_group().unwrap();
    for d in 0..n.div_ceil(per_doc) {
        let mut text = String::new();
        let mut entities = Vec::new();
        let mut mentions = Vec::new();
        let mut partnerships = Vec::new();
        for k in 0..per_doc {
            let (ca, cb) = (rng.pick(COUNTRIES.len()), rng.pick(COUNTRIES.len()));
            let cb = if ca == cb {
                (cb + 1) % COUNTRIES.len()
            } else {
                cb
            };
            let (oa, ob) = (rng.pick(2000), rng.pick(2000));
            let start = text.len();
            let name_a = format!("Org {oa} {}", COUNTRIES[ca]);
            let name_b = format!("Org {ob} {}", COUNTRIES[cb]);
            let domain = DOMAINS[rng.pick(DOMAINS.len())];
            text.push_str(&format!(
                "{name_a} and {name_b} signed an agreement on {} cooperation in report {d}-{k}. ",
                domain.as_str()
            ));
            let end = text.len();
            for (name, c) in [(&name_a, ca), (&name_b, cb)] {
                let at = start + text[start..].find(name.as_str()).unwrap();
                entities.push(Entity {
                    id: format!("local:{name}"),
                    name: name.clone(),
                    kind: EntityKind::Organization,
                    subkind: Some(OrgKind::Company),
                    country: CountryCode::parse(COUNTRIES[c]),
                    lat: None,
                    lon: None,
                    linked: false,
                });
                mentions.push(Mention {
                    span: Span::new(at, at + name.len()),
                    entity: entities.len() - 1,
                    role: MentionRole::Name,
                });
            }
            let year = 2000 + rng.pick(26);
            partnerships.push(Partnership {
                kind: TYPES[rng.pick(TYPES.len())],
                domains: vec![domain],
                participants: vec![
                    Participant {
                        entity: Some(entities.len() - 2),
                        name: name_a.clone(),
                        country: CountryCode::parse(COUNTRIES[ca]),
                    },
                    Participant {
                        entity: Some(entities.len() - 1),
                        name: name_b.clone(),
                        country: CountryCode::parse(COUNTRIES[cb]),
                    },
                ],
                countries: vec![
                    CountryCode::parse(COUNTRIES[ca]).unwrap(),
                    CountryCode::parse(COUNTRIES[cb]).unwrap(),
                ],
                places: vec![],
                date: Some(format!("{year}")),
                evidence: Span::new(start, end),
                confidence: 0.5 + (rng.pick(50) as f32) / 100.0,
                trigger: Span::new(start, start),
                status: Status::Signed,
            });
        }
        let mut doc = Doc::new(DocMeta::new(format!("synth:{d}")), text.clone());
        doc.entities = entities;
        doc.mentions = mentions;
        doc.partnerships = partnerships;
        let url = format!("https://outlet{}.example/{d}", d % 50);
        let id = doc.meta.id.clone();
        store
            .add_document(
                &NewDocument {
                    content_id: &id,
                    source: &url,
                    url: Some(&url),
                    title: Some("synthetic"),
                    published: Some("2024-01-01"),
                    publisher: Some("outlet.example"),
                    lang: "en",
                    format: "txt",
                    text: &text,
                    ..NewDocument::default()
                },
                Extraction::Done {
                    doc: &doc,
                    version: "synth",
                },
            )
            .unwrap();
        if d % 500 == 499 {
            store.commit_group().unwrap();
            store.begin_group().unwrap();
        }
    }
    store.commit_group().unwrap();
    let stats = store.stats().unwrap();
    eprintln!(
        "{path}: {} documents, {} partnerships in {:.1} s",
        stats.documents,
        stats.partnerships,
        t0.elapsed().as_secs_f64()
    );
}
