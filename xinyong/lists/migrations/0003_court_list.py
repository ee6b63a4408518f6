from django.db import migrations

COURT = {
    "code": "court_dishonest_debtor", "name": "失信被执行人名单", "effect": "negative",
    "legal_basis": "《中华人民共和国民事诉讼法》第二百六十六条；《最高人民法院关于公布失信被执行人名单"
    "信息的若干规定》（法释〔2017〕7号）。",
    "criteria": "被执行人具有履行能力而不履行生效法律文书确定的义务等情形，由人民法院依法纳入。",
    "removal_conditions": "被执行人全部履行义务、与申请执行人达成和解并履行完毕、执行依据被撤销或期限"
    "届满等情形，由人民法院删除。",
    "departments": ["FY"], "prior_notice": False, "requires_category": False,
    "default_term_months": 24, "max_term_months": 60, "public": True,
    "source_item": "court_dishonest_debtor", "on_roll": True,
}  # fmt: skip


def seed(apps, schema_editor):
    apps.get_model("lists", "ListType").objects.get_or_create(code=COURT["code"], defaults=COURT)


class Migration(migrations.Migration):
    dependencies = [("lists", "0002_default_list_types")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
