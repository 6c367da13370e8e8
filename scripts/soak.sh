#!/usr/bin/env bash
# Run the test suite N times (default 20) and print every failure with its test name, so a flaky
# test is found by a command, not by luck. Odd runs keep the usual order; even runs shuffle it
# (pytest-randomly, with the seed printed) to catch tests that depend on order or on the worker.
#   ./scripts/soak.sh 20              # 20 runs
#   SOAK_HOG=1 ./scripts/soak.sh 10   # the same beside a CPU hog on every core
# Extra arguments after N go to pytest (e.g. -m "not http").
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
shift || true
source scripts/_venv.sh
logdir="$(mktemp -d "${TMPDIR:-/tmp}/boardbot-soak.XXXXXX")"
hogs=()
if [ "${SOAK_HOG:-0}" = "1" ]; then
  for _ in $(seq "$(nproc)"); do
    .venv/bin/python -c 'while True: pass' &
    hogs+=($!)
  done
  trap 'kill "${hogs[@]}" 2>/dev/null' EXIT
fi
failed_runs=0
for run in $(seq "$runs"); do
  order=(-p no:randomly)
  if [ $((run % 2)) -eq 0 ]; then
    order=(-p randomly --randomly-seed="$((RANDOM * 32768 + RANDOM))")
  fi
  log="$logdir/run-$run.log"
  started=$(date +%s)
  .venv/bin/python -m pytest -q -n 2 -rfE "${order[@]}" "$@" >"$log" 2>&1
  status=$?
  took=$(( $(date +%s) - started ))
  summary=$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed).* =+$' "$log" | tail -n 1)
  echo "run $run/$runs (${order[*]}): exit $status in ${took}s — ${summary:-no summary}"
  if [ "$status" -ne 0 ]; then
    failed_runs=$((failed_runs + 1))
    grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/    /'
  fi
done
echo "soak: $failed_runs of $runs runs failed; logs in $logdir"
[ "$failed_runs" -eq 0 ]
