"""What every onboarded district starts with (the Punjab model's defaults).

Partner organisations are named from the district's names; the helplines are
the country-wide public numbers (each province adds its own, e.g. Punjab's
child-protection 1121, from the workspace's content pages). The starter help
pages are written once per province and shown in each of its districts; staff
edit them afterwards like any other page.
"""

from __future__ import annotations

from dataclasses import dataclass

from ahtc.accounts.models import OrganisationKind as K
from ahtc.portal.models import ContentKind, HelplineKind


@dataclass(frozen=True)
class PartnerTemplate:
    kind: str
    name_en: str  # "{district}" is replaced by the district's English name
    name_ur: str  # "{district}" is replaced by the district's Urdu name


CELL = PartnerTemplate(
    K.POLICE_AHTC, "Anti-Human Trafficking Cell, {district}", "اینٹی ہیومن ٹریفکنگ سیل، {district}"
)
COMMITTEE = PartnerTemplate(
    "committee", "District Vigilance Committee, {district}", "ڈسٹرکٹ ویجیلنس کمیٹی، {district}"
)
# The usual district partners of a cell (seed-facts: Labour, Child Protection,
# Social Welfare, Prosecution; health and education take referrals of victims).
DISTRICT_PARTNERS = [
    PartnerTemplate(K.LABOUR, "Labour Department, {district}", "محکمہ محنت، {district}"),
    PartnerTemplate(
        K.CHILD_PROTECTION,
        "Child Protection Bureau, {district}",
        "چائلڈ پروٹیکشن اینڈ ویلفیئر بیورو، {district}",
    ),
    PartnerTemplate(
        K.SOCIAL_WELFARE, "Social Welfare Department, {district}", "محکمہ سماجی بہبود، {district}"
    ),
    PartnerTemplate(
        K.PROSECUTION,
        "District Public Prosecutor, {district}",
        "ڈسٹرکٹ پبلک پراسیکیوٹر، {district}",
    ),
    PartnerTemplate(
        K.HEALTH, "District Health Authority, {district}", "ڈسٹرکٹ ہیلتھ اتھارٹی، {district}"
    ),
    PartnerTemplate(
        K.EDUCATION,
        "District Education Authority, {district}",
        "ڈسٹرکٹ ایجوکیشن اتھارٹی، {district}",
    ),
]
# One FIA circle usually covers several districts: onboarding links an active
# circle whose area contains the district (or that lists it among the areas it
# serves) and creates one for the division only when there is none.
FIA_CIRCLE = PartnerTemplate(K.FIA, "FIA {district} Circle", "ایف آئی اے {district} سرکل")

# Country-wide public numbers, shown in every district of the province.
PROVINCE_HELPLINES: list[tuple[HelplineKind, str, str, str, int]] = [
    (HelplineKind.POLICE, "Police emergency", "پولیس ایمرجنسی", "15", 1),
    (HelplineKind.RESCUE, "Rescue and ambulance", "ریسکیو اور ایمبولینس", "1122", 2),
    (HelplineKind.FIA, "FIA helpline", "ایف آئی اے ہیلپ لائن", "111-345-786", 4),
]

