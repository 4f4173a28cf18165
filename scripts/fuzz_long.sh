#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS (default 600) one after another on one core and
# prints a table of time, executions and coverage for SECURITY.md.
#   bash scripts/fuzz_long.sh [SECONDS] [TARGET...]
# Needs a nightly toolchain and cargo-fuzz. Seeds: fuzz/corpus/<target>; PDF seeds come from
# scripts/pdf_seeds.py. Crash inputs land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(html pdf feed jsonl text pipeline screen_list)
mkdir -p target/fuzz-logs fuzz/corpus/pdf
python3 scripts/pdf_seeds.py fuzz/corpus/pdf
(cd fuzz && cargo +nightly fuzz build -O)
echo "| Target | Time | Executions | Coverage (edges) | Outcome |"
echo "|---|---|---|---|---|"
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  log="target/fuzz-logs/$t.log"
  status=0
  (cd fuzz && cargo +nightly fuzz run -O "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 \
     -timeout=20 -print_final_stats=1) > "$log" 2>&1 || status=$?
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  [ -z "$execs" ] && execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || true)
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1 || true)
  outcome="no crash, hang or out-of-memory"
  [ "$status" -ne 0 ] && outcome="FAILED (exit $status): see $log and fuzz/artifacts/$t"
  echo "| $t | ${took:-?} s | ${execs:-?} | ${cov:-?} | $outcome |"
done
