#!/usr/bin/env bash
# Load test of filtered partnership queries against loopback: a synthetic 100,000-partnership
# database, the server, and wrk (Debian package) at 1, 16 and 64 concurrent connections.
# Usage: bash scripts/loadtest.sh [PARTNERSHIPS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
secs=${2:-15}
command -v wrk >/dev/null || { echo "wrk not found (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -q -p techties-store --example synth_db
cargo build --release --locked -q
db=target/loadtest.db
[ -f "$db" ] || target/release/examples/synth_db "$db" "$n"
target/release/techties serve --db "$db" --port 18799 > target/loadtest-serve.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q serving target/loadtest-serve.log && break; sleep 0.2; done
for c in 1 16 64; do
  t=$(( c < 2 ? 1 : 2 ))
  printf "%3d connections: " "$c"
  wrk -t"$t" -c"$c" -d"${secs}s" -s scripts/loadtest.lua http://127.0.0.1:18799/ | tail -n 1
done
