from django.db import migrations

GUIDE = "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）"
STATEMENT = "认定前书面告知当事人认定理由、依据、拟采取的措施、移出条件和救济途径，当事人可在告知之日起5个工作日内陈述申辩。"
TYPES = [
    {
        "code": "serious_dishonesty", "name": "严重失信主体名单", "effect": "negative",
        "legal_basis": f"{GUIDE}：严重失信主体名单的认定应以法律、法规或者党中央、国务院政策文件为依据，"
        "限定在严重危害人民群众身体健康和生命安全、严重破坏市场公平竞争秩序和社会正常秩序、"
        "有履行能力但拒不履行逃避执行法定义务、拒不履行国防义务等四类情形。",
        "criteria": "依据生效的司法裁判文书、行政处罚决定或行政强制执行决定，行为属于上述四类严重失信情形之一，"
        f"且法律、法规或党中央、国务院政策文件明确规定可以列入。{STATEMENT}",
        "removal_conditions": "有效期届满自动移出；有效期内纠正失信行为、消除不良影响并履行相关义务的，"
        "可按规定申请信用修复提前移出；认定依据被撤销或变更的，由认定部门移出。",
        "departments": ["*"], "prior_notice": True, "requires_category": True,
        "default_term_months": 36, "max_term_months": 60, "public": True,
        "source_item": "serious_dishonesty_entry", "on_roll": True,
    },
    {
        "code": "watch", "name": "重点关注对象名单", "effect": "negative",
        "legal_basis": f"{GUIDE}；本市社会信用体系建设有关规定：对未达到严重失信标准但存在失信行为的主体"
        "实施重点关注、加强监管。",
        "criteria": "一年内受到同类行政处罚两次以上、被列入经营异常名录或存在其他一般失信行为，"
        f"尚未达到严重失信主体名单认定标准。{STATEMENT}",
        "removal_conditions": "有效期（一年）届满自动移出；纠正失信行为并经认定部门确认的，可提前移出。",
        "departments": ["*"], "prior_notice": True, "requires_category": False,
        "default_term_months": 12, "max_term_months": 12, "public": False, "source_item": "",
    },
    {
        "code": "honor", "name": "诚信典型（红名单）", "effect": "positive",
        "legal_basis": "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》"
        "（国发〔2016〕33号）：多渠道选树诚信典型，对诚信典型实施联合激励。",
        "criteria": "依法诚信经营，连续三年无不良信用记录，获得县级以上人民政府或部门表彰、"
        "纳税信用A级、海关高级认证等守信表现。",
        "removal_conditions": "有效期届满自动移出；有效期内产生失信记录或被列入失信类名单的，由认定部门移出。",
        "departments": ["*"], "prior_notice": False, "requires_category": False,
        "default_term_months": 24, "max_term_months": 36, "public": True, "source_item": "",
        "on_roll": True,
    },
    {
        "code": "abnormal_operations", "name": "经营异常名录", "effect": "negative",
        "legal_basis": "《企业信息公示暂行条例》第十七条；《企业经营异常名录管理暂行办法》。",
        "criteria": "未按规定期限公示年度报告，未在责令期限内公示有关企业信息，公示企业信息隐瞒真实情况、"
        "弄虚作假，或通过登记的住所或经营场所无法联系。",
        "removal_conditions": "补报年度报告、更正公示信息或依法办理住所变更登记后，由市场监管部门移出；"
        "列入满三年未移出的，依法列入严重违法失信企业名单。",
        "departments": ["SCJG"], "prior_notice": False, "requires_category": False,
        "default_term_months": None, "max_term_months": 36, "public": True,
        "source_item": "abnormal_operations_entry",
    },
    {
        "code": "market_ban", "name": "市场和行业禁入", "effect": "negative",
        "legal_basis": "《中华人民共和国食品安全法》第一百三十五条；《中华人民共和国药品管理法》第一百一十八条；"
        "《中华人民共和国证券法》第二百二十一条等：法律规定的市场和行业禁入措施。",
        "criteria": "被依法处以市场或行业禁入的主体及其责任人员，禁入期限按法律规定（可至终身）。"
        + STATEMENT,
        "removal_conditions": "禁入期限届满自动移出；终身禁入不移出，认定依据被撤销的除外。",
        "departments": ["*"], "prior_notice": True, "requires_category": False,
        "default_term_months": 60, "max_term_months": None, "public": True,
        "permanent_allowed": True, "source_item": "", "on_roll": True,
    },
]  # fmt: skip


def seed(apps, schema_editor):
    model = apps.get_model("lists", "ListType")
    for t in TYPES:
        model.objects.get_or_create(code=t["code"], defaults=t)


class Migration(migrations.Migration):
    dependencies = [("lists", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
