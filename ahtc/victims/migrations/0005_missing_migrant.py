# Issue 10: a missing migrant has one fate (missing, deceased or found) with
# allowed transitions, kept on the migrant rather than on each relative's row.
# Existing families each get their own migrant with the fate recorded for
# them, labelled for review (two relatives of one migrant cannot be told apart
# automatically); nothing is deleted. The old column goes in 0006.

from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import Max

import ahtc.core.fields

LEGACY_LABEL = "to review: from one family's record, before one fate per migrant"


def one_migrant_per_family(apps: Any, schema_editor: Any) -> None:
    family_model = apps.get_model("victims", "MissingMigrantFamily")
    migrant_model = apps.get_model("victims", "MissingMigrant")
    numbers: dict[int, int] = {}
    for family in family_model.objects.filter(migrant__isnull=True).order_by("case_id", "pk"):
        if family.case_id not in numbers:
            last = migrant_model.objects.filter(case_id=family.case_id).aggregate(m=Max("number"))
            numbers[family.case_id] = last["m"] or 0
        numbers[family.case_id] += 1
        migrant = migrant_model.objects.create(
            case_id=family.case_id,
            number=numbers[family.case_id],
            label=LEGACY_LABEL,
            fate=family.migrant_fate or "missing",
            added_by_id=family.added_by_id,
        )
        family_model.objects.filter(pk=family.pk).update(migrant=migrant)


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0004_identity_release"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MissingMigrant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("number", models.PositiveSmallIntegerField(editable=False)),
                (
                    "label",
                    models.CharField(
                        blank=True,
                        max_length=100,
                        verbose_name="how the cell tells them apart (no name)",
                    ),
                ),
                (
                    "fate",
                    models.CharField(
                        choices=[
                            ("missing", "missing"),
                            ("deceased", "deceased"),
                            ("found", "found"),
                        ],
                        default="missing",
                        max_length=10,
                        verbose_name="the migrant is",
                    ),
                ),
                ("fate_on", models.DateField(blank=True, null=True, verbose_name="since")),
                (
                    "added_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="missing_migrants",
                        to="cases.case",
                    ),
                ),
            ],
            options={
                "ordering": ["case", "number"],
            },
        ),
        migrations.CreateModel(
            name="MigrantFateChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_fate",
                    models.CharField(
                        choices=[
                            ("missing", "missing"),
                            ("deceased", "deceased"),
                            ("found", "found"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "to_fate",
                    models.CharField(
                        choices=[
                            ("missing", "missing"),
                            ("deceased", "deceased"),
                            ("found", "found"),
                        ],
                        max_length=10,
                    ),
                ),
                ("on", models.DateField(verbose_name="date")),
                ("reason", ahtc.core.fields.EncryptedTextField(blank=True, verbose_name="reason")),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "migrant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fate_changes",
                        to="victims.missingmigrant",
                    ),
                ),
            ],
            options={
                "ordering": ["migrant", "on", "pk"],
            },
        ),
        migrations.AddField(
            model_name="missingmigrantfamily",
            name="migrant",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="families",
                to="victims.missingmigrant",
                verbose_name="migrant",
            ),
        ),
        migrations.AddConstraint(
            model_name="missingmigrant",
            constraint=models.UniqueConstraint(
                fields=("case", "number"), name="victims_migrant_unique_number"
            ),
        ),
        migrations.RunPython(one_migrant_per_family, migrations.RunPython.noop),
    ]
