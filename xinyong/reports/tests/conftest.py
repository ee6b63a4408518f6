import re

import pypdfium2 as pdfium
import pytest
from django.conf import settings

from xinyong.lists.tests.conftest import designate, penalty_record  # noqa: F401 - shared fixture


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF (what a reader sees), pages joined, without the
    spaces the typesetter puts between Chinese and Latin characters."""
    doc = pdfium.PdfDocument(data)
    try:
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()
    return text.replace(" ", "").replace("\r", "")


def look(data: bytes, name: str, folder: str = "documents") -> str:
    """A real PDF (every font embedded), each page rendered to PNG under the artifacts
    directory (``folder``) and not blank (ink on it); its text, lines joined (a sentence
    wraps where the page ends a line)."""
    assert data.startswith(b"%PDF-")
    fonts = len(re.findall(rb"/Type\s*/FontDescriptor\b", data))
    assert fonts and fonts == len(re.findall(rb"/FontFile[23]?\b", data)), "a font not embedded"
    out = settings.VAR_DIR / "artifacts" / folder
    out.mkdir(parents=True, exist_ok=True)
    doc = pdfium.PdfDocument(data)
    try:
        for i in range(len(doc)):
            image = doc[i].render(scale=1.3).to_pil().convert("L")
            image.save(out / f"{name}-{i + 1}.png")
            dark = sum(image.histogram()[:128])
            assert dark > 2000, f"{name} page {i + 1} is blank ({dark} dark pixels)"
    finally:
        doc.close()
    return pdf_text(data).replace("\n", "")


@pytest.fixture
def published(penalty_record):  # noqa: F811 - the shared fixture
    """The penalty against 华为技术有限公司, published by the dual-publicity sweep."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.sweep import publication_sweep

    publication_sweep(actor=SYSTEM)
    return penalty_record


@pytest.fixture
def listed(actors, published):
    """华为技术有限公司 with a penalty in publicity and a serious-dishonesty entry in force."""
    return designate(actors, published)


def orgs_load(departments, n: int, seed: int = 31) -> list[str]:
    """``n`` demo organisations registered by the market regulator: their USCCs."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.subjects import bulk, demo
    from xinyong.subjects.bulk import OrgLoad

    dept = departments["market"].pk
    orgs = [
        OrgLoad(o.kind, o.uscc, o.name, o.legal_form, o.established_on, o.address, o.status, dept)
        for o in demo.organizations(seed, 0, n)
        if o.kind == "organization"
    ]
    bulk.subjects_bulk_load(actor=SYSTEM, organizations=orgs)
    return [o.uscc for o in orgs]
