"""Indicator rows carry their report's district (issue 19); an index for the
Overview's count of reporters' replies waiting.

The column is added nullable, filled from the reports, then made required.
The fill is one `UPDATE ... FROM` per range of ids (467,000 rows take a few
seconds on PostgreSQL), never a loop over rows in Python.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

BATCH = 100_000


def fill_districts(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("portal", "TipIndicator")
    tip = apps.get_model("portal", "Tip")
    bounds = indicator.objects.aggregate(low=models.Min("pk"), high=models.Max("pk"))
    if bounds["low"] is None:
        return
    rows = schema_editor.quote_name(indicator._meta.db_table)
    reports = schema_editor.quote_name(tip._meta.db_table)
    sql = (
        f"UPDATE {rows} SET district_id = t.district_id FROM {reports} AS t "  # noqa: S608
        f"WHERE t.id = {rows}.tip_id AND {rows}.id >= %s AND {rows}.id < %s"
    )
    with schema_editor.connection.cursor() as cursor:
        for start in range(bounds["low"], bounds["high"] + 1, BATCH):
            cursor.execute(sql, [start, start + BATCH])


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0001_initial"),
        ("portal", "0014_monitoring_indexes"),
    ]

    operations = [
        # The old index on the value alone goes first: the new one serves its
        # lookups, and the fill then maintains fewer indexes.
        migrations.AlterField(
            model_name="tipindicator",
            name="value_hash",
            field=models.CharField(max_length=64),
        ),
        migrations.AddField(
            model_name="tipindicator",
            name="district",
            field=models.ForeignKey(
                null=True,
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geography.area",
            ),
        ),
        migrations.RunPython(fill_districts, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="tipindicator",
            name="district",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geography.area",
            ),
        ),
        migrations.AddIndex(
            model_name="tip",
            index=models.Index(
                condition=models.Q(("reply_waiting", True)),
                fields=["district"],
                name="portal_tip_reply_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="tipindicator",
            index=models.Index(
                fields=["value_hash", "district", "tip"], name="portal_tipindicator_scope_idx"
            ),
        ),
    ]
