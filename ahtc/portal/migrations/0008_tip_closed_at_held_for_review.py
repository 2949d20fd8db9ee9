"""Reports get a closure time (retention counts from it) and a held-for-review flag.

Reports closed before this migration get their last change as their closure
time: the closest record there is of when they were closed.
"""

from django.db import migrations, models
from django.db.models import F

CLOSED = ["linked", "not_actionable", "duplicate", "referred"]


def backfill_closed_at(apps, schema_editor):  # type: ignore[no-untyped-def]
    Tip = apps.get_model("portal", "Tip")
    Tip.objects.filter(status__in=CLOSED, closed_at=None).update(closed_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_attachment_original_sha256")]

    operations = [
        migrations.AddField(
            model_name="tip",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="closed"),
        ),
        migrations.AddField(
            model_name="tip",
            name="held_for_review",
            field=models.BooleanField(default=False, verbose_name="held for review"),
        ),
        migrations.RunPython(backfill_closed_at, migrations.RunPython.noop),
    ]
