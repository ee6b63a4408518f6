"""The demo city's integrity demonstration units: the market regulator's credit-village
campaign, its results published — two villages awarded (their members: the first market
subjects without a negative list entry), one not — and an honest-enterprise campaign still
taking applications. Idempotent: made once."""

import datetime

from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.demonstration import services
from xinyong.demonstration.models import Campaign
from xinyong.lists.choices import ListEffect
from xinyong.lists.models import ListEntry
from xinyong.subjects.models import Subject

CRITERIA = ["村规民约包含诚实守信内容", "建立农户和经营主体信用档案", "设立村级信用服务站点",
            "近三年无重大安全生产和食品安全事故"]  # fmt: skip
VILLAGES = (("青山村", "信安市青山镇", True), ("白水村", "信安市白水镇", True),
            ("石桥村", "信安市石桥镇", False))  # fmt: skip


def build_demonstration(*, clerk: str = "scjg_clerk", reviewer: str = "scjg_reviewer") -> int:
    """The demo's campaigns, organised by the market regulator (once); the units recorded."""
    users = {u.username: u for u in User.objects.filter(username__in=(clerk, reviewer))}
    if len(users) < 2 or Campaign.objects.exists():
        return 0
    actor, decider = Actor.for_user(users[clerk]), Actor.for_user(users[reviewer])
    listed = ListEntry.objects.filter(list_type__effect=ListEffect.NEGATIVE).values("subject_id")
    clean = list(
        Subject.objects.exclude(kind="person").exclude(pk__in=listed).exclude(uscc=None)
        .order_by("pk").values_list("uscc", flat=True)[: 3 * len(VILLAGES)]
    )  # fmt: skip
    if len(clean) < 3 * len(VILLAGES):
        return 0
    today = timezone.localdate()
    village = services.campaign_create(
        actor=actor, title=f"{today.year}年度信用村创建", kind="village", year=today.year,
        criteria=CRITERIA, apply_until=today, valid_years=3,
    )  # fmt: skip
    for n, (name, area, awarded) in enumerate(VILLAGES):
        unit = services.unit_apply(
            actor=actor, campaign_id=village.pk, name=name, applicant=f"{area}人民政府",
            statement="制定诚信村规民约，建立信用档案，开展诚信宣传和信用评价。", area=area,
            members=clean[3 * n : 3 * n + 3],
        )  # fmt: skip
        met = list(range(len(CRITERIA))) if awarded else [0, 1]
        reason = (
            "各项创建标准均达标。" if awarded else "尚未设立村级信用服务站点，安全生产台账不全。"
        )
        services.unit_assess(actor=decider, unit_id=unit.pk, met=met, award=awarded,
                             reason=reason)  # fmt: skip
    services.campaign_publish(actor=decider, campaign_id=village.pk)
    services.campaign_create(
        actor=actor, title=f"{today.year}年度诚信示范企业创建", kind="enterprise", year=today.year,
        criteria=["近三年无行政处罚记录", "公开作出信用承诺并履约", "建立企业信用管理制度"],
        apply_until=today + datetime.timedelta(days=60), valid_years=3,
    )  # fmt: skip
    return len(VILLAGES)
