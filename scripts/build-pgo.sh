#!/usr/bin/env bash
# Builds the paiban binary to ship and to measure: Cargo.toml's `dist` profile (fat LTO)
# with profile-guided optimisation. Three steps: an instrumented build, that build run on
# the repository's own samples (content/, and the Word, Markdown and plain-text manuscripts
# under tests/data/) to record which code is hot, then the build optimised with that
# record. typst's layout and PDF export are about 10 % faster for it (see README,
# Benchmarks). Needs rustup's llvm-tools component for llvm-profdata (added here if
# missing). Prints the binary's path as the last line.
#
# Usage: scripts/build-pgo.sh
# The first run builds everything twice (about 20 minutes on two cores); later runs
# rebuild paiban itself only. The training never uses the benchmarks' documents.
set -euo pipefail
cd "$(dirname "$0")/.."

base="${CARGO_TARGET_DIR:-$HOME/.cache/paiban-target}"
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  rustup component add llvm-tools >&2
fi
[ -x "$profdata" ] || { echo "need llvm-profdata: rustup component add llvm-tools" >&2; exit 2; }

# Two target folders, so that each keeps its own flags and neither rebuilds the other's
# dependencies. `--target` keeps the flags off build scripts and proc macros.
generate="$base/pgo-generate"
optimise="$base/pgo-use"
raw="$generate/profiles"
merged="$optimise/paiban.profdata"

RUSTFLAGS="-Cprofile-generate=$raw" CARGO_TARGET_DIR="$generate" \
  cargo build --profile dist --target "$host" --bin paiban --quiet
instrumented="$generate/$host/dist/paiban"

# Train only when the instrumented binary changed since the last profile.
if [ ! -f "$merged" ] || [ "$instrumented" -nt "$merged" ]; then
  rm -rf "$raw"
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  run() { "$instrumented" "$@" >/dev/null 2>&1 || true; }
  for doc in content/*.yaml; do
    run build --force --format pdf,epub "$doc" -o "$out/one"
  done
  run build --force -j 2 --format pdf,epub content -o "$out/all"
  run check content
  run typst content/features.yaml -o "$out/features.typ"
  run import tests/data/docx/word.docx -o "$out/word/word.yaml"
  run import tests/data/markdown/manuscript.md -o "$out/md/manuscript.yaml"
  run import tests/data/seed.txt -o "$out/seed.yaml"
  run build --force --format pdf,epub "$out/word/word.yaml" "$out/seed.yaml" -o "$out/imported"
  mkdir -p "$optimise"
  "$profdata" merge -o "$merged.new" "$raw"
  mv "$merged.new" "$merged"
fi

# The profile's path never changes, so Cargo keeps the dependencies it optimised with the
# first profile and rebuilds what changed: their hot code does not move with paiban's.
RUSTFLAGS="-Cprofile-use=$merged" CARGO_TARGET_DIR="$optimise" \
  cargo build --profile dist --target "$host" --bin paiban --quiet
echo "$optimise/$host/dist/paiban"
