# Issue 10: "linked to a case" is a real relation. Each report gets the case
# opened from it (the earliest, not split); reports marked linked with no case
# are kept as they are and flagged for review, never deleted or reopened.
# The check constraint comes in 0011: on PostgreSQL a table with rows just
# updated here (deferred foreign-key checks pending) cannot be altered in the
# same transaction.

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def link_existing(apps: Any, schema_editor: Any) -> None:
    Tip = apps.get_model("portal", "Tip")
    Case = apps.get_model("cases", "Case")
    origins = Case.objects.filter(tip__isnull=False, tip_split=False).order_by("created_at", "pk")
    for case in origins:
        Tip.objects.filter(pk=case.tip_id, case__isnull=True).update(case=case)
    Tip.objects.filter(status="linked", case__isnull=True).update(link_review=True)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_tip_closed_at_held_for_review"),
        ("cases", "0006_case_tip_split"),
    ]

    operations = [
        migrations.AddField(
            model_name="tip",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="linked_reports",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AddField(
            model_name="tip",
            name="link_review",
            field=models.BooleanField(default=False, verbose_name="marked linked without a case"),
        ),
        migrations.RunPython(link_existing, migrations.RunPython.noop),
    ]
