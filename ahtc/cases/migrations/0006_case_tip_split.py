# Issue 10: one case per citizen report unless split on purpose. Cases opened
# from a report that already had one, before this rule, are kept and marked
# as splits so the constraint holds; the earliest case keeps the report.

from typing import Any

from django.db import migrations, models

import ahtc.core.fields

LEGACY_REASON = "opened before the one-case-per-report rule; review"


def mark_earlier_splits(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    seen: set[int] = set()
    for case in Case.objects.filter(tip__isnull=False).order_by("tip_id", "created_at", "pk"):
        if case.tip_id in seen:
            case.tip_split = True
            case.split_reason = LEGACY_REASON
            case.save(update_fields=["tip_split", "split_reason"])
        seen.add(case.tip_id)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_evidence_size_big"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="tip_split",
            field=models.BooleanField(
                default=False, verbose_name="split from a report that has a case"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="split_reason",
            field=ahtc.core.fields.EncryptedTextField(
                blank=True, verbose_name="why the report was split"
            ),
        ),
        migrations.RunPython(mark_earlier_splits, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("tip_split", False)),
                fields=("tip",),
                name="cases_case_one_per_report",
            ),
        ),
    ]
