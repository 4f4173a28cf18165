#!/usr/bin/env python3
"""The annotated corpus's workbench: checks annotators' drafts, turns them into offset-only files,
writes the article table, validates everything, and scores annotator agreement.

Annotators write *drafts* outside the repository (the evidence as the sentence's text, which is
easy to write and to read); this script turns a draft into the committed form, where `evidence`
and `alt_evidence` are character offsets `{"start": S, "end": E}` into the article body — the
article texts are their publishers' copyright and never enter the repository.

  corpus.py draft-check FILE...                 # annotators: is my draft well-formed?
  corpus.py compare ID [--drafts DIR]           # adjudicators: A and B side by side
  corpus.py to-offsets --drafts DIR --out DIR   # drafts (text evidence) -> committed files
  corpus.py articles                            # corpus/en/articles.tsv (id, chars, sha256)
  corpus.py validate                            # every gold, A and B file; every span; splits
  corpus.py agreement [--split NAME]            # A scored against B and B against A
  corpus.py notes                               # the adjudication notes summarised
  scripts/splits.py                             # corpus/en/splits.tsv by outlet and story

The body of an article is what `shared/eval/score.py` reads: the text after the header lines
(`Title:`, `URL:`, `Date:`, `Outlet:`) and the blank lines that follow them.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared")
DEFAULT_CORPUS = os.path.join(ROOT, "corpus", "en")
DEFAULT_ARTICLES = os.path.join(SHARED, "corpus", "en", "articles")
SCORE = os.path.join(SHARED, "eval", "score.py")

TYPES = ["rd_center", "joint_lab", "joint_venture", "investment", "agreement", "academic", "talent",
         "technology_transfer", "arms_sale", "joint_project", "technopark", "standards", "other"]
DOMAINS = ["telecom", "ai", "big_data", "robotics", "biotech", "semiconductors", "space", "cyber",
           "new_media", "digital_economy", "smart_city", "surveillance", "quantum", "energy",
           "aerospace", "defense", "nuclear", "fintech", "other"]
STATUSES = ["announced", "planned", "signed", "operational", "expanded", "suspended", "denied"]
ORG_KINDS = ["company", "university", "research_institute", "government", "military", "fund",
             "think_tank", "media", "other"]
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def country_codes():
    path = os.path.join(ROOT, "data", "kb", "countries.tsv")
    with open(path, encoding="utf-8") as f:
        return {line.split("\t")[0] for line in f.read().splitlines()[1:] if line.strip()}


COUNTRIES = country_codes()


def read_article(path):
    """(header fields, body) exactly as score.py splits them."""
    meta, body = {}, []
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines) and re.match(r"^(Title|URL|Date|Outlet):", lines[i]):
        key, _, val = lines[i].partition(":")
        meta[key.lower()] = val.strip()
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    return meta, "\n".join(lines[i:])


def article_path(articles, ident):
    return os.path.join(articles, ident + ".txt")


# ---------------------------------------------------------------------------------------------
# shape checks shared by drafts and committed files


def check_shape(g, body_len, errors, evidence_kind):
    """Appends to `errors` every way `g` departs from the gold shape. `evidence_kind` is "text"
    for drafts and "offsets" for committed files."""
    def err(msg):
        errors.append(msg)

    if not isinstance(g, dict):
        err("the file is not a JSON object")
        return
    for key in ("countries", "organizations", "people", "places", "partnerships"):
        if not isinstance(g.get(key), list):
            err(f"'{key}' must be a list")
    for c in g.get("countries") or []:
        if c not in COUNTRIES:
            err(f"countries: unknown code {c!r}")
    for i, o in enumerate(g.get("organizations") or []):
        where = f"organizations[{i}]"
        if not isinstance(o, dict) or not isinstance(o.get("name"), str) or not o.get("name"):
            err(f"{where}: needs a name")
            continue
        if not isinstance(o.get("aliases", []), list):
            err(f"{where}: aliases must be a list")
        if o.get("country") is not None and o.get("country") not in COUNTRIES:
            err(f"{where}: unknown country {o.get('country')!r}")
        if o.get("kind") not in ORG_KINDS:
            err(f"{where}: kind must be one of {', '.join(ORG_KINDS)}")
    for i, p in enumerate(g.get("people") or []):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not p.get("name"):
            err(f"people[{i}]: needs a name")
        elif p.get("country") is not None and p.get("country") not in COUNTRIES:
            err(f"people[{i}]: unknown country {p.get('country')!r}")
    for i, p in enumerate(g.get("places") or []):
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not p.get("name"):
            err(f"places[{i}]: needs a name")
        elif p.get("country") is not None and p.get("country") not in COUNTRIES:
            err(f"places[{i}]: unknown country {p.get('country')!r}")
    for i, p in enumerate(g.get("partnerships") or []):
        where = f"partnerships[{i}]"
        if not isinstance(p, dict):
            err(f"{where}: not an object")
            continue
        if p.get("type") not in TYPES:
            err(f"{where}: type {p.get('type')!r} is not one of the contract's")
        doms = p.get("domains")
        if not isinstance(doms, list) or not doms:
            err(f"{where}: domains must be a non-empty list")
        else:
            for d in doms:
                if d not in DOMAINS:
                    err(f"{where}: domain {d!r} is not one of the contract's")
        cs = p.get("countries")
        if not isinstance(cs, list) or len(set(cs)) < 2:
            err(f"{where}: countries must list at least two different countries")
        else:
            for c in cs:
                if c not in COUNTRIES:
                    err(f"{where}: unknown country {c!r}")
        if not isinstance(p.get("participants"), list) or not p.get("participants"):
            err(f"{where}: participants must be a non-empty list")
        if not isinstance(p.get("places", []), list) or any(
                not isinstance(x, str) for x in p.get("places", [])):
            err(f"{where}: places must be a list of names")
        if p.get("date") is not None and not (isinstance(p["date"], str) and DATE.match(p["date"])):
            err(f"{where}: date must be YYYY, YYYY-MM, YYYY-MM-DD or null")
        if p.get("status") is not None and p.get("status") not in STATUSES:
            err(f"{where}: status must be one of {', '.join(STATUSES)}")
        evs = [("evidence", p.get("evidence"))] + [
            (f"alt_evidence[{k}]", e) for k, e in enumerate(p.get("alt_evidence") or [])]
        if not isinstance(p.get("alt_evidence", []), list):
            err(f"{where}: alt_evidence must be a list")
        for name, ev in evs:
            if evidence_kind == "offsets":
                ok = (isinstance(ev, dict) and isinstance(ev.get("start"), int)
                      and isinstance(ev.get("end"), int) and 0 <= ev["start"] < ev["end"] <= body_len)
                if not ok:
                    err(f"{where}.{name}: must be {{start, end}} inside the body of {body_len} characters, got {ev!r}")
            elif not isinstance(ev, str) or not ev.strip():
                err(f"{where}.{name}: must be the sentence's text")


FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"',
                      "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u2009": " "})


def folded(s):
    """`s` with quotes, dashes and spaces folded and white space runs collapsed, and for each
    character of the result the index of the character of `s` it came from."""
    out, where, space = [], [], False
    for i, c in enumerate(s.translate(FOLD)):
        if c.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        out.append(c)
        where.append(i)
    return "".join(out), where


def locate(body, text):
    """Character offsets of the first occurrence of `text` in `body`: verbatim, else with quotes,
    dashes and white space folded (annotators retype curly quotes), mapped back to the body's
    own characters. None when it is not there."""
    i = body.find(text)
    if i >= 0:
        return (i, i + len(text))
    fb, where = folded(body)
    ft, _ = folded(text.strip())
    j = fb.find(ft) if ft else -1
    if j < 0:
        return None
    return (where[j], where[j + len(ft) - 1] + 1)


def draft_errors(path, articles):
    ident = os.path.basename(path)[:-5]
    art = article_path(articles, ident)
    if not os.path.exists(art):
        return [f"no article {art} for this draft"]
    _, body = read_article(art)
    try:
        with open(path, encoding="utf-8") as f:
            g = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        return [f"not valid JSON: {e}"]
    errors = []
    check_shape(g, len(body), errors, "text")
    if errors:
        return errors
    for i, p in enumerate(g["partnerships"]):
        for name, ev in [("evidence", p["evidence"])] + [
                (f"alt_evidence[{k}]", e) for k, e in enumerate(p.get("alt_evidence") or [])]:
            if locate(body, ev) is None:
                errors.append(f"partnerships[{i}].{name} is not in the article body (copy it exactly): {ev[:70]!r}…")
    return errors


def cmd_draft_check(args):
    bad = 0
    for path in args.files:
        errs = draft_errors(path, args.articles)
        if errs:
            bad += 1
            print(f"{path}: {len(errs)} problem(s)")
            for e in errs:
                print("   ", e)
        else:
            print(f"{path}: ok")
    sys.exit(1 if bad else 0)


def to_offsets(draft, body):
    """The committed form of a draft: evidence as offsets, keys in a fixed order."""
    out = {"id": draft.get("id"), "countries": draft["countries"],
           "organizations": [{"name": o["name"], "aliases": list(o.get("aliases") or []),
                              "country": o.get("country"), "kind": o["kind"]}
                             for o in draft["organizations"]],
           "people": [{"name": p["name"], "role": p.get("role"), "country": p.get("country")}
                      for p in draft["people"]],
           "places": [{"name": p["name"], "country": p.get("country")} for p in draft["places"]],
           "partnerships": []}
    for p in draft["partnerships"]:
        def off(t):
            s, e = locate(body, t)
            return {"start": s, "end": e}
        q = {"participants": p["participants"], "countries": p["countries"], "type": p["type"],
             "domains": p["domains"], "places": list(p.get("places") or []), "date": p.get("date"),
             "status": p.get("status"), "evidence": off(p["evidence"])}
        alts = []
        for a in p.get("alt_evidence") or []:
            o = off(a)
            if o != q["evidence"] and o not in alts:
                alts.append(o)
        if alts:
            q["alt_evidence"] = alts
        out["partnerships"].append(q)
    return out


def cmd_to_offsets(args):
    os.makedirs(args.out, exist_ok=True)
    bad = 0
    names = sorted(n for n in os.listdir(args.drafts) if re.match(r"^\d{4}\.json$", n))
    for name in names:
        path = os.path.join(args.drafts, name)
        errs = draft_errors(path, args.articles)
        if errs:
            bad += 1
            print(f"{path}: {errs[0]}", file=sys.stderr)
            continue
        ident = name[:-5]
        _, body = read_article(article_path(args.articles, ident))
        with open(path, encoding="utf-8") as f:
            draft = json.load(f)
        draft["id"] = ident
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            json.dump(to_offsets(draft, body), f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(f"{len(names) - bad} of {len(names)} drafts written to {args.out}")
    sys.exit(1 if bad else 0)


def from_offsets(gold, body):
    """A committed file with its evidence turned back into text (for reading, never committed)."""
    g = json.loads(json.dumps(gold))
    for p in g["partnerships"]:
        p["evidence"] = body[p["evidence"]["start"]:p["evidence"]["end"]]
        p["alt_evidence"] = [body[a["start"]:a["end"]] for a in p.get("alt_evidence", [])]
    return g


def cmd_show(args):
    _, body = read_article(article_path(args.articles, args.id))
    for who in args.who:
        path = os.path.join(args.corpus, who, args.id + ".json")
        with open(path, encoding="utf-8") as f:
            print(f"== {who}")
            print(json.dumps(from_offsets(json.load(f), body), ensure_ascii=False, indent=1))


def load_draft(folder, ident, body):
    """A draft with every partnership's spans located (evidence first)."""
    with open(os.path.join(folder, ident + ".json"), encoding="utf-8") as f:
        g = json.load(f)
    for p in g["partnerships"]:
        p["_spans"] = [s for s in (locate(body, t) for t in [p["evidence"]] + list(p.get("alt_evidence") or []))
                       if s is not None]
    return g


