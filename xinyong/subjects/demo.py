"""Deterministic synthetic subjects for the demo city and the benchmarks.

Everything derives from ``(seed, index)``: the same seed gives the same city on every
machine, and the i-th subject is the same whatever the total size, so a larger city
extends a smaller one. Names and codes come from bijections of the index, hence are
unique without bookkeeping: a real city has no two companies with one name, and
accidental duplicates would show up as false code defects.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from xinyong.subjects.identifiers import (
    USCC_ALPHABET,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)

CITY_NAME = "信安市"
CITY_REGION = "339900"
DISTRICTS = {
    "339901": "青湖区",
    "339902": "云溪区",
    "339903": "临江区",
    "339904": "东城区",
    "339905": "高新区",
    "339906": "南屿县",
    "339907": "北山县",
    "339908": "望海县",
}

_TRADE_CHARS = (
    "华泰恒瑞鑫盛达祥隆兴信诚博远宏康丰源明泽嘉禾安和嘉润德正新天益润凯"
    "卓越腾飞联创智汇金银光海山林川江河星辰宇宙中科百佳美优易通达富利鼎"
    "晟昊宸瀚泓霖铭睿启航骏驰锦绣万象永辉东方西部南北开元长城盈众合力"
)
_INDUSTRIES = (
    "科技",
    "信息技术",
    "网络科技",
    "电子科技",
    "生物科技",
    "建设工程",
    "建筑工程",
    "房地产开发",
    "物业管理",
    "商贸",
    "贸易",
    "进出口",
    "食品",
    "餐饮管理",
    "酒店管理",
    "物流",
    "运输",
    "汽车销售",
    "机械设备",
    "电气",
    "新材料",
    "新能源",
    "环保科技",
    "医药",
    "医疗器械",
    "健康管理",
    "教育咨询",
    "文化传媒",
    "广告",
    "投资管理",
    "企业管理咨询",
    "人力资源",
    "家居",
    "服装",
    "纺织",
    "农业发展",
    "园林绿化",
    "装饰工程",
    "化工",
    "印务",
)
_FORMS = (
    "有限公司",
    "有限责任公司",
    "股份有限公司",
    "集团有限公司",
    "实业有限公司",
    "控股有限公司",
)
_SHOPS = (
    "便利店",
    "五金店",
    "小吃店",
    "理发店",
    "水果店",
    "百货店",
    "家电维修部",
    "服装店",
    "茶叶店",
    "粮油店",
    "汽车修理厂",
    "早餐店",
    "药店",
    "文具店",
    "烟酒店",
    "面馆",
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏斌"
    "宇浩凯健俊帆帅旭宁欣怡婷雪琳晨阳思梦佳雨轩梓涵子墨诗悦"
)

# (authority+type, share of organisations, legal forms, name builder kind)
_ORG_KINDS = (
    ("91", 0.86, "company"),
    ("93", 0.03, "coop"),
    ("12", 0.03, "institution"),
    ("11", 0.01, "government"),
    ("51", 0.02, "society"),
    ("52", 0.02, "private_nonprofit"),
    ("31", 0.01, "law_firm"),
    ("N2", 0.015, "collective"),
    ("Y1", 0.005, "other"),
)
_LEGAL_FORMS = {
    "company": "有限责任公司",
    "coop": "农民专业合作社",
    "institution": "事业单位",
    "government": "机关",
    "society": "社会团体",
    "private_nonprofit": "民办非企业单位",
    "law_firm": "律师事务所",
    "collective": "村级集体经济组织",
    "other": "其他组织",
}

MIX = {"organization": 0.70, "individual_business": 0.15, "person": 0.15}
_PRIME_A = 1_000_003
_MASK64 = (1 << 64) - 1
SERIAL_SPACE = 99_999_989  # prime: serials below 10^8 fit the numeric org-code form


def _mix(x: int) -> int:
    """splitmix64 finaliser: cheap, well-spread pseudo-random bits from an integer."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


@dataclass(frozen=True)
class OrgRow:
    index: int
    kind: str  # "organization" or "individual_business"
    uscc: str
    name: str
    legal_form: str
    established_on: datetime.date
    address: str
    status: str


@dataclass(frozen=True)
class PersonRow:
    index: int
    resident_id: str
    name: str


def split(total: int) -> dict[str, int]:
    """How many subjects of each kind a city of ``total`` subjects has."""
    orgs = int(total * MIX["organization"])
    ibs = int(total * MIX["individual_business"])
    return {"organization": orgs, "individual_business": ibs, "person": total - orgs - ibs}


def _permute(i: int, m: int, salt: int) -> int:
    """A bijection on range(m) for m not divisible by 1,000,003: spreads indexes."""
    return (i * _PRIME_A + salt) % m


def _base31(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 31)
        out.append(USCC_ALPHABET[r])
    return "".join(reversed(out))


def make_uscc(prefix2: str, region: str, serial: int) -> str:
    """A valid USCC; distinct serials below ``SERIAL_SPACE`` give distinct codes."""
    if serial % 3 == 0:  # older, all-digit organisation code
        body = f"{(serial * 7 + 3) % 10**8:08d}"
    else:
        body = "MA" + _base31(serial, 6)
    org = body + org_code_check_char(body)
    first17 = prefix2 + region + org
    return first17 + uscc_check_char(first17)


def _radix(n: int, *sizes: int) -> list[int]:
    out = []
    for size in sizes:
        n, r = divmod(n, size)
        out.append(r)
    out.append(n)
    return out


