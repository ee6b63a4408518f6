"""The default model (``default/public_credit.yaml``) loaded as version 1 and in use, and
the publication settings' default: the public sees grade A only."""

import hashlib
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DEFAULT = Path(__file__).resolve().parent.parent / "default" / "public_credit.yaml"


def load(apps, schema_editor):
    from xinyong.evaluation.model_file import model_parse

    ModelVersion = apps.get_model("evaluation", "ModelVersion")
    PublicationSettings = apps.get_model("evaluation", "PublicationSettings")
    text = DEFAULT.read_text(encoding="utf-8")
    model, digest = model_parse(text)
    if not ModelVersion.objects.filter(code=model.code, version=model.version).exists():
        ModelVersion.objects.create(
            code=model.code, version=model.version, name=model.name, source=text,
            digest=hashlib.sha256(text.encode()).hexdigest(), definition=model.model_dump(),
            active=not ModelVersion.objects.filter(active=True).exists(),
            loaded_at=timezone.now(), loaded_by="system",
        )  # fmt: skip
    if not PublicationSettings.objects.exists():
        PublicationSettings.objects.create(public_grades=["A"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
