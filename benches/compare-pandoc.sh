#!/usr/bin/env bash
# Benchmark: `paiban build --format epub` against pandoc 3.x converting the equivalent
# Markdown (made here from the same YAML) to EPUB. Target: paiban ≤ 0.3× pandoc's wall time.
#
# Needs: hyperfine (Debian), and from PyPI pypandoc-binary (ships pandoc) and pyyaml.
# Usage: benches/compare-pandoc.sh [RUNS]   (default 10 timed runs after 2 warm-ups)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10}"

. benches/paiban-binary.sh
pandoc=$(python3 -c 'import pypandoc; print(pypandoc.get_pandoc_path())')
command -v hyperfine >/dev/null || { echo "need hyperfine" >&2; exit 2; }
"$pandoc" --version | head -n 1

work=target-bench/epub
rm -rf "$work" && mkdir -p "$work"

# The same content as Markdown: headings with their printed numbers, panels as fenced divs.
python3 - content/whitepaper.yaml "$work/whitepaper.md" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
cn = "零一二三四五六七八九十"
def numeral(n):
    if n <= 10: return cn[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else cn[tens]) + "十" + (cn[ones] if ones else "")
count = [0, 0, 0, 0]
out = ["---", f"title: {doc['title']}", f"author: {doc.get('author', '')}",
       f"date: {doc.get('date', '')}", f"lang: {doc.get('lang', 'zh-CN')}", "---", ""]
def label(level, n):
    return [f"{numeral(n)}、", f"（{numeral(n)}）", f"{n}.", f"（{n}）"][level - 1]
panel = 0
for block in doc["body"]:
    if isinstance(block, str):
        out += [block, ""]
    elif "heading" in block:
        level = block.get("level", 1)
        text = block["heading"]
        if block.get("numbered", True):
            count[level - 1] = block.get("number", count[level - 1] + 1)
            for i in range(level, 4): count[i] = 0
            text = label(level, count[level - 1]) + text
        out += ["#" * level + " " + text, ""]
    elif "sidebar" in block:
        panel = block.get("number", panel + 1)
        out += ["::: {.sidebar}", f"**专栏{panel}　{block['sidebar']}**", ""]
        for p in block["body"]: out += [p, ""]
        out += [":::", ""]
    elif "dateline" in block:
        out += ["::: {.dateline}", block["dateline"], ":::", ""]
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out))
PY

hyperfine --warmup 2 --runs "$runs" --style basic --export-json "$work/times.json" \
  -n paiban "$paiban build --force content/whitepaper.yaml --format epub -o $work/paiban" \
  -n pandoc "$pandoc $work/whitepaper.md -o $work/pandoc.epub" | grep -E 'Time|±' || true
python3 - "$work/times.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
p, d = r[0]["mean"], r[1]["mean"]
print(f"wall (mean): paiban {p*1000:.1f} ms, pandoc {d*1000:.1f} ms, ratio {p/d:.3f}")
PY
