"""Which PDF engine for the credit reports (issue #13, item 6)? Not part of the test suite.

The same Chinese credit report — a cover with the QR code (SVG from segno), notes, a basic
information table, sections of records in tables with a header row repeated on every page,
a running header with the report number (not on the cover) and "第 x 页 / 共 y 页" — is
rendered by:
  - typst: the Python package ``typst`` (project venv); one static template, the data as
    JSON through ``sys_inputs``; fonts only from /usr/share/fonts/opentype/noto (Debian's
    fonts-noto-cjk); one ``typst.Compiler`` reused across reports;
  - weasyprint: WeasyPrint from PyPI in a scratch venv (not a project dependency); the
    same content as HTML + CSS with @page rules; Noto CJK through fontconfig;
  - reportlab (scratch venv): first with Noto CJK (expected to fail: CFF outlines), then
    with a TrueType CJK font (fonts-wqy-zenhei) as the workaround.
Two sizes: "small" (20 record rows) and "big" (300 rows, tables breaking across pages).

For each engine and size: warm renders (one process, the engine's set-up reused: median and
p95 over --small-runs / --big-runs after one discarded render) and cold renders (a fresh
process each: import of the engine, font loading and one render, timed inside the process;
the process's wall time, interpreter start included, beside it); the PDF size; whether the
CJK font is embedded and subset (``pdffonts`` of poppler-utils); the first page and one
table page rendered to PNG (pypdfium2) for a person to look at.

Usage (project venv; the scratch venv needs weasyprint>=63 and reportlab):
  python3.11 -m venv /tmp/pdfbench-venv && /tmp/pdfbench-venv/bin/pip install weasyprint reportlab
  .venv/bin/python bench/pdf_engines.py [--scratch-venv /tmp/pdfbench-venv] \\
      [--small-runs 30] [--big-runs 10] [--engines typst,weasyprint,reportlab]
Writes bench/out/pdf/*.pdf, *.png and bench/out/pdf_engines.json; prints a table.
"""

import argparse
import base64
import html
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "pdf"
NOTO_DIR = "/usr/share/fonts/opentype/noto"
NOTO_SANS = f"{NOTO_DIR}/NotoSansCJK-Regular.ttc"
TTF_CJK = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei

# -- the report's content (same for every engine) -------------------------------------------

SECTIONS = [  # title, columns, relative widths, rows in the small / big report
    (
        "三、行政许可信息",
        ["序号", "许可决定书文号", "许可证书名称", "许可类别", "决定日期", "有效期至", "许可机关"],
        [0.5, 2.2, 2.2, 0.8, 1.2, 1.2, 2.2],
        6,
        120,
    ),
    (
        "四、行政处罚信息（公示期内）",
        ["序号", "决定书文号", "违法事实", "处罚类别", "处罚内容", "决定日期", "处罚机关", "状态"],
        [0.6, 1.9, 3.0, 1.0, 1.6, 1.2, 1.9, 0.9],
        4,
        100,
    ),
    (
        "五、行政强制信息",
        ["序号", "决定书文号", "强制类别", "事由", "决定日期", "实施机关"],
        [0.5, 2.0, 1.6, 2.8, 1.2, 2.0],
        2,
        20,
    ),
    (
        "六、严重失信主体名单及其他名单",
        ["序号", "名单", "认定文号", "列入事由", "列入日期", "有效期至"],
        [0.5, 1.8, 2.0, 2.8, 1.2, 1.2],
        1,
        5,
    ),
    (
        "七、经营异常名录",
        ["序号", "列入决定书文号", "列入原因", "列入日期", "作出决定机关"],
        [0.5, 2.2, 3.0, 1.2, 2.2],
        1,
        5,
    ),
    (
        "八、司法判决及执行信息",
        ["序号", "案号", "案由", "裁判日期", "执行标的（万元）", "履行情况"],
        [0.5, 2.4, 2.4, 1.2, 1.2, 1.2],
        2,
        25,
    ),
    (
        "九、守信激励及荣誉信息",
        ["序号", "荣誉名称", "级别", "授予日期", "授予单位"],
        [0.5, 3.0, 0.8, 1.2, 2.6],
        2,
        15,
    ),
    (
        "十、信用承诺及履约、信用评价信息",
        ["序号", "承诺编号", "承诺类型", "承诺日期", "受理单位", "履约状态"],
        [0.5, 1.8, 1.8, 1.2, 2.4, 1.0],
        2,
        10,
    ),
]
DEPTS = [
    "信安市市场监督管理局",
    "信安市住房和城乡建设局",
    "国家税务总局信安市税务局",
    "信安市生态环境局",
    "信安市应急管理局",
    "信安市人力资源和社会保障局",
]
FACTS = [
    "当事人在商品包装及网店页面对产品功效作虚假宣传，误导消费者",
    "未按规定期限公示年度报告",
    "销售经抽检不合格的电线电缆，货值金额较大",
    "未取得食品经营许可从事食品经营活动",
    "废气排放超过国家排放标准，经责令改正仍未改正",
    "未按规定对从业人员进行安全生产教育培训",
]


