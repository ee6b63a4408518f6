"""The change log under concurrent writers: numbers in commit order, so a reader moving its
cursor page after page never skips a change committed late nor reads one twice, and never
waits for a writer."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from xinyong.exchange.log import changes_append, horizon
from xinyong.exchange.models import Change
from xinyong.exchange.selectors import changes_read


def _append(n: int) -> None:
    with transaction.atomic():
        changes_append("repairs", [("approve", n, None)], timezone.now())


def _read_all(after: int) -> tuple[list[int], int]:
    got = []
    while True:
        rows, nxt = changes_read("repairs", after=after, limit=7)
        got += [r.object_id for r in rows]
        if nxt is None:
            return got, after
        after = nxt


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_is_read_in_its_place():
    start = horizon()
    if connection.vendor == "sqlite":  # one writer at a time: numbered and committed in order
        _append(1), _append(2)
        assert _read_all(start)[0] == [1, 2]
        return
    appended, commit, done = threading.Event(), threading.Event(), []

    def slow():  # numbers its change first, commits last
        try:
            with transaction.atomic():
                changes_append("repairs", [("approve", 1, None)], timezone.now())
                appended.set()
                commit.wait(10)
        finally:
            connections.close_all()

    def fast():
        try:
            _append(2)
            done.append(time.monotonic())
        finally:
            connections.close_all()

    slow_writer, fast_writer = threading.Thread(target=slow), threading.Thread(target=fast)
    slow_writer.start()
    assert appended.wait(10)
    fast_writer.start()
    time.sleep(0.3)
    assert done == []  # the second writer numbers after the first one commits
    t0 = time.monotonic()
    assert _read_all(start) == ([], start)  # the reader does not wait for either
    assert time.monotonic() - t0 < 0.2
    commit.set()
    slow_writer.join(10), fast_writer.join(10)
    got, _cursor = _read_all(start)
    assert got == [1, 2]
    assert list(Change.objects.filter(seq__gt=start).values_list("seq", flat=True)) == [
        start + 1, start + 2
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_many_writers_and_a_reader_polling_meet_every_change_once():
    """Four writers × 30 acts, one to three changes each, while a reader pages by cursor:
    the reader ends with every change exactly once, in number order, numbers unbroken."""
    start = horizon()
    # SQLite (the tests' shared in-memory database) locks whole tables across threads: its
    # one writer and the reader take turns there, so the race is PostgreSQL's to show.
    sqlite = connection.vendor == "sqlite"
    writers = 1 if sqlite else 4
    stop, seen, errors = threading.Event(), [], []

    def write(w: int):
        try:
            for i in range(30):
                rows = [("approve", w * 1000 + i * 10 + k, None) for k in range(1 + i % 3)]
                with transaction.atomic():
                    changes_append("repairs", rows, timezone.now())
                    time.sleep(0.001 * (i % 4))  # commits late now and then
        except Exception as e:
            errors.append(e)
        finally:
            if not sqlite:
                connections.close_all()

    def read():
        after = start
        try:
            while True:
                rows, nxt = changes_read("repairs", after=after, limit=5)
                seen.extend(r.seq for r in rows)
                if nxt is not None:
                    after = nxt
                elif stop.is_set():
                    return
                else:
                    time.sleep(0.002)
        finally:
            if not sqlite:
                connections.close_all()

    if sqlite:
        write(0)
        stop.set()
        read()
    else:
        reader = threading.Thread(target=read)
        reader.start()
        threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        stop.set()
        reader.join(30)
    assert errors == []
    total = writers * sum(1 + i % 3 for i in range(30))
    assert seen == list(range(start + 1, start + total + 1))
