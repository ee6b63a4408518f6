"""The five rules the platform starts with (the credit office changes them in the back
office): commitments due unchecked, repeated penalties, a related person newly on the
serious-dishonesty list, a new abnormal-operations listing, a falling grade."""

from django.db import migrations
from django.utils import timezone

RULES = [
    ("commitment_due", "信用承诺临近核查期限未核查", "commitment_due", {"days": 7},
     "evidence", False),
    ("repeated_penalties", "一年内三次以上受到行政处罚", "repeated_penalties",
     {"count": 3, "days": 365, "item_code": "administrative_penalty"}, "holders", True),
    ("related_person_listed", "法定代表人等关联人新被列入严重失信主体名单",
     "related_person_listed", {"days": 30, "lists": ["serious_dishonesty"]}, "registering",
     True),
    ("abnormal_listed", "新被列入经营异常名录", "abnormal_listed",
     {"days": 30, "list_code": "abnormal_operations"}, "holders", True),
    ("grade_fall", "公共信用综合评价等级下降", "grade_fall", {"steps": 1, "days": 30},
     "registering", False),
]


def seed(apps, schema_editor):
    AlertRule = apps.get_model("alerts", "AlertRule")
    now = timezone.now()
    for code, name, evaluator, params, recipients, notify in RULES:
        AlertRule.objects.get_or_create(code=code, defaults={
            "name": name, "evaluator": evaluator, "params": params, "recipients": recipients,
            "notify_subject": notify, "changed_at": now, "changed_by": "system",
        })


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