def _org_kind(x: float) -> tuple[str, str]:
    acc = 0.0
    for prefix, share, kind in _ORG_KINDS:
        acc += share
        if x < acc:
            return prefix, kind
    return _ORG_KINDS[0][0], _ORG_KINDS[0][2]


_TRADE_CHARS = "".join(dict.fromkeys(_TRADE_CHARS))  # distinct, so names are one-to-one
_K = len(_TRADE_CHARS)
_ORG_NAME_SPACE = _K * _K * len(_INDUSTRIES) * len(_FORMS)
_IB_NAME_SPACE = _K * _K * len(_SURNAMES) * 3 * len(_SHOPS)


def _org_name(kind: str, n: int, district: str) -> str:
    """Distinct n below ``_ORG_NAME_SPACE`` give distinct names for one kind."""
    a, b, ind, form, extra = _radix(n, _K, _K, len(_INDUSTRIES), len(_FORMS))
    trade = _TRADE_CHARS[a] + _TRADE_CHARS[b]
    industry, suffix = _INDUSTRIES[ind], (f"第{extra}" if extra else "")
    if kind == "company":
        return f"{CITY_NAME}{trade}{industry}{suffix}{_FORMS[form]}"
    tail = "" if form == 0 else "一二三四五"[form - 1]  # keeps the mapping one-to-one
    return _NAME_PATTERNS[kind].format(
        city=CITY_NAME, district=district, body=f"{trade}{industry}{suffix}", tail=tail
    )


# How each kind of organisation other than a company is named (body = trade name + industry).
_NAME_PATTERNS = {
    "coop": "{city}{body}专业合作社{tail}社",
    "institution": "{city}{district}{body}服务中心{tail}",
    "government": "{city}{body}管理办公室{tail}",
    "society": "{city}{body}协会{tail}",
    "private_nonprofit": "{city}{body}培训学校{tail}",
    "law_firm": "{body}律师事务所{tail}",
    "collective": "{district}{body}股份经济合作社{tail}",
    "other": "{city}{body}联合会{tail}",
}


def _street(h: int) -> str:
    return _TRADE_CHARS[h >> 40 & 63] + _TRADE_CHARS[h >> 46 & 63]


def _ib_name(n: int, district: str) -> str:
    a, b, sur, style, shop, extra = _radix(n, _K, _K, len(_SURNAMES), 3, len(_SHOPS))
    suffix = f"{extra + 1}号店" if extra else ""
    return (
        f"{district}{_SURNAMES[sur]}{'记氏家'[style]}{_TRADE_CHARS[a]}{_TRADE_CHARS[b]}"
        f"{_SHOPS[shop]}{suffix}"
    )


def organizations(
    seed: int, start: int, stop: int, *, kind: str = "organization"
) -> Iterator[OrgRow]:
    """Organisations (or, with ``kind="individual_business"``, sole traders) number
    ``start``..``stop-1`` of the city built from ``seed``."""
    district_codes = list(DISTRICTS)
    is_ib = kind == "individual_business"
    name_space = _IB_NAME_SPACE if is_ib else _ORG_NAME_SPACE
    salt = _mix(seed * 2 + is_ib)
    day0, span = datetime.date(1995, 1, 1).toordinal(), 11_000
    statuses = ("active",) * 14 + ("deregistered", "revoked")
    for i in range(start, stop):
        h = _mix(salt ^ i)
        region = district_codes[h % 8]
        district = DISTRICTS[region]
        n = _permute(i, name_space, salt)
        if is_ib:
            prefix, name, legal_form = "92", _ib_name(n, district), "个体工商户"
        else:
            prefix, org_kind = _org_kind((h >> 8 & 0xFFFF) / 65536)
            name, legal_form = _org_name(org_kind, n, district), _LEGAL_FORMS[org_kind]
            if org_kind == "company" and "股份" in name:
                legal_form = "股份有限公司"
        serial = _permute(i, SERIAL_SPACE // 2, salt) * 2 + is_ib
        yield OrgRow(
            index=i,
            kind=kind,
            uscc=make_uscc(prefix, region, serial),
            name=name,
            legal_form=legal_form,
            established_on=datetime.date.fromordinal(day0 + (h >> 24) % span),
            address=f"{CITY_NAME}{district}{_street(h)}路{(h >> 52) % 300 + 1}号",
            status=statuses[(h >> 4) % 16],
        )


def persons(seed: int, start: int, stop: int) -> Iterator[PersonRow]:
    """Persons number ``start``..``stop-1``: unique, valid resident IDs born 1950–2005."""
    base = datetime.date(1950, 1, 1).toordinal()
    days = datetime.date(2005, 12, 31).toordinal() - base
    space = 8 * days * 999
    salt = _mix(seed * 3 + 7)
    for i in range(start, stop):
        n = _permute(i, space, salt)
        region_i, rest = n % 8, n // 8
        day, seq = rest % days, rest // days
        birth = datetime.date.fromordinal(base + day)
        first17 = f"{339901 + region_i}{birth:%Y%m%d}{seq + 1:03d}"
        g = _mix(salt ^ i)
        given = _GIVEN[g % len(_GIVEN)] + (_GIVEN[(g >> 8) % len(_GIVEN)] if g >> 16 & 3 else "")
        yield PersonRow(
            index=i,
            resident_id=first17 + resident_id_check_char(first17),
            name=_SURNAMES[(g >> 20) % len(_SURNAMES)] + given,
        )
