"""Subset the Urdu fonts that ship with AHTC (a developer tool, never run at install or run time).

The product carries its own Urdu font so that PDFs and pages never fall back to
empty boxes on a machine or phone without one: Noto Naskh Arabic, under the SIL
Open Font License 1.1. This script cuts it down to what Urdu needs and writes,
into ahtc/static/ahtc/fonts/:

    AHTCNaskh-{Regular,Bold}.ttf        PDFs (WeasyPrint embeds them by file:// URL)
    AHTCNaskh-{Regular,Bold}.woff2      the web (base.css, unicode-range Arabic only; unhinted)
    OFL.txt                             the licence, as Debian ships it

Noto Nastaliq Urdu is subset the same way with `--nastaliq`, written beside the
others for a trial but not shipped (why: see FACES below; do not commit them).

The subsets keep every Arabic-script letter Urdu writes (plus the few that
Punjabi in Shahmukhi and Saraiki add), their presentation forms, the harakat,
Urdu punctuation and digits, the bidi controls, ASCII digits and basic
punctuation, and all the layout features the shaper needs (GSUB/GPOS). The
families are renamed (OFL: a Modified Version gets its own name), so a system
copy of Noto is never picked by accident and the PDF's font names show ours.

Usage (with the project's virtual environment; fontTools and brotli come with
WeasyPrint):

    .venv/bin/python scripts/subset_fonts.py [--source /usr/share/fonts/truetype/noto]
    .venv/bin/python scripts/subset_fonts.py --check   # also render and compare shaping
    .venv/bin/python scripts/subset_fonts.py --nastaliq --check   # try the Nastaliq too

The source is Debian's fonts-noto-core 20201225 (Noto Naskh Arabic 2.004; Noto
Nastaliq Urdu 2.000). The output is deterministic: the same sources give the
same bytes (timestamps are taken from the source, not the clock). `--check`
renders sample Urdu with WeasyPrint in the source and the subset font and
compares the pictures (needs pdftoppm from poppler-utils): identical pictures
mean the shaping (joining forms, marks, Nastaliq's cascade) survived.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ahtc" / "static" / "ahtc" / "fonts"
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/noto")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-core/copyright")


@dataclass(frozen=True)
class Face:
    source: str  # file name in the source directory
    family: str  # our family name
    style: str  # "Regular" or "Bold"
    web: bool  # also written as WOFF2 for base.css

    @property
    def stem(self) -> str:
        return f"{self.family.replace(' ', '')}-{self.style}"


FACES = (
    Face("NotoNaskhArabic-Regular.ttf", "AHTC Naskh", "Regular", web=True),
    Face("NotoNaskhArabic-Bold.ttf", "AHTC Naskh", "Bold", web=True),
    # Not shipped: Noto Nastaliq Urdu. It subsets and shapes well (`--nastaliq
    # --check`), but its letters share dotless bases, so a PDF's text layer maps
    # them back wrongly (خاندان extracts as ناندان: search, copy and screen readers
    # fail), and its WOFF2 (120 KB) is past the web budget. Phones that have it
    # use it through local() in base.css.
)
NASTALIQ = (
    Face("NotoNastaliqUrdu-Regular.ttf", "AHTC Nastaliq", "Regular", web=False),
    Face("NotoNastaliqUrdu-Bold.ttf", "AHTC Nastaliq", "Bold", web=False),
)

# Letters Urdu writes, with the few Punjabi (Shahmukhi) and Saraiki add.
# fmt: off
URDU_LETTERS = [
    *range(0x0621, 0x063B),  # hamza .. ghain
    *range(0x0641, 0x064B),  # feh .. yeh
    0x0671,  # alef wasla (Arabic quotations)
    0x0679, 0x067B, 0x067E,  # tteh, beeh (Saraiki), peh
    0x0684, 0x0686, 0x0688, 0x068C,  # dyeh (Saraiki), tcheh, ddal, dahal
    0x0691, 0x0698,  # rreh, jeh
    0x06A9, 0x06AF, 0x06B3,  # keheh, gaf, gueh (Saraiki)
    0x06BA, 0x06BB, 0x06BE,  # noon ghunna, rnoon, heh doachashmee
    0x06C0, 0x06C1, 0x06C2, 0x06C3,  # heh with yeh, heh goal (+ hamza), teh marbuta goal
    0x06CC, 0x06D2, 0x06D3,  # farsi yeh, yeh barree (+ hamza)
    0x0759, 0x0768,  # ddal with two dots (Saraiki), noon with small tah (Punjabi, Saraiki)
]
URDU_MARKS = [
    *range(0x0610, 0x0616),  # honorifics
    *range(0x064B, 0x0659),  # harakat, shadda, sukun, hamza above/below, noon ghunna mark
    0x0670,  # superscript alef
]
URDU_PUNCTUATION_AND_DIGITS = [
    0x060C, 0x061B, 0x061F, 0x06D4,  # comma, semicolon, question mark, full stop
    0x066A, 0x066B, 0x066C,  # percent, decimal and thousands separators
    0x0640,  # tatweel
    *range(0x0660, 0x066A),  # Arabic-Indic digits
    *range(0x06F0, 0x06FA),  # Extended Arabic-Indic digits (Urdu forms through locl)
    0xFDF2, 0xFDFA,  # the ligatures for Allah and the salutation, as typed
]
BIDI_AND_JOINING = [
    0x061C,  # ALM
    0x200C, 0x200D, 0x200E, 0x200F,  # ZWNJ ZWJ LRM RLM
    *range(0x2066, 0x206A),  # isolates
]
LATIN_BASICS = [
    *range(0x0020, 0x0041),  # space, ASCII digits and punctuation
    *range(0x005B, 0x0061),
    *range(0x007B, 0x007F),
    0x00A0, 0x00AB, 0x00BB,  # no-break space, guillemets
    *range(0x2010, 0x2015), *range(0x2018, 0x201E), 0x2026,  # dashes, quotes, ellipsis
    0x25CC,  # dotted circle: the shaper's base for a lone mark
]
# Every layout feature Urdu shaping uses; Nastaliq's cascade lives in these too.
LAYOUT_FEATURES = [
    "ccmp", "locl", "isol", "init", "medi", "fina", "rlig", "liga", "calt",
    "mark", "mkmk", "curs", "kern",
]
# fmt: on


def presentation_forms(letters: set[int]) -> list[int]:
    """Arabic Presentation Forms A and B that are only shapes of our letters."""
    forms = []
    for code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]:
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) >= 2 and parts[0].startswith("<"):
            bases = {int(p, 16) for p in parts[1:]}
            if bases <= letters | set(URDU_MARKS) | {0x0020}:
                forms.append(code)
    return forms


def codepoints() -> list[int]:
    letters = set(URDU_LETTERS)
    wanted = (
        letters
        | set(URDU_MARKS)
        | set(URDU_PUNCTUATION_AND_DIGITS)
        | set(BIDI_AND_JOINING)
        | set(LATIN_BASICS)
    )
    return sorted(wanted | set(presentation_forms(letters)))


def rename(font: TTFont, face: Face, source_version: str) -> None:
    """Our own family name (OFL §3, a Modified Version), the Noto notices kept."""
    full = face.family if face.style == "Regular" else f"{face.family} {face.style}"
    names = {
        1: face.family,
        2: face.style,
        3: f"{source_version};AHTC;{face.stem}",
        4: full,
        6: face.stem,
        10: f"Subset of {face.source} for AHTC (scripts/subset_fonts.py).",
    }
    table = font["name"]
    for name_id in (16, 17, 21, 22):  # typographic names would bring "Noto" back
        table.removeNames(nameID=name_id)
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
        table.setName(text, name_id, 1, 0, 0)


def subset_face(source: Path, face: Face, *, hinting: bool) -> TTFont:
    options = subset.Options()
    options.hinting = hinting
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    options.glyph_names = False
    options.notdef_outline = True
    options.recalc_timestamp = False  # deterministic: keep the source's dates
    font = TTFont(source / face.source, recalcTimestamp=False)
    version = font["name"].getDebugName(5) or ""
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    rename(font, face, version.split(";")[0])
    return font


def save(font: TTFont, path: Path, flavor: str | None) -> int:
    font.flavor = flavor
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    path.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def licence_text() -> str:
    """The OFL 1.1 from Debian's copyright file, unfolded from its field format."""
    text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    block = text.split("\nLicense: OFL-1.1\n")[-1].split("\nLicense: ")[0]
    lines = ["" if line == " ." else line.removeprefix(" ") for line in block.splitlines()]
    header = (
        "Noto Naskh Arabic, subset for AHTC as AHTC Naskh (see README.md).\n\n"
        "Copyright 2010, 2012-2020 Google Inc.; 2015-2020 Google LLC.\n"
        "This Font Software is licensed under the SIL Open Font License,\n"
        "Version 1.1.\n\n"
        "SIL OPEN FONT LICENSE Version 1.1\n\n"
    )
    return header + "\n".join(lines).strip() + "\n"


