#!/usr/bin/env python3
"""Splits the corpus into train / dev / test by outlet and story, deterministically.

An outlet is the original publisher: a mirror, repost or syndicated copy belongs to the outlet it
copies ("UrduPoint / Sputnik" is Sputnik, "WHBL (Reuters)" is Reuters, a page whose body credits
Reuters is Reuters). A story is one reported event: articles whose texts are alike (TF-IDF cosine
of their words ≥ 0.25) or whose gold shares a fact (the same type between the same named
organisations) are one story. Outlets and stories are joined into groups (connected components); a group never
straddles two splits. Groups are then dealt to the splits, largest first, each to the split
furthest below its share of gold partnerships (60/20/20), ties broken by a hash of the group's
ids, so the same inputs always give the same splits.

  splits.py [--corpus corpus/en] [--articles ../shared/corpus/en/articles]

Writes CORPUS/splits.tsv (id, split, outlet, group) and prints the share of each split.
"""
import argparse
import collections
import hashlib
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import DEFAULT_ARTICLES, DEFAULT_CORPUS, read_article, read_tsv  # noqa: E402

SHARES = {"train": 0.6, "dev": 0.2, "test": 0.2}

# outlets that are one publisher under another name (editions, apps, newsletters, wire desks)
SAME_PUBLISHER = {
    "Reuters India": "Reuters",
    "Sputnik Globe": "Sputnik",
    "China Daily Europe": "China Daily",
    "China Daily Hong Kong": "China Daily",
    "People's Daily app": "People's Daily",
    "People's Daily Online": "People's Daily",
    "Rosatom Newsletter": "Rosatom",
    "Jilin University School of Mathematics": "Jilin University",
    "ITAR-TASS": "TASS",
    "Kremlin release": "Kremlin",
    "Kremlin transcript": "Kremlin",
    "Xinhua translation": "Xinhua",
    "Sina English": "Sina",
    "Newsweek repost": "Newsweek",
    "SpaceNews repost": "SpaceNews",
    "Reuters repost": "Reuters",
    "Defense One excerpt": "Defense One",
    "Ars Technica excerpt": "Ars Technica",
    "WSJ excerpt": "Wall Street Journal",
    "Intercepts blog": "Defense News",
}
# parentheticals that describe the copy, not its source
NOT_A_SOURCE = {"mirror", "snapshot copy", "repost"}
# agency credits in the first or last lines of a body
CREDIT = re.compile(
    r"\((Reuters|AFP|AP|Xinhua|TASS|Sputnik|PTI|IANS|Bloomberg|Interfax|Yonhap|UPI|Kyodo)\)"
    r"|\bBy (Reuters|AFP|Bloomberg|Xinhua|TASS|Sputnik)\b")


def publisher(outlet, body):
    """The original publisher of an article, from its `Outlet:` header and its body's credit."""
    o = (outlet or "").strip()
    m = re.match(r"^(.*?)\s*\((.*)\)$", o)
    if m:
        outer, inner = m.group(1).strip(), m.group(2).strip()
        if inner.startswith("via ") or inner in NOT_A_SOURCE or inner.endswith(" edition") \
                or re.match(r"^[\w.-]+\.[a-z]{2,}$", inner):
            # carried through a site, a copy, an edition, the outlet's own host name
            o = outer
        elif inner.startswith("European Commission press release"):
            o = "European Commission"
        else:
            inner = re.sub(r"^repost of\s+", "", inner)
            o = SAME_PUBLISHER.get(inner, inner)
    if " / " in o:
        o = o.split(" / ")[-1].strip()
    o = SAME_PUBLISHER.get(o, o)
    credit = CREDIT.search(body[:400] + "\n" + body[-300:])
    if credit:
        agency = next(g for g in credit.groups() if g)
        if agency not in o:
            o = agency
    return o


STOP = set("the a an and or of to in on for with by at from as is are was were be been that this it its their "
           "has have had will would which who also said says not but".split())


