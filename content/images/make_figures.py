#!/usr/bin/env python3
"""Draws the figures of content/chapter.yaml: two SVG drawings and one PNG chart.

Run from the project root: python3 content/images/make_figures.py
Only the standard library is used, so the output is the same on every machine.
The PNG is written pixel by pixel (zlib + the PNG chunk format) at 1600 x 900 pixels,
which prints at about 600 ppi at the width the chapter gives it.
"""

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).parent
INK = "#3d3226"
BROWN = "#7a5c3a"
PAPER = "#f5f1e8"


def structure_svg():
    """The chapter's two parts and their sections, as boxes."""
    boxes = [
        (20, 20, "三、国际合作", True),
        (20, 80, "深化数字经济国际合作", False),
        (20, 120, "积极参与全球互联网治理", False),
        (20, 160, "广泛开展国际交流与合作", False),
        (20, 200, "搭建世界互联网大会交流平台", False),
        (20, 240, "促进全球普惠包容发展", False),
        (300, 20, "四、中国主张", True),
        (300, 80, "网络主权与和平安全", False),
        (300, 120, "开放、公平的数字发展环境", False),
        (300, 160, "基础设施与基础资源", False),
        (300, 200, "打击网络犯罪，数据治理", False),
        (300, 240, "治理体系，精神家园，共享成果", False),
    ]
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="580" height="290" viewBox="0 0 580 290">',
        f'<rect width="580" height="290" fill="{PAPER}"/>',
        f'<line x1="290" y1="10" x2="290" y2="280" stroke="{BROWN}" stroke-width="1" stroke-dasharray="4 3"/>',
    ]
    for x, y, label, head in boxes:
        fill = BROWN if head else "white"
        colour = "white" if head else INK
        parts.append(
            f'<rect x="{x}" y="{y}" width="240" height="30" rx="4" fill="{fill}" stroke="{BROWN}"/>'
        )
        parts.append(
            f'<text x="{x + 120}" y="{y + 20}" font-family="Noto Sans CJK SC" font-size="14" '
            f'text-anchor="middle" fill="{colour}">{label}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# How often the chapter's text names each year from 2014 to 2022 ("2019年" and so on),
# counted in content/whitepaper.yaml with re.findall(r"(20\d\d)年", text).
EVENTS = {2014: 1, 2015: 4, 2016: 2, 2017: 4, 2018: 0, 2019: 5, 2020: 7, 2021: 4, 2022: 4}


def events_svg():
    """Mentions per year as a bar chart."""
    width, height, left, bottom = 560, 280, 50, 240
    top = max(EVENTS.values())
    step = (width - left - 20) / len(EVENTS)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="{INK}"/>',
        f'<line x1="{left}" y1="20" x2="{left}" y2="{bottom}" stroke="{INK}"/>',
    ]
    for n in range(0, top + 1, 2):
        y = bottom - n * (bottom - 30) / top
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-family="Noto Sans CJK SC" font-size="12" text-anchor="end" fill="{INK}">{n}</text>'
        )
    for i, (year, count) in enumerate(sorted(EVENTS.items())):
        x = left + i * step + step * 0.2
        h = count * (bottom - 30) / top
        parts.append(
            f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{step * 0.6:.1f}" height="{h:.1f}" fill="{BROWN}"/>'
        )
        parts.append(
            f'<text x="{x + step * 0.3:.1f}" y="{bottom + 18}" font-family="Noto Sans CJK SC" font-size="12" text-anchor="middle" fill="{INK}">{year}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def png(width, height, pixel):
    """A truecolour PNG whose pixel (x, y) is pixel(x, y) -> (r, g, b)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row.extend(pixel(x, y))
        rows.append(bytes(row))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def share_png():
    """How the blocks of part 三 divide between its four kinds of cooperation, as a
    horizontal band: a raster figure, for the PNG path. The counts are the paragraphs
    and panels of content/whitepaper.yaml under each: the digital economy (7), internet
    governance (5), exchanges and the World Internet Conference (12), development (4)."""
    width, height = 1600, 900
    counts = [(7, (122, 92, 58)), (5, (168, 134, 94)), (12, (201, 178, 140)), (4, (61, 50, 38))]
    total = sum(n for n, _ in counts)
    shares = [(n / total, colour) for n, colour in counts]
    edges = []
    at = 0.0
    for share, colour in shares:
        edges.append((at, at + share, colour))
        at += share

    def pixel(x, y):
        if 300 <= y < 600 and 100 <= x < 1500:
            t = (x - 100) / 1400
            for start, end, colour in edges:
                if start <= t < end:
                    return colour
        shade = 245 - (y * 10) // height
        return (shade, shade - 4, shade - 13)

    return png(width, height, pixel)


if __name__ == "__main__":
    (HERE / "structure.svg").write_text(structure_svg(), encoding="utf-8")
    (HERE / "events.svg").write_text(events_svg(), encoding="utf-8")
    (HERE / "shares.png").write_bytes(share_png())
