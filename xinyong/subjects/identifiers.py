"""Identifier validation: USCC (GB 32100-2015), organisation code (GB 11714-1997),
resident ID (GB 11643-1999) and passports.

Each check returns the *first* rule that fails as an :class:`IdentifierError` with a rule id
and a Chinese message, so a department clerk sees exactly what is wrong with a code.
python-stdnum's ``cn.uscc`` wrongly rejects valid codes whose first character is a letter
(N…, Y…, A…), hence our own implementation; the tests compare both where both apply.

``uscc_valid_many`` is the vectorised form for bulk ingestion (numpy), kept in step with the
single-code check by a property test.
"""

import datetime
import re
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext

# GB 32100-2015 character set: digits and capital letters without I, O, S, V, Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714-1997 organisation code: 8 body characters (digits, capital letters) + check.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration authority (登记管理部门) → allowed institution-type characters (机构类别).
REGISTRATION_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("市场监管(工商)", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": (
        "农业农村",
        {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    ),
    "Y": ("其他", {"1": "其他"}),
}

# Province-level prefixes of GB/T 2260 administrative division codes; "10" is the national
# level ("100000") used by central bodies.
PROVINCE_PREFIXES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class IdentifierError(ValueError):
    rule: str  # machine-readable rule id, e.g. "uscc.check_character"
    message: str  # what is wrong, in Chinese

    def __str__(self) -> str:
        return self.message


def uscc_problem(code: str) -> str:
    """What is wrong with a code as a USCC, in words ("" when it is valid)."""
    try:
        validate_uscc(code)
    except IdentifierError as e:
        return e.message
    return ""


# Full-width ASCII (Ａ..Ｚ, ０..９) to half-width; spaces (also the ideographic one) dropped.
_NORMALIZE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x20: None, 0x3000: None}


def normalize_code(value: str) -> str:
    """Codes arrive with spaces, full-width characters and lower case from spreadsheets."""
    if value.isascii() and value.isalnum() and value.isupper():
        return value  # the common case, already clean
    return value.translate(_NORMALIZE).strip().upper()


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - 55


