#!/usr/bin/env bash
# Writes the command reference (docs/reference/cli.md) from the program itself: `iql --help`, then
# `iql COMMAND --help` for every command `iql --help` lists, and `iql COMMAND SUB --help` for every
# subcommand COMMAND's help names (a word is a subcommand when its own help starts
# "usage: iql COMMAND SUB"). tests/docs/test_cli_reference.cpp runs this and compares.
#   bash packaging/gen-cli-reference.sh [IQL] [OUT]   defaults: build-release/app/iql, docs/reference/cli.md
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
iql="${1:-$root/build-release/app/iql}"
out="${2:-$root/docs/reference/cli.md}"
[ -x "$iql" ] || { echo "gen-cli-reference: no executable $iql (build the iql target first)" >&2; exit 1; }

# The same text on every machine: no user settings, no locale, no BLAS re-execution notes.
help_of() {
  env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 OPENBLAS_CORETYPE=Haswell GOMP_SPINCOUNT=1000 \
    "$iql" "$@" --help
}

# Each help is read once, into $cache (a program start loads LibTorch: seconds), four at a time.
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export -f help_of
export iql
fetch() {  # fetch "cmd sub" ... -> $cache/<cmd_sub>.txt (empty when it fails)
  printf '%s\n' "$@" | xargs -P 4 -I{} bash -c 'help_of {} > "$0/$(echo {} | tr " " _).txt" 2>/dev/null || : > "$0/$(echo {} | tr " " _).txt"' "$cache"
}
help_of > "$cache/top.txt"
commands=$(awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}' "$cache/top.txt")
# shellcheck disable=SC2086
fetch $commands
pairs=()
for c in $commands; do
  text=$(cat "$cache/$c.txt")
  candidates=$( {
    printf '%s\n' "$text" | sed -n "1s/^usage: iql $c <\([a-z|-]*\)>.*/\1/p" | tr '|' '\n'
    printf '%s\n' "$text" | sed -n "s/^\(usage:\)\{0,1\} *iql $c \([a-z][a-z0-9-]*\).*/\2/p"
    printf '%s\n' "$text" | sed -n 's/^  \([a-z][a-z0-9-]*\)\( .*\)\{0,1\}$/\1/p'
  } | awk '$0 != "iql" && !seen[$0]++')
  for s in $candidates; do pairs+=("$c $s"); done
done
fetch "${pairs[@]}"
entries=()
for c in $commands; do
  entries+=("$c")
  for p in "${pairs[@]}"; do
    [ "${p%% *}" = "$c" ] || continue
    # a word is a subcommand when its own help says so
    head -1 "$cache/${p// /_}.txt" | grep -q "^usage: iql $p\b" && entries+=("$p")
  done
done

tmp="$cache/cli.md"
{
  echo "# Command reference"
  echo
  echo "Generated from the program by \`bash packaging/gen-cli-reference.sh\` (\`iql --help\` and every"
  echo "command's and subcommand's \`--help\`); do not edit by hand: \`test_docs_cli_reference\` fails when"
  echo "this file differs from what the built \`iql\` prints. Guide: [the \`iql\` command line](../command-line.md)."
  echo
  echo "- [iql](#iql)"
  for e in "${entries[@]}"; do echo "- [iql $e](#iql-${e// /-})"; done
  echo
  echo "## iql"
  echo
  echo '```text'
  cat "$cache/top.txt"
  echo '```'
  for e in "${entries[@]}"; do
    echo
    echo "## iql $e"
    echo
    echo '```text'
    cat "$cache/${e// /_}.txt"
    echo '```'
  done
} > "$tmp"
if [ "$out" = "-" ]; then cat "$tmp"; else mkdir -p "$(dirname "$out")"; cp "$tmp" "$out"; echo "wrote $out (${#entries[@]} commands)"; fi
