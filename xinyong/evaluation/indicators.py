"""The indicators of the public credit evaluation: each a small pure function of a
subject's facts (``facts.py``) and the parameters its model file gives it, returning its
points, the reason in words and the records or entries it rests on. No database, no clock:
the same facts and parameters always give the same outcome, so a stored result can be
replayed and every reason re-derived. The explanation a company reads on the portal is the
function's docstring (set by :func:`indicator` from the translatable text it is given).

Points are on the model's scale; the model file caps each indicator (``min``/``max``), and
the engine applies the caps, so an indicator states the rule plainly."""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# While a run scores a million subjects only the points matter: reasons are left in the
# source language then (per context: a page explaining a result at the same moment in
# another thread still translates), and translated when a result is explained.
SCORING: ContextVar[bool] = ContextVar("evaluation_scoring", default=False)


def gettext(text: str) -> str:
    """Django's ``gettext`` (and the name the catalogue extraction looks for), skipped
    while a run is scoring."""
    return text if SCORING.get() else translation.gettext(text)


@dataclass(frozen=True)
class Outcome:
    points: int
    reason: str
    evidence: list[int] = field(default_factory=list)  # record ids
    entries: list[int] = field(default_factory=list)  # list entry ids
    cap: str | None = None  # the best grade the subject may have (a veto), or None


@dataclass(frozen=True)
class Indicator:
    code: str
    fn: Callable[[dict, dict], Outcome]
    explanation: object  # lazy translatable text
    improve: object  # how a subject could improve it (lazy text), or ""
    params: tuple[str, ...]  # the parameters the model file must give


REGISTRY: dict[str, Indicator] = {}


def indicator(explanation, *, improve="", params: tuple[str, ...] = ()):
    """Register an indicator function under its name; its docstring becomes the public
    explanation (one text, translated by Django's catalog)."""

    def wrap(fn):
        fn.__doc__ = str(explanation)
        REGISTRY[fn.__name__] = Indicator(fn.__name__, fn, explanation, improve, params)
        return fn

    return wrap


def _each(facts: dict, p: dict, fact: str, none: str, some: str) -> Outcome:
    """The indicators that give ``p["each"]`` points per counted item (the model caps
    them): ``none`` and ``some`` (with ``%(n)s``) are their reasons."""
    n = facts.get(fact, 0)
    if not n:
        return Outcome(0, none)
    return Outcome(n * p["each"], some % {"n": n}, _ids(facts, fact))


def _ids(facts: dict, *names: str) -> list[int]:
    return sorted({i for n in names for i in facts.get(f"{n}_ids", ())})


@indicator(
    _(
        "登记注册与存续：依法登记、正常存续的主体按成立年限加分（满一年加一档，封顶）；"
        "被吊销营业执照的扣分，已注销或未经登记确认的不加分。"
    ),
    improve=_("持续依法经营，存续年限增加后自动加分"),
    params=("per_year", "revoked"),
)
def registration(facts: dict, p: dict) -> Outcome:
    status = facts.get("status")
    if status == "revoked":
        return Outcome(p["revoked"], gettext("营业执照已被吊销"))
    if status in ("deregistered", "unconfirmed"):
        return Outcome(0, gettext("已注销或未经登记确认，不加分"))
    age = facts.get("age")
    if age is None:
        return Outcome(0, gettext("登记信息中无成立日期，不加分"))
    return Outcome(age * p["per_year"], gettext("成立满 %(years)s 年") % {"years": age})


@indicator(
    _(
        "行政处罚：近一年内和一至三年前的行政处罚按严重程度扣分，严重失信的处罚扣分更多；"
        "简易程序作出的处罚只在一年内少量扣分；三年前的处罚不再扣分。"
        "异议期间的处罚暂不扣分，已经信用修复的处罚不扣分。"
    ),
    improve=_("违法行为改正后，可依法申请信用修复；修复成功的处罚不再扣分"),
    params=("serious_recent", "serious_older", "general_recent", "general_older", "summary"),
)
def penalties(facts: dict, p: dict) -> Outcome:
    counts = {k: facts.get(k, 0) for k in ("pen_s1", "pen_s3", "pen_g1", "pen_g3", "pen_summary")}
    points = (counts["pen_s1"] * p["serious_recent"] + counts["pen_s3"] * p["serious_older"]
              + counts["pen_g1"] * p["general_recent"] + counts["pen_g3"] * p["general_older"]
              + counts["pen_summary"] * p["summary"])  # fmt: skip
    parts = []
    labels = {
        "pen_s1": gettext("近一年严重 %(n)s 次"),
        "pen_s3": gettext("一至三年前严重 %(n)s 次"),
        "pen_g1": gettext("近一年一般 %(n)s 次"),
        "pen_g3": gettext("一至三年前一般 %(n)s 次"),
        "pen_summary": gettext("近一年简易程序 %(n)s 次"),
    }
    for k, label in labels.items():
        if counts[k]:
            parts.append(label % {"n": counts[k]})
    reason = "，".join(parts) if parts else gettext("近三年无行政处罚")
    if facts.get("doubt"):
        reason += gettext("；异议期间的信息 %(n)s 条暂不计") % {"n": facts["doubt"]}
    if facts.get("repaired"):
        reason += gettext("；已信用修复 %(n)s 条不计") % {"n": facts["repaired"]}
    return Outcome(points, reason, _ids(facts, *counts))


@indicator(
    _("行政强制：近一年内的行政强制每次扣分，一至三年前的扣分较少。"),
    improve=_("依法履行行政决定，避免被采取行政强制措施"),
    params=("recent", "older"),
)
def enforcement(facts: dict, p: dict) -> Outcome:
    n1, n3 = facts.get("enf_1", 0), facts.get("enf_3", 0)
    if not n1 and not n3:
        return Outcome(0, gettext("近三年无行政强制"))
    reason = gettext("近一年 %(n1)s 次，一至三年前 %(n3)s 次") % {"n1": n1, "n3": n3}
    return Outcome(n1 * p["recent"] + n3 * p["older"], reason, _ids(facts, "enf_1", "enf_3"))


