"""People in the register without a case, for the province-scale run (scale.py).

A province's people register holds far more people than its cases name:
respondents of field surveys, workers listed at kilns, travel agencies' staff,
people searched for and entered before anything came of it. When `--people`
asks for more people than the cases name (at most OTHERS_PER_CASE others a
case besides the victims), the rest are made here: the same names, identifiers,
name tokens and audit rows as the case parties, spread over the districts and
the years like the reports.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from ahtc.demo.scale_cases import audit_person, name_tokens_save, new_person
from ahtc.people.models import Identifier, Person, Sex

if TYPE_CHECKING:
    from ahtc.demo.scale import ScaleRun
    from ahtc.demo.scale_rows import AuditWriter

REGISTRY_BATCH = 5_000
CHILD_SHARE = 0.08  # children among them (kiln families, survey households)
FEMALE_SHARE = 0.3


def people(run: ScaleRun, audit: AuditWriter) -> None:
    """Write run.sizes.registry people, in batches, each audited as
    person_create audits it."""
    from ahtc.demo.scale import apportion

    total = run.sizes.registry
    if not total:
        return
    rng = run.rng("registry")
    per_district = apportion(total, run.weights)
    districts = [d for d, count in enumerate(per_district) for _n in range(count)]
    rng.shuffle(districts)
    span = (run.now - run.start).total_seconds() - 3600
    for start in range(0, total, REGISTRY_BATCH):
        batch: list[tuple[Person, list[Identifier]]] = []
        for d in districts[start : start + REGISTRY_BATCH]:
            district = run.districts[d]
            child = rng.random() < CHILD_SHARE
            sex = Sex.FEMININE if rng.random() < FEMALE_SHARE else Sex.MASCULINE
            batch.append(
                new_person(
                    rng,
                    district.area,
                    sex=sex,
                    child=child,
                    ages=((6, 17), (18, 70)),
                    by=rng.choice(district.officers),
                    at=run.start + dt.timedelta(seconds=rng.random() * span),
                )
            )
        Person.objects.bulk_create([person for person, _i in batch])
        Identifier.objects.bulk_create([i for _p, identifiers in batch for i in identifiers])
        run.counts["name_tokens"] += name_tokens_save([person for person, _i in batch])
        for person, identifiers in batch:
            audit_person(audit, person, identifiers)
        run.counts["people"] += len(batch)
        run.counts["registry_people"] += len(batch)
        run.report(min(start + REGISTRY_BATCH, total), total, _("people in no case"))
