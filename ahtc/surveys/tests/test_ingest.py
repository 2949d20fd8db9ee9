"""Exports in: every adapter with repeats, deduplication on re-import, and a
per-row report of what was refused and why."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from ahtc.core.models import AuditAction, AuditEvent
from ahtc.geography.models import Area
from ahtc.surveys.imports import batch_import_now
from ahtc.surveys.ingest import ExportError, source_for
from ahtc.surveys.models import Instrument, Submission
from ahtc.surveys.tests import exports
from ahtc.surveys.tests.conftest import kiln_sub
from ahtc.surveys.tests.exports import Sub

pytestmark = pytest.mark.django_db

WRITERS: dict[str, tuple[Callable[[list[Sub]], bytes], str]] = {
    "kobo_xlsx": (exports.kobo_xlsx, "export.xlsx"),
    "kobo_json": (exports.kobo_json, "export.json"),
    "odk_zip": (exports.odk_zip, "export.zip"),
}


def _import(instrument: Instrument, district: Area, content: bytes, name: str) -> Any:
    return batch_import_now(
        instrument=instrument, district=district, file_name=name, content=content
    )


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_each_adapter_brings_in_submissions_with_their_repeats(
    fmt: str, kiln: Instrument, mbdin: Area, kiln_subs: list[Sub]
) -> None:
    write, name = WRITERS[fmt]
    batch = _import(kiln, mbdin, write(kiln_subs), name)
    assert (batch.rows, batch.imported, batch.rejected, batch.error) == (3, 3, 0, "")
    stored = {s.key: s for s in Submission.objects.filter(instrument=kiln)}
    assert set(stored) == {"kiln-0", "kiln-1", "kiln-2"}
    third = stored["kiln-2"].answers
    assert [f["family/advance"] for f in third["family"]] == [150000, 150001, 150002]
    assert third["family"][0]["family/ilo"] == "debt movement"
    assert third["wage_paid"] == 1300
    assert stored["kiln-2"].tehsil is not None
    assert stored["kiln-2"].tehsil.code == "PK62003"
    assert stored["kiln-2"].source == fmt
    assert str(stored["kiln-2"].collected_on) == "2025-03-01"


def test_kobo_csv_brings_in_the_submissions_without_repeats(
    kiln: Instrument, mbdin: Area, kiln_subs: list[Sub]
) -> None:
    batch = _import(kiln, mbdin, exports.kobo_csv(kiln_subs), "export.csv")
    assert (batch.imported, batch.rejected) == (3, 0)
    answers = Submission.objects.get(key="kiln-1").answers
    assert answers["movement_restricted"] == "yes"
    assert "family" not in answers


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_importing_the_same_export_twice_never_counts_twice(
    fmt: str, kiln: Instrument, mbdin: Area, kiln_subs: list[Sub]
) -> None:
    write, name = WRITERS[fmt]
    _import(kiln, mbdin, write(kiln_subs[:2]), name)
    again = _import(kiln, mbdin, write(kiln_subs), name)
    assert (again.imported, again.duplicates) == (1, 2)
    assert Submission.objects.filter(instrument=kiln).count() == 3
    assert {r["reason"] for r in again.report} == {"already imported"}


def test_kobo_and_odk_exports_of_one_submission_meet_on_its_id(
    kiln: Instrument, mbdin: Area, kiln_subs: list[Sub]
) -> None:
    _import(kiln, mbdin, exports.kobo_json(kiln_subs), "kobo.json")
    odk = _import(kiln, mbdin, exports.odk_zip(kiln_subs), "central.zip")
    assert (odk.imported, odk.duplicates) == (0, 3)


def test_a_submission_twice_in_one_file_is_kept_once(kiln: Instrument, mbdin: Area) -> None:
    batch = _import(kiln, mbdin, exports.kobo_json([kiln_sub("a"), kiln_sub("a")]), "x.json")
    assert (batch.imported, batch.duplicates) == (1, 1)
    assert batch.report[0]["reason"] == "the same submission twice in this file"


def test_rejected_rows_are_reported_with_their_row_and_reason(
    kiln: Instrument, mbdin: Area
) -> None:
    subs = [
        kiln_sub("good"),
        kiln_sub("bad-number", wage_paid="about 1300"),
        kiln_sub("bad-choice", eobi="perhaps"),
        kiln_sub("bad-tehsil", tehsil="Lahore Cantt"),
        kiln_sub("bad-district", district="PK610"),
    ]
    batch = _import(kiln, mbdin, exports.kobo_xlsx(subs), "export.xlsx")
    assert (batch.imported, batch.rejected) == (1, 4)
    reasons = {r["key"]: (r["sheet"], r["row"], r["reason"]) for r in batch.report if r["key"]}
    assert reasons["bad-number"] == ("form", 3, "form row 3: wage_paid is not a whole number")
    assert reasons["bad-choice"][2] == "form row 4: eobi holds a value not in its choice list"
    assert reasons["bad-tehsil"][2] == "tehsil is not one of the district's"
    assert reasons["bad-district"][2] == "district is not the one chosen for this import"
    # The values themselves never reach the report.
    assert "about 1300" not in str(batch.report)
    assert "perhaps" not in str(batch.report)


def test_a_bad_value_in_a_repeat_row_names_the_sheet_and_row(kiln: Instrument, mbdin: Area) -> None:
    sub = kiln_sub("rep")
    sub.repeats["family"][1]["family/literate"] = "maybe"
    batch = _import(kiln, mbdin, exports.kobo_xlsx([sub]), "export.xlsx")
    assert batch.imported == 0
    assert (
        batch.report[0]["reason"]
        == "family row 3: family/literate holds a value not in its choice list"
    )


def test_a_repeat_row_without_its_parent_is_reported(kiln: Instrument, mbdin: Area) -> None:
    content = exports.odk_zip([kiln_sub("x")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            text = source.read(name).decode()
            target.writestr(
                name,
                text.replace("PARENT_KEY", "PARENT_KEY").replace(
                    "uuid:x,uuid:x/family[2]", "uuid:gone,uuid:x/family[2]"
                ),
            )
    batch = _import(kiln, mbdin, out.getvalue(), "export.zip")
    assert batch.imported == 1
    assert batch.rejected == 1
    assert batch.report[0]["reason"] == "repeat row whose parent row is missing"
    assert len(Submission.objects.get(key="x").answers["family"]) == 1


def test_a_row_without_any_submission_id_is_rejected(kiln: Instrument, mbdin: Area) -> None:
    batch = _import(kiln, mbdin, b'[{"kiln_name": "no id"}]', "x.json")
    assert (batch.imported, batch.rejected) == (0, 1)
    assert batch.report[0]["reason"].startswith("no submission id")


def test_columns_not_in_the_form_are_kept_and_reported(kiln: Instrument, mbdin: Area) -> None:
    batch = _import(kiln, mbdin, exports.kobo_json([kiln_sub("x", old_question="3")]), "x.json")
    assert batch.imported == 1
    assert batch.report[0]["reason"] == "columns not in the form, kept as they are: old_question"
    assert Submission.objects.get(key="x").answers["old_question"] == "3"


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"not a workbook", "x.xlsx"), (b"{nope", "x.json"), (b"plain", "x.zip"), (b"", "x.csv")],
)
def test_a_file_that_is_not_that_kind_of_export_says_so(
    kiln: Instrument, mbdin: Area, content: bytes, name: str
) -> None:
    batch = _import(kiln, mbdin, content, name)
    assert batch.finished
    assert batch.error
    assert batch.imported == 0


def test_unknown_file_types_are_refused() -> None:
    with pytest.raises(ExportError):
        source_for("export.pdf")


def test_sensitive_answers_are_encrypted_at_rest(
    builtin: dict[str, Instrument], mbdin: Area
) -> None:
    from django.db import connection

    workshop = builtin["ahtc_workshop_children"]
    sub = Sub(
        "w1",
        {
            "visit_date": "2025-03-01",
            "tehsil": "Phalia",
            "workshop_name": "W",
            "workshop_kind": "auto",
        },
        {
            "child": [
                {
                    "child/child_name": "Zarnigar Synthetic",
                    "child/child_age": 12,
                    "child/age_evidence": "statement",
                    "child/hours": 9,
                    "child/schooling": "dropped_out",
                }
            ]
        },
    )
    _import(workshop, mbdin, exports.kobo_json([sub]), "w.json")
    stored = Submission.objects.get(key="w1")
    assert stored.data == {}
    assert stored.answers["child"][0]["child/child_name"] == "Zarnigar Synthetic"
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed, data FROM surveys_submission WHERE key = %s", ["w1"])
        sealed, data = cursor.fetchone()
    assert sealed.startswith("enc1:")
    assert "Zarnigar" not in sealed + str(data)


def test_every_import_is_audited(kiln: Instrument, mbdin: Area, kiln_subs: list[Sub]) -> None:
    batch = _import(kiln, mbdin, exports.kobo_json(kiln_subs), "x.json")
    event = AuditEvent.objects.filter(action=AuditAction.IMPORT, object_type="surveys.importbatch")
    assert event.get().object_id == str(batch.pk)
    assert "3 imported" in event.get().reason
