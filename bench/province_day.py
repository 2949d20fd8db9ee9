"""A working day at province scale, at once, on 127.0.0.1 (docs/benchmarks.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:55434/ahtc_day REDIS_URL=redis://127.0.0.1:63791/0 \\
        POW_BITS=8 POW_LOAD_STEP=1000000 .venv/bin/python bench/province_day.py --reports 50000

or `bench/province_day.sh [REPORTS] [SECONDS]`, which makes a throw-away
PostgreSQL and Redis first. Steps, each bounded:

1. migrate, load the Punjab areas, one cell and one officer per district
   (41), signed in directly in the session store with a verified second
   factor (as the tests do), and a few cases per district;
2. start gunicorn (`--workers`, default 2 per core) and a job worker;
3. **baseline**: the same mix, for `--baseline-seconds`, on this nearly empty
   database;
4. fill: `--reports` citizen reports over the 41 districts and one case per
   ten reports, by bulk inserts through the models (synthetic text only);
5. **the day**: for `--seconds`, at once: citizens submitting reports (each
   solves the proof of work, so set a low POW_BITS and a high POW_LOAD_STEP
   for a bench), staff reading their report queue, case list and case pages,
   and staff exporting the case list (a background job: requested, waited
   for, downloaded);
6. prints p50/p95 per kind, requests/s and errors for both phases, the ratio
   of the day's p95 to the baseline's, and checks that every receipt handed
   out names a stored report (zero lost submissions).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
HOST = "127.0.0.1"
TIMEOUT = 60
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHALLENGE = re.compile(r'name="pow_challenge" value="([^"]+)"')
CODE = re.compile(r"<output>([0-9 ]{19})</output>")
JOB_LINK = re.compile(r'href="(/cell/jobs/[^"/]+/download/)"')
CASE_LINK = re.compile(r'href="/cell/cases/([A-Z0-9-]+)/"')


# --- the database ------------------------------------------------------------------


def setup_django() -> None:
    import django

    django.setup()


@dataclass
class Staff:
    district: str
    session_key: str
    cases: list[str] = field(default_factory=list)


def prepare(*, cases_per_district: int) -> list[Staff]:
    """Areas, a cell and a signed-in officer per district, a few cases each."""
    from django.core.management import call_command

    from ahtc.geography.models import Area, AreaLevel
    from ahtc.geography.services import area_import_csv

    call_command("migrate", "--noinput", "-v", "0")
    if not Area.objects.filter(code="PK6").exists():
        area_import_csv(source="punjab")
    districts = list(
        Area.objects.filter(level=AreaLevel.DISTRICT, path__startswith="PK6").order_by("code")
    )
    staff = [_officer(district) for district in districts]
    _cases(staff, districts, per_district=cases_per_district, start=1)
    return staff


def _officer(district: object) -> Staff:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    from ahtc.accounts.models import Organisation, OrganisationKind, User
    from ahtc.accounts.roles import Role
    from ahtc.accounts.services import (
        organisation_create,
        role_grant,
        totp_device_confirm_demo,
        user_create,
    )

    code = district.code  # type: ignore[attr-defined]
    username = f"bench_{code.lower()}"
    user = User.objects.filter(username=username).first()
    if user is None:
        org = Organisation.objects.filter(kind=OrganisationKind.POLICE_AHTC, area=district).first()
        org = org or organisation_create(
            kind=OrganisationKind.POLICE_AHTC, name_en=f"Bench cell {code}", area=district
        )
        user = user_create(
            username=username,
            password=uuid.uuid4().hex + "Aa1!",
            organisation=org,
            check_password=False,
        )
        role_grant(user=user, role=Role.CELL_OFFICER, area=district)
    device = totp_device_confirm_demo(user=user)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "ahtc.accounts.backends.ActiveOrganisationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return Staff(district=code, session_key=session.session_key or "")


def _cases(staff: list[Staff], districts: list[object], *, per_district: int, start: int) -> None:
    from django.utils import timezone

    from ahtc.accounts.models import User
    from ahtc.cases.models import Case, CaseCounter, Origin
    from ahtc.cases.references import case_reference

    year = timezone.localdate().year
    rows = []
    for person, district in zip(staff, districts, strict=True):
        opener = User.objects.get(username=f"bench_{person.district.lower()}")
        for number in range(start, start + per_district):
            reference = case_reference(person.district, year, number)
            person.cases.append(reference)
            rows.append(
                Case(
                    reference=reference,
                    district=district,
                    year=year,
                    number=number,
                    title=f"Bench case {number}",
                    origin=Origin.OWN_INITIATIVE,
                    opened_by=opener,
                )
            )
    Case.objects.bulk_create(rows, batch_size=2000)
    for district in districts:
        CaseCounter.objects.update_or_create(
            district=district, year=year, defaults={"last": start + per_district - 1}
        )


def fill(staff: list[Staff], *, reports: int, seed: int = 7) -> float:
    """Province-like volume by bulk inserts; returns the seconds it took."""
    from ahtc.geography.models import Area
    from ahtc.portal.models import Channel, Tip, TipCategory, TipStatus
    from ahtc.portal.receipts import idempotency_hash, receipt_code_for, receipt_hash

    started = time.monotonic()
    rng = random.Random(seed)
    districts = {a.code: a for a in Area.objects.filter(code__in=[s.district for s in staff])}
    # Districts differ in size: weights from 1 to 6, fixed by the seed.
    weights = [rng.randint(1, 6) for _ in staff]
    statuses = [TipStatus.NEW] * 5 + [TipStatus.TRIAGED] * 10 + [TipStatus.NOT_ACTIONABLE] * 40
    statuses += [TipStatus.LINKED] * 30 + [TipStatus.DUPLICATE] * 10 + [TipStatus.REFERRED] * 5
    categories = list(TipCategory.values)
    batch: list[Tip] = []
    for index in range(reports):
        district = districts[rng.choices(staff, weights)[0].district]
        token = f"province-fill-{seed}-{index}"
        batch.append(
            Tip(
                idempotency_hash=idempotency_hash(token),
                receipt_hash=receipt_hash(receipt_code_for(token)),
                channel=Channel.WEB,
                category=rng.choice(categories),
                district=district,
                description=f"Synthetic bench report {index}: an agent promised work abroad.",
                child_involved="no",
                status=rng.choice(statuses),
            )
        )
        if len(batch) == 2000:
            Tip.objects.bulk_create(batch)
            batch = []
    Tip.objects.bulk_create(batch)
    per_district = max(reports // 10 // len(staff), 1)
    _cases(staff, [districts[s.district] for s in staff], per_district=per_district, start=10_000)
    return time.monotonic() - started


def lost_receipts(receipts: list[tuple[str, str]]) -> int:
    """Receipts handed out whose report is not in the database."""
    from ahtc.portal.models import Tip
    from ahtc.portal.receipts import idempotency_hash
    from ahtc.portal.services import tip_for_receipt

    lost = 0
    for token, code in receipts:
        stored = Tip.objects.filter(idempotency_hash=idempotency_hash(token)).first()
        found = tip_for_receipt(code.replace(" ", ""))
        lost += stored is None or found is None or found.pk != stored.pk
    return lost


# --- the load ------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    receipts: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            if ok:
                self.latencies[kind].append(seconds)
            else:
                self.errors[kind] += 1


def fetch(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str],
    form: dict[str, str] | None = None,
) -> tuple[int, str, dict[str, str]]:
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in {"ahtc_lang": "en", **cookies}.items())}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"http://{HOST}:{port}"
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        set_cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                set_cookies[key.strip()] = rest.split(";", 1)[0]
        location = response.getheader("Location") or ""
        return response.status, text if response.status != 302 else location, set_cookies
    finally:
        conn.close()


def solve(challenge: str) -> str:
    bits = int(challenge.split(".")[2])
    for nonce in range(50_000_000):
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(nonce)
    raise RuntimeError("proof of work not found")


def citizen(port: int, tally: Tally, rng: random.Random) -> None:
    status, page, cookies = fetch(port, "GET", "/report/", cookies={})
    csrf, challenge = CSRF_FIELD.search(page), CHALLENGE.search(page)
    if status != 200 or csrf is None or challenge is None:
        tally.add("portal submission", 0, False)
        return
    token = uuid.uuid4().hex
    form = {
        "csrfmiddlewaretoken": csrf.group(1),
        "client_token": token,
        "pow_challenge": challenge.group(1),
        "pow_nonce": solve(challenge.group(1)),
        "category": rng.choice(["fake_agent", "missing_abroad", "forced_labour"]),
        "district": "PK620",
        "description": "Synthetic bench report: an agent took money for a visa and vanished.",
        "child_involved": "no",
    }
    started = time.monotonic()
    status, page, _ = fetch(port, "POST", "/report/", cookies=cookies, form=form)
    code = CODE.search(page)
    tally.add("portal submission", time.monotonic() - started, status == 200 and code is not None)
    if code is not None:
        with tally.lock:
            tally.receipts.append((token, code.group(1)))


def staff_reads(port: int, tally: Tally, rng: random.Random, staff: list[Staff]) -> None:
    person = rng.choice(staff)
    cookies = {"sessionid": person.session_key}
    for kind, path in (
        ("report queue", "/cell/intake/"),
        ("case list", "/cell/cases/"),
        ("case page", f"/cell/cases/{rng.choice(person.cases)}/"),
    ):
        started = time.monotonic()
        status, _, _ = fetch(port, "GET", path, cookies=cookies)
        tally.add(kind, time.monotonic() - started, status == 200)


def exporter(port: int, tally: Tally, rng: random.Random, staff: list[Staff]) -> None:
    """Request the case-list CSV, wait for its job (bounded), download it."""
    cookies = {"sessionid": rng.choice(staff).session_key}
    started = time.monotonic()
    status, answer, _ = fetch(port, "GET", "/cell/cases/?export=csv", cookies=cookies)
    ok = status == 200 and "," in answer  # an export sent at once
    if status == 302 and "/cell/jobs/" in answer:
        job = answer.split("127.0.0.1", 1)[-1].split(f":{port}", 1)[-1]
        for _ in range(600):
            status, page, _ = fetch(port, "GET", job, cookies=cookies)
            link = JOB_LINK.search(page)
            if link is not None:
                status, body, _ = fetch(port, "GET", link.group(1), cookies=cookies)
                ok = status == 200 and "," in body
                break
            time.sleep(0.2)
    tally.add("case list export (job)", time.monotonic() - started, ok)


def health(port: int, tally: Tally) -> None:
    """The baseline of every phase: one database round trip, nothing else."""
    started = time.monotonic()
    status, _, _ = fetch(port, "GET", "/healthz", cookies={})
    tally.add("healthz", time.monotonic() - started, status == 200)
    time.sleep(0.2)


def run_phase(port: int, staff: list[Staff], seconds: float, mix: dict[str, int]) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    actions: dict[str, Callable[[random.Random], None]] = {
        "citizens": lambda rng: citizen(port, tally, rng),
        "staff": lambda rng: staff_reads(port, tally, rng, staff),
        "exporters": lambda rng: exporter(port, tally, rng, staff),
        "health": lambda rng: health(port, tally),
    }

    def loop(name: str, seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            try:
                actions[name](rng)
            except OSError:
                tally.add(name, 0, False)

    threads = [
        threading.Thread(target=loop, args=(name, index * 100 + n), daemon=True)
        for index, (name, count) in enumerate(mix.items())
        for n in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT * 2)
    tally.latencies["_elapsed"] = [seconds]
    return tally


# --- servers and report ----------------------------------------------------------------


def start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and modules
        [sys.executable, *args],
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def wait_healthy(port: int) -> None:
    for _ in range(120):
        try:
            if fetch(port, "GET", "/healthz", cookies={})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not start")


def pct(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def summary(title: str, tally: Tally, seconds: float) -> dict[str, float]:
    print(f"\n{title}")
    print(f"{'kind':28} {'done':>6} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}")
    p95s = {}
    total = 0
    for kind in sorted(k for k in {*tally.latencies, *tally.errors} if not k.startswith("_")):
        values = tally.latencies.get(kind, [])
        total += len(values)
        p95s[kind] = pct(values, 95)
        print(
            f"{kind:28} {len(values):6d} {tally.errors.get(kind, 0):6d} "
            f"{len(values) / seconds:7.1f} {pct(values, 50):8.1f} {p95s[kind]:8.1f}"
        )
    print(f"{'all':28} {total:6d} {sum(tally.errors.values()):6d} {total / seconds:7.1f}")
    return p95s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--port", type=int, default=8803)
    parser.add_argument("--citizens", type=int, default=6)
    parser.add_argument("--staff", type=int, default=6)
    parser.add_argument("--exporters", type=int, default=1)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to a PostgreSQL database (see the docstring)")
        return 2
    setup_django()
    staff = prepare(cases_per_district=5)
    mix = {"citizens": args.citizens, "staff": args.staff, "exporters": args.exporters}
    mix["health"] = 1
    logs = Path(os.environ.get("AHTC_VAR_DIR", ROOT / "var"))
    logs.mkdir(parents=True, exist_ok=True)
    gunicorn = ["-m", "gunicorn", "ahtc.wsgi:application", "-b", f"{HOST}:{args.port}"]
    server = start([*gunicorn, "-w", str(args.workers)], logs / "bench-gunicorn.log")
    worker = start(["-m", "ahtc.cli", "worker"], logs / "bench-worker.log")
    try:
        wait_healthy(args.port)
        print(f"machine: {os.cpu_count()} cores; gunicorn workers: {args.workers}; mix: {mix}")
        warm = run_phase(args.port, staff, 5, mix)  # warm-up: workers import, caches fill
        base = run_phase(args.port, staff, args.baseline_seconds, mix)
        base_p95 = summary(
            f"baseline: nearly empty database, {args.baseline_seconds:.0f}s",
            base,
            args.baseline_seconds,
        )
        took = fill(staff, reports=args.reports)
        print(f"\nfilled {args.reports} reports and {args.reports // 10} cases in {took:.0f}s")
        day = run_phase(args.port, staff, args.seconds, mix)
        day_p95 = summary(
            f"the day: {args.reports} reports, {args.seconds:.0f}s", day, args.seconds
        )
    finally:
        stop(worker)
        stop(server)
    print("\np95 ratio, the day / baseline:")
    for kind, value in day_p95.items():
        print(f"  {kind:28} {value / base_p95.get(kind, float('nan')):.2f}")
    receipts = warm.receipts + base.receipts + day.receipts
    lost = lost_receipts(receipts)
    print(f"\nreceipts handed out: {len(receipts)}; lost (no stored report): {lost}")
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
