#!/usr/bin/env bash
# Load test of filtered partnership queries against loopback: a synthetic 100,000-partnership
# database, the server, and wrk (Debian package) at 1, 16 and 64 concurrent connections.
#   bash scripts/loadtest.sh [PARTNERSHIPS] [SECONDS]
# With LOAD_DURING_INGEST=1, an ingest of a generated corpus writes into the same database
# the whole time (the corpus: LOAD_CORPUS, default target/loadtest-corpus, 100,000 articles),
# and its throughput is printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
secs=${2:-15}
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -q -p techties-store --example synth_db
cargo build --release --locked -q
db=target/loadtest.db
[ -f "$db" ] || target/release/examples/synth_db "$db" "$n"
ingest_pid=
if [ "${LOAD_DURING_INGEST:-0}" = 1 ]; then
  corpus=${LOAD_CORPUS:-target/loadtest-corpus}
  [ -d "$corpus" ] || python3 scripts/gen_corpus.py --out "$corpus" --count 100000 >/dev/null
  # a copy, so that every run starts from the same 100,000 partnerships
  rm -f target/loadtest-ingest.db*
  cp "$db" target/loadtest-ingest.db
  db=target/loadtest-ingest.db
  /usr/bin/time -f "ingest during the load test: %e s, peak %M KB" \
    target/release/techties ingest "$corpus" --db "$db" > target/loadtest-ingest.log 2>&1 &
  ingest_pid=$!
  sleep 3
fi
target/release/techties serve --db "$db" --port 18799 > target/loadtest-serve.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; [ -n "$ingest_pid" ] && kill $ingest_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q serving target/loadtest-serve.log && break; sleep 0.2; done
for c in 1 16 64; do
  t=$(( c < 2 ? 1 : 2 ))
  printf "%3d connections: " "$c"
  wrk -t"$t" -c"$c" -d"${secs}s" -s scripts/loadtest.lua http://127.0.0.1:18799/ | grep -E "^requests|non-200|error"
done
if [ -n "$ingest_pid" ]; then
  if kill -0 "$ingest_pid" 2>/dev/null; then
    echo "the ingest ran through the whole load test; waiting for it to finish"
    wait "$ingest_pid" || true
  else
    echo "WARNING: the ingest finished before the load test did: these figures are partly without it"
  fi
  grep -E "added|ingest during" target/loadtest-ingest.log | tail -n 2 || true
  target/release/techties db-check --db "$db"
fi
