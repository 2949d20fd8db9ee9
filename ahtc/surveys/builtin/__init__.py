"""The five built-in instruments, written by us in English and Urdu.

Each is declared as data (forms.py) and written out as an ordinary XLSForm
workbook (.xlsx), so the same file imports here and deploys unchanged to
KoboToolbox or ODK Central: field teams collect with their own tools and the
export comes back through `ahtc surveys ingest`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from ahtc.accounts.models import User
from ahtc.surveys.builtin.forms import BUILTIN, Form
from ahtc.surveys.services import FormImport, instrument_import

EN, UR = "English (en)", "Urdu (ur)"
SURVEY_COLUMNS = (
    "type",
    "name",
    f"label::{EN}",
    f"label::{UR}",
    f"hint::{EN}",
    f"hint::{UR}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{EN}",
    f"constraint_message::{UR}",
    "calculation",
)
CHOICE_COLUMNS = ("list_name", "name", f"label::{EN}", f"label::{UR}")


@dataclass
class Workbook:
    sheets: dict[str, list[list[str]]] = field(default_factory=dict)


def _survey_rows(form: Form) -> list[list[str]]:
    rows = [list(SURVEY_COLUMNS)]
    for q in form.questions:
        rows.append(
            [
                q.type,
                q.name,
                q.en,
                q.ur,
                q.hint_en,
                q.hint_ur,
                "yes" if q.required else "",
                q.relevant,
                q.constraint,
                q.constraint_en,
                q.constraint_ur,
                q.calculation,
            ]
        )
    return rows


def workbook(form: Form) -> Workbook:
    choices = [list(CHOICE_COLUMNS)]
    for list_name, options in form.choices.items():
        choices += [[list_name, value, en, ur] for value, en, ur in options]
    settings = [
        ["form_id", "form_title", "version", "default_language"],
        [form.form_id, form.title_en, form.version, EN],
    ]
    return Workbook({"survey": _survey_rows(form), "choices": choices, "settings": settings})


def xlsx_bytes(form: Form) -> bytes:
    from openpyxl import Workbook as XlsxWorkbook

    book = XlsxWorkbook()
    book.remove(book.active)
    for name, rows in workbook(form).sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def builtin_install(*, by: User | None = None) -> list[FormImport]:
    """Import (or bring up to date) every built-in instrument; idempotent."""
    return [
        instrument_import(
            content=xlsx_bytes(form),
            filename=f"{form.form_id}.xlsx",
            by=by,
            sensitivity=form.sensitivity,
            builtin=True,
            title_ur=form.title_ur,
            unit=form.unit,
        )
        for form in BUILTIN
    ]


def builtin_form(form_id: str) -> Form:
    return next(f for f in BUILTIN if f.form_id == form_id)
