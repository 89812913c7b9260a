#!/usr/bin/env bash
# Regenerates docs/report.png, the HTML report of the shipped sample as the README shows it.
# Needs chromium (Debian: apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --quiet --release -- audit samples/msonline-ps51.csv -q -o "$tmp/r.csv" \
  --html "$tmp/report.html" --fail-under 60 --require '^admin@'
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --hide-scrollbars --user-data-dir="$tmp/profile" --window-size=1200,1500 \
  --screenshot="$PWD/docs/report.png" "file://$tmp/report.html" 2>/dev/null
echo "wrote docs/report.png"
