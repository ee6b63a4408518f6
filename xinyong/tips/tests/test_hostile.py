"""Hostile input in every field of the tips' forms, portal and back office (Hypothesis): NUL
bytes, lone surrogates, numbers beyond 64 bits, impossible dates — the transfer's
department and reasons among them. No answer may be a 5xx; a refused form writes nothing
(no tip, no identity, no transfer, no audit event of a step)."""

import os
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.accounts.actors import ANONYMOUS
from xinyong.audit.models import AuditEvent
from xinyong.core.tests import fuzzstats
from xinyong.tips.models import Tip, TipDomain, TipIdentity, TipTransfer
from xinyong.tips.tests.conftest import file_tip

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))

bad_text = st.builds(
    lambda a, bad, b: a + bad + b,
    st.text(max_size=6),
    st.sampled_from(["\x00", "\ud800", "\udfff"]),
    st.text(max_size=6),
)
odd = st.sampled_from(
    ["", " ", "²", "1e9", "-1", "NaN", "Infinity", str(2**70), str(-(2**64)), "2026-02-30",
     "9" * 400, "华为", "accept", "reject", "substantiated", "yes", "no", "SCJG", "ZJ"]
)  # fmt: skip
values = st.one_of(st.text(max_size=12), bad_text, odd, st.integers().map(str))


def _post(client: Client, url: str, fields: dict):
    body = "&".join(
        f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
        for k, v in fields.items()
    ).encode()
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


SETTINGS = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))
FILE = ["content", "occurred_on", "place", "domain", "anonymous", "name", "contact"]
FOLLOW = ["receipt"]
STEP = ["step", "decision", "reason", "summary", "amount", "basis", "paid_on", "department",
        "purpose"]  # fmt: skip
OFFICE = ["form", "ack_workdays", "decide_workdays", "code", "name", "department", "order",
          "active"]  # fmt: skip


def test_hostile_forms_answer_without_5xx_and_write_nothing(
    users, org_with_rep, domains, tipster, settings_for_fuzz
):
    tip, _ = file_tip(ANONYMOUS, org_with_rep.pk)
    public, clerk, office = Client(), Client(), Client()
    clerk.force_login(users["market_clerk"])
    office.force_login(users["operator"])

    def counts():
        steps = AuditEvent.objects.filter(object_type__startswith="tip").count()
        return (Tip.objects.count(), TipIdentity.objects.count(), steps,
                TipDomain.objects.count(), TipTransfer.objects.count())  # fmt: skip

    state = [counts()]
    targets = [(public, f"/tips/new/{org_with_rep.pk}/", FILE), (public, "/tips/follow/", FOLLOW),
               (clerk, f"/backoffice/tips/{tip.pk}/", STEP),
               (office, f"/backoffice/tips/{tip.pk}/", STEP),
               (office, "/backoffice/tips/settings/", OFFICE)]  # fmt: skip

    @settings(max_examples=EXAMPLES * 3, **SETTINGS)
    @given(st.sampled_from(targets), st.data())
    def check(target, data):
        client, url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        if "form" in fields:
            fields["form"] = data.draw(st.sampled_from(["policy", "domain", fields["form"]]))
        if "step" in fields:
            steps = ["route", "acknowledge", "claim", "decide", "reward", "paid", "identity",
                     "transfer", "x"]  # fmt: skip
            fields["step"] = data.draw(st.sampled_from(steps))
        with fuzzstats.timed("tip forms (hostile)"):
            r = _post(client, url, fields)
        fuzzstats.record("tip forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields)
        if r.status_code in (200, 302) and url != "/tips/follow/":  # random text sufficed
            state[0] = counts()
        assert counts() == state[0], (url, fields)

    check()


@pytest.fixture
def settings_for_fuzz(settings):
    """Generous throttles: the fuzzer files and looks up from one address."""
    settings.XINYONG_TIP_FILE_LIMIT = 10_000
    settings.XINYONG_TIP_LOOKUP_LIMIT = 10_000
    return settings
