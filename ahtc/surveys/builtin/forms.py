"""The built-in instruments as data: questions and choice lists in English
and Urdu (Urdu terms from docs/urdu.md). Field names are stable: the
aggregates, the demo and the approval hooks read them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ahtc.surveys.models import Sensitivity

Choice = tuple[str, str, str]  # value, English, Urdu


@dataclass(frozen=True)
class Q:
    type: str
    name: str
    en: str = ""
    ur: str = ""
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_en: str = ""
    constraint_ur: str = ""
    calculation: str = ""
    hint_en: str = ""
    hint_ur: str = ""


@dataclass(frozen=True)
class Form:
    form_id: str
    title_en: str
    title_ur: str
    version: str
    sensitivity: str
    unit: str
    questions: list[Q]
    choices: dict[str, list[Choice]] = field(default_factory=dict)


YES_NO: list[Choice] = [("yes", "Yes", "ہاں"), ("no", "No", "نہیں")]
SEX: list[Choice] = [
    ("male", "Male", "مذکر"),
    ("female", "Female", "مؤنث"),
    ("transgender", "Transgender", "خواجہ سرا"),
]
CONSENT_OK = "${consent} = 'yes'"


def _where() -> list[Q]:
    return [
        Q("today", "today"),
        Q("date", "visit_date", "Date of the interview or visit", "انٹرویو یا دورے کی تاریخ", True),
        Q(
            "text",
            "tehsil",
            "Tehsil (name or code)",
            "تحصیل (نام یا کوڈ)",
            True,
        ),
    ]


def _consent() -> list[Q]:
    return [
        Q(
            "select_one yes_no",
            "consent",
            "Did the respondent agree to the interview after hearing its purpose?",
            "کیا جواب دہندہ نے مقصد سننے کے بعد انٹرویو کی رضامندی دی؟",
            True,
        ),
    ]


MIGRANT = Form(
    form_id="ahtc_returned_migrant",
    title_en="Returned irregular-migration victims: questionnaire",
    title_ur="غیر قانونی راستے سے واپس آنے والے متاثرین: سوالنامہ",
    version="2025.1",
    sensitivity=Sensitivity.SENSITIVE,
    unit="returned migrant",
    questions=[
        *_where(),
        *_consent(),
        Q(
            "integer",
            "age",
            "Age (years)",
            "عمر (سال)",
            relevant=CONSENT_OK,
            constraint=". >= 10 and . <= 90",
        ),
        Q("select_one sex", "sex", "Sex", "جنس", relevant=CONSENT_OK),
        Q(
            "select_one destination",
            "destination",
            "Country the respondent set out for",
            "جواب دہندہ کس ملک جانا چاہتا تھا",
            relevant=CONSENT_OK,
        ),
        Q(
            "select_one recruiter",
            "recruiter",
            "Who arranged the journey?",
            "سفر کا انتظام کس نے کیا؟",
            relevant=CONSENT_OK,
        ),
        Q("begin_repeat", "leg", "Stage of the journey", "سفر کا مرحلہ", relevant=CONSENT_OK),
        Q("text", "leg_from", "From", "کہاں سے"),
        Q("text", "leg_to", "To", "کہاں تک"),
        Q("select_one mode", "leg_mode", "How", "کیسے"),
        Q(
            "integer",
            "leg_paid",
            "Paid for this stage (rupees)",
            "اس مرحلے کے لیے ادائیگی (روپے)",
            constraint=". >= 0",
        ),
        Q("end_repeat", "leg"),
        Q("calculate", "total_paid", calculation="sum(${leg_paid})"),
        Q(
            "select_one yes_no",
            "detained",
            "Detained on the way?",
            "راستے میں حراست میں رکھا گیا؟",
            relevant=CONSENT_OK,
        ),
        Q(
            "select_one yes_no",
            "kidnapped",
            "Held for ransom on the way?",
            "راستے میں تاوان کے لیے یرغمال بنایا گیا؟",
            relevant=CONSENT_OK,
        ),
        Q(
            "integer",
            "ransom_paid",
            "Ransom paid (rupees)",
            "ادا کیا گیا تاوان (روپے)",
            relevant="${kidnapped} = 'yes'",
            constraint=". >= 0",
        ),
        Q(
            "integer",
            "deaths_witnessed",
            "Deaths witnessed on the way",
            "راستے میں دیکھی گئی اموات",
            relevant=CONSENT_OK,
            constraint=". >= 0",
        ),
        Q(
            "select_one return_how",
            "return_how",
            "How did the respondent come back?",
            "جواب دہندہ کیسے واپس آیا؟",
            relevant=CONSENT_OK,
        ),
        Q(
            "select_one yes_no",
            "case_consent",
            "Does the respondent agree that the cell opens a case against the agent?",
            "کیا جواب دہندہ رضامند ہے کہ سیل ایجنٹ کے خلاف کارروائی شروع کرے؟",
            relevant=CONSENT_OK,
        ),
    ],
    choices={
        "yes_no": YES_NO,
        "sex": SEX,
        "destination": [
            ("italy", "Italy", "اٹلی"),
            ("greece", "Greece", "یونان"),
            ("spain", "Spain", "اسپین"),
            ("turkey", "Turkey", "ترکی"),
            ("libya", "Libya", "لیبیا"),
            ("uae", "United Arab Emirates", "متحدہ عرب امارات"),
            ("other", "Other", "دیگر"),
        ],
        "recruiter": [
            ("local_agent", "Local agent", "مقامی ایجنٹ"),
            ("relative", "Relative or neighbour", "رشتہ دار یا ہمسایہ"),
            ("travel_agency", "Travel agency", "ٹریول ایجنسی"),
            (
                "licensed_oep",
                "Licensed recruiter (OEP)",
                "لائسنس یافتہ اوورسیز ایمپلائمنٹ پروموٹر (او ای پی)",
            ),
            ("other", "Other", "دیگر"),
        ],
        "mode": [
            ("air", "By air", "ہوائی جہاز"),
            ("road", "By road", "سڑک"),
            ("foot", "On foot", "پیدل"),
            ("sea", "By sea", "سمندر"),
        ],
        "return_how": [
            ("deported", "Deported", "ملک بدر"),
            ("voluntary", "Came back by choice", "اپنی مرضی سے"),
            ("assisted", "Assisted return (IOM)", "آئی او ایم کی مدد سے"),
            ("escaped", "Escaped", "فرار ہو کر"),
        ],
    },
)

ILO = [
    ("debt", "Debt bondage", "قرض (پیشگی) کے بدلے جبری مشقت"),
    ("wages_withheld", "Wages withheld", "اجرت روکی گئی"),
    ("movement", "Restriction of movement", "نقل و حرکت پر پابندی"),
    ("intimidation", "Intimidation and threats", "دھمکیاں"),
    ("isolation", "Isolation", "تنہا رکھنا"),
    ("documents", "Identity documents kept", "شناختی دستاویزات رکھ لی گئیں"),
    ("abusive_conditions", "Abusive working and living conditions", "بدسلوکی پر مبنی حالات"),
    ("overtime", "Excessive overtime", "حد سے زیادہ اوقاتِ کار"),
]

KILN = Form(
    form_id="ahtc_brick_kiln",
    title_en="Brick-kiln labour survey",
    title_ur="اینٹوں کے بھٹوں پر مزدوری کا سروے",
    version="2025.1",
    sensitivity=Sensitivity.ORDINARY,
    unit="kiln",
    questions=[
        *_where(),
        Q("text", "kiln_name", "Kiln (name or registration)", "بھٹہ (نام یا رجسٹریشن)", True),
        Q(
            "integer",
            "families",
            "Families working at the kiln",
            "بھٹے پر کام کرنے والے خاندان",
            constraint=". >= 0",
        ),
        Q(
            "integer",
            "notified_rate",
            "Notified wage per 1,000 bricks (rupees)",
            "فی ہزار اینٹ سرکاری اجرت (روپے)",
            constraint=". > 0",
        ),
        Q(
            "integer",
            "wage_paid",
            "Wage paid per 1,000 bricks (rupees)",
            "فی ہزار اینٹ ادا کی جانے والی اجرت (روپے)",
            constraint=". >= 0",
        ),
        Q(
            "calculate",
            "below_rate",
            calculation="if(${wage_paid} < ${notified_rate}, 'yes', 'no')",
        ),
        Q(
            "select_one yes_no",
            "written_contract",
            "Written contracts with workers?",
            "مزدوروں کے ساتھ تحریری معاہدے؟",
        ),
        Q(
            "select_one yes_no",
            "eobi",
            "Workers registered with EOBI?",
            "مزدور ای او بی آئی میں رجسٹرڈ؟",
        ),
        Q(
            "integer",
            "children_working",
            "Children seen working",
            "کام کرتے دیکھے گئے بچے",
            constraint=". >= 0",
        ),
        Q(
            "select_one yes_no",
            "movement_restricted",
            "Are workers stopped from leaving the kiln?",
            "کیا مزدوروں کو بھٹہ چھوڑنے سے روکا جاتا ہے؟",
        ),
        Q("begin_repeat", "family", "Family interviewed", "انٹرویو کیا گیا خاندان"),
        Q(
            "integer",
            "advance",
            "Advance (peshgi) owed (rupees)",
            "واجب الادا پیشگی (روپے)",
            constraint=". >= 0",
        ),
        Q(
            "select_one yes_no",
            "debt_bondage",
            "Working to pay off the advance, unable to leave?",
            "پیشگی اتارنے کے لیے کام پر مجبور، چھوڑ نہیں سکتے؟",
        ),
        Q(
            "select_one yes_no",
            "literate",
            "Can the head of the family read and write?",
            "کیا خاندان کا سربراہ لکھ پڑھ سکتا ہے؟",
        ),
        Q(
            "select_one yes_no",
            "knows_min_wage",
            "Knows the notified minimum wage?",
            "سرکاری کم از کم اجرت کا علم ہے؟",
        ),
        Q(
            "select_multiple ilo",
            "ilo",
            "ILO forced-labour indicators observed",
            "جبری مشقت کی علامات (آئی ایل او)",
        ),
        Q("end_repeat", "family"),
    ],
    choices={"yes_no": YES_NO, "ilo": ILO},
)

HAZARDS = [
    ("heat", "Heat, fire or kilns", "گرمی، آگ یا بھٹی"),
    ("heavy_loads", "Carrying heavy loads", "بھاری وزن اٹھانا"),
    ("machinery", "Machines or sharp tools", "مشینیں یا تیز اوزار"),
    ("chemicals", "Chemicals, fumes or dust", "کیمیکل، دھواں یا گرد"),
    ("electricity", "Live electrical work", "بجلی کا کام"),
    ("night_work", "Night work", "رات کا کام"),
    ("abuse", "Beating or verbal abuse", "مار پیٹ یا گالی گلوچ"),
    ("away_from_family", "Living at the workplace", "کام کی جگہ پر رہائش"),
]

WORKSHOP = Form(
    form_id="ahtc_workshop_children",
    title_en="Workshop child-labour survey",
    title_ur="ورکشاپوں میں بچوں سے مزدوری کا سروے",
    version="2025.1",
    # Children's names are recorded to act on them (a child-labour finding).
    sensitivity=Sensitivity.SENSITIVE,
    unit="workshop",
    questions=[
        *_where(),
        Q("text", "workshop_name", "Workshop (name and place)", "ورکشاپ (نام اور جگہ)", True),
        Q("select_one workshop_kind", "workshop_kind", "Kind of work", "کام کی نوعیت", True),
        Q("integer", "workers", "Workers in all", "کل کارکن", constraint=". >= 0"),
        Q(
            "select_one yes_no",
            "employer_knows_law",
            "Does the employer know the child-labour law?",
            "کیا مالک بچوں سے مزدوری کے قانون سے واقف ہے؟",
        ),
        Q("begin_repeat", "child", "Child found working", "کام کرتا ہوا بچہ"),
        Q("text", "child_name", "Child's name", "بچے کا نام", True),
        Q("select_one sex", "child_sex", "Sex", "جنس"),
        Q(
            "integer",
            "child_age",
            "Age (years)",
            "عمر (سال)",
            True,
            constraint=". >= 5 and . < 18",
            constraint_en="A child is under 18.",
            constraint_ur="بچہ 18 سال سے کم عمر ہوتا ہے۔",
        ),
        Q("select_one age_evidence", "age_evidence", "Evidence of age", "عمر کا ثبوت", True),
        Q(
            "integer",
            "hours",
            "Hours of work per day",
            "روزانہ کام کے گھنٹے",
            True,
            constraint=". >= 1 and . <= 24",
        ),
        Q("select_multiple hazard", "hazards", "Hazards", "خطرات"),
        Q("select_one schooling", "schooling", "Schooling", "تعلیم", True),
        Q("end_repeat", "child"),
    ],
    choices={
        "yes_no": YES_NO,
        "sex": SEX,
        "workshop_kind": [
            ("auto", "Auto repair", "گاڑیوں کی مرمت"),
            ("electrical", "Electrical", "بجلی کا کام"),
            ("manufacturing", "Manufacturing", "صنعت"),
            ("other", "Other", "دیگر"),
        ],
        "age_evidence": [
            ("documents", "Documents (B-form, school record)", "دستاویزات (ب فارم، اسکول ریکارڈ)"),
            ("appearance", "Appearance", "ظاہری حالت"),
            ("statement", "Statement of the child or family", "بچے یا خاندان کا بیان"),
        ],
        "hazard": HAZARDS,
        "schooling": [
            ("never_enrolled", "Never enrolled", "کبھی داخل نہیں ہوا"),
            ("dropped_out", "Dropped out", "اسکول چھوڑ دیا"),
            ("enrolled", "Enrolled", "اسکول میں داخل"),
        ],
    },
)


def _check(name: str, en: str, ur: str) -> Q:
    return Q("select_one yes_no", name, en, ur, True)


AGENCY = Form(
    form_id="ahtc_agency_inspection",
    title_en="Travel-agency inspection",
    title_ur="ٹریول ایجنسی کا معائنہ",
    version="2025.2",
    sensitivity=Sensitivity.ORDINARY,
    unit="agency",
    questions=[
        *_where(),
        Q("text", "agency_name", "Agency (name and address)", "ایجنسی (نام اور پتا)", True),
        Q("text", "licence_number", "Licence number, if any", "لائسنس نمبر، اگر ہو"),
        # The SOP for agencies: licence, staff list, advisory and fees shown (2025.2
        # added the fees: the registry's checklist has five items).
        _check("registered", "Registered or licensed?", "رجسٹرڈ یا لائسنس یافتہ؟"),
        _check("licence_displayed", "Licence displayed?", "لائسنس آویزاں؟"),
        _check("staff_list_displayed", "List of employees displayed?", "ملازمین کی فہرست آویزاں؟"),
        _check(
            "advisory_displayed",
            "Public advisory against fraud displayed?",
            "فراڈ سے بچاؤ کی عوامی ہدایت آویزاں؟",
        ),
        _check(
            "fee_schedule_displayed",
            "Schedule of fees displayed?",
            "فیسوں کا شیڈول آویزاں؟",
        ),
        _check("receipts_issued", "Receipts issued for payments?", "ادائیگیوں کی رسید دی جاتی ہے؟"),
        _check(
            "false_promises",
            "Visa or job promises that cannot be true?",
            "ویزا یا نوکری کے ناممکن وعدے؟",
        ),
        Q("select_one action", "action", "Action taken", "کی گئی کارروائی", True),
    ],
    choices={
        "yes_no": YES_NO,
        "action": [
            ("none", "None needed", "ضرورت نہیں"),
            ("advice", "Advice on the SOP", "ضابطہ کار پر رہنمائی"),
            ("notice", "Notice to register or stop", "رجسٹریشن یا کام بند کرنے کا نوٹس"),
            ("fia", "Referred to FIA", "ایف آئی اے کو بھیجا گیا"),
        ],
    },
)

TRANSGENDER = Form(
    form_id="ahtc_transgender_community",
    title_en="Transgender community vulnerability survey",
    title_ur="خواجہ سرا برادری کے خطرات کا سروے",
    version="2025.1",
    sensitivity=Sensitivity.HIGHEST,
    unit="person",
    questions=[
        *_where(),
        *_consent(),
        Q(
            "integer",
            "age",
            "Age (years)",
            "عمر (سال)",
            relevant=CONSENT_OK,
            constraint=". >= 12 and . <= 90",
        ),
        Q(
            "select_one livelihood",
            "livelihood",
            "Main livelihood",
            "روزگار کا بڑا ذریعہ",
            relevant=CONSENT_OK,
        ),
        Q(
            "select_one yes_no",
            "coerced",
            "Made to work, beg or dance against their will?",
            "مرضی کے خلاف کام، بھیک یا رقص پر مجبور کیا گیا؟",
            relevant=CONSENT_OK,
        ),
        Q(
            "select_one yes_no",
            "violence",
            "Violence in the last twelve months?",
            "پچھلے بارہ مہینوں میں تشدد؟",
            relevant=CONSENT_OK,
        ),
        Q(
            "select_one yes_no",
            "reported",
            "Reported it to the police?",
            "پولیس کو رپورٹ کیا؟",
            relevant="${violence} = 'yes'",
        ),
        Q(
            "select_one yes_no",
            "health_access",
            "Can get health care when needed?",
            "ضرورت پر علاج میسر ہے؟",
            relevant=CONSENT_OK,
        ),
        Q(
            "select_one yes_no",
            "medical_exam",
            "Agreed to a medical examination?",
            "طبی معائنے پر رضامند؟",
            relevant=CONSENT_OK,
        ),
        Q("select_multiple support", "support", "Support wanted", "درکار مدد", relevant=CONSENT_OK),
    ],
    choices={
        "yes_no": YES_NO,
        "livelihood": [
            ("dancing", "Dancing at functions", "تقریبات میں رقص"),
            ("begging", "Begging", "بھیک"),
            ("sex_work", "Sex work", "جسم فروشی"),
            ("skilled", "Skilled or salaried work", "ہنر مند یا تنخواہ دار کام"),
            ("none", "No income", "کوئی آمدن نہیں"),
        ],
        "support": [
            ("training", "Vocational training", "ہنر کی تربیت"),
            ("health", "Health care", "علاج"),
            ("legal", "Legal aid", "قانونی مدد"),
            ("cnic", "National identity card", "شناختی کارڈ"),
        ],
    },
)

BUILTIN: list[Form] = [MIGRANT, KILN, WORKSHOP, AGENCY, TRANSGENDER]
