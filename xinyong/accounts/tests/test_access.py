"""The access layer: one vocabulary of capabilities, one read rule for every
department-scoped model, and the rule of who serves a subject."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import ANONYMOUS, SYSTEM, Actor
from xinyong.accounts.choices import ActorKind, Role
from xinyong.core.errors import NotFound, PermissionDenied

ROOT = Path(__file__).resolve().parents[3]  # the repository (its xinyong/ package below)

# Models with a department that are not scoped data: reference data and the public
# registry (a subject is public; its non-public parts — related persons — are scoped),
# and the audit trail (read whole by the auditor and the operator only).
NOT_SCOPED = {
    "accounts.User", "accounts.ApiClient", "accounts.SharingRule", "subjects.Subject",
    "lists.ListType", "audit.AuditEvent",
    # Reference data: who a public body's notices go to (its registry), a key profession.
    "bodies.PublicBodyProfile", "practitioners.Profession",
}  # fmt: skip


def _sources() -> list[Path]:
    """The project's Python files (a wrong root would make the scans below pass vacuously)."""
    found = sorted((ROOT / "xinyong").rglob("*.py"))
    assert len(found) > 100, f"no project sources under {ROOT}"
    return found


def _department_fields(model) -> list[str]:
    out = []
    for f in model._meta.get_fields():
        target = getattr(f, "related_model", None)
        concrete = getattr(f, "concrete", False)
        if concrete and target is not None and target._meta.label == "accounts.Department":
            out.append(f.name)
        elif concrete and f.name in ("provider_id", "department_id") and target is None:
            out.append(f.name)
    return out


def test_every_department_scoped_model_has_visible_to():
    """A new model holding a department's data gets ``objects.visible_to`` or the suite
    says which one lacks it."""
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("xinyong.")
        and _department_fields(m)
        and m._meta.label not in NOT_SCOPED
        and not hasattr(m.objects, "visible_to")
    ]
    assert not missing, f"department-scoped models without objects.visible_to: {missing}"
    # Rows reached through a scoped parent are scoped too.
    for label in ("ingest.BatchRow", "lists.ListEntryEvent", "lists.EntryNotice",
                  "sanctions.CheckFeedback", "sanctions.ActionTask", "records.RecordVersion",
                  "remedies.RepairMaterial"):  # fmt: skip
        assert hasattr(apps.get_model(label).objects, "visible_to"), label


# Hand-written role and kind comparisons that the capabilities replace. Outside accounts
# (and the demo's seeding, and tests) none may come back.
_FORBIDDEN = re.compile(
    r"sees_all_departments|actor\.kind\s*[!=]=|role\s*[!=]=\s*Role\.|Role\.AUDITOR|"
    r"role in \(\"|kind == \"(anonymous|system|client|user)\""
)


def test_no_hand_written_role_checks_outside_the_access_layer():
    found = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel.startswith(
            ("xinyong/accounts/", "xinyong/demo/")
        ) or rel.endswith("conftest.py"):  # fmt: skip
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _FORBIDDEN.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert not found, "use Actor's capabilities or accounts.access instead:\n" + "\n".join(found)


# Capabilities a view or an API route would test to decide what the reader sees or may
# do: those decisions are the access layer's (a helper or an action there), never a view's.
_VIEW_DECIDES = re.compile(
    r"\.(is_operator|is_auditor|is_portal_account|is_department_staff|reads_all_departments|"
    r"writes_all_departments|may_administer|may_prepare|may_decide)\b|\.role\s*(==|!=|in)\b"
)


def test_views_and_api_routes_leave_access_decisions_to_the_access_layer():
    found = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/management/" in rel:
            continue
        if not ("views" in path.name or path.name.startswith("api") or "/api/" in rel):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _VIEW_DECIDES.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert not found, "ask accounts.access (allowed, or a helper there):\n" + "\n".join(found)


def test_department_filter_and_what_pages_offer(actors, users):
    op, auditor, clerk = actors["operator"], actors["auditor"], actors["market_clerk"]
    assert access.reads_every_department(op) and access.reads_every_department(auditor)
    assert not access.reads_every_department(clerk)
    # Only a reader of every department narrows a list by its choice; a clerk's is ignored.
    assert access.department_filter(auditor, 7) == 7
    assert access.department_filter(clerk, 7) is None
    assert access.names_department(op) and not access.names_department(auditor)
    assert not access.names_department(clerk)
    # Staff passwords are never reset by e-mail.
    assert not access.resets_password_by_email(users["market_clerk"])


