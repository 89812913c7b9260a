#!/usr/bin/env bash
# Runs the Windows build of mfa-audit under Wine on every case scripts/output_snapshot.sh runs
# (the README's sessions and every shipped sample) and compares every output file, standard
# output, standard error and exit code byte for byte with the Linux build's.
#
#   scripts/windows/compare.sh [PROFILE]     # PROFILE: debug (default) or release
#
# Needs: the x86_64-pc-windows-gnu target (rustup), Debian's gcc-mingw-w64-x86-64 and wine
# (.ci/run installs them). Debian 12's Wine 8.0 has no bcryptprimitives.dll, from which Rust's
# standard library takes random numbers since 1.78 (ProcessPrng): bcryptprimitives.c here is a
# stand-in, built with mingw into a Wine prefix of our own under target/.
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

# A prefix of our own, made once: a first Wine start creates it, which takes a while and prints.
export WINEPREFIX=$here/target/wine-prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "-- creating the Wine prefix $WINEPREFIX"
  wineboot --init >/dev/null 2>&1 || true
  wineserver --wait || true
fi
system32=$WINEPREFIX/drive_c/windows/system32
dll=$system32/bcryptprimitives.dll
if [ ! -f "$dll" ] || [ scripts/windows/bcryptprimitives.c -nt "$dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dll" scripts/windows/bcryptprimitives.c \
    scripts/windows/bcryptprimitives.def -ladvapi32
fi

# The program must start and answer before the cases mean anything.
if ! version=$(wine "$windows_bin" --version 2>&1); then
  echo "FAILED: the Windows build does not start under Wine: $version" >&2
  exit 1
fi
echo "-- $version under $(wine --version 2>/dev/null)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# output_snapshot.sh runs one program: for Windows, Wine with the .exe.
printf '#!/bin/sh\nexec wine "%s" "$@"\n' "$windows_bin" >"$work/mfa-audit-wine"
chmod +x "$work/mfa-audit-wine"

echo "-- running every case with the Linux build"
scripts/output_snapshot.sh "$linux_bin" "$work/linux" >/dev/null
echo "-- running every case with the Windows build under Wine"
scripts/output_snapshot.sh "$work/mfa-audit-wine" "$work/windows" >/dev/null

# Every file of every case, both ways (a file only one build wrote is a difference too).
cases=$(ls "$work/linux" | wc -l)
if diff -rq "$work/linux" "$work/windows" >"$work/differences"; then
  echo "-- Windows and Linux builds agree byte for byte on all $cases cases"
  exit 0
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
