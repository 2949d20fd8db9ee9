"""People across districts: the matching run, review decisions and identities
(issue 15; the model is people/resolution.py).

**No silent merges.** Two records with the same full CNIC are linked at once
(`LinkKind.FULL_CNIC`, found by the keyed hashes, nothing decrypted). Every
other pair the model scores at or above `PEOPLE_MATCH_MIN_WEIGHT` becomes a
`MatchCandidate` for a reviewer: accept (a `PersonLink`), reject, not sure.
Each decision is a `MatchDecision` row and an audit row; undo ends the link
(the row stays, with who and when) and puts the candidate back to review.
Records are never merged: an identity is the set of records joined by active
links, and each keeps its own district, fields and history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.people.models import (
    Identifier,
    IdentifierKind,
    LinkKind,
    MatchCandidate,
    MatchDecision,
    MatchStatus,
    Person,
    PersonLink,
    ResolutionRun,
)
from ahtc.people.resolution import Features, Progress, Scored, features, score

BATCH = 2000


class MatchError(ValueError):
    """A decision that cannot be made; the message is for the user."""


def min_weight() -> float:
    return float(getattr(settings, "PEOPLE_MATCH_MIN_WEIGHT", 0.0))


# --- records for the model, decrypted in memory only ------------------------------------


def _birth_year(person: Person, today: dt.date) -> int | None:
    if person.birth_date:
        return person.birth_date.year
    if person.age_years is not None:
        return person.created_at.year - person.age_years if person.created_at else today.year
    return None


def person_features(person: Person, today: dt.date | None = None) -> Features:
    """One person's features (identifiers and aliases should be prefetched)."""
    today = today or timezone.localdate()
    names = [person.name_latin, person.name_urdu, *(a.name for a in person.aliases.all())]
    ids = list(person.identifiers.all())
    return features(
        uid=person.pk,
        district=str(person.source_district_id),
        names=[n for n in names if n],
        relative=person.relative_name,
        cnics=[i.value for i in ids if i.kind == IdentifierKind.CNIC],
        phones=[i.value for i in ids if i.kind == IdentifierKind.PHONE],
        birth_year=_birth_year(person, today),
    )


def records_of(people: QuerySet[Person]) -> Iterator[Features]:
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate()
    for start in range(0, len(ids), BATCH):
        batch = Person.objects.filter(pk__in=ids[start : start + BATCH])
        for person in batch.prefetch_related("identifiers", "aliases"):
            yield person_features(person, today)


# --- identities: records joined by active links -----------------------------------------


def active_links() -> QuerySet[PersonLink]:
    return PersonLink.objects.filter(undone_at__isnull=True)


def identity_of(person_id: int) -> set[int]:
    """The records linked to this one, directly or through others (itself included)."""
    return identities_of({person_id})


def identities_of(person_ids: Iterable[int], *, ignore_link: int | None = None) -> set[int]:
    """The records linked to any of these, directly or through others (themselves
    included): one query per step of the links, however many people start it.
    `ignore_link`: as if that link did not exist (what an identity was before it)."""
    seen = set(person_ids)
    frontier = set(seen)
    links = active_links().exclude(pk=ignore_link) if ignore_link else active_links()
    while frontier:
        rows = links.filter(Q(person_a__in=frontier) | Q(person_b__in=frontier))
        linked = {pk for pair in rows.values_list("person_a", "person_b") for pk in pair}
        frontier = linked - seen
        seen |= linked
    return seen


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _link(a: int, b: int, kind: LinkKind, **extra: Any) -> PersonLink | None:
    a, b = _ordered(a, b)
    if active_links().filter(person_a_id=a, person_b_id=b).exists():
        return None
    return PersonLink.objects.create(person_a_id=a, person_b_id=b, kind=kind, **extra)


