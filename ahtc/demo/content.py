"""Demo helplines and awareness pages, in Urdu and English.

Public numbers (15, 1122, 1121, the FIA helpline) are the well-known
province-wide ones; the cell's own number is a demo placeholder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ahtc.geography.models import Area
from ahtc.portal.models import ContentPage, Helpline, HelplineKind

if TYPE_CHECKING:
    from ahtc.demo.build import DemoContext

# The province's public numbers, pages and the cells' own numbers come from
# onboarding (ahtc/onboarding/defaults.py); the demo adds Punjab's own
# child-protection helpline.
PUNJAB_HELPLINES = [
    (
        "PK6",
        HelplineKind.CHILD_PROTECTION,
        "Child Protection Bureau helpline",
        "چائلڈ پروٹیکشن اینڈ ویلفیئر بیورو ہیلپ لائن",
        "1121",
        3,
    ),
]


def build_content(ctx: DemoContext) -> None:
    for code, kind, name_en, name_ur, number, position in PUNJAB_HELPLINES:
        area = Area.objects.get(code=code)
        if not Helpline.objects.filter(area=area, number=number).exists():
            Helpline.objects.create(
                area=area,
                kind=kind,
                name_en=name_en,
                name_ur=name_ur,
                number=number,
                position=position,
            )
    ContentPage.objects.filter(area__code="PK6", updated_by__isnull=True).update(
        updated_by=ctx.users["dpo_mbdin"]
    )
