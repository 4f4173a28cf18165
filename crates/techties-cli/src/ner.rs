//! `techties ner train|eval|tag`.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};
use techties_extract::ner::KbGazetteer;
use techties_kb::Kb;
use techties_ner::{conll, eval, train, Model};

use crate::NerCommand;

fn read(path: &str) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("{path}: cannot read"))
}

fn load_model(path: Option<&str>) -> Result<Model> {
    match path {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("{p}: cannot read"))?;
            Ok(Model::from_bytes(p, &bytes)?)
        }
        None => Ok(techties_extract::ner::default_model()?.clone()),
    }
}

/// Peak resident memory of this process, in MiB (Linux; 0 elsewhere).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

pub(crate) fn run(cmd: NerCommand) -> Result<()> {
    let gaz = KbGazetteer::new(Kb::embedded());
    match cmd {
        NerCommand::Train {
            train: train_path,
            dev,
            out,
            epochs,
            seed,
            min_count,
            bags,
        } => {
            let train_docs = conll::parse(&train_path, &read(&train_path)?, true)?;
            let dev_docs = match &dev {
                Some(p) => Some(conll::parse(p, &read(p)?, true)?),
                None => None,
            };
            let cfg = train::TrainConfig {
                epochs,
                seed,
                min_count,
            };
            let t0 = Instant::now();
            let (model, _) =
                train::train_bagged(&train_docs, dev_docs.as_deref(), &gaz, cfg, bags, |b, r| {
                    let dev = r
                        .dev
                        .as_ref()
                        .map(|s| format!("  dev F1 {:.4}", s.overall().2))
                        .unwrap_or_default();
                    eprintln!(
                        "model {} epoch {:>2}: {} sentences wrong{dev}  ({:.0} s)",
                        b + 1,
                        r.epoch,
                        r.mistakes,
                        t0.elapsed().as_secs_f64()
                    );
                });
            if let Some(d) = &dev_docs {
                eprintln!(
                    "averaged model: dev F1 {:.4}",
                    eval::evaluate(&model, d, &gaz).overall().2
                );
            }
            let bytes = model.to_bytes();
            std::fs::write(&out, &bytes).with_context(|| format!("{out}: cannot write"))?;
            eprintln!(
                "wrote {out}: {} features, {:.1} MB, in {:.0} s",
                model.num_features(),
                bytes.len() as f64 / 1e6,
                t0.elapsed().as_secs_f64()
            );
        }
        NerCommand::Eval { model, file } => {
            let t_load = Instant::now();
            let m = load_model(model.as_deref())?;
            let load_s = t_load.elapsed().as_secs_f64();
            let docs = conll::parse(&file, &read(&file)?, true)?;
            let t0 = Instant::now();
            let scores = eval::evaluate(&m, &docs, &gaz);
            let secs = t0.elapsed().as_secs_f64();
            print!("{scores}");
            println!(
                "tokens/s: {:.0} ({} tokens in {:.3} s; model loaded in {:.3} s)",
                scores.tokens as f64 / secs,
                scores.tokens,
                secs,
                load_s
            );
            println!("peak memory: {:.1} MiB", peak_mib());
        }
        NerCommand::Tag { model, conll: path } => {
            let m = load_model(model.as_deref())?;
            let text = read(&path)?;
            let docs = conll::parse(&path, &text, false)?;
            let mut tags = Vec::new();
            for d in &docs {
                let sents: Vec<Vec<&str>> = d
                    .sentences
                    .iter()
                    .map(|s| s.words.iter().map(String::as_str).collect())
                    .collect();
                for s in m.tag_document(&sents, &gaz) {
                    tags.extend(s);
                }
            }
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let mut next = tags.iter();
            for line in text.lines() {
                let trimmed = line.trim_end();
                if trimmed.is_empty() {
                    writeln!(out)?;
                } else if trimmed.split_whitespace().next() == Some("-DOCSTART-") {
                    writeln!(out, "{trimmed} O")?;
                } else {
                    let t = next
                        .next()
                        .context("more tokens than tags: the file changed while reading?")?;
                    writeln!(out, "{trimmed} {}", t.as_str())?;
                }
            }
            out.flush()?;
        }
    }
    Ok(())
}
