"""Shared fixtures: a small city of departments, users of each role and API clients."""

import datetime
import os
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.accounts.choices import ApiScope, DepartmentKind, Role

DATABASES = ["default", "hot"]  # "hot" mirrors "default" in tests (settings._hot)


def pytest_configure(config):
    if os.environ.get("XINYONG_WRITE_API_EXAMPLES"):  # see api/tests/test_examples.py
        from xinyong.api.tests import recorder

        recorder.install()


def pytest_unconfigure(config):
    if os.environ.get("XINYONG_WRITE_API_EXAMPLES"):
        from xinyong.api.tests import recorder

        recorder.write()


# The browser tests that walk every page (the URLconf's, at a phone's and a desktop's width;
# the keyboard's), as against the journeys through one task each.
WALKS = (
    "xinyong/portal/tests/test_browser_phone.py",
    "xinyong/portal/tests/test_browser_keyboard.py",
)


def _is_walk(item) -> bool:
    return item.nodeid.split("::")[0] in WALKS


def _with_walks(item) -> bool:
    """The walks, and a third of the journeys' files: those whose path's CRC-32 is a
    multiple of three (a rule, not a list, so that a new journey's file falls on one side
    by itself; the two runs of scripts/test then end about together)."""
    path = item.nodeid.split("::")[0]
    return _is_walk(item) or zlib.crc32(path.encode()) % 3 == 0


BROWSER_SHARES = {
    "all": lambda item: True,
    "walks": _with_walks,
    "journeys": lambda item: not _with_walks(item),
    "none": lambda item: False,
}


def pytest_collection_modifyitems(config, items):
    """Tests that use the database may also use the credit check's connection, which in
    tests is the default one (a mirror).

    With ``XINYONG_DB_TESTS_ONLY=1`` (scripts/test's PostgreSQL run) the tests that use no
    database of the run are deselected: they do the same on either database, and the SQLite
    run, which scripts/test runs beside this one, runs them all. Such a test asks for no
    database (no ``django_db`` mark, no ``db``/``transactional_db``/``live_server``
    fixture: pytest-django would refuse it any query), or is marked ``no_database`` (its
    database is its own, e.g. a subprocess's in-memory SQLite), or ``one_database`` (it uses
    the database but answers about what no database changes: the authorization matrix's
    3,000 requests ask the access layer, whose filters other tests run on both; the API's
    writes fuzzed through a staff session test the way in, and the token's fuzzing sends
    the same hostile values to both).

    With ``XINYONG_BROWSER_TESTS`` (scripts/test sets it on each run) only some of the
    browser tests are kept: ``walks`` the walks over every page (:data:`WALKS`) and a
    third of the journeys (:func:`_with_walks`), ``journeys`` the other browser tests,
    ``none`` none; unset or ``all``: every one.
    They test the pages in Chromium, not the database, so scripts/test runs each on one of
    its two runs (see there which).

    With ``XINYONG_SPARK_TESTS=0`` the tests on Spark (``spark`` mark: the batch engines'
    parity on Spark local) are deselected: scripts/test runs them on its PostgreSQL run
    only, the database a province runs Spark beside; each also runs on DuckDB, on both."""
    db_tests_only = os.environ.get("XINYONG_DB_TESTS_ONLY") == "1"
    spark_tests = os.environ.get("XINYONG_SPARK_TESTS", "1")
    if spark_tests not in ("0", "1"):
        raise pytest.UsageError(f"XINYONG_SPARK_TESTS={spark_tests}: not 0 or 1")
    browser_tests = os.environ.get("XINYONG_BROWSER_TESTS", "all")
    if browser_tests not in BROWSER_SHARES:
        raise pytest.UsageError(f"XINYONG_BROWSER_TESTS={browser_tests}: not one of "
                                f"{', '.join(BROWSER_SHARES)}")  # fmt: skip
    keep, deselected = [], []
    for item in items:
        if item.get_closest_marker("browser") and not BROWSER_SHARES[browser_tests](item):
            deselected.append(item)
            continue
        if item.get_closest_marker("spark") and spark_tests == "0":
            deselected.append(item)
            continue
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        uses_db = "_django_db_helper" in fixtures
        if (marker or uses_db) and not (marker and "databases" in marker.kwargs):
            kwargs = dict(marker.kwargs) if marker else {}
            item.add_marker(pytest.mark.django_db(databases=DATABASES, **kwargs), append=False)
        no_database = item.get_closest_marker("no_database") or not (
            marker or uses_db or {"db", "transactional_db", "live_server"} & set(fixtures)
        )
        one_database = item.get_closest_marker("one_database")
        (deselected if db_tests_only and (no_database or one_database) else keep).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = keep


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for production logins, not for test fixtures."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _platform_language():
    """Each test starts in the platform's language: a request in English activates English
    for the rest of its thread (as Django's own locale middleware does), and services'
    messages are translated, so it must not leak into the next test."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached figures (subject counts) must not leak from one test's database to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar(request, monkeypatch):
    """The working-day table is cached per process; each test reads its own database's.

    Deadlines counted from today run into next year from mid-December on; until
    ``chinesecalendar`` ships that year, a platform needs its credit office to enter and
    confirm it (``xinyong workdays``), and so do the tests: they stand for a platform whose
    office confirmed next year as working Monday to Friday. The calendar's own tests
    (``@pytest.mark.calendar_uncovered``) see only what is shipped and entered."""
    from xinyong.core import workdays

    workdays.forget()
    if not request.node.get_closest_marker("calendar_uncovered"):
        next_year_confirmed(monkeypatch)
    yield
    workdays.forget()


def next_year_confirmed(monkeypatch) -> None:
    """The working-day table as a platform whose office confirmed next year (unless shipped)."""
    from xinyong.core import workdays

    next_year = datetime.date.today().year + 1
    if workdays._shipped(datetime.date(next_year, 6, 1)) is None:
        load = workdays._load

        def confirmed_next_year():
            table = load()
            table.confirmed = table.confirmed | {next_year}
            return table

        monkeypatch.setattr(workdays, "_load", confirmed_next_year)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """In the tests the check's connection is the default one itself, so that it sees each
    test's uncommitted rows (production opens a second connection to the same database)."""
    from django.db import connections

    connections["hot"] = connections["default"]
    if connections["default"].vendor != "postgresql":
        yield
        return
    with _flush_by_delete():
        yield


