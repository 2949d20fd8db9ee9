"""With JavaScript on, a report made offline is kept on the phone and sent when back online."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHOTO = Path(__file__).parents[2] / "ahtc" / "static" / "ahtc" / "icon-192.png"
CODE = re.compile(r"^\d{4} \d{4} \d{4} \d{4}$")
# The queue as offline.js keeps it in IndexedDB (file entries left out).
QUEUE = """
() => new Promise((resolve, reject) => {
  const request = indexedDB.open("ahtc-offline", 1);
  request.onerror = () => reject(request.error);
  request.onsuccess = () => {
    const db = request.result;
    const all = db.transaction("reports").objectStore("reports").getAll();
    all.onsuccess = () => {
      db.close();
      resolve(all.result.map((item) => ({
        token: item.token,
        attention: item.attention,
        files: item.fields.filter((pair) => typeof pair[1] !== "string").length,
      })));
    };
  };
})
"""


@pytest.fixture
def browser_context_args() -> dict[str, object]:
    # JavaScript stays enabled (the default): offline.js is what is tested here.
    return {"viewport": {"width": 360, "height": 740}}


def tips_with(description: str) -> list:
    """Tips whose (encrypted) description is this one."""
    from ahtc.portal.models import Tip

    return [tip for tip in Tip.objects.all() if tip.description == description]


def open_report_form(page) -> None:
    page.goto("/report/")
    assert page.locator("html").get_attribute("lang") == "ur"
    wait_for_offline_js(page)


def wait_for_offline_js(page) -> None:
    """offline.js has opened its queue and drawn the status box once."""
    page.wait_for_selector("#offline-status[data-state]", state="attached")


def fill_in_urdu(page, description: str) -> None:
    page.check("input[name=category][value=fake_agent]")
    page.select_option("select[name=district]", "PK620")
    page.select_option("select[name=tehsil]", "PK62003")
    page.fill("textarea[name=description]", description)
    page.check("input[name=child_involved][value=no]")


def send_button(page):
    return page.locator("form[data-offline-form] button[type=submit]")


def queued(page) -> list[dict]:
    return page.evaluate(QUEUE)


def save_offline(page, description: str, files: list | None = None) -> None:
    page.context.set_offline(True)
    fill_in_urdu(page, description)
    if files:
        page.set_input_files("input[name=attachments]", files=files)
    send_button(page).click()
    status = page.locator("#offline-status")
    expect(status).to_contain_text(status.get_attribute("data-msg-saved") or "-")
    expect(status).to_have_attribute("data-state", "waiting")
    assert len(queued(page)) == 1
    # The form is cleared for another report, which gets a token of its own.
    assert page.input_value("textarea[name=description]") == ""
    assert page.input_value("input[name=client_token]") != queued(page)[0]["token"]


def receipt_shown(page) -> str:
    code = page.locator("#offline-status .receipt-code output")
    expect(code).to_have_text(CODE)
    expect(page.locator("#offline-status")).to_have_attribute("data-state", "sent")
    assert queued(page) == []
    return code.inner_text()


def test_report_made_offline_is_sent_once_when_back_online(page):
    from ahtc.portal.models import Tip
    from ahtc.portal.services import tip_for_receipt

    description = "ایک ایجنٹ نے اٹلی کے ویزے کے لیے تیس لاکھ روپے لیے اور غائب ہو گیا۔"
    before = Tip.objects.count()
    open_report_form(page)

    save_offline(page, description)
    assert tips_with(description) == []
    assert Tip.objects.count() == before

    page.context.set_offline(False)
    code = receipt_shown(page)
    [tip] = tips_with(description)
    assert tip_for_receipt(code.replace(" ", "")) == tip
    assert Tip.objects.count() == before + 1
    assert code.replace(" ", "") not in page.url

    # Nothing is left to send: a new visit sends nothing again.
    page.reload()
    wait_for_offline_js(page)
    # The first look at the queue (and any send it starts) has finished.
    page.wait_for_selector("#offline-status[data-checked]", state="attached")
    assert queued(page) == []
    assert len(tips_with(description)) == 1
    assert Tip.objects.count() == before + 1


def test_files_attached_offline_are_kept_and_sent(page):
    description = "یہ ایجنٹ کی دی ہوئی جعلی رسید کی تصویر ہے، اس نے پیسے لے لیے۔"
    photo = {"name": "raseed.png", "mimeType": "image/png", "buffer": PHOTO.read_bytes()}
    open_report_form(page)
    page.check("input[name=danger_now]")
    save_offline(page, description, files=[photo])
    assert queued(page)[0]["files"] == 1
    # Someone in danger cannot wait for the connection: the numbers to call are shown.
    expect(page.locator("#offline-status .urgent a[href='tel:15']")).to_be_visible()

    page.context.set_offline(False)
    receipt_shown(page)
    [tip] = tips_with(description)
    assert tip.attachments.count() == 1


def test_report_refused_after_going_online_is_put_back_in_the_form(page):
    description = "کھاریاں کے ایک ایجنٹ نے دبئی میں نوکری کا جھانسہ دیا ہے۔"
    open_report_form(page)
    page.context.set_offline(True)
    fill_in_urdu(page, description)
    # Kharian is in Gujrat, not Mandi Bahauddin. The list no longer offers it
    # (static/ahtc/tehsils.js); a page without that script could, and only the
    # server can refuse it.
    page.eval_on_selector(
        "select[name=tehsil]",
        "(s) => { s.querySelectorAll('optgroup').forEach((g) => { g.disabled = false; });"
        " s.value = 'PK61002'; }",
    )
    send_button(page).click()
    status = page.locator("#offline-status")
    expect(status).to_have_attribute("data-state", "waiting")

    page.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "check")
    expect(status).to_contain_text(status.get_attribute("data-msg-check") or "-")
    assert queued(page)[0]["attention"] is True
    assert tips_with(description) == []
    # The refused report is back in the form, with its own token, to be corrected.
    assert page.input_value("textarea[name=description]") == description
    assert page.input_value("input[name=client_token]") == queued(page)[0]["token"]

    page.select_option("select[name=tehsil]", "PK62003")
    send_button(page).click()
    expect(page.locator("main .receipt-code output")).to_have_text(CODE)
    assert len(tips_with(description)) == 1
    assert queued(page) == []


def test_stale_csrf_cookie_is_renewed_before_sending(page):
    description = "بھٹے پر ایک خاندان قرض کی وجہ سے کئی سال سے کام کر رہا ہے۔"
    open_report_form(page)
    save_offline(page, description)
    # The saved CSRF token no longer matches any cookie: the server answers 403
    # and offline.js fetches the form again for a fresh token.
    page.context.clear_cookies()

    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 403):
        page.context.set_offline(False)
    receipt_shown(page)
    assert len(tips_with(description)) == 1


def test_online_report_with_javascript_shows_the_receipt_page(page):
    description = "ایک بچہ ورکشاپ میں سارا دن کام کرتا ہے اور اسکول نہیں جاتا۔"
    open_report_form(page)
    send_button(page).click()  # nothing filled in: the server's errors come back
    expect(page.locator(".form-errors")).to_be_visible()
    assert queued(page) == []

    fill_in_urdu(page, description)
    send_button(page).click()
    code = page.locator("main .receipt-code output")
    expect(code).to_have_text(CODE)
    expect(page.locator("[data-print]")).to_be_visible()  # receipt.js ran
    assert len(tips_with(description)) == 1
    assert queued(page) == []


def test_service_worker_serves_the_form_offline_without_a_used_token(page):
    description = "ایجنٹ نے پاسپورٹ اپنے پاس رکھ لیا ہے اور واپس نہیں دیتا۔"
    open_report_form(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("caches.match('/report/').then((r) => !!r)")
    first_token = page.input_value("input[name=client_token]")
    stored = page.evaluate("caches.match('/report/').then((r) => r.text())")
    assert 'name="client_token" value=""' in stored
    assert first_token not in stored

    page.context.set_offline(True)
    response = page.goto("/report/")
    assert response is not None
    assert response.from_service_worker
    assert 'name="client_token" value=""' in response.text()  # the stored copy
    wait_for_offline_js(page)
    token = page.input_value("input[name=client_token]")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert token != first_token

    fill_in_urdu(page, description)
    send_button(page).click()
    status = page.locator("#offline-status")
    expect(status).to_have_attribute("data-state", "waiting")

    page.context.set_offline(False)
    receipt_shown(page)
    assert len(tips_with(description)) == 1
    # Only the two pages and their files are stored: no POST answer, no receipt.
    keys = page.evaluate(
        "caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n)"
        ".then((c) => c.keys())))).then((lists) => lists.flat().map((r) => r.url))"
    )
    paths = {re.sub(r"^https?://[^/]+", "", url) for url in keys}
    assert {"/", "/report/"} <= paths
    assert all(p in {"/", "/report/"} or p.startswith("/static/ahtc/") for p in paths), paths


def test_report_is_sent_again_soon_when_the_first_send_after_reconnecting_fails(page):
    """The "online" event can come a moment before the network works: the first
    send then fails, and the report must not wait for the 30-second timer."""
    description = "ایک ایجنٹ نے ملائیشیا کی نوکری کے نام پر پاسپورٹ لے لیا۔"
    failed: list[str] = []

    def fail_first_post(route) -> None:
        if route.request.method == "POST" and not failed:
            failed.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    open_report_form(page)
    save_offline(page, description)
    page.route("**/report/", fail_first_post)
    page.context.set_offline(False)
    # Well before the 30-second timer: the quick retry sends it.
    code = page.locator("#offline-status .receipt-code output")
    expect(code).to_have_text(CODE, timeout=10_000)
    assert failed, "the first send was not made to fail"
    assert len(tips_with(description)) == 1
    assert queued(page) == []
