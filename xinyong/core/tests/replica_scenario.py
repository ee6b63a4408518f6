"""Reads off the primary against a real streaming replica: run by
``test_replicas_streaming.py`` as ``python -m xinyong.core.tests.replica_scenario`` in a
process whose settings come from the environment exactly as in production
(``DATABASE_URL``: the test's own primary, ``DATABASE_REPLICA_URLS``: its replica,
``XINYONG_CACHE_URL``: its Redis). Every statement is attributed to the server that ran it
(its port); each step prints what it saw and stops at the first expectation not met."""

import collections
import contextlib
import json
import os
import sys
import time
from urllib.parse import urlparse

import django

STEPS: list[str] = []


def expect(ok: bool, what: str, seen) -> None:
    """One expectation of the scenario: printed, and the run stops when it fails."""
    print(f"{'ok  ' if ok else 'FAIL'} {what}: {seen}", flush=True)
    if not ok:
        sys.exit(1)


class Served:
    """The statements each server ran (by the port of the connection's server)."""

    def __init__(self):
        import psycopg

        self.ports = {
            urlparse(os.environ["DATABASE_URL"]).port: "primary",
            urlparse(os.environ["DATABASE_REPLICA_URLS"]).port: "replica",
        }
        self.log: list[tuple[str, str]] | None = None
        execute = psycopg.Cursor.execute
        served = self

        def recorded(cursor, query, params=None, **kw):
            if served.log is not None:
                text = query if isinstance(query, str) else str(query)
                server = served.ports.get(cursor.connection.info.port, "?")
                if text.startswith("SELECT pg_is_in_recovery()"):  # where a scope may read
                    server += " state"
                served.log.append((server, text))
            return execute(cursor, query, params, **kw)

        psycopg.Cursor.execute = recorded

    @contextlib.contextmanager
    def during(self):
        """Counts per server of the statements run inside the block (``.count``) and the
        statements themselves (``.log``)."""
        self.log = []
        box = collections.namedtuple("Seen", "count log")(collections.Counter(), [])
        try:
            yield box
        finally:
            box.log.extend(self.log)
            box.count.update(server for server, _ in self.log)
            self.log = None


def caught_up(timeout: float = 20.0) -> None:
    """Wait until the replica has replayed everything the primary wrote."""
    from xinyong.core import replicas

    want = replicas.primary_lsn()
    deadline = time.monotonic() + timeout
    while True:
        replicas.forget()
        st = replicas.status("replica_1")
        if st.usable and st.replay >= want:
            return
        if time.monotonic() > deadline:
            expect(False, "the replica catches up", st)
        time.sleep(0.02)


def replica_sql(sql: str):
    with connections_for("replica_1").cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()


def connections_for(alias):
    from django.db import connections

    return connections[alias]


