"""The Urdu fonts that travel with the product (static/ahtc/fonts, scripts/subset_fonts.py).

Urdu must never fall back to empty boxes: the subsets cover every Arabic-script
character the Urdu catalogue writes, keep the shaping features, are embedded
in the PDFs under our own family names (whatever fontconfig has installed),
and are the files base.css points at.
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pypdf import PdfReader

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.cases import services
from ahtc.cases.models import Case, Origin
from ahtc.core.templatetags.pdf_fonts import FONTS_DIR, font_url
from ahtc.geography.models import Area
from ahtc.monitoring import reports
from ahtc.monitoring.report_files import report_pdf

CATALOGUE = FONTS_DIR.parents[2] / "locale" / "ur" / "LC_MESSAGES" / "django.po"
BASE_CSS = FONTS_DIR.parent / "base.css"
PDF_FACES = ("AHTCNaskh-Regular.ttf", "AHTCNaskh-Bold.ttf")
WEB_FACES = ("AHTCNaskh-Regular.woff2", "AHTCNaskh-Bold.woff2")
SHAPING = {"init", "medi", "fina", "rlig", "mark", "mkmk"}
# What a phone downloads at most for Urdu text: both Naskh weights (docs/urdu.md).
WEB_FONT_BUDGET = 60_000
# Arabic, Arabic Supplement, Presentation Forms A and B.
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
URDU_SAMPLE = "بھٹے پر پیشگی کے بدلے روکا گیا خاندان"


def catalogue_characters() -> set[str]:
    """Every Arabic-script character in the Urdu catalogue's translations."""
    found: set[str] = set()
    in_msgstr = False
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            in_msgstr = True
            line = line.split(" ", 1)[1]
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr and line.startswith('"'):
            found |= set(ARABIC_SCRIPT.findall(ast.literal_eval(line)))
    return found


def cmap_of(name: str) -> set[int]:
    return set(TTFont(FONTS_DIR / name).getBestCmap())


def embedded_fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


# --- the files -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PDF_FACES, *WEB_FACES])
def test_shipped_font_opens_and_carries_our_family_name(name: str) -> None:
    font = TTFont(FONTS_DIR / name)
    assert font["name"].getDebugName(1) == "AHTC Naskh"
    assert "Noto" not in (font["name"].getDebugName(4) or "")  # OFL: a modified version
    assert font.flavor == ("woff2" if name.endswith(".woff2") else None)


