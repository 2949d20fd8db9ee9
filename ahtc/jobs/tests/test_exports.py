"""Exports as jobs: the page queues, the worker makes the file (encrypted),
only the requester downloads it (audited), it expires, and a role withdrawn
in between stops the job."""

# ruff: noqa: F811 - test arguments name the case fixtures imported below

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import RoleAssignment, User
from ahtc.accounts.services import role_revoke
from ahtc.cases import services
from ahtc.cases.exports import case_list_file
from ahtc.cases.models import Case, PartyRole
from ahtc.cases.selectors import cases_for_user, exportable_cases_q
from ahtc.cases.tests.conftest import (  # noqa: F401 - fixtures
    case,
    make_case,
    make_person,
    mbdin,
)
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.core.storage import FILE_MAGIC, file_store
from ahtc.jobs.files import exports_store
from ahtc.jobs.models import Job, JobKind, JobStatus
from ahtc.jobs.services import jobs_cleanup
from ahtc.jobs.tests.helpers import follow_export, run_jobs
from ahtc.people.models import Person

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
SECRET_NAME = "Qudsia Xenophanes"
CASES_CSV = reverse("cell:cases") + "?view=district&export=csv"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def named_case(case: Case, make_person: Callable[..., Person], officer_mbdin: User) -> Case:
    services.party_add(
        case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=make_person(SECRET_NAME)
    )
    return case


def _queue(client: Client, url: str = CASES_CSV) -> Job:
    response = client.get(url)
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    return job


def _download_url(job: Job) -> str:
    return reverse("cell:jobs:download", args=[job.pk])


def test_export_is_queued_then_made_and_downloaded_with_the_same_content(
    login_as: LoginAs, named_case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    job = _queue(client)
    assert job.kind == JobKind.CASE_LIST_EXPORT
    assert job.requested_by == officer_mbdin
    waiting = client.get(job.get_absolute_url()).content.decode()
    assert "waiting" in waiting
    assert _download_url(job) not in waiting
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    run_jobs()
    response = client.get(_download_url(job))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Cache-Control"] == "no-store"
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="cases-{stamp}.csv"'
    # What the page itself used to send: the same builder over the same rows.
    rows = cases_for_user(officer_mbdin).filter(exportable_cases_q(officer_mbdin))
    assert response.content == case_list_file(cases=rows, fmt="csv").content
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["reference", "district", "year"]
    assert table[1][0] == named_case.reference
    assert SECRET_NAME not in text
    [event] = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert (event.actor, event.outcome) == (officer_mbdin, AuditOutcome.ALLOWED)
    assert event.object_type == "cases.case"
    assert event.reason == "case list csv, 1 rows, no identities"


def test_the_file_is_encrypted_at_rest(
    login_as: LoginAs, named_case: Case, officer_mbdin: User
) -> None:
    job = _queue(login_as(officer_mbdin))
    run_jobs()
    job.refresh_from_db()
    with exports_store().open_raw(job.file_name) as raw:
        stored = raw.read()
    assert named_case.reference.encode() not in stored
    assert b"reference" not in stored
    assert stored.startswith(FILE_MAGIC)  # sealed by the storage layer
    assert [e.name for e in exports_store().entries()] == [job.file_name]
    assert job.file_name not in {e.name for e in file_store().entries()}  # not kept


def test_victim_list_export_runs_as_a_job(
    login_as: LoginAs, officer_mbdin: User, case: Case
) -> None:
    client = login_as(officer_mbdin)
    response = follow_export(client, client.get(reverse("cell:victims"), {"export": "csv"}))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("number,district,child")
    assert Job.objects.get().kind == JobKind.VICTIM_LIST_EXPORT
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.reason == "victim list csv, 0 rows, no identities"


# --- only the requester -------------------------------------------------------------------


@pytest.mark.parametrize("other", ["officer_gujrat", "dpo_mbdin"])
def test_another_user_cannot_see_or_download_my_export(
    request: pytest.FixtureRequest,
    login_as: LoginAs,
    named_case: Case,
    officer_mbdin: User,
    other: str,
) -> None:
    job = _queue(login_as(officer_mbdin))
    run_jobs()
    intruder: User = request.getfixturevalue(other)
    client = login_as(intruder)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(_download_url(job)).status_code == 404
    assert job.pk not in client.get(reverse("cell:jobs:list")).content.decode()
    refused = AuditEvent.objects.filter(actor=intruder, outcome=AuditOutcome.REFUSED)
    assert refused.filter(action=AuditAction.VIEW, object_id=job.pk).exists()
    assert refused.filter(action=AuditAction.EXPORT, object_id=job.pk).exists()
    assert not AuditEvent.objects.filter(
        action=AuditAction.EXPORT, outcome=AuditOutcome.ALLOWED
    ).exists()


def test_unknown_job_is_404_without_an_audit_row(login_as: LoginAs, officer_mbdin: User) -> None:
    client = login_as(officer_mbdin)
    assert client.get(reverse("cell:jobs:detail", args=["no-such-job"])).status_code == 404
    assert client.get(reverse("cell:jobs:download", args=["no-such-job"])).status_code == 404
    assert not AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED).exists()


