import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xinyong.accounts.actors import Actor
from xinyong.conftest import HUAWEI  # noqa: F401 - the subject of these tests
from xinyong.remedies import services as remedies
from xinyong.remedies.models import SubjectBinding
from xinyong.remedies.tests.test_bindings import PDF, _portal, _request
from xinyong.subjects.models import Subject


def pdf(name="证据.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def company(client, users, org_with_rep):
    """华为技术有限公司 and the portal account bound to it (李经办)."""
    _request(_portal(client))
    remedies.binding_review(
        actor=Actor.for_user(users["operator"]),
        binding_id=SubjectBinding.objects.get().pk,
        approve=True,
    )
    user = SubjectBinding.objects.get().user
    return Actor.for_user(user), Subject.objects.get(pk=org_with_rep.pk)


def sign(actor, subject, **over):
    from xinyong.commitments import services

    kw = {
        "subject_id": subject.pk,
        "matter": "administrative_licensing",
        "kind": "notify",
        "reason": "申请食品经营许可，以承诺代替卫生许可证明",
        "signatory": "李经办",
        "department": "SCJG",
        "pledge": True,
    }
    kw.update(over)
    return services.commitment_sign(actor=actor, **kw)
