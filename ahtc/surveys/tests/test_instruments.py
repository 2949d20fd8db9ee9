"""Instruments: real public XLSForms import, our catalogue is read from the
XForm, pyxform's row-numbered errors come back, versions are kept.

The forms under fixtures/ are pyxform's own examples (XLSForm/pyxform,
BSD 2-clause, from the pyxform 1.1.0 wheel's tests; fixtures/SOURCES.md).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ahtc.core.models import AuditAction, AuditEvent
from ahtc.surveys.models import Instrument, InstrumentVersion
from ahtc.surveys.services import FormImportError, instrument_import
from ahtc.surveys.tests.conftest import FIXTURES
from ahtc.surveys.xform import catalogue_from_xform, label_in

pytestmark = pytest.mark.django_db

PUBLIC_FORMS = [
    "tutorial.xls",
    "xlsform_spec_test.xlsx",
    "repeat_date_test.xls",
    "group.csv",
    "specify_other.csv",
    "group.md",
]


def _import(name: str, content: bytes | None = None) -> object:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return instrument_import(content=data, filename=name, by=None)


@pytest.mark.parametrize("name", PUBLIC_FORMS)
def test_public_xlsforms_import_with_source_xform_and_catalogue(name: str) -> None:
    result = _import(name)
    version = result.version  # type: ignore[attr-defined]
    assert version.number == 1
    assert bytes(version.source) == (FIXTURES / name).read_bytes()
    assert version.xform.startswith("<?xml")
    assert version.catalogue
    assert all({"path", "type", "labels", "choices", "repeat"} <= set(f) for f in version.catalogue)


def test_the_tutorial_catalogue_has_its_repeat_relevance_and_constraints() -> None:
    version = _import("tutorial.xls").version  # type: ignore[attr-defined]
    member = version.field("member")
    assert member["type"] == "repeat"
    months = version.field("member/age_in_months")
    assert months["type"] == "integer"
    assert months["repeat"] == "member"
    assert months["relevant"] == "../older_than_five ='no'"
    assert months["constraint"] == ". <= 72"
    sex = version.field("member/sex")
    assert sex["type"] == "select_one"
    assert {c["value"] for c in sex["choices"]} == {"male", "female"}


def test_labels_are_kept_per_language() -> None:
    version = _import("xlsform_spec_test.xlsx").version  # type: ignore[attr-defined]
    assert {"english", "chinese"} <= set(version.languages)
    name = version.field("everything/my_name")
    assert name["labels"]["english"] == "Enter your name"
    skip = version.field("skip_to_end")
    assert skip["choices"][0]["labels"]["chinese"] == "是"


def test_pyxform_warnings_are_kept_with_their_rows() -> None:
    result = _import("xlsform_spec_test.xlsx")
    assert any(w.startswith("[row : 4]") for w in result.warnings)  # type: ignore[attr-defined]


def test_a_broken_form_reports_pyxforms_row_numbered_error_and_saves_nothing() -> None:
    with pytest.raises(FormImportError) as caught:
        _import("not_closed_group_test.xls")
    assert caught.value.problems[0].startswith("[row : 3] Unmatched 'begin_group'")
    assert not Instrument.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("form.pdf", b"%PDF"), ("form.xlsx", b"not a workbook"), ("form.csv", b"\xff\xfe\x00")],
)
def test_files_that_are_not_xlsforms_are_refused_with_a_reason(name: str, content: bytes) -> None:
    with pytest.raises(FormImportError) as caught:
        _import(name, content)
    assert caught.value.message


def test_a_changed_form_is_a_new_version_and_the_old_one_keeps_its_fields() -> None:
    old = (FIXTURES / "group.csv").read_bytes()
    first = _import("group.csv", old)
    renamed = old.replace(b'"family_name"', b'"surname"')
    second = _import("group.csv", renamed)
    same = _import("group.csv", renamed)
    assert first.instrument == second.instrument  # type: ignore[attr-defined]
    assert second.version.number == 2  # type: ignore[attr-defined]
    assert same.unchanged  # type: ignore[attr-defined]
    versions = InstrumentVersion.objects.filter(instrument=second.instrument)  # type: ignore[attr-defined]
    assert versions.count() == 2
    assert versions.get(number=1).field("family_name") is not None
    assert versions.get(number=2).field("family_name") is None
    assert versions.get(number=2).field("surname") is not None


def test_an_import_is_audited() -> None:
    _import("group.csv")
    assert AuditEvent.objects.filter(
        action=AuditAction.IMPORT, object_type="surveys.instrumentversion"
    ).exists()


def test_the_command_imports_a_form(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("surveys", "import", str(FIXTURES / "tutorial.xls"))
    assert "tutorial" in capsys.readouterr().out
    assert Instrument.objects.filter(form_id="tutorial").exists()


def test_the_command_prints_pyxforms_errors() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=r"\[row : 3\]"):
        call_command("surveys", "import", str(FIXTURES / "not_closed_group_test.xls"))


def test_label_in_falls_back_to_english_then_default() -> None:
    assert label_in({"en": "Age", "ur": "عمر"}, "ur") == "عمر"
    assert label_in({"en": "Age"}, "ur") == "Age"
    assert label_in({"default": "Age"}, "ur") == "Age"
    assert label_in({}, "ur") == ""


def test_a_catalogue_is_read_from_any_xform_xml() -> None:
    xml = (
        '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">'
        '<h:head><h:title>T</h:title><model><instance><d id="f" version="7"><q/></d>'
        '</instance><bind nodeset="/d/q" type="int" required="true()"/></model></h:head>'
        '<h:body><input ref="/d/q"><label>How many?</label></input></h:body></h:html>'
    )
    catalogue = catalogue_from_xform(xml)
    assert (catalogue.form_id, catalogue.version, catalogue.title) == ("f", "7", "T")
    assert catalogue.fields[0]["type"] == "integer"
    assert catalogue.fields[0]["required"] is True
