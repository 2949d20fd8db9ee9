"""`/api/v1/surveys/`: instruments, their catalogue and their results, with
the pages' access rules (surveys/selectors.py) and no small count given away,
neither directly nor by subtraction."""

# ruff: noqa: F401, F811 - fixtures are imported by name for pytest to find

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.api.models import ApiScope
from ahtc.api.services import api_token_create
from ahtc.api.survey_results import Table
from ahtc.api.tests.conftest import TokenClient
from ahtc.api.tests.test_contract import assert_matches_schema, schema
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.surveys.models import Instrument, ReviewStatus, Source, Submission
from ahtc.surveys.tests.conftest import builtin, kiln, people

pytestmark = pytest.mark.django_db
SURVEYS = "/api/v1/surveys/"
KILN = "/api/v1/surveys/ahtc_brick_kiln/"
KILN_RESULTS = "/api/v1/surveys/ahtc_brick_kiln/results/"
COMMUNITY = "/api/v1/surveys/ahtc_transgender_community/"
MIGRANT = "/api/v1/surveys/ahtc_returned_migrant/"


class Kilns:
    """Kiln submissions stored as an import would store them (synthetic)."""

    def __init__(self, kiln: Instrument) -> None:
        self.kiln = kiln
        version = kiln.latest_version()
        assert version is not None
        self.version = version
        self.made = 0

    def add(
        self,
        count: int,
        district: str = "PK620",
        tehsil: str = "Phalia",
        status: str = ReviewStatus.APPROVED,
        on: dt.date = dt.date(2025, 3, 1),
        **answers: Any,
    ) -> None:
        area = Area.objects.get(code=district)
        place = Area.objects.filter(parent=area, name_en=tehsil).first()
        for _n in range(count):
            self.made += 1
            Submission.objects.create(
                instrument=self.kiln,
                version=self.version,
                key=f"kiln-{self.made}",
                source=Source.DEMO,
                district=area,
                tehsil=place,
                collected_on=on,
                status=status,
                data={"written_contract": "no", "eobi": "no", "children_working": 3, **answers},
            )


@pytest.fixture
def kilns(kiln: Instrument) -> Kilns:
    return Kilns(kiln)


def share(body: dict[str, Any], path: str, value: str, tehsil: str = "") -> dict[str, Any]:
    item = next(f for f in body["fields"] if f["path"] == path)
    rows = item["shares"]
    if tehsil:
        rows = next(t["shares"] for t in item["by_tehsil"] if t["tehsil"] == tehsil)
    return dict(next(s for s in rows if s["value"] == value))


def counts_in(body: Any) -> Iterator[int | None]:
    """Every published count of a results body, wherever it sits."""
    if isinstance(body, dict):
        for key, value in body.items():
            if key in {"count", "n", "surveyed", "total"} and not isinstance(value, dict | list):
                yield value
            else:
                yield from counts_in(value)
    elif isinstance(body, list):
        for item in body:
            yield from counts_in(item)


# --- who may call --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["io", "helpline", "labour"])
def test_roles_that_see_no_survey_get_403_and_are_audited(
    who: str, people: dict[str, User], builtin: Any, token_client: TokenClient
) -> None:
    client = token_client(people[who])
    for url in (SURVEYS, KILN, KILN_RESULTS):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "permission_denied"
    assert AuditEvent.objects.filter(
        actor=people[who].pk, outcome=AuditOutcome.REFUSED, object_id="surveys"
    ).exists()


def test_an_administrator_sees_ordinary_forms_only_and_no_results(
    people: dict[str, User], builtin: Any, token_client: TokenClient
) -> None:
    client = token_client(people["admin"])
    listed = {row["form_id"] for row in client.get(SURVEYS).json()["results"]}
    assert listed == {"ahtc_brick_kiln", "ahtc_agency_inspection"}
    assert client.get(KILN).status_code == 200
    for url in (COMMUNITY, MIGRANT):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert AuditEvent.objects.filter(
        actor=people["admin"].pk,
        outcome=AuditOutcome.REFUSED,
        object_type="surveys.instrument",
    ).exists()
    assert client.get(KILN_RESULTS).status_code == 403


def test_readers_of_statistics_see_every_instrument(
    people: dict[str, User], builtin: Any, token_client: TokenClient
) -> None:
    for who in ("officer", "head", "analyst", "committee", "monitor"):
        body = token_client(people[who]).get(SURVEYS).json()
        assert body["count"] == 5, who
        assert token_client(people[who]).get(COMMUNITY).status_code == 200, who


