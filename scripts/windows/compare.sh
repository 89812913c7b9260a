#!/usr/bin/env bash
# Runs the Windows build of mfa-audit under Wine on every case scripts/output_snapshot.sh runs
# (the README's sessions and every shipped sample) and compares every output file, standard
# output, standard error and exit code byte for byte with the Linux build's.
#
#   scripts/windows/compare.sh [PROFILE]     # PROFILE: debug (default) or release
#
# Needs: the x86_64-pc-windows-gnu target (rustup), Debian's gcc-mingw-w64-x86-64 and wine
# (.ci/run installs them). The Wine prefix is made by prefix.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here"
profile=${1:-debug}
flag=()
[ "$profile" = release ] && flag=(--release)

echo "-- building Linux and Windows binaries ($profile)"
cargo build --locked --quiet "${flag[@]}"
cargo build --locked --quiet "${flag[@]}" --target x86_64-pc-windows-gnu
linux_bin=$here/target/$profile/mfa-audit
windows_bin=$here/target/x86_64-pc-windows-gnu/$profile/mfa-audit.exe

. scripts/windows/prefix.sh
work=$(mktemp -d)
trap 'wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT

hold=$here/target/wine-prefix/hold.exe
if [ ! -f "$hold" ] || [ scripts/windows/hold.c -nt "$hold" ]; then
  x86_64-w64-mingw32-gcc -O2 -o "$hold" scripts/windows/hold.c
fi

# The program must start and answer before the cases mean anything.
if ! version=$(wine "$windows_bin" --version 2>&1); then
  echo "FAILED: the Windows build does not start under Wine: $version" >&2
  exit 1
fi
echo "-- $version under $(wine --version 2>/dev/null)"

# output_snapshot.sh runs one program: for Windows, Wine with the .exe (scripts/windows/wine-run.sh,
# which runs it again when Wine itself, not the program, failed, and says so in $work/retries).
export MFA_AUDIT_WINE_RETRIES=$work/retries
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$here/scripts/windows/wine-run.sh" "$windows_bin" \
  >"$work/mfa-audit-wine"
chmod +x "$work/mfa-audit-wine"

echo "-- running every case with the Linux build"
scripts/output_snapshot.sh "$linux_bin" "$work/linux" >/dev/null
echo "-- running every case with the Windows build under Wine"
scripts/output_snapshot.sh "$work/mfa-audit-wine" "$work/windows" >/dev/null

# What only Windows does, checked on the Windows build alone.
failed=0
check() { # check NAME EXPECTED-CODE EXPECTED-TEXT: the last run's exit code and standard error
  local name=$1 code=$2 text=$3 got
  got=$(cat "$work/rc")
  if [ "$got" != "$code" ] || ! grep -qF -- "$text" "$work/err"; then
    echo "FAILED: Windows-only check '$name': exit code $got (want $code), standard error:" >&2
    sed 's/^/    /' "$work/err" >&2
    failed=1
  fi
}
winrun() { # winrun ARGS...: the Windows build in $work/case
  local rc=0
  (cd "$work/case" && "$here/scripts/windows/wine-run.sh" "$windows_bin" "$@" </dev/null \
    >/dev/null 2>"$work/err") || rc=$?
  echo "$rc" >"$work/rc"
}
mkdir -p "$work/case"
cp samples/msonline-ps51.csv "$work/case/users.csv"
# r.csv and R.CSV are one file on Windows: refused, nothing written.
winrun audit users.csv -o r.csv --registered R.CSV -q
check "outputs differing in case" 2 "file names ignore case"
if [ -e "$work/case/r.csv" ]; then
  echo "FAILED: Windows-only check 'outputs differing in case': r.csv was written" >&2
  failed=1
fi
# A report held open as Excel holds it: refused before the other outputs are touched.
echo old >"$work/case/r.csv"
rm -f "$work/case/ready"
(cd "$work/case" && wine "$hold" r.csv ready) &
holder=$!
for _ in $(seq 200); do [ -e "$work/case/ready" ] && break; sleep 0.1; done
winrun audit users.csv --json s.json -o r.csv -q
check "report held open" 2 "probably open in another program"
check "report held open" 2 "(nothing was changed)"
if [ -e "$work/case/s.json" ] || [ "$(cat "$work/case/r.csv")" != old ]; then
  echo "FAILED: Windows-only check 'report held open': an output was changed" >&2
  failed=1
fi
rm -f "$work/case/ready"
wait "$holder" || true
[ "$failed" = 0 ] && echo "-- Windows-only checks passed (case-blind names, a file held open)"

if [ -s "$work/retries" ]; then
  echo "-- $(wc -l <"$work/retries") run(s) started again after a Wine failure:"
  sed 's/^/     /' "$work/retries"
fi

# Every file of every case, both ways (a file only one build wrote is a difference too).
cases=$(ls "$work/linux" | wc -l)
if diff -rq "$work/linux" "$work/windows" >"$work/differences"; then
  echo "-- Windows and Linux builds agree byte for byte on all $cases cases"
  exit "$failed"
fi
echo "FAILED: the Windows build's output differs from the Linux build's:" >&2
sed -e "s#$work/linux/##g" -e "s#$work/windows/##g" "$work/differences" | while read -r line; do
  echo "  $line" >&2
done
# The first differences in full, so that the log shows what differs, not only where.
grep '^Files ' "$work/differences" | head -5 | while read -r _ a _ b _; do
  echo "--- case ${a#"$work/linux/"}" >&2
  diff -u --label linux --label windows "$a" "$b" | head -20 >&2 || true
done
exit 1
