"""Reads: each role's work, counted, and the reader's own notifications.

Every count is taken from the same scoped selector as the list it links to
(`tips_for_user`, `cases_for_user`, `records_for_user`,
`provider_referrals_for_user` ...), with the list's own filter, so a count
never reveals a row the list would hide. Each section is one or two
aggregate queries, whatever the size of the province.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import Scope, user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.notifications.models import Notification

CASE_WORKERS = (Perm.MANAGE_CASES, Perm.INVESTIGATE)
PARTNERS = (Perm.VIEW_SHARED, Perm.PROSECUTE)
WEEK = 7


@dataclass(frozen=True)
class WorkItem:
    count: int
    text: str
    url: str
    overdue: bool = False  # counted in the daily digest, shown first and marked


@dataclass(frozen=True)
class WorkSection:
    key: str
    title: str
    items: list[WorkItem] = field(default_factory=list)
    empty_text: str = ""
    empty_url: str = ""


def _item(count: int, text: str, url: str, *, overdue: bool = False) -> list[WorkItem]:
    """A line only when something waits: a zero says nothing worth reading.
    `text` is ngettext(...) with a %(count)d placeholder, written at the call
    so that makemessages finds it."""
    if not count:
        return []
    return [WorkItem(count, text % {"count": count}, url, overdue)]


def _any(scope: Scope, perms: tuple[Perm, ...]) -> bool:
    return any(scope.has_perm_anywhere(p) for p in perms)


# --- per role ---------------------------------------------------------------------------


def _reports(user: Any) -> WorkSection:
    from ahtc.portal.models import TipStatus
    from ahtc.portal.selectors import overdue_q, tips_for_user

    # Counted over the open reports only (the queue's partial index), not
    # over every report the district ever had (issue 19); replies waiting are
    # few at any size and have an index of their own.
    reports = tips_for_user(user)
    open_reports = reports.filter(status__in=[TipStatus.NEW, TipStatus.TRIAGED])
    counts = open_reports.aggregate(
        new=Count("pk", filter=Q(status=TipStatus.NEW)),
        overdue=Count("pk", filter=overdue_q()),
        held=Count("pk", filter=Q(held_for_review=True, status=TipStatus.NEW)),
    )
    counts["replies"] = reports.filter(reply_waiting=True).count()
    intake = reverse("cell:intake")
    items = [
        *_item(
            counts["overdue"],
            ngettext(
                "%(count)d citizen report is overdue for acknowledgement",
                "%(count)d citizen reports are overdue for acknowledgement",
                counts["overdue"],
            ),
            f"{intake}?overdue=on",
            overdue=True,
        ),
        *_item(
            counts["replies"],
            ngettext(
                "%(count)d reporter's reply waits to be read",
                "%(count)d reporters' replies wait to be read",
                counts["replies"],
            ),
            f"{intake}?reply_waiting=on",
        ),
        *_item(
            counts["new"],
            ngettext(
                "%(count)d new citizen report to triage",
                "%(count)d new citizen reports to triage",
                counts["new"],
            ),
            f"{intake}?status=new",
        ),
        *_item(
            counts["held"],
            ngettext(
                "%(count)d report held for review (sent without the spam check) "
                "waits to be checked",
                "%(count)d reports held for review (sent without the spam check) "
                "wait to be checked",
                counts["held"],
            ),
            intake,
        ),
    ]
    return WorkSection(
        "reports", _("Citizen reports"), items, _("No citizen report waits for you."), intake
    )


def _returned_challan(user: Any) -> list[WorkItem]:
    """Items the prosecutor returned, as the due list shows them."""
    from ahtc.cases.selectors import challan_returned_for_user

    return _item(
        challan_returned_for_user(user).order_by().count(),
        ngettext(
            "%(count)d challan item was returned by the prosecutor",
            "%(count)d challan items were returned by the prosecutor",
            challan_returned_for_user(user).order_by().count(),
        ),
        reverse("cell:cases_due"),
    )


def _cases(user: Any) -> WorkSection:
    from ahtc.cases.selectors import hearings_due_for_user, tasks_due_for_user

    today = timezone.localdate()
    tasks = tasks_due_for_user(user, within_days=WEEK).aggregate(
        overdue=Count("pk", filter=Q(due__lt=today)),
        soon=Count("pk", filter=Q(due__gte=today)),
    )
    hearings = hearings_due_for_user(user, within_days=WEEK).count()
    due = reverse("cell:cases_due")
    items = [
        *_item(
            tasks["overdue"],
            ngettext("%(count)d task is overdue", "%(count)d tasks are overdue", tasks["overdue"]),
            due,
            overdue=True,
        ),
        *_item(
            tasks["soon"],
            ngettext(
                "%(count)d task is due this week",
                "%(count)d tasks are due this week",
                tasks["soon"],
            ),
            due,
        ),
        *_item(
            hearings,
            ngettext("%(count)d hearing this week", "%(count)d hearings this week", hearings),
            due,
        ),
    ]
    items += _returned_challan(user)
    return WorkSection("cases", _("Cases"), items, _("No task or hearing is due."), due)


def _victims(user: Any) -> WorkSection:
    from ahtc.victims.models import ReappearanceAlert, Referral, ReferralStatus
    from ahtc.victims.selectors import records_for_user

    alerts = ReappearanceAlert.objects.filter(record=OuterRef("pk"), seen_at__isnull=True)
    overdue = Referral.objects.filter(
        record=OuterRef("pk"), status=ReferralStatus.SENT, respond_by__lt=timezone.now()
    )
    counts = (
        records_for_user(user)
        .annotate(has_alert=Exists(alerts), referral_overdue=Exists(overdue))
        .aggregate(
            alerts=Count("pk", filter=Q(has_alert=True)),
            overdue=Count("pk", filter=Q(referral_overdue=True)),
        )
    )
    victims = reverse("cell:victims")
    items = [
        *_item(
            counts["alerts"],
            ngettext(
                "%(count)d victim was seen again (re-trafficking alert not yet marked seen)",
                "%(count)d victims were seen again (re-trafficking alerts not yet marked seen)",
                counts["alerts"],
            ),
            f"{victims}?show=alerts",
        ),
        *_item(
            counts["overdue"],
            ngettext(
                "%(count)d victim waits for an overdue answer to a referral",
                "%(count)d victims wait for overdue answers to referrals",
                counts["overdue"],
            ),
            f"{victims}?show=overdue",
            overdue=True,
        ),
    ]
    return WorkSection("victims", _("Victims"), items, _("No alert or overdue referral."), victims)


def _answers(user: Any, scope: Scope) -> WorkSection:
    """Referrals and case handovers addressed to the user or their agency."""
    from ahtc.cases.models import Handover, HandoverStatus
    from ahtc.cases.selectors import cases_for_user
    from ahtc.victims.models import ReferralStatus
    from ahtc.victims.selectors import provider_referrals_for_user

    items: list[WorkItem] = []
    if _any(scope, PARTNERS):
        referrals = provider_referrals_for_user(user).aggregate(
            waiting=Count("pk", filter=Q(status=ReferralStatus.SENT)),
            late=Count("pk", filter=Q(status=ReferralStatus.SENT, respond_by__lt=timezone.now())),
        )
        url = reverse("cell:referrals")
        items += _item(
            referrals["late"],
            ngettext(
                "%(count)d referral is past its answer time",
                "%(count)d referrals are past their answer time",
                referrals["late"],
            ),
            url,
            overdue=True,
        )
        items += _item(
            referrals["waiting"],
            ngettext(
                "%(count)d referral waits for your answer",
                "%(count)d referrals wait for your answer",
                referrals["waiting"],
            ),
            url,
        )
    if scope.has_perm_anywhere(Perm.VIEW_SHARED):  # an agency running its own proceedings
        items += _returned_challan(user)
    # The same rows as the case list's "waiting for your answer" box.
    handovers = (
        Handover.objects.filter(status=HandoverStatus.PENDING, case__in=cases_for_user(user))
        .filter(Q(to_user=user) | Q(to_organisation_id=user.organisation_id or 0))
        .count()
    )
    items += _item(
        handovers,
        ngettext(
            "%(count)d case handover or transfer waits for your answer",
            "%(count)d case handovers or transfers wait for your answer",
            handovers,
        ),
        reverse("cell:cases"),
    )
    return WorkSection(
        "answers", _("Waiting for your answer"), items, _("Nothing waits for your answer.")
    )


def _prosecution(user: Any) -> WorkSection:
    from ahtc.cases.models import ChallanItem
    from ahtc.cases.selectors import cases_for_user, hearings_due_for_user

    to_review = ChallanItem.objects.filter(
        case=OuterRef("pk"), io_done_at__isnull=False, prosecutor_ok_at__isnull=True
    )
    challans = cases_for_user(user).filter(Exists(to_review)).count()
    hearings = hearings_due_for_user(user, within_days=WEEK).count()
    shared = reverse("cell:cases") + "?view=shared"
    items = [
        *_item(
            challans,
            ngettext(
                "%(count)d case has challan items to review",
                "%(count)d cases have challan items to review",
                challans,
            ),
            shared,
        ),
        *_item(
            hearings,
            ngettext("%(count)d hearing this week", "%(count)d hearings this week", hearings),
            reverse("cell:cases_due"),
        ),
    ]
    return WorkSection(
        "prosecution", _("Prosecution"), items, _("No challan or hearing waits."), shared
    )


def _committee_items(user: Any) -> list[WorkItem]:
    """Issue 13: the committee's overdue action items and reports, and the
    reports waiting for the reader's sign-off (the same scoped selectors as
    the committee and timeliness pages)."""
    from ahtc.monitoring import committees, reports
    from ahtc.monitoring.models import ReportStatus

    today = timezone.localdate()
    runs = Q(pk__in=[])
    for grant in user_scope(user).grants:
        if grant.role in committees.COMMITTEE_ROLES:
            runs |= Q(district__path__startswith=grant.area_path)
    items = committees.action_items_for_user(user).filter(runs)
    overdue = items.filter(pk__in=committees.overdue_items(today).values("pk")).count()
    mine = reports.reports_for_user(user)
    drafts = mine.filter(runs, status=ReportStatus.DRAFT, due_on__lt=today).count()
    waiting = [
        x
        for x in mine.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.REVIEWED])
        .select_related("district")
        .order_by()[:500]
        if (x.status == ReportStatus.SUBMITTED and committees.may_review(user, x.district))
        or (x.status == ReportStatus.REVIEWED and committees.may_accept(user, x.district))
    ]
    board = reverse("cell:monitoring:committee")
    return [
        *_item(
            overdue,
            ngettext(
                "%(count)d committee action item is overdue",
                "%(count)d committee action items are overdue",
                overdue,
            ),
            board + "?show=overdue",
            overdue=True,
        ),
        *_item(
            drafts,
            ngettext(
                "%(count)d committee report is past its due date",
                "%(count)d committee reports are past their due date",
                drafts,
            ),
            board,
            overdue=True,
        ),
        *_item(
            len(waiting),
            ngettext(
                "%(count)d committee report waits for your sign-off",
                "%(count)d committee reports wait for your sign-off",
                len(waiting),
            ),
            reverse("cell:monitoring:timeliness"),
        ),
    ]


def _monitoring(user: Any = None) -> WorkSection:
    return WorkSection(
        "monitoring",
        _("Monitoring"),
        _committee_items(user) if user is not None else [],
        _(
            "Open the monitoring dashboard: key figures, trends, targets, the map of "
            "districts and the rollout of the cells."
        ),
        reverse("cell:monitoring:dashboard"),
    )


def _schooling(user: Any) -> WorkSection:
    """The education authority: children withdrawn from work, referred to it,
    waiting for a school place (no names, places or cases)."""
    from ahtc.labour.selectors import schooling_for_user

    waiting = schooling_for_user(user).filter(enrolled_on__isnull=True).count()
    url = reverse("cell:labour:schooling")
    items = _item(
        waiting,
        ngettext(
            "%(count)d child waits for a school place",
            "%(count)d children wait for a school place",
            waiting,
        ),
        url,
    )
    return WorkSection(
        "schooling", _("Children to place in school"), items, _("No child waits for a place."), url
    )


def _matches(user: Any) -> WorkSection:
    """Possible matches of people across records, waiting for a decision."""
    from ahtc.people.match_views import candidates_for_user
    from ahtc.people.models import MatchStatus

    waiting = candidates_for_user(user, both=True).filter(status=MatchStatus.PENDING).count()
    url = reverse("cell:people_matches")
    items = _item(
        waiting,
        ngettext(
            "%(count)d possible match of people waits for your decision",
            "%(count)d possible matches of people wait for your decision",
            waiting,
        ),
        url,
    )
    return WorkSection("matches", _("People to match"), items, _("No match waits."), url)


def _agencies(user: Any) -> WorkSection:
    """Travel agencies (issue 14): notices past their deadline and agencies
    due for re-inspection, counted with the inspection list's own selectors."""
    from ahtc.agencies.selectors import (
        due_for_reinspection,
        enforced_for_user,
        overdue_notices_for_user,
    )

    today = timezone.localdate()
    overdue = overdue_notices_for_user(user, today).count()
    due = due_for_reinspection(enforced_for_user(user), today).count()
    url = reverse("cell:agencies:inspections")
    items = _item(
        overdue,
        ngettext("%(count)d agency notice overdue", "%(count)d agency notices overdue", overdue),
        f"{url}?due=notices",
        overdue=True,
    ) + _item(
        due,
        ngettext(
            "%(count)d agency due for re-inspection",
            "%(count)d agencies due for re-inspection",
            due,
        ),
        f"{url}?due=reinspection",
    )
    return WorkSection(
        "agencies",
        _("Travel agencies"),
        items,
        _("No agency notice is overdue and no re-inspection is due."),
        url,
    )


