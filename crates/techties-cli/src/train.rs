//! `techties train extractor`: trains the learned partnership extractor on the annotated
//! corpus's train split, chooses its thresholds on the dev split, reports rules only / learned
//! only / combined side by side on dev (and a learning curve), and writes the model bundle and
//! its card.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use techties_extract::evaluate::{self, LoadOptions, Report};
use techties_extract::learned::features::Sources;
use techties_extract::learned::train::{
    candidate_recall, fit, prepare, score_learned, score_rules, subset, tune, Fit, Prepared,
};
use techties_extract::learned::{org_domains, Models};
use techties_extract::Pipeline;
use techties_kb::Kb;

/// Options of `techties train extractor`.
pub struct TrainArgs {
    /// The corpus folder (gold/, splits.tsv).
    pub corpus: String,
    /// The article texts.
    pub articles: Option<String>,
    /// Where to write the bundle.
    pub out: String,
    /// Where to write the card.
    pub card: Option<String>,
    /// Train without the rule extractor's verdicts as features.
    pub no_rules: bool,
    /// Also compute the learning curve.
    pub curve: bool,
    /// Write a JSON line per dev article for error study here.
    pub diagnose: Option<String>,
}

fn line(r: &Report) -> String {
    let (p, rc, f) = r.detection();
    let (_, _, sf) = r.strict();
    format!("P {p:.3}  R {rc:.3}  F1 {f:.3}  strict F1 {sf:.3}")
}

fn row(name: &str, r: &Report) -> String {
    let (p, rc, f) = r.detection();
    let (_, _, sf) = r.strict();
    let (n8, ok8) = r.confident(0.8);
    format!(
        "| {name} | {} | {} | {p:.3} | {rc:.3} | **{f:.3}** | {sf:.3} | {} of {} ({:.0}%) right |",
        r.gold,
        r.pred,
        ok8,
        n8,
        if n8 > 0 {
            100.0 * ok8 as f64 / n8 as f64
        } else {
            0.0
        }
    )
}

