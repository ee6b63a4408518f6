"""Deterministic demo records for every default catalog item, derived from the demo city's
subjects (``subjects/demo.py``): the same seed gives the same records on every machine.
Rows are dicts keyed by field code, as a department would push them."""

import datetime
import random
from collections.abc import Callable, Iterator

from xinyong.subjects import demo as subjects_demo
from xinyong.subjects.demo import OrgRow, PersonRow

TODAY = datetime.date(2026, 11, 24)
# Who supplies each item in the demo city (department codes of demo/city.py).
PROVIDERS = {
    "registration_basic": "SCJG",
    "judicial_judgment": "FY",
    "court_dishonest_debtor": "FY",
    "administrative_licence": "ZJ",
    "administrative_penalty": "SCJG",
    "administrative_enforcement": "SW",
    "administrative_confirmation": "MZ",
    "administrative_reward": "RS",
    "administrative_inspection": "SCJG",
    "professional_qualification": "RS",
    "abnormal_operations_entry": "SCJG",
    "serious_dishonesty_entry": "SW",
    "contract_performance": "ZJ",
    "commitment_performance": "XYB",
    "credit_evaluation_result": "SW",
    "law_compliance": "GJJ",
    "honor": "XYB",
    "intellectual_property": "SCJG",
    "voluntary_information": "XYB",
    "credit_service_misconduct": "XYB",
    "practitioner_record": "RS",
}
DEPARTMENT_NAMES = {
    "SCJG": "信安市市场监督管理局",
    "ZJ": "信安市住房和城乡建设局",
    "SW": "国家税务总局信安市税务局",
    "FY": "信安市中级人民法院",
    "MZ": "信安市民政局",
    "RS": "信安市人力资源和社会保障局",
    "XYB": "信安市发展和改革委员会",
    "GJJ": "信安市住房公积金管理中心",
    "HB": "信安市生态环境局",
}

# How each department abbreviates itself in its documents' numbers (信市监罚〔2026〕9号):
# a decision number is read by people, so it never carries the platform's department code.
DOCUMENT_ABBREVIATIONS = {
    "SCJG": "市监", "ZJ": "住建", "SW": "税", "FY": "法", "MZ": "民", "RS": "人社",
    "XYB": "发改", "GJJ": "公积金", "HB": "环",
}  # fmt: skip


def department_uscc(code: str) -> str:
    """A stable, valid USCC for a demo department (government bodies start with 11)."""
    serial = 90_000_000 + sum(ord(c) * 131**i for i, c in enumerate(code)) % 9_000_000
    return subjects_demo.make_uscc("11", subjects_demo.CITY_REGION, serial)


def _day(rng: random.Random, back: int = 1500) -> datetime.date:
    return TODAY - datetime.timedelta(days=rng.randrange(3, back))


def _subject(o: OrgRow) -> dict:
    lb = "个体工商户" if o.kind == "individual_business" else "法人及非法人组织"
    return {"XDR_MC": o.name, "XDR_LB": lb, "XDR_SHXYM": o.uscc}


_VIOLATIONS = [
    (
        "虚假宣传",
        "在商品包装及网店页面对产品功效作虚假宣传",
        "《中华人民共和国反不正当竞争法》第二十条",
    ),
    ("未按规定公示年报", "未按规定期限公示年度报告", "《企业信息公示暂行条例》第十八条"),
    ("销售不合格产品", "销售经抽检不合格的电线电缆", "《中华人民共和国产品质量法》第四十九条"),
    ("无证经营", "未取得食品经营许可从事食品经营", "《中华人民共和国食品安全法》第一百二十二条"),
    ("超标排放", "废气排放超过国家排放标准", "《中华人民共和国大气污染防治法》第九十九条"),
    (
        "安全生产违法",
        "未按规定对从业人员进行安全生产教育培训",
        "《中华人民共和国安全生产法》第九十七条",
    ),
]


