"""Token scopes (issue 20). Tokens made before scopes keep what they could do:
read and write."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_drf_tokens_hashed"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.CharField(default="read write", max_length=100, verbose_name="scopes"),
        ),
    ]
