"""Which agency investigates, and why, once the classification is known
(docs/classification.md, "Agency")."""

from __future__ import annotations

from ahtc.cases.classification.words import TRAFFICKING, Agency, AgencyReason, Classification


def agency_for(
    classification: str, *, border: bool, debt_bondage: bool
) -> tuple[Agency, AgencyReason]:
    """The suggested agency and its reason. `border`: the victim was moved into or
    out of Pakistan; `debt_bondage`: the debt-bondage rule (4) fired."""
    if classification in {Classification.SMUGGLING, Classification.SMUGGLING_TO_TRAFFICKING}:
        return Agency.FIA, AgencyReason.FIA_SMUGGLING
    if classification == Classification.EMIGRATION_FRAUD:
        return Agency.FIA, AgencyReason.FIA_EMIGRATION
    if classification in TRAFFICKING:
        if border:
            return Agency.FIA, AgencyReason.FIA_BORDER
        if debt_bondage:
            return Agency.POLICE_AND_LABOUR, AgencyReason.POLICE_LABOUR
        return Agency.POLICE, AgencyReason.POLICE_PTPA
    if classification == Classification.BONDED_LABOUR:
        return Agency.POLICE_AND_LABOUR, AgencyReason.POLICE_LABOUR
    if classification == Classification.LABOUR_VIOLATION:
        return Agency.LABOUR, AgencyReason.LABOUR
    if classification in {Classification.FORCED_MARRIAGE, Classification.KIDNAPPING}:
        return Agency.POLICE, AgencyReason.POLICE_PPC
    if border:
        return Agency.FIA, AgencyReason.FIA_BORDER
    return Agency.POLICE, AgencyReason.POLICE_REVIEW