def similar_pairs(bodies, threshold):
    """Pairs of ids whose TF-IDF cosine (words of 3+ letters, stop words out) reaches `threshold`."""
    tf, df = {}, collections.Counter()
    for k, text in bodies.items():
        words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP and len(w) > 2]
        c = collections.Counter(words)
        tf[k] = c
        df.update(c.keys())
    n = len(bodies)
    vec = {}
    for k, c in tf.items():
        v = {w: (1 + math.log(x)) * math.log(n / df[w]) for w, x in c.items()}
        z = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vec[k] = {w: x / z for w, x in v.items()}
    ks = sorted(vec)
    out = []
    for i, a in enumerate(ks):
        for b in ks[i + 1:]:
            va, vb = vec[a], vec[b]
            if len(va) > len(vb):
                va, vb = vb, va
            if sum(x * vb.get(w, 0.0) for w, x in va.items()) >= threshold:
                out.append((a, b))
    return out


def norm_name(s):
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def fact_keys(gold):
    """Keys of the facts a gold file states between named organisations: the type and the
    organisations named as its parties (two at least). Two articles sharing one report the same
    deal. (Countries alone, or one organisation, would join every Huawei-in-Russia story into
    one group: that is a topic, not a story.)"""
    orgs = set()
    for o in gold.get("organizations", []):
        orgs.add(norm_name(o["name"]))
        orgs.update(norm_name(a) for a in o.get("aliases") or [])
    keys = set()
    for p in gold.get("partnerships", []):
        named = sorted({norm_name(x) for x in p.get("participants", []) if norm_name(x) in orgs})
        if len(named) >= 2:
            keys.add((p["type"], tuple(named)))
    return keys


class Groups:
    def __init__(self, ids):
        self.parent = {i: i for i in ids}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--articles", default=DEFAULT_ARTICLES)
    ap.add_argument("--threshold", type=float, default=0.25)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()

    rows = read_tsv(os.path.join(args.corpus, "articles.tsv"))
    ids = [r["id"] for r in rows]
    bodies, pubs, golds = {}, {}, {}
    for r in rows:
        meta, body = read_article(os.path.join(args.articles, r["id"] + ".txt"))
        bodies[r["id"]] = (meta.get("title") or "") + "\n" + body
        pubs[r["id"]] = publisher(meta.get("outlet"), body)
        gp = os.path.join(args.corpus, "gold", r["id"] + ".json")
        if os.path.exists(gp):
            with open(gp, encoding="utf-8") as f:
                golds[r["id"]] = json.load(f)
    groups = Groups(ids)
    by_pub = collections.defaultdict(list)
    for i in ids:
        by_pub[pubs[i]].append(i)
    for members in by_pub.values():
        for m in members[1:]:
            groups.join(members[0], m)
    for a, b in similar_pairs(bodies, args.threshold):
        groups.join(a, b)
    by_fact = collections.defaultdict(list)
    for i, g in golds.items():
        for k in fact_keys(g):
            by_fact[k].append(i)
    for members in by_fact.values():
        for m in members[1:]:
            groups.join(members[0], m)

    comps = collections.defaultdict(list)
    for i in ids:
        comps[groups.find(i)].append(i)
    weight = {i: max(1, len(golds.get(i, {}).get("partnerships", []))) for i in ids}
    total = sum(weight.values())
    order = sorted(comps.values(),
                   key=lambda m: (-sum(weight[i] for i in m),
                                  hashlib.sha256(",".join(m).encode()).hexdigest()))
    have = {s: 0 for s in SHARES}
    split_of = {}
    for members in order:
        w = sum(weight[i] for i in members)
        # the split furthest below its share, after taking this group
        s = min(SHARES, key=lambda x: ((have[x] + w) / (SHARES[x] * total), list(SHARES).index(x)))
        have[s] += w
        for i in members:
            split_of[i] = s
    sizes = sorted((len(m) for m in comps.values()), reverse=True)
    print(f"{len(comps)} groups (largest {sizes[:8]}), {len(by_pub)} outlets")
    for s in SHARES:
        n_art = sum(1 for i in ids if split_of[i] == s)
        n_part = sum(len(golds.get(i, {}).get("partnerships", [])) for i in ids if split_of[i] == s)
        print(f"  {s:5}  {n_art:3} articles  {n_part:4} gold partnerships  weight {have[s] / total:.2f}")
    if args.dry_run:
        return
    path = os.path.join(args.corpus, "splits.tsv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("id\tsplit\toutlet\tgroup\n")
        for i in ids:
            f.write(f"{i}\t{split_of[i]}\t{pubs[i]}\t{groups.find(i)}\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
