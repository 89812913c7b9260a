#!/usr/bin/env bash
# The audit step of action.yml: builds `mfa-audit audit` from the action's inputs and runs it
# with --github-summary and --github-output, exiting with its code (0 done, 1 a gate failed,
# 2 bad usage or input).
#
# The inputs arrive as environment variables (INPUT_*), set by action.yml's `env:`; they are
# never part of a script's text, so a file name or pattern holding `$(...)`, quotes or `;` is
# data. Every value becomes exactly one argument of an array: nothing is word-split, globbed
# or evaluated. Lists are one item per line; blank lines and the blanks around an item are
# dropped (YAML block scalars indent and end with a line break), and so is a CR from a
# workflow file saved with Windows line ends.
set -euo pipefail

bin=${MFA_AUDIT_BIN:-mfa-audit}

# Written for bash 3.2 too (macOS's /bin/bash): no namerefs, no ${x,,}, no mapfile.

# Says what is wrong and stops with mfa-audit's code for bad usage. Line ends in the message
# are shown as \n, so that a value cannot start a line the runner would read as a command.
fail() {
  local message=${1//$'\r'/\\r}
  message=${message//$'\n'/\\n}
  echo "mfa-audit action: $message" >&2
  exit 2
}

# The items of a newline-separated list ($1), into the array `list`.
items() {
  local line
  list=()
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    # Trim blanks on both sides without globbing or word splitting.
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    if [ -n "$line" ]; then list+=("$line"); fi
  done <<<"$1"
}

# A true/false input ($2, named $1): true or false in any case, or empty for false.
flag() {
  case $2 in
    [Tt][Rr][Uu][Ee]) return 0 ;;
    "" | [Ff][Aa][Ll][Ss][Ee]) return 1 ;;
    *) fail "input $1: \"$2\" is neither true nor false" ;;
  esac
}

args=(audit)
# A value given as --flag=VALUE is never read as a flag, even one starting with "-".
value() {
  if [ -n "$2" ]; then args+=("--$1=$2"); fi
}
value fail-under "${INPUT_FAIL_UNDER:-}"
value max-unregistered "${INPUT_MAX_UNREGISTERED:-}"
if flag fail-on-unknown "${INPUT_FAIL_ON_UNKNOWN:-}"; then args+=(--fail-on-unknown); fi
if flag require-admins "${INPUT_REQUIRE_ADMINS:-}"; then args+=(--require-admins); fi
items "${INPUT_REQUIRE:-}"
for x in ${list[@]+"${list[@]}"}; do args+=("--require=$x"); done
items "${INPUT_EXCEPTIONS:-}"
for x in ${list[@]+"${list[@]}"}; do args+=("--exceptions=$x"); done
items "${INPUT_POLICIES:-}"
for x in ${list[@]+"${list[@]}"}; do args+=("--policies=$x"); done
value accounts "${INPUT_ACCOUNTS:-}"
value output "${INPUT_REPORT:-}"
value json "${INPUT_JSON:-}"
value html "${INPUT_HTML:-}"
value junit "${INPUT_JUNIT:-}"
items "${INPUT_EXTRA_ARGS:-}"
args+=(${list[@]+"${list[@]}"})
args+=(--github-summary --github-output)

items "${INPUT_FILES:-}"
[ ${#list[@]} -gt 0 ] || fail "input files: no file to audit; give one path per line"
# After "--" a file name is a file name, even one starting with "-".
args+=(-- "${list[@]}")

exec "$bin" "${args[@]}"
