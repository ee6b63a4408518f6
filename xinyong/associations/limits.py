"""What an industry association may submit, asked by ingestion once per batch: at
submission (the item) and for every row (the item again, and the subject a member on the
record's date). The association is a provider in the catalog's sense — a department of
the kind ``association`` — so its records go through the one pipeline; these limits are
what sets it apart from a government department."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.choices import DepartmentKind
from xinyong.associations.models import Authorisation, Membership, in_force_q
from xinyong.core.errors import FieldError

# Filed only by the sanction procedure (as the platform, for the association): never
# uploaded, and never needing a place in an authorisation.
SANCTION_ITEMS = ("industry_sanction", "industry_censure")
ITEM_RULE = "association.item_not_authorised"
MEMBER_RULE = "association.not_member"
PERSON_RULE = "association.person"


@dataclass
class AssociationLimits:
    association_name: str
    items: frozenset[str]  # the items of the authorisations in force
    members: dict[str, list[tuple[datetime.date, datetime.date | None]]] = field(
        default_factory=dict
    )  # USCC -> membership periods

    def item_refusal(self, item_code: str, *, filing: bool = False) -> str | None:
        """Why the association may not submit ``item_code`` (None: it may). ``filing``:
        the sanction procedure filing its decision (the only way to the sanction items)."""
        if item_code in SANCTION_ITEMS:
            if filing:
                return None
            return gettext("行业自律惩戒信息只能经惩戒程序作出决定后自动报送，不能直接上传")
        if item_code in self.items:
            return None
        return gettext(
            "%(association)s未获授权报送该目录项（或授权已终止）：只能报送授权书载明的目录项"
        ) % {"association": self.association_name}

    def row_errors(
        self,
        item_code: str,
        kind: str | None = None,
        uscc: str | None = None,
        day: datetime.date | None = None,
        *,
        check_member: bool = True,
    ) -> list[FieldError]:
        """A row's refusal: an item outside the authorisations in force (checked again at
        processing: the authorisation may have ended since the batch was received), a
        subject that is not a member on the record's date."""
        if item_code not in SANCTION_ITEMS and item_code not in self.items:
            return [FieldError("item", ITEM_RULE, self.item_refusal(item_code))]
        if not check_member:
            return []
        if kind == "person" or not uscc:
            return [
                FieldError(
                    "XDR_LB",
                    PERSON_RULE,
                    gettext(
                        "行业协会商会只能报送会员单位（法人及非法人组织、个体工商户）的信用信息"
                    ),
                )
            ]
        day = day or timezone.localdate()
        periods = self.members.get(uscc, ())
        if any(start <= day and (end is None or day <= end) for start, end in periods):
            return []
        return [
            FieldError(
                "XDR_SHXYM",
                MEMBER_RULE,
                gettext("%(uscc)s 在 %(day)s 不是本协会会员：协会只能报送会员的信用信息")
                % {"uscc": uscc, "day": day.isoformat()},
            )
        ]


def limits_for(provider) -> AssociationLimits | None:
    """The limits of a provider that is an industry association (None: any other)."""
    if provider.kind != DepartmentKind.ASSOCIATION:
        return None
    items: set[str] = set()
    for granted in Authorisation.objects.filter(in_force_q(), association_id=provider.pk):
        items.update(granted.items or [])
    members: dict = {}
    rows = Membership.objects.filter(association_id=provider.pk).values_list(
        "subject__uscc", "joined_on", "left_on"
    )
    for uscc, joined, left in rows:
        if uscc:
            members.setdefault(uscc, []).append((joined, left))
    return AssociationLimits(provider.name, frozenset(items), members)