def align(pa, pb):
    """Pairs of partnership indices (a, b) stating the same fact by evidence overlap and shared
    countries, best overlap first, one to one; then the unpaired of each side."""
    cands = []
    for i, x in enumerate(pa):
        for j, y in enumerate(pb):
            if len(set(x["countries"]) & set(y["countries"])) < 2:
                continue
            best = 0.0
            for s in x["_spans"]:
                for t in y["_spans"]:
                    ov = max(0, min(s[1], t[1]) - max(s[0], t[0]))
                    best = max(best, ov / max(1, min(s[1] - s[0], t[1] - t[0])))
            # the same evidence sentence for both ranks first; type agreement breaks ties
            same_ev = x["_spans"][:1] == y["_spans"][:1]
            if best > 0:
                cands.append((same_ev, best, x["type"] == y["type"], i, j))
    cands.sort(reverse=True)
    used_a, used_b, pairs = set(), set(), []
    for _, _, _, i, j in cands:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    return sorted(pairs), [i for i in range(len(pa)) if i not in used_a], \
        [j for j in range(len(pb)) if j not in used_b]


def cmd_compare(args):
    """A and B side by side for an adjudicator: the partnerships paired by evidence, what differs
    in each pair, what only one of them has, and the entity lists' differences."""
    _, body = read_article(article_path(args.articles, args.id))
    a = load_draft(os.path.join(args.drafts, "A"), args.id, body)
    b = load_draft(os.path.join(args.drafts, "B"), args.id, body)

    def brief(p):
        return (f"{p['type']} {'/'.join(p['countries'])} [{', '.join(p['domains'])}] parties={p['participants']}"
                f" date={p.get('date')} status={p.get('status')} places={p.get('places') or []}")

    def ev(p):
        return "; ".join(f"{s[0]}-{s[1]}" for s in p["_spans"])

    pairs, only_a, only_b = align(a["partnerships"], b["partnerships"])
    print(f"article {args.id}: A has {len(a['partnerships'])} partnerships, B has {len(b['partnerships'])}; "
          f"{len(pairs)} paired by evidence")
    for i, j in pairs:
        x, y = a["partnerships"][i], b["partnerships"][j]
        diffs = [k for k in ("type", "domains", "countries", "participants", "date", "status", "places")
                 if (sorted(x.get(k) or []) if isinstance(x.get(k), list) else x.get(k))
                 != (sorted(y.get(k) or []) if isinstance(y.get(k), list) else y.get(k))]
        if x["_spans"][:1] != y["_spans"][:1]:
            diffs.append("evidence")
        if sorted(x["_spans"][1:]) != sorted(y["_spans"][1:]):
            diffs.append("alt_evidence")
        print(f"\n= A{i} ~ B{j}: {'same' if not diffs else 'differ in ' + ', '.join(diffs)}")
        print(f"  A{i}: {brief(x)}\n       evidence at {ev(x)}\n       {x['evidence'][:160]}")
        print(f"  B{j}: {brief(y)}\n       evidence at {ev(y)}\n       {y['evidence'][:160]}")
    for side, idx, g in (("A", only_a, a), ("B", only_b, b)):
        for i in idx:
            p = g["partnerships"][i]
            print(f"\n+ only {side}{i}: {brief(p)}\n       evidence at {ev(p)}\n       {p['evidence'][:160]}")
    print()
    ca, cb = set(a["countries"]), set(b["countries"])
    if ca != cb:
        print(f"countries: A only {sorted(ca - cb)}, B only {sorted(cb - ca)}")
    for key, fields in (("organizations", ("country", "kind")), ("people", ("country",)), ("places", ("country",))):
        na = {x["name"]: x for x in a[key]}
        nb = {x["name"]: x for x in b[key]}
        if set(na) != set(nb):
            print(f"{key}: A only {sorted(set(na) - set(nb))}; B only {sorted(set(nb) - set(na))}")
        for n in sorted(set(na) & set(nb)):
            d = [f"{f} A={na[n].get(f)} B={nb[n].get(f)}" for f in fields if na[n].get(f) != nb[n].get(f)]
            if d:
                print(f"{key} {n!r}: {'; '.join(d)}")