def full_cnic_links(people: QuerySet[Person] | None = None) -> int:
    """Link records that share a full CNIC (by keyed hash: nothing decrypted).
    A pair whose link a reviewer undid is not linked again."""
    full = Identifier.objects.filter(kind=IdentifierKind.CNIC, partial=False)
    shared = (
        full.values("value_hash")
        .annotate(n=Count("person", distinct=True))
        .filter(n__gt=1)
        .values("value_hash")
    )
    if people is not None:
        shared = shared.filter(value_hash__in=full.filter(person__in=people).values("value_hash"))
    groups: dict[str, list[int]] = defaultdict(list)
    for value_hash, person_id in full.filter(value_hash__in=shared).values_list(
        "value_hash", "person_id"
    ):
        groups[value_hash].append(person_id)
    undone = set(
        PersonLink.objects.filter(undone_at__isnull=False).values_list("person_a", "person_b")
    )
    made = 0
    for members in groups.values():
        first, *rest = sorted(set(members))
        for other in rest:
            if (first, other) not in undone and _link(first, other, LinkKind.FULL_CNIC):
                made += 1
    return made


# --- the run ----------------------------------------------------------------------------


def _quiet(fraction: float, message: Any) -> None:
    return None


def resolution_run(
    *, mode: str = ResolutionRun.Mode.FULL, job_id: str = "", progress: Progress | None = None
) -> ResolutionRun:
    """Match the registry (full) or the people added since the last run
    (incremental, with the last full run's model). Audited with counts only."""
    report = progress or _quiet
    last = ResolutionRun.objects.filter(finished_at__isnull=False).exclude(model_json="").first()
    if mode == ResolutionRun.Mode.INCREMENTAL and last is None:
        mode = ResolutionRun.Mode.FULL
    run = ResolutionRun.objects.create(mode=mode, job_id=job_id)
    since = last.newest_person if last is not None and mode == run.Mode.INCREMENTAL else 0
    new_people = Person.objects.filter(pk__gt=since)
    run.newest_person = max(new_people.order_by("-pk").values_list("pk", flat=True)[:1] or [since])
    report(0.05, _("Linking records with the same full CNIC."))
    run.links_new = full_cnic_links(new_people if since else None)
    report(0.1, _("Reading the records."))
    records = list(records_of(Person.objects.all()))
    run.people = len(records)
    result = score(
        records,
        threshold_weight=min_weight(),
        new_ids=set(new_people.values_list("pk", flat=True)) if since else None,
        model_json=last.model_json if since and last is not None else "",
        spill_dir=getattr(settings, "PEOPLE_RESOLUTION_SPILL_DIR", None),
        memory_limit=getattr(settings, "PEOPLE_RESOLUTION_MEMORY", "4GB"),
        progress=report,
    )
    del records
    report(0.9, _("Recording the pairs to review."))
    run.pairs_scored, run.trained = len(result.pairs), result.trained
    run.model_json = result.model_json if not since else last.model_json if last else ""
    run.candidates_new = candidates_record(result.pairs, run=run)
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        target=run,
        reason=f"matching run: {run.people} people, {run.links_new} CNIC links, "
        f"{run.candidates_new} new candidates",
    )
    return run


def candidates_record(pairs: Iterable[Scored], *, run: ResolutionRun | None = None) -> int:
    """New candidates for pairs not already decided, listed, or in one identity."""
    pairs = list(pairs)
    existing = set(
        MatchCandidate.objects.filter(
            person_a__in={p.left for p in pairs}, person_b__in={p.right for p in pairs}
        ).values_list("person_a", "person_b")
    )
    links = set(active_links().values_list("person_a", "person_b"))
    rows = [
        MatchCandidate(
            person_a_id=p.left,
            person_b_id=p.right,
            match_weight=round(p.match_weight, 3),
            match_probability=round(p.match_probability, 6),
            evidence=p.evidence,
            run=run,
        )
        for p in pairs
        if (p.left, p.right) not in existing and (p.left, p.right) not in links
    ]
    MatchCandidate.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


# --- review -----------------------------------------------------------------------------