def _cells(section: int, i: int, rng: random.Random) -> list[str]:
    d = f"20{rng.randrange(22, 27)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    until = f"20{rng.randrange(27, 32)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    dept = rng.choice(DEPTS)
    n = str(i + 1)
    if section == 0:
        name = rng.choice(
            ["建筑业企业资质证书", "食品经营许可证", "排污许可证", "危险化学品经营许可证"]
        )
        return [
            n,
            f"信住建许〔{d[:4]}〕{1000 + i}号",
            name,
            rng.choice(["普通", "认可", "核准"]),
            d,
            until,
            dept,
        ]
    if section == 1:
        status = rng.choice(["公示中"] * 6 + ["异议处理中", "已修复"])
        fine = rng.choice(["警告", "罚款人民币5万元", "罚款人民币20.5万元，没收违法所得3.2万元"])
        return [
            n,
            f"信市监罚〔{d[:4]}〕{200 + i}号",
            rng.choice(FACTS),
            "警告" if fine == "警告" else "罚款",
            fine,
            d,
            dept,
            status,
        ]
    if section == 2:
        return [
            n,
            f"信税强〔{d[:4]}〕{30 + i}号",
            rng.choice(["冻结存款汇款", "加处罚款或者滞纳金"]),
            "逾期未缴纳税款，经催告仍未履行",
            d,
            "国家税务总局信安市税务局",
        ]
    if section == 3:
        return [
            n,
            rng.choice(["严重失信主体名单", "重点关注名单"]),
            f"信市监认〔{d[:4]}〕{i + 1}号",
            "严重破坏市场公平竞争秩序和社会正常秩序",
            d,
            until,
        ]
    if section == 4:
        return [
            n,
            f"信市监异〔{d[:4]}〕{i + 7}号",
            "通过登记的住所或者经营场所无法联系",
            d,
            "信安市市场监督管理局",
        ]
    if section == 5:
        return [
            n,
            f"（{d[:4]}）信01民初{3000 + i}号",
            rng.choice(["买卖合同纠纷", "借款合同纠纷"]),
            d,
            str(rng.choice([3, 12, 45, 120])),
            rng.choice(["全部履行", "部分履行", "未履行"]),
        ]
    if section == 6:
        return [
            n,
            rng.choice(["守合同重信用企业", "诚信纳税示范企业", "和谐劳动关系示范企业"]),
            rng.choice(["省级", "市级"]),
            d,
            "信安市人民政府",
        ]
    return [
        n,
        f"CN2026{i:07d}",
        rng.choice(["审批替代型", "主动型", "证明事项告知承诺"]),
        d,
        "信安市政务服务中心",
        rng.choice(["履行中", "已履约"]),
    ]


def report_data(size: str) -> dict:
    """The report's content as plain JSON-able data; ``size`` "small" (20 record rows) or
    "big" (300)."""
    import segno

    rng = random.Random(size)
    number = "XYBG-20261202-00" + ("0123" if size == "small" else "4567")
    url = f"https://xinyong.example.gov.cn/verify/{number}?code=7K3Q9D2M"
    qr = segno.make(url, error="m")
    qr_svg = qr.svg_inline(scale=4, border=2)
    sections = []
    for k, (title, columns, widths, small, big) in enumerate(SECTIONS):
        n = small if size == "small" else big
        sections.append(
            {
                "title": title,
                "columns": columns,
                "widths": widths,
                "rows": [_cells(k, i, rng) for i in range(n)],
                "empty": "经查询，未发现相关记录。",
            }
        )
    counts = [[s["title"].split("、", 1)[1], str(len(s["rows"]))] for s in sections]
    return {
        "title": "公共信用信息报告",
        "subtitle": "（企业版）",
        "number": number,
        "verify_code": "7K3Q-9D2M",
        "verify_url": url,
        "issued_at": "2026年12月02日 15:30",
        "valid_until": "2027年01月01日",
        "issuer": "信安市公共信用信息平台",
        "subject": [
            ["信用主体名称", "信安市博信建设工程集团有限公司"],
            ["统一社会信用代码", "91339902MA3DA0K57A"],
            ["主体类型", "有限责任公司（自然人投资或控股）"],
            ["登记状态", "存续（在营、开业、在册）"],
            ["法定代表人", "张*明"],
            ["成立日期", "2014-06-18"],
            ["登记机关", "信安市市场监督管理局"],
            ["住所", "信安市高新区启航路88号科创大厦B座1203室"],
        ],
        "notes": [
            "本报告依据《全国公共信用信息基础目录》和《公共信用信息报告标准》编制，由信安市公共信用信息平台根据各部门、"
            "各单位依法归集的公共信用信息生成，信息截至报告生成时间。",
            "本报告所列行政处罚信息为公示期内的信息；处于异议处理中的信息已作标注；已完成信用修复的信息按规则标注“已修复”。",
            "本报告仅供报告使用人在授权范围内使用，不得用于其他用途。报告真伪可扫描封面二维码或登录平台“报告核验”栏目，"
            "输入报告编号和核验码查验。",
        ],
        "summary": counts,
        "sections": sections,
        "suggestions": [
            "及时关注公示期内的行政处罚信息，符合条件的可依法申请信用修复。",
            "按期报送年度报告，保持登记的住所或者经营场所可以联系。",
            "主动作出信用承诺并严格履约，积累良好信用记录。",
        ],
        "qr_svg": qr_svg,
        "qr_matrix": [[1 if v else 0 for v in row] for row in qr.matrix],
    }


# -- typst ----------------------------------------------------------------------------------

TYPST_TEMPLATE = r"""
#let data = json(bytes(sys.inputs.data))
#let sans = ("Noto Sans CJK SC",)
#set document(title: data.title)
#set text(font: ("Noto Serif CJK SC",), size: 10pt, lang: "zh", region: "cn")
#set par(justify: true, leading: 0.75em)
#set page(
  paper: "a4",
  margin: (x: 1.8cm, top: 2.4cm, bottom: 2cm),
  header: context {
    if counter(page).get().first() > 1 {
      set text(font: sans, size: 8pt, fill: luma(90))
      grid(columns: (1fr, auto), data.issuer + "　" + data.title, "报告编号：" + data.number)
      v(-4pt)
      line(length: 100%, stroke: 0.4pt + luma(150))
    }
  },
  footer: context {
    set align(center)
    set text(font: sans, size: 8pt)
    [第 #counter(page).display() 页 / 共 #counter(page).final().first() 页]
  },
)
#show heading: it => block(above: 1.2em, below: 0.7em,
  text(font: sans, size: 12.5pt, weight: "bold", it.body))

// Cover
#v(2.2cm)
#align(center, text(font: sans, size: 28pt, weight: "bold", tracking: 4pt, data.title))
#align(center, text(font: sans, size: 14pt, data.subtitle))
#v(1.6cm)
#align(center, block(width: 78%, grid(columns: (auto, 1fr), row-gutter: 12pt, column-gutter: 6pt,
  ..(("信用主体名称", data.subject.at(0).at(1)), ("统一社会信用代码", data.subject.at(1).at(1)),
     ("报告编号", data.number), ("核验码", data.verify_code), ("生成时间", data.issued_at),
     ("有效期至", data.valid_until))
    .map(p => (text(font: sans, weight: "bold", p.at(0) + "："), p.at(1))).flatten()
)))
#v(1.2cm)
#align(center, image(bytes(data.qr_svg), format: "svg", width: 3.6cm))
#align(center, text(size: 9pt, fill: luma(80),
  "扫描二维码或访问平台“报告核验”栏目，输入报告编号和核验码核验本报告"))
#v(1fr)
#align(center, text(font: sans, size: 12pt, data.issuer))
#pagebreak()

= 一、报告说明
#for p in data.notes { par(first-line-indent: (amount: 2em, all: true), p) }

= 二、基本信息
#table(columns: (3.2cm, 1fr), stroke: 0.5pt + luma(140), inset: 5pt,
  ..data.subject.map(r => (table.cell(fill: luma(240), text(font: sans, r.at(0))), r.at(1)))
    .flatten())

#text(font: sans, weight: "bold", "信息概览")
#table(columns: (1fr, 2.4cm), stroke: 0.5pt + luma(140), inset: 5pt,
  table.header(text(font: sans, weight: "bold", "类别"),
               text(font: sans, weight: "bold", "记录数（条）")),
  ..data.summary.flatten())

#for s in data.sections {
  heading(level: 1, s.title)
  if s.rows.len() == 0 { par(s.empty) } else {
    set text(size: 8pt)
    table(
      columns: s.widths.map(w => w * 1fr),
      stroke: 0.5pt + luma(140), inset: (x: 3pt, y: 4pt),
      table.header(..s.columns.map(c => table.cell(fill: luma(235),
                                                   text(font: sans, weight: "bold", c)))),
      ..s.rows.flatten(),
    )
  }
}

= 十一、信用提升建议
#for (i, p) in data.suggestions.enumerate() { par([#(i + 1). #p]) }
#v(1em)
#align(right, [#data.issuer #linebreak() #data.issued_at])
"""


class TypstEngine:
    def __init__(self):
        import typst

        self.dir = OUT / "typst_src"
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "report.typ").write_text(TYPST_TEMPLATE, encoding="utf-8")
        self.compiler = typst.Compiler(
            str(self.dir / "report.typ"), font_paths=[NOTO_DIR], ignore_system_fonts=True
        )

    def render(self, data: dict) -> bytes:
        return self.compiler.compile(
            format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False)}
        )


