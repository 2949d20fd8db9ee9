"""The watchlist: add, remove, and alert the owning officer when a watched
person appears in a new record anywhere in the province.

Matching (no text is read):
- a new case party, agency staff member or victim record is about a person
  record; it matches an entry when that record belongs to the entry's
  identity (people.matches.identities_of), or shares a full CNIC or a phone
  with it (the identifiers' keyed hashes);
- a new citizen report matches by the keyed hashes of the phone numbers in
  it (portal.duplicates.indicators_recorded), compared with the entry's
  `WatchlistIndicator`s.

Each match is one `WatchlistAlert` per entry and record (a second save of
the same record adds nothing) and one notification to the owner: "A
watchlisted person appears in a new record", a count and a link to the
alerts list. The list says where ("seen in Gujrat") and opens the record
only if the owner may open it (hit / no hit, DESIGN.md).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases.models import Party
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.intelligence.models import (
    AlertSource,
    WatchlistAlert,
    WatchlistEntry,
    WatchlistIndicator,
)
from ahtc.people.matches import identities_of
from ahtc.people.models import Identifier, IdentifierKind, Person


class WatchError(ValueError):
    """A watchlist change that cannot be made; the message is for the user."""


def _strong_identifiers() -> Q:
    return Q(kind=IdentifierKind.PHONE) | Q(kind=IdentifierKind.CNIC, partial=False)


def related_people(
    person_ids: set[int], *, ignore_link: int | None = None, ignore_identifier: int | None = None
) -> dict[int, str]:
    """People who are these (same identity) or share a full CNIC or a phone
    with them, by keyed hash, and how each was found. The `ignore_*`
    arguments answer as if that link or identifier did not exist yet."""
    found = dict.fromkeys(identities_of(person_ids, ignore_link=ignore_link), "identity")
    strong = Identifier.objects.filter(_strong_identifiers())
    if ignore_identifier:
        strong = strong.exclude(pk=ignore_identifier)
    own = strong.filter(person__in=list(found))
    for person_id, kind in strong.filter(value_hash__in=own.values("value_hash")).values_list(
        "person_id", "kind"
    ):
        found.setdefault(person_id, kind)
    return found


def indicators_refresh(entry: WatchlistEntry) -> None:
    """Hash the identity's phones like report indicators (decrypted in memory only)."""
    from ahtc.portal.duplicates import indicators_from

    hashes: set[str] = set()
    people = identities_of({entry.person_id})
    for identifier in Identifier.objects.filter(person__in=people, kind=IdentifierKind.PHONE):
        hashes |= {v for kind, v in indicators_from(identifier.value) if kind == "phone"}
    WatchlistIndicator.objects.filter(entry=entry).delete()
    WatchlistIndicator.objects.bulk_create(
        [WatchlistIndicator(entry=entry, value_hash=v) for v in sorted(hashes)]
    )


@transaction.atomic
def watchlist_add(
    *,
    person: Person,
    district: Area,
    by: User,
    owner: User,
    reason: str,
    undertakings: str = "",
) -> WatchlistEntry:
    if not reason.strip():
        raise WatchError(_("Say why this person is watched."))
    if not user_scope(by).permits(Perm.MANAGE_CASES, district):
        raise WatchError(_("You may add to the watchlist only in your own districts."))
    scope = user_scope(owner)
    if not (
        scope.permits(Perm.MANAGE_CASES, district) or scope.permits(Perm.INVESTIGATE, district)
    ):
        raise WatchError(_("The owning officer must work on cases in this district."))
    if WatchlistEntry.objects.filter(person=person, active=True).exists():
        raise WatchError(_("This person is already on the watchlist."))
    try:
        with transaction.atomic():
            entry = WatchlistEntry.objects.create(
                person=person,
                district=district,
                reason=reason.strip(),
                undertakings=undertakings.strip(),
                owner=owner,
                added_by=by,
            )
    except IntegrityError as exc:  # added by someone else a moment ago
        raise WatchError(_("This person is already on the watchlist.")) from exc
    entry.warnings.set(_warned_parties(person, by))
    indicators_refresh(entry)
    audit_record(actor=by, action=AuditAction.CREATE, target=entry, area_code=district.code)
    return entry


def _warned_parties(person: Person, by: User) -> QuerySet[Party]:
    """Where this person (any record of the identity) was questioned and
    warned, in the cases the adder may open."""
    from ahtc.cases.selectors import cases_for_user

    return Party.objects.filter(
        person__in=identities_of({person.pk}),
        questioned_and_warned=True,
        case__in=cases_for_user(by),
    )


