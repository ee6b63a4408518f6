"""Name searches made only of common words (有限公司, 科技有限公司…) are answered on
PostgreSQL from one cached scan (subjects.search._window): the same pages, exact names first
and counts as the uncached search gives, and a subject registered a moment ago is found at
once (its registration's audit event invalidates the scan)."""

import pytest

from xinyong.subjects import search, selectors, services
from xinyong.subjects.demo import make_uscc

pytestmark = pytest.mark.django_db


def _ids(q, page, size=10):
    return [s.pk for s in selectors.subject_search(q=q, page=page, page_size=size).results]


def test_common_word_search_pages_counts_and_fresh_subjects(
    actors, monkeypatch, django_capture_on_commit_callbacks
):
    clerk = actors["market_clerk"]
    with django_capture_on_commit_callbacks(execute=True):
        made = [
            services.organization_register(
                actor=clerk, uscc=make_uscc("91", "440300", 1000 + i), name=f"信安{i:02d}有限公司"
            ).pk
            for i in range(23)
        ]
        exact = services.organization_register(
            actor=clerk, uscc=make_uscc("91", "440300", 5000), name="有限公司"
        ).pk
    # Every bigram of the query common: the scan path on PostgreSQL (SQLite: its index).
    monkeypatch.setattr(search, "_common", lambda cur: {k: 0.9 for k in search._KEYS.values()})
    pages = [_ids("有限公司", p) for p in (1, 2, 3)]
    assert pages[0][0] == exact  # the exact name first
    assert sorted(x for p in pages for x in p) == sorted([exact, *made])
    assert pages[2] == sorted(made)[-4:]  # then by id, 10 a page
    page = selectors.subject_search(q="有限公司")
    counts = selectors.subject_search_counts(page)
    assert (counts.organization, counts.individual_business) == (24, 0)
    with django_capture_on_commit_callbacks(execute=True):
        late = services.organization_register(
            actor=clerk, uscc=make_uscc("91", "440300", 6000), name="后来有限公司"
        ).pk
    assert late in _ids("有限公司", 3)  # found at once, not after the cache expires
    again = selectors.subject_search_counts(selectors.subject_search(q="有限公司"))
    assert again.organization == 25
