import pypdfium2 as pdfium
import pytest

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
