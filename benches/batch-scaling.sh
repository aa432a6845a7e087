#!/usr/bin/env bash
# Benchmark: how a forced build of 50 documents scales with -j on this machine: the wall
# time and peak memory (whole process tree's largest process, GNU time) of -j 1 and of
# -j 2 … -j N (N = the number of cores). Each -j is set against two ideals: the sum of
# the 50 single builds (`paiban build X --force`, one process each, one after another)
# divided by the job count, and the stricter -j 1 batch (one process, fonts read once)
# divided by the job count.
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
singles="for f in $work/content/*.yaml; do $paiban build \$f -o $work/single --force >/dev/null || exit 1; done"
hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$work/singles.json" \
  --command-name "50 single builds" "bash -c '$singles'" | grep -E 'Time' || true
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
mean = lambda name: json.load(open(f"{work}/{name}.json"))["results"][0]["mean"]
singles, one = mean("singles"), mean("j1")
print(f"50 single builds, one after another: {singles:.2f} s; -j 1 batch: {one:.2f} s")
for j in range(2, cores + 1):
    t = mean(f"j{j}")
    print(f"-j {j}: {t:.2f} s; against the sum of single builds / {j} ({singles / j:.2f} s): "
          f"{t / (singles / j):.2f}×; against the -j 1 batch / {j} ({one / j:.2f} s): {t / (one / j):.2f}×")
PY