# -- weasyprint -----------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 2.4cm 1.8cm 2cm 1.8cm;
  @top-left { content: "信安市公共信用信息平台　公共信用信息报告"; font: 8pt "Noto Sans CJK SC";
              color: #5a5a5a; border-bottom: 0.4pt solid #969696; vertical-align: bottom;
              width: 50%; padding-bottom: 3pt; }
  @top-right { content: "报告编号：" string(number); font: 8pt "Noto Sans CJK SC"; color: #5a5a5a;
               border-bottom: 0.4pt solid #969696; vertical-align: bottom; text-align: right;
               width: 50%; padding-bottom: 3pt; }
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                   font: 8pt "Noto Sans CJK SC"; } }
@page :first { @top-left { content: none; border: none }
               @top-right { content: none; border: none } }
html { font: 10pt/1.6 "Noto Serif CJK SC"; }
.cover-grid td.number { string-set: number content(); }
h1.cover { font: bold 28pt "Noto Sans CJK SC"; letter-spacing: 4pt; text-align: center;
           margin: 2.2cm 0 0 0; }
.subtitle { font: 14pt "Noto Sans CJK SC"; text-align: center; }
.cover-grid { width: 78%; margin: 1.6cm auto 0 auto; border-collapse: collapse; }
.cover-grid th { font: bold 10pt "Noto Sans CJK SC"; text-align: left; white-space: nowrap;
                 padding: 6pt 6pt 6pt 0; }
