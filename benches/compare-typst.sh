#!/usr/bin/env bash
# Benchmark: `paiban build` against the official typst CLI compiling paiban's own
# emitted markup with the same fonts, on the white paper, on a synthetic document of
# 300+ pages (the white paper's body repeated), and on a 300+ page document with every
# kind of element (1,600 notes, 100 tables, 50 figures: benches/make-rich.py); with
# PAIBAN_BENCH_HUGE=1 also on 20,000 paragraphs (about 4,600 pages, 21 MB of YAML:
# several minutes). For each, also `paiban build --format pdf,epub`: what the EPUB adds.
#
# Needs: typst 0.15.1 on PATH (cargo install typst-cli --version 0.15.1 --locked),
# hyperfine and GNU time (Debian: apt-get install hyperfine time), python3 with PyYAML.
# Usage: benches/compare-typst.sh [RUNS]   (default 5 timed runs after 1 warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"

. benches/paiban-binary.sh
typst --version | grep -q '^typst 0\.15\.1' || { echo "need typst 0.15.1 on PATH" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "need hyperfine" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "need GNU time (/usr/bin/time)" >&2; exit 2; }

work=target-bench
rm -rf "$work" && mkdir -p "$work"

# The synthetic document: the white paper's metadata, then its body 45 times.
repeats=45
{
  sed -n '1,/^body:$/p' content/whitepaper.yaml
  body=$(sed -n '/^body:$/,$p' content/whitepaper.yaml | tail -n +2)
  for _ in $(seq "$repeats"); do printf '%s\n' "$body"; done
} > "$work/long.yaml"

# The rich document: written one folder down, so its figures are ../content/images/.
python3 benches/make-rich.py "$work/rich.yaml"
docs=(content/whitepaper.yaml "$work/long.yaml" "$work/rich.yaml")

# The huge document: the white paper's metadata, then 20,000 of its paragraphs in turn.
if [ "${PAIBAN_BENCH_HUGE:-0}" = 1 ]; then
  python3 - "$work/huge.yaml" <<'PY'
import sys
text = open("content/whitepaper.yaml", encoding="utf-8").read()
head, body = text.split("\nbody:\n", 1)
paragraphs = [line for line in body.split("\n") if line.startswith("  - ") and not line[4:5].isascii()]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(head + "\nbody:\n")
    # Three paragraphs in four run on into the next one, which sizes the document as the
    # one issue 14 measured (20,000 paragraphs, 21 MB, 4,763 pages; this one has 4,620).
    for i in range(20000):
        line = paragraphs[i % len(paragraphs)]
        if i % 4 != 3:
            line += paragraphs[(i + 1) % len(paragraphs)][4:]
        out.write(line + "\n")
PY
  docs+=("$work/huge.yaml")
fi

peak_kib() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1; }

for doc in "${docs[@]}"; do
  stem=$(basename "$doc" .yaml)
  "$paiban" typst "$doc" -o "$work/$stem.typ"
  "$paiban" build "$doc" -o "$work/paiban" 2>/dev/null
  pages=$(pdfinfo "$work/paiban/$stem.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  paiban_cmd="$paiban build --force $doc -o $work/paiban"
  typst_cmd="typst compile --root . --font-path fonts --ignore-system-fonts $work/$stem.typ $work/typst-$stem.pdf"
  both_cmd="$paiban build --force --format pdf,epub $doc -o $work/both"
  echo "== $doc (${pages:-?} pages)"
  hyperfine --warmup 1 --runs "$runs" --style basic \
    --export-json "$work/$stem.json" -n paiban "$paiban_cmd" -n typst-cli "$typst_cmd" \
    -n paiban-pdf+epub "$both_cmd" \
    | grep -E 'Time|±' || true
  paiban_mean=$(python3 -c "import json;r=json.load(open('$work/$stem.json'))['results'];print(round(r[0]['mean'],3))")
  typst_mean=$(python3 -c "import json;r=json.load(open('$work/$stem.json'))['results'];print(round(r[1]['mean'],3))")
  paiban_mem=$(peak_kib $paiban_cmd 2>/dev/null || true)
  typst_mem=$(peak_kib $typst_cmd 2>/dev/null || true)
  echo "wall (mean of $runs): paiban ${paiban_mean}s, typst ${typst_mean}s, ratio $(python3 -c "print(round($paiban_mean/$typst_mean,2))")"
  echo "peak RSS: paiban ${paiban_mem} KiB, typst ${typst_mem} KiB, ratio $(python3 -c "print(round($paiban_mem/$typst_mem,2))")"
  both_mean=$(python3 -c "import json;r=json.load(open('$work/$stem.json'))['results'];print(round(r[2]['mean'],3))")
  echo "with the EPUB too: ${both_mean}s, +$(python3 -c "print(round(100*($both_mean/$paiban_mean-1)))") % over the PDF alone"
done
