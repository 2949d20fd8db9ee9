"""Reference data: the peshgi limit, the notified minimum wages and the
social-protection schemes, each with its source (STYLE.md §9).

Sources are those of the project's domain notes (DOMAIN.md, §1.5 and §3). The kiln piece
rate per 1,000 bricks for 2024-25 and 2025-26 was not found; it is entered
when notified (Django admin, reference data), never guessed here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

LIMITS = [
    {
        "amount": 50000,
        "valid_from": dt.date(2016, 1, 1),
        "source": (
            "Punjab Prohibition of Child Labour at Brick Kilns Act 2016: peshgi capped at "
            "Rs 50,000 (The Nation, 31 Aug 2016; rava.pk). Act text and commencement date "
            "not verified; the start of 2016 is used."
        ),
    }
]
RATES = [
    {
        "basis": "monthly",
        "amount": Decimal("37000"),
        "valid_from": dt.date(2024, 7, 1),
        "valid_to": dt.date(2025, 6, 30),
        "notification": "No. SO(L&P)MW/2024, 5 Sept 2024 (Punjab Minimum Wages Act 2019, s.6)",
        "source": "Rs 37,000 per month (26 days), Rs 1,423.07 per day; vocalpakistan.com",
    },
    {
        "basis": "monthly",
        "amount": Decimal("40000"),
        "valid_from": dt.date(2025, 7, 1),
        "valid_to": None,
        "notification": "as reported (dunya.com.pk 2025-09-10; ummat.net); number not seen",
        "source": (
            "Rs 40,000 per month, Rs 1,538.46 per day; effective 1 July 2025 per a blog "
            "(lower confidence)"
        ),
    },
]
SCHEMES = [
    ("eobi", "Employees' Old-Age Benefits Institution (EOBI)", "ای او بی آئی"),
    ("pessi", "Punjab Employees Social Security Institution (PESSI)", "پیسی"),
    ("bisp", "Benazir Income Support Programme (BISP)", "بینظیر انکم سپورٹ پروگرام"),
]


def load(apps: Any, schema_editor: Any) -> None:
    limit = apps.get_model("labour", "AdvanceLimit")
    rate = apps.get_model("labour", "WageRate")
    scheme = apps.get_model("labour", "Scheme")
    for row in LIMITS:
        limit.objects.get_or_create(valid_from=row["valid_from"], defaults=row)
    for row in RATES:
        rate.objects.get_or_create(basis=row["basis"], valid_from=row["valid_from"], defaults=row)
    for code, name_en, name_ur in SCHEMES:
        scheme.objects.get_or_create(code=code, defaults={"name_en": name_en, "name_ur": name_ur})


class Migration(migrations.Migration):
    dependencies = [("labour", "0002_registry_wages_enforcement")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