@transaction.atomic
def watchlist_remove(*, entry: WatchlistEntry, by: User, reason: str) -> WatchlistEntry:
    if not reason.strip():
        raise WatchError(_("Say why this person is taken off the watchlist."))
    if not user_scope(by).permits(Perm.MANAGE_CASES, entry.district) and entry.owner_id != by.pk:
        raise WatchError(_("Only the owning officer or the district's cell may remove this."))
    entry = WatchlistEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.active:
        return entry
    entry.active, entry.removed_at, entry.removed_by = False, timezone.now(), by
    entry.removal_reason = reason.strip()
    entry.save(update_fields=["active", "removed_at", "removed_by", "removal_reason", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=entry,
        area_code=entry.district.code,
        reason="removed from the watchlist",
    )
    return entry


# --- alerts -------------------------------------------------------------------------------


def _raise(entries: dict[int, str], *, source: str, record_id: int, district: Area) -> int:
    """One alert per entry for this record, and one notification per new alert."""
    from ahtc.notifications.models import NotificationKind
    from ahtc.notifications.services import notify

    made = 0
    for entry in WatchlistEntry.objects.filter(pk__in=list(entries)).select_related("owner"):
        alert, created = WatchlistAlert.objects.get_or_create(
            entry=entry,
            source=source,
            record_id=record_id,
            defaults={"district": district, "matched_by": entries[entry.pk]},
        )
        if not created:
            continue
        made += 1
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            target=alert,
            area_code=district.code,
            reason=f"watchlist alert for {entry.district.code}",
        )
        notify(
            kind=NotificationKind.WATCHLIST,
            recipients=[entry.owner],
            link=reverse("cell:intelligence:alerts"),
        )
    return made


def watch_person_seen(*, person_id: int, source: str, record_id: int, district: Area) -> int:
    """A record about this person was added: alert the entries it matches."""
    related = related_people({person_id})
    entries: dict[int, str] = {}
    for pk, watched in WatchlistEntry.objects.filter(
        active=True, person__in=list(related)
    ).values_list("pk", "person_id"):
        entries[pk] = related[watched]
    if not entries:
        return 0
    return _raise(entries, source=source, record_id=record_id, district=district)


def watch_report_seen(*, tip_id: int, hashes: set[str], district: Area) -> int:
    """A new citizen report names these phones (keyed hashes)."""
    entries = dict.fromkeys(
        WatchlistIndicator.objects.filter(value_hash__in=hashes, entry__active=True).values_list(
            "entry_id", flat=True
        ),
        "phone",
    )
    if not entries:
        return 0
    return _raise(entries, source=AlertSource.REPORT, record_id=tip_id, district=district)


# --- later links: a watched identity grows ------------------------------------------------


def watch_identity_grew(
    *, person_ids: set[int], link_id: int | None = None, identifier_id: int | None = None
) -> int:
    """A link between records (a reviewer accepted a match, or a full CNIC
    agreed) or a phone or full CNIC added to a record may relate a watched
    person to records that already exist. Alert their owners for those
    records, as if each were new, and for reports naming a phone the
    identity gained; records related before the change raise nothing again."""
    active = WatchlistEntry.objects.filter(active=True)
    if not active.exists():
        return 0
    reach = identities_of(set(related_people(person_ids)))
    made = 0
    for entry in active.filter(person__in=reach):
        after = related_people({entry.person_id})
        before = related_people(
            {entry.person_id}, ignore_link=link_id, ignore_identifier=identifier_id
        )
        gained = {pk: how for pk, how in after.items() if pk not in before}
        made += _existing_records_alert(entry, gained) + _existing_reports_alert(entry)
    return made


def _existing_records_alert(entry: WatchlistEntry, people: dict[int, str]) -> int:
    from ahtc.agencies.models import AgencyPerson
    from ahtc.victims.models import ProtectionRecord

    if not people:
        return 0
    found: list[tuple[str, int, int, int]] = []
    for source, model, district in (
        (AlertSource.CASE_PARTY, Party, "case__district"),
        (AlertSource.AGENCY_STAFF, AgencyPerson, "agency__district"),
        (AlertSource.VICTIM_RECORD, ProtectionRecord, "district"),
    ):
        rows = model.objects.filter(person__in=list(people)).values_list("pk", "person", district)
        found += [(source, pk, person, area) for pk, person, area in rows]
    areas = Area.objects.in_bulk({area for *_, area in found})
    return sum(
        _raise({entry.pk: people[person]}, source=source, record_id=pk, district=areas[area])
        for source, pk, person, area in found
    )


def _existing_reports_alert(entry: WatchlistEntry) -> int:
    """Citizen reports naming a phone the watched identity did not have before."""
    from ahtc.portal.models import IndicatorKind, TipIndicator

    before = set(entry.indicators.values_list("value_hash", flat=True))
    indicators_refresh(entry)
    gained = set(entry.indicators.values_list("value_hash", flat=True)) - before
    if not gained:
        return 0
    rows = set(
        TipIndicator.objects.filter(kind=IndicatorKind.PHONE, value_hash__in=gained).values_list(
            "tip", "tip__district"
        )
    )
    areas = Area.objects.in_bulk({area for _tip, area in rows})
    return sum(
        _raise({entry.pk: "phone"}, source=AlertSource.REPORT, record_id=tip, district=areas[area])
        for tip, area in sorted(rows)
    )
