from django.db import migrations


def load(apps, schema_editor):
    from ahtc.cases.legal import CATALOGUE_CSV, catalogue_load

    with CATALOGUE_CSV.open(encoding="utf-8") as fh:
        catalogue_load(apps.get_model("cases", "LegalProvision"), fh)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
