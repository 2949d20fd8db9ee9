"""District onboarding: what it creates, that a second run changes nothing,
linking of existing partners, refusals, the whole province, another province."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.models import Organisation, OrganisationKind, RoleAssignment, User
from ahtc.accounts.roles import Role
from ahtc.accounts.services import organisation_create
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area, AreaLevel
from ahtc.geography.services import area_import_csv
from ahtc.onboarding.models import DistrictRollout
from ahtc.onboarding.services import (
    OnboardingError,
    current_cell_heads,
    district_onboard,
    districts_onboard,
)
from ahtc.portal.models import ContentPage, Helpline

pytestmark = pytest.mark.django_db


def area(code: str) -> Area:
    return Area.objects.get(code=code)


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "helplines": Helpline.objects.count(),
        "pages": ContentPage.objects.count(),
        "rollouts": DistrictRollout.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_onboarding_sets_up_the_district_like_mandi_bahauddin() -> None:
    result = district_onboard(district=area("PK620"), cell_phone="0546-9200000")

    kinds = set(Organisation.objects.filter(area__code="PK620").values_list("kind", flat=True))
    assert kinds == {
        OrganisationKind.POLICE_AHTC,
        OrganisationKind.LABOUR,
        OrganisationKind.CHILD_PROTECTION,
        OrganisationKind.SOCIAL_WELFARE,
        OrganisationKind.PROSECUTION,
        OrganisationKind.HEALTH,
        OrganisationKind.EDUCATION,
        OrganisationKind.COMMITTEE,
    }
    # The FIA circle is the division's (Gujrat), not the district's.
    fia = Organisation.objects.get(kind=OrganisationKind.FIA)
    assert fia.area.code == "PK6DV03"
    cell = Organisation.objects.get(area__code="PK620", kind=OrganisationKind.POLICE_AHTC)
    assert cell.name_en == "Anti-Human Trafficking Cell, Mandi Bahauddin"
    assert cell.name_ur.startswith("اینٹی ہیومن ٹریفکنگ سیل")
    assert cell.phone == "0546-9200000"
    rollout = DistrictRollout.objects.get(district__code="PK620")
    assert rollout.cell == cell
    assert rollout.committee is not None
    assert rollout.live_on is None
    assert rollout.trained_officers == 0
    # Province-wide helplines and starter pages, and the cell's own number.
    assert Helpline.objects.filter(area__code="PK6", number="15").exists()
    assert Helpline.objects.filter(area__code="PK620", number="0546-9200000").exists()
    assert ContentPage.objects.filter(area__code="PK6", published=True).count() >= 3
    # The first cell head, with a password and a one-time enrolment code.
    head = result.head
    assert head is not None
    assert head.username == "head_pk620"
    assert head.password
    assert head.enrolment_code
    assert head.enrolment_path.startswith("/")
    user = User.objects.get(username="head_pk620")
    assert user.organisation == cell
    assert user.check_password(head.password)
    assert list(current_cell_heads(area("PK620"))) == [user]
    assert not TOTPDevice.objects.filter(
        user=user
    ).exists()  # enrols with the code at first sign-in
    # Audited: each organisation and the register entry.
    created = AuditEvent.objects.filter(action="create", area_code="PK620")
    assert created.filter(object_type="onboarding.districtrollout").count() == 1


def test_a_second_run_changes_nothing() -> None:
    district_onboard(district=area("PK620"))
    before = counts()

    again = district_onboard(district=area("PK620"))

    assert counts() == before
    assert not again.changed
    assert again.head is None
    assert again.existing_head == "head_pk620"


def test_existing_partners_are_linked_not_duplicated(make_org: Callable[..., Any]) -> None:
    labour = make_org(kind=OrganisationKind.LABOUR, area="PK620", name="Labour Office MBD")
    circle = organisation_create(
        kind=OrganisationKind.FIA, name_en="FIA Circle X", area=area("PK6DV01")
    )
    circle.areas_served.add(area("PK620"))

    result = district_onboard(district=area("PK620"))

    assert Organisation.objects.filter(area__code="PK620", kind="labour").get() == labour
    assert Organisation.objects.filter(kind=OrganisationKind.FIA).get() == circle
    assert "Labour Office MBD" in result.linked
    assert "FIA Circle X" in result.linked


def test_two_districts_of_a_division_share_one_fia_circle() -> None:
    districts_onboard(districts=[area("PK620"), area("PK610")])

    assert Organisation.objects.filter(kind=OrganisationKind.FIA).count() == 1
    assert DistrictRollout.objects.count() == 2


def test_a_division_or_an_ended_district_is_refused() -> None:
    with pytest.raises(OnboardingError, match="not a district"):
        district_onboard(district=area("PK6DV03"))
    ended = area("PK610")
    ended.valid_to = ended.valid_from or __import__("datetime").date(2020, 1, 1)
    ended.save()
    with pytest.raises(OnboardingError, match="ended"):
        district_onboard(district=ended)
    assert not DistrictRollout.objects.exists()


def test_a_username_taken_elsewhere_undoes_the_whole_district(
    make_user: Callable[..., User],
) -> None:
    make_user("head_pk620", Role.CELL_OFFICER, "PK610")
    before = counts()

    with pytest.raises(OnboardingError, match="outside this cell"):
        district_onboard(district=area("PK620"))

    assert counts()["organisations"] == before["organisations"]
    assert not DistrictRollout.objects.exists()


def test_one_failure_does_not_stop_the_others(make_user: Callable[..., User]) -> None:
    make_user("head_pk620", Role.CELL_OFFICER, "PK610")

    with pytest.raises(OnboardingError) as caught:
        districts_onboard(districts=[area("PK620"), area("PK630")])

    assert "PK620" in str(caught.value)
    assert list(DistrictRollout.objects.values_list("district__code", flat=True)) == ["PK630"]


def test_the_whole_province_in_one_command_then_again() -> None:
    out = io.StringIO()
    call_command("districts", "onboard", "--all", "--province", "PK6", stdout=out)

    assert DistrictRollout.objects.count() == 41
    assert "41 of 41" in out.getvalue()
    assert out.getvalue().count("enrolment code") == 41
    before = counts()

    out = io.StringIO()
    call_command("districts", "onboard", "--all", stdout=out)

    assert counts() == before
    assert out.getvalue().count("already onboarded") == 41
    assert "password" not in out.getvalue()
    # One FIA circle per division of Punjab.
    assert Organisation.objects.filter(kind=OrganisationKind.FIA).count() == (
        Area.objects.filter(level=AreaLevel.DIVISION, code__startswith="PK6").count()
    )


ANOTHER_PROVINCE = """code,level,parent_code,name_en,name_ur
ZZ9,province,,Testland,ٹیسٹ لینڈ
ZZ901,district,ZZ9,North Test,شمالی ٹیسٹ
ZZ90101,tehsil,ZZ901,North Tehsil,
ZZ902,district,ZZ9,South Test,جنوبی ٹیسٹ
"""


def test_another_provinces_hierarchy_without_divisions() -> None:
    report = area_import_csv(source=io.StringIO(ANOTHER_PROVINCE))
    assert not report.rejected, report.rejected
    district_onboard(district=area("PK620"))  # Punjab's pages exist already

    out = io.StringIO()
    call_command("districts", "onboard", "--all", "--province", "ZZ9", stdout=out)

    assert set(DistrictRollout.objects.values_list("district__code", flat=True)) == {
        "PK620",
        "ZZ901",
        "ZZ902",
    }
    # No division: each district gets its own FIA circle; the province its own
    # helplines and pages (page addresses stay unique).
    assert Organisation.objects.filter(kind="fia", area__code__in=["ZZ901", "ZZ902"]).count() == 2
    assert Helpline.objects.filter(area__code="ZZ9", number="15").exists()
    slugs = list(ContentPage.objects.filter(area__code="ZZ9").values_list("slug", flat=True))
    assert slugs
    assert all(slug.endswith("-zz9") for slug in slugs)
    cell = Organisation.objects.get(area__code="ZZ901", kind="police_ahtc")
    assert cell.name_ur == "اینٹی ہیومن ٹریفکنگ سیل، شمالی ٹیسٹ"


def test_command_refuses_bad_input_clearly() -> None:
    with pytest.raises(CommandError, match="no area with code"):
        call_command("districts", "onboard", "PK999")
    with pytest.raises(CommandError, match="not both"):
        call_command("districts", "onboard", "PK620", "--all")
    with pytest.raises(CommandError, match="one district"):
        call_command("districts", "onboard", "PK620", "PK610", "--head-username", "x")
    with pytest.raises(CommandError, match="not onboarded"):
        call_command("districts", "live", "PK620")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 district"):
        call_command("districts", "onboard", "PK6DV03", stderr=err)
    assert "not a district" in err.getvalue()


def test_live_and_list_commands() -> None:
    call_command(
        "districts", "onboard", "PK620", "--established", "2024-11-01", stdout=io.StringIO()
    )
    call_command("districts", "live", "PK620", "--on", "2024-12-01", stdout=io.StringIO())
    out = io.StringIO()
    call_command("districts", "list", stdout=out)

    rollout = DistrictRollout.objects.get()
    assert str(rollout.established_on) == "2024-11-01"
    assert str(rollout.live_on) == "2024-12-01"
    assert "PK620" in out.getvalue()
    assert "2024-12-01" in out.getvalue()
    call_command("districts", "live", "PK620", "--not-live", stdout=io.StringIO())
    rollout.refresh_from_db()
    assert rollout.live_on is None
    with pytest.raises(CommandError, match="not a date"):
        call_command("districts", "live", "PK620", "--on", "1 March")