def test_an_unknown_instrument_is_a_json_404(
    people: dict[str, User], builtin: Any, token_client: TokenClient
) -> None:
    for url in ("/api/v1/surveys/nope/", "/api/v1/surveys/nope/results/"):
        response = token_client(people["officer"]).get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_token_without_the_read_scope_is_refused(people: dict[str, User], builtin: Any) -> None:
    client = APIClient()
    _token, key = api_token_create(
        user=people["officer"], name="tests", by=None, scopes=[ApiScope.WRITE]
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(SURVEYS)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


# --- the list and the catalogue ------------------------------------------------------------


def test_counts_per_review_state_stay_inside_the_callers_districts(
    people: dict[str, User], kilns: Kilns, token_client: TokenClient
) -> None:
    kilns.add(3, status=ReviewStatus.RECEIVED)
    kilns.add(2)
    kilns.add(4, district="PK610", tehsil="Gujrat")

    def counted(who: str) -> dict[str, int]:
        rows = token_client(people[who]).get(SURVEYS).json()["results"]
        return dict(next(r for r in rows if r["form_id"] == "ahtc_brick_kiln")["submissions"])

    assert counted("officer") == {"received": 3, "on_hold": 0, "approved": 2, "rejected": 0}
    assert counted("officer_gujrat")["approved"] == 4
    assert counted("officer_gujrat")["received"] == 0
    assert counted("monitor")["approved"] == 6


def test_the_list_costs_the_same_queries_for_more_instruments(
    people: dict[str, User], kilns: Kilns, token_client: TokenClient
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = token_client(people["monitor"])
    kilns.add(3)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(SURVEYS).status_code == 200
        return len(seen)

    queries()  # once first: a token's first use of the minute records it (one UPDATE)
    few = queries()
    for n in range(3):
        extra = Instrument.objects.create(form_id=f"extra_{n}", title=f"Extra {n}")
        extra.versions.create(number=1, source_name="x.xlsx", source=b"", xform="<x/>")
    kilns.add(20, district="PK610", tehsil="Kharian")
    assert queries() == few


def test_the_catalogue_has_labels_per_language_and_no_answers(
    people: dict[str, User], kilns: Kilns, token_client: TokenClient
) -> None:
    kilns.add(2, kiln_name="Kiln (synthetic)")
    client = token_client(people["officer"])
    body = client.get(KILN).json()
    assert body["version"] == 1
    assert body["title_en"]
    assert body["title_ur"]
    assert body["title"] == body["title_en"]
    contract = next(f for f in body["fields"] if f["path"] == "written_contract")
    assert contract["type"] == "select_one"
    assert {"en", "ur"} <= set(contract["labels"])
    assert [c["value"] for c in contract["choices"]] == ["yes", "no"]
    assert "Kiln (synthetic)" not in str(body)
    in_urdu = client.get(KILN, HTTP_ACCEPT_LANGUAGE="ur").json()
    assert in_urdu["title"] == body["title_ur"]
    assert AuditEvent.objects.filter(
        actor=people["officer"].pk, action=AuditAction.VIEW, object_type="surveys.instrument"
    ).exists()


# --- results -------------------------------------------------------------------------------


def test_results_count_approved_submissions_of_the_callers_districts_only(
    people: dict[str, User], kilns: Kilns, token_client: TokenClient
) -> None:
    kilns.add(12, written_contract="no")
    kilns.add(14, status=ReviewStatus.RECEIVED, written_contract="yes")
    kilns.add(20, district="PK610", tehsil="Gujrat", written_contract="yes")
    body = token_client(people["officer"]).get(KILN_RESULTS).json()
    assert body["total"] == 12
    assert [c["district"] for c in body["coverage"]] == ["PK620"]
    assert share(body, "written_contract", "no")["count"] == 12
    assert share(body, "written_contract", "yes")["count"] == 0
    other = token_client(people["officer"]).get(KILN_RESULTS + "?district=PK610").json()
    assert (other["total"], other["coverage"]) == (0, [])
    province = token_client(people["monitor"]).get(KILN_RESULTS).json()
    assert province["total"] == 32
    assert AuditEvent.objects.filter(
        actor=people["officer"].pk, action=AuditAction.VIEW, reason__contains="results"
    ).exists()


def test_from_and_to_filter_on_the_date_of_collection(
    people: dict[str, User], kilns: Kilns, token_client: TokenClient
) -> None:
    kilns.add(12, on=dt.date(2025, 1, 10))
    kilns.add(13, on=dt.date(2025, 2, 10))
    client = token_client(people["analyst"])
    assert client.get(KILN_RESULTS + "?from=2025-02-01").json()["total"] == 13
    assert client.get(KILN_RESULTS + "?to=2025-01-31").json()["total"] == 12
    assert client.get(KILN_RESULTS + "?from=2025-01-10&to=2025-01-10").json()["total"] == 12


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("district=620", "district"),
        ("district=PK620&district=PK610", "district"),
        ("district=", "district"),
        ("from=2025-13-01", "from"),
        ("from=20250101", "from"),
        ("to=2025-02-30", "to"),
        ("from=2025-03-01&to=2025-02-01", "to"),
    ],
)
def test_bad_filters_are_a_400_naming_them(
    query: str, field: str, people: dict[str, User], builtin: Any, token_client: TokenClient
) -> None:
    response = token_client(people["officer"]).get(f"{KILN_RESULTS}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]


def test_a_small_count_is_never_returned_nor_given_by_subtraction(
    people: dict[str, User], kilns: Kilns, token_client: TokenClient
) -> None:
    kilns.add(3, written_contract="yes")
    kilns.add(11, written_contract="no")
    kilns.add(14, tehsil="Malakwal", written_contract="no")
    kilns.add(4, tehsil="Mandi Bahauddin", written_contract="no")
    body = token_client(people["analyst"]).get(KILN_RESULTS).json()
    assert all(c is None or c == 0 or c >= 11 for c in counts_in(body))
    yes = share(body, "written_contract", "yes")
    assert (yes["count"], yes["share"], yes["low"], yes["suppressed"]) == (None, None, None, True)
    # Phalia: 3 yes, 11 no, 14 answering: the 11 would give the 3 back.
    assert share(body, "written_contract", "no", tehsil="Phalia")["count"] is None
    # Overall 3 yes, 29 no, 32 answering: the 29 would give the 3 back.
    assert share(body, "written_contract", "no")["count"] is None
    contract = next(f for f in body["fields"] if f["path"] == "written_contract")
    assert contract["n"] == 32
    mandi = next(t for t in contract["by_tehsil"] if t["tehsil"] == "Mandi Bahauddin")
    assert mandi["n"] is None  # 4 answering
    assert mandi["tehsil_code"]


def test_no_single_hidden_part_sits_beside_a_published_total() -> None:
    table = Table()
    for key, count in {("t",): 40, ("a",): 3, ("b",): 12, ("c",): 25}.items():
        table.add(key, count)
    table.sums.append((("t",), [("a",), ("b",), ("c",)]))
    table.protect()
    assert table.hidden == {("a",), ("b",)}
    lone = Table()
    lone.add(("t",), 5)
    lone.add(("a",), 5)
    lone.sums.append((("t",), [("a",)]))
    lone.protect()
    assert lone.hidden == {("t",), ("a",)}


def test_a_hidden_total_hides_a_part_too() -> None:
    table = Table()
    table.add(("t",), 30)
    table.add(("a",), 15)
    table.add(("b",), 15)
    table.hidden.add(("t",))
    table.sums.append((("t",), [("a",), ("b",)]))
    table.protect()
    assert len(table.hidden & {("a",), ("b",)}) == 1


# --- the published contract ----------------------------------------------------------------


def test_survey_responses_match_the_schema(
    schema: dict[str, Any], people: dict[str, User], kilns: Kilns, token_client: TokenClient
) -> None:
    kilns.add(3, written_contract="yes")
    kilns.add(12)
    client = token_client(people["officer"])
    for path in (SURVEYS, KILN, KILN_RESULTS, KILN_RESULTS + "?district=PK620&from=2025-01-01"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_matches_schema(schema, path.split("?")[0], response)
    for path, status in ((COMMUNITY + "results/?from=x", 400), ("/api/v1/surveys/x/", 404)):
        response = client.get(path)
        assert response.status_code == status
        assert_matches_schema(schema, path.split("?")[0], response)
    refused = token_client(people["io"]).get(SURVEYS)
    assert_matches_schema(schema, SURVEYS, refused)


@pytest.fixture
def demo(db: object) -> None:
    from ahtc.demo.build import DemoContext
    from ahtc.demo.surveys import build_surveys

    build_surveys(DemoContext(rng=random.Random(20241101)))  # noqa: S311 (demo data)


def test_the_demo_gives_the_case_study_figures_to_the_provincial_monitor(
    demo: None, make_user: Callable[..., User], token_client: TokenClient
) -> None:
    monitor = token_client(make_user("provincial_monitor", Role.PROVINCIAL_MONITOR, "PK6"))
    kiln = monitor.get(KILN_RESULTS).json()
    assert kiln["coverage"][0]["surveyed"] == 44
    assert kiln["coverage"][0]["universe"] == 230
    assert round(share(kiln, "family/debt_bondage", "yes")["share"] * 100) == 89
    community = monitor.get(COMMUNITY + "results/").json()
    assert share(community, "coerced", "yes")["count"] == 11
    assert all(c is None or c == 0 or c >= 11 for c in counts_in(community))


def test_the_api_root_lists_every_collection(
    people: dict[str, User], builtin: Any, token_client: TokenClient
) -> None:
    """The root names every list a partner can start from, surveys included."""
    body = token_client(people["admin"]).get("/api/v1/").json()
    for name in ("surveys", "agencies", "indicators", "people_search", "reports", "cases"):
        assert body[name].endswith("/"), name
    assert body["surveys"].endswith("/api/v1/surveys/")
