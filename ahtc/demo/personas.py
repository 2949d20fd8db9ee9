"""Demo organisations and one user per persona (synthetic, deterministic)."""

from __future__ import annotations

from dataclasses import dataclass

from ahtc.accounts.models import OrganisationKind as K
from ahtc.accounts.roles import Role

DEMO_PASSWORD = "ahtc-demo-2025"  # noqa: S105 - demo data only; refused in production

MBDIN, GUJRAT_DISTRICT, GUJRAT_DIVISION, PUNJAB = "PK620", "PK610", "PK6DV03", "PK6"


@dataclass(frozen=True)
class DemoOrg:
    key: str
    kind: K
    name_en: str
    name_ur: str
    area: str
    phone: str
    # Set up by onboarding the demo's districts (ahtc/onboarding): the demo
    # finds it by kind and area and only adds the phone; others it creates.
    onboarded: bool = False


@dataclass(frozen=True)
class DemoDistrict:
    """A district the demo onboards, as `ahtc districts onboard` would."""

    code: str
    head: str  # the first cell head's username
    head_name: str
    established: str
    live: str  # "" while not live
    cell_phone: str = ""


# Mandi Bahauddin's cell was set up in December 2024; the IG's circular of
# 20 Feb 2025 went to Gujranwala, Gujrat, Sialkot and Jhelum (seed-facts.md).
# Heads other than the two personas have not enrolled an authenticator yet:
# the demo prints their one-time enrolment codes.
DISTRICTS = [
    DemoDistrict(
        "PK620",
        "dpo_mbdin",
        "DPO Mandi Bahauddin (demo)",
        "2024-12-01",
        "2024-12-01",
        "0546-9200000",
    ),
    DemoDistrict(
        "PK610", "dpo_gujrat", "DPO Gujrat (demo)", "2025-02-25", "2025-03-01", "053-9260000"
    ),
    DemoDistrict("PK609", "head_pk609", "Cell head Gujranwala (demo)", "2025-02-26", "2025-03-15"),
    DemoDistrict("PK634", "head_pk634", "Cell head Sialkot (demo)", "2025-02-27", ""),
    DemoDistrict("PK613", "head_pk613", "Cell head Jhelum (demo)", "2025-03-10", ""),
]


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    org: str
    role: Role
    area: str
    what: str


ORGANISATIONS = [
    DemoOrg(
        "cell_mbdin",
        K.POLICE_AHTC,
        "Anti-Human Trafficking Cell, Mandi Bahauddin",
        "اینٹی ہیومن ٹریفکنگ سیل، منڈی بہاؤالدین",
        MBDIN,
        "0546-9200000",
        onboarded=True,
    ),
    DemoOrg(
        "cell_gujrat",
        K.POLICE_AHTC,
        "Anti-Human Trafficking Cell, Gujrat",
        "اینٹی ہیومن ٹریفکنگ سیل، گجرات",
        GUJRAT_DISTRICT,
        "053-9260000",
        onboarded=True,
    ),
    DemoOrg(
        "fia_gujrat",
        K.FIA,
        "FIA Gujrat Circle",
        "ایف آئی اے گجرات سرکل",
        GUJRAT_DIVISION,
        "053-9330000",
        onboarded=True,
    ),
    DemoOrg(
        "ib_gujrat",
        K.INTELLIGENCE_BUREAU,
        "Intelligence Bureau, Gujrat",
        "انٹیلی جنس بیورو، گجرات",
        GUJRAT_DIVISION,
        "",
    ),
    DemoOrg(
        "labour_mbdin",
        K.LABOUR,
        "Labour Department, Mandi Bahauddin",
        "محکمہ محنت، منڈی بہاؤالدین",
        MBDIN,
        "0546-9200010",
        onboarded=True,
    ),
    DemoOrg(
        "cpb_mbdin",
        K.CHILD_PROTECTION,
        "Child Protection Bureau, Mandi Bahauddin",
        "چائلڈ پروٹیکشن بیورو، منڈی بہاؤالدین",
        MBDIN,
        "1121",
        onboarded=True,
    ),
    DemoOrg(
        "swd_mbdin",
        K.SOCIAL_WELFARE,
        "Social Welfare Department, Mandi Bahauddin",
        "محکمہ سماجی بہبود، منڈی بہاؤالدین",
        MBDIN,
        "0546-9200020",
        onboarded=True,
    ),
    DemoOrg(
        "pros_mbdin",
        K.PROSECUTION,
        "District Public Prosecutor, Mandi Bahauddin",
        "ڈسٹرکٹ پبلک پراسیکیوٹر، منڈی بہاؤالدین",
        MBDIN,
        "0546-9200030",
        onboarded=True,
    ),
    DemoOrg(
        "committee_mbdin",
        K.COMMITTEE,
        "District Vigilance Committee, Mandi Bahauddin",
        "ڈسٹرکٹ ویجیلنس کمیٹی، منڈی بہاؤالدین",
        MBDIN,
        "",
        onboarded=True,
    ),
    DemoOrg(
        "ngo_mbdin",
        K.NGO,
        "Safe Migration Aid (demo NGO)",
        "محفوظ ہجرت امداد (نمونہ تنظیم)",
        MBDIN,
        "0546-9200040",
    ),
    DemoOrg(
        "dhq_mbdin",
        K.HEALTH,
        "DHQ Hospital, Mandi Bahauddin (demo)",
        "ڈی ایچ کیو ہسپتال، منڈی بہاؤالدین (نمونہ)",
        MBDIN,
        "0546-9200050",
    ),
    DemoOrg(
        "edu_mbdin",
        K.EDUCATION,
        "District Education Authority, Mandi Bahauddin (demo)",
        "ڈسٹرکٹ ایجوکیشن اتھارٹی، منڈی بہاؤالدین (نمونہ)",
        MBDIN,
        "0546-9200060",
        onboarded=True,
    ),
    DemoOrg(
        "shelter_mbdin",
        K.SOCIAL_WELFARE,
        "Dar-ul-Aman women's shelter, Mandi Bahauddin (demo)",
        "دارالامان، منڈی بہاؤالدین (نمونہ)",
        MBDIN,
        "0546-9200070",
    ),
    DemoOrg(
        "eobi_gujrat",
        K.EOBI,
        "EOBI Regional Office, Gujrat (demo)",
        "ای او بی آئی علاقائی دفتر، گجرات (نمونہ)",
        GUJRAT_DIVISION,
        "053-9330070",
    ),
    DemoOrg(
        "punjab_unit",
        K.POLICE_AHTC,
        "Punjab Police AHTC Monitoring Unit",
        "پنجاب پولیس اے ایچ ٹی سی نگرانی یونٹ",
        PUNJAB,
        "042-99210000",
    ),
    DemoOrg(
        "assembly",
        K.ASSEMBLY,
        "Provincial Assembly of Punjab Secretariat",
        "صوبائی اسمبلی پنجاب سیکرٹریٹ",
        PUNJAB,
        "",
    ),
]

