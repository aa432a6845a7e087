#!/usr/bin/env python3
"""Generates the .docx fixtures of tests/docx.rs with real writers: LibreOffice (from
HTML) and python-docx, and the text LibreOffice extracts from each (NAME.lo.txt). Run from this folder: `python3 make.py` (needs soffice and
python-docx). The texts each fixture carries are in TEXTS below, which the tests repeat."""

import io
import os
import shutil
import struct
import subprocess
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def png(width, height, rgb):
    """A solid-colour PNG, written by hand so no imaging library is needed."""
    row = b"\x00" + bytes(rgb) * width
    raw = row * height

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


MANUSCRIPT = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>数字经济发展报告</title></head>
<body>
<h1>一、总体情况</h1>
<p>数字经济持续<b>快速增长</b>，规模达到<i>新高</i>。水的化学式是H<sub>2</sub>O，面积单位是m<sup>2</sup>。</p>
<p>详见<a href="https://example.org/report">报告全文</a>。<a class="sdfootnoteanc" name="sdfootnote1anc" href="#sdfootnote1sym"><sup>1</sup></a></p>
<h2>（一）主要指标</h2>
<p>主要指标如下：</p>
<ul>
<li>网络基础设施
<ul><li>光纤网络</li><li>移动网络</li></ul>
</li>
<li>数据资源</li>
</ul>
<ol><li>第一项任务</li><li>第二项任务</li></ol>
<table border="1">
<tr><th>地区</th><th>指标</th><th>数值</th></tr>
<tr><td rowspan="2">东部</td><td>产值</td><td>120</td></tr>
<tr><td>增速</td><td>8%</td></tr>
<tr><td colspan="2">合计</td><td>128</td></tr>
</table>
<p><img src="chart.png" alt="三年数据对比柱状图" width="80" height="40"></p>
<p>图1 三年数据对比</p>
<h2>（二）专栏介绍</h2>
<table border="1"><tr><td><p>专栏1 数字乡村</p><p>数字乡村建设取得积极进展。</p></td></tr></table>
<p>结束语。<a class="sdendnoteanc" name="sdendnote1anc" href="#sdendnote1sym"><sup>i</sup></a></p>
<div id="sdfootnote1"><p><a class="sdfootnotesym" name="sdfootnote1sym" href="#sdfootnote1anc">1</a>数据来源：国家统计局。</p></div>
<div id="sdendnote1"><p><a class="sdendnotesym" name="sdendnote1sym" href="#sdendnote1anc">i</a>尾注的说明。</p></div>
</body></html>
"""


def soffice(source, target_ext, out_dir):
    subprocess.run(
        ["soffice", "--headless", "--convert-to", target_ext, "--outdir", out_dir, source],
        check=True,
        stdout=subprocess.DEVNULL,
    )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# What word.docx says, in reading order, as the imported text must read (heading numbers
# and the caption's label are printed by paiban, so they are not text); tests/docx.rs
# checks the import against word.txt.
WORD_TEXT = [
    "总体情况",
    "数字经济持续快速增长，规模达到新高。",
    "水的化学式是H2O，面积单位是m2。",
    "详见报告全文。",
    "请务必核对旧数据新数据。",
    "段落的前半与后半。",
    "保留的文字插入的文字。",
    "主要指标",
    "网络基础设施", "光纤网络", "移动网络", "数据资源",
    "第一项任务", "第二项任务",
    "地区", "指标", "数值", "东部", "产值", "120", "增速", "8%", "合计", "128",
    "三年数据对比",
    "智慧城市", "城市大脑覆盖全部区县。",
    "数据要素", "数据要素市场加快培育。",
    "绿色发展", "数据中心能效持续提升。",
    "指标说明",
    "第一行\n第二行",
    "面积按公式计算。",
    "销售图表如下：",
    "组织结构如下：",
    "附表见嵌入的工作簿：",
    "结束语。",
]


def word(path):
    """python-docx writes the package from Word's own template; what it has no API for
    (links, revisions, list levels, header rows, alt text, a text box) is WordprocessingML
    added to its XML."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document()
    document.core_properties.title = "数字经济发展报告"
    document.core_properties.author = "张三"
    document.core_properties.language = "zh-CN"
    document.add_heading("一、总体情况", level=1)
    p = document.add_paragraph("数字经济持续")
    p.add_run("快速").bold = True
    p.add_run("增长").bold = True  # split runs, as revisions leave them
    p.add_run("，规模达到")
    p.add_run("新高").italic = True
    p.add_run("。")
    p = document.add_paragraph("水的化学式是H")
    p.add_run("2").font.subscript = True
    p.add_run("O，面积单位是m")
    p.add_run("2").font.superscript = True
    p.add_run("。")
    p = document.add_paragraph("详见")
    rid = document.part.relate_to("https://example.org/report", RT.HYPERLINK, is_external=True)
    # Word underlines a link's text: that is no underline the author gave it.
    p._p.append(parse_xml(
        '<w:hyperlink %s r:id="%s"><w:r><w:rPr><w:u w:val="single"/></w:rPr>'
        '<w:t>报告全文</w:t></w:r></w:hyperlink>'
        % (nsdecls("w", "r"), rid)))
    p.add_run("。")
    p = document.add_paragraph("请")
    p.add_run("务必").underline = True
    p.add_run("核对")
    p.add_run("旧数据").font.strike = True
    p.add_run("新数据。")
    # A deleted paragraph mark: accepted, the two paragraphs are one.
    p = document.add_paragraph("段落的前半")
    p._p.get_or_add_pPr().append(parse_xml(
        '<w:rPr %s><w:del w:id="3" w:author="A" w:date="2024-01-01T00:00:00Z"/></w:rPr>'
        % nsdecls("w")))
    document.add_paragraph("与后半。")
    p = document.add_paragraph("保留的文字")
    p._p.append(parse_xml(
        '<w:ins %s w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">'
        "<w:r><w:t>插入的文字</w:t></w:r></w:ins>" % nsdecls("w")))
    p._p.append(parse_xml(
        '<w:del %s w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z">'
        "<w:r><w:delText>删除的文字</w:delText></w:r></w:del>" % nsdecls("w")))
    p.add_run("。")
    document.add_heading("（一）主要指标", level=2)

    def item(text, style, level):
        paragraph = document.add_paragraph(text, style=style)
        num_id = document.styles[style].element.pPr.find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
        paragraph._p.get_or_add_pPr().append(parse_xml(
            '<w:numPr %s><w:ilvl w:val="%d"/><w:numId w:val="%s"/></w:numPr>'
            % (nsdecls("w"), level, num_id)))

    item("网络基础设施", "List Bullet", 0)
    item("光纤网络", "List Bullet", 1)
    item("移动网络", "List Bullet", 1)
    item("数据资源", "List Bullet", 0)
    item("第一项任务", "List Number", 0)
    item("第二项任务", "List Number", 0)

    table = document.add_table(rows=4, cols=3)
    rows = [["地区", "指标", "数值"], ["东部", "产值", "120"], ["", "增速", "8%"], ["合计", "", "128"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(3, 0).merge(table.cell(3, 1))
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml("<w:tblHeader %s/>" % nsdecls("w")))

    document.add_picture(io.BytesIO(png(80, 40, (30, 90, 160))))
    document.element.body.findall(".//" + qn("wp:docPr"))[-1].set("descr", "三年数据对比柱状图")
    document.add_paragraph("图1 三年数据对比", style="Caption")

    p = document.add_paragraph()
    p._p.append(parse_xml(
        '<w:r %s><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
        'style="width:300pt;height:80pt"><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>专栏2 智慧城市</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>城市大脑覆盖全部区县。</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>" % nsdecls("w")))
    # A text box as Word 2010 and later write it: a DrawingML shape, and the same text
    # again in VML for older readers (which must not be read twice).
    box = (
        "<w:txbxContent><w:p><w:r><w:t>专栏3 数据要素</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>数据要素市场加快培育。</w:t></w:r></w:p></w:txbxContent>"
    )
    p = document.add_paragraph()
    p._p.append(parse_xml(
        '<w:r %s xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
        '<wp:extent cx="3810000" cy="1016000"/><wp:docPr id="10" name="Text Box 10"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="3810000" cy="1016000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></wps:spPr><wps:txbx>%s</wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape style="width:300pt;height:80pt"><v:textbox>%s'
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        % (nsdecls("w"), box, box)))
    # A framed group: paragraphs with one border, the first reading 专栏4.
    for text in ["专栏4 绿色发展", "数据中心能效持续提升。"]:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            '<w:pBdr %s><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/>'
            '<w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/></w:pBdr>'
            % nsdecls("w")))
    # A heading Word numbers itself: level 3 of a definition that counts from 3.
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        '<w:abstractNum %s w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="3"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/></w:lvl></w:abstractNum>'
        % nsdecls("w")))
    numbering.append(parse_xml(
        '<w:num %s w:numId="90"><w:abstractNumId w:val="90"/></w:num>' % nsdecls("w")))
    heading = document.add_heading("指标说明", level=3)
    heading._p.get_or_add_pPr().append(parse_xml(
        '<w:numPr %s><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>' % nsdecls("w")))
    p = document.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    p = document.add_paragraph("面积按公式")
    p._p.append(parse_xml(
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        "<m:r><m:t>S=ab</m:t></m:r></m:oMath>"))
    run = p.add_run("计算。")
    document.add_comment(run, text="请核实", author="李四")
    # A chart, a SmartArt diagram and an embedded object, as Word writes them in a run
    # (their parts left out: paiban drops them by what the run says they are).
    graphic = (
        '<w:r %s xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<w:drawing><wp:inline><wp:extent cx="3810000" cy="1016000"/>'
        '<wp:docPr id="%d" name="%s"/><a:graphic><a:graphicData uri="%s">%s</a:graphicData>'
        "</a:graphic></wp:inline></w:drawing></w:r>"
    )
    p = document.add_paragraph("销售图表如下：")
    p._p.append(parse_xml(graphic % (
        nsdecls("w"), 20, "Chart 1", "http://schemas.openxmlformats.org/drawingml/2006/chart",
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId900"/>')))
    p = document.add_paragraph("组织结构如下：")
    p._p.append(parse_xml(graphic % (
        nsdecls("w"), 21, "Diagram 1", "http://schemas.openxmlformats.org/drawingml/2006/diagram",
        '<dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        'r:dm="rId901" r:lo="rId902" r:qs="rId903" r:cs="rId904"/>')))
    p = document.add_paragraph("附表见嵌入的工作簿：")
    p._p.append(parse_xml(
        '<w:r %s xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<w:object><v:shape id="_x0000_i1025" style="width:60pt;height:40pt"/>'
        '<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" r:id="rId905"/>'
        "</w:object></w:r>" % nsdecls("w")))
    p = document.add_paragraph("结束语。")
    p.add_run("隐藏的批注").font.hidden = True
    document.save(path)
    with open(os.path.splitext(path)[0] + ".txt", "w", encoding="utf-8") as f:
        f.write("\n".join(WORD_TEXT) + "\n")


def titled(path):
    """No title property: the Title-styled paragraph names the document. A numbered list
    that starts at 5, and a one-cell table that is no panel, captioned above it."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("年度报告", style="Title")
    document.add_paragraph("二〇二四年", style="Subtitle")
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        '<w:abstractNum %s w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="5"/>'
        '<w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%%1"/></w:lvl>'
        "</w:abstractNum>" % nsdecls("w")))
    numbering.append(parse_xml(
        '<w:num %s w:numId="91"><w:abstractNumId w:val="91"/></w:num>' % nsdecls("w")))
    for text in ["第五项", "第六项"]:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            '<w:numPr %s><w:ilvl w:val="0"/><w:numId w:val="91"/></w:numPr>' % nsdecls("w")))
    document.add_paragraph("表1 各地数据")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "只有一格的表"
    document.save(path)


def main():
    work = tempfile.mkdtemp()
    try:
        with open(os.path.join(work, "chart.png"), "wb") as f:
            f.write(png(80, 40, (30, 90, 160)))
        html = os.path.join(work, "manuscript.html")
        with open(html, "w", encoding="utf-8") as f:
            f.write(MANUSCRIPT)
        soffice(html, "docx:MS Word 2007 XML", work)
        shutil.copy(os.path.join(work, "manuscript.docx"), os.path.join(HERE, "libreoffice.docx"))
        # The same manuscript as OpenDocument and as an old binary .doc (an OLE file),
        # renamed .docx: both must be refused.
        soffice(html, "odt", work)
        shutil.copy(os.path.join(work, "manuscript.odt"), os.path.join(HERE, "odt-renamed.docx"))
        soffice(html, "doc:MS Word 97", work)
        shutil.copy(os.path.join(work, "manuscript.doc"), os.path.join(HERE, "ole.docx"))
        with open(os.path.join(HERE, "libreoffice.docx"), "rb") as f:
            whole = f.read()
        with open(os.path.join(HERE, "truncated.docx"), "wb") as f:
            f.write(whole[: len(whole) // 2])
        word(os.path.join(HERE, "word.docx"))
        titled(os.path.join(HERE, "titled.docx"))
        # The text LibreOffice reads from each fixture, which the import must keep.
        for name in ["word", "libreoffice", "titled"]:
            soffice(os.path.join(HERE, name + ".docx"), "txt:Text (encoded):UTF8", work)
            shutil.copy(os.path.join(work, name + ".txt"), os.path.join(HERE, name + ".lo.txt"))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
