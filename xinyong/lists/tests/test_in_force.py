"""One rule says whether a list entry has effect: the query (``in_force_q``, the manager's
``in_force()``) and the method on an entry already read (``is_in_force``) agree for every
status and term, and the credit check's prepared query — compiled from the same rule —
finds exactly those entries."""

import datetime
import itertools

import pytest

from xinyong.lists.choices import EntryStatus
from xinyong.lists.models import ListEntry, ListEntryPerson, in_force_q
from xinyong.lists.tests.conftest import open_case
from xinyong.sanctions.selectors import entries_in_force

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)
TERMS = [None, TODAY - datetime.timedelta(days=1), TODAY, TODAY + datetime.timedelta(days=1)]


def test_query_method_and_prepared_check_agree(actors, penalty_record):
    entry = open_case(actors, penalty_record)
    seen = []
    for status, term_end in itertools.product(EntryStatus.values, TERMS):
        ListEntry.objects.filter(pk=entry.pk).update(status=status, term_end=term_end)
        e = ListEntry.objects.get(pk=entry.pk)
        queried = ListEntry.objects.in_force(TODAY).filter(pk=e.pk).exists()
        assert queried == e.is_in_force(TODAY), (status, term_end)
        assert queried == ListEntry.objects.filter(in_force_q(TODAY), pk=e.pk).exists()
        checked = [x["id"] for x in entries_in_force(e.subject_id, TODAY)]
        assert checked == ([e.pk] if queried else []), (status, term_end)
        seen.append(queried)
    # In force: published, with no end or an end not yet passed (today included).
    assert seen.count(True) == 3


def test_the_rule_reaches_through_relations(actors, penalty_record, org_with_rep):
    entry = open_case(actors, penalty_record)
    ListEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.PUBLISHED, term_end=TODAY)
    persons = ListEntryPerson.objects.filter(entry=entry)
    assert persons.exists()
    assert persons.filter(in_force_q(TODAY, "entry__")).count() == persons.count()
    later = TODAY + datetime.timedelta(days=1)
    assert not persons.filter(in_force_q(later, "entry__")).exists()
