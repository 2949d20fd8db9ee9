"""Entity resolution across districts (issue 15): links only on a full CNIC,
everything else waits for a reviewer; decisions can be undone; nothing in
plain text reaches the disk."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from ahtc.accounts.models import User
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.people.matches import (
    MatchError,
    candidate_decide,
    candidate_undo,
    identity_of,
    link_undo,
    resolution_run,
)
from ahtc.people.models import (
    LinkKind,
    MatchCandidate,
    MatchDecision,
    MatchStatus,
    Person,
    PersonLink,
    ResolutionRun,
)
from ahtc.people.resolution import features, private_duckdb, score
from ahtc.people.services import person_create

pytestmark = pytest.mark.django_db


def make(district: str, name: str, by: User, **kw: Any) -> Person:
    return person_create(
        source_district=Area.objects.get(code=district), by=by, name_latin=name, **kw
    )


@pytest.fixture
def agents(officer_mbdin: User) -> dict[str, Person]:
    """One agent in three districts under three spellings, a namesake of the
    same CNIC in Sialkot, and an unrelated man."""
    by = officer_mbdin
    return {
        "mbdin": make(
            "PK620",
            "Muhammad Aslam s/o Bashir, Phalia",
            by,
            age_years=44,
            identifiers={"phone": "0300-1234567"},
        ),
        "gujrat": make(
            "PK610",
            "M. Aslam",
            by,
            relative_name="Bashir Ahmed",
            identifiers={"phone": "+92 300 1234567"},
        ),
        "gujranwala": make(
            "PK609", "Mohammad Asalam Ch.", by, relative_name="Basheer", age_years=45
        ),
        "sialkot_a": make("PK634", "Tariq Mehmood", by, identifiers={"cnic": "34603-1234567-1"}),
        "sialkot_b": make("PK634", "Tarik Mahmood", by, identifiers={"cnic": "3460312345671"}),
        "other": make("PK620", "Zarmeen Synthetic", by, relative_name="Nobody"),
    }


def pair(one: Person, other: Person) -> MatchCandidate | None:
    a, b = sorted((one.pk, other.pk))
    return MatchCandidate.objects.filter(person_a_id=a, person_b_id=b).first()


def test_full_cnic_links_at_once_and_everything_else_waits_for_review(
    agents: dict[str, Person],
) -> None:
    run = resolution_run()
    assert run.finished_at is not None
    assert run.links_new == 1
    link = PersonLink.objects.get()
    assert link.kind == LinkKind.FULL_CNIC
    assert {link.person_a_id, link.person_b_id} == {agents["sialkot_a"].pk, agents["sialkot_b"].pk}
    # The Aslams are candidates, not links: no merge without review.
    for one, other in [("mbdin", "gujrat"), ("mbdin", "gujranwala")]:
        candidate = pair(agents[one], agents[other])
        assert candidate is not None
        assert candidate.status == MatchStatus.PENDING
        assert candidate.evidence["name"] in {"exact", "sounds_same"}
    assert pair(agents["mbdin"], agents["other"]) is None
    assert identity_of(agents["mbdin"].pk) == {agents["mbdin"].pk}
    # Every record keeps its own district and fields.
    assert Person.objects.get(pk=agents["gujrat"].pk).source_district.code == "PK610"


def test_evidence_holds_no_values(agents: dict[str, Person]) -> None:
    resolution_run()
    for candidate in MatchCandidate.objects.all():
        text = repr(candidate.evidence).casefold()
        assert "aslam" not in text
        assert "bashir" not in text
        assert "0300" not in text


def test_a_second_run_adds_no_duplicates(agents: dict[str, Person]) -> None:
    resolution_run()
    before = MatchCandidate.objects.count(), PersonLink.objects.count()
    resolution_run()
    assert (MatchCandidate.objects.count(), PersonLink.objects.count()) == before


def test_accept_links_reject_does_not_and_undo_restores(
    agents: dict[str, Person], officer_mbdin: User
) -> None:
    resolution_run()
    first = pair(agents["mbdin"], agents["gujrat"])
    second = pair(agents["mbdin"], agents["gujranwala"])
    assert first is not None
    assert second is not None
    candidate_decide(candidate=first, status=MatchStatus.ACCEPTED, by=officer_mbdin, note="same")
    assert identity_of(agents["gujrat"].pk) == {agents["mbdin"].pk, agents["gujrat"].pk}
    candidate_decide(candidate=second, status=MatchStatus.REJECTED, by=officer_mbdin)
    assert agents["gujranwala"].pk not in identity_of(agents["mbdin"].pk)

    candidate_undo(candidate=first, by=officer_mbdin)
    first.refresh_from_db()
    assert first.status == MatchStatus.PENDING
    assert identity_of(agents["mbdin"].pk) == {agents["mbdin"].pk}
    link = PersonLink.objects.get(kind=LinkKind.REVIEWED)
    assert link.undone_at is not None
    assert link.undone_by == officer_mbdin
    steps = list(MatchDecision.objects.filter(candidate=first).values_list("previous", "status"))
    assert steps == [("pending", "accepted"), ("accepted", "pending")]
    assert AuditEvent.objects.filter(object_type="people.matchcandidate").count() == 6


def test_undo_of_an_undecided_pair_and_unknown_decisions_are_refused(
    agents: dict[str, Person], officer_mbdin: User
) -> None:
    resolution_run()
    candidate = pair(agents["mbdin"], agents["gujrat"])
    assert candidate is not None
    with pytest.raises(MatchError):
        candidate_undo(candidate=candidate, by=officer_mbdin)
    with pytest.raises(MatchError):
        candidate_decide(candidate=candidate, status="merged", by=officer_mbdin)
    assert not PersonLink.objects.filter(kind=LinkKind.REVIEWED).exists()


def test_an_undone_cnic_link_is_not_made_again(
    agents: dict[str, Person], officer_mbdin: User
) -> None:
    resolution_run()
    link_undo(link=PersonLink.objects.get(), by=officer_mbdin)
    resolution_run()
    assert not PersonLink.objects.filter(undone_at__isnull=True).exists()


def test_incremental_run_matches_only_new_records(
    agents: dict[str, Person], officer_mbdin: User
) -> None:
    full = resolution_run()
    new = make(
        "PK634",
        "Aslam",
        officer_mbdin,
        relative_name="Bashir",
        identifiers={"phone": "03001234567"},
    )
    run = resolution_run(mode=ResolutionRun.Mode.INCREMENTAL)
    assert run.mode == "incremental"
    assert run.newest_person == new.pk > full.newest_person
    fresh = MatchCandidate.objects.filter(run=run)
    assert fresh.exists()
    assert all(new.pk in (c.person_a_id, c.person_b_id) for c in fresh)


def test_no_plaintext_reaches_the_spill_directory(
    agents: dict[str, Person], tmp_path: Path, settings: Any
) -> None:
    settings.PEOPLE_RESOLUTION_SPILL_DIR = str(tmp_path)
    resolution_run()
    assert list(tmp_path.iterdir()) == []  # the private directory is gone


def _spill_of(con: Any) -> str:
    row = con.execute("SELECT current_setting('temp_directory')").fetchone()
    return str(row[0]) if row else ""


def _fail_inside(spill_dir: Path, seen: list[Path]) -> None:
    with private_duckdb(spill_dir=str(spill_dir)) as con:
        seen.append(Path(_spill_of(con)))
        raise RuntimeError


def test_spill_directory_is_private_and_removed_even_on_failure(tmp_path: Path) -> None:
    seen: list[Path] = []
    with pytest.raises(RuntimeError):
        _fail_inside(tmp_path, seen)
    assert seen[0].parent == tmp_path
    assert not seen[0].exists()
    with private_duckdb(spill_dir=str(tmp_path)) as con:
        private = Path(_spill_of(con))
        assert oct(private.stat().st_mode)[-3:] == "700"
    with private_duckdb() as con:  # the default spills nowhere
        assert _spill_of(con) == ""


def test_scores_with_forced_spill_leave_no_names_on_disk(tmp_path: Path) -> None:
    """A tiny memory limit makes DuckDB spill; the files go, with the names in them."""
    records = [
        features(uid=i, district="PK620", names=[f"Zarmeen{i % 50} Synthetic"], relative="Nobody")
        for i in range(3000)
    ]
    with contextlib.suppress(Exception):
        score(
            records, threshold_weight=50, spill_dir=str(tmp_path), memory_limit="64MB", train=False
        )
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == []
    assert list(tmp_path.iterdir()) == []
