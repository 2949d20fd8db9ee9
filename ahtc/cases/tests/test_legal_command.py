from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ahtc.cases.legal import CATALOGUE_CSV
from ahtc.cases.models import LegalProvision

pytestmark = pytest.mark.django_db


def test_list_on_a_date_leaves_out_omitted_sections() -> None:
    out = io.StringIO()
    call_command("legal", "list", "--on", "2020-01-01", stdout=out)
    assert "PPC-369A" not in out.getvalue()
    assert "PTPA-3-1" in out.getvalue()
    assert "section number not verified" in out.getvalue()


def test_new_version_of_a_section_is_added_by_date(tmp_path: Path) -> None:
    header = CATALOGUE_CSV.read_text(encoding="utf-8").splitlines()[0]
    new = tmp_path / "update.csv"
    new.write_text(
        header
        + "\nPTPA-3-1,PTPA 2018,3(1),Trafficking in persons (amended),,Up to 10 years,,"
        + "no,no,2030-01-01,,test amendment\n",
        encoding="utf-8",
    )
    call_command("legal", "import", str(new), "--dry-run", stdout=io.StringIO())
    assert LegalProvision.objects.filter(code="PTPA-3-1").count() == 1
    call_command("legal", "import", str(new), stdout=io.StringIO())
    assert LegalProvision.objects.filter(code="PTPA-3-1").count() == 2


def test_bad_file_saves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,act\nX,Y\n", encoding="utf-8")
    before = LegalProvision.objects.count()
    with pytest.raises(CommandError, match="missing columns"):
        call_command("legal", "import", str(bad))
    with pytest.raises(CommandError, match="no such file"):
        call_command("legal", "import", str(tmp_path / "missing.csv"))
    assert LegalProvision.objects.count() == before


@pytest.mark.parametrize("language", ["en", "ur"])
def test_every_section_in_force_has_a_label_of_its_own(language: str) -> None:
    """Two rows of one Act without a verified section number (e.g. the Brick
    Kilns Act 2016) used to show the same label: the title now tells them apart."""
    from datetime import date

    from django.utils import translation

    rows = LegalProvision.objects.filter(valid_from__lte=date(2026, 1, 1)).exclude(
        valid_to__lt=date(2026, 1, 1)
    )
    with translation.override(language):
        labels = [row.label for row in rows]
    assert len(labels) > 20
    repeated = {label for label in labels if labels.count(label) > 1}
    assert not repeated
