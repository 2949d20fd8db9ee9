"""The pages end to end: import a form (and see pyxform's errors), upload an
export as a job, read the report, review, and a child found working becomes
a child-labour finding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.geography.models import Area
from ahtc.jobs.tests.helpers import run_jobs
from ahtc.labour.models import ChildLabourFinding
from ahtc.surveys.imports import batch_import_now
from ahtc.surveys.models import ImportBatch, Instrument, ReviewStatus, Submission
from ahtc.surveys.services import SurveyError, submission_review
from ahtc.surveys.tests import exports
from ahtc.surveys.tests.conftest import FIXTURES
from ahtc.surveys.tests.exports import Sub

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content if content is not None else (FIXTURES / name).read_bytes()
    )


def test_the_cell_head_imports_a_form_and_sees_pyxforms_warnings(
    dpo_mbdin: User, login_as: LoginAs
) -> None:
    page = login_as(dpo_mbdin).post(
        reverse("cell:surveys:import"),
        {"file": _upload("xlsform_spec_test.xlsx"), "sensitivity": "ordinary"},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "xlsform_spec_test.xlsx was imported" in body
    assert "[row : 4]" in body
    assert Instrument.objects.filter(form_id="Spec test").exists()


def test_a_broken_form_shows_the_file_name_and_the_row_and_keeps_the_choice(
    dpo_mbdin: User, login_as: LoginAs
) -> None:
    page = login_as(dpo_mbdin).post(
        reverse("cell:surveys:import"),
        {"file": _upload("not_closed_group_test.xls"), "sensitivity": "highest"},
    )
    body = page.content.decode()
    assert "not_closed_group_test.xls was not imported" in body
    assert "[row : 3] Unmatched" in body
    assert (
        'value="highest" selected' in body
        or 'value="highest" checked' in body
        or (page.context["form"]["sensitivity"].value() == "highest")
    )
    assert not Instrument.objects.exists()


@pytest.mark.parametrize("who", ["officer_mbdin", "fia_liaison", "provincial_monitor"])
def test_only_cell_heads_and_administrators_import_forms(
    who: str, request: pytest.FixtureRequest, login_as: LoginAs
) -> None:
    user = request.getfixturevalue(who)
    response = login_as(user).post(
        reverse("cell:surveys:import"), {"file": _upload("group.csv"), "sensitivity": "ordinary"}
    )
    assert response.status_code == 403
    assert not Instrument.objects.exists()


def test_an_export_upload_runs_as_a_job_and_reports_per_row(
    kiln: Instrument, officer_mbdin: User, login_as: LoginAs, kiln_subs: list[Sub]
) -> None:
    client = login_as(officer_mbdin)
    bad = Sub("bad", {**kiln_subs[0].fields, "eobi": "perhaps"})
    response = client.post(
        reverse("cell:surveys:ingest", args=["ahtc_brick_kiln"]),
        {
            "file": _upload("export.xlsx", exports.kobo_xlsx([*kiln_subs, bad])),
            "district": Area.objects.get(code="PK620").pk,
        },
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("cell:surveys:batch", args=[batch.pk])
    assert not batch.finished
    assert run_jobs() == 1
    page = client.get(response["Location"]).content.decode()
    assert "3 imported" in page
    assert "eobi holds a value not in its choice list" in page
    assert Submission.objects.count() == 3


def test_an_upload_of_the_wrong_kind_keeps_the_form_and_names_the_file(
    kiln: Instrument, officer_mbdin: User, login_as: LoginAs
) -> None:
    page = login_as(officer_mbdin).post(
        reverse("cell:surveys:ingest", args=["ahtc_brick_kiln"]),
        {"file": _upload("export.pdf", b"%PDF"), "district": Area.objects.get(code="PK620").pk},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "export.pdf was not imported" in body
    assert "Upload a Kobo export" in body


def test_the_job_stops_if_the_role_is_withdrawn_before_it_runs(
    kiln: Instrument, officer_mbdin: User, login_as: LoginAs, kiln_subs: list[Sub]
) -> None:
    from ahtc.accounts.models import RoleAssignment
    from ahtc.accounts.services import role_revoke

    login_as(officer_mbdin).post(
        reverse("cell:surveys:ingest", args=["ahtc_brick_kiln"]),
        {
            "file": _upload("e.json", exports.kobo_json(kiln_subs)),
            "district": Area.objects.get(code="PK620").pk,
        },
    )
    role_revoke(assignment=RoleAssignment.objects.get(user=officer_mbdin), by=None)
    run_jobs()
    assert Submission.objects.count() == 0
    assert ImportBatch.objects.get().error


def test_a_batch_of_another_district_is_404(
    kiln: Instrument, officer_gujrat: User, login_as: LoginAs, kiln_subs: list[Sub]
) -> None:
    batch = batch_import_now(
        instrument=kiln,
        district=Area.objects.get(code="PK620"),
        file_name="e.json",
        content=exports.kobo_json(kiln_subs),
    )
    url = reverse("cell:surveys:batch", args=[batch.pk])
    assert login_as(officer_gujrat).get(url).status_code == 404


def _workshop(builtin: dict[str, Instrument], children: list[dict[str, Any]]) -> Submission:
    sub = Sub(
        "ws-1",
        {
            "visit_date": "2025-03-01",
            "tehsil": "Phalia",
            "workshop_name": "Auto workshop (synthetic)",
            "workshop_kind": "auto",
            "workers": 6,
        },
        {"child": children},
    )
    batch_import_now(
        instrument=builtin["ahtc_workshop_children"],
        district=Area.objects.get(code="PK620"),
        file_name="w.json",
        content=exports.kobo_json([sub]),
    )
    return Submission.objects.get(key="ws-1")


CHILD = {
    "child/child_name": "Synthetic Child",
    "child/child_sex": "male",
    "child/child_age": 12,
    "child/age_evidence": "statement",
    "child/hours": 10,
    "child/hazards": "machinery heat",
    "child/schooling": "dropped_out",
}


def test_approving_a_workshop_survey_records_each_child_as_a_finding(
    builtin: dict[str, Instrument], officer_mbdin: User, login_as: LoginAs
) -> None:
    submission = _workshop(builtin, [CHILD, {**CHILD, "child/child_age": 9}])
    client = login_as(officer_mbdin)
    url = reverse("cell:surveys:submission", args=[submission.pk])
    page = client.get(url).content.decode()
    assert "Synthetic Child" in page
    assert "Machines or sharp tools" in page
    assert client.post(url, {"status": "approved", "note": ""}).status_code == 302
    findings = ChildLabourFinding.objects.order_by("age_years")
    assert [f.age_years for f in findings] == [9, 12]
    assert findings[0].place_kind == "workshop_auto"
    assert findings[0].hazards == ["heat", "machinery"]
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.APPROVED
    assert (
        submission.outcomes == sorted(f.reference for f in findings)
        or len(submission.outcomes) == 2
    )


def test_a_child_that_cannot_be_recorded_stops_the_approval(
    builtin: dict[str, Instrument], officer_mbdin: User
) -> None:
    submission = _workshop(builtin, [{**CHILD, "child/hours": 30}])
    with pytest.raises(SurveyError, match="Child 1 could not be recorded"):
        submission_review(submission=submission, by=officer_mbdin, status="approved")
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.RECEIVED
    assert not ChildLabourFinding.objects.exists()


def test_review_states_move_one_way_and_refusals_need_a_reason(
    kiln: Instrument, officer_mbdin: User, login_as: LoginAs, kiln_subs: list[Sub]
) -> None:
    batch_import_now(
        instrument=kiln,
        district=Area.objects.get(code="PK620"),
        file_name="e.json",
        content=exports.kobo_json(kiln_subs[:1]),
    )
    submission = Submission.objects.get()
    client = login_as(officer_mbdin)
    url = reverse("cell:surveys:submission", args=[submission.pk])
    page = client.post(url, {"status": "on_hold", "note": ""})
    assert "Say why." in page.content.decode()
    client.post(url, {"status": "on_hold", "note": "Tehsil to check"})
    client.post(url, {"status": "rejected", "note": "Duplicate visit"})
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.REJECTED
    with pytest.raises(SurveyError):
        submission_review(submission=submission, by=officer_mbdin, status="approved")


def test_the_survey_list_and_instrument_page_render_in_urdu(
    kiln: Instrument, dpo_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(dpo_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    listing = client.get(reverse("cell:surveys:list")).content.decode()
    assert "اینٹوں کے بھٹوں پر مزدوری کا سروے" in listing
    page = client.get(reverse("cell:surveys:instrument", args=["ahtc_brick_kiln"])).content.decode()
    assert "فی ہزار اینٹ سرکاری اجرت (روپے)" in page
    assert 'dir="rtl"' in page
