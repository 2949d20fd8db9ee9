"""Public verification of agents: a plain answer from public facts only.

A citizen types an agency's name (Urdu, English or Roman Urdu, misspelt), a
licence number, the licence holder's name or the agency's office phone, and
gets, per agency found: licensed and valid / licence expired / under notice /
not licensed. Only these facts ever leave this module: the agency's names,
its licences (number, authority, validity, holder as printed on the licence),
the answer, its address and district. Never owners or staff recorded by the
cell, their phones, complaints, cases or inspections (tests look for them in
every answer).

Names are matched by sound keys (names.py): candidates sharing a key are
picked in the database (at most MAX_CANDIDATES), then ranked with difflib.
A staff member's name or phone finds nothing: who works where is not public.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ahtc.agencies.models import Agency, AgencyStatus, Licence, Phone, SearchKey
from ahtc.agencies.names import licence_key, search_keys, similarity
from ahtc.core.models import in_language
from ahtc.people import normalise

MAX_QUERY = 100
MAX_CANDIDATES = 50
MAX_RESULTS = 5
THRESHOLD = 0.72
PHONE_LIKE = re.compile(r"^[+\d\s\-()۰-۹٠-٩]{7,}$")


class Verdict:
    VALID = "licensed_valid"
    EXPIRED = "licence_expired"
    NOTICE = "under_notice"
    NOT_LICENSED = "not_licensed"


ANSWERS: dict[str, str | Promise] = {
    Verdict.VALID: _("Licensed, and the licence is valid today."),
    Verdict.EXPIRED: _("The licence has expired. Do not pay."),
    Verdict.NOTICE: _("Under notice from the authorities. Do not pay."),
    Verdict.NOT_LICENSED: _("Not licensed. Do not pay."),
}
MATCHED: dict[str, str | Promise] = {
    "name": _("name"),
    "former_name": _("former name"),
    "holder": _("licence holder"),
    "licence": _("licence number"),
    "phone": _("office phone"),
}
NOT_TRADING = frozenset({AgencyStatus.SEALED, AgencyStatus.UNDER_PROSECUTION, AgencyStatus.CLOSED})


@dataclass(frozen=True)
class PublicLicence:
    number: str
    authority: str
    holder: str
    valid_from: dt.date
    valid_to: dt.date
    valid: bool


@dataclass(frozen=True)
class PublicAgency:
    name_en: str
    name_ur: str
    verdict: str
    answer: str
    matched_by: str
    district: str
    tehsil: str
    address: str
    licences: list[PublicLicence] = field(default_factory=list)

    @property
    def safe(self) -> bool:
        return self.verdict == Verdict.VALID


def verdict_of(agency: Agency, licences: list[Licence], today: dt.date) -> str:
    if agency.status == AgencyStatus.NOTICE_SERVED:
        return Verdict.NOTICE
    unregistered = agency.status == AgencyStatus.UNREGISTERED and not licences
    if agency.status in NOT_TRADING or unregistered:
        return Verdict.NOT_LICENSED
    if any(lic.valid_on(today) for lic in licences):
        return Verdict.VALID
    return Verdict.EXPIRED if licences else Verdict.NOT_LICENSED


def _public(agency: Agency, matched: str, today: dt.date) -> PublicAgency:
    licences = list(agency.licences.all())
    verdict = verdict_of(agency, licences, today)
    return PublicAgency(
        name_en=agency.name_en,
        name_ur=agency.name_ur,
        verdict=verdict,
        answer=str(ANSWERS[verdict]),
        matched_by=str(MATCHED[matched]),
        district=in_language(en=agency.district.name_en, ur=agency.district.name_ur),
        tehsil=in_language(en=agency.tehsil.name_en, ur=agency.tehsil.name_ur)
        if agency.tehsil
        else "",
        address=agency.address,
        licences=[
            PublicLicence(
                number=lic.number,
                authority=str(lic.get_authority_display()),
                holder=lic.holder_name,
                valid_from=lic.valid_from,
                valid_to=lic.valid_to,
                valid=lic.valid_on(today),
            )
            for lic in licences
        ],
    )


def _base() -> QuerySet[Agency]:
    return Agency.objects.select_related("district", "tehsil").prefetch_related(
        Prefetch("licences", queryset=Licence.objects.order_by("-valid_to")), "former_names"
    )


def _by_phone(query: str) -> list[Agency]:
    if not PHONE_LIKE.match(query):
        return []
    try:
        number = normalise.phone(query).value
    except normalise.IdentifierError:
        return []
    ids = Phone.objects.filter(number=number).values("agency")
    return list(_base().filter(pk__in=ids)[:MAX_RESULTS])


def _by_licence(query: str) -> list[Agency]:
    key = licence_key(query)
    if len(key) < 3 or not any(c.isdigit() for c in key):
        return []
    ids = Licence.objects.filter(number_key=key).values("agency")
    return list(_base().filter(pk__in=ids)[:MAX_RESULTS])


def _names_of(agency: Agency) -> list[tuple[str, str]]:
    names = [("name", agency.name_en), ("name", agency.name_ur)]
    names += [("former_name", f.name) for f in agency.former_names.all()]
    names += [("holder", lic.holder_name) for lic in agency.licences.all()]
    return [(how, text) for how, text in names if text]


def _by_name(query: str) -> list[tuple[float, str, Agency]]:
    keys = search_keys(query)
    if not keys:
        return []
    shared = (
        SearchKey.objects.filter(key__in=sorted(keys))
        .values("agency")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency")[:MAX_CANDIDATES]
    )
    candidates = _base().filter(pk__in=[row["agency"] for row in shared])
    ranked = []
    for agency in candidates:
        score, how = max((similarity(query, text), how) for how, text in _names_of(agency))
        if score >= THRESHOLD:
            ranked.append((score, how, agency))
    return sorted(ranked, key=lambda r: (-r[0], r[2].name_en))[:MAX_RESULTS]


def verify(query: str, *, today: dt.date | None = None) -> list[PublicAgency]:
    """The public answer for what was typed: agencies found, best first."""
    query = query.strip()[:MAX_QUERY]
    if len(query) < 2:
        return []
    today = today or timezone.localdate()
    for finder, how in ((_by_phone, "phone"), (_by_licence, "licence")):
        found = finder(query)
        if found:
            return [_public(a, how, today) for a in found]
    return [_public(agency, how, today) for _score, how, agency in _by_name(query)]
