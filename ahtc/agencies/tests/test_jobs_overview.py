"""An import is one of the user's jobs (progress, the rejected rows to download);
the Overview counts overdue notices and re-inspections due with the
inspection list's own selectors; a notice past its deadline is told once,
with a count and a link only."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.agencies.enforcement import inspection_record, notice_serve
from ahtc.agencies.models import Agency, AgencyImport, Notice
from ahtc.agencies.tasks import overdue_notices_notify
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.jobs.files import export_delete
from ahtc.jobs.models import Job, JobKind, JobStatus
from ahtc.jobs.tests.helpers import run_jobs
from ahtc.notifications.models import Notification, NotificationKind
from ahtc.notifications.selectors import work_for_user

Login = Callable[[User], Client]
HEADER = "name_en,kind,status,status_since"
TODAY = timezone.localdate()


def _upload(client: Client, district: Any, rows: list[str]) -> Any:
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    upload = SimpleUploadedFile("agencies.csv", data, content_type="text/csv")
    return client.post("/cell/agencies/import/", {"district": district.pk, "file": upload})


# --- the import in the jobs page -----------------------------------------------------------


def test_import_is_listed_with_my_jobs_and_its_rejections_download_there(
    login_as: Login, officer_mbdin: User, mbdin: Any
) -> None:
    client = login_as(officer_mbdin)
    rows = ["Synthetic Jobline Travels,travel_agent,unregistered,2024-01-01", ",,unregistered,"]
    response = _upload(client, mbdin, rows)
    assert response.status_code == 302
    imported = AgencyImport.objects.get()
    job = Job.objects.get(pk=imported.job_id)
    assert (job.kind, job.requested_by_id) == (JobKind.AGENCY_IMPORT, officer_mbdin.pk)
    assert "Import of travel agencies" in client.get("/cell/jobs/").content.decode()
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESSFUL
    assert job.fraction == 1.0
    assert Agency.objects.filter(name_en="Synthetic Jobline Travels").exists()
    job_page = client.get(f"/cell/jobs/{job.pk}/").content.decode()
    assert f"/cell/jobs/{job.pk}/download/" in job_page
    import_page = client.get(f"/cell/agencies/import/{imported.pk}/").content.decode()
    assert f"/cell/jobs/{job.pk}/download/" in import_page
    download = client.get(f"/cell/jobs/{job.pk}/download/")
    assert download.status_code == 200
    report = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert report[0] == ["row", "name_en", "reason", "reason_ur"]
    assert report[1][:3] == ["3", "", "name_en is empty."]
    export_delete(job.file_name or Job.objects.get(pk=job.pk).file_name)


def test_someone_else_cannot_see_or_download_my_import_job(
    login_as: Login, officer_mbdin: User, dpo_mbdin: User, mbdin: Any
) -> None:
    _upload(login_as(officer_mbdin), mbdin, [",,unregistered,"])
    run_jobs()
    job = Job.objects.get(kind=JobKind.AGENCY_IMPORT)
    other = login_as(dpo_mbdin)
    assert other.get(f"/cell/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/cell/jobs/{job.pk}/download/").status_code == 404
    export_delete(Job.objects.get(pk=job.pk).file_name)


def test_report_download_refused_once_the_role_is_withdrawn(
    login_as: Login, officer_mbdin: User, mbdin: Any
) -> None:
    client = login_as(officer_mbdin)
    _upload(client, mbdin, [",,unregistered,"])
    run_jobs()
    job = Job.objects.get(kind=JobKind.AGENCY_IMPORT)
    officer_mbdin.role_assignments.all().delete()
    assert client.get(f"/cell/jobs/{job.pk}/download/").status_code in (302, 403)
    export_delete(Job.objects.get(pk=job.pk).file_name)


def test_an_unreadable_file_fails_the_job_with_a_safe_line(
    login_as: Login, officer_mbdin: User, mbdin: Any
) -> None:
    client = login_as(officer_mbdin)
    upload = SimpleUploadedFile("agencies.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    client.post("/cell/agencies/import/", {"district": mbdin.pk, "file": upload})
    run_jobs()
    job = Job.objects.get(kind=JobKind.AGENCY_IMPORT)
    assert job.status == JobStatus.FAILED
    assert job.error == "The CSV file is not UTF-8 text."


# --- the Overview and the notification ---------------------------------------------------


@pytest.fixture
def overdue(make_agency: MakeAgency, officer_mbdin: User) -> Notice:
    """A notice to register served 40 days ago, deadline 10 days ago, no compliance;
    and an agency whose failed inspection is due for re-inspection."""
    agency = make_agency("Synthetic Latecomer Travels")
    notice = notice_serve(
        agency=agency,
        by=officer_mbdin,
        kind="register_or_stop",
        served_on=TODAY - dt.timedelta(days=40),
        deadline=TODAY - dt.timedelta(days=10),
    )
    failed = make_agency("Synthetic Untidy Travels")
    inspection_record(
        agency=failed,
        by=officer_mbdin,
        on=TODAY - dt.timedelta(days=31),
        employee_list_displayed=False,
        licence_displayed=True,
        fraud_advisory_displayed=True,
        fee_schedule_displayed=True,
        records_kept=True,
    )
    return notice


def _lines(user: User) -> dict[str, str]:
    return {i.text: i.url for s in work_for_user(user) for i in s.items}


def test_overview_counts_and_links_to_the_filtered_list(
    login_as: Login, officer_mbdin: User, overdue: Notice
) -> None:
    lines = _lines(officer_mbdin)
    notices_url = lines["1 agency notice overdue"]
    due_url = lines["1 agency due for re-inspection"]
    client = login_as(officer_mbdin)
    assert "1 agency notice overdue" in client.get("/cell/").content.decode()
    notices = client.get(notices_url).content.decode()
    assert "Synthetic Latecomer Travels" in notices
    assert "Synthetic Untidy Travels" not in notices
    due = client.get(due_url).content.decode()
    assert "Synthetic Untidy Travels" in due
    assert "Synthetic Latecomer Travels" not in due


def test_overview_lines_only_for_the_cell_of_the_district(
    officer_gujrat: User, fia_liaison: User, labour_liaison: User, overdue: Notice
) -> None:
    for user in (officer_gujrat, fia_liaison, labour_liaison):
        assert not [t for t in _lines(user) if "agenc" in t]


def test_complied_and_closed_are_not_counted(officer_mbdin: User, overdue: Notice) -> None:
    Notice.objects.filter(pk=overdue.pk).update(complied_on=TODAY)
    assert "1 agency notice overdue" not in _lines(officer_mbdin)


def test_a_notice_past_its_deadline_is_told_once_without_identity(
    officer_mbdin: User, dpo_mbdin: User, officer_gujrat: User, overdue: Notice
) -> None:
    assert overdue_notices_notify() == 1
    told = Notification.objects.filter(kind=NotificationKind.AGENCY_NOTICES)
    assert set(told.values_list("recipient_id", flat=True)) == {officer_mbdin.pk, dpo_mbdin.pk}
    note = told.first()
    assert note is not None
    assert note.count == 1
    assert note.link == "/cell/agencies/inspections/?due=notices"
    assert overdue_notices_notify() == 0  # told once
    assert told.get(recipient=officer_mbdin).count == 1


def test_a_notice_before_its_deadline_is_not_told(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    notice_serve(
        agency=make_agency(),
        by=officer_mbdin,
        kind="register_or_stop",
        served_on=TODAY - dt.timedelta(days=1),
        deadline=TODAY + dt.timedelta(days=10),
    )
    assert overdue_notices_notify() == 0
    assert not Notification.objects.exists()


def test_the_daily_job_is_scheduled() -> None:
    from ahtc.jobs.schedule import SCHEDULE

    entry = next(e for e in SCHEDULE if e.name == "agency_notices_overdue")
    assert entry.task == "ahtc.agencies.tasks.agency_notices_overdue_job"
    assert entry.kind == JobKind.AGENCY_NOTICES_OVERDUE
