"""The demo city's public body: 信安市市政工程管理处, a public institution (事业单位) under
the housing and construction bureau, put on the serious dishonesty list by the market
regulator — the decision's notice to its superior (住建, a platform department: waiting
for the bureau's online acknowledgement) and to the audit office (named, not on the
platform: its paper receipt to be recorded) — and one staff misconduct notice about a
member of its staff, sent to the unit and the discipline inspection body. So the back
office's 待签收通报, public bodies and misconduct pages show something. Made once."""

import datetime

from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.bodies.misconduct import misconduct_record
from xinyong.bodies.services import public_body_profile_save
from xinyong.lists import services as lists
from xinyong.subjects import demo
from xinyong.subjects.models import Subject
from xinyong.subjects.services import organization_register

NAME = "信安市市政工程管理处"
# A public institution's code (12…) outside the generated city's serials (demo.make_uscc).
USCC = demo.make_uscc("12", demo.CITY_REGION, demo.SERIAL_SPACE + 2)
STAFF_INDEX = 6  # the city's person who is the misconduct notice's staff member


def build_public_bodies(*, seed: int, total: int, clerk: str = "scjg_clerk",
                        reviewer: str = "scjg_reviewer") -> int:  # fmt: skip
    """The body, its profile, its designation and the notices, once. Returns the notices
    (receipts) opened."""
    users = {u.username: u for u in User.objects.filter(username__in=(clerk, reviewer))}
    if len(users) < 2 or Subject.objects.filter(uscc=USCC).exists():
        return 0
    actor, decider = Actor.for_user(users[clerk]), Actor.for_user(users[reviewer])
    body = organization_register(actor=actor, uscc=USCC, name=NAME, legal_form="事业单位",
                                 address="信安市建设路 18 号")  # fmt: skip
    public_body_profile_save(actor=actor, subject_id=body.pk, superior_code="ZJ",
                             audit_name="信安市审计局")  # fmt: skip
    entry = lists.entry_open(
        actor=actor, list_code="serious_dishonesty", subject_id=body.pk,
        grounds="在市政道路维修工程政府采购中提供虚假业绩材料，情节严重",
        legal_basis="《中华人民共和国政府采购法》第七十七条", basis_kind="penalty",
        basis_document="信市监罚〔2026〕88号", national_category="market_order",
    )  # fmt: skip
    lists.entry_notify(actor=actor, entry_id=entry.pk, notice_no="信市监告〔2026〕88号")
    lists.entry_hear(actor=actor, entry_id=entry.pk, statement="对事实无异议，已追责相关人员")
    lists.entry_decide(
        actor=decider, entry_id=entry.pk, decision_no="信市监认〔2026〕88号",
        statement_adoption="rejected",
        statement_reply="事后追责不影响对违法事实的认定，可在列入满最短期限后申请信用修复",
    )  # fmt: skip
    lists.entry_publish(actor=decider, entry_id=entry.pk)
    people = demo.split(total)["person"]
    staff = next(demo.persons(seed, min(STAFF_INDEX, people - 1), people), None)
    if staff is None:
        return 2
    misconduct_record(
        actor=actor, id_type="resident_id", id_number=staff.resident_id, unit_uscc=USCC,
        number="信市监通〔2026〕1号", basis="《事业单位工作人员处分规定》",
        facts="在政府采购评审中为供应商提供虚假业绩证明材料",
        act_date=timezone.localdate() - datetime.timedelta(days=40),
        discipline_name="中共信安市纪律检查委员会、信安市监察委员会",
    )  # fmt: skip
    return 4
