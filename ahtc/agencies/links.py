"""Links from cases and citizen reports to agencies, kept in this app's tables.

A case party of role broker / travel agent (or recruiter) is linked to the
agency it is, optionally naming the member of staff; a citizen report about
a fake agent, a route abroad or a missing migrant is linked as a complaint.
The caller checks that the user may see the case or the report (the cases'
and portal's own access functions); these functions check the rest.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.agencies.models import Agency, AgencyParty, AgencyPerson, AgencyReport, LinkMethod
from ahtc.agencies.names import name_key
from ahtc.agencies.services import AgencyError, audit
from ahtc.cases.models import Party, PartyRole
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.portal.models import Tip, TipCategory

AGENT_ROLES = frozenset({PartyRole.BROKER, PartyRole.RECRUITER})
REPORT_CATEGORIES = frozenset(
    {TipCategory.FAKE_AGENT, TipCategory.MISSING_ABROAD, TipCategory.HELD_FOR_RANSOM}
)


@transaction.atomic
def agency_party_link(
    *,
    agency: Agency,
    party: Party,
    by: User | None,
    staff: AgencyPerson | None = None,
    method: str = LinkMethod.MANUAL,
) -> AgencyParty:
    if party.role not in AGENT_ROLES:
        raise AgencyError(_("Only a broker, travel agent or recruiter in a case can be linked."))
    if staff is not None and staff.agency_id != agency.pk:
        raise AgencyError(_("That person is not of this agency."))
    if AgencyParty.objects.filter(party=party).exists():
        raise AgencyError(_("This party is already linked to an agency."))
    try:
        with transaction.atomic():
            link = AgencyParty.objects.create(
                agency=agency, party=party, staff=staff, method=method, linked_by=by
            )
    except IntegrityError as exc:
        raise AgencyError(_("This party is already linked to an agency.")) from exc
    audit(by, agency, f"linked to party {party.pk} of case {party.case_id}")
    return link


@transaction.atomic
def agency_report_link(
    *, agency: Agency, tip: Tip, by: User | None, method: str = LinkMethod.MANUAL
) -> AgencyReport:
    if tip.category not in REPORT_CATEGORIES:
        raise AgencyError(
            _("Only reports of fake agents, routes abroad or missing migrants can be linked.")
        )
    if AgencyReport.objects.filter(agency=agency, tip=tip).exists():
        raise AgencyError(_("This report is already linked to the agency."))
    link = AgencyReport.objects.create(agency=agency, tip=tip, method=method, linked_by=by)
    audit(by, agency, f"linked to report {tip.pk}")
    return link


@transaction.atomic
def agency_link_remove(*, link: AgencyParty | AgencyReport, by: User) -> None:
    agency = link.agency
    what = "party" if isinstance(link, AgencyParty) else "report"
    link.delete()
    audit(by, agency, f"{what} link removed")


def broker_parties_link(*, district: Area | None = None, by: Any = None) -> int:
    """Link every unlinked broker / travel agent party whose organisation name
    matches exactly one agency of the case's district (names.name_key). Runs
    after an import, in `ahtc agencies_link`, and in the data migration.
    Returns how many it linked."""
    agencies = Agency.objects.all()
    parties = Party.objects.filter(role=PartyRole.BROKER, agency_link__isnull=True).exclude(
        organisation_name=""
    )
    if district is not None:
        agencies = agencies.filter(district=district)
        parties = parties.filter(case__district=district)
    keys: dict[tuple[int, str], list[int]] = {}
    for pk, district_id, key in agencies.values_list("pk", "district_id", "name_key"):
        keys.setdefault((district_id, key), []).append(pk)
    rows = parties.values_list("pk", "case__district_id", "organisation_name")
    links = []
    for pk, district_id, name in rows.iterator():
        found = keys.get((district_id, name_key(name)), [])
        if len(found) == 1:
            links.append(AgencyParty(agency_id=found[0], party_id=pk, method=LinkMethod.MIGRATED))
    with transaction.atomic():
        AgencyParty.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
        if links:
            from ahtc.intelligence.graph_cache import graph_data_changed

            graph_data_changed()  # bulk_create sends no signals
            audit_record(
                actor=by,
                action=AuditAction.CREATE,
                object_type="agencies.agencyparty",
                area_code=district.code if district else "",
                reason=f"linked {len(links)} broker parties to agencies by name",
            )
    return len(links)