@contextmanager
def _flush_by_delete():
    """PostgreSQL: a transactional test's database is emptied with DELETE, not TRUNCATE.

    After each ``transaction=True`` test Django's ``flush`` empties every table; on
    PostgreSQL with one TRUNCATE of all of them, which gives each of the ~110 tables new files
    (about a second a test, more on a busy machine). The few rows a test leaves go in a few
    milliseconds with DELETE, the tables in any order: the foreign keys Django creates are
    deferred to the end of the flush's transaction, when every table is empty. The result
    is the same empty database (sequences are not reset by either)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences,
                            allow_cascade=allow_cascade)  # fmt: skip
        # The names are the models' tables, quoted.
        return [f"DELETE FROM {self.quote_name(t)};" for t in tables]  # noqa: S608

    sql_flush.truncate = truncate  # Django's own, for the test of the flush command itself
    DatabaseOperations.sql_flush = sql_flush
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Per-process caches of the check's hot path start empty in every test."""
    from xinyong.accounts.selectors import api_clients_forget
    from xinyong.catalog.selectors import forget as catalog_forget
    from xinyong.commitments.selectors import rules_forget
    from xinyong.evaluation.selectors import check_forget
    from xinyong.sanctions.selectors import config_forget

    forgets = (api_clients_forget, config_forget, catalog_forget, rules_forget, check_forget)
    for forget in forgets:
        forget()
    yield
    for forget in forgets:
        forget()


@pytest.fixture(autouse=True)
def _ingest_in_tests(settings, tmp_path):
    """Payloads under the test's own directory; background jobs run at once, in-process.
    Each test's signed audit checkpoints in its own file: a checkpoint of another test's
    database would not match this one's chain."""
    for name, value in files_and_jobs(tmp_path).items():
        setattr(settings, name, value)


def files_and_jobs(directory: Path) -> dict:
    """The settings of a test's files (under ``directory``) and background jobs."""
    return {
        "XINYONG_BATCH_DIR": directory / "batches",
        "XINYONG_REMEDY_DIR": directory / "remedies",
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "XINYONG_AUDIT_CHECKPOINT_FILE": directory / "audit" / "checkpoints.jsonl",
    }


