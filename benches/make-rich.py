#!/usr/bin/env python3
"""Writes a long document with every kind of element, for benches/compare-typst.sh:
50 parts, each with 32 paragraphs (one note in each), two tables, a figure, a list, a
quotation and cross-references: over 300 A4 pages, 1,600 notes, 100 tables, 50 figures.

Usage: benches/make-rich.py OUT.yaml   (run from the project root; OUT inside the project,
one folder down, as target-bench/rich.yaml, so that ../content/images/ is the images)
"""

import json
import sys

import yaml

source = yaml.safe_load(open("content/whitepaper.yaml", encoding="utf-8"))
paragraphs = [b for b in source["body"] if isinstance(b, str)]
figures = ["events.svg", "structure.svg", "shares.png"]


def q(text):
    return json.dumps(text, ensure_ascii=False)


lines = [
    "title: 长文档基准",
    "author: 排版项目组",
    "date: 2026-12-04",
    "inline: markup",
    "toc-depth: 1",
    "body:",
]
n = 0
for part in range(1, 51):
    lines.append(f"  - heading: 第{part}部分的标题\n    id: part-{part}")
    for k in range(32):
        text = paragraphs[n % len(paragraphs)].replace(",", "，")
        n += 1
        cut = len(text) // 2
        note = f"第{part}部分第{k + 1}段的注释，说明这一段的出处和背景。"
        body = text[:cut] + "^[" + note + "]" + text[cut:]
        if k == 5:
            body += f"见@{{fig-{part}}}和@{{tab-{part}-1}}。"
        lines.append("  - " + q(body))
        if k == 6:
            lines.append(
                f"  - figure: ../content/images/{figures[part % 3]}\n    caption: 第{part}部分的插图\n"
                f"    alt: 示意图\n    width: 0.6\n    id: fig-{part}"
            )
        if k in (9, 15):
            t = 1 if k == 9 else 2
            rows = ["      - [年份, 事项, 数量]"] + [
                f"      - [{2010 + r}, {q('第' + str(r + 1) + '项合作事项')}, {r * 3 + part}]" for r in range(12)
            ]
            lines.append(
                f"  - table: 第{part}部分的第{t}张表\n    id: tab-{part}-{t}\n    header: 1\n"
                "    widths: [1, 3, 1]\n    align: [center, left, right]\n    rows:\n" + "\n".join(rows)
            )
        if k == 12:
            lines.append("  - list: [第一点, 第二点, 第三点]\n    style: （1）")
        if k == 17:
            lines.append("  - quote: 大道之行也，天下为公。\n    attribution: 《礼记·礼运》")

open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