# ---------------------------------------------------------------------------------------------
# the committed corpus


def cmd_articles(args):
    rows = []
    for name in sorted(os.listdir(args.articles)):
        if not name.endswith(".txt"):
            continue
        meta, body = read_article(os.path.join(args.articles, name))
        rows.append((name[:-4], len(body), hashlib.sha256(body.encode("utf-8")).hexdigest(),
                     meta.get("outlet", ""), meta.get("date", "")))
    path = os.path.join(args.corpus, "articles.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id\tchars\tsha256\toutlet\tdate\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    print(f"{len(rows)} articles in {path}")


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    head = lines[0]
    return [dict(zip(head, row)) for row in lines[1:]]


def quoted(body, note, n=8, names=()):
    """A run of `n` or more words of the article body that the note repeats, or None: notes are
    published, article sentences are not ours to publish. Runs inside one of `names` (the
    organisations, people and places the annotations list) are names, not quotes."""
    text = " ".join(re.findall(r"\w+", note.lower()))
    for name in sorted(names, key=len, reverse=True):
        nw = " ".join(re.findall(r"\w+", name.lower()))
        if len(nw.split()) > 1:
            text = text.replace(nw, "#")
    words = text.split()
    if len(words) < n:
        return None
    grams = {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}
    bw = re.findall(r"\w+", body.lower())
    for i in range(len(bw) - n + 1):
        g = " ".join(bw[i:i + n])
        if g in grams:
            return g
    return None


def cmd_validate(args):
    table = {r["id"]: r for r in read_tsv(os.path.join(args.corpus, "articles.tsv"))}
    have_texts = os.path.isdir(args.articles)
    problems, files = [], 0
    for who in ("gold", "A", "B"):
        folder = os.path.join(args.corpus, who)
        if not os.path.isdir(folder):
            problems.append(f"{folder}: missing")
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".json"):
                continue
            files += 1
            path = os.path.join(folder, name)
            ident = name[:-5]
            if ident not in table:
                problems.append(f"{path}: id {ident} is not in articles.tsv")
                continue
            try:
                with open(path, encoding="utf-8") as f:
                    g = json.load(f)
            except (OSError, json.JSONDecodeError) as e:
                problems.append(f"{path}: {e}")
                continue
            errs = []
            check_shape(g, int(table[ident]["chars"]), errs, "offsets")
            problems.extend(f"{path}: {e}" for e in errs)
    if have_texts:
        for ident, row in table.items():
            _, body = read_article(article_path(args.articles, ident))
            sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
            if len(body) != int(row["chars"]) or sha != row["sha256"]:
                problems.append(f"article {ident}: its text changed since articles.tsv was written")
    notes_dir = os.path.join(args.corpus, "notes")
    if have_texts and os.path.isdir(notes_dir):
        for name in sorted(os.listdir(notes_dir)):
            if not name.endswith(".json"):
                continue
            path = os.path.join(notes_dir, name)
            try:
                with open(path, encoding="utf-8") as f:
                    notes = json.load(f)
            except (OSError, json.JSONDecodeError) as e:
                problems.append(f"{path}: {e}")
                continue
            _, body = read_article(article_path(args.articles, name[:-5]))
            names = []
            for who in ("gold", "A", "B"):
                ap = os.path.join(args.corpus, who, name)
                if os.path.exists(ap):
                    with open(ap, encoding="utf-8") as f:
                        g = json.load(f)
                    for o in g.get("organizations", []):
                        names += [o["name"]] + list(o.get("aliases") or [])
                    names += [x["name"] for x in g.get("people", []) + g.get("places", [])]
            for x in notes:
                for field in ("a", "b", "decision"):
                    q = quoted(body, str(x.get(field, "")), names=names)
                    if q:
                        problems.append(f"{path}: '{field}' quotes the article: {q!r}")
    splits = os.path.join(args.corpus, "splits.tsv")
    if os.path.exists(splits):
        for r in read_tsv(splits):
            if r["id"] not in table:
                problems.append(f"{splits}: id {r['id']} is not in articles.tsv")
            if r["split"] not in ("train", "dev", "test"):
                problems.append(f"{splits}: {r['id']} has split {r['split']!r}")
    for p in problems:
        print(p)
    print(f"{files} files checked against {len(table)} articles"
          f"{' and their texts' if have_texts else ''}: {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


# ---------------------------------------------------------------------------------------------
# agreement: one annotator's file as a prediction, scored by score.py against the other's


def as_prediction(ident, g, body):
    """An annotation in the shape `techties extract` prints, so score.py can score it."""
    ents = [{"id": f"c{c}", "name": c, "kind": "country", "country": c, "linked": True,
             "mentions": []} for c in g["countries"]]
    for o in g["organizations"]:
        ents.append({"id": "o", "name": o["name"], "kind": "organization", "country": o.get("country"),
                     "linked": False,
                     "mentions": [{"start": 0, "end": 1, "text": a} for a in o.get("aliases", [])]})
    for p in g["people"]:
        ents.append({"id": "p", "name": p["name"], "kind": "person", "country": p.get("country"),
                     "linked": False, "mentions": []})
    for p in g["places"]:
        ents.append({"id": "l", "name": p["name"], "kind": "place", "country": p.get("country"),
                     "lat": 0.0, "lon": 0.0, "linked": False, "mentions": []})
    parts = []
    for p in g["partnerships"]:
        s, e = p["evidence"]["start"], p["evidence"]["end"]
        parts.append({"type": p["type"], "domains": p["domains"], "countries": p["countries"],
                      "participants": [{"entity": None, "name": x, "country": None}
                                       for x in p["participants"]],
                      "places": [{"name": x} for x in p.get("places", [])], "date": p.get("date"),
                      "evidence": {"text": body[s:e], "start": s, "end": e}, "confidence": 1.0})
    return {"doc": {"id": ident, "source": "eval://" + ident, "title": None, "date": None,
                    "lang": "en", "chars": len(body)}, "entities": ents, "partnerships": parts}


def score_pair(corpus, articles, pred_who, gold_who, ids):
    """score.py's figures for `pred_who`'s files scored against `gold_who`'s, over `ids`."""
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "gold"))
        preds = []
        for ident in ids:
            gp = os.path.join(corpus, gold_who, ident + ".json")
            pp = os.path.join(corpus, pred_who, ident + ".json")
            if not (os.path.exists(gp) and os.path.exists(pp)):
                continue
            with open(gp, encoding="utf-8") as f:
                gold = json.load(f)
            with open(os.path.join(tmp, "gold", ident + ".json"), "w", encoding="utf-8") as f:
                json.dump(gold, f)
            _, body = read_article(article_path(articles, ident))
            with open(pp, encoding="utf-8") as f:
                preds.append(as_prediction(ident, json.load(f), body))
        if not preds:
            return None
        pred = os.path.join(tmp, "pred.jsonl")
        with open(pred, "w", encoding="utf-8") as f:
            for p in preds:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        out = os.path.join(tmp, "fig.json")
        subprocess.run([sys.executable, SCORE, "--corpus", tmp, "--articles", articles, "--pred", pred,
                        "--json", out], check=True, capture_output=True)
        with open(out, encoding="utf-8") as f:
            fig = json.load(f)
        fig["n"] = len(preds)
        return fig


