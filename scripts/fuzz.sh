#!/usr/bin/env bash
# Runs the fuzz campaign recorded in docs/robustness.md: two streams in parallel (one per
# core), each target for its budget in seconds. Needs cargo-fuzz (cargo install cargo-fuzz);
# RUSTC_BOOTSTRAP=1 lets the stable toolchain build the sanitizer instrumentation. Leak
# detection is off: reader threads still finishing when an input is dropped hold their
# thread-local destructor registrations, which LeakSanitizer reports (a false positive).
#
#   scripts/fuzz.sh            # the full budgets (about 50 minutes of wall time)
#   SCALE=0.1 scripts/fuzz.sh  # a tenth of each budget, for a quick check
#   ONLY=readers scripts/fuzz.sh  # only the two 30-minute reader runs
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export RUSTC_BOOTSTRAP=1
scale=${SCALE:-1}
secs() { python3 -c "print(max(1, int($1 * $scale)))"; }
mkdir -p logs corpus
cargo fuzz build -O

run() { # name target budget seed-files...
  local name=$1 target=$2 budget=$3; shift 3
  mkdir -p "corpus/$name" "artifacts/$name"
  for seed in "$@"; do cp -n "$seed" "corpus/$name/" 2>/dev/null || true; done
  nice -n 10 cargo fuzz run -O "$target" "corpus/$name" -- \
    -max_total_time="$(secs "$budget")" -rss_limit_mb=2048 -timeout=20 \
    -detect_leaks=0 -artifact_prefix="artifacts/$name/" -print_final_stats=1 > "logs/$name.log" 2>&1 || true
  echo "$name: $(grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "logs/$name.log" | tr '\n' ' ')"
}

(
  run read_any_text read_any 1800 seeds/read_any/*.csv seeds/read_any/*.json
  if [ "${ONLY:-}" != readers ]; then
    run methods_cell methods_cell 600 seeds/methods_cell/*
    run boolean boolean 600 seeds/boolean/*
  fi
) &
(
  run read_any_workbook read_any 1800 seeds/read_any/*.xlsx seeds/read_any/*.xls seeds/read_any/*.ods
  if [ "${ONLY:-}" != readers ]; then
    run detect detect 600 seeds/detect/*
    run signins_file signins_file 600 seeds/signins_file/*
  fi
) &
wait
ls artifacts/*/ 2>/dev/null | grep -v '^$' || true
