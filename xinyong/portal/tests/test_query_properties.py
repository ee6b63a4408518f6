"""Property tests of the pages' query strings (Hypothesis): every GET page of the portal
(anonymous) and of the back office (the platform operator), found in the URL
configuration so a new page is covered as soon as it is routed, gets the parameters the
views read (q, page, offset, filters, dates…) and unknown ones, with hostile values:
NUL, lone surrogates, bytes that are not UTF-8, negative and huge numbers, digits int()
cannot read. Path ids are real ones or beyond 64 bits. No answer may be a 5xx: a page
refuses (400), does not find (404) or clamps (200)."""

import os
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.core.tests import fuzzstats
from xinyong.ingest.models import Batch
from xinyong.ingest.tests.conftest import penalty, push
from xinyong.records.models import Record

EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 15))
AREAS = {"portal": "anonymous", "backoffice": "operator"}
# What the views read (grep request.GET), and a few they do not.
NAMES = ["q", "page", "offset", "category", "kind", "date_from", "date_to", "provider",
         "period", "status", "outcome", "item", "year", "subject", "verify", "record",
         "entry", "matter", "next", "page_size", "format", "month", "department", "by",
         "profession"]  # fmt: skip
SKIP = {"portal:account_logout", "backoffice:logout"}  # POST only; sign-out is not a page


def _pages() -> list[tuple[str, str, dict]]:
    """(area, name, converters of the path arguments) of every named page of the areas."""
    found = []

    def walk(patterns, namespace, converters):
        for p in patterns:
            conv = {**converters, **getattr(p.pattern, "converters", {})}
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace, conv)
            elif isinstance(p, URLPattern) and p.name and namespace in AREAS:
                name = f"{namespace}:{p.name}"
                if name not in SKIP:
                    found.append((namespace, name, {k: type(v).__name__ for k, v in conv.items()}))

    walk(get_resolver().url_patterns, None, {})
    return sorted(found)


PAGES = _pages()

bad_text = st.builds(
    lambda a, bad, b: a + bad + b,
    st.text(max_size=6),
    st.sampled_from(["\x00", "\ud800", "\udfff", "\x00\x00"]),
    st.text(max_size=6),
)
numbers = st.one_of(
    st.integers(-5, 600),
    st.integers(min_value=2**63 - 2, max_value=2**64 + 2),
    st.integers(max_value=-(2**63), min_value=-(2**70)),
    st.integers(min_value=2**64, max_value=2**300),
).map(str)
ODD = ["²", "١٢", "1e9", "0x10", " 3 ", "2026-02-30", "2026-13-01", "9" * 5000, "penalty",
       "licence", "rejected", "2026-11", "华为", ""]  # fmt: skip
values = st.one_of(st.text(max_size=20), bad_text, numbers, numbers, st.sampled_from(ODD))


def _encode(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _raw(value: str, raw_bytes: bytes | None) -> str:
    return _encode(value) if raw_bytes is None else quote(raw_bytes, safe="")


@st.composite
def queries(draw) -> str:
    names = draw(st.lists(st.one_of(st.sampled_from(NAMES), st.text(max_size=5)), max_size=4))
    parts = []
    for name in names:
        raw_bytes = draw(st.sampled_from([None] * 8 + [b"\xff", b"\xc3\x28", b"\xe5\x8d"]))
        parts.append(f"{_encode(name)}={_raw(draw(values), raw_bytes)}")
    return "&".join(parts)


@pytest.fixture
def city(client, market_token, org_with_rep):
    """A subject with records and a batch: the ids of real pages to open."""
    push(client, market_token, "administrative_penalty", [penalty(1), penalty(2)])
    return [org_with_rep.pk, *Record.objects.values_list("pk", flat=True),
            *Batch.objects.values_list("pk", flat=True)]  # fmt: skip


def _path(name: str, converters: dict, draw_value) -> str:
    """The page's path: real ids, ids beyond 64 bits, or hostile text for str arguments."""
    from django.urls import reverse

    kwargs = {k: draw_value(v) for k, v in converters.items()}
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("area", sorted(AREAS))
def test_pages_answer_hostile_query_strings_without_5xx(city, users, area):
    """One property per area (one set-up of its data), over all its pages: about
    ``EXAMPLES`` requests per page."""
    pages = [(name, conv) for a, name, conv in PAGES if a == area]
    client = Client()
    if AREAS[area] == "operator":
        client.force_login(users["operator"])
    ids = st.one_of(st.sampled_from(city), st.integers(0, 2**80))
    texts = st.one_of(
        st.sampled_from(["administrative_penalty", "x"]), st.text(min_size=1, max_size=8)
    )

    @settings(max_examples=EXAMPLES * len(pages), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.data(), st.sampled_from(pages), queries())
    def check(data, page, query):
        def draw_value(converter):
            if converter == "IntConverter":
                return data.draw(ids)
            return data.draw(texts.filter(lambda t: "/" not in t))

        path = _path(page[0], page[1], draw_value)
        with fuzzstats.timed("pages (hostile query strings)"):
            r = client.get(f"{path}?{query}")
        fuzzstats.record("pages (hostile query strings)", r.status_code)
        assert r.status_code < 500, (path, query)

    check()
