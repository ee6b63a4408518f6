"""Hostile input in the evaluation's forms and pages (Hypothesis): NUL bytes, lone
surrogates, impossible dates, unknown run kinds and grades, model files that are not YAML,
not UTF-8, alias bombs or nested past reason, and ids of subjects that are not the
reader's. No answer may be a 5xx, and a refused form writes nothing (no model version,
no run, no change of what the public sees)."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.commitments.tests.conftest import company  # noqa: F401 - the bound account
from xinyong.commitments.tests.test_backoffice_hostile import SETTINGS, _post, values
from xinyong.core.tests import fuzzstats
from xinyong.evaluation.models import EvaluationRun, ModelVersion, PublicationSettings

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("XINYONG_FUZZ_EXAMPLES", 25))
URL = "/backoffice/evaluation/"
RUN = ["kind", "as_of"]
MODEL = ["text", "activate"]
PUBLICATION = ["public_grades", "public_score", "checks_see_grade"]
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
)
FILES = [
    ("model.yaml", b"\xff\xfe\x00c\x00o"),  # UTF-16, not UTF-8
    ("model.yaml", BOMB.encode()),
    ("model.yaml", b"[" * 5000),
    ("model.yaml", b"code: x\nversion: 99999999999999999999999\n"),
    ("model.yaml", b"!!python/object/apply:os.system ['true']\n"),
    ("model.yaml", b"\x00\x00\x00"),
    ("model.yaml", b""),
]


def _state():
    pub = PublicationSettings.objects.values_list(
        "public_grades", "public_score", "checks_see_grade"
    ).first()
    return ModelVersion.objects.count(), EvaluationRun.objects.count(), pub


def test_hostile_forms_answer_without_5xx_and_write_nothing(users, org_with_rep):
    office = Client()
    office.force_login(users["operator"])
    state = [_state()]

    @settings(max_examples=EXAMPLES * 3, **SETTINGS)
    @given(
        st.sampled_from([(URL + "runs/", RUN), (URL + "models/", MODEL),
                         (URL + "publication/", PUBLICATION)]),
        st.data(),
    )  # fmt: skip
    def check(target, data):
        url, names = target
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        with fuzzstats.timed("evaluation forms (hostile)"):
            r = _post(office, url, fields)
        fuzzstats.record("evaluation forms (hostile)", r.status_code)
        assert r.status_code < 500, (url, fields)
        if r.status_code == 302:  # a run requested (no kind: incremental) or grades set
            state[0] = _state()
        assert _state() == state[0], (url, fields)

    check()


@pytest.mark.parametrize(("name", "content"), FILES)
def test_a_model_file_that_is_not_one_is_refused_next_to_it(users, name, content):
    office = Client()
    office.force_login(users["operator"])
    before = _state()
    r = office.post(URL + "models/", {"file": SimpleUploadedFile(name, content)})
    assert r.status_code == 400, r.status_code
    html = r.content.decode()
    assert 'id="id_file_error"' in html or 'id="id_text_error"' in html
    assert _state() == before


def test_foreign_and_impossible_subject_ids_are_not_found(client, users, company):  # noqa: F811
    _portal, subject = company
    other = Client()
    other.post("/account/register/", {"username": "stranger", "display_name": "王某",
                                      "password": "Credit-Office-2026!"})  # fmt: skip
    for pk in (subject.pk, subject.pk + 1, 2**63, 2**70, 0):
        url = f"/account/subjects/{pk}/evaluation/"
        assert other.get(url).status_code == 404, pk
        if pk != subject.pk:
            assert client.get(url).status_code == 404, pk
    for pk in (subject.pk + 1, 2**63, 2**70):
        assert client.get(f"/subjects/{pk}/?tab=evaluation").status_code == 404
