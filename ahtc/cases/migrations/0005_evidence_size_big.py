# Issue 11: evidence up to AHTC_MAX_EVIDENCE_BYTES (2 GiB) needs a 64-bit size.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_evidence_original_sha256"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="size",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
    ]
