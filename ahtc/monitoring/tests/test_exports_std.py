"""Standard exports: small-cell suppression (primary and by differencing),
CTDC names, the HTCDS v2 layout, and who may have which."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ahtc.accounts.models import User
from ahtc.core.models import AuditEvent
from ahtc.monitoring.exports_std import (
    HTCDS_HEADERS,
    STAT_HEADERS,
    SUPPRESSED,
    age_broad,
    htcds_export,
    statistics_export,
    suppress,
)
from ahtc.monitoring.services import MonitoringError
from ahtc.monitoring.tests.conftest import area

K = ("PK620", "2025", "Woman", "18--20", "")


def _key(area_code: str, gender: str, age: str) -> tuple[str, ...]:
    return (area_code, "2025", gender, age, "")


def test_cells_below_k_are_suppressed() -> None:
    stats = suppress({_key("PK620", "Woman", "18--20"): 30, _key("PK620", "Man", "18--20"): 4})
    assert stats.shown(_key("PK620", "Man", "18--20")) == SUPPRESSED


def test_a_lone_suppressed_cell_is_protected_against_differencing() -> None:
    """Area total 49 is shown: with only the 4 hidden, 49 - 30 - 15 = 4 would
    give it away, so the smallest other cell (15) is hidden too."""
    counts = {
        _key("PK620", "Woman", "18--20"): 30,
        _key("PK620", "Man", "18--20"): 15,
        _key("PK620", "Man", "9--17"): 4,
    }
    stats = suppress(counts)
    assert stats.total_shown("PK620") == 49
    assert stats.shown(_key("PK620", "Man", "9--17")) == SUPPRESSED
    assert stats.shown(_key("PK620", "Man", "18--20")) == SUPPRESSED
    assert stats.shown(_key("PK620", "Woman", "18--20")) == 30


def test_a_small_area_total_is_protected_against_the_grand_total() -> None:
    """Grand total 45 and Gujrat's 40 shown would give Mandi Bahauddin's 5."""
    counts = {
        _key("PK620", "Woman", "18--20"): 5,
        _key("PK610", "Woman", "18--20"): 20,
        _key("PK610", "Man", "18--20"): 20,
        _key("PK611", "Man", "18--20"): 12,
    }
    stats = suppress(counts)
    assert stats.total_shown("PK620") == SUPPRESSED
    assert stats.total_shown("PK611") == SUPPRESSED  # the smallest other area total
    assert stats.total_shown("") == 57


def test_no_published_total_reveals_a_suppressed_cell() -> None:
    counts = {_key(a, g, "21--23"): n for a, g, n in [
        ("PK620", "Woman", 3), ("PK620", "Man", 12), ("PK610", "Woman", 11),
        ("PK610", "Man", 1), ("PK637", "Woman", 40),
    ]}  # fmt: skip
    stats = suppress(counts)
    for code in ("PK620", "PK610", "PK637"):
        members = [k for k in counts if k[0] == code]
        hidden = [k for k in members if k in stats.suppressed]
        assert len(hidden) != 1 or code in stats.suppressed_totals
    hidden_totals = [c for c in ("PK620", "PK610", "PK637") if c in stats.suppressed_totals]
    assert len(hidden_totals) != 1


def test_ctdc_age_bands() -> None:
    assert [age_broad(a) for a in (None, 0, 8, 9, 17, 18, 47, 48, 90)] == [
        "", "0--8", "0--8", "9--17", "9--17", "18--20", "39--47", "48+", "48+",
    ]  # fmt: skip


@pytest.mark.django_db
def test_statistics_export_uses_ctdc_names_and_suppresses(
    provincial_monitor: User, officer_mbdin: User, make_person: Callable[..., Any]
) -> None:
    from openpyxl import load_workbook

    from ahtc.victims import services as victims

    victims.record_create(
        person=make_person("Synthetic Victim", sex="feminine"), by=officer_mbdin, child=False
    )
    content = statistics_export(user=provincial_monitor, area=area("PK6"))
    sheet = load_workbook(io.BytesIO(content))["statistics"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == STAT_HEADERS
    assert rows[1][2] == "Woman"
    assert rows[1][5] == SUPPRESSED  # one victim: far below 11
    assert AuditEvent.objects.filter(object_type="monitoring.statistics").exists()


@pytest.mark.django_db
def test_statistics_refused_without_export_and_below_k(committee_mbdin: User) -> None:
    with pytest.raises(MonitoringError):
        statistics_export(user=committee_mbdin, area=area("PK620"))
    assert AuditEvent.objects.filter(outcome="refused", object_type="monitoring.statistics")


@pytest.mark.django_db
def test_htcds_layout_without_identity_for_the_cell(
    officer_mbdin: User, make_person: Callable[..., Any], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from ahtc.victims import services as victims

    victims.record_create(
        person=make_person("Synthetic Victim", sex="masculine"),
        by=officer_mbdin,
        child=False,
        exploitation=["ForcedLabour"],
    )
    out = tmp_path / "htcds.xlsx"
    call_command("export", "htcds", "--area", "PK620", "--out", str(out), "--user", "officer_mbdin")
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == HTCDS_HEADERS
    assert rows[1][1] == "PossibleVictimOfTrafficking"
    assert rows[1][7] == "ForcedLabour"
    assert rows[1][8] == "Masculine"
    assert "Synthetic" not in str(rows)
    assert AuditEvent.objects.filter(reason__contains="identities withheld").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["provincial_monitor", "committee_mbdin", "fia_liaison"])
def test_htcds_refused_to_aggregate_readers_and_partners(
    persona: str, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(MonitoringError):
        htcds_export(user=request.getfixturevalue(persona), area=area("PK620"))
    assert AuditEvent.objects.filter(outcome="refused", reason__contains="htcds").exists()


@pytest.mark.django_db
def test_htcds_identity_needs_the_permission_and_a_reason(
    officer_mbdin: User, dpo_mbdin: User, officer_gujrat: User, tmp_path: Path
) -> None:
    with pytest.raises(MonitoringError):
        htcds_export(user=officer_mbdin, area=area("PK620"), identity=True, reason="for FIA")
    with pytest.raises(MonitoringError):
        htcds_export(user=dpo_mbdin, area=area("PK620"), identity=True, reason="")
    with pytest.raises(MonitoringError):
        htcds_export(user=officer_gujrat, area=area("PK620"))
    htcds_export(
        user=dpo_mbdin, area=area("PK620"), identity=True, reason="Transfer to FIA, letter 12"
    )
    assert AuditEvent.objects.filter(reason__contains="WITH IDENTITIES").exists()
    out = str(tmp_path / "x.xlsx")
    with pytest.raises(CommandError):
        call_command("export", "htcds", "--area", "PK620", "--out", out, "--user", "nobody")