DECISIONS = (MatchStatus.ACCEPTED, MatchStatus.REJECTED, MatchStatus.UNSURE)


@transaction.atomic
def candidate_decide(
    *, candidate: MatchCandidate, status: str, by: Any, note: str = ""
) -> MatchCandidate:
    """Accept (link the two records), reject or mark not sure. Deciding again
    first undoes the earlier decision, so the history is complete."""
    if status not in DECISIONS:
        raise MatchError(_("That decision is not known."))
    candidate = MatchCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == status:
        return candidate
    if candidate.status == MatchStatus.ACCEPTED:
        _unlink(candidate, by)
    previous = candidate.status
    candidate.status, candidate.decided_by, candidate.decided_at = status, by, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    if status == MatchStatus.ACCEPTED:
        _link(
            candidate.person_a_id,
            candidate.person_b_id,
            LinkKind.REVIEWED,
            candidate=candidate,
            created_by=by,
        )
    _decided(candidate, previous, by, note)
    return candidate


@transaction.atomic
def candidate_undo(*, candidate: MatchCandidate, by: Any, note: str = "") -> MatchCandidate:
    """Back to review; an accepted pair's link ends (kept as history)."""
    candidate = MatchCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == MatchStatus.PENDING:
        raise MatchError(_("This pair has not been decided yet."))
    if candidate.status == MatchStatus.ACCEPTED:
        _unlink(candidate, by)
    previous = candidate.status
    candidate.status, candidate.decided_by, candidate.decided_at = MatchStatus.PENDING, None, None
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    _decided(candidate, previous, by, note)
    return candidate


@transaction.atomic
def link_undo(*, link: PersonLink, by: Any) -> PersonLink:
    """End any link (also a full-CNIC one): the records are separate again."""
    link = PersonLink.objects.select_for_update().get(pk=link.pk)
    if link.undone_at is None:
        link.undone_at, link.undone_by = timezone.now(), by
        link.save(update_fields=["undone_at", "undone_by"])
        audit_record(actor=by, action=AuditAction.UPDATE, target=link, reason="link undone")
    return link


def _unlink(candidate: MatchCandidate, by: Any) -> None:
    for link in active_links().filter(
        person_a_id=candidate.person_a_id, person_b_id=candidate.person_b_id
    ):
        link_undo(link=link, by=by)


def _decided(candidate: MatchCandidate, previous: str, by: Any, note: str) -> None:
    MatchDecision.objects.create(
        candidate=candidate, status=candidate.status, previous=previous, note=note.strip(), by=by
    )
    for person in (candidate.person_a, candidate.person_b):
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=candidate,
            area_code=person.source_district.code,
            reason=f"match {previous} -> {candidate.status}",
        )


# --- hit / no hit across districts --------------------------------------------------------


def known_elsewhere(
    *, user: Any, district: Any, found: Iterable[int], visible: QuerySet[Person]
) -> list[Any]:
    """Districts other than `district` holding a record of the people found
    (by identifier anywhere, or linked to one found) that the user may not
    see: the search says "known in <district>" and nothing more. Audited on
    both sides: the searcher's district, and each record's own district."""
    from ahtc.core.audit import audit_records
    from ahtc.geography.models import Area

    ids = identities_of(found)
    hidden = (
        Person.objects.filter(pk__in=ids)
        .exclude(source_district=district)
        .exclude(pk__in=visible.values("pk"))
        .select_related("source_district")
    )
    people = list(hidden)
    if not people:
        return []
    areas = sorted({p.source_district_id for p in people})
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        object_type="people.person",
        area_code=district.code,
        reason="hit/no-hit: known in other districts",
        items=[p.source_district.code for p in people],  # kept whole, never cut
    )
    audit_records(
        actor=user,
        action=AuditAction.VIEW,
        targets=[(p, p.source_district.code) for p in people],
        reason=f"hit/no-hit: searched from {district.code}",
    )
    return list(Area.objects.filter(pk__in=areas).order_by("name_en"))
