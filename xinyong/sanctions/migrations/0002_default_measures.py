"""The matters business systems name in a check, the memoranda, and the measures the policy
documents name, each sanction with its legal basis (the credit office keeps them)."""

import datetime

from django.db import migrations

MATTERS = [
    ("government_procurement", "政府采购"),
    ("public_resource_trading", "公共资源交易（工程建设项目招标投标）"),
    ("fiscal_funds", "财政性资金项目申报"),
    ("tax_incentives", "税收优惠办理"),
    ("bond_issuance", "债券发行"),
    ("honors", "评优评先、表彰奖励"),
    ("administrative_licensing", "行政许可办理"),
    ("inspection", "双随机抽查与日常检查"),
    ("financing", "融资授信"),
    ("land_transfer", "国有土地使用权出让"),
]
MEMORANDA = [
    ("court_debtors", "关于对失信被执行人实施联合惩戒的合作备忘录", "发改财金〔2016〕141号",
     "国家发展改革委、最高人民法院等44个部门", datetime.date(2016, 1, 20)),
    ("basic_list_2021", "全国失信惩戒措施基础清单（2021年版）", "发改财金规〔2021〕1827号",
     "国家发展改革委、人民银行", datetime.date(2021, 12, 24)),
    ("joint_incentives", "关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见",
     "国发〔2016〕33号", "国务院", datetime.date(2016, 5, 30)),
    ("tiered_supervision", "关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见",
     "国发〔2019〕5号", "国务院", datetime.date(2019, 1, 28)),
]  # fmt: skip
SERIOUS = ["serious_dishonesty", "court_dishonest_debtor"]
MEASURES = [
    # code, memorandum, name, kind, category, legal basis, lists, matters
    ("restrict_procurement", "basic_list_2021", "依法限制参加政府采购活动", "sanction",
     "administrative", "《中华人民共和国政府采购法》第二十二条；《中华人民共和国政府采购法实施条例》"
     "第十九条：参加政府采购活动前三年内在经营活动中没有重大违法记录。",
     [*SERIOUS, "abnormal_operations"], ["government_procurement"]),
    ("restrict_bidding", "basic_list_2021", "依法限制参与工程建设项目招标投标等公共资源交易活动",
     "sanction", "administrative", "《中华人民共和国招标投标法实施条例》第六十七条、第六十八条；"
     "《企业信息公示暂行条例》第十八条。", [*SERIOUS, "abnormal_operations"],
     ["public_resource_trading", "land_transfer"]),
    ("restrict_fiscal_funds", "court_debtors", "依法限制申请财政性资金项目", "sanction",
     "administrative", "《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）；"
     "国办发〔2020〕49号：依法依规限制申请财政资金项目。", SERIOUS, ["fiscal_funds"]),
    ("restrict_tax_incentives", "basic_list_2021", "依法限制享受税收优惠", "sanction",
     "administrative", "《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）第十四条。",
     ["serious_dishonesty"], ["tax_incentives"]),
    ("restrict_bonds", "court_debtors", "依法限制发行企业债券、公司债券", "sanction",
     "administrative", "《企业债券管理条例》第十二条；《最高人民法院关于限制被执行人高消费及有关消费的"
     "若干规定》第三条；发改财金〔2016〕141号。", SERIOUS, ["bond_issuance"]),
    ("restrict_honors", "basic_list_2021", "依法限制参评评优评先、授予荣誉称号", "sanction",
     "administrative", "国办发〔2020〕49号；《企业信息公示暂行条例》第十八条：在授予荣誉称号等工作中"
     "予以限制。", [*SERIOUS, "abnormal_operations", "watch"], ["honors"]),
    ("market_ban", "basic_list_2021", "依法实施市场和行业禁入", "sanction", "administrative",
     "《中华人民共和国食品安全法》第一百三十五条；《中华人民共和国药品管理法》第一百一十八条；"
     "《中华人民共和国证券法》第二百二十一条：按禁入决定的范围和期限实施。", ["market_ban"],
     ["administrative_licensing"]),
    ("raise_inspection", "tiered_supervision", "提高抽查比例和频次，实施重点监管", "sanction",
     "administrative", "《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》"
     "（国发〔2019〕5号）：对有严重违法失信记录的，提高抽查比例和频次。",
     ["watch", *SERIOUS, "abnormal_operations"], ["inspection"]),
    ("prudent_credit", "court_debtors", "金融机构融资授信时审慎评估", "sanction", "market",
     "《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）：将失信信息作为融资授信的"
     "重要参考。", SERIOUS, ["financing"]),
    ("public_exposure", "basic_list_2021", "通过“信用中国”网站和本地信用网站公开曝光", "sanction",
     "social", "国办发〔2020〕49号：严重失信主体名单依法依规在“信用中国”网站公开。",
     ["serious_dishonesty"], []),
    ("green_channel", "joint_incentives", "行政审批“绿色通道”，优先办理", "incentive",
     "administrative", "国发〔2016〕33号：对诚信典型在办理行政许可中根据实际情况实施“绿色通道”。",
     ["honor"], ["administrative_licensing"]),
    ("accept_with_gaps", "joint_incentives", "容缺受理（次要材料暂缺可先受理）", "incentive",
     "administrative", "国发〔2016〕33号：对诚信典型实施“容缺受理”等便利服务措施。", ["honor"],
     ["administrative_licensing"]),
    ("lower_inspection", "tiered_supervision", "合理降低抽查比例和频次", "incentive",
     "administrative", "国发〔2019〕5号：对信用较好、风险较低的市场主体，合理降低抽查比例和频次。",
     ["honor"], ["inspection"]),
    ("priority_funds", "joint_incentives", "同等条件下优先安排财政性资金项目", "incentive",
     "administrative", "国发〔2016〕33号：在实施财政性资金项目安排中，优先考虑诚信市场主体。",
     ["honor"], ["fiscal_funds"]),
]  # fmt: skip