/// Runs the command; prints progress and figures on standard error and the table on stdout.
pub fn run(a: &TrainArgs) -> Result<()> {
    let t0 = Instant::now();
    let corpus = Path::new(&a.corpus);
    let load = |split: &str| -> Result<Vec<evaluate::GoldDoc>> {
        let docs = evaluate::load_corpus(
            corpus,
            &LoadOptions {
                articles: a.articles.as_deref().map(Path::new),
                split: Some(split),
                splits: None,
            },
        )?;
        anyhow::ensure!(
            !docs.is_empty(),
            "{}: no {split} articles with gold",
            a.corpus
        );
        Ok(docs)
    };
    let (train_docs, dev_docs) = (load("train")?, load("dev")?);
    let rules = Pipeline::rules();
    let train = prepare(&rules, &train_docs);
    let dev = prepare(&rules, &dev_docs);
    eprintln!(
        "prepared {} train and {} dev articles in {:.1} s",
        train.len(),
        dev.len(),
        t0.elapsed().as_secs_f64()
    );
    let kb = Kb::embedded();
    let od = org_domains(kb);
    let (ct, nt) = candidate_recall(&train);
    let (cd, nd) = candidate_recall(&dev);
    let ncands: usize = dev.iter().map(|p| p.cands.len()).sum();
    let nsent: usize = dev.iter().map(|p| p.doc.sentences.len()).sum();

    let train_refs: Vec<&Prepared> = train.iter().collect();
    let train_one = |refs: &[&Prepared], rules: bool| -> Models {
        let mut m = fit(
            refs,
            &od,
            Fit {
                sources: Sources { rules },
                ..Fit::default()
            },
        );
        m.config = tune(&dev, &m, &od, kb);
        m
    };
    let rules_only = score_rules(&dev);
    let learned = train_one(&train_refs, false);
    let learned_r = score_learned(&dev, &learned, &learned.config, &od, kb);
    let combined = train_one(&train_refs, true);
    let combined_r = score_learned(&dev, &combined, &combined.config, &od, kb);
    eprintln!("dev, rules only:    {}", line(&rules_only));
    eprintln!("dev, learned only:  {}", line(&learned_r));
    eprintln!("dev, combined:      {}", line(&combined_r));

    let mut curve = Vec::new();
    if a.curve {
        for frac in [0.25, 0.5, 1.0] {
            let refs = subset(&train, frac);
            let m = train_one(&refs, !a.no_rules);
            let r = score_learned(&dev, &m, &m.config, &od, kb);
            eprintln!(
                "curve {:>3.0}% ({} articles): {}",
                frac * 100.0,
                refs.len(),
                line(&r)
            );
            curve.push((frac, refs.len(), r));
        }
    }

    let chosen = if a.no_rules { learned } else { combined };
    if let Some(path) = &a.diagnose {
        std::fs::write(
            path,
            techties_extract::learned::train::diagnose(&dev, &chosen, &od),
        )
        .with_context(|| format!("{path}: cannot write"))?;
        eprintln!("wrote {path}");
    }
    let chosen_r = if a.no_rules { &learned_r } else { &combined_r };
    let bytes = chosen.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("{}: cannot write", a.out))?;
    eprintln!(
        "wrote {} ({:.1} MB) in {:.1} s",
        a.out,
        bytes.len() as f64 / 1e6,
        t0.elapsed().as_secs_f64()
    );

    let mut t = String::new();
    let _ = writeln!(
        t,
        "| dev split | gold | predicted | P | R | detection F1 | strict F1 | confidence ≥ 0.8 |"
    );
    let _ = writeln!(t, "|---|---|---|---|---|---|---|---|");
    let _ = writeln!(t, "{}", row("rules only", &rules_only));
    let _ = writeln!(t, "{}", row("learned only", &learned_r));
    let _ = writeln!(t, "{}", row("combined", &combined_r));
    print!("{t}");
    if let Some(card) = &a.card {
        let c = &chosen.config;
        let mut s = String::new();
        let _ = writeln!(s, "# Extractor models (`{}`)\n", a.out);
        let _ = writeln!(
            s,
            "Trained {} by `techties train extractor --corpus {} --articles {}{}` in {:.0} s on one core; deterministic (same corpus, same bytes).\n",
            crate::screen::today(),
            a.corpus,
            a.articles.as_deref().unwrap_or("CORPUS/articles"),
            if a.no_rules { " --no-rules" } else { "" },
            t0.elapsed().as_secs_f64()
        );
        let _ = writeln!(s, "## Data\n");
        let _ = writeln!(
            s,
            "- Train: the `train` split of `{}` ({} articles, {} gold partnerships), split by outlet and story (docs/CORPUS.md).",
            a.corpus,
            train.len(),
            nt
        );
        let _ = writeln!(
            s,
            "- Thresholds chosen on the `dev` split ({} articles, {} gold partnerships); the test split is not read.",
            dev.len(),
            nd
        );
        let _ = writeln!(
            s,
            "- Candidates: {ncands} of {nsent} dev sentences; candidate recall (a candidate covers the gold sentence and carries all its countries) {:.3} on dev ({cd}/{nd}), {:.3} on train.\n",
            cd as f64 / nd.max(1) as f64,
            ct as f64 / nt.max(1) as f64
        );
        let _ = writeln!(s, "## Models\n");
        let _ = writeln!(s, "Logistic regressions over hashed features (techties-learn), {} features in all; rule verdicts as features: {}.\n", chosen.detect.feature_count() + chosen.kind.feature_count() + chosen.domains.feature_count() + chosen.country.feature_count() + chosen.same.feature_count(), if chosen.sources.rules { "yes" } else { "no" });
        let _ = writeln!(s, "| model | labels | features |");
        let _ = writeln!(s, "|---|---|---|");
        for (name, m) in [
            ("detect (states a partnership)", &chosen.detect),
            ("type", &chosen.kind),
            ("domains", &chosen.domains),
            ("country (is a party)", &chosen.country),
            ("same fact", &chosen.same),
        ] {
            let _ = writeln!(
                s,
                "| {name} | {} | {} |",
                m.labels().len(),
                m.feature_count()
            );
        }
        let _ = writeln!(
            s,
            "\nThresholds (dev): detect {}, same fact {}, country {}, domain {}, second type {}.\n",
            c.detect, c.same, c.country, c.domain, c.second_type
        );
        let _ = writeln!(s, "## Figures on dev\n");
        s.push_str(&t);
        let _ = writeln!(s, "\nThis bundle: {}.", line(chosen_r));
        if !curve.is_empty() {
            let _ = writeln!(s, "\n## Learning curve (dev)\n");
            let _ = writeln!(s, "| train articles | detection F1 | strict F1 |");
            let _ = writeln!(s, "|---|---|---|");
            for (frac, n, r) in &curve {
                let _ = writeln!(
                    s,
                    "| {:.0}% ({n}) | {:.3} | {:.3} |",
                    frac * 100.0,
                    r.detection().2,
                    r.strict().2
                );
            }
        }
        std::fs::write(card, s).with_context(|| format!("{card}: cannot write"))?;
        eprintln!("wrote {card}");
    }
    Ok(())
}