def test_capabilities_of_each_kind_of_actor(actors, departments):
    client = Actor(kind=ActorKind.CLIENT, label="sys", role=Role.DEPARTMENT_OPERATOR,
                   department_id=departments["tax"].pk, scopes=frozenset({"checks"}))  # fmt: skip
    portal = Actor(kind=ActorKind.USER, label="p", role=Role.PUBLIC, user_id=99)
    op, auditor = actors["operator"], actors["auditor"]
    clerk, reviewer = actors["market_clerk"], actors["market_reviewer"]
    table = {
        # actor: (is_public, is_staff, reads_all, writes_all, may_prepare, may_decide, persons)
        "anonymous": (ANONYMOUS, (True, False, False, False, False, False, False)),
        "portal": (portal, (True, False, False, False, False, False, False)),
        "clerk": (clerk, (False, True, False, False, True, False, True)),
        "reviewer": (reviewer, (False, True, False, False, False, True, True)),
        "client": (client, (False, True, False, False, True, False, True)),
        "auditor": (auditor, (False, True, True, False, False, False, False)),
        "operator": (op, (False, True, True, True, False, False, True)),
        "system": (SYSTEM, (False, True, True, True, False, False, True)),
    }
    for name, (a, expected) in table.items():
        got = (a.is_public, a.is_staff, a.reads_all_departments, a.writes_all_departments,
               a.may_prepare, a.may_decide, a.reads_person_data)  # fmt: skip
        assert got == expected, name
    assert client.has_scope("checks") and not client.has_scope("persons:read")
    assert clerk.has_scope("persons:read")  # users act by their role
    assert clerk.acts_for_department(departments["market"].pk)
    assert not clerk.acts_for_department(departments["tax"].pk)
    assert op.acts_for_department(departments["tax"].pk)
    assert not auditor.acts_for_department(departments["tax"].pk)


def test_require_raises_permission_denied_or_hides(actors):
    access.require(actors["operator"], Action.ADMINISTER)
    with pytest.raises(PermissionDenied, match="维护基础数据"):
        access.require(actors["auditor"], Action.ADMINISTER)
    with pytest.raises(NotFound):
        access.require(ANONYMOUS, Action.ADMINISTER, hide=True)


def test_a_department_serves_a_subject_it_registered_not_one_it_checked(actors, org_with_rep):
    from xinyong.sanctions.models import CreditCheck

    market, tax = actors["market_clerk"], actors["tax_clerk"]
    assert access.serves(market, org_with_rep.pk)  # the registrar
    assert not access.serves(tax, org_with_rep.pk)
    CreditCheck.objects.create(at=timezone.now(), department_id=tax.department_id, actor="t",
                               matter="m", query="q", subject_id=org_with_rep.pk,
                               status="clear")  # fmt: skip
    assert not access.serves(tax, org_with_rep.pk)  # a check makes no subject its own
    assert not access.serves(actors["auditor"], org_with_rep.pk)
    assert access.allowed(market, Action.OBJECTION_FILE, org_with_rep)
    assert not access.allowed(tax, Action.OBJECTION_FILE, org_with_rep)


def test_visible_to_applies_one_rule(actors, departments, org_with_rep):
    """Own department, sharing rules for shared data, everything for the operator, the
    auditor as each model declares, nothing for the public."""
    from xinyong.accounts.services import sharing_rule_save
    from xinyong.subjects.models import RelatedPerson

    def names(actor):
        return list(RelatedPerson.objects.visible_to(actor).values_list("person__name", flat=True))

    assert names(actors["market_clerk"]) == ["张三"]
    assert names(actors["operator"]) == ["张三"]
    assert names(actors["tax_clerk"]) == []
    assert names(actors["auditor"]) == []  # persons' data: not the auditor's
    assert names(ANONYMOUS) == []
    sharing_rule_save(actor=SYSTEM, provider=departments["market"], consumer=departments["tax"],
                      purpose="税收征管", valid_from=datetime.date(2020, 1, 1))  # fmt: skip
    assert names(actors["tax_clerk"]) == ["张三"]
