"""The service directory: which organisations give which services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.victims.models import ProviderProfile, ServiceType
from ahtc.victims.services.base import VictimError

# Kinds of organisation that may be listed in the service directory.
PROVIDER_KINDS = {
    OrganisationKind.CHILD_PROTECTION,
    OrganisationKind.SOCIAL_WELFARE,
    OrganisationKind.HEALTH,
    OrganisationKind.EDUCATION,
    OrganisationKind.LABOUR,
    OrganisationKind.EOBI,
    OrganisationKind.NGO,
}


@transaction.atomic
def provider_profile_save(
    *,
    organisation: Organisation,
    by: Any,
    services: Iterable[str],
    address: str = "",
    contact_person: str = "",
    hours: str = "",
    accepts_children: bool = True,
) -> ProviderProfile:
    chosen = sorted(set(services))
    if set(chosen) - set(ServiceType.values):
        raise VictimError(_("Unknown service."))
    if organisation.kind not in PROVIDER_KINDS:
        raise VictimError(_("Only a service-giving organisation can be listed."))
    profile, _created = ProviderProfile.objects.update_or_create(
        organisation=organisation,
        defaults={
            "services": chosen,
            "address": address.strip(),
            "contact_person": contact_person.strip(),
            "hours": hours.strip(),
            "accepts_children": accepts_children,
        },
    )
    audit_record(
        actor=by, action=AuditAction.UPDATE, target=organisation, reason="provider profile saved"
    )
    return profile