def _run(*command: str) -> str:
    """A poppler-utils tool, fixed arguments, no shell."""
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout


SAMPLE = "انسانی تجارت کی رپورٹ ۔ ٹریفکر، اسمگلر؟ ضلع منڈی بہاؤالدین ۱۲۳۴ ں ھ ے ۂ"


def _render(font_file: Path, text: str, work: Path, name: str) -> bytes:
    from weasyprint import HTML

    html = (
        "<style>@page{size:160mm 40mm;margin:2mm}"
        f"@font-face{{font-family:Probe;src:url('{font_file.as_uri()}')}}"
        "body{font-family:Probe;font-size:16pt;line-height:2.4}</style>"
        f'<p dir="rtl" lang="ur">{text}</p>'
    )
    pdf = work / f"{name}.pdf"
    HTML(string=html).write_pdf(pdf)
    if "+Probe" not in _run("pdffonts", str(pdf)):  # not loaded: comparing would mean nothing
        raise SystemExit(f"WeasyPrint did not use {font_file.name}")
    _run("pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(work / name))
    return (work / f"{name}.png").read_bytes()


def check_shaping(source: Path, faces: tuple[Face, ...]) -> bool:
    """Render SAMPLE with each source and its subset; the pictures must match."""
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for face in faces:
            before = _render(source / face.source, SAMPLE, work, "source")
            after = _render(OUT / f"{face.stem}.ttf", SAMPLE, work, "subset")
            ok = before == after
            same = same and ok
            print(f"  shaping {face.stem}: {'same as the source' if ok else 'DIFFERS'}")
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--check", action="store_true", help="render and compare shaping")
    parser.add_argument("--nastaliq", action="store_true", help="also write the Nastaliq TTFs")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    faces = FACES + NASTALIQ if args.nastaliq else FACES
    for face in faces:
        font = subset_face(args.source, face, hinting=True)
        glyphs = len(font.getGlyphOrder())
        sizes = [f"ttf {save(font, OUT / f'{face.stem}.ttf', None):,} B"]
        if face.web:  # browsers on phones ignore hints: a third fewer bytes without them
            web = subset_face(args.source, face, hinting=False)
            sizes.append(f"woff2 {save(web, OUT / f'{face.stem}.woff2', 'woff2'):,} B")
        print(f"{face.stem}: {glyphs} glyphs, " + ", ".join(sizes))
    (OUT / "OFL.txt").write_text(licence_text(), encoding="utf-8")
    if args.check and not check_shaping(args.source, faces):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