def penalty(n: int, o: OrgRow, rng: random.Random, provider: str = "SCJG") -> dict:
    kind, fact, basis = _VIOLATIONS[rng.randrange(len(_VIOLATIONS))]
    decided = _day(rng)
    fine = rng.choice([None, "0.5", "1", "2", "5", "10", "20.5", "50"])
    lb = "警告" if fine is None else rng.choice(["罚款", "警告;罚款", "罚款;没收违法所得"])
    dept = DEPARTMENT_NAMES.get(provider, DEPARTMENT_NAMES["SCJG"])
    row = {
        **_subject(o),
        "CF_WSH": f"信{DOCUMENT_ABBREVIATIONS.get(provider, '政')}罚〔{decided.year}〕{n}号",
        "CF_WFXW": kind,
        "CF_SY": f"经查，当事人{fact}。",
        "CF_YJ": basis,
        "CF_CFLB": lb,
        "CF_NR": "警告" if fine is None else f"罚款人民币{fine}万元",
        "CF_NR_FK": fine or "",
        "CF_JDRQ": decided.isoformat(),
        "CF_YXQ": (decided + datetime.timedelta(days=365)).isoformat(),
        "CF_CFJG": dept,
        "CF_CFJGDM": department_uscc(provider),
        "CF_SJLY": dept,
        "CF_SJLYDM": department_uscc(provider),
    }
    return row


def licence(n: int, o: OrgRow, rng: random.Random, provider: str = "ZJ") -> dict:
    decided = _day(rng)
    name, kind = rng.choice(
        [
            ("建筑业企业资质证书", "认可"),
            ("食品经营许可证", "普通"),
            ("排污许可证", "普通"),
            ("危险化学品经营许可证", "特许"),
            ("建筑工程施工许可证", "核准"),
        ]
    )
    dept = DEPARTMENT_NAMES.get(provider, DEPARTMENT_NAMES["ZJ"])
    return {
        **_subject(o),
        "XK_XKWS": f"{name}准予许可决定书",
        "XK_WSH": f"信{DOCUMENT_ABBREVIATIONS.get(provider, '政')}许〔{decided.year}〕{n}号",
        "XK_XKLB": kind,
        "XK_XKZS": name,
        "XK_XKBH": f"XK{decided.year}{n:08d}",
        "XK_NR": f"准予{o.name}取得{name}",
        "XK_JDRQ": decided.isoformat(),
        "XK_YXQZ": decided.isoformat(),
        "XK_YXQZI": (decided + datetime.timedelta(days=365 * 5)).isoformat(),
        "XK_XKJG": dept,
        "XK_XKJGDM": department_uscc(provider),
        "XK_ZT": "有效",
        "XK_LYDW": dept,
        "XK_LYDWDM": department_uscc(provider),
    }


def _simple(fields: Callable[[int, OrgRow, random.Random], dict]):
    def make(n: int, o: OrgRow, rng: random.Random, provider: str = "") -> dict:
        return {**_subject(o), **fields(n, o, rng)}

    return make


def _d(rng):
    return _day(rng).isoformat()


