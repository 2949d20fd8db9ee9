"""Who may see survey rows, review them, import, and read the aggregates.

Rows (one respondent's answers), by the instrument's sensitivity, in the
districts where the user holds the role:

- ordinary (kiln, workshop, agency inspection): cell head and cell officer;
- sensitive (returned-migrant victims' questionnaire, and any imported form
  marked so): cell head and cell officer, who already see victims' identities
  (*view identity*) in their district;
- highest (transgender community survey): the cell head only. A community
  at risk of violence and exposure: the fewest eyes that can act on it.

Nobody else reads a row: investigating officers, analysts, helpline,
partner liaisons, prosecutors, committee members, provincial monitors and
administrators are refused (404 for a record, 403 for a page), failing
closed. Reviewing and importing exports follow the same rule as reading.

Aggregates (counts and shares with small cells suppressed, never a row)
go to everyone with *view statistics* in the area: cell heads and officers,
analysts, committee members, provincial monitors.

Instruments (the forms themselves, no answers) are imported by cell heads
and administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ahtc.accounts.roles import Perm, Role
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.geography.models import Area, AreaLevel
from ahtc.surveys.models import Instrument, Sensitivity, Submission

ROW_ROLES: dict[str, frozenset[str]] = {
    Role.CELL_HEAD: frozenset(Sensitivity.values),
    Role.CELL_OFFICER: frozenset({Sensitivity.ORDINARY, Sensitivity.SENSITIVE}),
}
INSTRUMENT_ROLES = frozenset({Role.CELL_HEAD, Role.ADMINISTRATOR})


def _row_query(user: Any, sensitivity: str | None = None) -> Q:
    query = Q(pk__in=[])
    for grant in user_scope(user).grants:
        allowed = ROW_ROLES.get(grant.role, frozenset())
        if sensitivity is not None and sensitivity not in allowed:
            continue
        if allowed:
            query |= Q(
                district__path__startswith=grant.area_path, instrument__sensitivity__in=allowed
            )
    return query


def submissions_for_user(user: Any) -> QuerySet[Submission]:
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    return Submission.objects.filter(_row_query(user))


def submission_for_user(user: Any, pk: Any) -> Submission:
    scoped = submissions_for_user(user).select_related("instrument", "version", "district")
    return get_scoped_or_404(user=user, scoped=scoped, pk=pk)


def reads_rows(user: Any, instrument: Instrument | None = None) -> bool:
    sensitivity = instrument.sensitivity if instrument is not None else None
    return any(
        grant.role in ROW_ROLES and (sensitivity is None or sensitivity in ROW_ROLES[grant.role])
        for grant in user_scope(user).grants
    )


def row_districts(user: Any, instrument: Instrument) -> QuerySet[Area]:
    """Districts where the user may import and review this instrument's rows."""
    query = Q(pk__in=[])
    for grant in user_scope(user).grants:
        if instrument.sensitivity in ROW_ROLES.get(grant.role, frozenset()):
            query |= Q(path__startswith=grant.area_path)
    return Area.objects.filter(query, level=AreaLevel.DISTRICT).order_by("name_en")


def manages_instruments(user: Any) -> bool:
    return bool(user_scope(user).roles & INSTRUMENT_ROLES)


def reads_aggregates(user: Any) -> bool:
    return user_scope(user).has_perm_anywhere(Perm.VIEW_AGGREGATES)


def sees_surveys(user: Any) -> bool:
    return reads_rows(user) or reads_aggregates(user) or manages_instruments(user)


def counted_submissions_for_user(user: Any, instrument: Instrument) -> QuerySet[Submission]:
    """Rows that feed the user's aggregates: approved, in their statistics scope."""
    scope = user_scope(user)
    return Submission.objects.filter(
        scope.q(Perm.VIEW_AGGREGATES, "district__path"),
        instrument=instrument,
        status="approved",
    )


def aggregate_districts(user: Any) -> QuerySet[Area]:
    scope = user_scope(user)
    return Area.objects.filter(scope.q(Perm.VIEW_AGGREGATES), level=AreaLevel.DISTRICT).order_by(
        "name_en"
    )


# --- the partner API (ahtc/api/surveys.py, docs/api.md) ---------------------------------


def instruments_for_user(user: Any) -> QuerySet[Instrument]:
    """Instruments the API shows (the forms, no answers): all of them to readers
    of statistics, who see every instrument's results; those whose rows the
    user reads; ordinary ones to instrument managers. A sensitive or highest
    instrument stays hidden (404) from everyone else, administrators included:
    that a survey of a community at risk exists is not theirs to pass on."""
    if not getattr(user, "is_authenticated", False):
        return Instrument.objects.none()
    if reads_aggregates(user):
        return Instrument.objects.all()
    levels: set[str] = set()
    for grant in user_scope(user).grants:
        levels |= ROW_ROLES.get(grant.role, frozenset())
    if manages_instruments(user):
        levels.add(Sensitivity.ORDINARY)
    return Instrument.objects.filter(sensitivity__in=levels)


def instrument_for_user(user: Any, form_id: str) -> Instrument:
    """One instrument by form id; 404 (audited when it exists) outside the user's reach."""
    pk = Instrument.objects.filter(form_id=form_id).values_list("pk", flat=True).first()
    return get_scoped_or_404(user=user, scoped=instruments_for_user(user), pk=pk)


def review_counts_for_user(user: Any) -> dict[tuple[int, str], int]:
    """Submissions per (instrument id, review state) in the user's reach: the
    rows they read, and every row in the districts of their statistics."""
    reach = _row_query(user) | user_scope(user).q(Perm.VIEW_AGGREGATES, "district__path")
    grouped = (
        Submission.objects.filter(reach)
        .order_by()
        .values_list("instrument_id", "status")
        .annotate(n=Count("pk"))
    )
    return {(instrument, status): n for instrument, status, n in grouped}
