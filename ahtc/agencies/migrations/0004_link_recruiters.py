"""Link victims' recruiters written as text to the registry.

Before the registry, where a victim was recruited was free text on the
protection record (`victims.ProtectionRecord.recruitment_place`). A record
whose text is the whole name (English, Urdu or former) of exactly one agency
of its district is linked to it (agencies/recruits.py: never a part of a
name, never when two agencies match). The rest stay text; the migration
prints how many it linked and how many it left. Reversing removes only the
links it made.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def link(apps: Any, schema_editor: Any) -> None:
    from ahtc.agencies.recruits import agency_names, recruiter_matches

    agency_model = apps.get_model("agencies", "Agency")
    former_model = apps.get_model("agencies", "FormerName")
    record_model = apps.get_model("victims", "ProtectionRecord")
    link_model = apps.get_model("agencies", "AgencyRecruit")
    records = (
        record_model.objects.filter(recruiter_link__isnull=True)
        .exclude(recruitment_place="")
        .values_list("pk", "district_id", "recruitment_place")
    )
    matched = recruiter_matches(
        agency_names(agency_model.objects.all(), former_model.objects.all()), records.iterator()
    )
    link_model.objects.bulk_create(
        [link_model(record_id=r, agency_id=a, method="migrated") for r, a in matched.links],
        batch_size=1000,
    )
    if matched.links or matched.left:
        print(
            f"\n  agencies: linked {len(matched.links)} victims' recruiters to agencies by name;"
            f" {matched.left} left as text"
        )


def unlink(apps: Any, schema_editor: Any) -> None:
    apps.get_model("agencies", "AgencyRecruit").objects.filter(method="migrated").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_photos_recruits_import_job"),
    ]

    operations = [migrations.RunPython(link, unlink)]