ORG_ITEMS: dict[str, Callable] = {
    "administrative_penalty": penalty,
    "administrative_licence": licence,
    "registration_basic": _simple(
        lambda n, o, rng: {
            "DJ_DJJG": "信安市市场监督管理局",
            "DJ_ZT": "存续",
            "DJ_CLRQ": o.established_on.isoformat(),
            "DJ_HZRQ": o.established_on.isoformat(),
            "DJ_ZCZB": str(rng.choice([10, 50, 100, 500, 1000, 5000])),
            "DJ_ZS": o.address,
            "DJ_JYFW": "一般项目：技术服务、技术开发、技术咨询；货物进出口。",
            "source_id": f"DJ-{o.uscc}",
        }
    ),
    "judicial_judgment": _simple(
        lambda n, o, rng: {
            "SF_AH": f"（{_day(rng).year}）信01民初{n}号",
            "SF_FY": "信安市中级人民法院",
            "SF_AY": rng.choice(["买卖合同纠纷", "借款合同纠纷", "建设工程施工合同纠纷"]),
            "SF_CPRQ": _d(rng),
            "SF_CPJG": "被告于判决生效之日起十日内支付原告货款及利息。",
            "SF_ZXBD": str(rng.choice([3, 12, 45, 120])),
            "SF_LXQK": rng.choice(["全部履行", "部分履行", "未履行"]),
        }
    ),
    "court_dishonest_debtor": _simple(
        lambda n, o, rng: {
            "SX_AH": f"（2026）信01执{n}号",
            "SX_ZXFY": "信安市中级人民法院",
            "SX_ZXYJ": f"（2025）信01民初{n}号",
            "SX_YW": "支付货款及利息",
            "SX_LXQK": rng.choice(["全部未履行", "部分未履行"]),
            "SX_QX": "有履行能力而拒不履行生效法律文书确定义务",
            "SX_FBRQ": (TODAY - datetime.timedelta(days=rng.randrange(3, 600))).isoformat(),
            "SX_YXQZ": "2028-06-30",
        }
    ),
    "administrative_enforcement": _simple(
        lambda n, o, rng: {
            "QZ_WSH": f"信税强〔2026〕{n}号",
            "QZ_LB": rng.choice(["冻结存款汇款", "加处罚款或者滞纳金", "扣押财物"]),
            "QZ_SY": "逾期未缴纳税款，经催告仍未履行",
            "QZ_YJ": "《中华人民共和国税收征收管理法》第四十条",
            "QZ_JDRQ": _d(rng),
            "QZ_JG": "国家税务总局信安市税务局",
        }
    ),
    "administrative_confirmation": _simple(
        lambda n, o, rng: {
            "QR_WSH": f"信民确〔2026〕{n}号",
            "QR_LB": "社会组织评估等级确认",
            "QR_NR": f"确认评估等级为{rng.choice(['3A', '4A', '5A'])}",
            "QR_JDRQ": _d(rng),
            "QR_JG": "信安市民政局",
        }
    ),
    "administrative_reward": _simple(
        lambda n, o, rng: {
            "JL_WSH": f"信人社奖〔2026〕{n}号",
            "JL_MC": rng.choice(["和谐劳动关系示范企业", "就业扶贫先进单位"]),
            "JL_DJ": rng.choice(["省级", "市级"]),
            "JL_RQ": _d(rng),
            "JL_JG": "信安市人力资源和社会保障局",
        }
    ),
    "administrative_inspection": _simple(
        lambda n, o, rng: {
            "JC_BH": f"JC2026{n:07d}",
            "JC_LX": rng.choice(["双随机抽查", "专项检查", "日常检查"]),
            "JC_RQ": _d(rng),
            "JC_JG": rng.choice(["未发现问题", "未发现问题", "发现问题已责令改正"]),
            "JC_JCJG": "信安市市场监督管理局",
        }
    ),
    "abnormal_operations_entry": _simple(
        lambda n, o, rng: {
            "YC_WSH": f"信市监异〔2026〕{n}号",
            "YC_LRYY": rng.choice(
                ["未按规定期限公示年度报告", "通过登记的住所或者经营场所无法联系"]
            ),
            "YC_LRRQ": _d(rng),
            "YC_LRJG": "信安市市场监督管理局",
        }
    ),
    "serious_dishonesty_entry": _simple(
        lambda n, o, rng: {
            "MD_RDWH": f"信税失〔2026〕{n}号",
            "MD_LB": "有履行能力但拒不履行法定义务",
            "MD_SY": "偷税金额较大且占应纳税额比例较高",
            "MD_YJ": "《重大税收违法失信主体信息公布管理办法》第六条",
            "MD_RDRQ": "2026-03-15",
            "MD_YXQZ": "2029-03-14",
            "MD_RDJG": "国家税务总局信安市税务局",
        }
    ),
    "contract_performance": _simple(
        lambda n, o, rng: {
            "HT_BH": f"HT-2026-{n:06d}",
            "HT_MC": "市政道路维修工程施工合同",
            "HT_JE": str(rng.choice([80, 260, 1200])),
            "HT_QDRQ": _d(rng),
            "HT_LXZT": rng.choice(["正常履行", "履行完毕", "违约"]),
            "HT_FBDW": "信安市城市管理局",
        }
    ),
    "commitment_performance": _simple(
        lambda n, o, rng: {
            "CN_BH": f"CN2026{n:07d}",
            "CN_LX": rng.choice(["审批替代型", "主动型", "证明事项告知承诺"]),
            "CN_NR": "本单位承诺所提交材料真实有效，如有虚假愿承担相应法律责任。",
            "CN_RQ": _d(rng),
            "CN_SLDW": "信安市政务服务中心",
            "CN_LXZT": rng.choice(["履行中", "已履约", "已履约", "违诺"]),
        }
    ),
    "credit_evaluation_result": _simple(
        lambda n, o, rng: {
            "PJ_BH": f"NSXY2025{n:07d}",
            "PJ_LY": "纳税信用",
            "PJ_DJ": rng.choice(["A", "B", "B", "M", "C"]),
            "PJ_RQ": "2026-04-30",
            "PJ_YXQZ": "2027-04-30",
            "PJ_JG": "国家税务总局信安市税务局",
        }
    ),
    "law_compliance": _simple(
        lambda n, o, rng: {
            "ZS_BH": f"GJJ-QJ-{n:07d}",
            "ZS_LX": "欠缴住房公积金",
            "ZS_JE": str(rng.choice(["1.2", "3.5", "8"])),
            "ZS_TJRQ": _d(rng),
            "ZS_ZT": rng.choice(["欠缴中", "已缴清"]),
        }
    ),
    "honor": _simple(
        lambda n, o, rng: {
            "RY_BH": f"RY2026{n:06d}",
            "RY_MC": rng.choice(["守合同重信用企业", "诚信纳税示范企业"]),
            "RY_JB": rng.choice(["省级", "市级"]),
            "RY_SYRQ": _d(rng),
            "RY_SYDW": "信安市人民政府",
        }
    ),
    "intellectual_property": _simple(
        lambda n, o, rng: {
            "ZC_BH": f"ZL2026{n:08d}",
            "ZC_LX": rng.choice(["发明专利", "实用新型专利", "注册商标"]),
            "ZC_MC": "一种节能型数据处理装置",
            "ZC_SQRQ": _d(rng),
        }
    ),
    "voluntary_information": _simple(
        lambda n, o, rng: {
            "ZY_BH": f"ZY2026{n:06d}",
            "ZY_LX": "社会责任报告",
            "ZY_NR": "本年度参与公益活动12次，吸纳就业86人。",
            "ZY_RQ": _d(rng),
        }
    ),
    "credit_service_misconduct": _simple(
        lambda n, o, rng: {
            "XYFW_BH": f"XYFWSX2026{n:06d}",
            "XYFW_BABH": f"XYFW2026{n % 10000:04d}",
            "XYFW_SS": "出具信用报告时未核实委托主体提供的材料，报告内容与事实不符。",
            "XYFW_YJ": "信用服务机构登记备案管理规定",
            "XYFW_RDRQ": _d(rng),
            "XYFW_RDBM": DEPARTMENT_NAMES["XYB"],
        }
    ),
}


