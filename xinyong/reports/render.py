"""Reports as PDF, typeset by Typst (the `typst` package: the compiler itself, no external
process). Chosen by measurement on this machine (bench/pdf_engines.py, bench/RESULTS.md):
it embeds the CFF-based Noto CJK fonts subset and lays out a two-page report in about
10 ms once warm. The template is static; the report's data reaches it as JSON through
``sys.inputs``, so no value can inject markup.

A compiler holds the parsed fonts (about 80 ms to load), so one is kept per process."""

import io
import threading
from functools import lru_cache
from pathlib import Path

import segno
import typst
from django.conf import settings

from xinyong.reports.schemas import ReportDoc
from xinyong.reports.signing import canonical

TEMPLATE = Path(__file__).resolve().parent / "typst" / "report.typ"
_lock = threading.Lock()  # a compiler is not meant to compile twice at once


@lru_cache(maxsize=1)
def _compiler() -> typst.Compiler:
    return typst.Compiler(
        str(TEMPLATE),
        font_paths=[str(p) for p in settings.XINYONG_REPORT_FONT_DIRS],
        ignore_system_fonts=True,
    )


def qr_svg(url: str) -> str:
    out = io.BytesIO()
    # A fixed mask: choosing the "best" of eight costs ~8 ms per code in pure Python (a
    # third of a report's typesetting) for no difference a scanner notices on paper.
    segno.make(url, error="m", mask=0).save(out, kind="svg", scale=4, border=2)
    return out.getvalue().decode()


def render_pdf(doc: ReportDoc, *, code: str, link: str) -> bytes:
    """The PDF of ``doc``; ``code``: its verification code, ``link``: what the QR code
    opens (the verification page with number and code filled in)."""
    inputs = {
        "data": canonical(doc.model_dump(mode="json")).decode(),
        "code": code,
        "qr": qr_svg(link),
    }
    with _lock:
        return _compiler().compile(format="pdf", sys_inputs=inputs)
