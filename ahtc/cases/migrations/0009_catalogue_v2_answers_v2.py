"""Issue 12: the second catalogue (sources, kinds, dates, new sections) and the
second answer format (yes / no / not known) for stored decisions."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from ahtc.cases.legal import CATALOGUE_CSV, catalogue_load

    with CATALOGUE_CSV.open(encoding="utf-8") as fh:
        catalogue_load(apps.get_model("cases", "LegalProvision"), fh, reconcile=True)


def answers_to_v2(apps, schema_editor):
    from ahtc.cases.classification.facts import ANSWERS_VERSION, legacy_to_v2

    Decision = apps.get_model("cases", "ClassificationDecision")
    for decision in Decision.objects.all().only("pk", "answers"):
        if (decision.answers or {}).get("version") == ANSWERS_VERSION:
            continue
        Decision.objects.filter(pk=decision.pk).update(answers=legacy_to_v2(decision.answers or {}))


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_classification_v2")]
    operations = [
        migrations.RunPython(load_catalogue, migrations.RunPython.noop),
        migrations.RunPython(answers_to_v2, migrations.RunPython.noop),
    ]
