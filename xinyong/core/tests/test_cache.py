"""Cached page parts (xinyong/core/cache.py): kept while nothing they show changes, computed
again as soon as a change commits — whichever service made it — and not when it was
refused and rolled back."""

import pytest
from django.db import transaction

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.services import department_save
from xinyong.core import cache as page_cache

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"value {self.calls}"


def test_a_part_is_kept_until_a_change_to_what_it_shows_commits(
    django_capture_on_commit_callbacks,
):
    compute = Counter()
    assert page_cache.cached("k", "public", compute) == "value 1"
    assert page_cache.cached("k", "public", compute) == "value 1"  # kept
    with django_capture_on_commit_callbacks(execute=True):
        department_save(actor=SYSTEM, code="JT", name="信安市交通运输局", kind="administrative")
    assert page_cache.cached("k", "public", compute) == "value 2"  # the change is seen at once
    assert page_cache.cached("k", "public", compute) == "value 2"


def test_a_refused_change_keeps_the_part(django_capture_on_commit_callbacks):
    compute = Counter()
    page_cache.cached("k", "public", compute)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            department_save(actor=SYSTEM, code="JT", name="信安市交通运输局",
                            kind="administrative")  # fmt: skip
            raise RuntimeError("a later step failed: the whole operation is rolled back")
    assert page_cache.cached("k", "public", compute) == "value 1"


def test_reads_and_unrelated_changes_do_not_invalidate():
    assert page_cache.scopes_changed_by("credit_file.read") == ()
    assert page_cache.scopes_changed_by("check.feedback") == ()
    assert page_cache.scopes_changed_by("list_entry.statement") == ()
    assert page_cache.scopes_changed_by("batch.apply") == ("public",)
    assert page_cache.scopes_changed_by("objection.decide") == ("public",)


def test_a_lost_generation_never_comes_back_as_an_old_one():
    """If the cache loses the generation (evicted, restarted), a part cached under the old
    one must not be read again."""
    from django.core.cache import cache

    compute = Counter()
    page_cache.cached("k", "public", compute)
    cache.delete("gen:public")
    assert page_cache.cached("k", "public", compute) == "value 2"


def test_a_stale_figure_is_counted_again_by_one_request_while_the_others_show_the_last(
    monkeypatch,
):
    from django.core.cache import cache

    compute = Counter()
    assert page_cache.figure("f", compute) == "value 1"
    assert page_cache.figure("f", compute) == "value 1"  # fresh: kept
    clock = page_cache.time.time() + 301
    monkeypatch.setattr(page_cache.time, "time", lambda: clock)
    cache.add("f:computing", 1)  # another request is counting it now…
    assert page_cache.figure("f", compute) == "value 1"  # …so this one shows the last value
    cache.delete("f:computing")
    assert page_cache.figure("f", compute) == "value 2"  # stale and nobody counting: counted
    assert compute.calls == 2


def test_a_cache_server_down_degrades_to_computing(settings):
    """Redis unreachable: pages are computed as if nothing were cached, never refused."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # fmt: skip
    compute = Counter()
    assert page_cache.cached("k", "public", compute) == "value 1"
    assert page_cache.cached("k", "public", compute) == "value 2"
    assert page_cache.figure("f", compute) == "value 3"
