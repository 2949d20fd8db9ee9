"""Bulk import: every rejected row is listed with its reason; the rest are registered."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from ahtc.accounts.models import User
from ahtc.agencies.imports import import_run, import_start
from ahtc.agencies.models import Agency, AgencyImport, AgencyParty, ImportStatus
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.cases import services as cases

Login = Callable[[User], Client]
HEADER = (
    "name_en,name_ur,kind,status,status_since,tehsil,address,phones,"
    "licence_number,licence_authority,licence_holder,licence_valid_from,licence_valid_to"
)
ROWS = [
    # 2: fine, licensed
    "Synthetic Crescent Travels,,travel_agent,licensed,2024-01-01,Phalia,Main Road,0546-600100,"
    "DTS-77,dts,Synthetic Holder,2024-01-01,2026-12-31",
    # 3: fine, unregistered, kind defaults
    "Synthetic Backstreet Visas,,,unregistered,2024-05-01,,,,,,,,",
    # 4: no name
    ",,travel_agent,licensed,2024-01-01,,,,DTS-78,dts,,2024-01-01,2026-12-31",
    # 5: licensed without licence
    "Synthetic Nolicence Tours,,travel_agent,licensed,2024-01-01,,,,,,,,",
    # 6: bad date
    "Synthetic Baddate Travels,,travel_agent,unregistered,01/02/2024,,,,,,,,",
    # 7: tehsil of another district
    "Synthetic Wrongplace Travels,,travel_agent,unregistered,2024-01-01,Kharian,,,,,,,",
    # 8: bad phone
    "Synthetic Badphone Travels,,travel_agent,unregistered,2024-01-01,,,12,,,,,",
    # 9: duplicate of row 2 in the file
    "synthetic crescent tours,,travel_agent,unregistered,2024-01-01,,,,,,,,",
    # 10: already registered
    "Synthetic Existing Travels,,travel_agent,unregistered,2024-01-01,,,,,,,,",
    # 11: unknown status
    "Synthetic Odd Travels,,travel_agent,sleeping,2024-01-01,,,,,,,,",
    # 12: licence ends before it starts
    "Synthetic Reversed Travels,,travel_agent,licensed,2024-01-01,,,,"
    "DTS-79,dts,,2026-01-01,2024-12-31",
]


def _csv() -> bytes:
    return ("\n".join([HEADER, *ROWS]) + "\n").encode()


def test_rejections_name_the_row_and_the_reason(
    officer_mbdin: User, mbdin: Any, make_agency: MakeAgency
) -> None:
    make_agency("Synthetic Existing Travels")
    job = import_start(district=mbdin, by=officer_mbdin, file_name="list.csv", content=_csv())
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__import_id=job.pk).exists()
    assert import_run(job.pk) == 2
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.content == b""
    reasons = {
        r["row"]: r["reason"] % r["params"] if r["params"] else r["reason"] for r in job.rejections
    }
    assert reasons == {
        4: "name_en is empty.",
        5: "licence_number is empty for a licensed agency.",
        6: "status_since is not a date (YYYY-MM-DD).",
        7: "tehsil “Kharian” is not a tehsil of Mandi Bahauddin.",
        8: "This is not a possible phone number.",
        9: "The same name appears earlier in the file.",
        10: "An agency with this name is already registered in the district.",
        11: "status “sleeping” is not one of: licensed, unregistered, notice_served, "
        "registered_after_notice, closed, sealed, under_prosecution.",
        12: "The licence ends before it starts.",
    }
    crescent = Agency.objects.get(name_en="Synthetic Crescent Travels")
    assert crescent.tehsil is not None
    assert crescent.tehsil.name_en == "Phalia"
    assert crescent.licences.get().number_key == "DTS77"
    assert Agency.objects.get(name_en="Synthetic Backstreet Visas").kind == "unregistered_operator"
    assert not Agency.objects.filter(name_en="Synthetic Reversed Travels").exists()


def test_xlsx_is_read_and_broker_parties_are_linked_after(officer_mbdin: User, mbdin: Any) -> None:
    case = cases.case_open(
        district=mbdin, by=officer_mbdin, title="Synthetic", origin="own_initiative"
    )
    party = cases.party_add(
        case=case, by=officer_mbdin, role="BrokerTravelAgent", organisation_name="CRESCENT TRAVELS"
    )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["Crescent Tours", "", "travel_agent", "unregistered", "2024-01-01"])
    out = io.BytesIO()
    book.save(out)
    job = import_start(
        district=mbdin, by=officer_mbdin, file_name="list.xlsx", content=out.getvalue()
    )
    assert import_run(job.pk) == 1
    assert AgencyParty.objects.get(party=party).agency.name_en == "Crescent Tours"


def test_unreadable_file_fails_with_one_line(officer_mbdin: User, mbdin: Any) -> None:
    job = import_start(district=mbdin, by=officer_mbdin, file_name="x.xlsx", content=b"not a zip")
    assert import_run(job.pk) == 0
    job.refresh_from_db()
    assert (job.status, job.error) == (ImportStatus.FAILED, "The XLSX file could not be read.")


def test_withdrawn_permission_stops_the_import(officer_mbdin: User, mbdin: Any) -> None:
    from ahtc.accounts.models import RoleAssignment

    job = import_start(district=mbdin, by=officer_mbdin, file_name="list.csv", content=_csv())
    RoleAssignment.objects.filter(user=officer_mbdin).delete()
    officer_mbdin = User.objects.get(pk=officer_mbdin.pk)
    assert import_run(job.pk) == 0
    assert AgencyImport.objects.get(pk=job.pk).status == ImportStatus.FAILED
    assert not Agency.objects.exists()


def test_import_pages_show_progress_only_to_the_requester(
    login_as: Login, officer_mbdin: User, dpo_mbdin: User, mbdin: Any
) -> None:
    client = login_as(officer_mbdin)
    upload = SimpleUploadedFile("list.csv", _csv(), content_type="text/csv")
    response = client.post("/cell/agencies/import/", {"district": mbdin.pk, "file": upload})
    assert response.status_code == 302
    job = AgencyImport.objects.get()
    assert 'http-equiv="refresh"' in client.get(response["Location"]).content.decode()
    import_run(job.pk)
    page = client.get(response["Location"]).content.decode()
    assert "rows rejected" in page
    assert "licence_number is empty" in page
    assert login_as(dpo_mbdin).get(response["Location"]).status_code == 404


def test_wrong_file_type_is_refused_on_the_page(
    login_as: Login, officer_mbdin: User, mbdin: Any
) -> None:
    upload = SimpleUploadedFile("list.pdf", b"%PDF", content_type="application/pdf")
    page = login_as(officer_mbdin).post(
        "/cell/agencies/import/", {"district": mbdin.pk, "file": upload}
    )
    assert "Only CSV and XLSX" in page.content.decode()
    assert not AgencyImport.objects.exists()


def test_command_imports_and_links(
    officer_mbdin: User, mbdin: Any, tmp_path: Any, capsys: Any
) -> None:
    from django.core.management import call_command

    case = cases.case_open(
        district=mbdin, by=officer_mbdin, title="Synthetic", origin="own_initiative"
    )
    party = cases.party_add(
        case=case,
        by=officer_mbdin,
        role="BrokerTravelAgent",
        organisation_name="SYNTHETIC BACKSTREET VISAS (PVT) LTD",
    )
    path = tmp_path / "list.csv"
    path.write_bytes(_csv())
    call_command("agencies", "import", str(path), "--district", "PK620", "--user", "officer_mbdin")
    out = capsys.readouterr().out
    assert "row 4:" in out
    assert "3 agencies registered, 8 rows rejected" in out
    assert AgencyParty.objects.get(party=party).agency.name_en == "Synthetic Backstreet Visas"
    call_command("agencies", "link")
    assert "linked 0 broker parties" in capsys.readouterr().out
