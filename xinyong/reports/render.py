"""PDFs typeset by Typst (the `typst` package: the compiler itself, no external process):
credit reports and the platform's official documents (prior notices, decisions,
rectification orders, correction notices). Chosen by measurement on this machine
(bench/pdf_engines.py, bench/RESULTS.md): it embeds the CFF-based Noto CJK fonts subset and
lays out a two-page report in about 10 ms once warm. The templates are static; the data
reaches them as JSON through ``sys.inputs``, so no value can inject markup.

A compiler holds the parsed fonts (about 80 ms to load) and is bound to its template, so
one is kept per template and process."""

import io
import threading
from functools import lru_cache
from pathlib import Path

import segno
import typst
from django.conf import settings

from xinyong.reports.schemas import ReportDoc
from xinyong.reports.signing import canonical

TYPST_DIR = Path(__file__).resolve().parent / "typst"
TEMPLATE = TYPST_DIR / "report.typ"
# An official document of the platform: one layout for every kind (see document.typ).
DOCUMENT_TEMPLATE = TYPST_DIR / "document.typ"
_lock = threading.Lock()  # a compiler is not meant to compile twice at once


@lru_cache(maxsize=4)
def _compiler(template: Path = TEMPLATE) -> typst.Compiler:
    return typst.Compiler(
        str(template),
        font_paths=[str(p) for p in settings.XINYONG_REPORT_FONT_DIRS],
        ignore_system_fonts=True,
    )


def qr_svg(url: str) -> str:
    out = io.BytesIO()
    # A fixed mask: choosing the "best" of eight costs ~8 ms per code in pure Python (a
    # third of a report's typesetting) for no difference a scanner notices on paper.
    segno.make(url, error="m", mask=0).save(out, kind="svg", scale=4, border=2)
    return out.getvalue().decode()


def _compile(template: Path, inputs: dict[str, str]) -> bytes:
    with _lock:
        return _compiler(template).compile(format="pdf", sys_inputs=inputs)


def render_pdf(doc: ReportDoc, *, code: str, link: str) -> bytes:
    """The PDF of ``doc``; ``code``: its verification code, ``link``: what the QR code
    opens (the verification page with number and code filled in)."""
    inputs = {
        "data": canonical(doc.model_dump(mode="json")).decode(),
        "code": code,
        "qr": qr_svg(link),
    }
    return _compile(TEMPLATE, inputs)


def render_document(doc) -> bytes:
    """The PDF of an official document (``DocumentDoc``, see ``reports.schemas``): the
    issuing body's heading, title, number, addressee, numbered sections, closing and the
    issuer's signature block, in the platform's layout."""
    return _compile(DOCUMENT_TEMPLATE, {"data": canonical(doc.model_dump(mode="json")).decode()})


def render_template(template: Path, data: dict) -> bytes:
    """The PDF of another static template in the same manner (an app's own layout, e.g.
    the monthly effectiveness report): ``data`` as JSON in ``sys.inputs.data``."""
    return _compile(template, {"data": canonical(data).decode()})
