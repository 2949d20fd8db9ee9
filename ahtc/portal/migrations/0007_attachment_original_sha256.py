# Issue 9: the hash of each file as received, and its virus-scan mark.

from django.db import migrations, models
from django.db.models import F


def original_is_stored(apps, schema_editor):
    """Only photos were re-encoded; every other kind was stored as received."""
    TipAttachment = apps.get_model("portal", "TipAttachment")
    TipAttachment.objects.exclude(kind="jpeg").update(original_sha256=F("sha256"))


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0006_attachment_message'),
    ]

    operations = [
        migrations.AddField(
            model_name='tipattachment',
            name='original_sha256',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='SHA-256 as received'),
        ),
        migrations.AddField(
            model_name='tipattachment',
            name='scan_status',
            field=models.CharField(choices=[('not_scanned', 'not scanned'), ('clean', 'scanned, nothing found'), ('infected', 'held as dangerous')], default='not_scanned', editable=False, max_length=12, verbose_name='virus scan'),
        ),
        migrations.RunPython(original_is_stored, migrations.RunPython.noop),
    ]