PERSONAS = [
    Persona(
        "dpo_mbdin",
        "DPO Mandi Bahauddin (demo)",
        "cell_mbdin",
        Role.CELL_HEAD,
        MBDIN,
        "heads the cell; sees everything in the district",
    ),
    Persona(
        "officer_mbdin",
        "Cell Officer A (demo)",
        "cell_mbdin",
        Role.CELL_OFFICER,
        MBDIN,
        "triages reports and runs cases",
    ),
    Persona(
        "io_mbdin",
        "Investigating Officer B (demo)",
        "cell_mbdin",
        Role.INVESTIGATING_OFFICER,
        MBDIN,
        "investigates assigned cases",
    ),
    Persona(
        "analyst_mbdin",
        "Analyst C (demo)",
        "cell_mbdin",
        Role.ANALYST,
        MBDIN,
        "statistics and reports",
    ),
    Persona(
        "helpline_mbdin",
        "Call-taker D (demo)",
        "cell_mbdin",
        Role.HELPLINE,
        MBDIN,
        "records phone and walk-in reports",
    ),
    Persona(
        "dpo_gujrat",
        "DPO Gujrat (demo)",
        "cell_gujrat",
        Role.CELL_HEAD,
        GUJRAT_DISTRICT,
        "heads the Gujrat cell",
    ),
    Persona(
        "officer_gujrat",
        "Cell Officer E (demo)",
        "cell_gujrat",
        Role.CELL_OFFICER,
        GUJRAT_DISTRICT,
        "an officer of the neighbouring district",
    ),
    Persona(
        "fia_liaison",
        "FIA Inspector F (demo)",
        "fia_gujrat",
        Role.AGENCY_LIAISON,
        GUJRAT_DIVISION,
        "FIA: sees what is shared with FIA",
    ),
    Persona(
        "labour_liaison",
        "Labour Officer G (demo)",
        "labour_mbdin",
        Role.AGENCY_LIAISON,
        MBDIN,
        "Labour: kilns and workshops shared with it",
    ),
    Persona(
        "cpb_liaison",
        "Child Protection Officer H (demo)",
        "cpb_mbdin",
        Role.AGENCY_LIAISON,
        MBDIN,
        "Child Protection: referrals of children",
    ),
    Persona(
        "prosecutor_mbdin",
        "Prosecutor I (demo)",
        "pros_mbdin",
        Role.PROSECUTOR,
        MBDIN,
        "Prosecution: challans shared with it",
    ),
    Persona(
        "school_mbdin",
        "Education Officer M (demo)",
        "edu_mbdin",
        Role.AGENCY_LIAISON,
        MBDIN,
        "Education: school enrolment referrals",
    ),
    Persona(
        "hospital_mbdin",
        "Medical Officer N (demo)",
        "dhq_mbdin",
        Role.AGENCY_LIAISON,
        MBDIN,
        "Health: medical and psychological care referrals",
    ),
    Persona(
        "committee_mbdin",
        "Committee Member J (demo)",
        "committee_mbdin",
        Role.COMMITTEE_MEMBER,
        MBDIN,
        "district committee: aggregates",
    ),
    Persona(
        "provincial_monitor",
        "Provincial Monitor K (demo)",
        "punjab_unit",
        Role.PROVINCIAL_MONITOR,
        PUNJAB,
        "all of Punjab, aggregates only",
    ),
    Persona(
        "admin",
        "Administrator L (demo)",
        "punjab_unit",
        Role.ADMINISTRATOR,
        PUNJAB,
        "users, roles, reference data, audit",
    ),
]
