#!/usr/bin/env bash
# Measures mfa-audit against the tools a data-minded admin would reach for, on the same
# generated export, in ONE hyperfine call (so they share the machine's mood), and the peak
# memory of each with /usr/bin/time. The figures in docs/BENCHMARKS.md come from this script.
#
#   scripts/bench.sh            # 1,000,000 users (198 MB), 200,000-user workbook
#   scripts/bench.sh --quick    # 100,000 users, 20,000-user workbook: a smoke run
#
# Installs what is missing, into target/ only: xsv and hyperfine with `cargo install --locked`
# (target/bench-tools), DuckDB and Polars from PyPI in a virtual environment (target/bench-venv).
# Inputs go to ${BENCH_DIR:-/tmp/mfa-bench}; results to $BENCH_DIR/results.md and memory.md.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-/tmp/mfa-bench}
mkdir -p "$dir"
rows=1000000 xrows=200000 runs=5
if [[ ${1:-} == --quick ]]; then rows=100000 xrows=20000 runs=3; fi

tools=$here/target/bench-tools/bin
venv=$here/target/bench-venv
export PATH=$tools:$PATH
if ! command -v xsv >/dev/null; then
  cargo install --locked --root "$here/target/bench-tools" xsv
fi
if ! command -v hyperfine >/dev/null; then
  # hyperfine 2 needs a newer rustc than the project's; 1.19 measures the same way.
  cargo install --locked --root "$here/target/bench-tools" hyperfine --version '~1.19'
fi
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import duckdb, polars' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q duckdb polars
fi
py=$venv/bin/python

# One build for the binary and the examples: building them apart rebuilds the library twice
# (the examples unify features with the dev-dependencies).
(cd "$here" && cargo build --release -q --bins --examples)
bin=$here/target/release/mfa-audit

# Inputs: the PowerShell 5.1 export, and the same users as other encodings and formats.
csv=$dir/users-$rows.csv
[[ -s $csv ]] || python3 "$here/scripts/gen_export.py" --rows "$rows" --seed 1 --out "$csv"
[[ -s $dir/users-$rows.utf16.csv ]] || python3 - "$csv" "$dir/users-$rows.utf16.csv" <<'EOF'
import sys
# Export-Csv -Encoding Unicode: UTF-16 LE with BOM.
text = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
open(sys.argv[2], "w", encoding="utf-16", newline="").write(text)
EOF
[[ -s $dir/users-$rows.1252.csv ]] || python3 - "$csv" "$dir/users-$rows.1252.csv" <<'EOF'
import sys
# Export-Csv -Encoding Default on a Western-European Windows: windows-1252, no BOM; the names
# it cannot hold become "?", as Windows writes them.
text = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
open(sys.argv[2], "w", encoding="cp1252", errors="replace", newline="").write(text)
EOF
[[ -s $dir/users-$rows.json ]] || python3 - "$csv" "$dir/users-$rows.json" <<'EOF'
import csv, json, sys
# ConvertTo-Json of the selected properties: an array of flat objects, strings as exported.
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    next(f)  # #TYPE line
    users = list(csv.DictReader(f))
json.dump(users, open(sys.argv[2], "w", encoding="utf-8"), indent=2, ensure_ascii=False)
EOF
# xsv rejects the `#TYPE` line (one field, then fifteen); it counts the same rows without it.
[[ -s $dir/users-$rows.notype.csv ]] || tail -n +2 "$csv" > "$dir/users-$rows.notype.csv"
xlsx=$dir/users-$xrows.xlsx
[[ -s $xlsx ]] || python3 "$here/scripts/csv_to_xlsx.py" "$csv" "$xlsx" --rows "$xrows"
bare_xlsx=$here/target/release/examples/bare_xlsx
# Sign-ins: the same 5,000 users signing in 100,000 and 200,000 times (Graph JSON).
srows=100000
if [[ ${1:-} == --quick ]]; then srows=10000; fi
for n in $srows $((srows * 2)); do
  [[ -s $dir/signins-$n.json ]] ||
    python3 "$here/scripts/gen_signins.py" --rows "$n" --users 5000 --seed 1 --out "$dir/signins-$n.json"