.qr { text-align: center; margin-top: 1.2cm; } .qr img { width: 3.6cm; }
.hint { text-align: center; font-size: 9pt; color: #505050; }
.issuer { text-align: center; font: 12pt "Noto Sans CJK SC"; margin-top: 5cm;
          break-after: page; }
h2 { font: bold 12.5pt "Noto Sans CJK SC"; margin: 1.2em 0 0.7em 0; break-after: avoid; }
p.note { text-indent: 2em; text-align: justify; margin: 0 0 0.5em 0; }
table.t { width: 100%; border-collapse: collapse; font-size: 8pt; line-height: 1.35; }
table.t th, table.t td { border: 0.5pt solid #8c8c8c; padding: 4pt 3pt; vertical-align: top; }
table.t th { background: #ebebeb; font-family: "Noto Sans CJK SC"; font-weight: bold; }
table.t tr { break-inside: avoid; }
table.kv { width: 100%; border-collapse: collapse; font-size: 10pt; }
table.kv th, table.kv td { border: 0.5pt solid #8c8c8c; padding: 5pt; text-align: left; }
table.kv th { background: #f0f0f0; font-family: "Noto Sans CJK SC"; width: 3.2cm;
              font-weight: normal; }
.sign { text-align: right; margin-top: 1em; }
"""


def cover_rows(data: dict) -> list[tuple[str, str]]:
    """The cover's table, the same for the HTML and the ReportLab engines."""
    return [
        ("信用主体名称", data["subject"][0][1]),
        ("统一社会信用代码", data["subject"][1][1]),
        ("报告编号", data["number"]),
        ("核验码", data["verify_code"]),
        ("生成时间", data["issued_at"]),
        ("有效期至", data["valid_until"]),
    ]


NUMBER_CLASS = ' class="number"'


def report_html(data: dict) -> str:
    e = html.escape
    qr = base64.b64encode(data["qr_svg"].encode()).decode()
    cover = cover_rows(data)
    out = [
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(data["title"])}'
        f"</title><style>{CSS}</style></head><body>",
        f'<h1 class="cover">{e(data["title"])}</h1><p class="subtitle">{e(data["subtitle"])}</p>',
        '<table class="cover-grid">',
        *(
            f"<tr><th>{e(k)}：</th><td{NUMBER_CLASS if k == '报告编号' else ''}>{e(v)}</td></tr>"
            for k, v in cover
        ),
        "</table>",
        f'<div class="qr"><img src="data:image/svg+xml;base64,{qr}"></div>',
        '<p class="hint">扫描二维码或访问平台“报告核验”栏目，输入报告编号和核验码核验本报告</p>',
        f'<p class="issuer">{e(data["issuer"])}</p>',
        "<h2>一、报告说明</h2>",
        *(f'<p class="note">{e(p)}</p>' for p in data["notes"]),
        '<h2>二、基本信息</h2><table class="kv">',
        *(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in data["subject"]),
        "</table>",
        '<p style="font-family: Noto Sans CJK SC; font-weight: bold">信息概览</p>',
        '<table class="t" style="font-size: 10pt"><thead><tr><th>类别</th><th style="width: 2.4cm">'
        "记录数（条）</th></tr></thead><tbody>",
        *(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in data["summary"]),
        "</tbody></table>",
    ]
    for s in data["sections"]:
        out.append(f"<h2>{e(s['title'])}</h2>")
        if not s["rows"]:
            out.append(f"<p>{e(s['empty'])}</p>")
            continue
        total = sum(s["widths"])
        cols = "".join(f'<col style="width: {w / total * 100:.2f}%">' for w in s["widths"])
        head = "".join(f"<th>{e(c)}</th>" for c in s["columns"])
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in s["rows"])
        out.append(
            f'<table class="t"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
    out.append("<h2>十一、信用提升建议</h2>")
    out.extend(f"<p>{i}. {e(p)}</p>" for i, p in enumerate(data["suggestions"], 1))
    out.append(f'<p class="sign">{e(data["issuer"])}<br>{e(data["issued_at"])}</p></body></html>')
    return "".join(out)


class WeasyEngine:
    def __init__(self):
        from weasyprint import CSS as _CSS  # noqa: F401 - imported for the cold figure
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        self.HTML = HTML
        self.fonts = FontConfiguration()

    def render(self, data: dict) -> bytes:
        return self.HTML(string=report_html(data)).write_pdf(font_config=self.fonts)


# -- reportlab ------------------------------------------------------------------------------


class ReportLabEngine:
    def __init__(self, font_file: str = TTF_CJK):
        from reportlab.pdfbase import pdfmetrics

        if font_file.startswith("cid:"):  # a font the viewer must have: never embedded
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            self.font = font_file[4:]
            pdfmetrics.registerFont(UnicodeCIDFont(self.font))
            return
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("CJK", font_file, subfontIndex=0))
        self.font = "CJK"

    def render(self, data: dict) -> bytes:
        import io

        from reportlab.graphics.shapes import Drawing, Rect
        from reportlab.lib import colors
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import cm
        from reportlab.pdfgen import canvas as rl_canvas
        from reportlab.platypus import (
            LongTable,
            PageBreak,
            Paragraph,
            SimpleDocTemplate,
            Spacer,
            Table,
            TableStyle,
        )

        f = self.font
        body = ParagraphStyle("b", fontName=f, fontSize=10, leading=16, wordWrap="CJK")
        note = ParagraphStyle("n", parent=body, firstLineIndent=20)
        cell = ParagraphStyle("c", fontName=f, fontSize=8, leading=11, wordWrap="CJK")
        h = ParagraphStyle("h", fontName=f, fontSize=12.5, leading=18, spaceBefore=12, spaceAfter=7)
        title = ParagraphStyle("t", fontName=f, fontSize=28, leading=36, alignment=1)
        center = ParagraphStyle("ce", parent=body, alignment=1)
        grid = TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.55, 0.55, 0.55)),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
        width = A4[0] - 3.6 * cm
        m = data["qr_matrix"]
        unit = 3.6 * cm / len(m)
        qr = Drawing(3.6 * cm, 3.6 * cm)
        for y, row in enumerate(m):
            for x, v in enumerate(row):
                if v:
                    qr.add(
                        Rect(
                            x * unit,
                            (len(m) - 1 - y) * unit,
                            unit,
                            unit,
                            strokeColor=None,
                            fillColor=colors.black,
                        )
                    )
        P = Paragraph
        sub = ParagraphStyle("s", parent=center, fontSize=14, leading=22, spaceBefore=8)
        story = [
            Spacer(1, 2.2 * cm),
            P(data["title"], title),
            P(data["subtitle"], sub),
            Spacer(1, 1.6 * cm),
        ]
        cover = cover_rows(data)
        story.append(
            Table([[P(k + "：", body), P(v, body)] for k, v in cover], colWidths=[3.6 * cm, 8 * cm])
        )
        qr.hAlign = "CENTER"
        story += [
            Spacer(1, 1.2 * cm),
            qr,
            Spacer(1, 0.3 * cm),
            P("扫描二维码或访问平台“报告核验”栏目，输入报告编号和核验码核验本报告", center),
            Spacer(1, 5 * cm),
            P(data["issuer"], center),
            PageBreak(),
            P("一、报告说明", h),
            *(P(p, note) for p in data["notes"]),
            P("二、基本信息", h),
        ]
        kv = Table(
            [[P(k, body), P(v, body)] for k, v in data["subject"]],
            colWidths=[3.2 * cm, width - 3.2 * cm],
        )
        kv.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
        story += [kv, P("信息概览", body)]
        summary = LongTable(
            [[P("类别", body), P("记录数（条）", body)]]
            + [[P(k, body), P(v, body)] for k, v in data["summary"]],
            colWidths=[width - 2.4 * cm, 2.4 * cm],
            repeatRows=1,
        )
        summary.setStyle(grid)
        story.append(summary)
        for s in data["sections"]:
            story.append(P(s["title"], h))
            if not s["rows"]:
                story.append(P(s["empty"], body))
                continue
            total = sum(s["widths"])
            t = LongTable(
                [[P(c, cell) for c in s["columns"]]] + [[P(c, cell) for c in r] for r in s["rows"]],
                colWidths=[width * w / total for w in s["widths"]],
                repeatRows=1,
            )
            t.setStyle(grid)
            story.append(t)
        story.append(P("十一、信用提升建议", h))
        story += [P(f"{i}. {p}", body) for i, p in enumerate(data["suggestions"], 1)]
        story.append(
            P(
                f"{data['issuer']}<br/>{data['issued_at']}",
                ParagraphStyle("r", parent=body, alignment=2),
            )
        )

        class Numbered(rl_canvas.Canvas):
            """Pages kept until the end, so that each can say how many there are."""

            def __init__(self, *a, **kw):
                super().__init__(*a, **kw)
                self._pages = []

            def showPage(self):
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                n = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    page = self._pageNumber
                    self.setFont(f, 8)
                    if page > 1:
                        self.setFillColor(colors.Color(0.35, 0.35, 0.35))
                        self.drawString(
                            1.8 * cm, A4[1] - 1.9 * cm, f"{data['issuer']}　{data['title']}"
                        )
                        self.drawRightString(
                            A4[0] - 1.8 * cm, A4[1] - 1.9 * cm, f"报告编号：{data['number']}"
                        )
                        self.line(1.8 * cm, A4[1] - 2.0 * cm, A4[0] - 1.8 * cm, A4[1] - 2.0 * cm)
                        self.setFillColor(colors.black)
                    self.drawCentredString(A4[0] / 2, 1.2 * cm, f"第 {page} 页 / 共 {n} 页")
                    super().showPage()
                super().save()

        buf = io.BytesIO()
        doc = SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=1.8 * cm,
            rightMargin=1.8 * cm,
            topMargin=2.4 * cm,
            bottomMargin=2 * cm,
            title=data["title"],
        )
        doc.build(story, canvasmaker=Numbered)
        return buf.getvalue()


BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
ENGINES = {"typst": TypstEngine, "weasyprint": WeasyEngine, "reportlab": ReportLabEngine}


# -- worker (runs in the engine's venv: stdlib + the engine only) ---------------------------


def vary(data: dict, i: int) -> dict:
    """Another report of the same shape: its own number and its own rows (dates, numbers,
    facts drawn afresh), so that no engine serves a warm render from what it cached for
    an earlier report (Typst memoises layout: the same report again takes a fraction of
    the time, which no real sequence of reports would see)."""
    rng = random.Random(f"{data['number']}:{i}")
    d = dict(data, number=data["number"][:-3] + f"{i % 1000:03d}")
    d["sections"] = [
        dict(s, rows=[_cells(k, j, rng) for j in range(len(s["rows"]))])
        for k, s in enumerate(data["sections"])
    ]
    return d


def worker(args) -> None:
    t0 = time.perf_counter()
    data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    engine = ENGINES[args.worker]() if not args.font else ENGINES[args.worker](args.font)
    t1 = time.perf_counter()
    pdf = engine.render(data)
    t2 = time.perf_counter()
    result = {"setup_s": t1 - t0, "first_render_s": t2 - t1, "cold_s": t2 - t0}
    if args.runs:
        times = []
        for i in range(args.runs):
            d = vary(data, i + 1)
            t = time.perf_counter()
            pdf = engine.render(d)
            times.append(time.perf_counter() - t)
        result["warm_s"] = times
    import resource

    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    if args.pdf:
        Path(args.pdf).write_bytes(pdf)
    print("RESULT " + json.dumps(result))


