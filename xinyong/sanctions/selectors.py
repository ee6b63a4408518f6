"""Reads of joint incentives and sanctions: the measures in force (kept in memory for the
credit check, reloaded every few seconds and at once after a change in this process), and
what applies to one subject in one matter.

The credit check is on the hot path of every counter: a lookup by code, one indexed query
for the subject's entries in force, the measures from memory. An entry hits only while it
is published and in its term — checked here, at read time, so an expiry, a removal after
repair or an objection takes effect in the very next check, before any sweep."""

import datetime
import threading
import time
from dataclasses import dataclass, field

from xinyong.accounts.models import Department
from xinyong.lists.models import ListEntry, ListEntryPerson, ListType
from xinyong.lists.selectors import in_effect_q
from xinyong.sanctions.models import Matter, Measure

CONFIG_SECONDS = 5.0  # how stale another process's view of the measures may be


@dataclass(frozen=True)
class MeasureView:
    code: str
    name: str
    kind: str
    category: str
    legal_basis: str
    departments: tuple[str, ...]
    memorandum: str  # name and document number
    term: str
    lists: frozenset[str]
    matters: frozenset[str]  # empty: every matter

    def applies_in(self, matter: str) -> bool:
        return not self.matters or matter in self.matters

    def implemented_by(self, department_code: str) -> bool:
        return "*" in self.departments or department_code in self.departments


@dataclass(frozen=True)
class ListView:
    id: int
    code: str
    name: str
    effect: str
    public: bool


@dataclass
class Config:
    lists: dict[int, ListView] = field(default_factory=dict)
    measures: list[MeasureView] = field(default_factory=list)
    by_list: dict[str, list[MeasureView]] = field(default_factory=dict)
    matters: dict[str, str] = field(default_factory=dict)
    departments: dict[int, str] = field(default_factory=dict)  # id → code
    measure_ids: dict[str, int] = field(default_factory=dict)  # code → id
    loaded: float = 0.0


_lock = threading.Lock()
_config = Config()


def config() -> Config:
    """The measures, lists and matters as the check uses them."""
    global _config
    current = _config
    if time.monotonic() - current.loaded < CONFIG_SECONDS:
        return current
    with _lock:
        if time.monotonic() - _config.loaded >= CONFIG_SECONDS:
            _config = _load()
        return _config


def config_forget() -> None:
    """After a change of measures, lists or matters: the next check reloads."""
    global _config
    _config = Config()


def _load() -> Config:
    cfg = Config(loaded=time.monotonic())
    for lt in ListType.objects.filter(active=True):
        cfg.lists[lt.pk] = ListView(lt.pk, lt.code, lt.name, lt.effect, lt.public)
    qs = Measure.objects.filter(active=True, memorandum__active=True).select_related("memorandum")
    for m in qs.prefetch_related("list_types", "matters"):
        view = MeasureView(
            code=m.code, name=m.name, kind=m.kind, category=m.category,
            legal_basis=m.legal_basis, departments=tuple(m.departments),
            memorandum=f"{m.memorandum.name}（{m.memorandum.document_no}）", term=m.term,
            lists=frozenset(lt.code for lt in m.list_types.all()),
            matters=frozenset(x.code for x in m.matters.all()),
        )  # fmt: skip
        cfg.measures.append(view)
        cfg.measure_ids[m.code] = m.pk
        for code in view.lists:
            cfg.by_list.setdefault(code, []).append(view)
    cfg.matters = dict(Matter.objects.values_list("code", "name"))
    cfg.departments = dict(Department.objects.values_list("pk", "code"))
    return cfg


def department_codes() -> dict[int, str]:
    return config().departments


def measure_ids() -> dict[str, int]:
    return config().measure_ids


def measures_for_list(list_code: str) -> list[MeasureView]:
    """The measures a list triggers, in every matter (for the prior notice and decision)."""
    return list(config().by_list.get(list_code, ()))


def matter_choices() -> list[tuple[str, str]]:
    return sorted(config().matters.items())


_ENTRY_FIELDS = ("id", "list_type_id", "department_id", "decision_no", "decided_on", "term_end",
                 "permanent", "under_objection", "published_at")  # fmt: skip


def entries_in_force(subject_id: int, today: datetime.date) -> list[dict]:
    """The subject's entries that have effect today: published, in their term."""
    return list(
        ListEntry.objects.filter(in_effect_q(today), subject_id=subject_id).values(*_ENTRY_FIELDS)
    )


def responsibilities_in_force(person_id: int, today: datetime.date) -> list[dict]:
    """Entries in force of organisations this person was responsible for when they acted."""
    return list(
        ListEntryPerson.objects.filter(in_effect_q(today, "entry__"), person_id=person_id).values(
            "role", "entry__subject__name", *(f"entry__{f}" for f in _ENTRY_FIELDS)
        )
    )
