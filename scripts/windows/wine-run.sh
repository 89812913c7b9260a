#!/usr/bin/env bash
# Runs a Windows program under Wine with the caller's arguments, standard input (kept a pipe),
# output and exit code, and runs it again (up to twice) when Wine itself failed before the
# program could answer: a lost connection to the wineserver, or Wine's own start-up errors.
# Those lines come from Wine, never from mfa-audit; each restart is appended to the file named
# by $MFA_AUDIT_WINE_RETRIES (when set), so that a run that needed one is reported, not hidden.
#
#   scripts/windows/wine-run.sh PROGRAM.exe ARGS...
set -uo pipefail
exe=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Standard input is read once, so that a second attempt gets it too.
cat >"$tmp/stdin"
for attempt in 1 2 3; do
  wine "$exe" "$@" < <(cat "$tmp/stdin") >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  if [ "$attempt" -lt 3 ] && grep -qE '^(wine client error|wineserver: |wine: )' "$tmp/stderr"; then
    if [ -n "${MFA_AUDIT_WINE_RETRIES:-}" ]; then
      printf '%s (attempt %s): %s\n' "$*" "$attempt" "$(head -1 "$tmp/stderr")" \
        >>"$MFA_AUDIT_WINE_RETRIES"
    fi
    continue
  fi
  break
done
cat "$tmp/stdout"
cat "$tmp/stderr" >&2
exit "$rc"
