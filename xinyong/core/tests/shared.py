"""Data built once for a test module, as Django's ``TestCase.setUpTestData`` does: in a
transaction opened before the module's first test and rolled back after its last, each test
in a savepoint of it (pytest-django's ``db`` fixture nests its atomic block inside), so a
test's writes are still undone before the next one's.

For what is costly to build and the same for every test of a module (a city read by every
page test, the API's fixtures before each of its ~150 property tests). Built under the
settings the per-test fixtures of ``xinyong/conftest.py`` give (files, background jobs,
fast password hashing, next year's working-day calendar), its files in one directory for
the module; :func:`apply_files` gives a test the same files.

The objects it returns are shared by the module's tests: a test that changes one in memory
changes it for the next; such a test reads its own copy from the database."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def module_transaction(django_db_blocker, directory: Path) -> Iterator[dict]:
    """Open the module's transaction; yields the files' settings (for :func:`apply_files`)."""
    from django.db import transaction
    from django.test import override_settings

    from xinyong.conftest import FAST_HASHERS, files_and_jobs, next_year_confirmed
    from xinyong.core import workdays

    files = files_and_jobs(directory)
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS, **files):
            next_year_confirmed(mp)
            workdays.forget()
            atomic = transaction.atomic(using="default")
            atomic._from_testcase = True  # a durable block inside is the test's own
            atomic.__enter__()
            try:
                yield files
            finally:
                transaction.set_rollback(True, using="default")
                atomic.__exit__(None, None, None)
                workdays.forget()


def apply_files(settings, files: dict) -> None:
    """A test's settings point at the module's files (its own per-test ones otherwise)."""
    for name, value in files.items():
        setattr(settings, name, value)