def make_departments() -> dict:
    """Each with its USCC: a penalty or licence must name its submitting department (the
    market regulator's is the one the ingest tests' rows name) as the deciding authority."""
    mk = accounts.department_save
    admin = DepartmentKind.ADMINISTRATIVE
    return {
        "credit": mk(
            actor=SYSTEM, code="XYB", name="市信用办", kind=DepartmentKind.CREDIT_OFFICE,
            uscc="11339900MA35ME822A",
        ),
        "market": mk(
            actor=SYSTEM, code="SCJG", name="市市场监督管理局", kind=admin,
            uscc="11339900MB0123457Q",
        ),
        "tax": mk(actor=SYSTEM, code="SW", name="市税务局", kind=admin, uscc="11339900MA34EDC47J"),
        "housing": mk(
            actor=SYSTEM, code="ZJ", name="市住房和城乡建设局", kind=admin,
            uscc="11339900MA34EBKD62",
        ),
    }  # fmt: skip


def make_users(departments: dict) -> dict:
    """A user of each role, the department ones in :func:`make_departments`' departments."""

    def mk(username, role, dept=None):
        return accounts.user_create(
            actor=SYSTEM,
            username=username,
            password="Xinyong-demo-2026",  # noqa: S106
            role=role,
            department=dept,
        )

    return {
        "operator": mk("operator", Role.PLATFORM_OPERATOR, departments["credit"]),
        "market_clerk": mk("market_clerk", Role.DEPARTMENT_OPERATOR, departments["market"]),
        "market_reviewer": mk("market_reviewer", Role.DEPARTMENT_REVIEWER, departments["market"]),
        "tax_clerk": mk("tax_clerk", Role.DEPARTMENT_OPERATOR, departments["tax"]),
        "housing_clerk": mk("housing_clerk", Role.DEPARTMENT_OPERATOR, departments["housing"]),
        "auditor": mk("auditor", Role.AUDITOR),
    }


def issue_market_token(departments: dict) -> str:
    """The market regulator's business system, with every scope."""
    _client, token = accounts.api_client_issue(
        actor=SYSTEM,
        name="市场监管业务系统",
        department=departments["market"],
        scopes=[s.value for s in ApiScope],
    )
    return token


HUAWEI = "914403001922038216"
RID = "11010519491231002X"


def register_org_with_rep(actors: dict):
    """华为技术有限公司 with 张三 as legal representative, provided by the market regulator."""
    from xinyong.subjects import services

    org = services.organization_register(
        actor=actors["market_clerk"], uscc=HUAWEI, name="华为技术有限公司"
    )
    services.related_person_add(
        actor=actors["market_clerk"],
        organization=org,
        role="legal_representative",
        id_type="resident_id",
        id_number=RID,
        name="张三",
        valid_from=datetime.date(2020, 1, 1),
    )
    return org


@pytest.fixture
def departments(db):
    return make_departments()


@pytest.fixture
def users(departments):
    return make_users(departments)


def make_actors(users: dict) -> dict:
    """Each of :func:`make_users`' users as the actor services are called with."""
    return {k: Actor.for_user(u) for k, u in users.items()}


@pytest.fixture
def actors(users):
    return make_actors(users)


@pytest.fixture
def market_token(departments):
    return issue_market_token(departments)


@pytest.fixture
def today():
    return datetime.date.today()


@pytest.fixture
def org_with_rep(actors):
    return register_org_with_rep(actors)


CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# ordinary synchronous code, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the browser tests of the whole run."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium package")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


# Reports every Content-Security-Policy violation to the console, in addition to the
# browser's own "Refused to …" message (init scripts are not subject to the page's policy).
REPORT_CSP = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"""


@pytest.fixture
def csp_violations(page):
    """Console messages about the Content-Security-Policy on the pages this test visits."""
    seen = []
    page.add_init_script(REPORT_CSP)
    page.on(
        "console",
        lambda m: (
            seen.append(m.text)
            if "Content Security Policy" in m.text or "CSP violation" in m.text
            else None
        ),
    )
    return seen


@pytest.fixture
def a11y():
    """axe-core's check of the pages a browser test reaches (xinyong/core/tests/axe.py): call
    ``a11y(page, "where")`` at each state worth checking, assert ``a11y.found == []``."""
    from xinyong.core.tests.axe import Checker

    return Checker()


def pytest_terminal_summary(terminalreporter):
    """The property tests' request counts (xinyong/core/tests/fuzzstats.py)."""
    from xinyong.core.tests import fuzzstats

    lines = fuzzstats.summary()
    if lines:
        terminalreporter.section("generated requests")
        for line in lines:
            terminalreporter.write_line(line)
