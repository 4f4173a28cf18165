#!/usr/bin/env bash
# Screening benchmark: 1,000 names against a synthetic 100,000-partnership database.
# The list mixes stored names as written, stored names with a letter swapped (misspellings),
# knowledge-base names in other scripts, and names nobody knows.
# Usage: bash scripts/screen_bench.sh [PARTNERSHIPS] [NAMES]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
names=${2:-1000}
cargo build --release --locked -q -p techties-store --example synth_db
cargo build --release --locked -q
db=target/screenbench.db
[ -f "$db" ] || target/release/examples/synth_db "$db" "$n"
list=target/screenbench-list.csv
python3 - "$db" "$names" "$list" <<'PY'
import csv, random, sqlite3, sys
db, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(7)
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
orgs = [r[0] for r in con.execute("SELECT name FROM entities WHERE kind = 'organization'")]
kb = ["华为技术有限公司", "Сколтех", "Harbin Institute of Technolgy", "Moscow State University",
      "Rostec", "Tsinghua University", "Huawei Technologies Co., Ltd."]
def typo(s):
    i = random.randrange(1, max(2, len(s) - 1))
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:] if len(s) > 3 else s
rows = []
for i in range(n):
    k = i % 10
    if k < 6:
        rows.append(random.choice(orgs))
    elif k < 8:
        rows.append(typo(random.choice(orgs)))
    elif k < 9:
        rows.append(random.choice(kb))
    else:
        rows.append(f"Unlisted Widget Works {i} Ltd")
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name"])
    for r in rows:
        w.writerow([r])
PY
# a risk list of twenty stored organisations, so that paths are searched and found
python3 - "$db" target/screenbench-risk.csv <<'PY'
import csv, sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
names = [r[0] for r in con.execute(
    "SELECT name FROM entities WHERE kind = 'organization' ORDER BY id LIMIT 20 OFFSET 100")]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "reason"])
    for n in names:
        w.writerow([n, "synthetic listing for the benchmark"])
PY
target/release/techties lists import target/screenbench-risk.csv --name bench --db "$db"
/usr/bin/time -f "%e s wall, %M KB peak" target/release/techties screen "$list" --db "$db" --format json --out target/screenbench.json
