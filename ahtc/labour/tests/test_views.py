"""The pages, up the ladder: anonymous → sign-in, other roles → 403, other
districts → 404, cell staff → the finding; analysts see counts only; the
education authority sees its children's school places, no names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.labour import services as s
from ahtc.labour.models import ChildLabourFinding
from ahtc.victims.models import ProtectionRecord

from .conftest import FOUND, MakeFinding

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
LIST = reverse("cell:labour:list")
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def detail(finding: ChildLabourFinding) -> str:
    return reverse("cell:labour:finding", args=[finding.reference])


def step(name: str, finding: ChildLabourFinding) -> str:
    return reverse(f"cell:labour:{name}", args=[finding.reference])


NEW_FINDING = {
    "name_latin": "Synthetic Kiln Boy",
    "name_urdu": "",
    "sex": "masculine",
    "age_years": "12",
    "age_evidence": "appearance",
    "place_kind": "workshop_auto",
    "place_description": "Auto workshop on the main bazaar (synthetic)",
    "hours_per_day": "10",
    "hazards": ["machinery", "chemicals"],
    "schooling": "never_enrolled",
    "found_on": "2025-05-02",
}


class TestCreateAndEdit:
    def test_officer_records_a_finding_through_the_page(
        self, login_as: LoginAs, officer_mbdin: User, mbdin: Any
    ) -> None:
        client = login_as(officer_mbdin)
        assert client.get(reverse("cell:labour:create")).status_code == 200
        response = client.post(reverse("cell:labour:create"), {**NEW_FINDING, "district": mbdin.pk})
        finding = ChildLabourFinding.objects.get()
        assert response.status_code == 302
        assert response["Location"] == detail(finding)
        assert finding.reference == "MBD-CL-2025-0001"
        assert finding.found_by == officer_mbdin
        assert finding.hazards == ["chemicals", "machinery"]
        page = client.get(detail(finding)).content.decode()
        assert "Synthetic Kiln Boy" in page
        assert "withdraw the child from work" in page

    def test_a_future_found_day_is_refused_and_what_was_typed_is_kept(
        self, login_as: LoginAs, officer_mbdin: User, mbdin: Any
    ) -> None:
        client = login_as(officer_mbdin)
        data = {**NEW_FINDING, "district": mbdin.pk, "found_on": TOMORROW}
        response = client.post(reverse("cell:labour:create"), data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "The date is in the future." in page
        assert 'value="Synthetic Kiln Boy"' in page
        assert f'value="{TOMORROW}"' in page
        assert "Auto workshop on the main bazaar (synthetic)" in page
        assert not ChildLabourFinding.objects.exists()

    def test_edit_corrects_the_facts(
        self, login_as: LoginAs, officer_mbdin: User, make_finding: MakeFinding
    ) -> None:
        finding = make_finding()
        client = login_as(officer_mbdin)
        form = client.get(step("edit", finding))
        assert form.status_code == 200
        assert 'value="9"' in form.content.decode()
        data = {**NEW_FINDING, "hours_per_day": "13", "found_on": FOUND.isoformat()}
        data.pop("name_latin")
        response = client.post(step("edit", finding), data)
        assert response.status_code == 302
        finding.refresh_from_db()
        assert (finding.hours_per_day, finding.place_kind) == (13, "workshop_auto")

    def test_the_path_through_the_pages_with_a_date_out_of_order_refused(
        self,
        login_as: LoginAs,
        officer_mbdin: User,
        make_finding: MakeFinding,
        cpb_mbdin: Organisation,
        edu_mbdin: Organisation,
    ) -> None:
        finding = make_finding()
        client = login_as(officer_mbdin)
        early = (FOUND - dt.timedelta(days=3)).isoformat()
        refused = client.post(step("withdraw", finding), {"withdrawn_on": early})
        assert refused.status_code == 200
        assert "before the day the child was found" in refused.content.decode()
        assert f'value="{early}"' in refused.content.decode()
        client.post(step("withdraw", finding), {"withdrawn_on": "2025-03-05"})
        page = client.get(detail(finding)).content.decode()
        assert "refer to Child Protection and for schooling" in page
        assert f'<option value="{cpb_mbdin.pk}" selected>' in page  # the one office serving it
        client.post(
            step("refer", finding),
            {
                "referred_on": "2025-03-06",
                "child_protection": cpb_mbdin.pk,
                "education": edu_mbdin.pk,
            },
        )
        client.post(
            step("enrol", finding),
            {"school_name": "GPS (synthetic)", "school_grade": "2", "enrolled_on": "2025-03-10"},
        )
        finding.refresh_from_db()
        assert (finding.withdrawn_on, finding.referred_on, finding.enrolled_on) == (
            dt.date(2025, 3, 5),
            dt.date(2025, 3, 6),
            dt.date(2025, 3, 10),
        )
        assert finding.education == edu_mbdin

    def test_record_as_victim_needs_the_classification_box_and_happens_once(
        self, login_as: LoginAs, dpo_mbdin: User, make_finding: MakeFinding
    ) -> None:
        finding = make_finding()
        client = login_as(dpo_mbdin)
        unticked = client.post(step("victim", finding), {"control_methods": ["DebtBondage"]})
        assert unticked.status_code == 200
        assert not ProtectionRecord.objects.exists()
        done = client.post(step("victim", finding), {"classified": "on"})
        assert done.status_code == 302
        again = client.post(step("victim", finding), {"classified": "on"})
        assert "already has a protection record" in again.content.decode()
        assert ProtectionRecord.objects.count() == 1
        assert AuditEvent.objects.filter(
            outcome=AuditOutcome.REFUSED, reason="second victim record for one finding"
        ).exists()
        page = client.get(detail(finding)).content.decode()
        assert reverse("cell:victim", args=[ProtectionRecord.objects.get().number]) in page


class TestAccess:
    def test_anonymous_goes_to_sign_in(self, client: Client, make_finding: MakeFinding) -> None:
        finding = make_finding()
        for url in (LIST, detail(finding), reverse("cell:labour:schooling")):
            response = client.get(url)
            assert response.status_code == 302
            assert "/accounts/" in response["Location"]

    def test_cell_head_and_officer_read_and_write(
        self, login_as: LoginAs, dpo_mbdin: User, make_finding: MakeFinding
    ) -> None:
        finding = make_finding("Synthetic Listed")
        client = login_as(dpo_mbdin)
        page = client.get(LIST).content.decode()
        assert finding.reference in page
        assert "<bdi>Synthetic Listed</bdi>" in page
        assert AuditEvent.objects.filter(
            actor=dpo_mbdin, object_id=str(finding.pk), reason="name on the child-labour list"
        ).exists()
        assert client.get(detail(finding)).status_code == 200
        assert client.get(step("withdraw", finding)).status_code == 200

    def test_investigating_officer_reads_but_may_not_write(
        self, login_as: LoginAs, io_mbdin: User, make_finding: MakeFinding
    ) -> None:
        finding = make_finding("Synthetic Read Only")
        client = login_as(io_mbdin)
        page = client.get(detail(finding))
        assert page.status_code == 200
        assert "Synthetic Read Only" in page.content.decode()
        assert 'name="withdrawn_on"' not in page.content.decode()
        refused = client.post(step("withdraw", finding), {"withdrawn_on": "2025-03-05"})
        assert refused.status_code == 403
        finding.refresh_from_db()
        assert not finding.withdrawn
        assert AuditEvent.objects.filter(
            actor=io_mbdin, outcome=AuditOutcome.REFUSED, object_id=str(finding.pk)
        ).exists()
        assert client.get(reverse("cell:labour:create")).status_code == 403

    def test_analyst_sees_counts_and_no_names(
        self,
        login_as: LoginAs,
        make_user: Callable[..., User],
        make_finding: MakeFinding,
        referred: ChildLabourFinding,
    ) -> None:
        make_finding("Synthetic Counted")
        analyst = make_user("analyst_mbdin", Role.ANALYST, "PK620")
        client = login_as(analyst)
        response = client.get(LIST)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Mandi Bahauddin" in page
        assert '<td data-label="Found working" class="num">2</td>' in page
        assert '<td data-label="Referred" class="num">1</td>' in page
        assert "Synthetic" not in page
        assert referred.reference not in page
        assert client.get(detail(referred)).status_code == 404
        assert client.get(reverse("cell:labour:create")).status_code == 403

    @pytest.mark.parametrize(
        ("role", "area", "kind"),
        [
            (Role.HELPLINE, "PK620", OrganisationKind.POLICE_AHTC),
            (Role.PROSECUTOR, "PK620", OrganisationKind.PROSECUTION),
            (Role.COMMITTEE_MEMBER, "PK620", OrganisationKind.COMMITTEE),
            (Role.PROVINCIAL_MONITOR, "PK6", OrganisationKind.POLICE_AHTC),
            (Role.ADMINISTRATOR, "PK6", OrganisationKind.POLICE_AHTC),
            (Role.AGENCY_LIAISON, "PK620", OrganisationKind.LABOUR),
            (Role.AGENCY_LIAISON, "PK620", OrganisationKind.CHILD_PROTECTION),
            (Role.AGENCY_LIAISON, "PK6DV03", OrganisationKind.FIA),
        ],
    )
    def test_other_roles_are_refused(
        self,
        login_as: LoginAs,
        make_user: Callable[..., User],
        referred: ChildLabourFinding,
        role: Role,
        area: str,
        kind: str,
    ) -> None:
        user = make_user(f"refused_{role}_{kind}", role, area, kind=kind)
        client = login_as(user)
        listed = client.get(LIST)
        assert listed.status_code == 403
        assert AuditEvent.objects.filter(actor=user, outcome=AuditOutcome.REFUSED).exists()
        assert client.get(detail(referred)).status_code == 404
        assert client.get(reverse("cell:labour:create")).status_code == 403
        assert client.get(reverse("cell:labour:schooling")).status_code == 403
        assert (
            client.post(step("withdraw", referred), {"withdrawn_on": "2025-03-05"}).status_code
            == 404
        )
        assert "Child labour" not in client.get(reverse("cell:home")).content.decode()

    def test_officer_of_another_district_gets_404_and_an_empty_list(
        self, login_as: LoginAs, officer_gujrat: User, make_finding: MakeFinding
    ) -> None:
        finding = make_finding()
        client = login_as(officer_gujrat)
        assert finding.reference not in client.get(LIST).content.decode()
        assert client.get(detail(finding)).status_code == 404
        assert client.get(step("edit", finding)).status_code == 404
        assert AuditEvent.objects.filter(
            actor=officer_gujrat,
            outcome=AuditOutcome.REFUSED,
            object_id=str(finding.pk),
            reason="outside the user's scope",
        ).exists()

    def test_the_list_costs_the_same_at_two_sizes(
        self, login_as: LoginAs, officer_mbdin: User, make_finding: MakeFinding
    ) -> None:
        client = login_as(officer_mbdin)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(LIST).status_code == 200
            # Names shown are audited reads, written together: counted too.
            return len(captured.captured_queries)

        for n in range(3):
            make_finding(f"Synthetic {n}")
        small = queries()
        for n in range(3, 9):
            make_finding(f"Synthetic {n}")
        assert queries() == small


class TestEducation:
    def test_sees_only_its_children_with_the_school_place_and_no_names(
        self,
        login_as: LoginAs,
        school_mbdin: User,
        referred: ChildLabourFinding,
        make_finding: MakeFinding,
        officer_mbdin: User,
    ) -> None:
        not_referred = make_finding("Synthetic Not Referred")
        s.finding_enrol(
            finding=referred,
            by=officer_mbdin,
            school_name="GPS Phalia (synthetic)",
            school_grade="4",
            enrolled_on=FOUND + dt.timedelta(days=8),
        )
        client = login_as(school_mbdin)
        listed = client.get(LIST)
        assert listed.status_code == 302
        assert listed["Location"] == reverse("cell:labour:schooling")
        page = client.get(reverse("cell:labour:schooling")).content.decode()
        assert referred.reference in page
        assert "GPS Phalia (synthetic)" in page
        assert "2025-03-12" in page
        assert not_referred.reference not in page
        for private in ("Synthetic Child", "Kiln near the canal road", "brick kiln"):
            assert private not in page
        assert client.get(detail(referred)).status_code == 404

    def test_records_the_enrolment_and_a_date_before_the_referral_is_refused(
        self, login_as: LoginAs, school_mbdin: User, referred: ChildLabourFinding
    ) -> None:
        client = login_as(school_mbdin)
        url = reverse("cell:labour:schooling_enrol", args=[referred.reference])
        early = {"school_name": "GPS (synthetic)", "school_grade": "1", "enrolled_on": "2025-03-01"}
        refused = client.post(url, early)
        assert "before the referral" in refused.content.decode()
        assert 'value="GPS (synthetic)"' in refused.content.decode()
        response = client.post(url, {**early, "enrolled_on": "2025-03-20"})
        assert response.status_code == 302
        referred.refresh_from_db()
        assert referred.enrolled_on == dt.date(2025, 3, 20)
        assert AuditEvent.objects.filter(
            actor=school_mbdin, object_id=str(referred.pk), reason="school enrolment recorded"
        ).exists()

    def test_education_of_another_district_sees_nothing(
        self, login_as: LoginAs, make_user: Callable[..., User], referred: ChildLabourFinding
    ) -> None:
        other = make_user(
            "school_gujrat", Role.AGENCY_LIAISON, "PK610", kind=OrganisationKind.EDUCATION
        )
        client = login_as(other)
        assert (
            referred.reference not in client.get(reverse("cell:labour:schooling")).content.decode()
        )
        url = reverse("cell:labour:schooling_enrol", args=[referred.reference])
        assert client.get(url).status_code == 404


def test_pages_render_right_to_left_in_urdu(
    login_as: LoginAs, officer_mbdin: User, make_finding: MakeFinding
) -> None:
    finding = make_finding()
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    for url in (LIST, detail(finding), reverse("cell:labour:create")):
        page = client.get(url).content.decode()
        assert 'lang="ur" dir="rtl"' in page
        assert f'dir="ltr">{finding.reference}' in page or url == reverse("cell:labour:create")


def test_the_list_filters_by_schooling_and_stage(
    login_as: LoginAs,
    officer_mbdin: User,
    make_finding: MakeFinding,
    referred: ChildLabourFinding,
    mbdin: Any,
) -> None:
    never = make_finding("Synthetic Never", schooling="never_enrolled")
    client = login_as(officer_mbdin)
    by_schooling = client.get(LIST, {"schooling": "never_enrolled"}).content.decode()
    assert never.reference in by_schooling
    assert referred.reference not in by_schooling
    waiting = client.get(LIST, {"stage": "not_enrolled", "district": mbdin.pk}).content.decode()
    assert referred.reference in waiting
    assert never.reference not in waiting
    assert never.reference in client.get(LIST, {"stage": "at_work"}).content.decode()