# --- checked again when the job runs ------------------------------------------------------


def test_role_withdrawn_before_the_job_runs_stops_it(
    login_as: LoginAs, named_case: Case, officer_mbdin: User, dpo_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    job = _queue(client)
    role_revoke(assignment=RoleAssignment.objects.get(user=officer_mbdin), by=dpo_mbdin)
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Your permission for this export was withdrawn before the file was made."
    assert job.file_name == ""
    assert list(exports_store().entries()) == []
    [event] = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert (event.actor, event.outcome) == (officer_mbdin, AuditOutcome.REFUSED)
    assert event.reason == "case list csv refused: no access to case lists"


def test_role_withdrawn_after_the_file_is_made_stops_the_download(
    login_as: LoginAs, named_case: Case, officer_mbdin: User, dpo_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    job = _queue(client)
    run_jobs()
    job.refresh_from_db()
    assert job.file_available()
    # Now an investigating officer only: still in the workspace, no longer exports.
    from ahtc.accounts.roles import Role
    from ahtc.accounts.services import role_grant
    from ahtc.geography.models import Area

    role_grant(
        user=officer_mbdin,
        role=Role.INVESTIGATING_OFFICER,
        area=Area.objects.get(code="PK620"),
        by=dpo_mbdin,
    )
    role_revoke(
        assignment=RoleAssignment.objects.get(user=officer_mbdin, role=Role.CELL_OFFICER),
        by=dpo_mbdin,
    )
    officer_mbdin.refresh_from_db()
    client = login_as(officer_mbdin)  # the change ended the session

    response = client.get(reverse("cell:jobs:download", args=[job.pk]))

    assert response.status_code == 403
    assert named_case.reference.encode() not in response.content
    [event] = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert event.outcome == AuditOutcome.REFUSED
    assert "lacks permission export" in event.reason


def test_identity_export_stops_when_the_identity_permission_goes(
    login_as: LoginAs, dpo_mbdin: User, make_user: Callable[..., User]
) -> None:
    from ahtc.accounts.roles import Role

    client = login_as(dpo_mbdin)
    asked = {"export": "csv", "identity": "1", "reason": "court order 12/2025"}
    job = _queue(
        client, reverse("cell:victims") + "?" + "&".join(f"{k}={v}" for k, v in asked.items())
    )
    # The cell head becomes an officer: still exports, but no longer with names.
    admin = make_user("admin_pk6", Role.ADMINISTRATOR, "PK6")
    role_revoke(assignment=RoleAssignment.objects.get(user=dpo_mbdin), by=admin)
    from ahtc.accounts.services import role_grant
    from ahtc.geography.models import Area

    role_grant(user=dpo_mbdin, role=Role.CELL_OFFICER, area=Area.objects.get(code="PK620"))
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, outcome=AuditOutcome.REFUSED)
    assert event.reason == (
        "victim list csv WITH IDENTITIES refused: lacks permission export_identity"
    )


# --- expiry -------------------------------------------------------------------------------


def test_file_expires_after_a_day_and_the_cleanup_deletes_it(
    login_as: LoginAs, named_case: Case, officer_mbdin: User
) -> None:
    client = login_as(officer_mbdin)
    job = _queue(client)
    run_jobs()
    job.refresh_from_db()
    hours = settings.AHTC_JOBS_FILE_HOURS
    assert job.expires_at is not None
    assert job.expires_at - job.created_at >= dt.timedelta(hours=hours - 1)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(_download_url(job), follow=True)
    assert "no longer available" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    done = jobs_cleanup()
    assert done.files == 1
    job.refresh_from_db()
    assert job.file_name == ""
    assert list(exports_store().entries()) == []


def test_cleanup_deletes_old_finished_jobs_but_not_waiting_ones(officer_mbdin: User) -> None:
    from ahtc.jobs.services import job_enqueue
    from ahtc.jobs.tests import tasks

    old = job_enqueue(task=tasks.halfway_job, kind=JobKind.CASE_LIST_EXPORT)
    waiting = job_enqueue(task=tasks.halfway_job, kind=JobKind.CASE_LIST_EXPORT)
    long_ago = timezone.now() - dt.timedelta(days=settings.AHTC_JOBS_KEEP_DAYS + 1)
    Job.objects.filter(pk=old.pk).update(status=JobStatus.SUCCESSFUL, created_at=long_ago)
    Job.objects.filter(pk=waiting.pk).update(created_at=long_ago)
    assert jobs_cleanup().jobs == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [waiting.pk]
