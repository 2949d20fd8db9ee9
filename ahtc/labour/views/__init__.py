"""Labour pages, one module per stage: findings (and the education
authority's list), the registry, attendance after enrolment."""

from ahtc.labour.views.findings import (
    finding_create,
    finding_detail,
    finding_edit,
    finding_enrol,
    finding_list,
    finding_refer,
    finding_victim,
    finding_withdraw,
    schooling_enrol,
    schooling_list,
)
from ahtc.labour.views.registry import (
    kiln_create,
    kiln_detail,
    kiln_inspection,
    kiln_list,
    kiln_wage,
    survey,
    worker_handover,
    workshop_detail,
    workshop_list,
)
from ahtc.labour.views.schooling import finding_attendance, schooling_attendance

__all__ = [
    "finding_attendance",
    "finding_create",
    "finding_detail",
    "finding_edit",
    "finding_enrol",
    "finding_list",
    "finding_refer",
    "finding_victim",
    "finding_withdraw",
    "kiln_create",
    "kiln_detail",
    "kiln_inspection",
    "kiln_list",
    "kiln_wage",
    "schooling_attendance",
    "schooling_enrol",
    "schooling_list",
    "survey",
    "worker_handover",
    "workshop_detail",
    "workshop_list",
]
