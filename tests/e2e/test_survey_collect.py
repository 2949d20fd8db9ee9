"""The enumerators' survey form offline: the brick-kiln survey, in Urdu on a
360 px phone, is served by the service worker without a connection, saved on
the device when sent offline, and sent once when the connection returns."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import submit

pytestmark = pytest.mark.browser

URL = "/cell/surveys/ahtc_brick_kiln/collect/"
PASSWORD = "correct-horse-battery-42"  # conftest.PASSWORD
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# The queue as survey-collect.js keeps it in IndexedDB.
QUEUE = """
() => new Promise((resolve, reject) => {
  const request = indexedDB.open("ahtc-surveys", 1);
  request.onerror = () => reject(request.error);
  request.onsuccess = () => {
    const db = request.result;
    const all = db.transaction("forms").objectStore("forms").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result.map((item) => item.id)); };
  };
})
"""
PAGE_STORED = """
() => caches.keys().then(async (names) => {
  for (const name of names) {
    if (await (await caches.open(name)).match(location.pathname)) return true;
  }
  return false;
})
"""


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The areas (loaded for every test) and the built-in instruments only."""
    from ahtc.surveys.builtin import builtin_install

    builtin_install()


@pytest.fixture
def browser_context_args() -> dict[str, object]:
    return {"viewport": {"width": 360, "height": 740}}


@pytest.fixture
def officer(page, make_user):
    return make_user("officer_mbdin")


def sign_in(page, username: str) -> None:
    from django_otp.oath import totp

    from ahtc.accounts.services import demo_totp_key

    code = totp(bytes.fromhex(demo_totp_key(username)), t0=0, step=30, digits=6)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=otp_token]").fill(f"{code:06d}")
    submit(page, page.locator("form:has(input[name=otp_token]) button[type=submit]"))


def ready(page) -> None:
    """survey-collect.js has looked at its queue once (and sent what it could)."""
    page.wait_for_selector("#collect-status[data-checked]", state="attached")


def fill_kiln(page, tehsil: str, kiln: str) -> None:
    page.fill("input[name=visit_date]", "2025-03-01")
    page.select_option("select[name=tehsil]", tehsil)
    page.fill("input[name=kiln_name]", kiln)
    for name, value in (("families", "12"), ("notified_rate", "1658"), ("wage_paid", "1300")):
        page.fill(f"input[name={name}]", value)
    page.fill("input[name=children_working]", "3")
    for name, value in (("written_contract", "no"), ("eobi", "no"), ("movement_restricted", "yes")):
        page.check(f"input[name={name}][value={value}]")
    page.click("button[name='#add'][value=family]")  # a second family, added offline
    for row, advance in ((0, "150000"), (1, "90000")):
        page.fill(f"input[name='family[{row}]/advance']", advance)
        page.check(f"input[name='family[{row}]/debt_bondage'][value=yes]")
        page.check(f"input[name='family[{row}]/literate'][value=no]")
        page.check(f"input[name='family[{row}]/knows_min_wage'][value=no]")
        page.check(f"input[name='family[{row}]/ilo'][value=debt]")


def test_kiln_survey_filled_offline_in_urdu_is_sent_once(page, officer, tmp_path):
    from ahtc.geography.models import Area
    from ahtc.surveys.models import Submission

    tehsil = Area.objects.filter(parent__code="PK620").order_by("code").first().code
    page.goto(f"/accounts/sign-in/?next={URL}")
    sign_in(page, "officer_mbdin")
    page.wait_for_url(f"**{URL}")
    assert page.locator("html").get_attribute("lang") == "ur"
    ready(page)
    page.wait_for_selector("#collect-status[data-worker=ready]", state="attached")
    page.wait_for_function(PAGE_STORED)
    page.screenshot(path=str(tmp_path / "collect-ur-360.png"), full_page=True)

    # Without a connection the page comes from the service worker, with a new id.
    page.context.set_offline(True)
    response = page.goto(URL)
    assert response is not None
    assert response.from_service_worker
    ready(page)
    instance = page.input_value("input[data-instance]")
    assert UUID.match(instance)

    fill_kiln(page, tehsil, "Kiln 7 (synthetic)")
    page.click("button[name='#send']")
    status = page.locator("#collect-status")
    expect(status).to_have_attribute("data-state", "waiting")
    expect(status).to_have_attribute("data-waiting", "1")
    assert page.evaluate(QUEUE) == [instance]
    assert Submission.objects.count() == 0
    # The form is empty again, for the next kiln, with an id of its own.
    assert page.input_value("input[name=kiln_name]") == ""
    assert page.input_value("input[data-instance]") not in {"", instance}

    page.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "sent")
    assert page.evaluate(QUEUE) == []
    [stored] = Submission.objects.all()
    assert stored.key == instance
    assert stored.collected_by == officer
    assert stored.answers["kiln_name"] == "Kiln 7 (synthetic)"
    assert [row["family/advance"] for row in stored.answers["family"]] == [150000, 90000]

    # Nothing is sent again on the next visit.
    page.reload()
    ready(page)
    assert page.evaluate(QUEUE) == []
    assert Submission.objects.count() == 1

    page.context.add_cookies([{"name": "ahtc_lang", "value": "en", "url": page.url}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(URL)
    ready(page)
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(tmp_path / "collect-en-desktop.png"), full_page=True)