def qualification(n: int, p: PersonRow, rng: random.Random) -> dict:
    return {
        "XDR_MC": p.name,
        "XDR_LB": "自然人",
        "ZJLX": "身份证",
        "ZJHM": p.resident_id,
        "ZG_ZSBH": f"ZG{n:09d}",
        "ZG_MC": rng.choice(["一级建造师", "注册会计师", "高级工程师", "执业药师"]),
        "ZG_FZRQ": _d(rng),
        "ZG_FZJG": "信安市人力资源和社会保障局",
    }


def practitioner(n: int, p: PersonRow, rng: random.Random) -> dict:
    return {
        "XDR_MC": p.name,
        "XDR_LB": "自然人",
        "ZJLX": "身份证",
        "ZJHM": p.resident_id,
        "CY_BH": f"CY2026{n:06d}",
        "CY_ZSBH": f"YS{n:09d}",
        "CY_ZY": rng.choice(["注册会计师", "一级建造师", "导游"]),
        "CY_LX": "定期考核",
        "CY_NR": "年度定期考核合格。",
        "CY_RQ": _d(rng),
        "CY_JG": "信安市人力资源和社会保障局",
    }


def org_rows(item: str, seed: int, orgs: list[OrgRow], start: int = 0) -> Iterator[dict]:
    """One row of ``item`` per organisation given, numbered from ``start``."""
    make = ORG_ITEMS[item]
    rng = random.Random(f"{seed}:{item}:{start}")
    provider = PROVIDERS[item]
    for i, o in enumerate(orgs, start + 1):
        yield make(i, o, rng, provider)


# The items about persons, and how a demo row of each is made.
PERSON_ITEMS: dict[str, Callable] = {
    "professional_qualification": qualification,
    "practitioner_record": practitioner,
}


def person_rows(
    seed: int, people: list[PersonRow], start: int = 0, item: str = "professional_qualification"
) -> Iterator[dict]:
    rng = random.Random(f"{seed}:{item.replace('professional_', '')}:{start}")
    make = PERSON_ITEMS[item]
    for i, p in enumerate(people, start + 1):
        yield make(i, p, rng)
