#!/usr/bin/env bash
# The first step of action.yml: gets the mfa-audit binary and gives its path as the step
# output `bin`.
#
#   INPUT_VERSION=source (the default): builds it from the action's own source with
#     `cargo install --locked` (GitHub-hosted runners have Rust), into $RUNNER_TEMP.
#   INPUT_VERSION=v0.1.0: downloads that release's archive for this runner from
#     INPUT_RELEASE_REPOSITORY (or the action's own repository), checks it against the
#     release's SHA256SUMS and refuses it when the sum differs or is missing.
#
# Asset names are the release workflow's (.github/workflows/release.yml):
#   mfa-audit-TAG-TARGET.tar.gz (mfa-audit-TAG-TARGET.zip on Windows), SHA256SUMS.
# Written for bash 3.2 too (macOS's /bin/bash).
set -euo pipefail

fail() {
  echo "mfa-audit action: $1" >&2
  exit 2
}

: "${RUNNER_TEMP:?RUNNER_TEMP is set by GitHub Actions}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is set by GitHub Actions}"
root="$RUNNER_TEMP/mfa-audit"
exe=mfa-audit
if [ "${RUNNER_OS:-}" = Windows ]; then exe=mfa-audit.exe; fi
version=${INPUT_VERSION:-source}

if [ "$version" = source ]; then
  : "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is set by GitHub Actions}"
  command -v cargo >/dev/null 2>&1 ||
    fail "cargo is not installed on this runner; install Rust first, or set version to a release tag"
  cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$root"
  bin="$root/bin/$exe"
else
  case $version in
    v[0-9]*) tag=$version ;;
    [0-9]*) tag=v$version ;;
    *) fail "input version: \"$version\" is neither \"source\" nor a release tag like v0.1.0" ;;
  esac
  repo=${INPUT_RELEASE_REPOSITORY:-${ACTION_REPOSITORY:-}}
  [ -n "$repo" ] || fail "input release-repository: the action's repository is not known here; give owner/name"
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    # musl: a static binary, which runs on any Linux runner whatever its C library.
    Linux/X64) target=x86_64-unknown-linux-musl ext=tar.gz ;;
    Windows/X64) target=x86_64-pc-windows-msvc ext=zip ;;
    macOS/X64) target=x86_64-apple-darwin ext=tar.gz ;;
    macOS/ARM64) target=aarch64-apple-darwin ext=tar.gz ;;
    *) fail "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; set version: source to build it" ;;
  esac
  asset="mfa-audit-$tag-$target.$ext"
  url="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/$tag"
  work="$RUNNER_TEMP/mfa-audit-download"
  rm -rf "$work" && mkdir -p "$work" "$root/bin"
  curl -fsSL --retry 3 -o "$work/$asset" "$url/$asset"
  curl -fsSL --retry 3 -o "$work/SHA256SUMS" "$url/SHA256SUMS"
  # The one line of SHA256SUMS for this asset ("SUM  NAME"), checked; none is a refusal.
  awk -v a="$asset" 'length($1) == 64 && ($2 == a || $2 == "*" a)' "$work/SHA256SUMS" >"$work/sum"
  [ -s "$work/sum" ] || fail "SHA256SUMS of $tag has no line for $asset; refusing an unchecked binary"
  if command -v sha256sum >/dev/null 2>&1; then
    (cd "$work" && sha256sum -c sum)
  else
    (cd "$work" && shasum -a 256 -c sum)
  fi
  if [ "$ext" = zip ]; then
    (cd "$work" && unzip -q "$asset")
  else
    tar -xzf "$work/$asset" -C "$work"
  fi
  cp "$work/mfa-audit-$tag-$target/$exe" "$root/bin/$exe"
  chmod +x "$root/bin/$exe"
  bin="$root/bin/$exe"
fi

"$bin" --version
case $bin in
  *$'\n'* | *$'\r'*) fail "RUNNER_TEMP holds a line break" ;;
esac
echo "bin=$bin" >>"$GITHUB_OUTPUT"
