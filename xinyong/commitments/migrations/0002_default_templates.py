"""The commitments a city starts with (the credit office edits them in the back office):
notify-and-commit and deficiency-tolerant acceptance in licensing, scene commitments in
procurement, tenders and fiscal funds, industry self-discipline and the voluntary public
commitment; one high-risk licensing matter where notify-and-commit does not apply."""

import datetime

from django.db import migrations
from django.utils import timezone

NOTIFY_TEXT = (
    "本单位（本人）就申请办理的事项，郑重承诺：一、已经知晓行政机关告知的全部内容；"
    "二、自身已符合行政机关告知的条件、标准和技术要求；三、能够在约定期限内提交行政机关告知的"
    "相关材料；四、愿意承担不实承诺、违反承诺的法律责任，接受行政机关依法撤销许可、纳入信用记录、"
    "列入重点关注对象名单等处理；五、所作承诺是本单位（本人）真实意思的表示。"
)
DEFICIENCY_TEXT = (
    "本单位（本人）申请办理的事项，主要申请材料齐全、符合法定形式，次要材料尚有欠缺。本单位（本人）"
    "承诺在受理部门告知的期限内按要求补齐所列材料；逾期未补齐的，同意终止办理并承担相应后果，"
    "不实承诺记入信用记录。"
)
SCENE_TEXT = (
    "本单位参与本项目，郑重承诺：所提供的资格证明材料真实、合法、有效；近三年内在经营活动中没有"
    "重大违法记录；未被列入严重失信主体名单；如有虚假，自愿接受取消资格、记入信用记录等处理。"
)
INDUSTRY_TEXT = (
    "本单位承诺遵守行业协会（商会）章程和行规行约，依法诚信经营，不进行虚假宣传、不正当竞争，"
    "自觉接受行业自律管理和社会监督，违背承诺的接受行业惩戒并记入信用记录。"
)
VOLUNTARY_TEXT = (
    "本单位自愿向社会公开作出信用承诺：守法诚信经营，严格履行合同约定，保障产品和服务质量，"
    "依法纳税，维护员工和消费者合法权益，接受社会监督。"
)
BASIS_42 = "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）"
BASIS_CN = "《国家发展改革委办公厅关于进一步完善信用承诺制度的通知》；GB/T 46277-2025"

NEW_MATTERS = [
    ("hazardous_chemicals_licence", "危险化学品经营许可"),
    ("industry_self_discipline", "行业自律管理"),
    ("voluntary_commitment", "主动公示信用承诺"),
]
RULES = {  # matter: (time limit in working days, high risk basis, block months)
    "administrative_licensing": (20, "", 12),
    "hazardous_chemicals_licence": (
        30, "《危险化学品安全管理条例》：涉及公共安全和人身健康的高风险事项，不适用告知承诺", 12,
    ),
}
TEMPLATES = [  # matter, kind, name, method, workdays, exempt reason, months, basis, text
    ("administrative_licensing", "notify", "证明事项告知承诺书", "online", 20, "", 12, BASIS_42,
     NOTIFY_TEXT),
    ("administrative_licensing", "deficiency", "容缺受理承诺书", "written", 20, "", 3, BASIS_42,
     DEFICIENCY_TEXT),
    ("hazardous_chemicals_licence", "deficiency", "容缺受理承诺书", "on_site", 10, "", 3,
     BASIS_42, DEFICIENCY_TEXT),
    ("government_procurement", "scene", "政府采购供应商信用承诺书", "online", 10, "", 12,
     BASIS_CN, SCENE_TEXT),
    ("public_resource_trading", "scene", "招标投标信用承诺书", "online", 10, "", 12, BASIS_CN,
     SCENE_TEXT),
    ("fiscal_funds", "scene", "财政资金项目申报信用承诺书", "written", 30, "", 24, BASIS_CN,
     SCENE_TEXT),
    ("industry_self_discipline", "industry", "行业自律信用承诺书", "publicity", 30, "", 36,
     BASIS_CN, INDUSTRY_TEXT),
    ("voluntary_commitment", "voluntary", "主动公示信用承诺书", "exempt", None,
     "主动型承诺不作为办理条件，以社会监督代替核查", 36, BASIS_CN, VOLUNTARY_TEXT),
]


def seed(apps, schema_editor):
    matter = apps.get_model("sanctions", "Matter")
    rule = apps.get_model("commitments", "MatterRule")
    template = apps.get_model("commitments", "CommitmentTemplate")
    version = apps.get_model("commitments", "TemplateVersion")
    for code, name in NEW_MATTERS:
        matter.objects.get_or_create(code=code, defaults={"name": name})
    matters = {m.code: m for m in matter.objects.all()}
    for code, (limit, basis, months) in RULES.items():
        rule.objects.get_or_create(
            matter=matters[code],
            defaults={"time_limit_workdays": limit, "high_risk": bool(basis),
                      "high_risk_basis": basis, "block_months": months},
        )
    at = timezone.make_aware(datetime.datetime(2026, 12, 1))
    for code, kind, name, method, days, exempt, months, basis, text in TEMPLATES:
        t, created = template.objects.get_or_create(
            matter=matters[code], kind=kind,
            defaults={"name": name, "check_method": method, "check_workdays": days,
                      "exempt_reason": exempt, "validity_months": months, "legal_basis": basis},
        )
        if created:
            version.objects.create(template=t, version=1, text=text, created_by="system",
                                   created_at=at)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