def cmd_agreement(args):
    splits = {}
    path = os.path.join(args.corpus, "splits.tsv")
    if os.path.exists(path):
        splits = {r["id"]: r["split"] for r in read_tsv(path)}
    table = [r["id"] for r in read_tsv(os.path.join(args.corpus, "articles.tsv"))]
    groups = [("all", table)]
    for name in ("train", "dev", "test"):
        ids = [i for i in table if splits.get(i) == name]
        if ids:
            groups.append((name, ids))
    if args.split:
        groups = [g for g in groups if g[0] == args.split]
    rows = []
    for name, ids in groups:
        for pred_who, gold_who in (("A", "B"), ("B", "A"), ("A", "gold"), ("B", "gold")):
            fig = score_pair(args.corpus, args.articles, pred_who, gold_who, ids)
            if fig is None:
                continue
            p = fig["partnership"]
            rows.append((name, f"{pred_who} vs {gold_who}", fig["n"], p["gold"], p["pred"], p["f1"],
                         p["strict_f1"], p["type_acc"], fig["org_recall"], fig["org_precision"],
                         fig["org_country_acc"], fig["country"]["f1"]))
    print("| split | scored | articles | gold | pred | detection F1 | strict F1 | type on matches "
          "| org recall | org precision | org country | countries F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(f"{x:.3f}" if isinstance(x, float) else str(x) for x in r) + " |")


def cmd_notes(args):
    """The adjudication notes summarised: decisions by category, by which annotator gold sided
    with, and every decision marked undecided (for CORPUS.md)."""
    folder = os.path.join(args.corpus, "notes")
    by_cat, undecided, n_files, n = {}, [], 0, 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        n_files += 1
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            notes = json.load(f)
        for x in notes:
            n += 1
            by_cat[x.get("category")] = by_cat.get(x.get("category"), 0) + 1
            if str(x.get("rule", "")).strip().lower() == "undecided":
                undecided.append((name[:-5], x.get("category"), x.get("decision")))
    print(f"{n} decisions in {n_files} notes files")
    for c, k in sorted(by_cat.items(), key=lambda kv: -kv[1]):
        print(f"  {c:14} {k}")
    print(f"\n{len(undecided)} marked undecided:")
    for ident, cat, dec in undecided:
        print(f"  {ident} [{cat}] {dec}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--articles", default=DEFAULT_ARTICLES)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("draft-check")
    p.add_argument("files", nargs="+")
    p.set_defaults(fn=cmd_draft_check)
    p = sub.add_parser("to-offsets")
    p.add_argument("--drafts", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_to_offsets)
    p = sub.add_parser("compare")
    p.add_argument("id")
    p.add_argument("--drafts", default="/work/annot")
    p.set_defaults(fn=cmd_compare)
    p = sub.add_parser("show")
    p.add_argument("id")
    p.add_argument("who", nargs="+")
    p.set_defaults(fn=cmd_show)
    sub.add_parser("articles").set_defaults(fn=cmd_articles)
    sub.add_parser("notes").set_defaults(fn=cmd_notes)
    sub.add_parser("validate").set_defaults(fn=cmd_validate)
    p = sub.add_parser("agreement")
    p.add_argument("--split")
    p.set_defaults(fn=cmd_agreement)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
