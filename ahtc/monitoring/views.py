"""The monitoring workspace (under /cell/monitoring/): the provincial dashboard,
the analyst's explorer, the tile map, targets and the league table.

Every page needs *view aggregates*; the area comes from the query string and
is checked against the user's scope (404 and an audit row outside it). Pages
show counts only; the records behind a number are refused (`rows`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring import charts, suppression, tilemap
from ahtc.monitoring.aggregates import reads_aggregates
from ahtc.monitoring.compute import (
    AreaValue,
    IndicatorTable,
    IndicatorValue,
    by_area,
    series,
    table,
    value,
)
from ahtc.monitoring.exports import table_xlsx
from ahtc.monitoring.forms import ExploreForm, TargetForm
from ahtc.monitoring.indicators import BY_CODE, active_indicators, indicator_def
from ahtc.monitoring.periods import (
    Period,
    PeriodError,
    PeriodKind,
    months_ending,
    period_containing,
    period_parse,
    recent_periods,
)
from ahtc.monitoring.scorecard import league_table, scorecard
from ahtc.monitoring.selectors import (
    aggregate_area_for_user,
    area_choices,
    home_area,
    may_open_rows,
    may_set_targets,
    rows_refused,
    target_areas,
)
from ahtc.monitoring.services import MonitoringError, target_set
from ahtc.monitoring.suppression import Screen, screen_for
from ahtc.onboarding.selectors import rollout_register

KPIS = [
    "reports_received",
    "cases_opened",
    "firs_registered",
    "accused_convicted",
    "conviction_rate",
    "victims_identified",
    "referrals_completed",
    "children_withdrawn",
]
DEFAULT_INDICATOR = "victims_identified"


def _area(request: HttpRequest) -> Area:
    user: Any = request.user
    code = request.GET.get("area", "")
    if code:
        return aggregate_area_for_user(user, code)
    area = home_area(user)
    if area is None:  # staff_view let them in, so they hold the permission somewhere
        raise PermissionError
    return area


def _period(request: HttpRequest, default_kind: str = PeriodKind.FISCAL_YEAR) -> Period:
    try:
        return period_parse(request.GET.get("period", ""))
    except PeriodError:
        return period_containing(timezone.localdate(), default_kind)


def _indicator(request: HttpRequest) -> str:
    code = request.GET.get("indicator", DEFAULT_INDICATOR)
    return code if code in BY_CODE and BY_CODE[code].is_active else DEFAULT_INDICATOR


def _comparison_level(area: Area) -> str:
    return AreaLevel.TEHSIL if area.level == AreaLevel.DISTRICT else AreaLevel.DISTRICT


def _bars(values: list[AreaValue]) -> charts.BarChart:
    return charts.bar_chart([(v.area.name, v.value.value, v.value.display) for v in values])


def _trend(code: str, area: Area, period: Period, today: dt.date) -> list[IndicatorValue]:
    last = period_containing(min(period.last_day, today), PeriodKind.MONTH)
    return series(code, area, months_ending(last))


def _kpi(
    code: str, area: Area, period: Period, screen: Screen, now: IndicatorValue | None = None
) -> dict[str, Any]:
    now = now or screen.value(value(code, area, period))
    before = screen.value(value(code, area, period.previous()))
    change = None
    if now.value is not None and before.value is not None:
        change = round(now.value - before.value, 1)
    return {"indicator": indicator_def(code), "now": now, "before": before, "change": change}


def _links(area: Area, period: Period, code: str) -> str:
    query = QueryDict(mutable=True)
    query.update({"area": area.code, "period": period.code, "indicator": code})
    return query.urlencode()


@staff_view(Perm.VIEW_AGGREGATES)
@reads_aggregates
def dashboard(request: HttpRequest) -> HttpResponse:
    area, period, code = _area(request), _period(request), _indicator(request)
    today = timezone.localdate()
    screen = screen_for(request.user, area)
    trend = screen.values(_trend(code, area, period, today))
    total, compared = suppression.areas(
        screen, value(code, area, period), by_area(code, area, period, _comparison_level(area))
    )
    context = {
        "area": area,
        "period": period,
        "indicator": indicator_def(code),
        "indicators": active_indicators(),
        "areas": area_choices(request.user),
        "periods": recent_periods(PeriodKind.FISCAL_YEAR, today, 4)
        + recent_periods(PeriodKind.BIMONTH, today, 6),
        "kpis": [_kpi(c, area, period, screen, total if c == code else None) for c in KPIS],
        "trend": trend,
        "trend_chart": charts.line_chart([(v.period, v.value, v.display) for v in trend]),
        "compared": compared,
        "compared_chart": _bars(compared),
        "scorecard": suppression.lines(screen, scorecard(area, period, today)),
        "suppress_k": screen.k,
        "rollout": []
        if area.level == AreaLevel.DISTRICT
        else rollout_register(request.user, today),
        "query": _links(area, period, code),
    }
    return render(request, "monitoring/dashboard.html", context)


def _explore_defaults(request: HttpRequest) -> dict[str, str]:
    area = home_area(request.user)
    current = period_containing(timezone.localdate(), PeriodKind.BIMONTH).previous()
    return {
        "indicator": DEFAULT_INDICATOR,
        "area": area.code if area else "",
        "period": current.code,
        "by": "",
    }


@staff_view(Perm.VIEW_AGGREGATES)
@reads_aggregates
def explore(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    data = request.GET if "indicator" in request.GET else _explore_defaults(request)
    form = ExploreForm(data, areas=area_choices(user))
    context: dict[str, Any] = {"form": form, "result": None}
    if form.is_valid():
        area = aggregate_area_for_user(user, form.cleaned_data["area"])
        period, code = form.cleaned_data["period"], form.cleaned_data["indicator"]
        by = form.cleaned_data["by"] or None
        screen = screen_for(user, area)
        context["suppress_k"] = screen.k
        result, compared = suppression.explorer(
            screen,
            table([code], area, period, by),
            by_area(code, area, period, _comparison_level(area)),
        )
        if request.GET.get("format") == "xlsx":
            if not user_scope(user).permits(Perm.EXPORT, area):
                return _refuse_export(request, area)
            return table_xlsx(user=user, result=result)
        context |= _explore_context(result, compared, area, period, code)
    return render(request, "monitoring/explore.html", context)


def _explore_context(
    result: IndicatorTable, compared: list[AreaValue], area: Area, period: Period, code: str
) -> dict[str, Any]:
    row = result.rows[0]
    by_category = [(label, row.cells[key]) for key, label in result.columns]
    chart_items = [(label, v.value, v.display) for label, v in by_category]
    if not chart_items:
        chart_items = [(v.area.name, v.value.value, v.value.display) for v in compared]
    return {
        "result": result,
        "row": row,
        "by_category": by_category,
        "chart": charts.bar_chart(chart_items),
        "compared": compared,
        "area": area,
        "period": period,
        "query": _links(area, period, code),
    }


def _refuse_export(request: HttpRequest, area: Area) -> HttpResponse:
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        outcome=AuditOutcome.REFUSED,
        object_type="monitoring.table",
        area_code=area.code,
        reason=f"lacks permission {Perm.EXPORT}",
    )
    return render(
        request,
        "monitoring/refused.html",
        {"why": _("Downloading tables needs the export permission.")},
        status=403,
    )


@staff_view(Perm.VIEW_AGGREGATES)
@reads_aggregates
def tile_map(request: HttpRequest) -> HttpResponse:
    area, period, code = _area(request), _period(request), _indicator(request)
    level_area = area if area.level != AreaLevel.TEHSIL else area.parent or area
    screen = screen_for(request.user, level_area)
    _total, values = suppression.areas(
        screen,
        value(code, level_area, period),
        by_area(code, level_area, period, AreaLevel.DISTRICT),
    )
    placed, rows = tilemap.tiles(values)
    context = {
        "area": area,
        "period": period,
        "indicator": indicator_def(code),
        "indicators": active_indicators(),
        "areas": area_choices(request.user),
        "tiles": placed,
        "rows": range(rows),
        "grid_rows": rows,
        "columns": tilemap.COLUMNS,
        "legend": tilemap.band_limits(values),
        "values": values,
        "suppress_k": screen.k,
        "query": _links(area, period, code),
    }
    return render(request, "monitoring/map.html", context)


@staff_view(Perm.VIEW_AGGREGATES)
@reads_aggregates
def targets(request: HttpRequest) -> HttpResponse:
    area, period = _area(request), _period(request)
    form = None
    if may_set_targets(request.user, area):
        initial = {"area": area.code, "period": period.code}
        form = TargetForm(initial=initial, areas=target_areas(request.user))
    return _targets_page(request, area, period, form)


def _targets_page(
    request: HttpRequest,
    area: Area,
    period: Period,
    form: TargetForm | None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    screen = screen_for(request.user, area)
    context = {
        "area": area,
        "period": period,
        "areas": area_choices(request.user),
        "scorecard": suppression.lines(screen, scorecard(area, period, today)),
        "suppress_k": screen.k,
        "league": league_table(area, period, today) if area.level != AreaLevel.TEHSIL else [],
        "query": _links(area, period, DEFAULT_INDICATOR),
        "target_form": form,
        "error": error,
    }
    return render(request, "monitoring/targets.html", context, status=status)


@require_POST
@staff_view(Perm.VIEW_AGGREGATES)
@reads_aggregates
def target_save(request: HttpRequest) -> HttpResponse:
    """Set a target from the page; a refusal shows the page again with what was typed."""
    user: Any = request.user
    area = aggregate_area_for_user(user, request.POST.get("area", ""))  # 404 outside
    try:
        period = period_parse(request.POST.get("period", ""))
    except PeriodError:
        period = period_containing(timezone.localdate(), PeriodKind.FISCAL_YEAR)
    if not may_set_targets(user, area):
        form = TargetForm(request.POST, areas=[area])
        audit_record(
            actor=user,
            action=AuditAction.CREATE,
            outcome=AuditOutcome.REFUSED,
            object_type="monitoring.target",
            area_code=area.code,
            reason=f"lacks permission {Perm.SET_TARGETS}",
        )
        why = _(
            "Targets for this area are set by the provincial monitor or the district's "
            "committee. Nothing was saved."
        )
        return _targets_page(request, area, period, form, why, status=403)
    form = TargetForm(request.POST, areas=target_areas(user))
    if not form.is_valid():
        return _targets_page(request, area, period, form, status=400)
    data = form.cleaned_data
    try:
        target_set(
            indicator_code=data["indicator"],
            area=area,
            period=data["period"],
            value=data["value"],
            by=user,
            baseline_value=data["baseline_value"],
            baseline_date=data["baseline_date"],
            baseline_period=data["baseline_period"],
            note=data["note"],
        )
    except MonitoringError as exc:
        return _targets_page(request, area, period, form, exc.message, status=400)
    messages.success(request, _("Target saved."))
    return redirect(f"{reverse('cell:monitoring:targets')}?{_links(area, period, '')}")


@staff_view(Perm.VIEW_AGGREGATES)
def rows(request: HttpRequest) -> HttpResponse:
    """The records behind a number: refused and audited for aggregate readers;
    a user who works those records in the area is sent to their own list."""
    user: Any = request.user
    area = _area(request)
    code = request.GET.get("indicator", "")
    period = request.GET.get("period", "")
    module = BY_CODE[code].module if code in BY_CODE else ""
    if module and may_open_rows(user, module, area):
        return redirect(_record_list(module))
    rows_refused(user=user, indicator=code, area_code=area.code, period=period, via="page")
    why = _("Monitoring shows numbers only. The records behind them stay with the cell.")
    return render(request, "monitoring/refused.html", {"why": why}, status=403)


def _record_list(module: str) -> str:
    names = {"portal": "cell:intake", "labour": "cell:labour:list"}
    return reverse(names.get(module, "cell:cases" if module == "cases" else "cell:victims"))
