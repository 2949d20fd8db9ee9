"""The district risk map page (riskmap.py has the method)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring import tilemap
from ahtc.monitoring.compute import AreaValue, IndicatorValue
from ahtc.surveys import selectors as sel
from ahtc.surveys.riskmap import Row, risk_rows


def _tiles(rows: list[Row]) -> dict[str, Any]:
    values = [
        AreaValue(r.area, IndicatorValue(code="risk", area=r.area.code, period="", value=r.score))
        for r in rows
    ]
    placed, grid_rows = tilemap.tiles(values)
    scores = {r.area.pk: r for r in rows}
    return {
        "tiles": [(t, scores[t.area.pk]) for t in placed],
        "grid_rows": grid_rows,
        "columns": tilemap.COLUMNS,
        "legend": tilemap.band_limits(values),
    }


@staff_view(Perm.VIEW_AGGREGATES)
def risk_map(request: HttpRequest) -> HttpResponse:
    """Districts in the user's statistics scope ranked by the composite; with
    ?district=CODE, that district's tehsils (404 outside the scope)."""
    districts = sel.aggregate_districts(request.user)
    code = request.GET.get("district", "")
    context: dict[str, Any] = {"districts": districts}
    if code:
        district = districts.filter(code=code).first()
        if district is None:
            raise Http404
        tehsils = list(
            Area.objects.filter(parent=district, level=AreaLevel.TEHSIL).order_by("name_en")
        )
        context |= {"district": district, "rows": risk_rows(request.user, tehsils)}
    else:
        rows = risk_rows(request.user, list(districts))
        context |= {"rows": rows, **_tiles(rows)}
    context["hidden"] = any(f.hidden for r in context["rows"] for f in r.figures.values())
    return render(request, "surveys/riskmap.html", context)
