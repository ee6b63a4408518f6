"""The policy documents column (政策法规): the platform's policy texts, shipped as data
(``texts/``: each document's text as published, and ``index.yaml`` naming them), read
once per process. No model: the documents change with a release, not at run time, and a
handful of texts is searched faster in memory than through a table. The text is shown
escaped, paragraph by paragraph — never rendered as markup."""

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import gettext

from xinyong.core.errors import FieldError, NotFound, ValidationFailed

TEXTS = Path(__file__).resolve().parent / "texts"
QUERY_MAX = 50
EXCERPT = 60  # characters of text shown around a match


@dataclass(frozen=True)
class PolicyDocument:
    slug: str
    title: str
    issuer: str
    number: str  # the document number (文号), "" when it has none
    issued_on: datetime.date | None
    text: str

    @property
    def paragraphs(self) -> list[str]:
        """The text's non-empty lines, stripped (the published texts put one paragraph
        on a line)."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]


@dataclass(frozen=True)
class PolicyHit:
    document: PolicyDocument
    excerpt: str  # where the text holds the query ("" when the title does)


@lru_cache(maxsize=1)
def policy_documents() -> tuple[PolicyDocument, ...]:
    """Every document, newest first (undated last)."""
    entries = yaml.safe_load((TEXTS / "index.yaml").read_text(encoding="utf-8"))
    docs = [
        PolicyDocument(
            slug=e["slug"],
            title=e["title"],
            issuer=e.get("issuer") or "",
            number=e.get("number") or "",
            issued_on=e.get("issued_on"),
            text=(TEXTS / e["file"]).read_text(encoding="utf-8"),
        )
        for e in entries
    ]

    def newest_first(d: PolicyDocument):
        return (d.issued_on is None, -(d.issued_on or datetime.date.min).toordinal())

    return tuple(sorted(docs, key=newest_first))


def policy_search(*, q: str = "") -> list[PolicyHit]:
    """Documents whose title, number or text holds ``q`` (all of them without one), with
    an excerpt of the text around the first match."""
    query = " ".join((q or "").split())
    if len(query) > QUERY_MAX:
        message = gettext("查询内容不得超过%(n)s个字符") % {"n": QUERY_MAX}
        raise ValidationFailed([FieldError("q", "max_length", message)])
    hits = []
    for d in policy_documents():
        if not query or query in d.title or query in d.number:
            hits.append(PolicyHit(d, ""))
            continue
        at = d.text.find(query)
        if at >= 0:
            start = max(at - EXCERPT // 2, 0)
            excerpt = " ".join(d.text[start : at + len(query) + EXCERPT // 2].split())
            hits.append(PolicyHit(d, ("…" if start else "") + excerpt + "…"))
    return hits


def policy_get(*, slug: str) -> PolicyDocument:
    for d in policy_documents():
        if d.slug == slug:
            return d
    raise NotFound(gettext("没有政策文件 %(slug)s") % {"slug": slug})