_ORG_VALUE = {c: _org_value(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


_ORG_TERMS = [{c: v * w for c, v in _ORG_VALUE.items()} for w in ORG_CODE_WEIGHTS]


def org_code_check_char(body: str) -> str:
    """GB 11714 check character for an 8-character organisation-code body."""
    return "0X987654321"[sum(map(dict.__getitem__, _ORG_TERMS, body)) % 11]


# Per-position tables of value × weight: one dict lookup per character, no arithmetic.
_USCC_TERMS = [{c: v * w for c, v in USCC_VALUE.items()} for w in USCC_WEIGHTS]


def uscc_check_char(first17: str) -> str:
    total = sum(map(dict.__getitem__, _USCC_TERMS, first17))
    return USCC_ALPHABET[-total % 31]


_PREFIXES = "|".join(sorted(PROVINCE_PREFIXES))
_USCC_FAST = re.compile(
    rf"[{''.join(REGISTRATION_AUTHORITIES)}][0-9A-HJ-NPQRTUWXY](?:{_PREFIXES})[0-9]{{4}}"
    r"[0-9A-HJ-NPQRTUWXY]{10}\Z"
)


def validate_uscc(raw: str) -> str:
    """Return the normalised USCC or raise :class:`IdentifierError` naming the failed rule."""
    if not isinstance(raw, str) or not raw.strip():
        raise IdentifierError("uscc.required", gettext("统一社会信用代码不能为空"))
    code = normalize_code(raw)
    if len(code) != 18:
        raise IdentifierError(
            "uscc.length", gettext("统一社会信用代码应为18位，实际为%(n)s位") % {"n": len(code)}
        )
    if _USCC_FAST.match(code) and code[16] == org_code_check_char(code[8:16]):
        if (
            code[17] == uscc_check_char(code[:17])
            and code[1] in REGISTRATION_AUTHORITIES[code[0]][1]
        ):
            return code  # valid: the rules below only run to explain a failure
    for pos, c in enumerate(code, start=1):
        if c not in USCC_VALUE:
            why = gettext("不使用字母I、O、S、V、Z" if c in "IOSVZ" else "只能由数字和大写字母组成")
            raise IdentifierError(
                "uscc.charset",
                gettext("统一社会信用代码第%(pos)s位“%(char)s”无效：%(why)s")
                % {"pos": pos, "char": c, "why": why},
            )
    authority = REGISTRATION_AUTHORITIES.get(code[0])
    if authority is None:
        raise IdentifierError(
            "uscc.registration_authority",
            gettext("统一社会信用代码第1位（登记管理部门代码）“%(char)s”不是有效的登记管理部门")
            % {"char": code[0]},
        )
    if code[1] not in authority[1]:
        raise IdentifierError(
            "uscc.institution_type",
            gettext(
                "统一社会信用代码第2位（机构类别代码）“%(char)s”不属于登记管理部门“%(authority)s”的机构类别"
            )
            % {"char": code[1], "authority": authority[0]},
        )
    region = code[2:8]
    if not region.isdigit() or region[:2] not in PROVINCE_PREFIXES:
        raise IdentifierError(
            "uscc.region",
            gettext(
                "统一社会信用代码第3-8位（登记管理机关行政区划码）“%(region)s”不是有效的行政区划代码"
            )
            % {"region": region},
        )
    expected_org = org_code_check_char(code[8:16])
    if code[16] != expected_org:
        raise IdentifierError(
            "uscc.org_code_check",
            gettext(
                "统一社会信用代码第9-17位（组织机构代码）校验码错误：应为“%(expected)s”，实际为“%(actual)s”"
            )
            % {"expected": expected_org, "actual": code[16]},
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise IdentifierError(
            "uscc.check_character",
            gettext("统一社会信用代码第18位校验码错误：应为“%(expected)s”，实际为“%(actual)s”")
            % {"expected": expected, "actual": code[17]},
        )
    return code


# --- vectorised form for bulk work -------------------------------------------------------

_USCC_LUT = np.full(256, -1, dtype=np.int64)
for _c, _v in USCC_VALUE.items():
    _USCC_LUT[ord(_c)] = _v
_ORG_LUT = np.full(256, -1, dtype=np.int64)
for _c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _ORG_LUT[ord(_c)] = _org_value(_c)
_AUTH_TYPE_OK = np.zeros((256, 256), dtype=bool)
for _a, (_n, _types) in REGISTRATION_AUTHORITIES.items():
    for _t in _types:
        _AUTH_TYPE_OK[ord(_a), ord(_t)] = True
_PROV_OK = np.zeros(100, dtype=bool)
for _p in PROVINCE_PREFIXES:
    _PROV_OK[int(_p)] = True
_W_USCC = np.array(USCC_WEIGHTS, dtype=np.int64)
_W_ORG = np.array(ORG_CODE_WEIGHTS, dtype=np.int64)
_ORG_CHECK = np.array([ord(c) for c in "0X987654321"] + [ord("0")], dtype=np.uint8)


def uscc_valid_many(codes: list[str]) -> np.ndarray:
    """Boolean validity of many already-normalised codes at once (same rules as
    :func:`validate_uscc`; rows that fail go through it again for their message)."""
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=bool)
    joined = "".join(c if len(c) == 18 and c.isascii() else "~" * 18 for c in codes)
    a = np.frombuffer(joined.encode("ascii", "replace"), dtype=np.uint8).reshape(n, 18)
    vals = _USCC_LUT[a]
    ok = (vals >= 0).all(axis=1)
    ok &= _AUTH_TYPE_OK[a[:, 0], a[:, 1]]
    digits = a[:, 2:8].astype(np.int64) - 48
    ok &= ((digits >= 0) & (digits <= 9)).all(axis=1)
    ok &= _PROV_OK[np.clip(digits[:, 0] * 10 + digits[:, 1], 0, 99)]
    org = _ORG_LUT[a[:, 8:16]]
    org_rem = (org * _W_ORG).sum(axis=1) % 11
    ok &= (org >= 0).all(axis=1) & (_ORG_CHECK[org_rem] == a[:, 16])
    total = (vals[:, :17] * _W_USCC).sum(axis=1) % 31
    ok &= ((31 - total) % 31) == vals[:, 17]
    return ok


# --- persons ---------------------------------------------------------------------------

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
_PASSPORT = re.compile(r"^[A-Z0-9]{5,17}$")


def resident_id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def validate_resident_id(raw: str, *, today: datetime.date | None = None) -> str:
    """GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit sequence, check digit."""
    if not isinstance(raw, str) or not raw.strip():
        raise IdentifierError("resident_id.required", gettext("居民身份证号码不能为空"))
    value = normalize_code(raw)
    if len(value) != 18:
        raise IdentifierError(
            "resident_id.length",
            gettext("居民身份证号码应为18位，实际为%(n)s位") % {"n": len(value)},
        )
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise IdentifierError(
            "resident_id.charset", gettext("居民身份证号码前17位应为数字，第18位为数字或X")
        )
    if value[:2] not in PROVINCE_PREFIXES or value[:2] == "10":
        raise IdentifierError(
            "resident_id.region",
            gettext("居民身份证号码前6位“%(region)s”不是有效的行政区划代码")
            % {"region": value[:6]},
        )
    try:
        birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdentifierError(
            "resident_id.birth_date",
            gettext("居民身份证号码第7-14位“%(date)s”不是真实的出生日期") % {"date": value[6:14]},
        ) from None
    today = today or datetime.date.today()
    if birth > today or birth.year < 1880:
        raise IdentifierError(
            "resident_id.birth_date",
            gettext("居民身份证号码中的出生日期“%(date)s”不合理") % {"date": value[6:14]},
        )
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        raise IdentifierError(
            "resident_id.check_digit",
            gettext("居民身份证号码第18位校验码错误：应为“%(expected)s”，实际为“%(actual)s”")
            % {"expected": expected, "actual": value[17]},
        )
    return value


def validate_passport(raw: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise IdentifierError("passport.required", gettext("护照号码不能为空"))
    value = normalize_code(raw)
    if not _PASSPORT.match(value):
        raise IdentifierError("passport.format", gettext("护照号码应为5-17位大写字母或数字"))
    return value
