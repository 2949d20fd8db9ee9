"""A citizen reports in Urdu without JavaScript, keeps the receipt, reads the cell's reply."""

from __future__ import annotations

import re

import pytest

from .conftest import submit

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args() -> dict[str, object]:
    return {"java_script_enabled": False, "viewport": {"width": 360, "height": 740}}


def test_urdu_report_receipt_reply_round_trip(page, demo):
    from ahtc.portal.models import Tip
    from ahtc.portal.services import tip_staff_reply

    before = Tip.objects.count()
    page.goto("/report/")
    assert page.locator("html").get_attribute("lang") == "ur"
    page.check("input[name=category][value=fake_agent]")
    page.select_option("select[name=district]", "PK620")
    page.select_option("select[name=tehsil]", "PK62003")
    page.fill("textarea[name=description]", "ایک ایجنٹ نے اٹلی کے ویزے کے لیے تیس لاکھ روپے لیے۔")
    page.check("input[name=child_involved][value=no]")
    submit(page, page.locator("form button[type=submit].primary"))
    code = page.locator(".receipt-code").inner_text().replace(" ", "")
    assert re.fullmatch(r"\d{16}", code)
    assert code not in page.url
    assert Tip.objects.count() == before + 1

    # Reloading the receipt page re-posts the same form: same code, no new report.
    page.reload()
    assert page.locator(".receipt-code").inner_text().replace(" ", "") == code
    assert Tip.objects.count() == before + 1

    tip = Tip.objects.order_by("-pk").first()
    tip_staff_reply(
        tip=tip, body="شکریہ، ہم نے آپ کی رپورٹ وصول کر لی ہے۔", by=demo.users["officer_mbdin"]
    )

    page.goto("/follow-up/")
    page.fill("input[name=code]", " ".join(code[i : i + 4] for i in range(0, 16, 4)))
    submit(page, page.locator("form button[type=submit].primary"))
    assert "شکریہ" in page.locator(".thread").inner_text()
    assert code not in page.url
