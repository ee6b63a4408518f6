"""Hostile input in every field of the back-office webhook forms (Hypothesis): NUL bytes,
lone surrogates, numbers beyond 64 bits, impossible dates, codes of nothing. No answer is
a 5xx; a refused registration or replay writes nothing. (The API's operations are fuzzed
with every other one by ``api/tests/test_hostile.py``.)"""

from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.commitments.tests.test_backoffice_hostile import EXAMPLES, SETTINGS, _post, values
from xinyong.core.tests import fuzzstats
from xinyong.exchange.models import WebhookDelivery, WebhookSubject, WebhookSubscription
from xinyong.exchange.webhooks.services import SubscriptionIn, webhook_create

FORM = ["name", "url", "kinds", "watch", "codes", "prefix", "signing"]
STEP = ["step", "since"]


def test_hostile_forms_answer_without_5xx_and_write_nothing(actors, users, huawei):
    sub, _secret = webhook_create(actor=actors["market_clerk"], data=SubscriptionIn(
        name="接收", url="https://scjg.example.gov.cn/hook", kinds=["publicity"],
        codes=[huawei.uscc]))  # fmt: skip
    clerk = Client()
    clerk.force_login(users["market_clerk"])

    def counts():
        return (WebhookSubscription.objects.count(), WebhookSubject.objects.count(),
                WebhookDelivery.objects.count())  # fmt: skip

    state = [counts()]

    @settings(max_examples=EXAMPLES * 2, **SETTINGS)
    @given(st.sampled_from([("/backoffice/webhooks/", FORM),
                            (f"/backoffice/webhooks/{sub.pk}/", STEP)]), st.data())  # fmt: skip
    def check(target, data):
        url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        if "step" in fields:
            fields["step"] = data.draw(st.sampled_from(["replay", "x", fields["step"]]))
        if "kinds" in fields:
            fields["kinds"] = data.draw(st.sampled_from(["publicity", fields["kinds"]]))
        with fuzzstats.timed("webhook forms (hostile)"):
            r = _post(clerk, url, fields)
        fuzzstats.record("webhook forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields)
        assert counts() == state[0], (url, fields)

    check()
