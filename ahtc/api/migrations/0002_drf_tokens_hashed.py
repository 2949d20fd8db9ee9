"""Move tokens of DRF's `rest_framework.authtoken` (removed from INSTALLED_APPS,
issue 9) into ApiToken as SHA-256 digests, then delete the plain keys.

Partner systems keep their keys; each moved token expires API_TOKEN_DAYS after
this migration. The emptied `authtoken_token` table is left in place (drop it
by hand once nothing needs it). Reversing does not bring the plain keys back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone

TABLE = "authtoken_token"


def tokens_from_drf(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("api", "ApiToken")
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    now = timezone.now()
    expires = now + dt.timedelta(days=settings.AHTC_API_TOKEN_DAYS)
    for key, user_id in rows:
        ApiToken.objects.get_or_create(
            key_hash=hashlib.sha256(str(key).encode("utf-8")).hexdigest(),
            defaults={
                "user_id": user_id,
                "name": "moved from the old token table",
                "created_at": now,
                "expires_at": expires,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_tokens"),
    ]

    operations = [
        migrations.RunPython(tokens_from_drf, migrations.RunPython.noop),
    ]