done

out=$dir/out
mkdir -p "$out"
duck="$py -c \"import duckdb; duckdb.sql(\\\"copy (select UserPrincipalName, StrongAuthenticationMethods from read_csv('$csv', all_varchar=true, skip=1, header=true) where BlockCredential='False') to '$out/duck.csv' (format csv, force_quote *)\\\")\""
polars="$py -c \"import polars as pl; pl.read_csv('$csv', skip_rows=1, infer_schema=False).filter(pl.col('BlockCredential') == 'False').select('UserPrincipalName', 'StrongAuthenticationMethods').write_csv('$out/polars.csv', quote_style='always')\""

hyperfine -w 1 -r "$runs" -N --export-markdown "$dir/results.md" \
  -n "xsv count" "xsv count $dir/users-$rows.notype.csv" \
  -n "mfa-audit audit -o r.csv" "$bin audit $csv -q -o $out/r.csv" \
  -n "mfa-audit list registered" "$bin list registered $csv -q" \
  -n "duckdb filter+project" "$duck" \
  -n "polars filter+project" "$polars"

hyperfine -w 1 -r "$runs" --export-markdown "$dir/results-other.md" \
  -n "stdin" "$bin audit - -q -o $out/r.csv < $csv" \
  -n "UTF-16" "$bin audit $dir/users-$rows.utf16.csv -q -o $out/r.csv" \
  -n "windows-1252" "$bin audit $dir/users-$rows.1252.csv -q -o $out/r.csv --encoding windows-1252" \
  -n "JSON" "$bin audit $dir/users-$rows.json -q -o $out/r.csv" \
  -n "bare_xlsx ($xrows)" "$bare_xlsx $xlsx" \
  -n "XLSX ($xrows)" "$bin audit $xlsx -q -o $out/r.csv" \
  -n "signins ($srows)" "$bin signins $dir/signins-$srows.json -q --json $out/s.json" \
  -n "signins ($((srows * 2)))" "$bin signins $dir/signins-$((srows * 2)).json -q --json $out/s.json"

# Peak memory: one run each.
{
  echo "| command | max RSS |"
  echo "|---|---|"
  mem() {
    local name=$1; shift
    local kb
    /usr/bin/time -o "$out/rss" -f %M sh -c "$* >/dev/null 2>&1"
    kb=$(tail -n 1 "$out/rss")
    echo "| $name | $((kb / 1024)) MB |"
  }
  mem "xsv count" "xsv count $dir/users-$rows.notype.csv"
  mem "mfa-audit audit -o r.csv" "$bin audit $csv -q -o $out/r.csv"
  mem "mfa-audit list registered" "$bin list registered $csv -q"
  mem "duckdb filter+project" "$duck"
  mem "polars filter+project" "$polars"
  mem "mfa-audit, stdin" "$bin audit - -q -o $out/r.csv < $csv"
  mem "mfa-audit, UTF-16" "$bin audit $dir/users-$rows.utf16.csv -q -o $out/r.csv"
  mem "mfa-audit, windows-1252" "$bin audit $dir/users-$rows.1252.csv -q -o $out/r.csv --encoding windows-1252"
  mem "mfa-audit, JSON" "$bin audit $dir/users-$rows.json -q -o $out/r.csv"
  mem "bare_xlsx ($xrows)" "$bare_xlsx $xlsx"
  mem "mfa-audit, XLSX ($xrows)" "$bin audit $xlsx -q -o $out/r.csv"
  mem "signins ($srows)" "$bin signins $dir/signins-$srows.json -q --json $out/s.json"
  mem "signins ($((srows * 2)))" "$bin signins $dir/signins-$((srows * 2)).json -q --json $out/s.json"
} | tee "$dir/memory.md"
cat "$dir/results.md" "$dir/results-other.md"
