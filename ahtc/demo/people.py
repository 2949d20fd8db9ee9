"""Demo: agents and sub-agents who recur across Mandi Bahauddin, Gujrat,
Sialkot and Gujranwala under varied spellings (issue 15). Two networks, each
around a financier; the matching run then leaves pairs to review (and links
the two records that share a full CNIC). All names and numbers are synthetic.

Reviewers: dpo_mbdin decides the pairs inside Mandi Bahauddin and sees the
others as "known in <district>" only; a cell head for a division or an
administrator's new role would see both sides of cross-district pairs.
"""

from __future__ import annotations

from typing import Any

from ahtc.geography.models import Area
from ahtc.people.services import person_create

# (district, name, father's name, identifiers, age): one line per record.
RECORDS: list[tuple[str, str, str, dict[str, str], int | None]] = [
    # Network 1 (Phalia - Gujrat): financier and his sub-agents.
    ("PK620", "Ch. Muhammad Aslam Gondal", "Bashir Ahmad", {"phone": "0300-6100001"}, 52),
    ("PK610", "M. Aslam", "Bashir", {"phone": "+92 300 6100001"}, 53),
    ("PK609", "Mohammad Asalam Ch.", "Basheer", {"cnic": "34401-61000??-?"}, None),
    ("PK620", "Muhammad Aslam s/o Bashir, Phalia", "", {"cnic": "34401-6100001-1"}, 51),
    ("PK620", "Zahid Iqbal", "Nazir", {"phone": "0301-6100002"}, 34),
    ("PK610", "Zahid Ikbal Warraich", "Nazeer Ahmad", {"phone": "03016100002"}, 35),
    ("PK620", "Shahzad Akhtar", "Rafiq", {"phone": "0302-6100003"}, 29),
    ("PK610", "Shehzad Akhter", "Rafique", {}, 30),
    # Network 2 (Sialkot - Gujranwala): financier and his sub-agents.
    ("PK634", "Malik Tariq Mehmood", "Ghulam Hussain", {"cnic": "34603-6200001-3"}, 47),
    ("PK609", "Tarik Mahmood", "Gulam Husain", {"cnic": "3460362000013"}, 46),
    ("PK620", "Tariq Mehmood Malik", "Ghulam Hussain", {"phone": "0333-6200001"}, 48),
    ("PK634", "Rana Imran Yousaf", "Muhammad Yousaf", {"phone": "0345-6200002"}, 31),
    ("PK609", "Imraan Yusuf", "M. Yusuf", {"phone": "+923456200002"}, 32),
    ("PK620", "عمران یوسف", "محمد یوسف", {}, None),
    ("PK634", "Hafiz Usman Butt", "Abdul Rehman", {"phone": "0321-6200003"}, 27),
    ("PK610", "Osman Butt", "Abdul Rahman", {"phone": "0321 6200003"}, 27),
]


def build_people(ctx: Any) -> None:
    from ahtc.people.matches import resolution_run

    officer = ctx.users["officer_mbdin"]
    areas = {a.code: a for a in Area.objects.filter(code__in={r[0] for r in RECORDS})}
    for district, name, relative, identifiers, age in RECORDS:
        urdu = any("\u0600" <= c <= "\u06ff" for c in name)
        person_create(
            source_district=areas[district],
            by=officer,
            name_latin="" if urdu else name,
            name_urdu=name if urdu else "",
            relative_name=relative,
            sex="masculine",
            age_years=age,
            identifiers=identifiers,
        )
    resolution_run()