@indicator(
    _(
        "信用名单：列入严重失信主体名单、市场和行业禁入、重点关注对象名单、经营异常名录的扣分，"
        "列入严重失信主体名单的等级不高于模型规定的等级；列入诚信典型（红名单）的加分。"
        "异议期间的名单条目暂不计。"
    ),
    improve=_("履行相关义务后，可依法申请移出名单或信用修复"),
    params=(
        "serious_dishonesty",
        "serious_cap",
        "market_ban",
        "watch",
        "abnormal_operations",
        "honor",
    ),
)
def lists(facts: dict, p: dict) -> Outcome:
    names = {
        "serious_dishonesty": gettext("严重失信主体名单"),
        "market_ban": gettext("市场和行业禁入"),
        "watch": gettext("重点关注对象名单"),
        "abnormal_operations": gettext("经营异常名录"),
        "honor": gettext("诚信典型（红名单）"),
    }
    points, parts = 0, []
    for code, name in names.items():
        if facts.get(f"l_{code}"):
            points += p[code]
            parts.append(name)
    cap = p["serious_cap"] if facts.get("l_serious_dishonesty") else None
    reason = (
        gettext("在列：%(lists)s") % {"lists": "、".join(parts)} if parts else gettext("不在名单中")
    )
    if facts.get("l_doubt"):
        reason += gettext("；异议期间的名单条目 %(n)s 条暂不计") % {"n": facts["l_doubt"]}
    return Outcome(points, reason, entries=list(facts.get("entry_ids", ())), cap=cap)


@indicator(
    _("司法信息：被人民法院列为失信被执行人的扣分。"),
    improve=_("履行生效法律文书确定的义务后，由人民法院依法删除失信信息"),
    params=("each",),
)
def court(facts: dict, p: dict) -> Outcome:
    n = max(facts.get("court_rec", 0), facts.get("l_court_dishonest_debtor", 0))
    if not n:
        return Outcome(0, gettext("不是失信被执行人"))
    return Outcome(n * p["each"], gettext("失信被执行人信息 %(n)s 条") % {"n": n},
                   _ids(facts, "court_rec"))  # fmt: skip


@indicator(
    _("信用承诺：近三年内信用承诺经核查履约的加分，违背承诺或虚假承诺的扣分。"),
    improve=_("按承诺履约；违诺信息修复后不再扣分"),
    params=("kept", "broken"),
)
def commitments(facts: dict, p: dict) -> Outcome:
    kept, broken = facts.get("kept", 0), facts.get("breach", 0)
    if not kept and not broken:
        return Outcome(0, gettext("近三年无经核查的信用承诺"))
    reason = gettext("履约 %(kept)s 项，违诺 %(broken)s 项") % {"kept": kept, "broken": broken}
    return Outcome(kept * p["kept"] + broken * p["broken"], reason, _ids(facts, "kept", "breach"))


@indicator(
    _("表彰奖励：近三年内获得的表彰荣誉和行政奖励每项加分，封顶。"),
    improve=_("获得表彰奖励后由授予部门报送平台"),
    params=("each",),
)
def honours(facts: dict, p: dict) -> Outcome:
    return _each(facts, p, "honour", gettext("近三年无表彰奖励"), gettext("表彰奖励 %(n)s 项"))


@indicator(
    _("行政许可：持有有效行政许可的每项加分，封顶。"),
    improve=_("依法取得并在有效期内保持经营所需的行政许可"),
    params=("each",),
)
def licences(facts: dict, p: dict) -> Outcome:
    return _each(facts, p, "licence", gettext("无有效行政许可信息"),
                 gettext("有效行政许可 %(n)s 项"))  # fmt: skip


@indicator(
    _(
        "行业信用评价：各部门的行业信用评价（如纳税信用等级）在有效期内的，按等级加分或扣分；"
        "同一领域有多次评价的，以最近一次为准。"
    ),
    improve=_("提升行业信用评价等级（如纳税信用等级）"),
    params=("grades",),
)
def sector_grades(facts: dict, p: dict) -> Outcome:
    latest = [item.split("|") for item in facts.get("sector", ())]  # the latest per domain
    if not latest:
        return Outcome(0, gettext("无有效的行业信用评价"))
    points = sum(p["grades"].get(grade, 0) for _domain, grade in latest)
    reason = "；".join(f"{domain} {grade}" for domain, grade in latest)
    return Outcome(points, reason, _ids(facts, "sector"))


@indicator(
    _(
        "自主申报：经部门核实的自主申报信息（资质、经营、履约、荣誉、公益等）每项加分，封顶；"
        "未经核实的不计。"
    ),
    improve=_("在门户网站自主申报信息，经核实后加分"),
    params=("each",),
)
def declarations(facts: dict, p: dict) -> Outcome:
    return _each(facts, p, "declared", gettext("无经核实的自主申报信息"),
                 gettext("经核实的自主申报 %(n)s 项"))  # fmt: skip


@indicator(
    _(
        "异议：主体提出的异议经核实成立、信息被更正或撤销的，错误的信息不计入评价；"
        "提出异议本身从不扣分，异议期间相关信息暂不计入。"
    ),
)
def objections(facts: dict, p: dict) -> Outcome:
    n = facts.get("upheld", 0)
    if not n:
        return Outcome(0, gettext("近三年无经核实成立的异议"))
    return Outcome(0, gettext("异议成立 %(n)s 件，相关信息已更正或撤销，不计入评价") % {"n": n})
