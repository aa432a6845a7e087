#!/usr/bin/env python3
"""A Word manuscript of about 300 pages (in the white paper layout) for benches/import-docx.sh:
the seed white paper's paragraphs repeated under numbered headings (一、 and （一）), with
a bulleted list per section and a table per part, written by python-docx.
Usage: make-docx.py SEED.txt OUT.docx [PAGES]"""
import sys

import docx

seed, out = sys.argv[1], sys.argv[2]
pages = int(sys.argv[3]) if len(sys.argv) > 3 else 300
# About 1,200 characters of body text make a page of the white paper layout.
target = pages * 1200
paras = [l.strip() for l in open(seed, encoding="utf-8") if len(l.strip()) > 60]
nums = "一二三四五六七八九十"
d = docx.Document()
d.core_properties.title = "长篇报告"
d.core_properties.language = "zh-CN"
chars = 0
section = 0
while chars < target:
    section += 1
    d.add_heading(f"{nums[(section - 1) % 10]}、第{section}部分", level=1)
    for sub in range(1, 4):
        d.add_heading(f"（{nums[sub - 1]}）第{sub}节", level=2)
        for p in paras[(section * 7 + sub) % len(paras):][:6]:
            d.add_paragraph(p)
            chars += len(p)
        d.add_paragraph("要点一", style="List Bullet")
        d.add_paragraph("要点二", style="List Bullet")
    t = d.add_table(rows=4, cols=3)
    for r in range(4):
        for c in range(3):
            t.cell(r, c).text = f"{r}-{c}"
d.save(out)