# Implementing departments by code (the demo city's; a city adjusts them): "*" where any
# department handling the matter applies it at its counter.
IMPLEMENTERS = {
    "restrict_procurement": ["CZ"], "restrict_bidding": ["GGZY", "ZJ"],
    "restrict_fiscal_funds": ["CZ", "XYB"], "restrict_tax_incentives": ["SW"],
    "restrict_bonds": ["XYB"], "restrict_honors": ["*"], "market_ban": ["SCJG"],
    "raise_inspection": ["SCJG", "SW", "HB", "YJ"], "prudent_credit": ["RMYH"],
    "public_exposure": ["XYB"], "green_channel": ["*"], "accept_with_gaps": ["*"],
    "lower_inspection": ["SCJG", "SW", "HB", "YJ"], "priority_funds": ["CZ"],
}  # fmt: skip


def seed(apps, schema_editor):
    matter = apps.get_model("sanctions", "Matter")
    memo = apps.get_model("sanctions", "Memorandum")
    measure = apps.get_model("sanctions", "Measure")
    list_type = apps.get_model("lists", "ListType")
    matters = {c: matter.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in MATTERS}
    memos = {}
    for code, name, no, by, on in MEMORANDA:
        memos[code] = memo.objects.get_or_create(
            code=code, defaults={"name": name, "document_no": no, "issued_by": by, "issued_on": on}
        )[0]
    for code, m, name, kind, category, basis, lists, on_matters in MEASURES:
        obj, created = measure.objects.get_or_create(
            code=code,
            defaults={"memorandum": memos[m], "name": name, "kind": kind, "category": category,
                      "legal_basis": basis, "departments": IMPLEMENTERS[code]},
        )  # fmt: skip
        if created:
            obj.list_types.set(list_type.objects.filter(code__in=lists))
            obj.matters.set([matters[x] for x in on_matters])


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0001_initial"), ("lists", "0003_court_list")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
