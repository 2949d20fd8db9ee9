"""Exports run as jobs: the case list (CSV, XLSX) and the victim list (CSV).

The view checks the request and queues the job; the job checks again with the
requester's roles as they are when it runs (a role withdrawn in between stops
it, audited as a refused export), builds the same file the page used to send,
and stores it encrypted. Its download writes the export audit row.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskContext, task

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_may_authenticate, user_scope
from ahtc.core.audit import audit_export_refused
from ahtc.jobs.models import Job, JobKind
from ahtc.jobs.running import JobRefusedError, report_progress, run_job
from ahtc.jobs.services import job_enqueue, job_file_save

REFUSED = _("Your permission for this export was withdrawn before the file was made.")
CASE_LIST_PERMS = (Perm.MANAGE_CASES, Perm.INVESTIGATE, Perm.VIEW_SHARED, Perm.PROSECUTE)


def _requester(job: Job) -> User:
    """The requester as they are now: fetched afresh, so are their roles."""
    if job.requested_by_id is None:
        raise JobRefusedError(REFUSED)
    user = User.objects.filter(pk=job.requested_by_id).select_related("organisation").first()
    if user is None:
        raise JobRefusedError(REFUSED)
    return user


def _refuse(user: User, *, kind: str, why: str, object_type: str) -> JobRefusedError:
    audit_export_refused(actor=user, kind=kind, why=why, object_type=object_type)
    return JobRefusedError(REFUSED)


# --- the case list ------------------------------------------------------------------------


def case_list_refusal(user: Any) -> str:
    """The case list page's export checks ("" when it may be had)."""
    if not user_may_authenticate(user):
        return "user disabled"
    scope = user_scope(user)
    if not any(scope.has_perm_anywhere(p) for p in CASE_LIST_PERMS):
        return "no access to case lists"
    if not scope.has_perm_anywhere(Perm.EXPORT):
        return f"lacks permission {Perm.EXPORT}"
    return ""


def case_list_export_start(*, user: User, query: str, fmt: str) -> Job:
    """Queue the export of the case list filtered by `query` (the page's
    filters, as a query string)."""
    return job_enqueue(
        task=case_list_export_job,
        kind=JobKind.CASE_LIST_EXPORT,
        requested_by=user,
        kwargs={"query": query, "fmt": fmt},
    )


def _case_list(job: Job, *, query: str, fmt: str) -> int:
    from ahtc.cases.exports import case_list_file
    from ahtc.cases.forms import CaseFilter
    from ahtc.cases.selectors import exportable_cases_q, filtered_cases

    user = _requester(job)
    why = case_list_refusal(user)
    if why:
        raise _refuse(user, kind=f"case list {fmt}", why=why, object_type="cases.case")
    report_progress(0.1, _("Selecting the cases"))
    rows = filtered_cases(user, CaseFilter(QueryDict(query))).filter(exportable_cases_q(user))
    export = case_list_file(cases=rows, fmt=fmt, progress=report_progress)
    report_progress(0.9, _("Encrypting the file"))
    job_file_save(job, export)
    return len(export.content)


@task(takes_context=True)
def case_list_export_job(context: TaskContext, *, query: str, fmt: str) -> int:
    return run_job(context, partial(_case_list, query=query, fmt=fmt))


# --- the victim list ----------------------------------------------------------------------


def victim_list_kind(identity: bool) -> str:
    return "victim list csv WITH IDENTITIES" if identity else "victim list csv"


def victim_list_export_start(*, user: User, show: str, identity: bool, reason: str) -> Job:
    return job_enqueue(
        task=victim_list_export_job,
        kind=JobKind.VICTIM_LIST_EXPORT,
        requested_by=user,
        kwargs={"show": show, "identity": identity, "reason": reason},
    )


def _victim_list(job: Job, *, show: str, identity: bool, reason: str) -> int:
    from ahtc.victims.models import ProtectionRecord
    from ahtc.victims.views import _caseload, _export_file, _export_refusal, _works_records

    user = _requester(job)
    if not user_may_authenticate(user):
        why = "user disabled"
    elif not _works_records(user):
        why = "no access to victim records"
    else:
        why = _export_refusal(user, identity=identity, reason=reason)
    if why:
        kind = victim_list_kind(identity)
        raise _refuse(user, kind=kind, why=why, object_type=ProtectionRecord._meta.label_lower)
    report_progress(0.1, _("Selecting the records"))
    export = _export_file(
        user, _caseload(user, show), identity=identity, reason=reason, progress=report_progress
    )
    report_progress(0.9, _("Encrypting the file"))
    job_file_save(job, export)
    return len(export.content)


@task(takes_context=True)
def victim_list_export_job(context: TaskContext, *, show: str, identity: bool, reason: str) -> int:
    return run_job(context, partial(_victim_list, show=show, identity=identity, reason=reason))


# --- at download --------------------------------------------------------------------------


def download_refusal(job: Job, user: Any) -> str:
    """The export's checks once more when its file is fetched ("" when it may
    be had): a role withdrawn after the file was made stops the download too."""
    if job.kind == JobKind.CASE_LIST_EXPORT:
        return case_list_refusal(user)
    if job.kind == JobKind.VICTIM_LIST_EXPORT:
        from ahtc.victims.views import _works_records

        if not user_may_authenticate(user):
            return "user disabled"
        if not _works_records(user):
            return "no access to victim records"
        scope = user_scope(user)
        if not scope.has_perm_anywhere(Perm.EXPORT):
            return f"lacks permission {Perm.EXPORT}"
        if "WITH IDENTITIES" in job.audit_reason and not scope.has_perm_anywhere(
            Perm.EXPORT_IDENTITY
        ):
            return f"lacks permission {Perm.EXPORT_IDENTITY}"
        return ""
    if job.kind == JobKind.COMMITTEE_REPORT_FILE:  # issue 13: aggregates only
        from ahtc.monitoring.report_files import download_refusal as report_refusal

        return report_refusal(job, user)
    if job.kind == JobKind.AGENCY_IMPORT:  # issue 14: the rejected rows of an import
        from ahtc.agencies.imports import report_refusal as import_report_refusal

        return import_report_refusal(job, user)
    return "unknown kind of export"
