"""Support-plan items opened by a needs assessment kept the service's label as
their objective, in the language of the moment (English in the demo and in
jobs): Urdu pages showed English text. They now have no objective of their own
and the page names the service in the reader's language; existing items whose
objective is only the service's label (in English or Urdu) are cleared."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.utils import translation


def clear_label_objectives(apps: Any, schema_editor: Any) -> None:
    from ahtc.victims.models import ServiceType

    item_model = apps.get_model("victims", "SupportPlanItem")
    for value, label in ServiceType.choices:
        names = set()
        for language in ("en", "ur"):
            with translation.override(language):
                names.add(str(label))
        item_model.objects.filter(service=value, objective__in=names).update(objective="")


class Migration(migrations.Migration):
    dependencies = [("victims", "0007_monitoring_indexes")]

    operations = [
        migrations.AlterField(
            model_name="supportplanitem",
            name="objective",
            field=models.CharField(blank=True, max_length=300, verbose_name="objective"),
        ),
        migrations.RunPython(clear_label_objectives, migrations.RunPython.noop),
    ]
