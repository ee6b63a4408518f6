"""The demo city 信安市: departments, users of every role, an API client, and subjects
generated deterministically from a seed (see :mod:`xinyong.subjects.demo`). Later issues
add records to the same city. Idempotent: every step inserts only what is missing."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope, DepartmentKind, Role
from xinyong.accounts.models import ApiClient, Department, User
from xinyong.accounts.services import (
    api_client_issue,
    department_save,
    sharing_rule_save,
    user_create,
)
from xinyong.core import workdays
from xinyong.core.services import calendar_year_confirm, workday_override_save
from xinyong.ingest.demo import department_uscc
from xinyong.subjects import demo
from xinyong.subjects.bulk import (
    LoadResult,
    OrgLoad,
    PersonLoad,
    RegistrationLoad,
    RelatedLoad,
    subjects_bulk_load_many,
)
from xinyong.subjects.choices import RelatedRole
from xinyong.subjects.identifiers import USCC_ALPHABET
from xinyong.subjects.models import Subject
from xinyong.subjects.services import code_defects_scan

DEMO_PASSWORD = "Xinyong-demo-2026"  # noqa: S105 - printed to the demo user on purpose

DEPARTMENTS = [
    ("XYB", "信安市发展和改革委员会（市信用办）", DepartmentKind.CREDIT_OFFICE),
    ("SCJG", "信安市市场监督管理局", DepartmentKind.ADMINISTRATIVE),
    ("BB", "中共信安市委机构编制委员会办公室", DepartmentKind.ADMINISTRATIVE),
    ("MZ", "信安市民政局", DepartmentKind.ADMINISTRATIVE),
    ("SF", "信安市司法局", DepartmentKind.ADMINISTRATIVE),
    ("NY", "信安市农业农村局", DepartmentKind.ADMINISTRATIVE),
    ("SW", "国家税务总局信安市税务局", DepartmentKind.ADMINISTRATIVE),
    ("ZJ", "信安市住房和城乡建设局", DepartmentKind.ADMINISTRATIVE),
    ("RS", "信安市人力资源和社会保障局", DepartmentKind.ADMINISTRATIVE),
    ("HB", "信安市生态环境局", DepartmentKind.ADMINISTRATIVE),
    ("YJ", "信安市应急管理局", DepartmentKind.ADMINISTRATIVE),
    ("FY", "信安市中级人民法院", DepartmentKind.JUDICIAL),
    ("GJJ", "信安市住房公积金管理中心", DepartmentKind.PUBLIC_SERVICE),
    ("CZ", "信安市财政局", DepartmentKind.ADMINISTRATIVE),
    ("GGZY", "信安市公共资源交易中心", DepartmentKind.PUBLIC_SERVICE),
    ("RMYH", "中国人民银行信安市分行", DepartmentKind.ADMINISTRATIVE),
]
# Which department registers an organisation, by the USCC's registration-authority character.
REGISTRAR_BY_AUTHORITY = {"9": "SCJG", "1": "BB", "5": "MZ", "3": "SF", "N": "NY", "Y": "SCJG"}

USERS = [
    ("xyb_admin", "信用办管理员", Role.PLATFORM_OPERATOR, "XYB"),
    ("scjg_clerk", "市场监管经办人", Role.DEPARTMENT_OPERATOR, "SCJG"),
    ("scjg_reviewer", "市场监管审核人", Role.DEPARTMENT_REVIEWER, "SCJG"),
    ("sw_clerk", "税务经办人", Role.DEPARTMENT_OPERATOR, "SW"),
    ("zj_clerk", "住建经办人", Role.DEPARTMENT_OPERATOR, "ZJ"),
    ("auditor", "审计员", Role.AUDITOR, None),
]


@dataclass(frozen=True)
class CityResult:
    departments: int
    subjects_inserted: int
    related_inserted: int
    registrations_inserted: int
    api_token: str | None  # shown once, when the demo client is first issued


# The statutory holidays of 2027 by the 2024 rules (《全国年节及纪念日放假办法》): the dates
# are fixed by the law and the lunar calendar; the State Council's notice adds the bridging
# days and make-up working days, which a demo cannot know.
_HOLIDAYS_2027 = [
    ("2027-01-01", "元旦"), ("2027-02-05", "春节"), ("2027-02-06", "春节"),
    ("2027-02-07", "春节"), ("2027-02-08", "春节"), ("2027-04-05", "清明节"),
    ("2027-05-01", "劳动节"), ("2027-05-02", "劳动节"), ("2027-06-09", "端午节"),
    ("2027-09-15", "中秋节"), ("2027-10-01", "国庆节"), ("2027-10-02", "国庆节"),
    ("2027-10-03", "国庆节"),
]  # fmt: skip
_DEMO_BASIS = (
    "演示城市：按《全国年节及纪念日放假办法》录入法定节日，未含调休，以国务院办公厅通知为准"
)


def _calendar_next_year() -> None:
    """Deadlines counted from a December day run into next year. A credit office enters
    next year's calendar from the State Council's notice (back office → 工作日历); the demo
    city, which has no notice, enters the statutory holidays of a year the shipped calendar
    does not cover yet and confirms it, saying so, so that its deadlines can be counted."""
    year = timezone.localdate().year + 1
    if year != 2027 or not workdays.uncovered_years([year]):
        return
    for day, name in _HOLIDAYS_2027:
        workday_override_save(
            actor=SYSTEM, day=datetime.date.fromisoformat(day), is_workday=False, name=name,
            basis=_DEMO_BASIS,
        )  # fmt: skip
    calendar_year_confirm(actor=SYSTEM, year=year, basis=_DEMO_BASIS)


def ensure_reference_data() -> tuple[dict[str, Department], str | None]:
    """Departments, a sharing rule, demo users and one API client."""
    depts = {}
    for code, name, kind in DEPARTMENTS:
        existing = Department.objects.filter(code=code).first()
        depts[code] = existing or department_save(
            actor=SYSTEM, code=code, name=name, kind=kind, uscc=department_uscc(code)
        )
    if not depts["SCJG"].shares_given.filter(consumer=depts["SW"]).exists():
        sharing_rule_save(
            actor=SYSTEM,
            provider=depts["SCJG"],
            consumer=depts["SW"],
            purpose="税收征管中核实法定代表人身份",
            valid_from=datetime.date(2024, 1, 1),
        )
    for username, display, role, dept in USERS:
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=SYSTEM,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                department=depts[dept] if dept else None,
                display_name=display,
            )
    _calendar_next_year()
    token = None
    if not ApiClient.objects.filter(name="市场监管业务系统（演示）").exists():
        _client, token = api_client_issue(
            actor=SYSTEM,
            name="市场监管业务系统（演示）",
            department=depts["SCJG"],
            scopes=[s.value for s in ApiScope],
        )
    return depts, token


def _defect_reports(rows: list[demo.OrgRow], tax_id: int) -> list[RegistrationLoad]:
    """About 1 in 400 organisations is reported by the tax office with a defect: a variant
    name (一码多名), a wrong check character (invalid code) or its name under a code the
    registry does not know (一名多码) — what code-defect governance must find."""
    out = []
    for r in rows:
        h = demo._mix(r.index * 31 + 17)
        if h % 400:
            continue
        kind = (h >> 12) % 3
        if kind == 0:
            out.append(
                RegistrationLoad(
                    tax_id, r.uscc, r.name.replace("有限公司", "有限责任公司") + "（原）", ""
                )
            )
        elif kind == 1:
            wrong = USCC_ALPHABET[(USCC_ALPHABET.index(r.uscc[17]) + 1) % 31]
            out.append(
                RegistrationLoad(tax_id, r.uscc[:17] + wrong, r.name, "uscc.check_character")
            )
        else:  # a valid code outside the demo's serial space, so unknown to the registry
            other = demo.make_uscc(r.uscc[:2], r.uscc[2:8], demo.SERIAL_SPACE + 3 * r.index + 1)
            out.append(RegistrationLoad(tax_id, other, r.name, ""))
    return out


def build_city(
    *,
    seed: int,
    total: int,
    chunk: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> CityResult:
    depts, token = ensure_reference_data()
    sizes = demo.split(total)
    last = next(demo.organizations(seed, sizes["organization"] - 1, sizes["organization"]), None)
    if (
        last is not None
        and Subject.objects.filter(uscc=last.uscc).exists()
        and Subject.objects.count() >= total
    ):
        return CityResult(len(depts), 0, 0, 0, token)  # already built: the second run is fast
    n_persons = max(sizes["person"], 1)
    totals = [0, 0, 0]

    def load(chunks) -> None:
        def step(result: LoadResult) -> None:
            totals[0] += result.subjects_inserted
            totals[1] += result.related_inserted
            totals[2] += result.registrations_inserted

        subjects_bulk_load_many(actor=SYSTEM, chunks=chunks, progress=step)

    def org_chunks():
        for kind in ("organization", "individual_business"):
            for start in range(0, sizes[kind], chunk):
                stop = min(start + chunk, sizes[kind])
                yield kind, list(demo.organizations(seed, start, stop, kind=kind))

    def subjects():
        for _kind, rows in org_chunks():
            if progress:
                progress(len(rows))
            yield {"organizations": [_org_load(r, depts) for r in rows]}
        for start in range(0, sizes["person"], chunk):
            people = list(demo.persons(seed, start, min(start + chunk, sizes["person"])))
            if progress:
                progress(len(people))
            yield {"persons": [PersonLoad(p.resident_id, p.name) for p in people]}

    def links():
        for kind, rows in org_chunks():
            yield {
                "related": _related(seed, rows, n_persons, depts),
                "registrations": _defect_reports(rows, depts["SW"].pk)
                if kind == "organization"
                else [],
            }

    # Organisations, then persons, then what links them: related persons join onto both,
    # and persons stored after organisations keep name-search scans among organisations.
    load(subjects())
    load(links())
    if any(totals):
        code_defects_scan(actor=SYSTEM)  # so the back office shows the city's defects at once
    return CityResult(len(depts), *totals, token)


def _org_load(r: demo.OrgRow, depts: dict[str, Department]) -> OrgLoad:
    registrar = depts[REGISTRAR_BY_AUTHORITY.get(r.uscc[0], "SCJG")]
    return OrgLoad(
        r.kind, r.uscc, r.name, r.legal_form, r.established_on, r.address, r.status, registrar.pk
    )


def _related(seed: int, rows: list[demo.OrgRow], n_persons: int, depts) -> list[RelatedLoad]:
    """Each organisation gets a legal representative (an individual business its operator);
    one in eight also an actual controller. People may hold roles in several organisations."""
    out = []
    market = depts["SCJG"].pk
    role = (
        RelatedRole.OPERATOR
        if rows and rows[0].kind == "individual_business"
        else RelatedRole.LEGAL_REPRESENTATIVE
    )
    wanted: list[tuple[demo.OrgRow, int, str]] = []
    for r in rows:
        h = demo._mix(r.index * 7 + seed + (r.kind == "individual_business"))
        wanted.append((r, h % n_persons, role))
        if role == RelatedRole.LEGAL_REPRESENTATIVE and (h >> 20) % 8 == 0:
            wanted.append((r, (h >> 24) % n_persons, RelatedRole.ACTUAL_CONTROLLER))
    ids = {}
    for idx in sorted({w[1] for w in wanted}):
        ids[idx] = next(demo.persons(seed, idx, idx + 1)).resident_id
    for r, idx, rl in wanted:
        out.append(RelatedLoad(r.uscc, ids[idx], rl, r.established_on, market))
    return out


DEMO_BATCH = "demo-city"  # file name of the demo city's batches: their presence means done


def build_records(*, seed: int, total: int, per_item: int = 1000, progress=None) -> int:
    """Records for every default catalog item, each item on its own slice of the city's
    organisations (persons for qualifications), submitted by the item's demo provider
    through the same pipeline as any batch. Items already seeded are skipped. Returns the
    number of records created."""
    from xinyong.ingest import demo as records_demo
    from xinyong.ingest.models import Batch
    from xinyong.ingest.services import batch_process, batch_submit_rows

    sizes = demo.split(total)
    n_orgs = sizes["organization"]
    per_item = max(1, min(per_item, n_orgs // 4 or 1))
    created = 0
    items = [*records_demo.ORG_ITEMS, *records_demo.PERSON_ITEMS]
    for k, item in enumerate(items):
        if Batch.objects.filter(item_code=item, file_name=DEMO_BATCH).exists():
            continue
        start = (k * 7919 * per_item) % max(n_orgs - per_item, 1)
        if item in records_demo.PERSON_ITEMS:
            people = list(demo.persons(seed, 0, min(per_item, max(sizes["person"], 1))))
            rows = list(records_demo.person_rows(seed, people, item=item))
        else:
            orgs = list(demo.organizations(seed, start, start + per_item))
            rows = list(records_demo.org_rows(item, seed, orgs, start))
        batch = batch_submit_rows(
            actor=SYSTEM,
            item_code=item,
            rows=rows,
            channel="cli",
            file_name=DEMO_BATCH,
            provider_code=records_demo.PROVIDERS[item],
        )
        created += batch_process(batch_id=batch.pk).created
        if progress:
            progress(item)
    return created
