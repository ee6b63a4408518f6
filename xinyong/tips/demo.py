"""The demo city's rewarded tips, so that the back office and the follow page show a case in
every state: the routing table's three usual domains given their departments, then six
anonymous tips about the city's companies — one waiting for the market regulator, one
waiting for the credit office to route it, one accepted, one substantiated (its record in
the credit file, a reward granted and paid), one not substantiated, and one the market
regulator sent on to the housing and construction bureau. Filed and handled through the
services, as people would; each tip's receipt code is a fixed demo code (:data:`CODES`),
so anyone can follow it on ``/tips/follow/``. Idempotent: nothing is added once the city
has tips."""

import datetime

from django.utils import timezone

from xinyong.accounts.actors import ANONYMOUS, SYSTEM, Actor
from xinyong.accounts.models import Department, User
from xinyong.subjects.models import Subject
from xinyong.tips import services
from xinyong.tips.models import Tip
from xinyong.tips.services.filing import receipt_hash, receipt_normalize

# The departments the demo's routing table names (demo/city.py's codes).
ROUTING = {"market": "SCJG", "tax": "SW", "construction": "ZJ"}
# Each demo tip's receipt code and the state it is left in (shown by ``demo_city``).
CODES = {
    "submitted": "XAJB-YSHS-JBCX-AAA2",
    "routing": "XAJB-YSHS-JBCX-AAA3",
    "accepted": "XAJB-YSHS-JBCX-AAA4",
    "substantiated": "XAJB-YSHS-JBCX-AAA5",
    "unsubstantiated": "XAJB-YSHS-JBCX-AAA6",
    "transferred": "XAJB-YSHS-JBCX-AAA7",
}

_TIPS = [  # state, domain, what happened, where, days ago
    ("submitted", "market", "该公司门店销售已过保质期的预包装食品，顾客要求退换被拒绝。",
     "信安市文昌路 18 号门店", 12),
    ("routing", "", "该公司以高额回报为名向社会公众吸收资金，到期后无法兑付。",
     "信安市金融街 6 号写字楼", 20),
    ("accepted", "market", "该公司在网店宣传产品“国家级检测第一名”，无任何依据。",
     "网店（信安市高新区注册）", 25),
    ("substantiated", "market", "该公司加油站的加油机计量作弊，每升少加约 50 毫升。",
     "信安市环城北路加油站", 40),
    ("unsubstantiated", "tax", "该公司销售货物不开具发票，要求顾客现金付款以逃避纳税。",
     "信安市东门商贸城 3 楼", 35),
    ("transferred", "market", "该公司在小区绿地上违法搭建临时厂房，未取得任何许可。",
     "信安市梧桐苑小区东侧", 15),
]  # fmt: skip


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).first()
    return Actor.for_user(user) if user else None


def build_tips() -> int:
    """The demo's tips (once); how many tips the city has."""
    if Tip.objects.exists():
        return Tip.objects.count()
    departments = set(Department.objects.filter(code__in=ROUTING.values(), is_active=True)
                      .values_list("code", flat=True))  # fmt: skip
    market, tax = _actor("scjg_clerk"), _actor("sw_clerk")
    organisations = Subject.objects.filter(kind="organization").order_by("pk")
    subjects = list(organisations.values_list("pk", flat=True)[: 10 * len(_TIPS)])[::10]
    if set(ROUTING.values()) - departments or market is None or tax is None:
        return 0
    if len(subjects) < len(_TIPS):
        return 0
    names = {"market": "市场监管（含食品药品、产品质量、价格）", "tax": "税收",
             "construction": "工程建设和房地产"}  # fmt: skip
    for code, department in ROUTING.items():
        services.tip_domain_save(actor=SYSTEM, code=code, name=names[code],
                                 department_code=department,
                                 order=list(ROUTING).index(code) * 10 + 10)  # fmt: skip
    today = timezone.localdate()
    for (state, domain, content, place, days), subject in zip(_TIPS, subjects, strict=True):
        tip, _code = services.tip_file(
            actor=ANONYMOUS, subject_id=subject, content=content, place=place,
            occurred_on=(today - datetime.timedelta(days=days)).isoformat(), domain_code=domain,
        )  # fmt: skip
        Tip.objects.filter(pk=tip.pk).update(receipt_hash=receipt_hash(
            receipt_normalize(CODES[state])))  # fmt: skip
        _handle(state, tip.pk, market, tax, today)
    return Tip.objects.count()


def _handle(state: str, pk: int, market: Actor, tax: Actor, today: datetime.date) -> None:
    """Take the tip to its demo state, as the departments' clerks would."""
    if state in ("accepted", "substantiated"):
        services.tip_acknowledge(actor=market, tip_id=pk, accept=True)
    if state == "substantiated":
        services.tip_decide(
            actor=market, tip_id=pk, substantiated=True,
            reason="经现场检定，该站 3 台加油机均存在计量作弊，每升少加 48 至 52 毫升，"
                   "已依法立案处罚。",
            summary="经查属实，已依法立案查处。感谢您的举报。",
        )  # fmt: skip
        services.tip_reward(actor=market, tip_id=pk, amount="2000",
                            basis="《信安市失信行为举报奖励办法》第八条：查证属实且已立案处罚的，"
                                  "奖励 2000 元")  # fmt: skip
        services.tip_reward_paid(actor=market, tip_id=pk, paid_on=today.isoformat())
    if state == "unsubstantiated":
        services.tip_acknowledge(actor=tax, tip_id=pk, accept=True)
        services.tip_decide(
            actor=tax, tip_id=pk, substantiated=False,
            reason="经调取该公司近一年的开票和收款记录并现场核查，未发现销售不开票的情况。",
        )  # fmt: skip
    if state == "transferred":
        services.tip_transfer(
            actor=market, tip_id=pk, department_code="ZJ",
            reason="举报事项为违法建设，属住房和城乡建设部门职责，移送该局办理。",
        )  # fmt: skip
