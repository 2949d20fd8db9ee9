"""Who reads survey rows: by sensitivity, role and district; everyone else is
refused (404 for a record, 403 for a page), and the refusal is audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.surveys.imports import batch_import_now
from ahtc.surveys.models import Instrument, Submission
from ahtc.surveys.selectors import submissions_for_user
from ahtc.surveys.tests import exports
from ahtc.surveys.tests.conftest import kiln_sub
from ahtc.surveys.tests.exports import Sub

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]

READERS = {
    "ahtc_brick_kiln": {"head", "officer"},
    "ahtc_returned_migrant": {"head", "officer"},
    "ahtc_transgender_community": {"head"},
}
EVERYONE = {
    "head",
    "officer",
    "officer_gujrat",
    "io",
    "analyst",
    "helpline",
    "labour",
    "committee",
    "monitor",
    "admin",
}


def _one(instrument: Instrument, district: Area, fields: dict[str, object]) -> Submission:
    batch_import_now(
        instrument=instrument,
        district=district,
        file_name="x.json",
        content=exports.kobo_json([Sub(f"{instrument.form_id}-1", fields)]),
    )
    return Submission.objects.get(instrument=instrument)


@pytest.fixture
def rows(builtin: dict[str, Instrument], mbdin: Area) -> dict[str, Submission]:
    base = {"visit_date": "2025-03-01", "tehsil": "Phalia", "consent": "yes", "age": 30}
    return {
        "ahtc_brick_kiln": _one(builtin["ahtc_brick_kiln"], mbdin, kiln_sub("k").fields),
        "ahtc_returned_migrant": _one(builtin["ahtc_returned_migrant"], mbdin, base),
        "ahtc_transgender_community": _one(builtin["ahtc_transgender_community"], mbdin, base),
    }


@pytest.mark.parametrize("form_id", sorted(READERS))
@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_each_role_reads_only_the_rows_its_sensitivity_allows(
    form_id: str, who: str, rows: dict[str, Submission], people: dict[str, User], login_as: LoginAs
) -> None:
    submission = rows[form_id]
    user = people[who]
    url = reverse("cell:surveys:submission", args=[submission.pk])
    response = login_as(user).get(url)
    allowed = who in READERS[form_id]
    assert submissions_for_user(user).filter(pk=submission.pk).exists() is allowed
    assert response.status_code == (200 if allowed else 404)
    if not allowed:
        assert AuditEvent.objects.filter(
            actor=user, outcome=AuditOutcome.REFUSED, object_id=str(submission.pk)
        ).exists()


@pytest.mark.parametrize("who", ["io", "analyst", "helpline", "labour", "committee", "monitor"])
def test_roles_without_rows_get_403_on_the_submission_list(
    who: str, rows: dict[str, Submission], people: dict[str, User], login_as: LoginAs
) -> None:
    url = reverse("cell:surveys:submissions", args=["ahtc_brick_kiln"])
    assert login_as(people[who]).get(url).status_code in {403, 404}


def test_the_officer_is_refused_the_transgender_survey_list(
    rows: dict[str, Submission], people: dict[str, User], login_as: LoginAs
) -> None:
    client = login_as(people["officer"])
    assert (
        client.get(reverse("cell:surveys:submissions", args=["ahtc_brick_kiln"])).status_code == 200
    )
    refused = client.get(reverse("cell:surveys:submissions", args=["ahtc_transgender_community"]))
    assert refused.status_code == 403


def test_an_officer_of_another_district_does_not_see_the_rows(
    rows: dict[str, Submission], people: dict[str, User], login_as: LoginAs
) -> None:
    client = login_as(people["officer_gujrat"])
    page = client.get(reverse("cell:surveys:submissions", args=["ahtc_brick_kiln"]))
    assert page.status_code == 200
    assert "No submissions match." in page.content.decode()


def test_the_rows_of_a_sensitive_instrument_are_audited_when_read(
    rows: dict[str, Submission], people: dict[str, User], login_as: LoginAs
) -> None:
    submission = rows["ahtc_returned_migrant"]
    login_as(people["head"]).get(reverse("cell:surveys:submission", args=[submission.pk]))
    event = AuditEvent.objects.filter(
        object_type="surveys.submission", object_id=str(submission.pk)
    )
    assert event.get().reason == "survey submission (sensitive)"


def test_anonymous_users_are_sent_to_sign_in(client: Client, rows: dict[str, Submission]) -> None:
    response = client.get(reverse("cell:surveys:list"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("who", ["analyst", "committee", "monitor", "head", "officer"])
def test_aggregates_are_open_to_those_with_statistics(
    who: str, rows: dict[str, Submission], people: dict[str, User], login_as: LoginAs
) -> None:
    url = reverse("cell:surveys:aggregates", args=["ahtc_transgender_community"])
    assert login_as(people[who]).get(url).status_code == 200


@pytest.mark.parametrize("who", ["io", "helpline", "labour", "admin"])
def test_aggregates_are_refused_without_statistics(
    who: str, rows: dict[str, Submission], people: dict[str, User], login_as: LoginAs
) -> None:
    url = reverse("cell:surveys:aggregates", args=["ahtc_brick_kiln"])
    assert login_as(people[who]).get(url).status_code in {403, 404}
