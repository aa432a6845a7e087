#!/usr/bin/env bash
# Benchmark: a no-op batch rebuild of 50 documents (every output up to date in the cache),
# and for scale the full parallel build of the same 50 documents with --force.
#
# Needs hyperfine (Debian: apt-get install hyperfine).
# Usage: benches/batch-noop.sh [RUNS]   (default 20 timed runs)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"

. benches/paiban-binary.sh
command -v hyperfine >/dev/null || { echo "need hyperfine" >&2; exit 2; }

work=target-bench/batch
rm -rf "$work" && mkdir -p "$work/content"
# The feature sample's figures, at the paths it names.
cp -r content/images "$work/content/images"
# 50 documents: the white paper and the feature sample, each with its own title.
for i in $(seq -w 1 25); do
  sed "s/^title: .*/title: 白皮书副本$i/" content/whitepaper.yaml > "$work/content/whitepaper-$i.yaml"
  sed "s/^title: .*/title: 功能示例$i/" content/features.yaml > "$work/content/features-$i.yaml"
done

"$paiban" build "$work/content" -o "$work/out" --format pdf,epub 2>/dev/null
hyperfine --warmup 2 --runs "$runs" \
  -n "no-op rebuild of 50 documents" \
  "$paiban build $work/content -o $work/out --format pdf,epub"
hyperfine --runs 3 \
  -n "full rebuild of 50 documents (--force)" \
  "$paiban build $work/content -o $work/out --format pdf,epub --force"
