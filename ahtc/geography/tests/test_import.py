from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ahtc.geography.models import Area, AreaLevel
from ahtc.geography.services import ImportFileError, area_import_csv

HEADER = "code,level,parent_code,name_en,name_ur,valid_from,valid_to,predecessor_codes,population\n"


def load(text: str, **kwargs):
    return area_import_csv(source=io.StringIO(text), **kwargs)


@pytest.mark.django_db
class TestBadRows:
    def test_each_bad_row_is_rejected_with_its_reason(self):
        report = load(
            HEADER
            + "IN29,province,,Karnataka,,,,,\n"
            + "IN2901,district,IN29,Bengaluru Urban,,,,,13193035\n"
            + "IN2902,district,IN99,Nowhere,,,,,\n"
            + "IN2903,county,IN29,Mysuru,,,,,\n"
            + "IN2904,district,IN29,,,,,,\n"
            + "IN2905,district,IN29,Tumakuru,,2020-13-01,,,\n"
            + "IN2906,district,IN29,Kolar,,2021-01-01,2020-01-01,,\n"
            + "IN2907,district,IN29,Mandya,,,,,lots\n"
            + "IN2901,district,IN29,Bengaluru again,,,,,\n"
            + "IN290101,tehsil,IN29,Anekal,,,,,\n"
            + "bad code!,district,IN29,Hassan,,,,,\n"
            + "IN2908,district,IN29,Ramanagara,,,,IN2999,\n"
        )
        reasons = {row.line: row.reason for row in report.rejected}
        assert report.created == 2
        assert "parent IN99" in reasons[4]
        assert "level 'county'" in reasons[5]
        assert "name_en is empty" in reasons[6]
        assert "valid_from '2020-13-01'" in reasons[7]
        assert "valid_to must be after valid_from" in reasons[8]
        assert "population 'lots'" in reasons[9]
        assert "appears twice" in reasons[10]
        assert "a tehsil needs a parent of level district" in reasons[11]
        assert "code must be" in reasons[12]
        assert "predecessor IN2999" in reasons[13]
        assert Area.objects.get(code="IN2901").population == 13193035
        assert not Area.objects.filter(code__in=["IN2902", "IN2903", "IN2908"]).exists()

    def test_child_of_a_rejected_row_is_rejected_too(self):
        report = load(HEADER + "X1,province,,,,,,,\nX101,district,X1,Child,,,,,\n")
        assert [r.line for r in report.rejected] == [2, 3]
        assert "parent X1" in report.rejected[1].reason

    def test_missing_columns_reject_the_file(self):
        with pytest.raises(ImportFileError, match="lacks the column"):
            load("code,name\nX,Y\n")

    def test_non_utf8_file_is_refused_clearly(self, tmp_path):
        path = tmp_path / "areas.csv"
        path.write_bytes((HEADER + "X1,province,,Lähore,,,,,\n").encode("utf-16"))
        with pytest.raises(ImportFileError):
            area_import_csv(source=path)

    def test_moving_an_area_is_refused(self):
        report = load(HEADER + "PK620,district,PK6DV01,Mandi Bahauddin,,,,,\n")
        assert "exists under another parent" in report.rejected[0].reason
        assert Area.objects.get(code="PK620").path == "PK6/PK6DV03/PK620/"


@pytest.mark.django_db
class TestGoodFiles:
    def test_another_hierarchy_loads_without_divisions(self):
        report = load(
            HEADER + "IN32,province,,Kerala,കേരളം,,,,\nIN3201,district,IN32,Alappuzha,,,,,\n"
            "IN320101,tehsil,IN3201,Ambalappuzha,,,,,\n"
        )
        assert (report.created, report.rejected) == (3, [])
        assert Area.objects.get(code="IN320101").path == "IN32/IN3201/IN320101/"

    def test_reimport_is_idempotent_and_updates_changes(self):
        load(HEADER + "IN32,province,,Kerala,,,,,\n")
        report = load(HEADER + "IN32,province,,Kerala,,,,,\n")
        assert (report.created, report.unchanged) == (0, 1)
        report = load(HEADER + "IN32,province,,Keralam,,,,,\n")
        assert report.updated == 1
        assert Area.objects.get(code="IN32").name_en == "Keralam"

    def test_dry_run_saves_nothing(self):
        report = load(HEADER + "IN32,province,,Kerala,,,,,\n", dry_run=True)
        assert report.created == 1
        assert not Area.objects.filter(code="IN32").exists()


@pytest.mark.django_db
class TestPunjabReference:
    def test_ten_divisions_and_41_current_districts(self):
        current = Area.objects.current()
        assert current.of_level(AreaLevel.DIVISION).count() == 10
        assert current.of_level(AreaLevel.DISTRICT).count() == 41

    def test_mandi_bahauddin_codes(self):
        mbdin = Area.objects.get(code="PK620")
        assert mbdin.path == "PK6/PK6DV03/PK620/"
        tehsils = dict(mbdin.children.values_list("code", "name_en"))
        assert tehsils == {
            "PK62001": "Malakwal",
            "PK62002": "Mandi Bahauddin",
            "PK62003": "Phalia",
        }

    def test_every_area_has_an_urdu_name_and_districts_a_population(self):
        assert not Area.objects.filter(name_ur="").exists()
        census = Area.objects.of_level(AreaLevel.DISTRICT).filter(code__lte="PK636")
        assert not census.filter(population__isnull=True).exists()


@pytest.mark.django_db
def test_command_reports_rejected_rows(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "Z1,planet,,Mars,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no row was accepted"):
        call_command("areas", "import", str(path))
    assert "line 2 Z1: level 'planet'" in capsys.readouterr().err


@pytest.mark.django_db
def test_command_refuses_missing_file():
    with pytest.raises(CommandError, match="cannot open"):
        call_command("areas", "import", "/nonexistent/areas.csv")
