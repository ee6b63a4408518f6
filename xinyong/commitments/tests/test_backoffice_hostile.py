"""Hostile input in every field of the back office's commitment forms (Hypothesis): NUL
bytes, lone surrogates, bytes that are not UTF-8, numbers beyond 64 bits, impossible dates,
files that are not what they say. No answer may be a 5xx; a refused form writes nothing
(no commitment, no step, no rule or template version)."""

import os
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.commitments.models import (
    Commitment,
    CommitmentEvent,
    TemplateVersion,
)
from xinyong.commitments.tests.conftest import sign
from xinyong.core.tests import fuzzstats

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))

bad_text = st.builds(
    lambda a, bad, b: a + bad + b,
    st.text(max_size=6),
    st.sampled_from(["\x00", "\ud800", "\udfff"]),
    st.text(max_size=6),
)
odd = st.sampled_from(
    ["", " ", "²", "1e9", "-1", str(2**70), str(-(2**64)), "2026-02-30", "9" * 400, "华为"]
)
values = st.one_of(st.text(max_size=12), bad_text, odd, st.integers().map(str))


def _body(fields: dict) -> bytes:
    return "&".join(
        f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
        for k, v in fields.items()
    ).encode()


def _post(client: Client, url: str, fields: dict):
    return client.post(url, _body(fields), content_type="application/x-www-form-urlencoded")


SETTINGS = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))

RECORD = ["subject", "matter", "kind", "reason", "signatory", "supply_due", "late_consequence",
          "missing_name_0", "missing_form_0", "missing_name_4"]  # fmt: skip
STEP = ["step", "note", "breach_kind", "reasons", "decision", "reason"]
RULE = ["form", "time_limit_workdays", "high_risk", "high_risk_basis", "block_months"]
TEMPLATE = ["form", "t-notify-kind", "t-notify-name", "t-notify-check_method",
            "t-notify-check_workdays", "t-notify-validity_months", "t-notify-text",
            "new-kind", "new-text"]  # fmt: skip


def test_hostile_forms_answer_without_5xx_and_write_nothing(users, company):
    actor, subject = company
    c = sign(actor, subject)
    clerk, office = Client(), Client()
    clerk.force_login(users["market_clerk"])
    office.force_login(users["operator"])
    counts = lambda: (  # noqa: E731
        Commitment.objects.count(),
        CommitmentEvent.objects.count(),
        TemplateVersion.objects.count(),
    )
    state = [counts()]
    detail = f"/backoffice/commitments/{c.pk}/"
    settings_url = "/backoffice/commitments/settings/administrative_licensing/"

    @settings(max_examples=EXAMPLES * 3, **SETTINGS)
    @given(
        st.sampled_from(
            [(clerk, "/backoffice/commitments/new/", RECORD), (clerk, detail, STEP),
             (office, settings_url, RULE), (office, settings_url, TEMPLATE)]
        ),
        st.data(),
    )  # fmt: skip
    def check(target, data):
        client, url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        if "form" in fields:  # reach the form the page would read
            fields["form"] = data.draw(st.sampled_from(["rule", "t-notify", "new", fields["form"]]))
        if "step" in fields:
            fields["step"] = data.draw(st.sampled_from(["keep", "propose", "decide", "x"]))
        with fuzzstats.timed("commitment forms (hostile)"):
            r = _post(client, url, fields)
        fuzzstats.record("commitment forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields)
        if r.status_code == 302:  # a step some random text was enough for
            state[0] = counts()
        assert counts() == state[0], (url, fields)

    check()


@pytest.mark.parametrize(
    ("name", "content"),
    [("承诺书.pdf", b"MZ\x90\x00 not a pdf"), ("承诺书.exe", b"%PDF-1.4"), ("\x00.pdf", b"%PDF-")],
)
def test_a_scan_that_is_not_what_it_says_is_refused_next_to_it(users, company, name, content):
    _actor, subject = company
    clerk = Client()
    clerk.force_login(users["market_clerk"])
    r = clerk.post("/backoffice/commitments/new/", {
        "subject": subject.pk, "matter": "administrative_licensing", "kind": "notify",
        "reason": "申请许可", "signatory": "张三",
        "scan": SimpleUploadedFile(name, content, content_type="application/pdf"),
    })  # fmt: skip
    assert r.status_code == 400 and 'id="id_scan_error"' in r.content.decode()
    assert Commitment.objects.count() == 0
