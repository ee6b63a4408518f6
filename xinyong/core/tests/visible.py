"""What a person reads on a page, and the check that no internal code is in it.

Pages show names: 行政处罚信息, not ``administrative_penalty``; 信安市市场监督管理局, not
``SCJG``; 命令导入, not ``cli``; 已公示, not ``public``. Codes stay where machines read them —
URLs, form values, ``data-`` attributes, the API's JSON — so the check looks at the visible
text only: tags, attributes, scripts and styles are stripped first.

:func:`assert_no_codes` is meant for every page test, the browser tests included
(``assert_no_codes(page.content())``). It checks the Chinese interface (in the English one
the labels are English words, some equal to enum values)."""

import functools
import html as htmlmod
import importlib
import pkgutil
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

import xinyong

_TAGS = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
# Attributes people read too: a placeholder in an empty field, an image's alternative text,
# a control's accessible name (screen readers). A ``title`` tooltip may hold the stored
# form for experts (the audit log's object type and id), so it is not counted.
_READ_ATTRS = re.compile(r"""\s(?:placeholder|alt|aria-label)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HIDDEN = re.compile(r"(?is)<(script|style|template)\b.*?</\1\s*>|<!--.*?-->")
_SPACE = re.compile(r"\s+")
_ASCII_WORD = "A-Za-z0-9_/"  # a word, or a path: /api/v1/reports/keys is an address
# The batch provenance as staff once read it: "批次 #5 第 1 行"; pages say 第 5 批 第 1 行.
BATCH_HASH = re.compile(r"批次\s*#\s*\d")
# On a public or account page a record's provenance is its department and date only.
BATCH_WORDS = re.compile(r"第\s*\d+\s*批")


def visible_text(html: str) -> str:
    """The page's text as people read it: scripts, styles, comments, tags and attributes
    removed (but placeholders, alternative texts and accessible names kept), entities
    decoded, white space collapsed."""

    def tag(m: re.Match) -> str:
        said = [a or b for a, b in _READ_ATTRS.findall(m.group(0))]
        return " " + " ".join(said) + " " if said else " "

    text = _TAGS.sub(tag, _HIDDEN.sub(" ", html))
    return _SPACE.sub(" ", htmlmod.unescape(text)).strip()


@functools.cache
def catalog_codes() -> frozenset[str]:
    """Every item code of the default catalog (``xinyong/catalog/default/*.yaml``)."""
    folder = Path(xinyong.__file__).parent / "catalog" / "default"
    return frozenset(
        yaml.safe_load(p.read_text(encoding="utf-8"))["code"] for p in folder.glob("*.yaml")
    )


@functools.cache
def enum_values() -> frozenset[str]:
    """Every value of every enum (``TextChoices``) in the apps' ``choices`` modules: status,
    channel, kind, role… values, which pages show by their labels."""
    from django.db import models

    values = set()
    for module in pkgutil.iter_modules(xinyong.__path__):
        try:
            choices = importlib.import_module(f"xinyong.{module.name}.choices")
        except ModuleNotFoundError:
            continue
        for obj in vars(choices).values():
            if isinstance(obj, type) and issubclass(obj, models.TextChoices):
                values.update(v for v in obj.values if re.fullmatch(r"[a-z][a-z0-9_.:]*", v))
    return frozenset(values)


@functools.cache
def field_codes() -> frozenset[str]:
    """Every field code of the default catalog (CF_WFXW…), with the subject block's: shown
    only where a page is about the catalog's fields themselves."""
    from xinyong.catalog.definitions import SUBJECT_BLOCK

    folder = Path(xinyong.__file__).parent / "catalog" / "default"
    codes = {f.code for f in SUBJECT_BLOCK}
    for p in folder.glob("*.yaml"):
        item = yaml.safe_load(p.read_text(encoding="utf-8"))
        codes.update(f["code"] for f in item.get("fields", ()))
        codes.update(a for f in item.get("fields", ()) for a in f.get("aliases", ()))
    return frozenset(c for c in codes if re.fullmatch(r"[A-Z][A-Z0-9_]+", c))


def department_codes() -> frozenset[str]:
    """The codes of the departments in the database (the test's fixtures or demo city)."""
    from xinyong.accounts.models import Department

    return frozenset(Department.objects.values_list("code", flat=True))


def channel_labels() -> frozenset[str]:
    from xinyong.records.choices import Channel

    return frozenset(str(label) for label in Channel.labels)


def codes_in(text: str, codes: Iterable[str]) -> list[str]:
    """The codes that occur in ``text`` as whole words (not inside a longer ASCII word: a
    department code ``SW`` is not found in a USCC or a report number; nor in an address
    written out for developers, ``GET /api/v1/reports/keys``)."""
    codes = sorted(set(codes), key=len, reverse=True)
    if not codes:
        return []
    pattern = re.compile(
        rf"(?<![{_ASCII_WORD}])(?:{'|'.join(map(re.escape, codes))})(?![{_ASCII_WORD}])"
    )
    return sorted(set(pattern.findall(text)))


def assert_no_codes(
    html: str,
    *,
    public: bool = False,
    names: Iterable[str] = (),
    departments: Iterable[str] | None = None,
    allow: Iterable[str] = (),
    where: str = "",
    fields: bool = False,
) -> str:
    """Fail when the page's visible text shows a catalog item code, a department code, an
    enum value or the "批次 #5" provenance; with ``public`` (a public or account page), also
    when it shows batch words or a channel label (provenance there is the department and
    the date); with ``fields``, also a catalog field's code (CF_WFXW). ``names``: texts
    that must be visible (the names shown instead). ``allow``: codes this page shows on
    purpose. Returns the visible text."""
    text = visible_text(html)
    where = f"{where}: " if where else ""
    depts = department_codes() if departments is None else frozenset(departments)
    codes = catalog_codes() | depts | enum_values() | (field_codes() if fields else frozenset())
    codes -= set(allow)
    found = codes_in(text, codes)
    assert not found, f"{where}internal codes shown: {found}\n{_around(text, found)}"
    assert not BATCH_HASH.search(text), f"{where}batch shown as 批次 #: {_around(text, ['批次'])}"
    if public:
        leaked = [w for w in channel_labels() if w in text]
        assert not BATCH_WORDS.search(text) and not leaked, (
            f"{where}staff provenance on a public page: {leaked}\n{_around(text, ['批'])}"
        )
    missing = [n for n in names if n not in text]
    assert not missing, f"{where}names not shown: {missing}"
    return text


def _around(text: str, words: Iterable[str]) -> str:
    out = []
    for w in words:
        i = text.find(w)
        if i >= 0:
            out.append("…" + text[max(0, i - 60) : i + len(w) + 60] + "…")
    return "\n".join(out)
