#!/usr/bin/env bash
# Benchmark: how a forced build of 50 documents scales with -j on this machine: the wall
# time and peak memory (whole process tree's largest process, GNU time) of -j 1 (the sum
# of the single builds, one after another) and of -j 2 … -j N (N = the number of cores).
#
# Needs hyperfine and GNU time (Debian: apt-get install hyperfine time).
# Usage: benches/batch-scaling.sh [RUNS]   (default 3 timed runs each)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"

. benches/paiban-binary.sh
command -v hyperfine >/dev/null || { echo "need hyperfine" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "need GNU time (/usr/bin/time)" >&2; exit 2; }

work=target-bench/scaling
rm -rf "$work" && mkdir -p "$work/content"
cp -r content/images "$work/content/images"
for i in $(seq -w 1 25); do
  sed "s/^title: .*/title: 白皮书副本$i/" content/whitepaper.yaml > "$work/content/whitepaper-$i.yaml"
  sed "s/^title: .*/title: 功能示例$i/" content/features.yaml > "$work/content/features-$i.yaml"
done

cores=$(nproc)
for jobs in $(seq 1 "$cores"); do
  cmd="$paiban build $work/content -o $work/out --force -j $jobs"
  hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$work/j$jobs.json" \
    --command-name "jobs $jobs" "$cmd" | grep -E 'Time' || true
  mean=$(python3 -c "import json;print(round(json.load(open('$work/j$jobs.json'))['results'][0]['mean'],2))")
  peak=$(/usr/bin/time -f '%M' $cmd 2>&1 >/dev/null | tail -n 1)
  echo "-j $jobs: wall ${mean} s, peak RSS ${peak} KiB"
done
python3 - "$work" "$cores" <<'PY'
import json, sys
work, cores = sys.argv[1], int(sys.argv[2])
one = json.load(open(f"{work}/j1.json"))["results"][0]["mean"]
for j in range(2, cores + 1):
    t = json.load(open(f"{work}/j{j}.json"))["results"][0]["mean"]
    print(f"-j {j}: {t:.2f} s against the ideal {one / j:.2f} s (sum of single builds / {j}): {t / (one / j):.2f}×")
PY
