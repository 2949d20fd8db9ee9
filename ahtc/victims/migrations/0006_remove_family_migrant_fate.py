# Issue 10: the fate now lives on the migrant (0005 copied it there).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("victims", "0005_missing_migrant"),
    ]

    operations = [
        migrations.RemoveField(model_name="missingmigrantfamily", name="migrant_fate"),
    ]
