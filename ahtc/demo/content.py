"""Demo helplines and awareness pages, in Urdu and English.

Public numbers (15, 1122, 1121, the FIA helpline) are the well-known
province-wide ones; the cell's own number is a demo placeholder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ahtc.geography.models import Area
from ahtc.portal.models import ContentKind, ContentPage, Helpline, HelplineKind

if TYPE_CHECKING:
    from ahtc.demo.build import DemoContext

HELPLINES = [
    ("PK6", HelplineKind.POLICE, "Police emergency", "پولیس ایمرجنسی", "15", 1),
    ("PK6", HelplineKind.RESCUE, "Rescue and ambulance", "ریسکیو اور ایمبولینس", "1122", 2),
    (
        "PK6",
        HelplineKind.CHILD_PROTECTION,
        "Child Protection Bureau helpline",
        "چائلڈ پروٹیکشن بیورو ہیلپ لائن",
        "1121",
        3,
    ),
    ("PK6", HelplineKind.FIA, "FIA helpline", "ایف آئی اے ہیلپ لائن", "111-345-786", 4),
    (
        "PK620",
        HelplineKind.CELL,
        "Anti-Human Trafficking Cell, Mandi Bahauddin (demo number)",
        "انسدادِ انسانی اسمگلنگ سیل، منڈی بہاؤالدین (نمونہ نمبر)",
        "0546-9200000",
        5,
    ),
]

PAGES = [
    (
        "safe-migration",
        ContentKind.SAFE_MIGRATION,
        "Going abroad for work: check before you pay",
        "کام کے لیے بیرونِ ملک: پیسے دینے سے پہلے تصدیق کریں",
        "Only licensed overseas employment promoters may recruit workers for jobs abroad. Ask the agent for the licence number and check it with the Bureau of Emigration and Overseas Employment before you pay anything.\n\n"
        "A legal job abroad comes with a written job offer, a work visa (not a visit visa) and registration with the Protector of Emigrants. Never travel on a visit visa to look for work, and never accept a route through Iran, Turkey or Libya: people on these routes are kidnapped for ransom and many drown at sea.\n\n"
        "Ask for a receipt for every payment. If an agent takes money and disappears, report it here without your name.",
        "بیرونِ ملک ملازمت کے لیے صرف لائسنس یافتہ اوورسیز ایمپلائمنٹ پروموٹر ہی بھرتی کر سکتے ہیں۔ کوئی بھی رقم دینے سے پہلے ایجنٹ سے لائسنس نمبر مانگیں اور بیورو آف امیگریشن اینڈ اوورسیز ایمپلائمنٹ سے اس کی تصدیق کریں۔\n\n"
        "قانونی ملازمت کے ساتھ تحریری آفر، ورک ویزا (وزٹ ویزا نہیں) اور پروٹیکٹر آف امیگرنٹس کے پاس اندراج ہوتا ہے۔ کام ڈھونڈنے کے لیے کبھی وزٹ ویزا پر سفر نہ کریں، اور ایران، ترکی یا لیبیا کے راستے سے کبھی نہ جائیں: ان راستوں پر لوگوں کو تاوان کے لیے اغوا کیا جاتا ہے اور بہت سے سمندر میں ڈوب جاتے ہیں۔\n\n"
        "ہر ادائیگی کی رسید لیں۔ اگر کوئی ایجنٹ پیسے لے کر غائب ہو جائے تو یہاں اپنا نام بتائے بغیر رپورٹ کریں۔",
    ),
    (
        "signs-of-trafficking",
        ContentKind.SIGNS,
        "Signs that someone may be trafficked",
        "انسانی اسمگلنگ کی نشانیاں",
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
        "پاکستان میں جبری مشقت ختم کر دی گئی ہے: کوئی آپ کو پیشگی اتارنے کے لیے کام پر مجبور نہیں کر سکتا، اور قانون کے تحت ایسے قرض ختم ہو چکے ہیں۔\n\n"
        "آپ کو کم از کم وہ اجرت ملنی چاہیے جو حکومتِ پنجاب نے مقرر کی ہے۔ تحریری معاہدہ مانگیں اور ای او بی آئی اور سوشل سکیورٹی میں اندراج کروائیں۔\n\n"
        "بچوں کو بھٹوں پر کام نہیں کرنا چاہیے؛ ان کی جگہ اسکول ہے۔",
    ),
]


def build_content(ctx: DemoContext) -> None:
    if Helpline.objects.exists():
        return
    for code, kind, name_en, name_ur, number, position in HELPLINES:
        Helpline.objects.create(
            area=Area.objects.get(code=code),
            kind=kind,
            name_en=name_en,
            name_ur=name_ur,
            number=number,
            position=position,
        )
    for slug, page_kind, title_en, title_ur, body_en, body_ur in PAGES:
        ContentPage.objects.create(
            slug=slug,
            kind=page_kind,
            area=Area.objects.get(code="PK6"),
            title_en=title_en,
            title_ur=title_ur,
            body_en=body_en,
            body_ur=body_ur,
            published=True,
            updated_by=ctx.users["dpo_mbdin"],
        )