def test_the_licence_and_its_source_ship_beside_the_fonts() -> None:
    licence = (FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "PERMISSION & CONDITIONS" in licence
    assert "Google" in licence
    readme = (FONTS_DIR / "README.md").read_text(encoding="utf-8")
    assert "fonts-noto-core" in readme
    assert "scripts/subset_fonts.py" in readme


def test_catalogue_reading_finds_urdu() -> None:
    # Guards the test below against passing on an empty set.
    assert {"ے", "ں", "ٹ", "ڑ", "۔", "،"} <= catalogue_characters()


@pytest.mark.parametrize("name", [*PDF_FACES, *WEB_FACES])
def test_every_urdu_character_of_the_catalogue_has_a_glyph(name: str) -> None:
    missing = {c for c in catalogue_characters() if ord(c) not in cmap_of(name)}
    assert not missing, f"{name} lacks " + " ".join(f"U+{ord(c):04X}" for c in sorted(missing))


@pytest.mark.parametrize("name", [*PDF_FACES, *WEB_FACES])
def test_digits_bidi_controls_and_urdu_punctuation_are_kept(name: str) -> None:
    needed = {*"0123456789۰۱۲۳۴۵۶۷۸۹", "\u200c", "\u200d", "۔", "،", "؟", "٪", "٫", "٬"}
    assert {ord(c) for c in needed} <= cmap_of(name)


@pytest.mark.parametrize("name", [*PDF_FACES, *WEB_FACES])
def test_shaping_features_survive_the_subset(name: str) -> None:
    font = TTFont(FONTS_DIR / name)
    substitutions = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    positions = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
    assert substitutions | positions >= SHAPING
    assert "locl" in substitutions  # the Urdu shapes of the digits


def test_font_url_refuses_names_outside_the_fonts_folder() -> None:
    from django.template import TemplateSyntaxError

    assert font_url("AHTCNaskh-Regular.ttf").startswith("file:///")
    for name in ("../base.css", "missing.ttf"):
        with pytest.raises(TemplateSyntaxError):
            font_url(name)


# --- the web ---------------------------------------------------------------------------


def font_faces() -> list[str]:
    return re.findall(r"@font-face\s*\{[^}]*\}", BASE_CSS.read_text(encoding="utf-8"))


def test_base_css_points_at_fonts_that_exist() -> None:
    urls = [u for face in font_faces() for u in re.findall(r'url\("?([^")]+)"?\)', face)]
    assert urls, "no url() in base.css @font-face"
    for url in urls:
        assert (BASE_CSS.parent / url).is_file(), url
        assert finders.find(f"ahtc/{url}"), url


def test_web_faces_prefer_the_phones_own_font_and_load_only_for_arabic_script() -> None:
    faces = font_faces()
    assert faces
    for face in faces:
        assert "font-display: swap" in face
        assert re.search(r"unicode-range:\s*U\+0600-06FF", face), face
        assert "U+00" not in face  # Latin never triggers a download
        if "url(" in face:
            assert face.index("local(") < face.index("url("), face


def test_the_urdu_language_button_on_english_pages_puts_our_font_first() -> None:
    # Chromium does not redraw text whose fallback font arrives late: with the
    # system fonts first, a device without Arabic would show boxes on «اردو».
    css = BASE_CSS.read_text(encoding="utf-8")
    rule = re.search(r'\.lang-switch button\[lang="ur"\]\s*\{\s*font-family:\s*"AHTC Naskh"', css)
    assert rule, "the language button's Urdu label has no font of ours first"


def test_urdu_web_font_download_fits_the_budget() -> None:
    total = sum((FONTS_DIR / name).stat().st_size for name in WEB_FACES)
    assert total <= WEB_FONT_BUDGET, total


# --- the PDFs --------------------------------------------------------------------------


def only_ours_for_arabic(fonts: set[str]) -> None:
    """Our Naskh is embedded, and no system font drew Arabic script instead."""
    assert any(re.fullmatch(r"/[A-Z]{6}\+AHTC-Naskh(-Bold)?", f) for f in fonts), fonts
    system_arabic = [
        f for f in fonts if re.search("Arabic|Urdu|Naskh|Nastaliq|Kufi", f) and "AHTC" not in f
    ]
    assert not system_arabic, fonts


LATIN_ONLY_FONTS = ("NotoSans-Regular.ttf", "DejaVuSans.ttf", "LiberationSans-Regular.ttf")


@pytest.fixture
def no_system_urdu_font(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fontconfig as on a fresh server: one Latin font, no Arabic-script font at all.

    WeasyPrint loads the fontconfig configuration for every document, so the
    PDFs rendered in the test see only this folder and the shipped fonts.
    """
    folder = tmp_path / "fonts"
    folder.mkdir()
    for name in LATIN_ONLY_FONTS:
        found = next(Path("/usr/share/fonts").rglob(name), None)
        if found is not None:
            (folder / name).symlink_to(found)
            break
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))


@pytest.fixture
def urdu_case(officer_mbdin: User) -> Case:
    return services.case_open(
        district=Area.objects.get(code="PK620"),
        by=officer_mbdin,
        title=f"Kiln family {URDU_SAMPLE}",
        origin=Origin.WALK_IN,
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("no_system_urdu_font")
def test_urdu_case_summary_embeds_our_font_and_extracts_as_urdu(
    login_as: Callable[[User], Client], officer_mbdin: User, urdu_case: Case
) -> None:
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    response = client.get(reverse("cell:case_pdf", args=[urdu_case.reference]))
    assert response.status_code == 200
    only_ours_for_arabic(embedded_fonts(response.content))
    text = pdf_text(response.content)
    with translation.override("ur"):
        labels = [gettext("Case summary"), gettext("People and organisations")]
    for words in (URDU_SAMPLE, *labels):
        assert all(word in text for word in words.split()), (words, text)


@pytest.mark.django_db
def test_english_case_summary_uses_our_font_only_for_the_urdu_words(
    login_as: Callable[[User], Client], officer_mbdin: User, urdu_case: Case
) -> None:
    response = login_as(officer_mbdin).get(reverse("cell:case_pdf", args=[urdu_case.reference]))
    fonts = embedded_fonts(response.content)
    only_ours_for_arabic(fonts)
    assert any("AHTC" not in f for f in fonts), fonts  # Latin text keeps a Latin font
    text = pdf_text(response.content)
    assert "Kiln family" in text
    assert all(word in text for word in URDU_SAMPLE.split()), text


@pytest.mark.django_db
@pytest.mark.usefixtures("no_system_urdu_font")
def test_urdu_committee_report_embeds_our_font(make_user: Callable[..., User]) -> None:
    member = make_user(
        "committee_mbdin", Role.COMMITTEE_MEMBER, "PK620", kind=OrganisationKind.ASSEMBLY
    )
    report = reports.report_open(
        district=Area.objects.get(code="PK620"), period="2025-07", by=member
    )
    pdf = report_pdf(report, "ur")
    only_ours_for_arabic(embedded_fonts(pdf))
    with translation.override("ur"):
        heading = gettext("Indicators")
    assert heading in pdf_text(pdf)
