"""The enumerators' web form: every field type rendered from the catalogue,
relevance and constraints checked on the server, what was typed kept on a
refusal, one submission per instanceID, and who may fill in which form where."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.surveys.models import Instrument, ReviewStatus, Source, Submission
from ahtc.surveys.services import instrument_import
from ahtc.surveys.tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]


@pytest.fixture
def form(db: Any) -> Instrument:
    """A small form with every kind of question the page renders (fixture)."""
    content = (FIXTURES / "collect_test.md").read_bytes()
    return instrument_import(content=content, filename="collect_test.md", by=None).instrument


@pytest.fixture
def tehsil(mbdin: Area) -> Area:
    return Area.objects.filter(parent=mbdin).order_by("code").first()  # type: ignore[return-value]


def url(instrument: Instrument) -> str:
    return reverse("cell:surveys:collect", args=[instrument.form_id])


def answers(where: Area, **more: Any) -> dict[str, Any]:
    """A complete, valid form: consent yes, one person of 12 who works."""
    return {
        "#instance": str(uuid.uuid4()),
        "#version": "1",
        "#district": "PK620",
        "visit_date": "2025-03-01",
        "tehsil": where.code,
        "count": "4",
        "share": "0.5",
        "consent": "yes",
        "details/colours": ["red", "blue"],
        "details/why": "synthetic answer",
        "person#rows": "1",
        "person[0]#row": "1",
        "person[0]/age": "12",
        "person[0]/works": "yes",
        "person[0]/what": "carrying bricks",
        **more,
    }


# --- rendering -------------------------------------------------------------------------------


def test_every_kind_of_question_is_rendered_with_its_label(
    form: Instrument, officer_mbdin: User, login_as: LoginAs
) -> None:
    body = login_as(officer_mbdin).get(url(form)).content.decode()
    assert '<input type="date" id="q-visit_date" name="visit_date"' in body
    assert 'name="count" value="" inputmode="numeric" dir="ltr" min="0" max="50" step="1"' in body
    assert 'name="share" value="" inputmode="decimal" dir="ltr" step="any"' in body  # > 0: server
    assert 'type="radio" id="q-consent-0" name="consent" value="yes"' in body
    assert 'type="checkbox" id="q-details-colours-0" name="details/colours" value="red"' in body
    assert '<p class="q-note notice" id="q-thanks"' in body
    assert "<legend>Details</legend>" in body
    assert '<label for="q-share">Share</label>' in body
    # Calculations and metadata are never asked.
    assert 'name="today"' not in body
    assert 'name="total_age"' not in body
    assert 'name="meta/instanceID"' not in body


def test_tehsil_is_chosen_from_the_districts_of_the_users_scope(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    body = login_as(officer_mbdin).get(url(form)).content.decode()
    assert f'<option value="{tehsil.code}">' in body
    assert 'value="PK620" selected' in body
    assert 'value="PK610"' not in body  # Gujrat is not the officer's


def test_a_repeat_has_one_row_a_template_and_a_one_more_button(
    form: Instrument, officer_mbdin: User, login_as: LoginAs
) -> None:
    body = login_as(officer_mbdin).get(url(form)).content.decode()
    assert 'name="person#rows" value="1"' in body
    assert 'name="person[0]#row"' in body
    assert 'name="person[0]/age"' in body
    assert 'name="person[__i0__]/age"' in body  # inside <template>, for the script
    assert 'name="#add" value="person" formnovalidate' in body
    assert 'min="0"' in body  # age: . < 18 gives max 17
    assert 'max="17"' in body


def test_relevance_is_handed_to_the_page_as_an_expression_tree(
    form: Instrument, officer_mbdin: User, login_as: LoginAs
) -> None:
    page = login_as(officer_mbdin).get(url(form))
    trees = [
        json.loads(item["relevant"]) for item in _flatten(page.context["items"]) if item["relevant"]
    ]
    assert ["cmp", "=", ["path", "consent"], ["lit", "yes"]] in trees
    assert [
        "and",
        ["cmp", "=", ["path", "person/works"], ["lit", "yes"]],
        ["cmp", ">=", ["path", "person/age"], ["lit", 10.0]],
    ] in trees
    # A required question shown only sometimes is not "required" in the browser.
    why = next(i for i in _flatten(page.context["items"]) if i["path"] == "details/why")
    assert why["required"] is False


def _flatten(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        out.append(item)
        out += _flatten(item.get("children", []))
        for row in item.get("rows", []):
            out += _flatten(row["children"])
    return out


def test_labels_follow_the_page_language_with_english_as_fallback(
    form: Instrument, officer_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    body = client.get(url(form)).content.decode()
    assert 'lang="ur"' in body
    assert "دورے کی تاریخ" in body
    assert "سرخ" in body


def test_one_more_without_javascript_adds_a_row_and_keeps_what_was_typed(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    sent = answers(tehsil, **{"#add": "person"})
    page = login_as(officer_mbdin).post(url(form), sent)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="person[1]/age"' in body
    assert 'name="person#rows" value="2"' in body
    assert 'name="person[0]/age" value="12"' in body
    assert 'value="synthetic answer"' in body
    assert not Submission.objects.exists()


def test_remove_without_javascript_drops_that_row(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    sent = answers(tehsil, **{"#remove": "person[0]"})
    body = login_as(officer_mbdin).post(url(form), sent).content.decode()
    assert 'name="person[0]/age"' not in body
    assert not Submission.objects.exists()


# --- sending -----------------------------------------------------------------------------------


def test_a_complete_form_is_stored_once_and_answers_a_receipt(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    sent = answers(tehsil)
    page = login_as(officer_mbdin).post(url(form), sent)
    assert page.status_code == 200
    [stored] = Submission.objects.all()
    assert f'data-receipt="{sent["#instance"]}"' in page.content.decode()
    assert stored.key == sent["#instance"]
    assert stored.source == Source.WEB
    assert stored.status == ReviewStatus.RECEIVED
    assert stored.district.code == "PK620"
    assert stored.tehsil == tehsil
    assert stored.collected_by == officer_mbdin
    assert str(stored.collected_on) == "2025-03-01"
    assert stored.answers["details/colours"] == "red blue"
    assert stored.answers["person"] == [
        {"person/age": 12, "person/works": "yes", "person/what": "carrying bricks"}
    ]
    assert stored.answers["total_age"] == 12  # sum() of the repeat, as Kobo stores it
    assert "today" in stored.answers
    assert AuditEvent.objects.filter(action="create", object_id=str(stored.pk)).exists()


def test_duplicate_submission_returns_same_receipt(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    client = login_as(officer_mbdin)
    sent = answers(tehsil)
    first = client.post(url(form), sent)
    # A double click or an offline replay: the same id, even with other answers.
    again = client.post(url(form), {**sent, "count": "9", "#instance": "uuid:" + sent["#instance"]})
    assert again.status_code == 200
    assert Submission.objects.count() == 1
    assert f'data-receipt="{sent["#instance"]}"' in again.content.decode()
    assert "already been received" in again.content.decode()
    assert first.context["submission"] == again.context["submission"]
    assert Submission.objects.get().answers["count"] == 4


def test_another_users_id_is_not_answered_with_their_receipt(
    form: Instrument, officer_mbdin: User, dpo_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    sent = answers(tehsil)
    login_as(officer_mbdin).post(url(form), sent)
    page = login_as(dpo_mbdin).post(url(form), sent)
    assert page.status_code == 400
    assert "already used" in page.content.decode()
    assert Submission.objects.count() == 1


def test_irrelevant_answers_are_dropped_on_the_server(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    # Consent "no": the details group is not relevant; a browser without the
    # script (or a crafted POST) still sends its answers. Age 8: no "what".
    sent = answers(tehsil, consent="no", **{"person[0]/age": "8"})
    page = login_as(officer_mbdin).post(url(form), sent)
    assert page.status_code == 200
    data = Submission.objects.get().answers
    assert "details/colours" not in data
    assert "details/why" not in data
    assert data["person"] == [{"person/age": 8, "person/works": "yes"}]


def test_a_required_question_is_only_required_when_relevant(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    # "why" is required, shown when red is chosen or count != 3.
    sent = answers(tehsil, count="3", **{"details/colours": "blue", "details/why": ""})
    assert login_as(officer_mbdin).post(url(form), sent).status_code == 200
    assert Submission.objects.count() == 1


def test_constraint_errors_keep_every_typed_value_and_say_what_is_wrong(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    sent = answers(tehsil, count="77", share="0", **{"person[0]/age": "twelve", "visit_date": ""})
    page = login_as(officer_mbdin).post(url(form), sent)
    body = page.content.decode()
    assert page.status_code == 400
    assert not Submission.objects.exists()
    assert "The form was not sent" in body
    errors = page.context["errors"]
    assert errors["count"] == "Between 0 and 50"  # the form's own message
    assert errors["share"] == "This answer is outside what the form allows."
    assert errors["person[0]/age"] == "Enter a whole number, in digits."
    assert errors["visit_date"] == "This question needs an answer."
    assert 'name="count" value="77"' in body
    assert 'name="person[0]/age" value="twelve"' in body
    assert 'value="synthetic answer"' in body
    assert 'value="red" checked' in body
    assert f'value="{sent["#instance"]}"' in body  # the same form, the same id
    assert '<a href="#q-count">How many</a>: Between 0 and 50' in body


def test_constraint_message_in_urdu(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    page = client.post(url(form), answers(tehsil, count="77"))
    assert page.context["errors"]["count"] == "صفر سے پچاس تک"


def test_a_form_without_its_id_is_shown_again_with_a_new_one(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    page = login_as(officer_mbdin).post(url(form), answers(tehsil, **{"#instance": "nope"}))
    assert page.status_code == 400
    assert page.context["instance_id"] != "nope"
    assert 'value="carrying bricks"' in page.content.decode()
    assert not Submission.objects.exists()


def test_a_tehsil_of_another_district_is_refused(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    other = Area.objects.filter(parent__code="PK610").first()
    assert other is not None
    page = login_as(officer_mbdin).post(url(form), answers(tehsil, tehsil=other.code))
    assert page.status_code == 400
    assert "tehsil" in page.context["errors"]
    assert not Submission.objects.exists()


# --- who may ---------------------------------------------------------------------------------


def test_another_district_is_refused_and_keeps_what_was_typed(
    form: Instrument, officer_mbdin: User, login_as: LoginAs, tehsil: Area
) -> None:
    page = login_as(officer_mbdin).post(url(form), answers(tehsil, **{"#district": "PK610"}))
    assert page.status_code == 400
    assert "Choose one of the districts" in page.context["errors"]["#district"]
    assert 'value="carrying bricks"' in page.content.decode()
    assert not Submission.objects.exists()
    refusals = AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED)
    assert refusals.filter(reason__contains="outside the user's scope").exists()


@pytest.mark.parametrize(
    "who", ["io", "analyst", "helpline", "labour", "committee", "monitor", "admin"]
)
def test_roles_that_do_not_collect_get_403(
    who: str, form: Instrument, people: dict[str, User], login_as: LoginAs, tehsil: Area
) -> None:
    client = login_as(people[who])
    assert client.get(url(form)).status_code == 403
    assert client.post(url(form), answers(tehsil)).status_code == 403
    assert not Submission.objects.exists()


def test_anonymous_is_sent_to_sign_in(form: Instrument, client: Client) -> None:
    response = client.post(url(form), {})
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_an_officer_collects_a_sensitive_survey_but_not_the_highest(
    builtin: dict[str, Instrument], people: dict[str, User], login_as: LoginAs
) -> None:
    client = login_as(people["officer"])
    assert client.get(url(builtin["ahtc_returned_migrant"])).status_code == 200
    assert client.get(url(builtin["ahtc_transgender_community"])).status_code == 403


def test_the_transgender_survey_is_the_cell_heads_alone(
    builtin: dict[str, Instrument], people: dict[str, User], login_as: LoginAs
) -> None:
    survey = builtin["ahtc_transgender_community"]
    assert login_as(people["officer"]).get(url(survey)).status_code == 403
    page = login_as(people["head"]).get(url(survey))
    body = page.content.decode()
    assert page.status_code == 200
    # Never kept on the device: the page says so, and the worker never stores it.
    assert 'data-offline="no"' in body
    assert "never kept on this device" in body
    assert page["X-AHTC-Offline"] == "no"


def test_sensitive_answers_are_encrypted_at_rest(
    builtin: dict[str, Instrument], people: dict[str, User], login_as: LoginAs, tehsil: Area
) -> None:
    survey = builtin["ahtc_returned_migrant"]
    sent = {
        "#instance": str(uuid.uuid4()),
        "#district": "PK620",
        "visit_date": "2025-03-02",
        "tehsil": tehsil.code,
        "consent": "yes",
        "age": "30",
        "leg#rows": "1",
        "leg[0]#row": "1",
        "leg[0]/leg_paid": "1500000",
    }
    assert login_as(people["officer"]).post(url(survey), sent).status_code == 200
    stored = Submission.objects.get()
    assert stored.data == {}
    assert stored.sealed
    assert stored.answers["total_paid"] == 1500000


def test_an_ordinary_page_may_be_kept_offline(
    builtin: dict[str, Instrument], people: dict[str, User], login_as: LoginAs
) -> None:
    page = login_as(people["officer"]).get(url(builtin["ahtc_brick_kiln"]))
    assert 'data-offline="yes"' in page.content.decode()
    assert "X-AHTC-Offline" not in page


def test_the_service_worker_stores_only_collect_pages_and_its_files(client: Client) -> None:
    response = client.get(reverse("cell:surveys:collect_sw"))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "survey-collect.js" in body
    assert '"surveys-collect-' in body
    assert r"/cell/surveys/[^/]+/collect/$" in body
    assert "{%" not in body
    assert "{{" not in body


def test_the_overview_counts_submissions_waiting_for_review(
    form: Instrument,
    officer_mbdin: User,
    officer_gujrat: User,
    make_user: Callable[..., User],
    login_as: LoginAs,
    tehsil: Area,
) -> None:
    from ahtc.notifications.selectors import work_for_user

    login_as(officer_mbdin).post(url(form), answers(tehsil))
    login_as(officer_mbdin).post(url(form), answers(tehsil))
    # By the section's key: the lines are in the language of the last request.
    lines = [i for s in work_for_user(officer_mbdin) if s.key == "surveys" for i in s.items]
    assert [(i.count, i.url) for i in lines] == [
        (2, reverse("cell:surveys:submissions", args=[form.form_id]) + "?status=received")
    ]
    # Another district's officer, and a role that reads no rows, see no line.
    io = make_user("io_mbdin", Role.INVESTIGATING_OFFICER, "PK620")
    for user in (officer_gujrat, io):
        assert not [i for s in work_for_user(user) if s.key == "surveys" for i in s.items]


def test_the_instrument_page_links_to_the_form_for_those_who_collect(
    builtin: dict[str, Instrument], people: dict[str, User], login_as: LoginAs
) -> None:
    kiln = builtin["ahtc_brick_kiln"]
    page = reverse("cell:surveys:instrument", args=[kiln.form_id])
    assert url(kiln) in login_as(people["officer"]).get(page).content.decode()
    assert url(kiln) not in login_as(people["analyst"]).get(page).content.decode()
