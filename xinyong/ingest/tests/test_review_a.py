"""Review of #12 (reviewer A): faults found after the merge, each proved here."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_withdraw_form_for_an_unknown_record_answers_4xx_not_500(users):
    """A clerk posts the withdraw form of a record that does not exist (a stale page, a
    typed URL) without a reason: the reason is refused first, then the view looks up the
    record's subject to redirect to — None — and reverse() raises NoReverseMatch (500)."""
    c = Client(raise_request_exception=False)
    c.force_login(users["market_clerk"])
    resp = c.post("/backoffice/records/999999/withdraw/", {"reason": ""})
    assert resp.status_code < 500, resp.status_code