STARTER_PAGES: list[tuple[str, ContentKind, str, str, str, str]] = [
    (
        "safe-migration",
        ContentKind.SAFE_MIGRATION,
        "Going abroad for work: check before you pay",
        "کام کے لیے بیرونِ ملک: پیسے دینے سے پہلے تصدیق کریں",
        "Only licensed overseas employment promoters may recruit workers for jobs abroad. Ask the agent for the licence number and check it with the Bureau of Emigration and Overseas Employment before you pay anything.\n\n"
        "A legal job abroad comes with a written job offer, a work visa (not a visit visa) and registration with the Protector of Emigrants. Never travel on a visit visa to look for work, and never accept a route through Iran, Turkey or Libya: people on these routes are kidnapped for ransom and many drown at sea.\n\n"
        "Ask for a receipt for every payment. If an agent takes money and disappears, report it here without your name.",
        "بیرونِ ملک ملازمت کے لیے صرف لائسنس یافتہ اوورسیز ایمپلائمنٹ پروموٹر (او ای پی) ہی بھرتی کر سکتے ہیں۔ کوئی بھی رقم دینے سے پہلے ایجنٹ سے لائسنس نمبر مانگیں اور بیورو آف ایمیگریشن اینڈ اوورسیز ایمپلائمنٹ سے اس کی تصدیق کریں۔\n\n"
        "قانونی ملازمت کے ساتھ تحریری آفر، ورک ویزا (وزٹ ویزا نہیں) اور پروٹیکٹر آف ایمیگرنٹس کے پاس اندراج («پروٹیکٹر لگوانا») ہوتا ہے۔ کام ڈھونڈنے کے لیے کبھی وزٹ ویزا پر سفر نہ کریں، اور ایران، ترکی یا لیبیا کے غیر قانونی راستے (ڈنکی) سے کبھی نہ جائیں: ان راستوں پر لوگوں کو اغوا کر کے تاوان کے لیے یرغمال بنایا جاتا ہے اور بہت سے سمندر میں ڈوب جاتے ہیں۔\n\n"
        "ہر ادائیگی کی رسید لیں۔ اگر کوئی ایجنٹ پیسے لے کر غائب ہو جائے تو یہاں اپنا نام بتائے بغیر رپورٹ کریں۔",
    ),
    (
        "signs-of-trafficking",
        ContentKind.SIGNS,
        "Signs that someone may be trafficked",
        "انسانی تجارت کی نشانیاں",
        "Someone cannot leave their work or home, or is always watched.\n\n"
        "Their passport or identity card is kept by an employer or agent.\n\n"
        "They work to repay a debt that never gets smaller, or are paid nothing.\n\n"
        "A child works long hours instead of going to school.",
        "کوئی شخص اپنے کام یا گھر سے جا نہیں سکتا، یا ہر وقت اس پر نظر رکھی جاتی ہے۔\n\n"
        "اس کا پاسپورٹ یا شناختی کارڈ مالک یا ایجنٹ نے رکھ لیا ہے۔\n\n"
        "وہ ایسا قرض اتارنے کے لیے کام کرتا ہے جو کبھی کم نہیں ہوتا، یا اسے کوئی اجرت نہیں ملتی۔\n\n"
        "کوئی بچہ اسکول جانے کے بجائے کئی کئی گھنٹے کام کرتا ہے۔",
    ),
    (
        "kiln-workers-rights",
        ContentKind.RIGHTS,
        "Brick kiln workers: your rights",
        "بھٹہ مزدور: آپ کے حقوق",
        "Bonded labour is abolished in Pakistan: no one may force you to work to repay an advance (peshgi), and such debts are cancelled by law.\n\n"
        "You must be paid at least the minimum wage notified by the Punjab government. Ask for a written contract and for registration with EOBI and social security.\n\n"
        "Children must not work at kilns; they belong in school.",
        "پاکستان میں قرض (پیشگی) کے بدلے جبری مشقت قانوناً ختم کر دی گئی ہے: کوئی آپ کو پیشگی اتارنے کے لیے کام پر مجبور نہیں کر سکتا، اور قانون کے تحت ایسے قرض ختم ہو چکے ہیں۔\n\n"
        "آپ کو کم از کم وہ اجرت ملنی چاہیے جو حکومتِ پنجاب نے مقرر کی ہے۔ تحریری معاہدہ مانگیں اور ای او بی آئی اور سوشل سکیورٹی میں اندراج کروائیں۔\n\n"
        "بچوں کو بھٹوں پر کام نہیں کرنا چاہیے؛ ان کی جگہ اسکول ہے۔",
    ),
]
