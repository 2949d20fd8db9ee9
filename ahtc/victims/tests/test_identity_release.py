"""Four eyes on a withheld identity: unticking "identity withheld" only asks;
a cell head of the district, not the one who asked, approves or refuses;
until then the flag stays set, and the audit log says what happened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.victims import services as s
from ahtc.victims.models import IdentityRelease, ProtectionRecord, ReleaseStatus

from .conftest import MakeRecord

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
WHY = "Court ordered her name in the judgment"


@pytest.fixture
def child(make_record: MakeRecord) -> ProtectionRecord:
    """A child victim whose identity is withheld."""
    return make_record(child=True, identity_withheld=True)


@pytest.fixture
def asked(child: ProtectionRecord, officer_mbdin: User) -> IdentityRelease:
    return s.identity_release_request(record=child, by=officer_mbdin, reason=WHY)


def edit_form(record: ProtectionRecord, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "trafficking_status": record.trafficking_status,
        "status_decided_by": record.status_decided_by,
        "child": "on",
    }
    data.update(changes)
    return data


def decide(client: Client, release: IdentityRelease, decision: str = "approve") -> Any:
    return client.post(reverse("cell:victims"), {"release": release.pk, "decision": decision})


def still_withheld(record: ProtectionRecord) -> bool:
    record.refresh_from_db()
    return record.identity_withheld


def audit_reasons(record: ProtectionRecord) -> list[str]:
    rows = AuditEvent.objects.filter(object_type="victims.protectionrecord", object_id=record.pk)
    return list(rows.order_by("id").values_list("reason", flat=True))


class TestAsking:
    def test_officer_reposting_the_edit_form_does_not_lift_the_flag(
        self, child: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_mbdin)
        url = reverse("cell:victim_edit", args=[child.number])
        response = client.post(url, edit_form(child, release_reason=WHY), follow=True)
        assert response.status_code == 200
        assert "stays withheld until a cell head approves" in response.content.decode()
        assert still_withheld(child)
        release = IdentityRelease.objects.get(record=child)
        assert (release.status, release.requested_by) == (ReleaseStatus.PENDING, officer_mbdin)
        assert "identity-withheld lifted: requested" in audit_reasons(child)
        # Posting again asks nothing more and lifts nothing.
        client.post(url, edit_form(child, release_reason=WHY))
        assert still_withheld(child)
        assert IdentityRelease.objects.filter(record=child).count() == 1

    def test_unticking_without_a_reason_is_a_form_error(
        self, child: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        url = reverse("cell:victim_edit", args=[child.number])
        response = login_as(officer_mbdin).post(url, edit_form(child, recruitment_place="Kiln"))
        assert response.status_code == 200
        assert "Say why the identity should no longer be withheld." in response.content.decode()
        child.refresh_from_db()
        assert (child.identity_withheld, child.recruitment_place) == (True, "")
        assert not IdentityRelease.objects.exists()

    def test_the_service_never_lifts_the_flag_either(
        self, child: ProtectionRecord, dpo_mbdin: User
    ) -> None:
        s.record_update(record=child, by=dpo_mbdin, identity_withheld=False, release_reason=WHY)
        assert still_withheld(child)
        assert IdentityRelease.objects.get(record=child).requested_by == dpo_mbdin

    def test_the_record_page_says_lifting_waits(
        self,
        child: ProtectionRecord,
        asked: IdentityRelease,
        officer_mbdin: User,
        login_as: LoginAs,
    ) -> None:
        page = login_as(officer_mbdin).get(reverse("cell:victim", args=[child.number]))
        assert "waits for a cell head's approval" in page.content.decode()


class TestDeciding:
    def test_cell_head_sees_the_request_and_approves_it(
        self, child: ProtectionRecord, asked: IdentityRelease, dpo_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(dpo_mbdin)
        page = client.get(reverse("cell:victims")).content.decode()
        assert WHY in page
        assert f'name="release" value="{asked.pk}"' in page
        response = decide(client, asked)
        assert response.status_code == 302
        assert not still_withheld(child)
        asked.refresh_from_db()
        assert (asked.status, asked.decided_by) == (ReleaseStatus.APPROVED, dpo_mbdin)
        assert audit_reasons(child)[-2:] == [
            "identity-withheld lifted: requested",
            "identity-withheld lifted: approved",
        ]
        assert WHY not in client.get(reverse("cell:victims")).content.decode()

    def test_cell_head_refuses_and_the_flag_stays(
        self, child: ProtectionRecord, asked: IdentityRelease, dpo_mbdin: User, login_as: LoginAs
    ) -> None:
        assert decide(login_as(dpo_mbdin), asked, "refuse").status_code == 302
        assert still_withheld(child)
        asked.refresh_from_db()
        assert asked.status == ReleaseStatus.REFUSED
        assert audit_reasons(child)[-1] == "identity-withheld lifted: refused"

    def test_the_officer_who_asked_cannot_approve(
        self,
        child: ProtectionRecord,
        asked: IdentityRelease,
        officer_mbdin: User,
        login_as: LoginAs,
    ) -> None:
        assert decide(login_as(officer_mbdin), asked).status_code == 403
        assert still_withheld(child)
        assert AuditEvent.objects.filter(
            actor=officer_mbdin,
            outcome=AuditOutcome.REFUSED,
            reason="identity-withheld lifted: approval refused, own request",
        ).exists()

    def test_a_cell_head_cannot_approve_their_own_request(
        self, child: ProtectionRecord, dpo_mbdin: User, login_as: LoginAs
    ) -> None:
        own = s.identity_release_request(record=child, by=dpo_mbdin, reason=WHY)
        assert decide(login_as(dpo_mbdin), own).status_code == 403
        assert still_withheld(child)
        with pytest.raises(s.VictimError):
            s.identity_release_decide(release=own, by=dpo_mbdin, approve=True)

    def test_another_officer_of_the_district_cannot_approve(
        self,
        child: ProtectionRecord,
        asked: IdentityRelease,
        make_user: Callable[..., User],
        login_as: LoginAs,
    ) -> None:
        colleague = make_user("officer2_mbdin", Role.CELL_OFFICER, "PK620")
        assert decide(login_as(colleague), asked).status_code == 403
        assert still_withheld(child)
        assert AuditEvent.objects.filter(
            actor=colleague,
            outcome=AuditOutcome.REFUSED,
            reason="identity-withheld lifted: approval refused, not a cell head of the district",
        ).exists()

    def test_cell_head_of_another_district_gets_404(
        self,
        child: ProtectionRecord,
        asked: IdentityRelease,
        make_user: Callable[..., User],
        login_as: LoginAs,
    ) -> None:
        dpo_gujrat = make_user("dpo_gujrat", Role.CELL_HEAD, "PK610")
        client = login_as(dpo_gujrat)
        assert WHY not in client.get(reverse("cell:victims")).content.decode()
        assert decide(client, asked).status_code == 404
        assert still_withheld(child)

    @pytest.mark.parametrize(
        "persona", ["fia_liaison", "health_user", "cpb_user", "provincial_monitor", "admin_user"]
    )
    def test_partners_providers_and_monitors_are_refused(
        self,
        request: pytest.FixtureRequest,
        child: ProtectionRecord,
        asked: IdentityRelease,
        login_as: LoginAs,
        persona: str,
    ) -> None:
        user: User = request.getfixturevalue(persona)
        assert decide(login_as(user), asked).status_code == 404
        assert still_withheld(child)
        assert AuditEvent.objects.filter(
            actor=user,
            outcome=AuditOutcome.REFUSED,
            object_type="victims.identityrelease",
            object_id=str(asked.pk),
        ).exists()

    def test_a_decided_request_stays_decided(
        self, child: ProtectionRecord, asked: IdentityRelease, dpo_mbdin: User, login_as: LoginAs
    ) -> None:
        s.identity_release_decide(release=asked, by=dpo_mbdin, approve=False)
        response = decide(login_as(dpo_mbdin), asked)
        assert response.status_code == 302
        assert still_withheld(child)

    def test_the_database_refuses_a_request_decided_by_its_requester(
        self, asked: IdentityRelease, officer_mbdin: User
    ) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            IdentityRelease.objects.filter(pk=asked.pk).update(
                status=ReleaseStatus.APPROVED, decided_by=officer_mbdin, decided_at=timezone.now()
            )

    def test_pending_list_query_count_does_not_grow(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        dpo_mbdin: User,
        login_as: LoginAs,
        django_assert_max_num_queries: Any,
    ) -> None:
        def ask() -> None:
            record = make_record(identity_withheld=True)
            s.identity_release_request(record=record, by=officer_mbdin, reason=WHY)

        client = login_as(dpo_mbdin)
        ask()
        client.get(reverse("cell:victims"))  # warm the session and caches
        with CaptureQueriesContext(connection) as one:
            client.get(reverse("cell:victims"))
        for _ in range(3):
            ask()
        with django_assert_max_num_queries(len(one.captured_queries)):
            page = client.get(reverse("cell:victims"))
        assert page.content.decode().count("Approve lifting") == 4