def city() -> dict:
    """Departments, users, an API client, 50 subjects with records and some designated
    list entries: the demo city's first steps."""
    from django.utils import timezone

    from xinyong.accounts.actors import SYSTEM, Actor
    from xinyong.accounts.models import Department, User
    from xinyong.accounts.services import api_client_issue
    from xinyong.core.context import request_context
    from xinyong.demo.city import build_city, build_records
    from xinyong.demo.lists import build_lists
    from xinyong.disclosure.sweep import publication_sweep
    from xinyong.lists.models import ListEntry
    from xinyong.subjects.models import Subject

    with request_context(channel="cli"):
        build_city(seed=2026, total=50, chunk=1000)
        build_records(seed=2026, total=50)
        publication_sweep(actor=SYSTEM)
        build_lists(designated=2, pending=0, honors=0)
        client, token = api_client_issue(
            actor=SYSTEM, name="窗口系统", department=Department.objects.get(code="SCJG"),
            scopes=["checks"],
        )  # fmt: skip
    today = timezone.localdate()
    listed = ListEntry.objects.in_force(today).filter(
        list_type__code="serious_dishonesty", subject__uscc__isnull=False
    )
    # An entry whose subject has no other entry in force: its objection suspends every
    # measure the subject's check returns.
    in_force = ListEntry.objects.in_force(today)
    alone = [e for e in listed.select_related("subject").order_by("pk")
             if in_force.filter(subject_id=e.subject_id).count() == 1]  # fmt: skip
    entry = alone[0]
    other = (
        Subject.objects.filter(kind="organization", uscc__isnull=False)
        .exclude(pk=entry.subject_id)
        .order_by("pk")
        .first()
    )
    return {
        "entry": entry,
        "a": entry.subject,
        "b": other,
        "token": token,
        "client": client,
        "operator": Actor.for_user(User.objects.get(username="xyb_admin")),
        "operator_user": User.objects.get(username="xyb_admin"),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client, override_settings

    from xinyong.core import replicas
    from xinyong.core.context import request_context
    from xinyong.remedies.services.objections import objection_file, objection_mark
    from xinyong.subjects.models import Subject

    t0 = time.monotonic()
    expect(settings.XINYONG_REPLICAS == ("replica_1",), "one replica configured",
           settings.XINYONG_REPLICAS)  # fmt: skip
    call_command("migrate", verbosity=0)
    t_migrate = time.monotonic() - t0
    c = city()
    t_city = time.monotonic() - t0 - t_migrate
    a, b, entry = c["a"], c["b"], c["entry"]
    served = Served()
    web = Client()
    auth = {"Authorization": f"Bearer {c['token']}"}

    def check(subject):
        with served.during() as seen:
            r = web.post("/api/v1/checks", {"subject": subject.uscc,
                         "matter": "government_procurement"}, content_type="application/json",
                         headers=auth)  # fmt: skip
        expect(r.status_code == 200, f"check of {subject.uscc} answers", r.status_code)
        lookups = {s for s, q in seen.log if "uscc" in q and "SELECT" in q}
        logged = {s for s, q in seen.log if q.startswith("INSERT INTO") and "check" in q}
        return r.json(), lookups, logged, seen

    def page(url, client=web):
        with served.during() as seen:
            r = client.get(url)
        expect(r.status_code == 200, f"GET {url}", r.status_code)
        for server, q in seen.log:  # what each server ran, when the run fails
            print(f"     {server}: {q[:160]}")
        return r.content.decode(), seen.count

    caught_up()
    check(b)  # the API client's token is read once per process (outside any scope)

    # 1. The portal's public pages and the credit check read the replica.
    for url in ("/", f"/subjects/{a.pk}/", f"/search/?q={a.name[:4]}", "/lists/"):
        _html, count = page(url)
        expect(count["replica"] > 0 and count["primary"] == 0,
               f"the portal's {url} reads the replica only", dict(count))  # fmt: skip
    answer, lookups, logged, _seen = check(a)
    expect(lookups == {"replica"}, "the check looks the subject up on the replica", lookups)
    expect(logged == {"primary"}, "the check's log row is written to the primary", logged)
    expect([h["under_objection"] for h in answer["hits"]] == [False] and answer["measures"]
           and not any(m["suspended"] for m in answer["measures"]),
           "its entry is in force, its measures apply",
           [m["code"] for m in answer["measures"]])  # fmt: skip

    # 2. Never the reads of a write flow, of a signed-in account, or of a transaction.
    staff = Client()
    staff.force_login(c["operator_user"])
    for url in ("/backoffice/", f"/subjects/{a.pk}/"):
        _html, count = page(url, staff)
        expect(count["replica"] == 0, f"signed in, {url} reads the primary only", dict(count))
    with served.during() as seen, request_context(channel="cli"):
        objection = objection_file(actor=c["operator"], reasons="处罚决定已被撤销",
                                   entry_id=entry.pk)  # fmt: skip
    expect(seen.count["replica"] == 0, "filing an objection reads the primary only",
           dict(seen.count))  # fmt: skip
    caught_up()
    with served.during() as seen, replicas.reading(replicas.ANY_SUBJECT):
        Subject.objects.count()
        with transaction.atomic():
            Subject.objects.count()
            Subject.objects.filter(pk=a.pk).update(updated_at=a.updated_at)
        Subject.objects.count()  # the scope wrote: its reads are the primary's from now on
    expect([s for s, q in seen.log if "COUNT" in q] == ["replica", "primary", "primary"],
           "in a scope: replica, then the primary inside a transaction and after a write",
           [s for s, q in seen.log if "COUNT" in q])  # fmt: skip
    caught_up()

    # 3. Replication paused: the objection's suspension is seen at once for its subject.
    replica_sql("SELECT pg_wal_replay_pause()")
    while replica_sql("SELECT pg_get_wal_replay_pause_state()")[0] != "paused":
        time.sleep(0.01)
    with request_context(channel="cli"):
        objection_mark(actor=c["operator"], objection_id=objection.pk)
    stale = replica_sql(f"SELECT under_objection FROM lists_listentry WHERE id = {entry.pk}")
    expect(stale == (False,), "the paused replica has not seen the suspension", stale)
    answer, lookups, logged, _seen = check(a)
    expect([h["under_objection"] for h in answer["hits"]] == [True] and answer["measures"]
           and all(m["suspended"] for m in answer["measures"]),
           "the check of its subject sees the suspension at once",
           (answer["hits"], answer["measures"]))  # fmt: skip
    expect(lookups == {"primary"}, "…reading the primary (the replica is behind its mark)",
           lookups)  # fmt: skip
    html, count = page(f"/subjects/{a.pk}/")
    expect("异议中" in html and count["replica"] == 0,
           "its public page shows 异议中, read from the primary", dict(count))  # fmt: skip
    _answer, lookups, _logged, _seen = check(b)
    expect(lookups == {"replica"}, "another subject's check still reads the replica", lookups)
    _html, count = page(f"/subjects/{b.pk}/")
    expect(count["replica"] > 0 and count["primary"] == 0,
           "another subject's page still reads the replica", dict(count))  # fmt: skip
    _html, count = page(f"/search/?q={a.name[:4]}")
    expect(count["replica"] == 0, "a search across subjects reads the primary", dict(count))

    # 4. A replica lagging beyond the limit is not read.
    with override_settings(REPLICA_MAX_LAG_SECONDS=0.3):
        time.sleep(0.4)
        replicas.forget()
        lag = replicas.status("replica_1").lag
        _answer, lookups, _logged, _seen = check(b)
        expect(lookups == {"primary"} and lag > 0.3,
               f"lagging {lag:.2f} s > 0.3 s, the replica is skipped", lookups)  # fmt: skip

    # 5. Replay resumed: the replica has it, and serves the subject again.
    replica_sql("SELECT pg_wal_replay_resume()")
    caught_up()
    answer, lookups, _logged, _seen = check(a)
    expect(lookups == {"replica"} and answer["hits"][0]["under_objection"],
           "caught up, the replica answers the subject's check again, suspended",
           lookups)  # fmt: skip
    print(json.dumps({"migrate_s": round(t_migrate, 1), "city_s": round(t_city, 1),
                      "total_s": round(time.monotonic() - t0, 1)}))  # fmt: skip


if __name__ == "__main__":
    main()