# -- driver (project venv) ------------------------------------------------------------------


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def run_worker(
    python: str, engine: str, data: Path, runs: int, pdf: Path | None, font: str | None = None
) -> tuple[dict, float]:
    cmd = [
        python,
        str(Path(__file__).resolve()),
        "--worker",
        engine,
        "--data",
        str(data),
        "--runs",
        str(runs),
    ]
    if pdf:
        cmd += ["--pdf", str(pdf)]
    if font:
        cmd += ["--font", font]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)  # noqa: S603 - our own script
    wall = time.perf_counter() - t
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    if proc.returncode or line is None:
        raise RuntimeError(proc.stderr.strip()[-3000:] or proc.stdout[-3000:])
    return json.loads(line[len("RESULT ") :]), wall


def pdffonts(pdf: Path) -> list[dict]:
    cmd = ["pdffonts", str(pdf)]  # poppler-utils
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout  # noqa: S603
    fonts = []
    for line in out.splitlines()[2:]:
        m = re.match(r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
        if m:
            fonts.append(
                {
                    "name": m[1],
                    "type": m[2].strip(),
                    "encoding": m[3],
                    "emb": m[4] == "yes",
                    "sub": m[5] == "yes",
                    "uni": m[6] == "yes",
                }
            )
    return fonts


def to_png(pdf: Path, stem: str) -> tuple[int, list[str]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = len(doc)
    pngs = []
    for index in sorted({0, min(2, pages - 1)}):  # the cover and a page of tables
        path = OUT / f"{stem}-p{index + 1}.png"
        doc[index].render(scale=1.4).to_pil().save(path)
        pngs.append(str(path.relative_to(ROOT)))
    doc.close()
    return pages, pngs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", choices=list(ENGINES), help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--runs", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--pdf", help=argparse.SUPPRESS)
    ap.add_argument("--font", help=argparse.SUPPRESS)
    ap.add_argument(
        "--scratch-venv",
        default="/tmp/pdfbench-venv",  # noqa: S108 - a scratch venv, not a temporary file
        help="venv with weasyprint>=63 and reportlab (not project dependencies)",
    )
    ap.add_argument("--small-runs", type=int, default=30)
    ap.add_argument("--big-runs", type=int, default=10)
    ap.add_argument("--engines", default="typst,weasyprint,reportlab")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "pdf_engines.json"))
    args = ap.parse_args()
    if args.worker:
        return worker(args)

    OUT.mkdir(parents=True, exist_ok=True)
    data_files = {}
    for size in ("small", "big"):
        data_files[size] = OUT / f"data-{size}.json"
        data_files[size].write_text(
            json.dumps(report_data(size), ensure_ascii=False), encoding="utf-8"
        )
    scratch = str(Path(args.scratch_venv) / "bin" / "python")
    pythons = {"typst": sys.executable, "weasyprint": scratch, "reportlab": scratch}
    versions = {}
    for engine, module in (
        ("typst", "typst"),
        ("weasyprint", "weasyprint"),
        ("reportlab", "reportlab"),
    ):
        v = subprocess.run(  # noqa: S603 - the venvs' own interpreters, fixed arguments
            [
                pythons[engine],
                "-c",
                f"import importlib.metadata as m; print(m.version('{module}'))",
            ],
            capture_output=True,
            text=True,
        )
        versions[engine] = v.stdout.strip() or v.stderr.strip()[-200:]
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": os.uname().nodename,
        "cpus": os.cpu_count(),
        "load_at_start": os.getloadavg(),
        "versions": versions,
        "runs": {"small": args.small_runs, "big": args.big_runs},
        "engines": {},
    }
    for engine in args.engines.split(","):
        res: dict = {}
        font = None
        if engine == "reportlab":
            # First as the issue expects it to fail: the CFF-based Noto CJK collection.
            try:
                run_worker(pythons[engine], engine, data_files["small"], 0, None, NOTO_SANS)
                res["noto_cjk"] = "embedded without error"
            except RuntimeError as exc:
                last = [x for x in str(exc).splitlines() if x.strip()][-1]
                res["noto_cjk"] = f"failed: {last}"
            print(f"reportlab with {NOTO_SANS}: {res['noto_cjk']}", flush=True)
            # ReportLab's own CJK answer: a CID font named, not embedded (Adobe's Asian font
            # packs on the reader's side).
            cid = OUT / "reportlab-cid-small.pdf"
            run_worker(pythons[engine], engine, data_files["small"], 0, cid, "cid:STSong-Light")
            res["cid_font"] = {"font": "STSong-Light", "fonts": pdffonts(cid)}
            res["cid_font"]["pngs"] = to_png(cid, "reportlab-cid-small")[1]
            print(f"reportlab with a CID font: {res['cid_font']}", flush=True)
            font = TTF_CJK
            res["font"] = font
        for size in ("small", "big"):
            runs = args.small_runs if size == "small" else args.big_runs
            pdf = OUT / f"{engine}-{size}.pdf"
            warm, _ = run_worker(pythons[engine], engine, data_files[size], runs, pdf, font)
            cold, walls = [], []
            for _ in range(runs):
                r, wall = run_worker(pythons[engine], engine, data_files[size], 0, None, font)
                cold.append(r["cold_s"])
                walls.append(wall)
            pages, pngs = to_png(pdf, f"{engine}-{size}")
            fonts = pdffonts(pdf)
            cjk = [x for x in fonts if not x["name"].startswith(BASE14)]
            res[size] = {
                "warm_median_ms": round(statistics.median(warm["warm_s"]) * 1000, 1),
                "warm_p95_ms": round(pct(warm["warm_s"], 95) * 1000, 1),
                "cold_median_ms": round(statistics.median(cold) * 1000, 1),
                "cold_p95_ms": round(pct(cold, 95) * 1000, 1),
                "cold_process_wall_median_ms": round(statistics.median(walls) * 1000, 1),
                "warm_process_max_rss_mb": warm["max_rss_mb"],
                "pdf_bytes": pdf.stat().st_size,
                "pages": pages,
                "pngs": pngs,
                "fonts": fonts,
                "cjk_embedded_subset": bool(cjk) and all(x["emb"] and x["sub"] for x in cjk),
            }
            print(f"{engine} {size}: {json.dumps(res[size], ensure_ascii=False)}", flush=True)
        results["engines"][engine] = res
    results["load_at_end"] = os.getloadavg()
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print()
    print(
        f"{'engine':<11}{'size':<6}{'warm p50':>10}{'warm p95':>10}{'cold p50':>10}{'cold p95':>10}"
        f"{'proc wall':>10}{'pages':>7}{'bytes':>10}  fonts embedded+subset"
    )
    for engine, res in results["engines"].items():
        for size in ("small", "big"):
            r = res[size]
            print(
                f"{engine:<11}{size:<6}{r['warm_median_ms']:>10}{r['warm_p95_ms']:>10}"
                f"{r['cold_median_ms']:>10}{r['cold_p95_ms']:>10}{r['cold_process_wall_median_ms']:>10}"
                f"{r['pages']:>7}{r['pdf_bytes']:>10}  {r['cjk_embedded_subset']} "
                f"({', '.join(x['name'] + ' ' + x['type'] for x in r['fonts'])})"
            )
    if "reportlab" in results["engines"]:
        print("reportlab with Noto CJK:", results["engines"]["reportlab"]["noto_cjk"])


if __name__ == "__main__":
    main()
