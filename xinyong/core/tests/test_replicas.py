"""Reads off the primary, the parts that need no replica (the streaming replica itself:
``test_replicas_streaming.py``): the settings ``DATABASE_REPLICA_URLS`` makes, the system
check refusing replicas with a per-process cache, nothing changed without replicas, the
marks that only go up, and which audit events are reads (they raise no mark)."""

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.db import router

from xinyong import settings as project_settings
from xinyong.audit.choices import AuditAction, is_read
from xinyong.core import replicas
from xinyong.subjects.models import Subject

REDIS = "django.core.cache.backends.redis.RedisCache"


def test_replica_urls_make_replica_aliases_never_migrated_and_mirrored_in_tests():
    dbs = project_settings._replicas(
        " postgres://app@10.0.0.2:5432/xinyong, postgres://app@10.0.0.3:5432/xinyong,"
    )
    assert list(dbs) == ["replica_1", "replica_1_hot", "replica_2", "replica_2_hot"]
    assert dbs["replica_2"]["HOST"] == "10.0.0.3" and dbs["replica_2"]["NAME"] == "xinyong"
    # The check's connection to a replica prepares its statements like ``hot``.
    assert dbs["replica_1_hot"]["OPTIONS"]["server_side_binding"] is True
    assert dbs["replica_1"]["OPTIONS"]["connect_timeout"] == 2  # a dead one is skipped
    assert all(d["TEST"] == {"MIRROR": "default"} for d in dbs.values())
    assert not any(router.allow_migrate(alias, "subjects") for alias in dbs)
    assert project_settings._replicas("") == {}


def test_replicas_with_a_per_process_cache_are_refused(settings, monkeypatch):
    settings.XINYONG_REPLICAS = ("replica_1",)
    monkeypatch.setitem(settings.DATABASES, "replica_1",
                        {"ENGINE": "django.db.backends.postgresql"})  # fmt: skip
    errors = [e for e in run_checks() if e.id == "xinyong.E013"]
    assert [e.msg for e in errors] == ["DATABASE_REPLICA_URLS is set but the cache is per process"]
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:1/0"}}
    assert not [e for e in run_checks() if e.id == "xinyong.E013"]
    settings.DATABASES["replica_1"]["ENGINE"] = "django.db.backends.sqlite3"
    assert [e.msg for e in run_checks() if e.id == "xinyong.E013"] == [
        "Replica replica_1 is not PostgreSQL (django.db.backends.sqlite3)"
    ]


def test_without_replicas_a_read_scope_changes_nothing(settings):
    settings.XINYONG_REPLICAS = ()
    with replicas.reading(replicas.uscc_key("91350100M000100Y43")):
        assert replicas.read_alias() is None and replicas.read_alias("hot") is None
        assert router.db_for_read(Subject) == "default"
    replicas.written([1])  # nothing to mark, no transaction needed


def test_marks_only_go_up():
    """Two writes committing close together: the later mark stays (in Redis by a script,
    which the streaming test runs; here the per-process fallback)."""
    replicas.raise_marks(["subject:7", replicas.ALL], 500)
    replicas.raise_marks(["subject:7", replicas.ALL], 300)
    assert cache.get("replica:lsn:subject:7") == 500 == cache.get("replica:lsn:*")
    replicas.raise_marks(["subject:7"], 900)
    assert cache.get("replica:lsn:subject:7") == 900


def test_audit_events_of_reads_are_the_ones_named_as_reads():
    """A read's event marks nothing (it changes nothing a replica's reader could miss);
    every other event is a write: its label says which (查看/下载/读取…)."""
    for action in AuditAction:
        label = str(action.label)
        named_read = label.startswith(("查看", "下载")) or "读取" in label
        assert is_read(action.value) == named_read, (action.value, label)


@pytest.fixture
def one_replica(settings, monkeypatch):
    """A replica configured that always qualifies (no server: the choice is stubbed)."""
    settings.XINYONG_REPLICAS = ("replica_1",)
    chosen = []
    monkeypatch.setattr(replicas, "_choose", lambda keys: chosen.append(keys) or "replica_1")
    return chosen


def test_a_scope_reads_one_replica_until_it_writes(one_replica):
    assert replicas.read_alias() is None  # no scope: the primary
    with replicas.reading(replicas.uscc_key("91350100M000100Y43")):
        assert router.db_for_read(Subject) == "replica_1"
        assert replicas.read_alias("hot") == "replica_1_hot"  # the check's statements
        with replicas.fresh_for(replicas.ANY_SUBJECT):  # a cached part: every write
            assert replicas.read_alias() == "replica_1"
            assert router.db_for_write(Subject) == "default"
            assert replicas.read_alias() is None  # …and the scope reads what it wrote
        assert replicas.read_alias() is None  # the outer scope too
        with replicas.fresh_for(replicas.ANY_SUBJECT):
            assert replicas.read_alias() is None  # a narrower scope of a writer: primary
    assert [sorted(k) for k in one_replica] == [
        ["*", "uscc:91350100M000100Y43"], ["*", "any-subject", "uscc:91350100M000100Y43"]
    ]  # fmt: skip


def test_an_object_read_from_a_replica_is_the_primarys(one_replica):
    subject = Subject(pk=1)
    subject._state.db = "replica_1"
    assert router.db_for_write(Subject, instance=subject) == "default"
    assert router.db_for_read(Subject, instance=subject) == "default"  # outside a scope
    assert router.allow_relation(subject, Subject(pk=2))


@pytest.mark.parametrize(
    ("path", "signed_in", "keys"),
    [
        ("/subjects/7/", False, {"*", "subject:7"}),  # one subject's page
        ("/search/?q=信安", False, {"*", "any-subject"}),  # across subjects
        ("/subjects/7/", True, None),  # a signed-in account reads back what it did
        ("/backoffice/", False, None),  # not the portal
    ],
)
def test_the_portal_s_public_pages_open_a_scope(one_replica, rf, path, signed_in, keys):
    from django.contrib.auth.models import AnonymousUser
    from django.urls import resolve

    from xinyong.core.middleware import ReplicaReadMiddleware

    request = rf.get(path)
    request.resolver_match = match = resolve(path.split("?")[0])
    request.user = (
        type("Signed", (), {"is_authenticated": True})() if signed_in else (AnonymousUser())
    )
    seen = []

    def respond(r):  # the handler calls process_view just before the view
        middleware.process_view(r, match.func, match.args, match.kwargs)
        scope = replicas._scope.get()
        seen.append(scope and set(scope.keys))

    middleware = ReplicaReadMiddleware(respond)
    middleware(request)
    assert seen == [keys]
    assert replicas._scope.get() is None  # closed with the response


def test_a_form_posted_on_the_portal_reads_the_primary(one_replica, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.urls import resolve

    from xinyong.core.middleware import ReplicaReadMiddleware

    request = rf.post("/tips/follow/")
    request.resolver_match = match = resolve("/tips/follow/")
    request.user = AnonymousUser()
    seen = []
    middleware = ReplicaReadMiddleware(lambda r: seen.append(replicas._scope.get()))
    middleware.process_view(request, match.func, match.args, match.kwargs)
    middleware(request)
    assert seen == [None]