def _surveys(user: Any) -> WorkSection:
    """Survey submissions waiting for review (received), per instrument,
    counted with the submissions list's own scoped selector and linked to
    that list filtered the same way."""
    from ahtc.surveys.models import Instrument, ReviewStatus
    from ahtc.surveys.selectors import submissions_for_user

    counts = (
        submissions_for_user(user)
        .filter(status=ReviewStatus.RECEIVED)
        .values("instrument")
        .annotate(n=Count("pk"))
        .order_by("instrument")
    )
    waiting = {row["instrument"]: row["n"] for row in counts}
    items = [
        WorkItem(
            waiting[instrument.pk],
            ngettext(
                "%(count)d survey submission waits for review: %(name)s",
                "%(count)d survey submissions wait for review: %(name)s",
                waiting[instrument.pk],
            )
            % {"count": waiting[instrument.pk], "name": instrument.name},
            reverse("cell:surveys:submissions", args=[instrument.form_id]) + "?status=received",
        )
        for instrument in Instrument.objects.filter(pk__in=waiting)
    ]
    url = reverse("cell:surveys:list")
    return WorkSection(
        "surveys", _("Field surveys"), items, _("No survey submission waits for review."), url
    )


def work_for_user(user: Any) -> list[WorkSection]:
    """The Overview's "Your work", by what the user's roles let them do."""
    scope = user_scope(user)
    sections: list[WorkSection] = []
    if scope.has_perm_anywhere(Perm.TRIAGE_TIPS):
        sections.append(_reports(user))
    if _any(scope, CASE_WORKERS):
        sections += [_cases(user), _victims(user)]
    if _any(scope, (*CASE_WORKERS, *PARTNERS)):
        sections.append(_answers(user, scope))
    if scope.has_perm_anywhere(Perm.PROSECUTE):
        sections.append(_prosecution(user))
    if scope.has_perm_anywhere(Perm.MANAGE_CASES):  # the cell acts on agencies (issue 14)
        sections.append(_agencies(user))
    from ahtc.labour.selectors import places_schools
    from ahtc.people.match_views import reviews_matches

    if places_schools(user):
        sections.append(_schooling(user))
    if reviews_matches(user):
        sections.append(_matches(user))
    from ahtc.surveys.selectors import reads_rows

    if reads_rows(user):
        sections.append(_surveys(user))
    if scope.has_perm_anywhere(Perm.VIEW_AGGREGATES) and not _any(
        scope, (*CASE_WORKERS, *PARTNERS)
    ):
        sections.append(_monitoring(user))
    return sections


def overdue_for_user(user: Any) -> int:
    """What the daily digest counts as overdue: the overdue lines of the
    user's work (reports, tasks, referrals past their answer time)."""
    return sum(
        item.count for section in work_for_user(user) for item in section.items if item.overdue
    )


# --- the reader's notifications ---------------------------------------------------------

_UNREAD_ATTR = "_ahtc_unread_notifications"


def unread_count(request: HttpRequest) -> int:
    """Unread notifications of the signed-in user: one query, once per request."""
    cached: int | None = getattr(request, _UNREAD_ATTR, None)
    if cached is None:
        cached = Notification.objects.filter(recipient=request.user.pk, read_at=None).count()
        setattr(request, _UNREAD_ATTR, cached)
    return cached


def notifications_for_user(user: Any) -> QuerySet[Notification]:
    """A user's own notifications only; fails closed for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notification_for_user(user: Any, pk: Any) -> Notification:
    return get_scoped_or_404(user=user, scoped=notifications_for_user(user), pk=pk)
