"""Link existing case parties of role broker / travel agent to the registry.

Before the registry, a travel agency was free text on a case party
(`cases.Party.organisation_name`). Each such party whose name matches a
registered agency of the case's district (names.name_key: case, accents,
punctuation and words like "Travels" or "Pvt Ltd" ignored) is linked to it.
Parties that match no agency, or more than one, are left as they are; the
migration prints how many it linked. Reversing removes only the links it made.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

BROKER = "BrokerTravelAgent"


def link(apps: Any, schema_editor: Any) -> None:
    from ahtc.agencies.names import name_key

    party_model = apps.get_model("cases", "Party")
    agency_model = apps.get_model("agencies", "Agency")
    link_model = apps.get_model("agencies", "AgencyParty")
    keys: dict[tuple[int, str], list[int]] = {}
    for pk, district_id, key in agency_model.objects.values_list("pk", "district_id", "name_key"):
        keys.setdefault((district_id, key), []).append(pk)
    parties = (
        party_model.objects.filter(role=BROKER, agency_link__isnull=True)
        .exclude(organisation_name="")
        .values_list("pk", "case__district_id", "organisation_name")
    )
    links = []
    for pk, district_id, name in parties.iterator():
        found = keys.get((district_id, name_key(name)), [])
        if len(found) == 1:
            links.append(link_model(agency_id=found[0], party_id=pk, method="migrated"))
    link_model.objects.bulk_create(links, batch_size=1000)
    if links:
        print(f"\n  agencies: linked {len(links)} broker parties to agencies by name")


def unlink(apps: Any, schema_editor: Any) -> None:
    apps.get_model("agencies", "AgencyParty").objects.filter(method="migrated").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("cases", "0007_agency_proceedings"),
    ]

    operations = [migrations.RunPython(link, unlink)]
